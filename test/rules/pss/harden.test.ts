/**
 * "Harden this workload to PSS restricted": one edit that makes the restricted profile accept the
 * workload, in every shape (block, flow, List items, CRLF), keeping comments.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../../rules';
import { HARDEN_TITLE } from '../../../rules/kubernetes/pss/harden';
import { PSS_BASELINE_RULES, PSS_RESTRICTED_RULES } from '../../../rules/kubernetes/pss';
import { ResolvedConfig } from '../../../server/src/engine/config';
import { Engine } from '../../../server/src/engine/engine';
import { applyEdits } from '../../../server/src/engine/yamlEditor';
import { EXAMPLES } from '../../support/paths';

const restricted = new Engine(new ResolvedConfig(ALL_RULES, {}, 'pss-restricted'));

function harden(text: string, file = 'pod.yaml'): string {
  const finding = restricted.lint(file, text).findings.find((f) => f.fixes.some((x) => x.title === HARDEN_TITLE));
  assert.ok(finding, 'some finding offers the harden action');
  return applyEdits(text, finding.fixes.find((x) => x.title === HARDEN_TITLE)!.edits());
}

function remaining(text: string): string[] {
  return restricted.lint('pod.yaml', text).findings.map((f) => `${f.ruleId}@${f.range.start.line}`);
}

describe('harden this workload to PSS restricted', () => {
  it('turns the textbook unsafe pod into one the restricted profile accepts, comments intact', () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'kubernetes/unsafe-pod.yaml'), 'utf8');
    assert.ok(remaining(text).length >= 6);
    const hardened = harden(text);
    assert.deepEqual(remaining(hardened), [], hardened);
    for (const comment of text.split('\n').filter((l) => l.trimStart().startsWith('#'))) assert.ok(hardened.includes(comment), `kept: ${comment}`);
    assert.match(hardened, /command: \["sleep", "infinity"\]/);
    assert.doesNotMatch(hardened, /hostNetwork|hostPID|hostPath|host-root/);
    assert.equal(
      hardened,
      [
        '# The textbook unsafe pod: everything an attacker needs to own the node, in 20 lines.',
        '# Bulkhead flags each problem; "Harden this workload to PSS restricted" (Ctrl+. on any of them)',
        '# rewrites it into a pod the restricted Pod Security Standard admits, keeping these comments.',
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: node-debugger',
        '  namespace: tools',
        'spec:',
        '  containers:',
        '    - name: shell',
        '      image: busybox:1.36',
        '      command: ["sleep", "infinity"]',
        '      securityContext:',
        '        privileged: false',
        '        allowPrivilegeEscalation: false',
        '        capabilities:',
        '          drop:',
        '            - ALL',
        '      volumeMounts: []',
        '  volumes: []',
        '  securityContext:',
        '    runAsNonRoot: true',
        '    seccompProfile:',
        '      type: RuntimeDefault',
        '',
      ].join('\n'),
    );
  });

  const cases: [string, string][] = [
    [
      'a Deployment with several containers and an existing pod securityContext',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      securityContext:\n        fsGroup: 2000 # shared volume\n      initContainers:\n      - name: init\n        securityContext: {runAsUser: 0, capabilities: {add: [CHOWN, SYS_ADMIN]}}\n      containers:\n      - name: app\n        ports:\n        - {containerPort: 80, hostPort: 80}\n      - name: sidecar\n        securityContext:\n          allowPrivilegeEscalation: true\n          seccompProfile: {type: Unconfined}\n          procMount: Unmasked\n',
    ],
    [
      'flow style all the way',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostIPC: true, containers: [{name: a, securityContext: {privileged: true}}, {name: b}]}\n',
    ],
    [
      'a List item with CRLF endings',
      'apiVersion: v1\r\nkind: List\r\nitems:\r\n- apiVersion: batch/v1\r\n  kind: Job\r\n  metadata: {name: j}\r\n  spec:\r\n    template:\r\n      spec:\r\n        restartPolicy: Never\r\n        containers:\r\n        - name: job\r\n          image: busybox:1.36\r\n',
    ],
    [
      'sysctls, SELinux, AppArmor annotations, probes with host',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/a: unconfined\nspec:\n  securityContext:\n    seLinuxOptions: {type: spc_t}\n    sysctls:\n    - {name: kernel.msgmax, value: "1"}\n    - {name: net.ipv4.tcp_syncookies, value: "1"}\n  containers:\n  - name: a\n    livenessProbe:\n      httpGet: {host: 10.0.0.1, port: 80}\n    volumeMounts:\n    - {name: keep, mountPath: /keep}\n    - {name: nfs, mountPath: /nfs}\n  volumes:\n  - {name: keep, emptyDir: {}}\n  - {name: nfs, nfs: {server: s, path: /}}\n',
    ],
    [
      'a Windows pod (Linux-only checks exempt)',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  os: {name: windows}\n  securityContext:\n    windowsOptions: {hostProcess: true}\n  containers:\n  - name: a\n',
    ],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      const hardened = harden(text);
      assert.deepEqual(remaining(hardened), [], hardened);
      if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(hardened), 'CRLF kept');
      if (text.includes('# shared volume')) assert.match(hardened, /fsGroup: 2000 # shared volume/);
    });
  }
});

describe('PSS profiles are exactly the standard', () => {
  const PSA_BASELINE = [
    'privileged',
    'hostNamespaces',
    'hostPathVolumes',
    'hostPorts',
    'capabilities_baseline',
    'appArmorProfile',
    'seLinuxOptions',
    'procMount',
    'seccompProfile_baseline',
    'sysctls',
    'windowsHostProcess',
    'hostProbesAndHostLifecycle',
  ];
  const PSA_RESTRICTED = [
    'restrictedVolumes',
    'allowPrivilegeEscalation',
    'runAsNonRoot',
    'runAsUser',
    'seccompProfile_restricted',
    'capabilities_restricted',
    'procMount_restricted',
  ];

  it('every one of the 19 PSA checks has a rule, and every PSS rule names its check', () => {
    const covered = (level: string, check: string) => ALL_RULES.some((r) => r.references.includes(`pss:${level}/${check}`));
    for (const c of PSA_BASELINE) assert.ok(covered('baseline', c), c);
    for (const c of PSA_RESTRICTED) assert.ok(covered('restricted', c), c);
    for (const r of PSS_BASELINE_RULES) assert.ok(r.references.includes(`pss:baseline/${r.pss.check}`) && PSA_BASELINE.includes(r.pss.check), r.id);
    for (const r of PSS_RESTRICTED_RULES) assert.ok(r.references.includes(`pss:restricted/${r.pss.check}`) && PSA_RESTRICTED.includes(r.pss.check), r.id);
  });

  it('pss-baseline selects the baseline rules, pss-restricted adds the restricted ones, nothing else', () => {
    const ids = (p: 'pss-baseline' | 'pss-restricted') =>
      new ResolvedConfig(ALL_RULES, {}, p)
        .enabledRules()
        .filter((r) => r.language === 'kubernetes')
        .map((r) => r.id)
        .sort();
    assert.deepEqual(ids('pss-baseline'), PSS_BASELINE_RULES.map((r) => r.id).sort());
    assert.deepEqual(ids('pss-restricted'), [...PSS_BASELINE_RULES, ...PSS_RESTRICTED_RULES].map((r) => r.id).sort());
  });
});
