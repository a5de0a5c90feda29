/**
 * k3s/RKE2 `config.yaml`: recognised by its keys or its path (never by a lone generic key), every
 * flag row reading `kube-apiserver-arg` and the like, and the rules of its own top-level keys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../../rules/tester';
import { ALL_RULES } from '../../../../rules';
import { ResolvedConfig } from '../../../../server/src/engine/config';
import { Engine } from '../../../../server/src/engine/engine';
import { CONTROL_PLANE_FLAG_RULES } from '../../../../rules/kubernetes/control-plane';
import { rancherCredentialInFile, rancherKubeconfigMode, rancherSecretsEncryption } from '../../../../rules/kubernetes/control-plane/rancher';
import { classify } from '../../../../server/src/documents/classify';
import { looksLikeRancherConfig } from '../../../../server/src/documents/rancherConfig';

const rule = (id: string) => {
  const r = CONTROL_PLANE_FLAG_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

const K3S_PATH = 'ansible/roles/k3s/files/etc/rancher/k3s/config.yaml';
const RKE2_PATH = 'etc/rancher/rke2/config.yaml';

describe('k3s/RKE2 config.yaml is recognised', () => {
  it('by its keys, whatever the file name', () => {
    assert.equal(classify('infra/server.yaml', 'cluster-init: true\nkube-apiserver-arg:\n  - anonymous-auth=true\n'), 'kubernetes');
    assert.equal(classify('infra/server.yaml', 'write-kubeconfig-mode: "0644"\ntls-san: [a.example.com]\n# comment\n'), 'kubernetes');
  });
  it('by generic keys only at the path k3s/RKE2 read', () => {
    assert.equal(looksLikeRancherConfig(K3S_PATH, 'token: abc\nserver: https://10.0.0.1:6443\n'), true);
    assert.equal(looksLikeRancherConfig('etc/rancher/rke2/config.yaml.d/10-join.yaml', 'token: abc\n'), true);
    assert.equal(looksLikeRancherConfig('app/config.yaml', 'token: abc\nserver: https://api.example.com\n'), false);
  });
  it("not when most keys are another tool's, nor with apiVersion or kind", () => {
    assert.equal(classify('app/config.yaml', 'token: abc\nendpoint: x\nretries: 3\ncluster-cidr: 10.0.0.0/8\nlog-level: info\n'), 'other');
    assert.equal(looksLikeRancherConfig(K3S_PATH, 'apiVersion: v1\nkind: Config\ntoken: abc\n'), false);
    assert.equal(classify('.github/workflows/ci.yaml', 'name: ci\non: push\njobs:\n  a:\n    runs-on: x\n'), 'other');
  });
});

RuleTester.run(rule('apiserver-anonymous-auth'), {
  valid: [
    { name: 'k3s default (k3s passes --anonymous-auth=false)', code: 'cluster-init: true\nkube-apiserver-arg:\n  - profiling=false\n' },
    {
      name: 'an app config with the same list name is not read without k3s keys around it',
      code: 'kube-apiserver-arg: [anonymous-auth=true]\nendpoint: x\nretries: 3\nlevel: y\n',
      path: 'app/settings.yaml',
    },
  ],
  invalid: [
    {
      name: 'flag=value item: set in place, other items untouched',
      code: '# k3s server\ncluster-init: true\nkube-apiserver-arg:\n  - "audit-log-path=/var/log/audit.log"\n  - "anonymous-auth=true"  # for probes\n',
      errors: [
        {
          text: '"anonymous-auth=true"',
          line: 4,
          message:
            'kube-apiserver in k3s/RKE2 config (kube-apiserver-arg) sets --anonymous-auth=true: requests without credentials are served as system:anonymous, and any RBAC binding to system:unauthenticated or system:anonymous opens the API to the network.',
        },
      ],
      output: '# k3s server\ncluster-init: true\nkube-apiserver-arg:\n  - "audit-log-path=/var/log/audit.log"\n  - "anonymous-auth=false"  # for probes\n',
    },
    {
      name: 'k3s path names the distribution; --flag form keeps its dashes',
      path: K3S_PATH,
      code: 'token-file: /etc/k3s-token\nkube-apiserver-arg:\n- --anonymous-auth=true\n',
      errors: [{ message: /^kube-apiserver in k3s config \(kube-apiserver-arg\) sets --anonymous-auth=true:/ }],
      output: 'token-file: /etc/k3s-token\nkube-apiserver-arg:\n- --anonymous-auth=false\n',
    },
    {
      name: 'a bare flag without =value means true',
      code: 'cluster-init: true\nkube-apiserver-arg: [anonymous-auth, profiling=false]\n',
      errors: [{ text: 'anonymous-auth' }],
      output: 'cluster-init: true\nkube-apiserver-arg: [anonymous-auth=false, profiling=false]\n',
    },
    {
      name: 'one string instead of a list',
      code: 'cluster-init: true\nkube-apiserver-arg: anonymous-auth=true\n',
      errors: [{ text: 'anonymous-auth=true' }],
      output: 'cluster-init: true\nkube-apiserver-arg: anonymous-auth=false\n',
    },
    {
      name: 'generic keys at the k3s path',
      path: 'etc/rancher/k3s/config.yaml.d/99-debug.yaml',
      code: 'debug: true\nkube-apiserver-arg: [anonymous-auth=true]\n',
      errors: [{}],
      output: 'debug: true\nkube-apiserver-arg: [anonymous-auth=false]\n',
    },
  ],
});

RuleTester.run(rule('apiserver-token-auth-file'), {
  valid: ['cluster-init: true\nkube-apiserver-arg:\n  - profiling=false\n'],
  invalid: [
    {
      name: 'the item removed, the list keeps its other items',
      code: 'cluster-init: true\nkube-apiserver-arg:\n  - token-auth-file=/etc/tokens.csv\n  - profiling=false\nnode-taint:\n  - CriticalAddonsOnly=true:NoExecute\n',
      errors: [{ text: 'token-auth-file=/etc/tokens.csv' }],
      output: 'cluster-init: true\nkube-apiserver-arg:\n  - profiling=false\nnode-taint:\n  - CriticalAddonsOnly=true:NoExecute\n',
    },
  ],
});

RuleTester.run(rule('kubelet-read-only-port'), {
  valid: ['node-ip: 10.0.0.5\nkubelet-arg:\n  - read-only-port=0\n', 'node-ip: 10.0.0.5\nkubelet-arg:\n  - read-only-port=10255\n  - read-only-port=0\n'],
  invalid: [
    {
      name: 'kubelet-arg on an agent config',
      code: 'server: https://10.0.0.1:6443\nnode-ip: 10.0.0.5\nkubelet-arg:\n  - "read-only-port=10255"\n',
      errors: [{ message: /^kubelet in k3s\/RKE2 config \(kubelet-arg\) sets --read-only-port=10255/ }],
      output: 'server: https://10.0.0.1:6443\nnode-ip: 10.0.0.5\nkubelet-arg:\n  - "read-only-port=0"\n',
    },
  ],
});

RuleTester.run(rule('kubelet-protect-kernel-defaults'), {
  valid: [
    { name: 'distribution unknown: k3s/RKE2 default not judged', code: 'node-ip: 10.0.0.5\ntls-san: [a]\n' },
    { name: 'top-level key on', path: K3S_PATH, code: 'protect-kernel-defaults: true\ntls-san: [a]\n' },
    { name: 'RKE2 CIS profile turns it on', path: RKE2_PATH, code: 'profile: cis\ntls-san: [a]\n' },
    { name: 'a drop-in: config.yaml may set it', path: 'etc/rancher/k3s/config.yaml.d/99-vip.yaml', code: 'kube-apiserver-arg:\n  - anonymous-auth=false\n' },
    {
      name: 'kubelet-arg overrides the top-level key',
      path: K3S_PATH,
      code: 'protect-kernel-defaults: false\nkubelet-arg:\n  - protect-kernel-defaults=true\n',
    },
  ],
  invalid: [
    {
      name: "k3s default off (no fix: the node's sysctls must be tuned first)",
      path: K3S_PATH,
      code: 'tls-san:\n  - cp.example.com\n',
      errors: [{ text: 'tls-san', message: /^kubelet in k3s config \(kubelet-arg\) leaves --protect-kernel-defaults at the k3s default, false:/ }],
    },
    {
      name: 'top-level key off',
      path: RKE2_PATH,
      code: 'profile: cis-1.23\nprotect-kernel-defaults: false\n',
      errors: [{ text: 'protect-kernel-defaults: false' }],
    },
  ],
});

RuleTester.run(rancherSecretsEncryption, {
  valid: [
    { name: 'on', path: K3S_PATH, code: 'secrets-encryption: true\ntls-san: [a]\n' },
    { name: 'RKE2 always encrypts', path: RKE2_PATH, code: 'tls-san: [a]\n' },
    { name: 'distribution unknown', code: 'cluster-init: true\ntls-san: [a]\n' },
    { name: 'a k3s drop-in without it', path: 'etc/rancher/k3s/config.yaml.d/10-san.yaml', code: 'tls-san: [a]\n' },
    {
      name: 'encryption configured by hand',
      path: K3S_PATH,
      code: 'secrets-encryption: false\nkube-apiserver-arg:\n  - encryption-provider-config=/etc/enc.yaml\n',
    },
  ],
  invalid: [
    {
      name: 'off',
      code: 'cluster-init: true\nsecrets-encryption: false\n',
      errors: [
        {
          text: 'secrets-encryption: false',
          message: 'k3s/RKE2 config sets secrets-encryption: false: Secrets are stored in plain text in the datastore and its snapshots.',
        },
      ],
      output: 'cluster-init: true\nsecrets-encryption: true\n',
    },
    {
      name: 'absent from a k3s config',
      path: K3S_PATH,
      code: 'cluster-init: true\r\ntls-san:\r\n  - cp.example.com\r\n',
      errors: [
        {
          text: 'cluster-init',
          message: 'k3s config does not set secrets-encryption, so k3s stores Secrets in plain text in the datastore and its snapshots.',
        },
      ],
      output: 'cluster-init: true\r\ntls-san:\r\n  - cp.example.com\r\nsecrets-encryption: true\r\n',
    },
  ],
});

RuleTester.run(rancherKubeconfigMode, {
  valid: [
    'write-kubeconfig-mode: "0600"\ncluster-init: true\n',
    'write-kubeconfig-mode: "0640"\nwrite-kubeconfig-group: k8s-admins\n',
    'write-kubeconfig-mode: 600\ncluster-init: true\n',
  ],
  invalid: [
    {
      name: 'quoted 0644',
      code: 'cluster-init: true\nwrite-kubeconfig-mode: "0644"\n',
      errors: [
        {
          text: 'write-kubeconfig-mode: "0644"',
          message: 'k3s/RKE2 config sets write-kubeconfig-mode: 0644: every local user can read the cluster-admin credentials in the kubeconfig k3s writes.',
        },
      ],
      output: 'cluster-init: true\nwrite-kubeconfig-mode: "0600"\n',
    },
    {
      name: 'plain 644 (read as text, not as a YAML number)',
      code: 'write-kubeconfig-mode: 644 # so that kubectl works without sudo\ncluster-init: true\n',
      errors: [{ message: /write-kubeconfig-mode: 644:/ }],
      output: 'write-kubeconfig-mode: "0600" # so that kubectl works without sudo\ncluster-init: true\n',
    },
    {
      name: 'plain 0644, which YAML 1.1 reads as octal',
      code: 'write-kubeconfig-mode: 0644\ncluster-init: true\n',
      errors: [{ message: /0644/ }],
      output: 'write-kubeconfig-mode: "0600"\ncluster-init: true\n',
    },
  ],
});

const TOKEN = 'K10f3a9c2b7e1d4058a6b3c9e2f1d7a4b8c5e0f6a9d2b4c7e1f3a5b8d0c2e4f6a8b::server:7d1e9b3fa2c84e6d';

RuleTester.run(rancherCredentialInFile, {
  valid: [
    { name: 'token-file', code: 'token-file: /etc/rancher/k3s/token\ncluster-init: true\n' },
    { name: 'template placeholders', code: 'token: "{{ k3s_token }}"\nagent-token: ${AGENT_TOKEN}\ncluster-init: true\n' },
    { name: 'an unrelated config.yaml with a token key stays quiet', path: 'app/config.yaml', code: `token: ${TOKEN}\nserver: https://api.example.com\n` },
    { name: 'datastore without a password', code: 'datastore-endpoint: "postgres://k3s@db:5432/k3s"\ncluster-init: true\n' },
  ],
  invalid: [
    {
      name: 'cluster token, redacted',
      code: `cluster-init: true\ntoken: ${TOKEN}\n`,
      errors: [
        {
          text: TOKEN,
          message: `k3s/RKE2 config holds token "K10f…" (${TOKEN.length} characters), which joins servers and agents to the cluster, and with the server token, decrypts its bootstrap data (the cluster CA keys): keep it in a token-file instead.`,
        },
      ],
    },
    { name: 'generic keys at the k3s path', path: K3S_PATH, code: `server: https://10.0.0.1:6443\ntoken: ${TOKEN}\n`, errors: [{ text: TOKEN }] },
    {
      name: 'agent token',
      code: 'node-ip: 10.0.0.7\nagent-token: "s3cr3t-Agent-Join-2024"\n',
      errors: [{ message: /agent-token "s3cr…" \(22 characters\), which joins any machine/ }],
    },
    {
      name: 'datastore password',
      code: 'datastore-endpoint: "mysql://k3s:Pa55w0rd-x9@tcp(db:3306)/k3s"\ncluster-init: true\n',
      errors: [{ message: /datastore password in datastore-endpoint/ }],
    },
  ],
});

/** The server configuration of the k3s CIS hardening guide (docs.k3s.io/security/hardening-guide). */
const K3S_HARDENED = `protect-kernel-defaults: true
secrets-encryption: true
kube-apiserver-arg:
  - "enable-admission-plugins=NodeRestriction,EventRateLimit"
  - "admission-control-config-file=/var/lib/rancher/k3s/server/psa.yaml"
  - "audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log"
  - "audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml"
  - "audit-log-maxage=30"
  - "audit-log-maxbackup=10"
  - "audit-log-maxsize=100"
kube-controller-manager-arg:
  - "terminated-pod-gc-threshold=10"
kubelet-arg:
  - "streaming-connection-idle-timeout=5m"
  - "tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
`;

function firing(file: string, text: string): string[] {
  const config = new ResolvedConfig(ALL_RULES, {}, 'all');
  const result = new Engine(config).lint(file, text);
  assert.equal(result.internalErrors.length, 0);
  return result.findings.map((f) => f.ruleId).sort();
}

describe('k3s configurations with every pack on', () => {
  it("the k3s CIS hardening guide's server config: only CIS 1.2.11, which the guide leaves manual, and DenyServiceExternalIPs", () => {
    // The admission plugin list is given and lacks AlwaysPullImages and DenyServiceExternalIPs (both info, not recommended).
    assert.deepEqual(firing(K3S_PATH, K3S_HARDENED), ['apiserver-admission-always-pull-images', 'apiserver-admission-deny-service-external-ips']);
  });
  it('a default k3s install with a committed token: the token, Secrets encryption and kernel defaults, nothing else', () => {
    assert.deepEqual(firing(K3S_PATH, `write-kubeconfig-mode: "0644"\ntoken: ${TOKEN}\ntls-san:\n  - k3s.example.com\n`), [
      'k3s-credential-in-config',
      'k3s-kubeconfig-world-readable',
      'k3s-secrets-encryption',
      'kubelet-protect-kernel-defaults',
    ]);
  });
  it('an unrelated config.yaml with a token key: nothing reported', () => {
    assert.deepEqual(firing('service/config.yaml', `token: ${TOKEN}\nlisten: 0.0.0.0:8080\nserver: https://api.example.com\n`), []);
  });
});
