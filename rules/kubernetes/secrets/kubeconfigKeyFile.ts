/**
 * A kubeconfig that names its credentials by path (`client-key`, `tokenFile`, or a `client-certificate`
 * file that holds the key too) is harmless on its own; committed next to the key file it names, it is the
 * same leak as `client-key-data`. The file is read only through the host's `readFile` (inside the
 * workspace, no link out of it, size-capped): a path outside the workspace or an absent file says nothing.
 */
import * as nodePath from 'node:path';
import type { KubernetesRule, RelatedLocation } from '../../../server/src/engine/rule';
import { findPair, getMap, getSeq, getString, seqItems } from '../../../server/src/documents/yamlNodes';
import { LineIndex } from '../../../server/src/text/lineIndex';
import { findTokens, looksLikeSecretValue, redact } from '../../../server/src/secrets';
import { SECRETS, stringScalar } from './common';

/** The user fields that name a file, and what a credential in that file is. */
const FILE_FIELDS: readonly { key: string; holds: 'private-key' | 'token' }[] = [
  { key: 'client-key', holds: 'private-key' },
  // A combined PEM (certificate and key in one file) is common; the certificate alone is public.
  { key: 'client-certificate', holds: 'private-key' },
  { key: 'tokenFile', holds: 'token' },
];

/** Token files are one line; a larger file is not a token. */
const MAX_TOKEN_LENGTH = 16_384;

/** Where the credential sits in the file's text, if it holds one. */
function credentialIn(text: string, holds: 'private-key' | 'token'): { start: number; end: number; what: string } | undefined {
  if (holds === 'private-key') {
    const hit = findTokens(text).find((t) => t.id === 'private-key' || t.id === 'putty-private-key');
    return hit ? { start: hit.index, end: hit.index + hit.length, what: 'private key' } : undefined;
  }
  const token = text.trim();
  if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
  const start = text.indexOf(token);
  const hit = findTokens(token)[0];
  if (hit) return { start: start + hit.index, end: start + hit.index + hit.length, what: hit.name };
  return looksLikeSecretValue(token, { word: 'token', kind: 'key' }) ? { start, end: start + token.length, what: 'bearer token' } : undefined;
}

export const kubeconfigCommittedKeyFile: KubernetesRule = {
  ...SECRETS,
  docsUrl: 'https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/',
  id: 'kubeconfig-committed-key-file',
  language: 'kubernetes',
  title: 'kubeconfig names a key file committed with it',
  severity: 'error',
  description:
    'A kubeconfig user names its credential by path (`client-key`, `tokenFile`, or a `client-certificate` file ' +
    "that holds the private key too), and that path, resolved from the kubeconfig's folder as kubectl does, is " +
    'a file in the workspace that holds a private key or a token. The key is committed next to the file that ' +
    'says which cluster it opens. Paths outside the workspace, absent files and files without a credential ' +
    'are not reported.',
  remediation:
    'Revoke the credential (rotate the client certificate, delete the token), remove the key file from the ' +
    'repository and its history, and list it in `.gitignore`; better, use an `exec` plugin that fetches ' +
    'short-lived credentials.',
  references: [],
  fixes: [],
  kinds: ['Config'],
  // It reads another file: its result must not be cached with the kubeconfig's text.
  scope: 'workspace',
  check(ctx) {
    const read = ctx.readFile;
    if (!read) return;
    const doc = ctx.object.doc;
    const dir = nodePath.dirname(ctx.filePath);
    for (const item of seqItems(getSeq(ctx.object.node, 'users', doc), doc)) {
      const user = getMap(item, 'user', doc);
      if (!user) continue;
      const name = getString(item, 'name', doc) ?? '(unnamed)';
      for (const field of FILE_FIELDS) {
        const node = stringScalar(findPair(user, field.key, doc)?.value);
        const written = (node?.value as string | undefined)?.trim();
        if (!node || !written || written.startsWith('~') || written.includes('\0')) continue;
        const file = nodePath.isAbsolute(written) ? nodePath.normalize(written) : nodePath.join(dir, written);
        const text = read(file);
        if (text === undefined) continue;
        const found = credentialIn(text, field.holds);
        if (!found) continue;
        const lines = new LineIndex(text);
        const related: RelatedLocation & { range: ReturnType<LineIndex['rangeOf']> } = {
          path: file,
          start: found.start,
          end: found.end,
          range: lines.rangeOf(found.start, found.end),
          message: `the ${found.what} ${field.key} names`,
        };
        ctx.report({
          at: node,
          message: `kubeconfig user "${name}" takes its ${field.key} from ${nodePath.basename(file)}, which is in the workspace and holds a ${found.what} (${redact(text.slice(found.start, found.end))}): committed next to this kubeconfig, it gives that user's access to the cluster. Revoke it and keep the key file out of the repository.`,
          related: [related],
        });
      }
    }
  },
};
