/**
 * Builders for the shapes a control-plane setting takes in files: a static pod's command line
 * (`--flag=value`, `--flag value`, `sh -c` scripts, repeated flags, `-flag` for etcd, hyperkube),
 * kubeadm ClusterConfiguration extraArgs (v1beta3 map, v1beta4 list), kubeletExtraArgs and
 * KubeletConfiguration fields.
 */
export type Flags = readonly (readonly [string, string])[];

export const BINARY: Record<string, string> = {
  'kube-apiserver': 'kube-apiserver',
  'kube-controller-manager': 'kube-controller-manager',
  'kube-scheduler': 'kube-scheduler',
  etcd: 'etcd',
};

const HEAD = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: kube-system\nspec:\n  hostNetwork: true\n  containers:\n  - name: ${name}\n    image: registry.k8s.io/${name}:v1.30.0\n`;

/** `command: [binary, --a=b, ...]` as a block list. */
export function podInline(component: string, flags: Flags, dash = '--'): string {
  const bin = BINARY[component];
  return HEAD(bin) + `    command:\n    - ${bin}\n` + flags.map(([f, v]) => `    - ${dash}${f}=${v}\n`).join('');
}

/** `command: [binary]`, `args: [--flag, value, ...]`: each flag and its value as separate items. */
export function podSeparate(component: string, flags: Flags): string {
  const bin = BINARY[component];
  return HEAD(bin) + `    command:\n    - ${bin}\n    args:\n` + flags.map(([f, v]) => `    - --${f}\n    - ${v}\n`).join('');
}

/** `command: ["/bin/sh", "-c", "exec binary --a=b ..."]`. */
export function podScript(component: string, flags: Flags): string {
  const bin = BINARY[component];
  return HEAD(bin) + `    command: ["/bin/sh", "-c", "exec /usr/local/bin/${bin} ${flags.map(([f, v]) => `--${f}=${v}`).join(' ')}"]\n`;
}

/** hyperkube's sub-command form: `/hyperkube apiserver --a=b`. */
export function podHyperkube(sub: string, flags: Flags): string {
  return HEAD(`kube-${sub}`) + `    command:\n    - /hyperkube\n    - ${sub}\n` + flags.map(([f, v]) => `    - --${f}=${v}\n`).join('');
}

const KUBEADM_PATH: Record<string, string[]> = {
  'kube-apiserver': ['apiServer'],
  'kube-controller-manager': ['controllerManager'],
  'kube-scheduler': ['scheduler'],
  etcd: ['etcd', 'local'],
};

function nest(path: readonly string[], body: string[]): string {
  let lines = body;
  for (let i = path.length - 1; i >= 0; i--) lines = [`${path[i]}:`, ...lines.map((l) => `  ${l}`)];
  return lines.join('\n') + '\n';
}

/** ClusterConfiguration v1beta3 with `extraArgs` as a map (an empty map when no flags). */
export function kubeadmMap(component: string, flags: Flags): string {
  const body = flags.length ? ['extraArgs:', ...flags.map(([f, v]) => `  ${f}: ${JSON.stringify(v)}`)] : ['certSANs: [cp.example.com]'];
  return 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.30.0\n' + nest(KUBEADM_PATH[component], body);
}

/** ClusterConfiguration v1beta4 with `extraArgs` as a list of name/value. */
export function kubeadmList(component: string, flags: Flags): string {
  const body = flags.length
    ? ['extraArgs:', ...flags.flatMap(([f, v]) => [`  - name: ${f}`, `    value: ${JSON.stringify(v)}`])]
    : ['certSANs: [cp.example.com]'];
  return 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.31.0\n' + nest(KUBEADM_PATH[component], body);
}

/** InitConfiguration v1beta3 with `nodeRegistration.kubeletExtraArgs` as a map. */
export function kubeletExtraArgsMap(flags: Flags): string {
  return (
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\nnodeRegistration:\n  name: cp-1\n  kubeletExtraArgs:\n' +
    flags.map(([f, v]) => `    ${f}: ${JSON.stringify(v)}\n`).join('')
  );
}

/** JoinConfiguration v1beta4 with `nodeRegistration.kubeletExtraArgs` as a list. */
export function kubeletExtraArgsList(flags: Flags): string {
  return (
    'apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\nnodeRegistration:\n  name: node-1\n  kubeletExtraArgs:\n' +
    flags.map(([f, v]) => `  - name: ${f}\n    value: ${JSON.stringify(v)}\n`).join('')
  );
}

/** KubeletConfiguration with `field` (a dotted path) set to raw YAML `value`; always has `cgroupDriver` so it is never empty. */
export function kubeletConfig(fields: readonly (readonly [string, string])[]): string {
  let out = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n';
  for (const [path, value] of fields) {
    const parts = path.split('.');
    out += parts.map((p, i) => `${'  '.repeat(i)}${p}:${i === parts.length - 1 ? ` ${value}` : ''}\n`).join('');
  }
  return out;
}

const RANCHER_ARG_KEY: Record<string, string> = {
  'kube-apiserver': 'kube-apiserver-arg',
  'kube-controller-manager': 'kube-controller-manager-arg',
  'kube-scheduler': 'kube-scheduler-arg',
  etcd: 'etcd-arg',
  kubelet: 'kubelet-arg',
};

/**
 * A k3s/RKE2 `config.yaml` (no apiVersion, no kind) with the component's flags as `flag=value`
 * items (`dash` `--` for the form with dashes, which k3s trims).
 */
export function rancherConfig(component: string, flags: Flags, dash = ''): string {
  const head = 'write-kubeconfig-mode: "0600"\ntls-san:\n  - cp.example.com\n';
  if (!flags.length) return head;
  return head + `${RANCHER_ARG_KEY[component]}:\n` + flags.map(([f, v]) => `  - ${JSON.stringify(`${dash}${f}=${v}`)}\n`).join('');
}
