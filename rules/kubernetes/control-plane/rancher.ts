/**
 * Top-level keys of a k3s/RKE2 `config.yaml` that matter for security and are not a component
 * flag: Secrets encryption, the mode of the admin kubeconfig k3s writes, and the join token and
 * other credentials written into the file. (Component flags in `kube-apiserver-arg` and the like
 * are read by the flag rows: rancherSources.ts.)
 */
import { isScalar, Pair, Scalar } from 'yaml';
import { isRancherDropIn, RANCHER_CONFIG_KIND } from '../../../server/src/documents/rancherConfig';
import { deref, findPair, getString } from '../../../server/src/documents/yamlNodes';
import type { KubeRuleContext, KubernetesRule, RuleMeta } from '../../../server/src/engine/rule';
import { isPlaceholder, judgeNamedValue, passwordsInUrls, redact } from '../../../server/src/secrets';
import { boolText } from './conditions';
import { distributionOf, isRancherConfig, rancherLabel, RANCHER_ARG_KEY } from './rancherSources';

const DOCS = 'https://docs.k3s.io/security/hardening-guide';

function rule(meta: Omit<RuleMeta, 'category' | 'docsUrl'>, check: (ctx: KubeRuleContext, label: string) => void): KubernetesRule {
  return {
    ...meta,
    category: 'control-plane',
    docsUrl: DOCS,
    language: 'kubernetes',
    kinds: [RANCHER_CONFIG_KIND],
    check(ctx) {
      if (!isRancherConfig(ctx.object, ctx.filePath)) return;
      check(ctx, rancherLabel(distributionOf(ctx.object.node, ctx.object.doc, ctx.filePath)));
    },
  };
}

function scalarPair(ctx: KubeRuleContext, key: string): { pair: Pair; node: Scalar; raw: string } | undefined {
  const pair = findPair(ctx.object.node, key, ctx.object.doc);
  const node = pair ? deref(pair.value, ctx.object.doc) : undefined;
  if (!pair || !isScalar(node) || node.value == null || !node.range) return undefined;
  // The text as written: YAML 1.1 reads a plain `0644` as the octal number 420.
  let raw = ctx.text.slice(node.range[0], node.range[1]).trim();
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') raw = String(node.value);
  return { pair, node, raw };
}

/** `--encryption-provider-config` given in `kube-apiserver-arg`: the operator encrypts by hand. */
function apiserverEncryptsByArg(ctx: KubeRuleContext): boolean {
  const list = deref(findPair(ctx.object.node, RANCHER_ARG_KEY['kube-apiserver'], ctx.object.doc)?.value, ctx.object.doc);
  const text = list ? ctx.text.slice(list.range?.[0] ?? 0, list.range?.[1] ?? 0) : '';
  return text.includes('encryption-provider-config=');
}

export const rancherSecretsEncryption = rule(
  {
    id: 'k3s-secrets-encryption',
    title: 'k3s stores Secrets unencrypted in its datastore',
    severity: 'warning',
    description:
      'k3s encrypts Secrets at rest only with `secrets-encryption: true` (RKE2 always does). Without it every Secret sits in ' +
      'plain text in etcd or the SQL datastore, and in every snapshot of it. Reported when the file sets it to false, and when it ' +
      'leaves it out of a k3s configuration (recognised by its path: `k3s/config.yaml`, a `k3s` folder).',
    remediation:
      'Set `secrets-encryption: true` on every server (the setting must match across servers), then run `k3s secrets-encrypt reencrypt` to encrypt the Secrets already stored.',
    references: ['cis-k8s:1.2.29', 'kubescape:C-0066'],
    fixes: [{ title: 'Set secrets-encryption: true', applicability: 'unsafe' }],
    recommended: true,
  },
  (ctx, label) => {
    const doc = ctx.object.doc;
    const root = ctx.object.node;
    const given = scalarPair(ctx, 'secrets-encryption');
    const fix = (edits: () => ReturnType<typeof ctx.edit.replace>[]) => [{ title: 'Set secrets-encryption: true', applicability: 'unsafe' as const, edits }];
    if (given) {
      if (boolText(String(given.node.value)) !== 'false' || apiserverEncryptsByArg(ctx)) return;
      ctx.report({
        at: given.pair,
        message: `${label} sets secrets-encryption: ${given.raw}: Secrets are stored in plain text in the datastore and its snapshots.`,
        fixes: fix(() => [ctx.edit.replace(given.node, 'true')]),
      });
      return;
    }
    // Only k3s leaves it off by default; RKE2 always encrypts.
    if (distributionOf(root, doc, ctx.filePath) !== 'k3s' || isRancherDropIn(ctx.filePath) || apiserverEncryptsByArg(ctx)) return;
    ctx.report({
      at: root.items[0]?.key && isScalar(root.items[0].key) ? root.items[0].key : ctx.object.anchor,
      message: `${label} does not set secrets-encryption, so k3s stores Secrets in plain text in the datastore and its snapshots.`,
      fixes: fix(() => [ctx.edit.insertPair(root, 'secrets-encryption', true)]),
    });
  },
);

/** A file mode as k3s reads it (octal digits, with or without a leading 0). */
function modeOf(raw: string): number | undefined {
  return /^0?[0-7]{3}$/.test(raw) ? Number.parseInt(raw, 8) : undefined;
}

export const rancherKubeconfigMode = rule(
  {
    id: 'k3s-kubeconfig-world-readable',
    title: 'k3s writes the admin kubeconfig readable by every local user',
    severity: 'warning',
    description:
      '`write-kubeconfig-mode` sets the file mode of the kubeconfig k3s writes (`/etc/rancher/k3s/k3s.yaml`), which holds ' +
      'cluster-admin client credentials. A mode readable by others (`644`, the value many guides copy to avoid `sudo`) hands ' +
      'the whole cluster to every account and process on the server. Group-readable modes are left alone: with ' +
      '`write-kubeconfig-group` they are a deliberate choice.',
    remediation: 'Leave `write-kubeconfig-mode` out (k3s writes `0600`) or set `"0600"`, and give users their own kubeconfig with their own credentials.',
    references: ['cis-k8s:1.1.13'],
    fixes: [{ title: 'Set write-kubeconfig-mode to "0600"', applicability: 'unsafe' }],
    recommended: true,
  },
  (ctx, label) => {
    const given = scalarPair(ctx, 'write-kubeconfig-mode');
    const mode = given ? modeOf(given.raw) : undefined;
    if (!given || mode === undefined || (mode & 0o007) === 0) return;
    ctx.report({
      at: given.pair,
      message: `${label} sets write-kubeconfig-mode: ${given.raw}: every local user can read the cluster-admin credentials in the kubeconfig k3s writes.`,
      fixes: [
        {
          title: 'Set write-kubeconfig-mode to "0600"',
          applicability: 'unsafe',
          edits: () => [ctx.edit.replace(given.node, given.node.type === 'QUOTE_SINGLE' ? "'0600'" : '"0600"')],
        },
      ],
    });
  },
);

/** Keys holding a credential, and what it grants. */
const CREDENTIAL_KEYS: readonly { key: string; grants: string }[] = [
  { key: 'token', grants: 'joins servers and agents to the cluster, and with the server token, decrypts its bootstrap data (the cluster CA keys)' },
  { key: 'agent-token', grants: 'joins any machine to the cluster as a node' },
  { key: 'etcd-s3-secret-key', grants: 'reads the etcd snapshots in the bucket, with every Secret of the cluster' },
];

export const rancherCredentialInFile = rule(
  {
    id: 'k3s-credential-in-config',
    title: 'k3s/RKE2 join token or credential written in config.yaml',
    severity: 'error',
    description:
      'The cluster token (`token`), the agent token (`agent-token`), the S3 secret key of etcd snapshots and a datastore ' +
      'password in `datastore-endpoint` are credentials. Written into a `config.yaml` that is committed or rendered by ' +
      'configuration management, they reach everyone who can read the repository. The value is never shown in full.',
    remediation:
      'Use `token-file` / `agent-token-file` pointing to a file provisioned out of band (or the `K3S_TOKEN` environment variable), and keep the S3 and datastore credentials in a secret store.',
    references: [],
    fixes: [],
    recommended: true,
  },
  (ctx, label) => {
    for (const { key, grants } of CREDENTIAL_KEYS) {
      const given = scalarPair(ctx, key);
      if (!given || typeof given.node.value !== 'string' || !judgeNamedValue(key, given.node.value)) continue;
      ctx.report({
        at: given.node,
        message: `${label} holds ${key} ${redact(given.node.value)}, which ${grants}: keep it in ${key === 'etcd-s3-secret-key' ? 'a secret store' : `a ${key}-file`} instead.`,
      });
    }
    const endpoint = getString(ctx.object.node, 'datastore-endpoint', ctx.object.doc);
    const node = scalarPair(ctx, 'datastore-endpoint')?.node;
    for (const hit of endpoint && node ? passwordsInUrls(endpoint) : []) {
      if (isPlaceholder(hit.password)) continue;
      ctx.report({
        at: node!,
        message: `${label} holds a datastore password in datastore-endpoint ${redact(hit.password)}: whoever reads it owns the cluster's datastore.`,
      });
    }
  },
);

export const RANCHER_RULES: readonly KubernetesRule[] = [rancherSecretsEncryption, rancherKubeconfigMode, rancherCredentialInFile];
