/**
 * Control-plane pack: 400 static pods (kube-apiserver with kubeadm's ~30 flags, controller manager,
 * scheduler, etcd) and 100 kubeadm config files (Init/ClusterConfiguration v1beta4 with list-form
 * extraArgs, KubeletConfiguration) and 100 k3s config.yaml files, linted with profile `all`. Reported as ratios to bare YAML parsing
 * of the same text, for every rule and for the control-plane rules alone: reading each flag row's
 * flag from the command line must stay a small multiple of parsing.
 */
import { parseAllDocuments } from 'yaml';
import { ALL_RULES } from '../rules';
import { CONTROL_PLANE_RULES } from '../rules/kubernetes/control-plane';
import { ResolvedConfig } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/engine';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import type { Rule } from '../server/src/engine/rule';

const APISERVER_FLAGS = [
  'advertise-address=10.0.0.10',
  'allow-privileged=true',
  'authorization-mode=Node,RBAC',
  'client-ca-file=/etc/kubernetes/pki/ca.crt',
  'enable-admission-plugins=NodeRestriction',
  'enable-bootstrap-token-auth=true',
  'etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
  'etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
  'etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
  'etcd-servers=https://127.0.0.1:2379',
  'kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
  'kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
  'secure-port=6443',
  'service-account-issuer=https://kubernetes.default.svc',
  'service-account-key-file=/etc/kubernetes/pki/sa.pub',
  'service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
  'service-cluster-ip-range=10.96.0.0/12',
  'tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  'tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  'requestheader-allowed-names=front-proxy-client',
  'requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
  'requestheader-extra-headers-prefix=X-Remote-Extra-',
  'requestheader-group-headers=X-Remote-Group',
  'requestheader-username-headers=X-Remote-User',
  'proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
  'proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
  'profiling=false',
  'audit-log-path=/var/log/audit.log',
  'audit-log-maxage=30',
  'anonymous-auth=false',
];

function staticPod(binary: string, flags: string[], i: number): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: {name: ${binary}-${i}, namespace: kube-system, labels: {component: ${binary}, tier: control-plane}}`,
    'spec:',
    '  hostNetwork: true',
    '  containers:',
    `  - name: ${binary}`,
    `    image: registry.k8s.io/${binary}:v1.30.2`,
    '    command:',
    `    - ${binary}`,
    ...flags.map((f) => `    - --${f}`),
    '',
  ].join('\n');
}

function kubeadmFile(i: number): string {
  const list = (flags: string[]) => flags.flatMap((f) => [`    - name: ${f.split('=')[0]}`, `      value: "${f.slice(f.indexOf('=') + 1)}"`]);
  return [
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'kind: InitConfiguration',
    'nodeRegistration:',
    `  name: cp-${i}`,
    '---',
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'kind: ClusterConfiguration',
    'apiServer:',
    '  extraArgs:',
    ...list(APISERVER_FLAGS.slice(20)),
    'controllerManager:',
    '  extraArgs:',
    ...list(['bind-address=127.0.0.1', 'profiling=false']),
    '---',
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'kind: KubeletConfiguration',
    'authentication:',
    '  anonymous: {enabled: false}',
    'readOnlyPort: 0',
    '',
  ].join('\n');
}

/** A k3s server config.yaml: recognised by its keys, its argument lists read by every flag row. */
function k3sConfig(i: number): string {
  return [
    'cluster-init: true',
    'secrets-encryption: true',
    'protect-kernel-defaults: true',
    'write-kubeconfig-mode: "0600"',
    'tls-san:',
    `  - k3s-${i}.example.com`,
    'kube-apiserver-arg:',
    ...APISERVER_FLAGS.slice(26).map((f) => `  - "${f}"`),
    'kube-controller-manager-arg:',
    '  - "terminated-pod-gc-threshold=10"',
    'kubelet-arg:',
    '  - "streaming-connection-idle-timeout=5m"',
    '',
  ].join('\n');
}

function files(): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < 100; i++) {
    out.set(`cp/${i}/kube-apiserver.yaml`, staticPod('kube-apiserver', APISERVER_FLAGS, i));
    out.set(
      `cp/${i}/kube-controller-manager.yaml`,
      staticPod('kube-controller-manager', ['bind-address=127.0.0.1', 'use-service-account-credentials=true', 'root-ca-file=/etc/kubernetes/pki/ca.crt'], i),
    );
    out.set(`cp/${i}/kube-scheduler.yaml`, staticPod('kube-scheduler', ['bind-address=127.0.0.1', 'leader-elect=true'], i));
    out.set(
      `cp/${i}/etcd.yaml`,
      staticPod('etcd', ['cert-file=/pki/server.crt', 'key-file=/pki/server.key', 'client-cert-auth=true', 'peer-client-cert-auth=true'], i),
    );
    out.set(`cp/${i}/kubeadm.yaml`, kubeadmFile(i));
    out.set(`k3s/${i}/etc/rancher/k3s/config.yaml`, k3sConfig(i));
  }
  return out;
}

function lintAll(rules: readonly Rule[], input: Map<string, string>): number {
  const engine = new Engine(new ResolvedConfig(rules, {}, 'all'));
  const index = new WorkspaceIndex();
  const start = process.hrtime.bigint();
  for (const [path, text] of input) engine.lint(path, text, { index });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function best(fn: () => number, runs = 3): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, fn());
  return min;
}

export function controlPlaneBench(): void {
  const input = files();
  const parse = best(() => {
    const start = process.hrtime.bigint();
    for (const text of input.values()) parseAllDocuments(text);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  const all = best(() => lintAll(ALL_RULES, input));
  const pack = best(() => lintAll(CONTROL_PLANE_RULES, input));
  console.log(`\ncontrol-plane pack: ${input.size} files (static pods, kubeadm, kubelet and k3s configs)`);
  console.log(`  bare YAML parse      ${parse.toFixed(1)} ms (1.0x)`);
  console.log(`  lint, every rule     ${all.toFixed(1)} ms (${(all / parse).toFixed(1)}x parse)`);
  console.log(`  lint, control plane  ${pack.toFixed(1)} ms (${(pack / parse).toFixed(1)}x parse; ${CONTROL_PLANE_RULES.length} rules)`);
}
