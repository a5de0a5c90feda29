/**
 * Absent flags judged by the defaults of the Kubernetes version in force: the one the file names
 * (a static pod's image tag, kubeadm's `kubernetesVersion`, Cluster API's `spec.version`), else
 * `settings.kubernetesVersion`, else the latest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../../rules/tester';
import { CONTROL_PLANE_FLAG_RULES } from '../../../../rules/kubernetes/control-plane';
import { minorVersion } from '../../../../rules/kubernetes/control-plane/flagRule';
import { ConfigError, parseConfig } from '../../../../server/src/engine/config';
import { kubeletConfig } from './forms';

const rule = (id: string) => {
  const r = CONTROL_PLANE_FLAG_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

const apiserverPod = (image: string, flags: string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: ${image}\n    command:\n    - kube-apiserver\n` +
  flags.map((f) => `    - ${f}\n`).join('');
const BASE = ['--authorization-mode=Node,RBAC', '--secure-port=6443'];
const clusterConfig = (version: string, extra: string) =>
  `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: ${version}\napiServer:\n  extraArgs:\n${extra}`;
const UNTAGGED = 'registry.example.com/kube-apiserver@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('minorVersion', () => {
  it('reads the forms versions are written in', () => {
    assert.equal(minorVersion('v1.30.2'), 30);
    assert.equal(minorVersion('1.19'), 19);
    assert.equal(minorVersion('v1.29.0-rc.1'), 29);
    assert.equal(minorVersion('v1.30.1+k3s1'), 30);
    assert.equal(minorVersion('latest'), undefined);
    assert.equal(minorVersion('v2.0'), undefined);
    assert.equal(minorVersion(130), undefined);
  });
  it('the setting is validated', () => {
    assert.deepEqual(parseConfig('settings:\n  kubernetesVersion: "1.30"\n').settings, { kubernetesVersion: '1.30' });
    assert.throws(
      () => parseConfig('settings:\n  kubernetesVersion: thirty\n'),
      (e: unknown) => e instanceof ConfigError && /kubernetesVersion/.test(e.message),
    );
  });
});

RuleTester.run(rule('apiserver-insecure-port'), {
  valid: [
    { name: '1.30 image: the insecure port is gone', code: apiserverPod('registry.k8s.io/kube-apiserver:v1.30.0', BASE) },
    { name: '1.19 image with --insecure-port=0', code: apiserverPod('k8s.gcr.io/kube-apiserver:v1.19.16', [...BASE, '--insecure-port=0']) },
    { name: 'no tag, setting 1.30', code: apiserverPod(UNTAGGED, BASE), settings: { kubernetesVersion: '1.30' } },
    { name: 'no tag, no setting: the latest', code: apiserverPod(UNTAGGED, BASE) },
    {
      name: 'the image tag wins over the setting',
      code: apiserverPod('registry.k8s.io/kube-apiserver:v1.30.0', BASE),
      settings: { kubernetesVersion: '1.18' },
    },
    { name: 'kubeadm 1.19 writes --insecure-port=0 itself', code: clusterConfig('v1.19.0', '    profiling: "false"\n') },
  ],
  invalid: [
    {
      name: '1.19 image without the flag: 8080 by default',
      code: apiserverPod('k8s.gcr.io/kube-apiserver:v1.19.16', BASE),
      errors: [
        {
          line: 9,
          message:
            /^kube-apiserver in Pod\/kube-apiserver leaves --insecure-port at its default in Kubernetes 1\.19, 8080: the insecure port serves the whole API/,
        },
      ],
      output: apiserverPod('k8s.gcr.io/kube-apiserver:v1.19.16', [...BASE, '--insecure-port=0']),
    },
    {
      name: 'no tag, setting 1.19',
      code: apiserverPod(UNTAGGED, BASE),
      settings: { kubernetesVersion: '1.19' },
      errors: [{ message: /in Kubernetes 1\.19, 8080/ }],
      output: apiserverPod(UNTAGGED, [...BASE, '--insecure-port=0']),
    },
  ],
});

RuleTester.run(rule('apiserver-admission-pod-security'), {
  valid: [
    { name: '1.22: PodSecurityPolicy era, not judged', code: clusterConfig('v1.22.4', '    disable-admission-plugins: PodSecurity\n') },
    { name: '1.30, left on', code: clusterConfig('v1.30.0', '    enable-admission-plugins: NodeRestriction\n') },
  ],
  invalid: [
    {
      name: '1.30, turned off',
      code: clusterConfig('v1.30.0', '    disable-admission-plugins: PodSecurity\n'),
      errors: [{ message: /--disable-admission-plugins turns PodSecurity off/ }],
    },
  ],
});

RuleTester.run(rule('kubelet-seccomp-default'), {
  valid: [
    { name: '1.24: seccompDefault needs an alpha gate, not judged', code: kubeletConfig([]), settings: { kubernetesVersion: '1.24' } },
    { name: '1.30, on', code: kubeletConfig([['seccompDefault', 'true']]), settings: { kubernetesVersion: '1.30' } },
  ],
  invalid: [
    {
      name: '1.30, absent',
      code: kubeletConfig([]),
      settings: { kubernetesVersion: '1.30' },
      errors: [{ message: /^kubelet in KubeletConfiguration leaves seccompDefault at its default, false/ }],
      output: `${kubeletConfig([])}seccompDefault: true\n`,
    },
  ],
});

for (const id of ['apiserver-authorization-always-allow', 'apiserver-authorization-node', 'apiserver-authorization-rbac']) {
  RuleTester.run(rule(id), {
    valid: [
      {
        name: 'modes from --authorization-config (1.29+): the flag must be absent',
        code: apiserverPod('registry.k8s.io/kube-apiserver:v1.31.0', ['--authorization-config=/etc/kubernetes/authz.yaml']),
      },
    ],
    invalid: [
      {
        name: 'neither: AlwaysAllow by default',
        code: apiserverPod('registry.k8s.io/kube-apiserver:v1.31.0', ['--secure-port=6443']),
        errors: [{ message: /leaves --authorization-mode at its default, AlwaysAllow/ }],
      },
    ],
  });
}

RuleTester.run(rule('apiserver-admission-deny-service-external-ips'), {
  valid: [
    { name: '1.16 image: the plugin does not exist yet', code: apiserverPod('k8s.gcr.io/kube-apiserver:v1.16.2', BASE) },
    { name: 'no tag, setting 1.20', code: apiserverPod(UNTAGGED, BASE), settings: { kubernetesVersion: '1.20' } },
  ],
  invalid: [
    { name: '1.21 image: the plugin exists and is off', code: apiserverPod('registry.k8s.io/kube-apiserver:v1.21.0', BASE), errors: [{}] },
    { name: 'no tag, setting 1.30', code: apiserverPod(UNTAGGED, BASE), settings: { kubernetesVersion: '1.30' }, errors: [{}] },
  ],
});

RuleTester.run(rule('apiserver-service-account-extend-token-expiration'), {
  valid: [{ name: '1.20 image: pods still get legacy tokens', code: apiserverPod('k8s.gcr.io/kube-apiserver:v1.20.15', BASE) }],
  invalid: [
    {
      name: '1.30 image: the default extends projected tokens to a year',
      code: apiserverPod('registry.k8s.io/kube-apiserver:v1.30.0', BASE),
      errors: [{ message: /leaves --service-account-extend-token-expiration at its default, true:/ }],
    },
  ],
});

// Certificate and key pairs: one finding when neither is set, the missing half named when one is.
RuleTester.run(rule('apiserver-tls-cert'), {
  valid: [
    { name: 'both set', code: apiserverPod('registry.k8s.io/kube-apiserver:v1.30.0', [...BASE, '--tls-cert-file=/a.crt', '--tls-private-key-file=/a.key']) },
  ],
  invalid: [
    {
      name: 'neither set: one finding naming both',
      code: apiserverPod('registry.k8s.io/kube-apiserver:v1.30.0', BASE),
      errors: [{ message: /^kube-apiserver in Pod\/kube-apiserver does not set --tls-cert-file or --tls-private-key-file: / }],
    },
    {
      name: 'the key missing',
      code: apiserverPod('registry.k8s.io/kube-apiserver:v1.30.0', [...BASE, '--tls-cert-file=/a.crt']),
      errors: [{ message: /^kube-apiserver in Pod\/kube-apiserver does not set --tls-private-key-file: / }],
    },
    {
      name: 'the certificate missing',
      code: apiserverPod('registry.k8s.io/kube-apiserver:v1.30.0', [...BASE, '--tls-private-key-file=/a.key']),
      errors: [{ message: /^kube-apiserver in Pod\/kube-apiserver does not set --tls-cert-file: / }],
    },
  ],
});

RuleTester.run(rule('kubelet-tls-cert'), {
  valid: [
    {
      name: 'both fields',
      code: kubeletConfig([
        ['tlsCertFile', '/a.crt'],
        ['tlsPrivateKeyFile', '/a.key'],
      ]),
    },
  ],
  invalid: [
    {
      name: 'KubeletConfiguration with neither: one finding',
      code: kubeletConfig([]),
      errors: [{ message: /^kubelet in KubeletConfiguration does not set tlsCertFile or tlsPrivateKeyFile: / }],
    },
  ],
});
