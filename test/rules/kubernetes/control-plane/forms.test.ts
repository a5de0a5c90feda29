/**
 * Every flag rule, in every form its setting can take. The values that must and must not fire,
 * and whether an absent flag fires in a static pod, a ClusterConfiguration (where kubeadm writes its
 * own defaults) or a KubeletConfiguration, are stated here by hand for each rule, not derived from
 * the rule's row. RuleTester applies every fix and re-lints the result.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidCase, RuleTester, ValidCase } from '../../../../rules/tester';
import { CONTROL_PLANE_FLAG_RULES, CONTROL_PLANE_ROWS } from '../../../../rules/kubernetes/control-plane';
import type { FlagRow } from '../../../../rules/kubernetes/control-plane/flagRule';
import {
  Flags,
  kubeadmList,
  kubeadmMap,
  kubeletConfig,
  kubeletExtraArgsList,
  kubeletExtraArgsMap,
  podHyperkube,
  podInline,
  podScript,
  podSeparate,
  rancherConfig,
} from './forms';

interface Sample {
  /** A flag value that must fire; null: leaving the flag out fires. */
  bad: string | null;
  /** A flag value that must not fire; null: leaving the flag out is fine. */
  good: string | null;
  /** Flags present in every case (the partner of a pair, what makes a check apply). */
  extra?: Flags;
  /** Flags added to the bad cases only (a plugin turned off elsewhere). */
  badExtra?: Flags;
  /** Leaving the flag out of a ClusterConfiguration fires (kubeadm writes nothing good for it). */
  kubeadmAbsentFires?: boolean;
  /** KubeletConfiguration: raw YAML for the field; null: leaving it out. */
  configBad?: string | null;
  configGood?: string | null;
  /** Flag-only kubelet settings have no KubeletConfiguration field. */
  flagOnly?: boolean;
}

const STRONG = 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384';
const WEAK = 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA';

const SAMPLES: Record<string, Sample> = {
  'apiserver-anonymous-auth': { bad: 'true', good: 'false', kubeadmAbsentFires: true },
  'apiserver-basic-auth-file': { bad: '/etc/kubernetes/basic.csv', good: null },
  'apiserver-token-auth-file': { bad: '/etc/kubernetes/tokens.csv', good: null },
  'apiserver-kubelet-https': { bad: 'false', good: 'true' },
  'apiserver-kubelet-client-cert': { bad: null, good: '/pki/kc.crt', extra: [['kubelet-client-key', '/pki/kc.key']], kubeadmAbsentFires: false },
  'apiserver-kubelet-certificate-authority': { bad: null, good: '/pki/ca.crt', kubeadmAbsentFires: true },
  'apiserver-authorization-always-allow': { bad: 'AlwaysAllow', good: 'Node,RBAC', kubeadmAbsentFires: false },
  'apiserver-authorization-node': { bad: 'RBAC', good: 'Node,RBAC', kubeadmAbsentFires: false },
  'apiserver-authorization-rbac': { bad: 'Node,Webhook', good: 'Node,RBAC', kubeadmAbsentFires: false },
  'apiserver-admission-event-rate-limit': { bad: 'NodeRestriction', good: 'NodeRestriction,EventRateLimit', kubeadmAbsentFires: true },
  'apiserver-admission-always-admit': { bad: 'NodeRestriction,AlwaysAdmit', good: 'NodeRestriction' },
  'apiserver-admission-always-pull-images': { bad: 'NodeRestriction', good: 'AlwaysPullImages,NodeRestriction', kubeadmAbsentFires: true },
  'apiserver-admission-deny-service-external-ips': {
    bad: 'NodeRestriction',
    good: 'NodeRestriction,DenyServiceExternalIPs',
    kubeadmAbsentFires: true,
  },
  'apiserver-service-account-extend-token-expiration': { bad: 'true', good: 'false', kubeadmAbsentFires: true },
  'apiserver-admission-service-account': { bad: 'NodeRestriction', good: 'NodeRestriction', badExtra: [['disable-admission-plugins', 'ServiceAccount']] },
  'apiserver-admission-namespace-lifecycle': {
    bad: 'NodeRestriction',
    good: 'NodeRestriction',
    badExtra: [['disable-admission-plugins', 'DefaultStorageClass,NamespaceLifecycle']],
  },
  'apiserver-admission-node-restriction': { bad: 'PodSecurity', good: 'NodeRestriction', kubeadmAbsentFires: false },
  'apiserver-admission-pod-security': { bad: 'NodeRestriction', good: 'NodeRestriction', badExtra: [['disable-admission-plugins', 'PodSecurity']] },
  'apiserver-insecure-bind-address': { bad: '0.0.0.0', good: null },
  'apiserver-insecure-port': { bad: '8080', good: '0' },
  'apiserver-secure-port-disabled': { bad: '0', good: '6443' },
  'apiserver-profiling': { bad: 'true', good: 'false', kubeadmAbsentFires: true },
  'apiserver-audit-log-path': { bad: null, good: '/var/log/audit.log', kubeadmAbsentFires: true },
  'apiserver-audit-policy-file': {
    bad: null,
    good: '/etc/kubernetes/audit-policy.yaml',
    extra: [['audit-log-path', '/var/log/audit.log']],
    kubeadmAbsentFires: true,
  },
  'apiserver-audit-log-maxage': { bad: '7', good: '30', extra: [['audit-log-path', '/var/log/audit.log']], kubeadmAbsentFires: true },
  'apiserver-audit-log-maxbackup': { bad: '3', good: '10', extra: [['audit-log-path', '/var/log/audit.log']], kubeadmAbsentFires: true },
  'apiserver-audit-log-maxsize': { bad: '10', good: '100', extra: [['audit-log-path', '/var/log/audit.log']], kubeadmAbsentFires: true },
  'apiserver-service-account-lookup': { bad: 'false', good: 'true' },
  'apiserver-service-account-key-file': { bad: null, good: '/pki/sa.pub', kubeadmAbsentFires: false },
  'apiserver-etcd-client-cert': { bad: null, good: '/pki/etcd.crt', extra: [['etcd-keyfile', '/pki/etcd.key']], kubeadmAbsentFires: false },
  'apiserver-tls-cert': { bad: null, good: '/pki/apiserver.crt', extra: [['tls-private-key-file', '/pki/apiserver.key']], kubeadmAbsentFires: false },
  'apiserver-client-ca-file': { bad: null, good: '/pki/ca.crt', kubeadmAbsentFires: false },
  'apiserver-etcd-cafile': { bad: null, good: '/pki/etcd-ca.crt', kubeadmAbsentFires: false },
  'apiserver-encryption-provider-config': { bad: null, good: '/etc/kubernetes/enc.yaml', kubeadmAbsentFires: true },
  'apiserver-tls-cipher-suites': { bad: WEAK, good: STRONG, kubeadmAbsentFires: true },
  'apiserver-tls-min-version': { bad: 'VersionTLS10', good: 'VersionTLS12' },
  'controller-manager-terminated-pod-gc-threshold': { bad: null, good: '10', kubeadmAbsentFires: true },
  'controller-manager-profiling': { bad: 'true', good: 'false', kubeadmAbsentFires: true },
  'controller-manager-service-account-credentials': { bad: 'false', good: 'true', kubeadmAbsentFires: false },
  'controller-manager-service-account-private-key': { bad: null, good: '/pki/sa.key', kubeadmAbsentFires: false },
  'controller-manager-root-ca-file': { bad: null, good: '/pki/ca.crt', kubeadmAbsentFires: false },
  'controller-manager-rotate-kubelet-server-certificate': { bad: 'RotateKubeletServerCertificate=false', good: 'RotateKubeletServerCertificate=true' },
  'controller-manager-bind-address': { bad: '0.0.0.0', good: '127.0.0.1', kubeadmAbsentFires: false },
  'scheduler-profiling': { bad: 'true', good: 'false', kubeadmAbsentFires: true },
  'scheduler-bind-address': { bad: '0.0.0.0', good: '127.0.0.1', kubeadmAbsentFires: false },
  'etcd-tls-cert': { bad: null, good: '/pki/etcd/server.crt', extra: [['key-file', '/pki/etcd/server.key']], kubeadmAbsentFires: false },
  'etcd-client-cert-auth': { bad: 'false', good: 'true', kubeadmAbsentFires: false },
  'etcd-auto-tls': { bad: 'true', good: 'false' },
  'etcd-peer-tls-cert': { bad: null, good: '/pki/etcd/peer.crt', extra: [['peer-key-file', '/pki/etcd/peer.key']], kubeadmAbsentFires: false },
  'etcd-peer-client-cert-auth': { bad: 'false', good: 'true', kubeadmAbsentFires: false },
  'etcd-peer-auto-tls': { bad: 'true', good: 'false' },
  'kubelet-anonymous-auth': { bad: 'true', good: 'false', configBad: 'true', configGood: null },
  'kubelet-authorization-always-allow': { bad: 'AlwaysAllow', good: 'Webhook', configBad: 'AlwaysAllow', configGood: null },
  'kubelet-client-ca-file': { bad: '', good: '/pki/ca.crt', configBad: null, configGood: '/etc/kubernetes/pki/ca.crt' },
  'kubelet-read-only-port': { bad: '10255', good: '0', configBad: '10255', configGood: null },
  'kubelet-streaming-idle-timeout': { bad: '0', good: '5m', flagOnly: true },
  'kubelet-protect-kernel-defaults': { bad: 'false', good: 'true', configBad: null, configGood: 'true' },
  'kubelet-make-iptables-util-chains': { bad: 'false', good: 'true', configBad: 'false', configGood: null },
  'kubelet-hostname-override': { bad: 'node-1.example.com', good: null, flagOnly: true },
  'kubelet-event-qps': { bad: '1', good: '50', configBad: '2', configGood: null },
  'kubelet-pod-pids-limit': { bad: '-1', good: '4096', configBad: null, configGood: '4096' },
  'kubelet-tls-cert': {
    bad: '',
    good: '/pki/kubelet.crt',
    extra: [['tls-private-key-file', '/pki/kubelet.key']],
    configBad: null,
    configGood: '/var/lib/kubelet/pki/kubelet.crt',
  },
  'kubelet-rotate-certificates': { bad: 'false', good: 'true', configBad: 'false', configGood: null },
  'kubelet-rotate-server-certificate': {
    bad: 'RotateKubeletServerCertificate=false',
    good: 'RotateKubeletServerCertificate=true',
    configBad: 'false',
    configGood: null,
  },
  'kubelet-tls-cipher-suites': { bad: WEAK, good: STRONG, configBad: `[${WEAK.replace(',', ', ')}]`, configGood: `[${STRONG.replace(',', ', ')}]` },
  'kubelet-tls-min-version': { bad: 'VersionTLS11', good: 'VersionTLS13', configBad: 'VersionTLS11', configGood: null },
  'kubelet-seccomp-default': { bad: 'false', good: 'true', configBad: null, configGood: 'true' },
};

const HYPERKUBE_SUB: Record<string, string> = { 'kube-apiserver': 'apiserver', 'kube-controller-manager': 'controller-manager', 'kube-scheduler': 'scheduler' };

function withFlag(row: FlagRow, value: string | null, s: Sample, bad: boolean): Flags {
  const flags: (readonly [string, string])[] = [...(s.extra ?? []), ...(bad ? (s.badExtra ?? []) : [])];
  if (value !== null) flags.push([row.flag, value]);
  return flags;
}

function componentCases(row: FlagRow, s: Sample): { valid: ValidCase[]; invalid: InvalidCase[] } {
  const valid: ValidCase[] = [];
  const invalid: InvalidCase[] = [];
  const c = row.component;
  const bad = withFlag(row, s.bad, s, true);
  const good = withFlag(row, s.good, s, false);
  const one = (name: string, code: string, text?: string, line?: number) => invalid.push({ name, code, errors: [{ text, line }] });
  valid.push({ name: 'static pod, --flag=value', code: podInline(c, good) });
  if (s.bad !== null) {
    one('static pod, --flag=value', podInline(c, bad), `--${row.flag}=${s.bad}`);
    if (row.type !== 'bool') {
      valid.push({ name: 'static pod, --flag value as two args items', code: podSeparate(c, good) });
      one('static pod, --flag value as two args items', podSeparate(c, bad), `--${row.flag}\n    - ${s.bad}`);
    }
    valid.push({ name: 'sh -c script', code: podScript(c, good) });
    one('sh -c script', podScript(c, bad), `--${row.flag}=${s.bad}`);
    // List flags accumulate over repetitions (hand-written cases cover that); others: the last wins.
    if (s.good !== null && row.type !== 'list' && row.type !== 'map') {
      one('repeated: the bad value comes last', podInline(c, [...good, [row.flag, s.bad]]), `--${row.flag}=${s.bad}`);
      valid.push({ name: 'repeated: the last value wins', code: podInline(c, [...bad, [row.flag, s.good]]) });
    }
  } else {
    one('static pod without the flag: reported on its command', podInline(c, bad), undefined, 10);
    valid.push({ name: 'sh -c script', code: podScript(c, good) });
    one('sh -c script without it', podScript(c, bad));
  }
  if (c === 'etcd') {
    valid.push({ name: 'etcd -flag=value (Go flag package)', code: podInline(c, good, '-') });
    one('etcd -flag=value (Go flag package)', podInline(c, bad, '-'));
  }
  if (HYPERKUBE_SUB[c]) one('hyperkube sub-command', podHyperkube(HYPERKUBE_SUB[c], bad));
  for (const [form, build] of [
    ['kubeadm v1beta3 extraArgs map', kubeadmMap],
    ['kubeadm v1beta4 extraArgs list', kubeadmList],
  ] as const) {
    valid.push({ name: `${form}, good value`, code: build(c, good) });
    if (s.bad !== null || s.kubeadmAbsentFires) one(`${form}, bad value`, build(c, bad));
    else valid.push({ name: `${form}: kubeadm writes a good default`, code: build(c, bad) });
  }
  rancherCases(row, s, bad, good, valid, invalid);
  return { valid, invalid };
}

/**
 * k3s/RKE2 config.yaml: a value given in the argument list is judged like any other; an absent
 * flag is not (k3s and RKE2 pass their own values), except where the distribution's default is
 * known (hand-written cases in rancher.test.ts).
 */
function rancherCases(row: FlagRow, s: Sample, bad: Flags, good: Flags, valid: ValidCase[], invalid: InvalidCase[]): void {
  const c = row.component;
  valid.push({ name: 'k3s config.yaml, good value', code: rancherConfig(c, good) });
  valid.push({ name: 'k3s config.yaml, --flag=value item, good value', code: rancherConfig(c, good, '--') });
  if (s.bad === null) {
    valid.push({ name: 'k3s config.yaml without the flag: k3s passes its own value', code: rancherConfig(c, bad) });
    return;
  }
  const item = `"${row.flag}=${s.bad}"`;
  invalid.push({ name: 'k3s config.yaml, flag=value item', code: rancherConfig(c, bad), errors: [{ text: item }] });
  invalid.push({ name: 'k3s config.yaml, --flag=value item', code: rancherConfig(c, bad, '--'), errors: [{ text: `"--${row.flag}=${s.bad}"` }] });
  if (s.good !== null && row.type !== 'list' && row.type !== 'map') {
    valid.push({ name: 'k3s config.yaml, repeated: the last value wins', code: rancherConfig(c, [...bad, [row.flag, s.good]]) });
  }
}

function kubeletCases(row: FlagRow, s: Sample): { valid: ValidCase[]; invalid: InvalidCase[] } {
  const valid: ValidCase[] = [];
  const invalid: InvalidCase[] = [];
  const bad = withFlag(row, s.bad, s, true);
  const good = withFlag(row, s.good, s, false);
  valid.push({ name: 'kubeletExtraArgs map, good value', code: kubeletExtraArgsMap(good) });
  valid.push({ name: 'kubeletExtraArgs list, good value', code: kubeletExtraArgsList(good) });
  valid.push({ name: 'kubeletExtraArgs without the flag: the KubeletConfiguration decides', code: kubeletExtraArgsMap([['node-labels', 'a=b']]) });
  invalid.push({ name: 'kubeletExtraArgs map (InitConfiguration v1beta3)', code: kubeletExtraArgsMap(bad), errors: [{}] });
  invalid.push({ name: 'kubeletExtraArgs list (JoinConfiguration v1beta4)', code: kubeletExtraArgsList(bad), errors: [{}] });
  if (!s.flagOnly && row.field) {
    const path = row.field.join('.');
    const partnerFields = (row.with ?? []).filter((p) => p.field).map((p) => [p.field!.join('.'), '/pki/partner'] as const);
    const fields = (v: string | null) => [...partnerFields, ...(v === null ? [] : [[path, v] as const])];
    valid.push({ name: 'KubeletConfiguration, good field', code: kubeletConfig(fields(s.configGood ?? null)) });
    invalid.push({
      name: 'KubeletConfiguration, bad field',
      code: kubeletConfig(fields(s.configBad ?? null)),
      errors: [{ text: s.configBad == null ? 'kind: KubeletConfiguration' : undefined }],
    });
  }
  rancherCases(row, s, bad, good, valid, invalid);
  return { valid, invalid };
}

describe('control-plane flag rules: every rule has samples', () => {
  it('a sample per rule, and no sample without a rule', () => {
    const ids = CONTROL_PLANE_ROWS.map((r) => r.id).sort();
    assert.deepEqual(Object.keys(SAMPLES).sort(), ids);
  });
  it('every rule names its CIS id first or says why not (no CIS item)', () => {
    for (const row of CONTROL_PLANE_ROWS) {
      const cis = row.references.filter((r) => r.startsWith('cis-k8s:'));
      if (cis.length) assert.match(row.references[0], /^cis-k8s:\d+\.\d+(\.\d+)?$/, row.id);
    }
  });
});

CONTROL_PLANE_ROWS.forEach((row, i) => {
  const sample = SAMPLES[row.id];
  if (!sample) return;
  const cases = row.component === 'kubelet' ? kubeletCases(row, sample) : componentCases(row, sample);
  RuleTester.run(CONTROL_PLANE_FLAG_RULES[i], cases);
});
