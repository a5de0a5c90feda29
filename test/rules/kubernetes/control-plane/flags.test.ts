/**
 * Hand-written cases for the flag rules: exact messages and fixed texts in each form, list flags
 * accumulating over repetitions, static pods recognised by their binary only, odd shapes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintWith, RuleTester } from '../../../../rules/tester';
import { CONTROL_PLANE_FLAG_RULES } from '../../../../rules/kubernetes/control-plane';
import { kubeadmList, kubeadmMap, kubeletConfig, podInline, podScript, podSeparate } from './forms';

const rule = (id: string) => {
  const r = CONTROL_PLANE_FLAG_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

RuleTester.run(rule('apiserver-token-auth-file'), {
  valid: [podInline('kube-apiserver', [['authorization-mode', 'Node,RBAC']])],
  invalid: [
    {
      name: '--flag=value item: removed',
      code: podInline('kube-apiserver', [
        ['token-auth-file', '/etc/tokens.csv'],
        ['profiling', 'false'],
      ]),
      errors: [
        {
          text: '--token-auth-file=/etc/tokens.csv',
          line: 12,
          message:
            'kube-apiserver in Pod/kube-apiserver sets --token-auth-file=/etc/tokens.csv: plain-text bearer tokens that never expire and can only be revoked by editing the file and restarting the API server.',
        },
      ],
      output: podInline('kube-apiserver', [['profiling', 'false']]),
    },
    {
      name: '--flag value as two items: both removed',
      code: podSeparate('kube-apiserver', [
        ['profiling', 'false'],
        ['token-auth-file', '/etc/tokens.csv'],
      ]),
      errors: [{ text: '--token-auth-file\n    - /etc/tokens.csv' }],
      output: podSeparate('kube-apiserver', [['profiling', 'false']]),
    },
    {
      name: 'in a sh -c script: the word removed',
      code: podScript('kube-apiserver', [
        ['profiling', 'false'],
        ['token-auth-file', '/etc/tokens.csv'],
        ['secure-port', '6443'],
      ]),
      errors: [{ text: '--token-auth-file=/etc/tokens.csv' }],
      output: podScript('kube-apiserver', [
        ['profiling', 'false'],
        ['secure-port', '6443'],
      ]),
    },
    {
      name: 'kubeadm extraArgs map: the key removed',
      code: kubeadmMap('kube-apiserver', [
        ['token-auth-file', '/etc/tokens.csv'],
        ['profiling', 'false'],
      ]),
      errors: [
        {
          text: 'token-auth-file: "/etc/tokens.csv"',
          message: /^kube-apiserver in ClusterConfiguration \(apiServer\.extraArgs\) sets --token-auth-file=\/etc\/tokens\.csv:/,
        },
      ],
      output: kubeadmMap('kube-apiserver', [['profiling', 'false']]),
    },
    {
      name: 'kubeadm v1beta4 extraArgs list: the item removed',
      code: kubeadmList('kube-apiserver', [
        ['profiling', 'false'],
        ['token-auth-file', '/etc/tokens.csv'],
      ]),
      errors: [{ text: 'name: token-auth-file\n      value: "/etc/tokens.csv"' }],
      output: kubeadmList('kube-apiserver', [['profiling', 'false']]),
    },
  ],
});

RuleTester.run(rule('apiserver-authorization-always-allow'), {
  valid: [
    { name: 'kubeadm default (Node,RBAC) when extraArgs says nothing', code: kubeadmMap('kube-apiserver', []) },
    {
      name: "AlwaysAllow in another flag's value",
      code: podInline('kube-apiserver', [
        ['authorization-mode', 'Node,RBAC'],
        ['authorization-webhook-config-file', 'AlwaysAllow'],
      ]),
    },
  ],
  invalid: [
    {
      name: 'AlwaysAllow alone becomes Node,RBAC',
      code: podInline('kube-apiserver', [['authorization-mode', 'AlwaysAllow']]),
      errors: [
        {
          text: '--authorization-mode=AlwaysAllow',
          message:
            'kube-apiserver in Pod/kube-apiserver sets --authorization-mode=AlwaysAllow: every authenticated request is allowed, whoever sends it: RBAC is not consulted and every user and service account is cluster-admin.',
        },
      ],
      output: podInline('kube-apiserver', [['authorization-mode', 'Node,RBAC']]),
    },
    {
      name: 'AlwaysAllow among others is dropped',
      code: kubeadmMap('kube-apiserver', [['authorization-mode', 'Node,RBAC,AlwaysAllow']]),
      errors: [{ text: 'authorization-mode: "Node,RBAC,AlwaysAllow"' }],
      output: kubeadmMap('kube-apiserver', [['authorization-mode', 'Node,RBAC']]),
    },
    {
      name: 'repeated list flags accumulate: the earlier occurrence holding AlwaysAllow is the one reported and fixed',
      code: podInline('kube-apiserver', [
        ['authorization-mode', 'AlwaysAllow,Node'],
        ['authorization-mode', 'RBAC'],
      ]),
      errors: [{ text: '--authorization-mode=AlwaysAllow,Node', message: /sets --authorization-mode=AlwaysAllow,Node,RBAC:/ }],
      output: podInline('kube-apiserver', [
        ['authorization-mode', 'Node'],
        ['authorization-mode', 'RBAC'],
      ]),
    },
    {
      name: 'a static pod without the flag: the component default is AlwaysAllow',
      code: podInline('kube-apiserver', [['profiling', 'false']]),
      errors: [{ line: 10, message: /leaves --authorization-mode at its default, AlwaysAllow:/ }],
      output: podInline('kube-apiserver', [
        ['profiling', 'false'],
        ['authorization-mode', 'Node,RBAC'],
      ]),
    },
  ],
});

RuleTester.run(rule('apiserver-authorization-rbac'), {
  valid: [
    {
      name: 'Node and RBAC given in two occurrences',
      code: podInline('kube-apiserver', [
        ['authorization-mode', 'Node'],
        ['authorization-mode', 'RBAC'],
      ]),
    },
  ],
  invalid: [],
});

RuleTester.run(rule('apiserver-admission-always-admit'), {
  valid: [kubeadmList('kube-apiserver', [['enable-admission-plugins', 'NodeRestriction']])],
  invalid: [
    {
      name: 'AlwaysAdmit in an earlier occurrence still counts (lists accumulate)',
      code: podInline('kube-apiserver', [
        ['enable-admission-plugins', 'AlwaysAdmit'],
        ['enable-admission-plugins', 'NodeRestriction'],
      ]),
      errors: [{ text: '--enable-admission-plugins=AlwaysAdmit' }],
      output: podInline('kube-apiserver', [['enable-admission-plugins', 'NodeRestriction']]),
    },
  ],
});

RuleTester.run(rule('apiserver-admission-node-restriction'), {
  valid: [{ name: 'kubeadm enables it', code: kubeadmMap('kube-apiserver', []) }],
  invalid: [
    {
      name: 'appended to the list in place',
      code: podInline('kube-apiserver', [['enable-admission-plugins', 'PodSecurity']]),
      errors: [{ message: /\(no NodeRestriction\)/ }],
      output: podInline('kube-apiserver', [['enable-admission-plugins', 'PodSecurity,NodeRestriction']]),
    },
    {
      name: 'named in --disable-admission-plugins: no fix (both lists would name it)',
      code: podInline('kube-apiserver', [
        ['enable-admission-plugins', 'PodSecurity'],
        ['disable-admission-plugins', 'NodeRestriction'],
      ]),
      errors: [{ message: /--disable-admission-plugins turns NodeRestriction off/ }],
      output: podInline('kube-apiserver', [
        ['enable-admission-plugins', 'PodSecurity'],
        ['disable-admission-plugins', 'NodeRestriction'],
      ]),
    },
  ],
});

RuleTester.run(rule('apiserver-profiling'), {
  valid: [
    { name: 'bare boolean flag form is true... of another flag', code: podInline('kube-apiserver', [['profiling', 'false']]) },
    { name: 'pflag spells false as 0', code: podInline('kube-apiserver', [['profiling', '0']]) },
  ],
  invalid: [
    {
      name: 'added to the command list',
      code: podInline('kube-apiserver', [['secure-port', '6443']]),
      errors: [
        {
          message:
            'kube-apiserver in Pod/kube-apiserver leaves --profiling at its default, true: the /debug/pprof endpoints expose program internals to anyone allowed to read them and can be used to load the server.',
        },
      ],
      output: podInline('kube-apiserver', [
        ['secure-port', '6443'],
        ['profiling', 'false'],
      ]),
    },
    {
      name: 'added at the end of a sh -c script',
      code: podScript('kube-apiserver', [['secure-port', '6443']]),
      errors: [{}],
      output: podScript('kube-apiserver', [
        ['secure-port', '6443'],
        ['profiling', 'false'],
      ]),
    },
    {
      name: 'bare --profiling means true',
      code: podInline('kube-apiserver', [['secure-port', '6443']]).replace('- --secure-port=6443', '- --profiling'),
      errors: [{ text: '--profiling' }],
      output: podInline('kube-apiserver', [['profiling', 'false']]),
    },
    {
      name: 'kubeadm v1beta3 without extraArgs: an extraArgs map is created',
      code: kubeadmMap('kube-apiserver', []),
      errors: [
        {
          text: 'apiServer:\n  certSANs: [cp.example.com]',
          message: /^kube-apiserver in ClusterConfiguration \(apiServer\.extraArgs\) leaves --profiling at its default, true:/,
        },
      ],
      output: kubeadmMap('kube-apiserver', []).replace(
        '  certSANs: [cp.example.com]\n',
        '  certSANs: [cp.example.com]\n  extraArgs:\n    profiling: "false"\n',
      ),
    },
    {
      name: 'kubeadm v1beta4 without extraArgs: the list form is created',
      code: kubeadmList('kube-apiserver', []),
      errors: [{}],
      output: kubeadmList('kube-apiserver', []).replace(
        '  certSANs: [cp.example.com]\n',
        '  certSANs: [cp.example.com]\n  extraArgs: [{name: profiling, value: "false"}]\n',
      ),
    },
    {
      name: 'kubeadm v1beta4 list: appended as a name/value item',
      code: kubeadmList('kube-apiserver', [['secure-port', '6443']]),
      errors: [{ text: 'extraArgs' }],
      // In the style of the items there: a block mapping, its keys aligned.
      output: kubeadmList('kube-apiserver', [['secure-port', '6443']]) + '    - name: profiling\n      value: "false"\n',
    },
    {
      name: 'kubeadm v1beta4 list of flow items: appended as a flow item',
      code: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - {name: secure-port, value: "6443"}\n',
      errors: [{ text: 'extraArgs' }],
      output:
        'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - {name: secure-port, value: "6443"}\n  - {name: profiling, value: "false"}\n',
    },
    {
      name: 'kubeadm v1beta4 list, CRLF and value first: the new item follows the file',
      code: 'apiVersion: kubeadm.k8s.io/v1beta4\r\nkind: ClusterConfiguration\r\napiServer:\r\n  extraArgs:\r\n  -   value: "6443"\r\n      name: secure-port\r\n',
      errors: [{ text: 'extraArgs' }],
      output:
        'apiVersion: kubeadm.k8s.io/v1beta4\r\nkind: ClusterConfiguration\r\napiServer:\r\n  extraArgs:\r\n  -   value: "6443"\r\n      name: secure-port\r\n  -   name: profiling\r\n      value: "false"\r\n',
    },
    {
      name: 'kubeadm v1beta3 map: inserted as a key',
      code: kubeadmMap('kube-apiserver', [['secure-port', '6443']]),
      errors: [{}],
      output: kubeadmMap('kube-apiserver', [
        ['secure-port', '6443'],
        ['profiling', 'false'],
      ]),
    },
  ],
});

RuleTester.run(rule('etcd-client-cert-auth'), {
  valid: [{ name: 'kubeadm writes --client-cert-auth=true', code: kubeadmMap('etcd', []) }],
  invalid: [
    {
      name: 'etcd -flag=false (Go flag package single dash)',
      code: podInline('etcd', [['client-cert-auth', 'false']], '-'),
      errors: [{ text: '-client-cert-auth=false' }],
      output: podInline('etcd', [['client-cert-auth', 'true']], '-'),
    },
    {
      name: 'etcd.local.extraArgs',
      code: kubeadmMap('etcd', [['client-cert-auth', 'false']]),
      errors: [{ message: /^etcd in ClusterConfiguration \(etcd\.local\.extraArgs\) sets --client-cert-auth=false:/ }],
      output: kubeadmMap('etcd', [['client-cert-auth', 'true']]),
    },
  ],
});

RuleTester.run(rule('kubelet-anonymous-auth'), {
  valid: [
    { name: 'KubeletConfiguration default is false (unlike the flag)', code: kubeletConfig([]) },
    {
      name: 'external etcd is not judged, nor other kinds',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubelet}\ndata: {anonymous-auth: "true"}\n',
    },
  ],
  invalid: [
    {
      name: 'field set to true',
      code: kubeletConfig([['authentication.anonymous.enabled', 'true']]),
      errors: [
        {
          text: 'enabled: true',
          message:
            'kubelet in KubeletConfiguration sets authentication.anonymous.enabled: true: anyone who reaches port 10250 can call the kubelet API unauthenticated, and with a permissive authorizer run commands in every pod of the node.',
        },
      ],
      output: kubeletConfig([['authentication.anonymous.enabled', 'false']]),
    },
  ],
});

RuleTester.run(rule('kubelet-read-only-port'), {
  valid: [kubeletConfig([['readOnlyPort', '0']])],
  invalid: [
    {
      name: 'int field',
      code: kubeletConfig([['readOnlyPort', '10255']]),
      errors: [{ text: 'readOnlyPort: 10255' }],
      output: kubeletConfig([['readOnlyPort', '0']]),
    },
  ],
});

RuleTester.run(rule('kubelet-streaming-idle-timeout'), {
  valid: [{ name: 'a zero in KubeletConfiguration means the 4h default (kubeadm writes 0s)', code: kubeletConfig([['streamingConnectionIdleTimeout', '0s']]) }],
  invalid: [
    {
      name: '0h0m0s is zero',
      code: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    streaming-connection-idle-timeout: 0h0m0s\n',
      errors: [{ message: /\(no timeout\)/ }],
      output:
        'apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    streaming-connection-idle-timeout: 4h0m0s\n',
    },
  ],
});

describe('control-plane flags: which containers are control-plane components', () => {
  const anon = rule('apiserver-anonymous-auth');
  const count = (code: string) => lintWith(anon, { code }).filter((f) => f.ruleId === anon.id).length;
  it('by the binary, not the file or pod name', () => {
    assert.equal(count(podInline('kube-apiserver', [['anonymous-auth', 'true']]).replace(/name: kube-apiserver/g, 'name: api')), 1);
    assert.equal(
      count(podInline('kube-apiserver', [['anonymous-auth', 'true']]).replace('    - kube-apiserver\n', '    - /usr/local/bin/kube-apiserver\n')),
      1,
    );
  });
  it('a binary whose name only contains the component is not it', () => {
    assert.equal(count(podInline('kube-apiserver', [['anonymous-auth', 'true']]).replace('    - kube-apiserver\n', '    - kube-apiserver-proxy\n')), 0);
    assert.equal(count(podInline('etcd', [['anonymous-auth', 'true']]).replace('    - etcd\n', '    - etcdctl\n')), 0);
  });
  it('without a command, the official image name decides', () => {
    const code =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: registry.k8s.io/kube-apiserver:v1.30.0\n        args: ["--anonymous-auth=true"]\n';
    assert.equal(count(code), 1);
  });
  it('a block-scalar script', () => {
    const code = podInline('kube-apiserver', []).replace(
      '    command:\n    - kube-apiserver\n',
      '    command:\n    - sh\n    - -ec\n    - |\n      exec kube-apiserver \\\n        --anonymous-auth=true \\\n        --secure-port=6443\n',
    );
    const findings = lintWith(anon, { code }).filter((f) => f.ruleId === anon.id);
    assert.equal(findings.length, 1);
    assert.equal(code.slice(findings[0].start, findings[0].end), '--anonymous-auth=true');
  });
});

describe('control-plane flags: odd shapes never throw', () => {
  const shapes = [
    podInline('kube-apiserver', []).replace('    command:\n    - kube-apiserver\n', '    command: kube-apiserver --anonymous-auth=true\n'),
    podInline('kube-apiserver', []).replace(
      '    - kube-apiserver\n',
      '    - kube-apiserver\n    - {a: b}\n    - null\n    - - nested\n    - 42\n    - --\n    - --audit-log-maxage\n',
    ),
    podInline('kube-apiserver', [
      ['audit-log-path', '/x'],
      ['audit-log-maxage', '99999999999999999999999'],
    ]),
    podInline('kube-apiserver', [['feature-gates', '=,==,RotateKubeletServerCertificate']]),
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs: "--anonymous-auth=true"\netcd: 5\ncontrollerManager: [1]\nscheduler:\n  extraArgs:\n  - 7\n  - {name: 3}\n',
    'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\netcd:\n  external: {endpoints: [a]}\napiServer:\n  extraArgs:\n  - {name: profiling, value: [x]}\n',
    'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: 5\nauthorization: {mode: [AlwaysAllow]}\nfeatureGates: "x"\ntlsCipherSuites: {a: b}\n',
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\nnodeRegistration: {kubeletExtraArgs: null}\n',
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\nnodeRegistration: {kubeletExtraArgs: 5}\n',
  ];
  for (const [i, code] of shapes.entries()) {
    it(`shape #${i + 1}`, () => {
      for (const r of CONTROL_PLANE_FLAG_RULES) lintWith(r, { code });
    });
  }
});

const ETCD_STATEFULSET = (args: string) =>
  `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: etcd, namespace: apisix}\nspec:\n  serviceName: etcd\n  template:\n    spec:\n      containers:\n      - name: etcd\n        image: quay.io/coreos/etcd:v3.5.9\n        command: [etcd, --data-dir=/var/lib/etcd${args}]\n`;

RuleTester.run(rule('etcd-client-cert-auth'), {
  valid: [{ name: "an application's etcd (StatefulSet outside kube-system): absent flags are not judged", code: ETCD_STATEFULSET('') }],
  invalid: [
    {
      name: "an application's etcd that turns client certificates off explicitly",
      code: ETCD_STATEFULSET(', --client-cert-auth=false'),
      errors: [{ text: '--client-cert-auth=false' }],
      output: ETCD_STATEFULSET(', --client-cert-auth=true'),
    },
  ],
});

RuleTester.run(rule('etcd-auto-tls'), {
  valid: [ETCD_STATEFULSET('')],
  invalid: [
    { name: 'flow-list command', code: ETCD_STATEFULSET(', --auto-tls'), errors: [{ text: '--auto-tls' }], output: ETCD_STATEFULSET(', --auto-tls=false') },
  ],
});

RuleTester.run(rule('apiserver-anonymous-auth'), {
  valid: [],
  invalid: [
    {
      name: 'kubeadm v1alpha2 MasterConfiguration apiServerExtraArgs',
      code: 'apiVersion: kubeadm.k8s.io/v1alpha2\nkind: MasterConfiguration\napiServerExtraArgs:\n  anonymous-auth: "true"\n  audit-log-path: /var/log/audit.log\n',
      errors: [{ text: 'anonymous-auth: "true"', message: /^kube-apiserver in MasterConfiguration \(apiServerExtraArgs\) sets --anonymous-auth=true:/ }],
      output:
        'apiVersion: kubeadm.k8s.io/v1alpha2\nkind: MasterConfiguration\napiServerExtraArgs:\n  anonymous-auth: "false"\n  audit-log-path: /var/log/audit.log\n',
    },
  ],
});

const KCP = (apiVersion: string, spec: string) =>
  `apiVersion: controlplane.cluster.x-k8s.io/${apiVersion}\nkind: KubeadmControlPlane\nmetadata: {name: cp}\nspec:\n  replicas: 3\n  version: v1.30.0\n  kubeadmConfigSpec:\n${spec}`;

RuleTester.run(rule('apiserver-token-auth-file'), {
  valid: [KCP('v1beta1', '    files: []\n')],
  invalid: [
    {
      name: 'Cluster API KubeadmControlPlane v1beta1 (map form)',
      code: KCP(
        'v1beta1',
        '    clusterConfiguration:\n      apiServer:\n        extraArgs:\n          token-auth-file: /etc/tokens.csv\n          profiling: "false"\n',
      ),
      errors: [
        {
          text: 'token-auth-file: /etc/tokens.csv',
          message: /^kube-apiserver in KubeadmControlPlane\/cp \(clusterConfiguration\.apiServer\.extraArgs\) sets --token-auth-file=/,
        },
      ],
      output: KCP('v1beta1', '    clusterConfiguration:\n      apiServer:\n        extraArgs:\n          profiling: "false"\n'),
    },
    {
      name: 'Cluster API v1beta2 (list form)',
      code: KCP(
        'v1beta2',
        '    clusterConfiguration:\n      apiServer:\n        extraArgs:\n        - name: token-auth-file\n          value: /etc/tokens.csv\n',
      ),
      errors: [{ text: 'name: token-auth-file\n          value: /etc/tokens.csv' }],
    },
  ],
});

RuleTester.run(rule('scheduler-profiling'), {
  valid: [],
  invalid: [
    {
      name: 'Cluster API without clusterConfiguration: kubeadm defaults apply, the fix creates the path',
      code: KCP('v1beta1', '    files: []\n'),
      errors: [
        {
          text: 'kubeadmConfigSpec:\n    files: []',
          message: /^kube-scheduler in KubeadmControlPlane\/cp \(clusterConfiguration\.scheduler\.extraArgs\) leaves --profiling at its default, true:/,
        },
      ],
      output: KCP('v1beta1', '    files: []\n    clusterConfiguration:\n      scheduler:\n        extraArgs:\n          profiling: "false"\n'),
    },
  ],
});

RuleTester.run(rule('kubelet-read-only-port'), {
  valid: [],
  invalid: [
    {
      name: 'Cluster API joinConfiguration kubeletExtraArgs',
      code: KCP('v1beta1', '    joinConfiguration:\n      nodeRegistration:\n        kubeletExtraArgs:\n          read-only-port: "10255"\n'),
      errors: [{ message: /^kubelet in KubeadmControlPlane\/cp \(joinConfiguration\.nodeRegistration\.kubeletExtraArgs\) sets --read-only-port=10255:/ }],
      output: KCP('v1beta1', '    joinConfiguration:\n      nodeRegistration:\n        kubeletExtraArgs:\n          read-only-port: "0"\n'),
    },
  ],
});

const KUBEADM_FILE = (kubelet: string) => `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.30.0\n---\n${kubelet}`;

RuleTester.run(rule('kubelet-client-ca-file'), {
  valid: [
    { name: 'beside a ClusterConfiguration kubeadm sets clientCAFile itself', code: KUBEADM_FILE(kubeletConfig([])) },
    {
      name: 'another file holding the kubeadm configuration does not count',
      code: kubeletConfig([['authentication.x509.clientCAFile', '/pki/ca.crt']]),
      files: { 'kubeadm.yaml': kubeadmMap('kube-apiserver', []) },
    },
  ],
  invalid: [
    {
      name: 'a standalone KubeletConfiguration',
      code: kubeletConfig([]),
      files: { 'kubeadm.yaml': kubeadmMap('kube-apiserver', []) },
      errors: [{ message: /^kubelet in KubeletConfiguration does not set authentication\.x509\.clientCAFile:/ }],
    },
    {
      name: 'in a kubeadm file, an explicit empty value still counts',
      code: KUBEADM_FILE(kubeletConfig([['authentication.x509.clientCAFile', '""']])),
      errors: [{ message: /^kubelet in KubeletConfiguration \(kubeadm\) sets authentication\.x509\.clientCAFile: "":/ }],
    },
  ],
});

RuleTester.run(rule('scheduler-profiling'), {
  valid: [],
  invalid: [
    {
      name: 'v1alpha2 MasterConfiguration without schedulerExtraArgs: the fix adds the top-level map',
      code: 'apiVersion: kubeadm.k8s.io/v1alpha2\nkind: MasterConfiguration\napiServerExtraArgs:\n  profiling: "false"\n',
      errors: [
        {
          text: 'kind: MasterConfiguration',
          message: /^kube-scheduler in MasterConfiguration \(schedulerExtraArgs\) leaves --profiling at its default, true:/,
        },
      ],
      output:
        'apiVersion: kubeadm.k8s.io/v1alpha2\nkind: MasterConfiguration\napiServerExtraArgs:\n  profiling: "false"\nschedulerExtraArgs:\n  profiling: "false"\n',
    },
  ],
});

RuleTester.run(rule('apiserver-audit-policy-file'), {
  valid: [{ name: 'no audit log at all: apiserver-audit-log-path reports that', code: podInline('kube-apiserver', [['profiling', 'false']]) }],
  invalid: [
    {
      name: 'a log path without a policy',
      code: podInline('kube-apiserver', [['audit-log-path', '/var/log/audit.log']]),
      errors: [
        {
          line: 10,
          message:
            'kube-apiserver in Pod/kube-apiserver does not set --audit-policy-file (--audit-log-path is set): without an audit policy the API server records no event at all, so the audit log configured with --audit-log-path stays empty.',
        },
      ],
    },
  ],
});

RuleTester.run(rule('apiserver-anonymous-auth'), {
  valid: [],
  invalid: [
    {
      name: 'a script word the source spells with an escape: the whole script is underlined and no fix is offered',
      code: podInline('kube-apiserver', []).replace(
        '    command:\n    - kube-apiserver\n',
        '    command: ["sh", "-c", "exec kube-apiserver --anonymous-auth=\\x74rue --profiling=false"]\n',
      ),
      errors: [{ text: '"exec kube-apiserver --anonymous-auth=\\x74rue --profiling=false"' }],
      output: podInline('kube-apiserver', []).replace(
        '    command:\n    - kube-apiserver\n',
        '    command: ["sh", "-c", "exec kube-apiserver --anonymous-auth=\\x74rue --profiling=false"]\n',
      ),
    },
  ],
});

RuleTester.run(rule('apiserver-admission-always-pull-images'), {
  valid: [],
  invalid: [
    {
      name: "kubeadm without the flag: the fix keeps kubeadm's NodeRestriction, which a given value replaces",
      code: kubeadmMap('kube-apiserver', [['profiling', 'false']]),
      errors: [{ message: /leaves --enable-admission-plugins at kubeadm's default, NodeRestriction \(no AlwaysPullImages\)/ }],
      output: kubeadmMap('kube-apiserver', [
        ['profiling', 'false'],
        ['enable-admission-plugins', 'NodeRestriction,AlwaysPullImages'],
      ]),
    },
  ],
});

RuleTester.run(rule('apiserver-admission-node-restriction'), {
  valid: [],
  invalid: [
    {
      name: 'a flow-style list item: a value with commas is quoted, or it would split the mapping',
      code: 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs: [{name: enable-admission-plugins, value: PodSecurity}]\n',
      errors: [{}],
      output:
        'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs: [{name: enable-admission-plugins, value: "PodSecurity,NodeRestriction"}]\n',
    },
  ],
});

RuleTester.run(rule('apiserver-authorization-always-allow'), {
  valid: [],
  invalid: [
    {
      name: 'a flow-style command list',
      code: podInline('kube-apiserver', []).replace(
        '    command:\n    - kube-apiserver\n',
        '    command: [kube-apiserver, --authorization-mode=AlwaysAllow]\n',
      ),
      errors: [{ text: '--authorization-mode=AlwaysAllow' }],
      output: podInline('kube-apiserver', []).replace(
        '    command:\n    - kube-apiserver\n',
        '    command: [kube-apiserver, "--authorization-mode=Node,RBAC"]\n',
      ),
    },
  ],
});
