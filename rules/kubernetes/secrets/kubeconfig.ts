/**
 * kubeconfig files (`kind: Config`, recognised by content whatever their name): inline credentials,
 * `exec` plugins, and clusters that skip TLS verification. Certificates (`certificate-authority-data`,
 * `client-certificate-data`) are public and never reported.
 */
import { isScalar, Pair, YAMLMap } from 'yaml';
import type { KubeRuleContext, KubernetesRule, RuleMeta } from '../../../server/src/engine/rule';
import { findPair, getMap, getNode, getSeq, getString, mapEntries, seqItems } from '../../../server/src/documents/yamlNodes';
import { findTokens, isNotSecret, looksLikeSecretValue } from '../../../server/src/secrets';
import { decodeBase64Text, SECRETS, spanInScalar, stringScalar } from './common';
import { redact } from '../../../server/src/secrets';

const KUBECONFIG: Pick<RuleMeta, 'category' | 'recommended' | 'docsUrl'> = {
  ...SECRETS,
  docsUrl: 'https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/',
};

/** `users[].user`, `clusters[].cluster`: the named entries of a kubeconfig list. */
function entries(ctx: KubeRuleContext, list: string, field: string): { name: string; map: YAMLMap }[] {
  const doc = ctx.object.doc;
  const out: { name: string; map: YAMLMap }[] = [];
  for (const item of seqItems(getSeq(ctx.object.node, list, doc), doc)) {
    const map = getMap(item, field, doc);
    if (map) out.push({ name: getString(item, 'name', doc) ?? '(unnamed)', map });
  }
  return out;
}

/** Inline secrets of a user: key → what it is. */
const USER_SECRETS: Record<string, string> = {
  'client-key-data': 'client private key',
  token: 'bearer token',
  password: 'password',
};
/** Secrets of the legacy `auth-provider` config (OIDC, GCP, Azure). */
const AUTH_PROVIDER_SECRETS = new Set(['client-secret', 'refresh-token', 'id-token', 'access-token', 'idp-certificate-authority-data-key']);

export const kubeconfigEmbeddedCredentials: KubernetesRule = {
  ...KUBECONFIG,
  id: 'kubeconfig-embedded-credentials',
  language: 'kubernetes',
  title: 'Credentials inside a kubeconfig',
  severity: 'error',
  description:
    "A kubeconfig in the repository carries a user's credentials inline: `client-key-data` (the private key of " +
    'a client certificate), `token`, `password`, or an `auth-provider` secret (`client-secret`, ' +
    "`refresh-token`, `id-token`, `access-token`). Whoever has the file has that user's access to the cluster. " +
    'Files are recognised by content (`kind: Config` with `clusters`/`users`), whatever their name. Paths ' +
    '(`client-key`, `tokenFile`), placeholders and certificates are not reported.',
  remediation:
    'Revoke the credential (rotate the certificate, delete the token). Commit kubeconfigs without users, or ' +
    'with an `exec` plugin that fetches short-lived credentials (`aws eks get-token`, `gke-gcloud-auth-plugin`, ' +
    '`kubelogin`).',
  references: [],
  fixes: [],
  kinds: ['Config'],
  check(ctx) {
    const doc = ctx.object.doc;
    for (const { name, map } of entries(ctx, 'users', 'user')) {
      const found: { pair: Pair; what: string; shown: string }[] = [];
      for (const [key, what] of Object.entries(USER_SECRETS)) {
        const pair = findPair(map, key, doc);
        const node = stringScalar(pair?.value);
        if (!pair || !node) continue;
        const value = (node.value as string).trim();
        if (key === 'client-key-data') {
          const decoded = decodeBase64Text(value);
          if (decoded && findTokens(decoded).some((t) => t.id === 'private-key')) found.push({ pair, what, shown: decoded });
        } else if (looksLikeSecretValue(value, { word: key, kind: key === 'password' ? 'password' : 'key' })) {
          found.push({ pair, what, shown: value });
        }
      }
      const provider = getMap(getMap(map, 'auth-provider', doc), 'config', doc);
      for (const { key, pair, value } of mapEntries(provider, doc)) {
        const node = stringScalar(value);
        if (!node || !AUTH_PROVIDER_SECRETS.has(key) || isNotSecret(node.value as string) || (node.value as string).length < 8) continue;
        found.push({ pair, what: `auth-provider ${key}`, shown: node.value as string });
      }
      for (const f of found) {
        const node = f.pair.value as import('yaml').Scalar;
        ctx.report({
          at: spanInScalar(ctx.text, node, 0, String(node.value).length),
          message: `kubeconfig user "${name}" holds its ${f.what} inline (${redact(f.shown)}): whoever has this file has that user's access to the cluster. Revoke it and use an exec credential plugin or keep the file out of the repository.`,
        });
      }
    }
  },
};

export const kubeconfigExecPlugin: KubernetesRule = {
  ...KUBECONFIG,
  id: 'kubeconfig-exec-plugin',
  language: 'kubernetes',
  title: 'kubeconfig runs a command',
  severity: 'info',
  description:
    'A kubeconfig user authenticates through an `exec` plugin: `kubectl`, and any tool or editor extension that ' +
    "loads the file to talk to the cluster, runs that command with the user's privileges. A kubeconfig from a " +
    'repository or a pull request can therefore run code on the machine of whoever uses it. Cloud plugins ' +
    '(`aws`, `gcloud`, `gke-gcloud-auth-plugin`, `kubelogin`) are legitimate, but check the command before ' +
    'using the file.',
  remediation:
    'Check that the command is the plugin you expect (an absolute path to a trusted binary is safest); never ' +
    'use a kubeconfig from an untrusted source without reading its `users[].user.exec`.',
  references: [],
  fixes: [],
  kinds: ['Config'],
  check(ctx) {
    const doc = ctx.object.doc;
    for (const { name, map } of entries(ctx, 'users', 'user')) {
      const exec = getMap(map, 'exec', doc);
      const command = exec ? findPair(exec, 'command', doc) : undefined;
      const node = stringScalar(command?.value);
      if (!node) continue;
      const program = String(node.value).split(/[\\/]/).pop() ?? '';
      const shown = /^[\w.+-]{1,64}$/.test(program) ? `"${program}"` : 'a command';
      ctx.report({
        at: node,
        message: `kubeconfig user "${name}" authenticates by running ${shown} (exec plugin): using this file with kubectl or any tool that loads it runs that command. Check it before use.`,
      });
    }
  },
};

export const kubeconfigInsecureTls: KubernetesRule = {
  ...KUBECONFIG,
  id: 'kubeconfig-insecure-skip-tls-verify',
  language: 'kubernetes',
  title: 'kubeconfig skips TLS verification',
  severity: 'warning',
  description:
    'A kubeconfig cluster sets `insecure-skip-tls-verify: true`: clients accept any certificate from the API ' +
    'server, so anyone on the network path can impersonate it and collect the credentials clients send.',
  remediation: 'Remove `insecure-skip-tls-verify` and set `certificate-authority-data` (or `certificate-authority`) to the ' + "cluster's CA.",
  references: [],
  fixes: [{ title: 'Set insecure-skip-tls-verify: false', applicability: 'unsafe' }],
  kinds: ['Config'],
  check(ctx) {
    const doc = ctx.object.doc;
    for (const { name, map } of entries(ctx, 'clusters', 'cluster')) {
      const pair = findPair(map, 'insecure-skip-tls-verify', doc);
      const node = getNode(map, 'insecure-skip-tls-verify', doc);
      if (!pair || !isScalar(node) || node.value !== true || !map.items.includes(pair)) continue;
      ctx.report({
        at: pair,
        message: `kubeconfig cluster "${name}" sets insecure-skip-tls-verify: true: any certificate is accepted, so the API server can be impersonated and the credentials sent to it collected.`,
        fixes: [{ title: 'Set insecure-skip-tls-verify: false', applicability: 'unsafe', edits: () => [ctx.edit.replace(node, 'false')] }],
      });
    }
  },
};
