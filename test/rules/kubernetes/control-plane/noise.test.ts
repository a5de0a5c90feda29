/**
 * Noise on what kubeadm generates (`kubeadm-defaults/`): an untouched kubeadm cluster fails a known
 * handful of CIS items, and only those may be reported. Anything else firing on these files is a
 * false positive (kubeadm sets authorization, admission, certificates, bind addresses and etcd TLS).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CONTROL_PLANE_RULES } from '../../../../rules/kubernetes/control-plane';
import { ResolvedConfig } from '../../../../server/src/engine/config';
import { Engine } from '../../../../server/src/engine/engine';
import { REPO_ROOT } from '../../../support/paths';

const DIR = path.join(REPO_ROOT, 'test', 'rules', 'kubernetes', 'control-plane', 'kubeadm-defaults');

/** The CIS items kubeadm's defaults fail (kube-bench reports the same on a fresh kubeadm cluster), per file. */
const EXPECTED: Record<string, string[]> = {
  'kube-apiserver.yaml': [
    'apiserver-anonymous-auth', // 1.2.1: kubeadm leaves the default (its probes use /livez anonymously)
    'apiserver-kubelet-certificate-authority', // 1.2.5 (info)
    'apiserver-admission-event-rate-limit', // 1.2.9 (info)
    'apiserver-admission-always-pull-images', // 1.2.11 (info)
    'apiserver-profiling', // 1.2.17
    'apiserver-audit-log-path', // 1.2.18
    'apiserver-encryption-provider-config', // 1.2.29
    'apiserver-tls-cipher-suites', // 1.2.31 (info)
    'apiserver-admission-deny-service-external-ips', // beyond CIS v1.24 (info; Kubescape C-0283)
    'apiserver-service-account-extend-token-expiration', // beyond CIS (info; Kubescape C-0290)
  ],
  'kube-controller-manager.yaml': [
    'controller-manager-terminated-pod-gc-threshold', // 1.3.1 (info)
    'controller-manager-profiling', // 1.3.2
  ],
  'kube-scheduler.yaml': ['scheduler-profiling'], // 1.4.1
  'etcd.yaml': [],
  'kubelet-config.yaml': [
    'kubelet-protect-kernel-defaults', // 4.2.6 (info)
    'kubelet-tls-cert', // 4.2.10 (info; kubeadm uses self-signed serving certificates)
    'kubelet-tls-cipher-suites', // 4.2.13 (info)
    'kubelet-seccomp-default', // beyond CIS (info)
    'kubelet-pod-pids-limit', // beyond CIS (info; Kubescape C-0284)
  ],
  // The ClusterConfiguration gets kubeadm's defaults: the same items as the static pods it generates.
  'kubeadm-init-defaults.yaml': [
    'apiserver-admission-always-pull-images',
    'apiserver-admission-deny-service-external-ips',
    'apiserver-admission-event-rate-limit',
    'apiserver-anonymous-auth',
    'apiserver-audit-log-path',
    'apiserver-encryption-provider-config',
    'apiserver-kubelet-certificate-authority',
    'apiserver-profiling',
    'apiserver-service-account-extend-token-expiration',
    'apiserver-tls-cipher-suites',
    'controller-manager-profiling',
    'controller-manager-terminated-pod-gc-threshold',
    'scheduler-profiling',
  ],
};

function firing(file: string, profile: 'all' | 'recommended'): string[] {
  const config = new ResolvedConfig(CONTROL_PLANE_RULES, {}, profile);
  const result = new Engine(config).lint(file, fs.readFileSync(path.join(DIR, file), 'utf8'));
  assert.equal(result.internalErrors.length, 0);
  return [...new Set(result.findings.map((f) => f.ruleId))].sort();
}

describe('control-plane rules on kubeadm defaults', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: only the CIS items kubeadm fails`, () => {
      assert.deepEqual(firing(file, 'all'), [...expected].sort());
    });
  }
  it('the recommended profile reports 6 findings over the generated static pods and kubelet config', () => {
    const files = Object.keys(EXPECTED).filter((f) => f !== 'kubeadm-init-defaults.yaml');
    const total = files.reduce((n, f) => n + firing(f, 'recommended').length, 0);
    // anonymous-auth, profiling x3, audit-log-path, encryption-provider-config: the CIS items a
    // hardened kubeadm cluster sets through ClusterConfiguration extraArgs.
    assert.equal(total, 6);
  });
});
