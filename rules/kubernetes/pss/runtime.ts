/** procMount, sysctls, Windows HostProcess and host fields of probes: the remaining baseline checks. */
import { isMap, Node, Pair, YAMLMap } from 'yaml';
import { findPair, getString, scalarValue, seqItems } from '../../../server/src/documents/yamlNodes';
import { mapOf, pssAtLeast, pssMinor, pssRule, PssContext, seqOf, usesUserNamespace } from './common';

const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

function procMounts(ctx: PssContext): { pair: Pair; label: string; value: string }[] {
  const out: { pair: Pair; label: string; value: string }[] = [];
  for (const c of ctx.pod.containers()) {
    const pair = findPair(c.securityContext, 'procMount', ctx.doc);
    const value = pair ? scalarValue(pair.value, ctx.doc) : undefined;
    if (pair && typeof value === 'string' && value !== 'Default' && value !== '') out.push({ pair, label: c.label, value });
  }
  return out;
}

function procMountFix(ctx: PssContext, pair: Pair) {
  const node = pair.value as Node;
  return [{ title: 'Use the default /proc mount', applicability: 'unsafe' as const, edits: () => [ctx.edit.replace(node, 'Default')] }];
}

export const unmaskedProcMount = pssRule(
  {
    id: 'unmasked-proc-mount',
    title: 'Unmasked /proc mount',
    category: 'workload-privileges',
    severity: 'error',
    description:
      '`procMount: Unmasked` removes the masking of sensitive /proc paths (kcore, sysrq-trigger, kernel ' +
      'keys) that keeps a container from reading kernel memory or rebooting the node. Forbidden by the Pod ' +
      'Security Standards baseline; since v1.35 the baseline allows it for pods in a user namespace ' +
      '(`hostUsers: false`), which the restricted level still forbids (`unmasked-proc-mount-restricted`).',
    remediation: 'Remove `procMount` or set it to `Default`.',
    references: ['pss:baseline/procMount', 'kube-linter:unsafe-proc-mount', 'trivy:KSV-0027', 'polaris:procMount'],
    fixes: [{ title: 'Use the default /proc mount', applicability: 'unsafe' }],
    docsUrl: `${PSS_DOCS}#baseline`,
  },
  { level: 'baseline', check: 'procMount' },
  (ctx) => {
    if (pssAtLeast(ctx.settings, 35) && usesUserNamespace(ctx.pod, ctx.doc)) return [];
    return procMounts(ctx).map((p) => ({
      at: p.pair,
      message: `${p.label} of ${ctx.object.label} sets procMount: ${p.value}.`,
      fixes: procMountFix(ctx, p.pair),
    }));
  },
);

export const unmaskedProcMountRestricted = pssRule(
  {
    id: 'unmasked-proc-mount-restricted',
    title: 'Unmasked /proc mount in a user-namespaced pod',
    category: 'workload-privileges',
    severity: 'warning',
    description:
      'The restricted level (v1.35+) requires the default /proc mount even for pods with `hostUsers: false`, ' +
      'which the baseline exempts. Other pods are reported by `unmasked-proc-mount`.',
    remediation: 'Remove `procMount` or set it to `Default`.',
    references: ['pss:restricted/procMount_restricted'],
    fixes: [{ title: 'Use the default /proc mount', applicability: 'unsafe' }],
    docsUrl: `${PSS_DOCS}#restricted`,
  },
  { level: 'restricted', check: 'procMount_restricted' },
  (ctx) => {
    if (!pssAtLeast(ctx.settings, 35) || !usesUserNamespace(ctx.pod, ctx.doc)) return [];
    return procMounts(ctx).map((p) => ({
      at: p.pair,
      message: `${p.label} of ${ctx.object.label} sets procMount: ${p.value}; the restricted level forbids it even with hostUsers: false.`,
      fixes: procMountFix(ctx, p.pair),
    }));
  },
);

/** The baseline's safe sysctls, by the version that added them. */
const SAFE_SYSCTLS: [number, string[]][] = [
  [
    0,
    ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range'],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

/** Safe sets by PSS minor version: asked for once per pod, so built once per version. */
const safeSysctlsByMinor = new Map<number, Set<string>>();

export function safeSysctls(settings: PssContext['settings']): Set<string> {
  const minor = pssMinor(settings);
  let safe = safeSysctlsByMinor.get(minor);
  if (!safe) {
    safe = new Set(SAFE_SYSCTLS.filter(([v]) => pssAtLeast(settings, v)).flatMap(([, names]) => names));
    safeSysctlsByMinor.set(minor, safe);
  }
  return safe;
}

export function unsafeSysctlItems(ctx: PssContext): { item: YAMLMap; namePair: Pair | undefined; name: string }[] {
  const safe = safeSysctls(ctx.settings);
  const out: { item: YAMLMap; namePair: Pair | undefined; name: string }[] = [];
  for (const item of seqItems(seqOf(ctx.pod.securityContext, 'sysctls', ctx.doc), ctx.doc)) {
    if (!isMap(item)) continue;
    const name = getString(item, 'name', ctx.doc) ?? '';
    if (!safe.has(name)) out.push({ item, namePair: findPair(item, 'name', ctx.doc), name });
  }
  return out;
}

export const unsafeSysctls = pssRule(
  {
    id: 'unsafe-sysctls',
    title: 'Pod sets a sysctl outside the safe set',
    category: 'workload-privileges',
    severity: 'error',
    description:
      'Sysctls outside the safe, namespaced set change kernel settings that other pods on the node share (memory ' +
      'overcommit, message queues, network stack of the node) or weaken protections. The Pod Security Standards ' +
      "baseline allows only the safe list of the standard's version (for example kernel.shm_rmid_forced, " +
      'net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, ' +
      'net.ipv4.ping_group_range, and the keepalive/rmem/wmem, slow-start and notsent_lowat settings added in ' +
      'v1.27-v1.37).',
    remediation: 'Remove the sysctl, or set it on the node for the node pool that needs it.',
    references: ['pss:baseline/sysctls', 'kube-linter:unsafe-sysctls', 'trivy:KSV-0026'],
    fixes: [],
    docsUrl: 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/',
  },
  { level: 'baseline', check: 'sysctls' },
  (ctx) =>
    unsafeSysctlItems(ctx).map((s) => ({
      at: s.namePair ?? s.item,
      message: `${ctx.object.label} sets sysctl ${s.name || '(unnamed)'}, which is not in the safe set.`,
    })),
);

export function hostProcessPairs(ctx: PssContext): { pair: Pair; where: string }[] {
  const out: { pair: Pair; where: string }[] = [];
  const check = (sc: YAMLMap | undefined, where: string) => {
    const pair = findPair(mapOf(sc, 'windowsOptions', ctx.doc), 'hostProcess', ctx.doc);
    if (pair && scalarValue(pair.value, ctx.doc) === true) out.push({ pair, where });
  };
  check(ctx.pod.securityContext, `the pod of ${ctx.object.label}`);
  for (const c of ctx.pod.containers()) check(c.securityContext, `${c.label} of ${ctx.object.label}`);
  return out;
}

export const windowsHostProcess = pssRule(
  {
    id: 'windows-host-process',
    title: 'Windows HostProcess container',
    category: 'workload-privileges',
    severity: 'error',
    description:
      "A Windows HostProcess container runs directly on the node, with the node's network and file system: the " +
      'Windows equivalent of a privileged pod. Forbidden by the Pod Security Standards baseline.',
    remediation: 'Remove `windowsOptions.hostProcess` (or set it to `false`).',
    references: ['pss:baseline/windowsHostProcess', 'trivy:KSV-0103', 'polaris:hostProcess'],
    fixes: [{ title: 'Set hostProcess: false', applicability: 'unsafe' }],
    docsUrl: 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/',
  },
  { level: 'baseline', check: 'windowsHostProcess' },
  (ctx) =>
    hostProcessPairs(ctx).map(({ pair, where }) => ({
      at: pair,
      message: `${where} runs as a Windows HostProcess container.`,
      fixes: [{ title: 'Set hostProcess: false', applicability: 'unsafe' as const, edits: () => [ctx.edit.replace(pair.value as Node, 'false')] }],
    })),
);

const HANDLERS = ['livenessProbe', 'readinessProbe', 'startupProbe'];

export function hostFieldPairs(ctx: PssContext): { map: YAMLMap; pair: Pair; where: string }[] {
  const out: { map: YAMLMap; pair: Pair; where: string }[] = [];
  for (const c of ctx.pod.containers()) {
    const handlers: [string, YAMLMap | undefined][] = HANDLERS.map((h) => [h, mapOf(c.node, h, ctx.doc)]);
    const lifecycle = mapOf(c.node, 'lifecycle', ctx.doc);
    for (const h of ['postStart', 'preStop']) handlers.push([`lifecycle.${h}`, mapOf(lifecycle, h, ctx.doc)]);
    for (const [name, handler] of handlers) {
      for (const action of ['httpGet', 'tcpSocket']) {
        const map = mapOf(handler, action, ctx.doc);
        const pair = findPair(map, 'host', ctx.doc);
        const value = pair ? scalarValue(pair.value, ctx.doc) : undefined;
        if (map && pair && value !== '' && value !== null && value !== undefined) out.push({ map, pair, where: `${name}.${action} of ${c.label}` });
      }
    }
  }
  return out;
}

export const hostProbeOrLifecycle = pssRule(
  {
    id: 'host-probe-or-lifecycle',
    title: 'Probe or lifecycle hook targets another host',
    category: 'network',
    severity: 'warning',
    description:
      'A `host` in an httpGet or tcpSocket probe or lifecycle hook makes the kubelet connect to that address ' +
      'from the node: a way to reach node-local or internal services (server-side request forgery through the ' +
      'kubelet). The Pod Security Standards baseline forbids it since v1.34.',
    remediation: "Remove `host`; the kubelet then connects to the pod's own IP.",
    references: ['pss:baseline/hostProbesAndHostLifecycle'],
    fixes: [{ title: 'Remove host', applicability: 'unsafe' }],
    docsUrl: `${PSS_DOCS}#baseline`,
  },
  { level: 'baseline', check: 'hostProbesAndHostLifecycle' },
  (ctx) => {
    if (!pssAtLeast(ctx.settings, 34)) return [];
    return hostFieldPairs(ctx).map(({ map, pair, where }) => ({
      at: pair,
      message: `${where} of ${ctx.object.label} connects to host ${String(scalarValue(pair.value, ctx.doc))} from the node.`,
      fixes: [{ title: 'Remove host', applicability: 'unsafe' as const, edits: () => [ctx.edit.removePair(map, pair)] }],
    }));
  },
);
