/**
 * EncryptionConfiguration (apiserver.config.k8s.io/v1): the file `--encryption-provider-config`
 * points at. The first provider of a resource encrypts what is written; the others only decrypt.
 */
import { isMap, isScalar, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { KubeObject } from '../../../server/src/documents/kube';
import { AnyDoc, deref, findPair, getSeq, keyString, mapEntries, seqItems, stringItems } from '../../../server/src/documents/yamlNodes';
import type { KubeRuleContext, KubernetesRule, RuleMeta, TextEdit } from '../../../server/src/engine/rule';
import { redact } from '../../../server/src/secrets';

const DOCS = 'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/';
/** `EncryptionConfig` (apiVersion v1) is the pre-1.13 spelling that "the hard way" guides still write. */
const KIND = ['EncryptionConfiguration', 'EncryptionConfig'];

interface ResourceEntry {
  readonly node: YAMLMap;
  readonly resources: string[];
  readonly resourcesPair: Pair | undefined;
  readonly providersSeq: YAMLSeq | undefined;
  /** Each provider item: its type (`aescbc`, `identity`...) and its body. */
  readonly providers: { type: string; item: YAMLMap; pair: Pair; body: unknown }[];
}

function entries(object: KubeObject): ResourceEntry[] {
  const doc = object.doc;
  const out: ResourceEntry[] = [];
  for (const item of seqItems(getSeq(object.node, 'resources', doc), doc)) {
    if (!isMap(item)) continue;
    const providersSeq = getSeq(item, 'providers', doc);
    const providers: ResourceEntry['providers'] = [];
    for (const p of seqItems(providersSeq, doc)) {
      if (!isMap(p)) continue;
      const pair = p.items.find((i) => keyString(i) !== undefined);
      const type = pair ? keyString(pair) : undefined;
      if (pair && type) providers.push({ type, item: p, pair, body: deref(pair.value, doc) });
    }
    out.push({
      node: item,
      resources: stringItems(getSeq(item, 'resources', doc), doc).map((s) => s.value),
      resourcesPair: findPair(item, 'resources', doc),
      providersSeq,
      providers,
    });
  }
  return out;
}

/** `secrets`, `secrets.` (core group spelled out), `*.` (every core resource) and `*.*` all cover Secrets. */
function coversSecrets(resources: readonly string[]): boolean {
  return resources.some((r) => r === 'secrets' || r === 'secrets.' || r === '*.' || r === '*.*');
}

function rule(meta: Omit<RuleMeta, 'category' | 'docsUrl'>, check: (ctx: KubeRuleContext) => void): KubernetesRule {
  return { ...meta, category: 'control-plane', docsUrl: DOCS, language: 'kubernetes', kinds: KIND, check };
}

export const encryptionIdentityFirst = rule(
  {
    id: 'encryption-identity-first',
    title: 'EncryptionConfiguration writes resources in plain text',
    severity: 'error',
    description:
      'The first provider of a resource encrypts everything the API server writes; `identity` first means ' +
      'no encryption at all, whatever providers follow (they are only used to read older data). Secrets end ' +
      'up in plain text in etcd and in every etcd backup.',
    remediation:
      'Put the real provider (`kms` v2, `secretbox`, `aesgcm` or `aescbc`) first and keep `identity` last, only to read data written before encryption was enabled; then rewrite all Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`).',
    references: ['cis-k8s:1.2.30', 'checkov:CKV_K8S_104', 'kubescape:C-0142'],
    fixes: [{ title: 'Move identity to the end of the providers', applicability: 'unsafe' }],
    recommended: true,
  },
  (ctx) => {
    for (const entry of entries(ctx.object)) {
      const first = entry.providers[0];
      if (!first || first.type !== 'identity') continue;
      const what = entry.resources.length ? entry.resources.join(', ') : 'these resources';
      const others = entry.providers.length > 1;
      ctx.report({
        at: first.pair,
        message:
          `EncryptionConfiguration lists identity first for ${what}: they are written to etcd unencrypted` +
          (others
            ? ` (${entry.providers
                .slice(1)
                .map((p) => p.type)
                .join(', ')} only ${entry.providers.length > 2 ? 'decrypt' : 'decrypts'} what was written before).`
            : '.'),
        // Moving identity last makes the next provider encrypt new writes; identity still reads old data.
        fixes:
          others && entry.providersSeq && !entry.providersSeq.flow
            ? [
                {
                  title: 'Move identity to the end of the providers',
                  applicability: 'unsafe',
                  edits: () => moveToEnd(ctx.text, entry.providersSeq!, first.item),
                },
              ]
            : undefined,
      });
    }
  },
);

/** The lines of one block-sequence item, moved after the last item. */
function moveToEnd(text: string, seq: YAMLSeq, item: Node): TextEdit[] {
  const items = seq.items as Node[];
  const lineStart = (offset: number) => {
    let i = offset;
    while (i > 0 && text[i - 1] !== '\n') i--;
    return i;
  };
  const lineEnd = (offset: number) => {
    let i = offset;
    while (i < text.length && text[i] !== '\n') i++;
    return i < text.length ? i + 1 : i;
  };
  const index = items.indexOf(item);
  const start = lineStart(item.range![0]);
  const end = lineStart(items[index + 1].range![0]);
  const lastEnd = lineEnd(contentEnd(text, items[items.length - 1]));
  let moved = text.slice(start, end);
  // At the end of a file without a final line break, the moved lines go after a new one.
  if (lastEnd === text.length && !text.endsWith('\n')) moved = '\n' + moved.replace(/\n$/, '');
  return [
    { start, end, newText: '' },
    { start: lastEnd, end: lastEnd, newText: moved },
  ];
}

function contentEnd(text: string, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /\s/.test(text[end - 1])) end--;
  return end;
}

export const encryptionSecretsNotCovered = rule(
  {
    id: 'encryption-secrets-not-covered',
    title: 'EncryptionConfiguration does not cover Secrets',
    severity: 'warning',
    description:
      'An EncryptionConfiguration whose `resources` never name `secrets` (or `*.` / `*.*`) leaves Secrets unencrypted in etcd, which is what encryption at rest is for.',
    remediation: 'Add `secrets` to the `resources` of an entry whose first provider encrypts.',
    references: ['cis-k8s:1.2.30', 'kubescape:C-0142'],
    fixes: [],
    recommended: true,
  },
  (ctx) => {
    const list = entries(ctx.object);
    if (list.some((e) => coversSecrets(e.resources))) return;
    const at = findPair(ctx.object.node, 'resources', ctx.object.doc) ?? ctx.object.anchor;
    ctx.report({ at, message: `EncryptionConfiguration does not list secrets in any resources entry: Secrets are stored in etcd unencrypted.` });
  },
);

export const encryptionWeakProvider = rule(
  {
    id: 'encryption-weak-provider',
    title: 'EncryptionConfiguration uses a provider the Kubernetes docs advise against',
    severity: 'info',
    description:
      '`aescbc` is open to padding-oracle attacks and `aesgcm` needs its key rotated every 200,000 writes; KMS v1 is ' +
      'deprecated. The Kubernetes documentation recommends KMS v2 (keys held outside the cluster) or, for a local key, `secretbox`.',
    remediation: 'Use `kms` with `apiVersion: v2`, or `secretbox`.',
    references: [],
    fixes: [],
    recommended: false,
  },
  (ctx) => {
    for (const entry of entries(ctx.object)) {
      const first = entry.providers[0];
      if (!first) continue;
      if (first.type === 'aescbc' || first.type === 'aesgcm') {
        ctx.report({
          at: first.pair.key as Node,
          message: `EncryptionConfiguration encrypts ${entry.resources.join(', ') || 'resources'} with ${first.type}; KMS v2 or secretbox is advised (${first.type === 'aescbc' ? 'CBC is open to padding-oracle attacks' : 'GCM keys must be rotated every 200,000 writes'}).`,
        });
      } else if (first.type === 'kms') {
        const version = isMap(first.body) ? mapEntries(first.body, ctx.object.doc).find((e) => e.key === 'apiVersion') : undefined;
        const v = version?.value && isScalar(version.value) ? String(version.value.value) : 'v1';
        if (v !== 'v2')
          ctx.report({
            at: version?.pair ?? (first.pair.key as Node),
            message: `EncryptionConfiguration uses KMS ${v}, deprecated since v1.28; use apiVersion: v2.`,
          });
      }
    }
  },
);

interface KeyRef {
  provider: string;
  name: string;
  secret: string;
  pair: Pair;
}

function keysOf(object: KubeObject): KeyRef[] {
  const doc: AnyDoc = object.doc;
  const out: KeyRef[] = [];
  for (const entry of entries(object)) {
    for (const p of entry.providers) {
      if (!['aescbc', 'aesgcm', 'secretbox'].includes(p.type)) continue;
      for (const key of seqItems(getSeq(p.body, 'keys', doc), doc)) {
        const pair = findPair(key, 'secret', doc);
        const value = pair ? deref(pair.value, doc) : undefined;
        if (!pair || !isScalar(value) || value.value == null) continue;
        const name = findPair(key, 'name', doc);
        const nameNode = name ? deref(name.value, doc) : undefined;
        out.push({ provider: p.type, name: isScalar(nameNode) ? String(nameNode.value) : '(unnamed)', secret: String(value.value), pair });
      }
    }
  }
  return out;
}

/** Placeholders that templating or secret tooling fills in (`${KEY}`, `{{ .key }}`, `<base64 key>`, `REPLACE_ME`). */
export function isPlaceholder(secret: string): boolean {
  const s = secret.trim();
  if (s === '' || s.includes('${') || s.includes('{{') || s.includes('((') || (s.startsWith('<') && s.endsWith('>'))) return true;
  return /^(replace|change|your|todo|xxx|placeholder|example)/i.test(s);
}

/** The decoded length of standard base64, or undefined when it is not valid base64. */
export function base64Length(s: string): number | undefined {
  const t = s.trim();
  if (t.length === 0 || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return undefined;
  const pad = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0;
  return (t.length / 4) * 3 - pad;
}

/** Enough of a key to find it, not enough to use it: the secrets pack's redaction, the same in every message. */
export { redact };

export const encryptionKeyInvalid = rule(
  {
    id: 'encryption-key-invalid',
    title: 'EncryptionConfiguration key is not 32 bytes of base64',
    severity: 'warning',
    description:
      'Encryption keys are base64-encoded. `secretbox` needs exactly 32 bytes; `aescbc` and `aesgcm` take 16, 24 or 32 ' +
      'and 32 (AES-256) is the recommendation. A key that is not valid base64, or has another length, stops the API server from starting.',
    remediation: 'Generate a key with `head -c 32 /dev/urandom | base64`.',
    references: [],
    fixes: [],
    recommended: true,
  },
  (ctx) => {
    for (const key of keysOf(ctx.object)) {
      if (isPlaceholder(key.secret)) continue;
      const length = base64Length(key.secret);
      const where = `key "${key.name}" of ${key.provider}`;
      if (length === undefined) {
        ctx.report({ at: key.pair, message: `EncryptionConfiguration ${where} is not valid base64: the API server will not start.` });
      } else if (length !== 32) {
        const fatal = key.provider === 'secretbox' || ![16, 24].includes(length);
        ctx.report({
          at: key.pair,
          message: `EncryptionConfiguration ${where} decodes to ${length} bytes, not 32${fatal ? ': the API server will not start' : ' (AES-256 is advised)'}.`,
        });
      }
    }
  },
);

export const encryptionKeyInFile = rule(
  {
    id: 'encryption-key-in-file',
    title: 'EncryptionConfiguration holds a literal encryption key',
    severity: 'warning',
    description:
      'A key written in the file is committed with it: anyone who can read the repository (or an etcd backup and ' +
      'the repository) can decrypt every Secret. The message shows only the first characters of the key.',
    remediation:
      'Keep the file out of version control and render the key at deploy time from a secret store, or use a KMS v2 provider so no key is in the file.',
    references: [],
    fixes: [],
    recommended: true,
  },
  (ctx) => {
    for (const key of keysOf(ctx.object)) {
      if (isPlaceholder(key.secret) || base64Length(key.secret) === undefined) continue;
      ctx.report({
        at: key.pair.value as Node,
        message: `EncryptionConfiguration key "${key.name}" of ${key.provider} is written in the file, ${redact(key.secret)}: whoever reads it can decrypt the Secrets in etcd.`,
      });
    }
  },
);

export const ENCRYPTION_RULES: readonly KubernetesRule[] = [
  encryptionIdentityFirst,
  encryptionSecretsNotCovered,
  encryptionWeakProvider,
  encryptionKeyInvalid,
  encryptionKeyInFile,
];
