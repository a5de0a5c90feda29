/**
 * k3s and RKE2 read `/etc/rancher/{k3s,rke2}/config.yaml` (and `config.yaml.d/*.yaml`): a flat map of
 * their command-line flags, with neither `apiVersion` nor `kind`. Such a document is recognised by
 * its keys, so that it reaches the control-plane rules as an object of the synthetic kind
 * `RANCHER_CONFIG_KIND` (a name no real kind can have: kinds are CamelCase words).
 */
import { isMap, isScalar, YAMLMap } from 'yaml';

export const RANCHER_CONFIG_KIND = 'k3s-config';

/** Keys of `k3s server`/`k3s agent` and `rke2 server`/`rke2 agent` that say little on their own. */
const GENERIC_KEYS: ReadonlySet<string> = new Set([
  'config',
  'debug',
  'v',
  'vmodule',
  'log',
  'alsologtostderr',
  'token',
  'server',
  'data-dir',
  'disable',
  'profile',
  'docker',
  'selinux',
  'rootless',
  'cni',
  'bind-address',
  'snapshotter',
  'node-name',
  'resolv-conf',
  'advertise-address',
  'advertise-port',
  'ingress-controller',
]);

/** Keys only k3s/RKE2 configuration has (the component argument lists first). */
const DISTINCT_KEYS: ReadonlySet<string> = new Set([
  'kube-apiserver-arg',
  'kube-controller-manager-arg',
  'kube-scheduler-arg',
  'etcd-arg',
  'kubelet-arg',
  'kube-proxy-arg',
  'kube-cloud-controller-manager-arg',
  'cloud-controller-manager-arg',
  'secrets-encryption',
  'secrets-encryption-provider',
  'protect-kernel-defaults',
  'write-kubeconfig',
  'write-kubeconfig-mode',
  'write-kubeconfig-group',
  'token-file',
  'agent-token',
  'agent-token-file',
  'tls-san',
  'tls-san-security',
  'cluster-init',
  'cluster-reset',
  'cluster-reset-restore-path',
  'cluster-cidr',
  'service-cidr',
  'service-node-port-range',
  'cluster-dns',
  'cluster-domain',
  'flannel-backend',
  'flannel-ipv6-masq',
  'flannel-external-ip',
  'flannel-iface',
  'flannel-conf',
  'flannel-cni-conf-file',
  'egress-selector-mode',
  'servicelb-namespace',
  'helm-job-image',
  'https-listen-port',
  'supervisor-port',
  'apiserver-port',
  'apiserver-bind-address',
  'datastore-endpoint',
  'datastore-cafile',
  'datastore-certfile',
  'datastore-keyfile',
  'etcd-expose-metrics',
  'etcd-disable-snapshots',
  'etcd-snapshot-name',
  'etcd-snapshot-schedule-cron',
  'etcd-snapshot-retention',
  'etcd-snapshot-dir',
  'etcd-snapshot-compress',
  'etcd-s3',
  'etcd-s3-endpoint',
  'etcd-s3-bucket',
  'etcd-s3-access-key',
  'etcd-s3-secret-key',
  'etcd-s3-region',
  'etcd-s3-folder',
  'default-local-storage-path',
  'disable-scheduler',
  'disable-cloud-controller',
  'disable-kube-proxy',
  'disable-network-policy',
  'disable-helm-controller',
  'disable-apiserver',
  'disable-controller-manager',
  'disable-etcd',
  'embedded-registry',
  'supervisor-metrics',
  'with-node-id',
  'node-label',
  'node-taint',
  'node-ip',
  'node-external-ip',
  'node-internal-dns',
  'node-external-dns',
  'image-credential-provider-bin-dir',
  'image-credential-provider-config',
  'container-runtime-endpoint',
  'default-runtime',
  'image-service-endpoint',
  'disable-default-registry-endpoint',
  'nonroot-devices',
  'pause-image',
  'private-registry',
  'system-default-registry',
  'vpn-auth',
  'vpn-auth-file',
  'enable-pprof',
  'prefer-bundled-bin',
  'lb-server-port',
  'airgap-extra-registry',
  'kube-apiserver-image',
  'kube-controller-manager-image',
  'kube-scheduler-image',
  'etcd-image',
  'kube-proxy-image',
  'runtime-image',
  'cloud-provider-name',
  'cloud-provider-config',
  'audit-policy-file',
  'pod-security-admission-config-file',
  'control-plane-resource-requests',
  'control-plane-resource-limits',
  'kube-apiserver-extra-mount',
  'kube-apiserver-extra-env',
  'kube-scheduler-extra-mount',
  'kube-controller-manager-extra-mount',
  'etcd-extra-mount',
  'kubelet-path',
  'enable-servicelb',
  'kube-proxy-extra-mount',
]);

/**
 * How strongly a kind-less document reads as k3s/RKE2 configuration:
 * - `content`: more than half of its keys are k3s/RKE2 flags and one of them is specific to it;
 * - `keys`: every key is a k3s/RKE2 flag, but only generic ones (`token:`, `server:`), which an
 *   unrelated `config.yaml` may have too: it counts only at the path k3s/RKE2 read it from.
 */
export function rancherConfigEvidence(node: YAMLMap): 'content' | 'keys' | undefined {
  const keys: string[] = [];
  for (const pair of node.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') return undefined;
    keys.push(pair.key.value);
  }
  return evidenceOfKeys(keys);
}

function evidenceOfKeys(keys: readonly string[]): 'content' | 'keys' | undefined {
  let known = 0;
  let distinct = 0;
  for (const key of keys) {
    if (key === 'apiVersion' || key === 'kind') return undefined;
    if (DISTINCT_KEYS.has(key)) {
      distinct++;
      known++;
    } else if (GENERIC_KEYS.has(key)) known++;
  }
  if (keys.length === 0) return undefined;
  if (distinct > 0 && known * 2 > keys.length) return 'content';
  if (known === keys.length) return 'keys';
  return undefined;
}

/** Most top-level keys read from a file's text: a k3s configuration has a few dozen. */
const MAX_TEXT_KEYS = 500;

/**
 * The same judgement on a whole file's text, before any parse (file classification): the keys at
 * column 0 of every document. Whether the file is a k3s/RKE2 configuration, at `path`.
 */
export function looksLikeRancherConfig(path: string, text: string): boolean {
  const keys: string[] = [];
  let start = 0;
  while (start < text.length && keys.length < MAX_TEXT_KEYS) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl < 0 ? text.length : nl);
    start = nl < 0 ? text.length : nl + 1;
    const c = line.charCodeAt(0);
    // Indented lines, list items, comments, document markers and blank lines carry no top-level key.
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 34 || c === 39)) continue;
    const colon = line.indexOf(':');
    if (colon < 0) return false; // a top-level scalar: not a map of flags
    keys.push(
      line
        .slice(0, colon)
        .trim()
        .replace(/^["']|["']$/g, ''),
    );
  }
  const evidence = evidenceOfKeys(keys);
  return evidence === 'content' || (evidence === 'keys' && isRancherConfigPath(path));
}

/** The synthetic kind of a document without `kind`, if its content says what it is. */
export function kindOfKindless(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  return rancherConfigEvidence(node) ? RANCHER_CONFIG_KIND : undefined;
}

/** `/etc/rancher/k3s/config.yaml`, `rke2/config.yaml.d/10-cis.yaml` and copies of them in a repository. */
export function isRancherConfigPath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  if (/(?:^|\/)(?:k3s|rke2)\/config\.ya?ml$/.test(p)) return true;
  return /(?:^|\/)config\.yaml\.d\/[^/]+\.ya?ml$/.test(p);
}

/** A drop-in (`config.yaml.d/10-x.yaml`): a part of the configuration, merged over `config.yaml`. */
export function isRancherDropIn(path: string): boolean {
  return /(?:^|\/)config\.yaml\.d\/[^/]+$/.test(path.replace(/\\/g, '/'));
}

/** Which distribution the path names, when it does. */
export function rancherDistribution(path: string): 'k3s' | 'rke2' | undefined {
  const p = path.replace(/\\/g, '/');
  if (/(?:^|\/)rke2(?:\/|[-_.])/.test(p)) return 'rke2';
  if (/(?:^|\/)k3s(?:\/|[-_.])/.test(p)) return 'k3s';
  return undefined;
}
