/**
 * A committed Secret holding real-looking credentials. `data` is base64, which is an encoding, not
 * encryption: every value is decoded and judged as text. `stringData` is read as is; registry
 * credentials (`.dockerconfigjson`, `.dockercfg`) are decoded twice; `tls.key` is a private key while
 * `tls.crt` and `ca.crt` are public. SealedSecrets, ExternalSecrets and SOPS-encrypted files are
 * what to commit instead, so they are never reported (they are other kinds, or carry `sops:`).
 */
import { isMap, Scalar } from 'yaml';
import type { Fix, KubeRuleContext, KubernetesRule } from '../../../server/src/engine/rule';
import { findPair, getNode, mapEntries } from '../../../server/src/documents/yamlNodes';
import { embeddedEntries, findTokens, isNotSecret, judgeNamedValue, looksLikeSecretValue, Verdict } from '../../../server/src/secrets';
import { entropy, characterClasses } from '../../../server/src/secrets/entropy';
import { CHECKOV_SECRET_REFERENCES, decodeBase64Text, describeVerdict, SECRETS, spanInScalar, stringScalar, verdictRange } from './common';

/** The placeholder the fix writes; `<...>` is on the allow-list, so the fixed Secret is not reported. */
export const SECRET_PLACEHOLDER = '<from-secret-store>';
const FIX_COMMENT = 'set at deploy time from Sealed Secrets, External Secrets or SOPS; never commit the value';

/** `svc-deploy@my-project.iam.gserviceaccount.com`, `my-app-prod-assets-2024`: a name, not a generated value. */
const LOWER_CASE_NAME = /^[a-z0-9]+(?:[-._@+][a-z0-9]+)+$/;

/** Keys whose content is public by design (certificates, CA bundles, SSH known hosts). */
const PUBLIC_KEYS = /^(?:tls\.crt|ca\.crt|ca-bundle\.crt|ca\.pem|cert\.pem|.*\.crt|.*\.cer|known_hosts|ssh-publickey|.*\.pub)$/i;

/**
 * Judges one Secret value (already decoded): registry credentials, known formats, credential names,
 * embedded config files, and, since everything in a Secret is meant to be secret, a long random
 * value under any name.
 */
export function judgeSecretEntry(key: string, text: string): { verdict: Verdict; from: number; to: number } | undefined {
  if (PUBLIC_KEYS.test(key) && findTokens(text).every((t) => t.id !== 'private-key')) return undefined;
  if (key === '.dockerconfigjson' || key === '.dockercfg') return dockerConfigVerdict(text);
  for (const e of embeddedEntries(key, text)) {
    const verdict = judgeNamedValue(e.key, e.value);
    if (verdict) {
      const [a, b] = verdictRange(verdict, e.value);
      return { verdict, from: e.start + a, to: e.start + b };
    }
  }
  const verdict = judgeNamedValue(key, text);
  if (verdict) {
    const [from, to] = verdictRange(verdict, text);
    return { verdict, from, to };
  }
  const v = text.trim();
  // Lower-case words joined by `-`, `.`, `_`, `@`, `+` (an account's e-mail, a bucket or host name) are names.
  if (v.length >= 16 && v.length <= 4096 && !/\s/.test(v) && !isNotSecret(v) && !LOWER_CASE_NAME.test(v) && entropy(v) >= 3.5 && characterClasses(v) >= 3) {
    const lead = text.length - text.trimStart().length;
    return { verdict: { reason: 'name', name: { word: key, kind: 'key' }, what: 'random-looking value' }, from: lead, to: lead + v.length };
  }
  return undefined;
}

/** `{"auths": {"registry": {"auth": base64("user:password"), "password": ...}}}`. */
function dockerConfigVerdict(text: string): { verdict: Verdict; from: number; to: number } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const root = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const auths = (Object.hasOwn(root, 'auths') ? root.auths : root) as Record<string, unknown> | null;
  if (!auths || typeof auths !== 'object') return undefined;
  for (const registry of Object.keys(auths)) {
    const entry = auths[registry];
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const candidates: string[] = [];
    if (typeof e.password === 'string') candidates.push(e.password);
    if (typeof e.identitytoken === 'string') candidates.push(e.identitytoken);
    if (typeof e.auth === 'string') {
      const decoded = decodeBase64Text(e.auth);
      const colon = decoded?.indexOf(':') ?? -1;
      if (decoded && colon >= 0) candidates.push(decoded.slice(colon + 1));
    }
    for (const c of candidates) {
      if (looksLikeSecretValue(c, { word: 'password', kind: 'password' })) {
        return {
          verdict: {
            reason: 'name',
            name: { word: 'password', kind: 'password' },
            what: `registry password for ${registry.length <= 80 ? registry : 'a registry'}`,
          },
          from: 0,
          to: text.length,
        };
      }
    }
  }
  return undefined;
}

export const secretObjectCommitted: KubernetesRule = {
  ...SECRETS,
  id: 'secret-object-committed',
  language: 'kubernetes',
  title: 'Secret with real credentials committed',
  severity: 'error',
  description:
    'A `Secret` in the repository holds real-looking credentials. `data` values are only base64-encoded: each ' +
    'is decoded and judged like `stringData` (known token formats, credential names with real-looking values, ' +
    'embedded config files, long random values); registry credentials (`.dockerconfigjson`, `.dockercfg`) are ' +
    'decoded twice; a private key in `tls.key` is reported, the certificates (`tls.crt`, `ca.crt`) never are. ' +
    'Placeholders and empty values are fine, and SealedSecret, ExternalSecret and SOPS-encrypted files ' +
    '(`sops:` metadata, `ENC[...]` values) are what to commit instead. Reported at the key, never printing the value.',
  remediation:
    'Revoke the credentials. Commit a SealedSecret (`kubeseal`), an ExternalSecret pointing at your secret ' +
    'store, or the file encrypted with SOPS, and keep only placeholders in plain Secrets.',
  references: [...CHECKOV_SECRET_REFERENCES],
  fixes: [{ title: 'Replace the value with a placeholder and a comment', applicability: 'unsafe' }],
  kinds: ['Secret'],
  check(ctx) {
    const doc = ctx.object.doc;
    const root = ctx.object.node;
    if (findPair(root, 'sops', doc)) return;
    for (const field of ['data', 'stringData'] as const) {
      const map = getNode(root, field, doc);
      for (const { key, value } of mapEntries(map, doc)) {
        const node = stringScalar(value);
        if (!node) continue;
        const raw = node.value as string;
        const text = field === 'data' ? decodeBase64Text(raw) : raw;
        if (text === undefined) continue;
        const found = judgeSecretEntry(key, text);
        if (!found) continue;
        const at = field === 'data' ? spanInScalar(ctx.text, node, 0, raw.length) : spanInScalar(ctx.text, node, found.from, found.to);
        const fix = isMap(map) ? placeholderFix(ctx, node, field, !!map.flow) : undefined;
        ctx.report({
          at,
          message: `${ctx.object.label} ${field}.${key} holds a ${describeVerdict(found.verdict, text.slice(found.from, found.to))}${field === 'data' ? ' (base64 is an encoding, not encryption)' : ''}: anyone with the repository has it. Commit a SealedSecret, an ExternalSecret or a SOPS-encrypted file instead.`,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};

/**
 * The value becomes the placeholder (base64 of it under `data`), with a comment saying where the real
 * one comes from. Unsafe: applying the Secret then installs the placeholder.
 */
function placeholderFix(ctx: KubeRuleContext, node: Scalar, field: 'data' | 'stringData', flow: boolean): Fix | undefined {
  const range = node.range;
  if (!range) return undefined;
  return {
    title: 'Replace the value with a placeholder and a comment',
    applicability: 'unsafe',
    edits: () => {
      const start = range[0];
      let end = range[1];
      while (end > start && /\s/.test(ctx.text[end - 1])) end--;
      const placeholder = field === 'data' ? Buffer.from(SECRET_PLACEHOLDER).toString('base64') : `"${SECRET_PLACEHOLDER}"`;
      // A comment only where it cannot break the line: block context, nothing after the value.
      const lineEnd = ctx.text.indexOf('\n', end);
      const rest = ctx.text.slice(end, lineEnd < 0 ? ctx.text.length : lineEnd).replace(/\r$/, '');
      const comment = rest.trim() === '' && !flow ? `  # ${FIX_COMMENT}` : '';
      return [{ start, end, newText: `${placeholder}${comment}` }];
    },
  };
}
