/**
 * Precision fixes of the Kubernetes rules: findings that were false, messages that claimed more than
 * the manifest says, and references that named other tools' checks of a different meaning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../rules/tester';
import { ALL_RULES } from '../../../rules';
import { ResolvedConfig } from '../../../server/src/engine/config';
import { Engine } from '../../../server/src/engine/engine';
import type { Rule } from '../../../server/src/engine/rule';
import { missingCpuRequest, missingMemoryLimit, missingMemoryRequest } from '../../../rules/kubernetes/resources';
import { defaultServiceAccount, defaultServiceAccountAutomount } from '../../../rules/kubernetes/serviceAccounts';
import { lowUid, rootGroup } from '../../../rules/kubernetes/hardening';
import { hostNetwork } from '../../../rules/kubernetes/hostNamespaces';
import { privilegedContainer } from '../../../rules/kubernetes/privilegedContainer';
import { capabilitiesAddedRestricted, capabilitiesNotDropped, disallowedCapabilities } from '../../../rules/kubernetes/pss/capabilities';
import { missingSeccompProfile, seccompUnconfined } from '../../../rules/kubernetes/pss/confinement';
import { mayRunAsRoot, runsAsRootUser } from '../../../rules/kubernetes/pss/users';
import { unsafeSysctls } from '../../../rules/kubernetes/pss/runtime';
import { LATEST_PSS_MINOR, pssMinor } from '../../../rules/kubernetes/pss/common';
import { HARDEN_TITLE } from '../../../rules/kubernetes/pss/harden';
import { applyEdits } from '../../../server/src/engine/yamlEditor';

const pod = (spec: string, meta = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec}`;

// ---- resources: one rule per field; a limit is also the request ----------------------------------

RuleTester.run(missingCpuRequest, {
  valid: [
    {
      name: 'limits only: the API server copies them into the requests',
      code: pod('  containers:\n  - name: c\n    resources:\n      limits: {cpu: 500m, memory: 1Gi}\n'),
    },
    pod('  containers:\n  - name: c\n    resources:\n      requests: {cpu: 100m}\n'),
    {
      name: 'an ephemeral container takes no resources',
      code: pod('  containers:\n  - name: c\n    resources: {requests: {cpu: 1}}\n  ephemeralContainers: [{name: debug}]\n'),
    },
  ],
  invalid: [
    {
      name: 'nothing set',
      code: pod('  containers:\n  - name: c\n'),
      errors: [
        { text: 'name: c', line: 6, message: 'container "c" of Pod/p sets no CPU request (resources.requests.cpu, or a CPU limit it would default to).' },
      ],
    },
    {
      name: 'requests without cpu: underlines requests',
      code: pod('  containers:\n  - name: c\n    resources:\n      requests: {memory: 1Gi}\n'),
      errors: [{ text: 'requests', line: 8 }],
    },
    {
      name: 'init container, empty resources',
      code: pod('  initContainers:\n  - name: i\n    resources: {}\n  containers:\n  - name: c\n    resources: {limits: {cpu: 1}}\n'),
      errors: [{ text: 'resources', line: 7, message: /^init container "i"/ }],
    },
  ],
});

RuleTester.run(missingMemoryRequest, {
  valid: [
    { name: 'a memory limit is also the request', code: pod('  containers:\n  - name: c\n    resources:\n      limits: {memory: 1Gi}\n') },
    pod('  containers:\n  - name: c\n    resources:\n      requests: {memory: 1Gi}\n'),
  ],
  invalid: [
    {
      name: 'only a CPU request: the memory request is what is missing, nothing else',
      code: pod('  containers:\n  - name: c\n    resources:\n      requests:\n        cpu: 100m\n'),
      errors: [
        {
          text: 'requests',
          line: 8,
          message: 'container "c" of Pod/p sets no memory request (resources.requests.memory, or a memory limit it would default to).',
        },
      ],
    },
  ],
});

RuleTester.run(missingMemoryLimit, {
  valid: [pod('  containers:\n  - name: c\n    resources:\n      limits: {memory: 1Gi}\n')],
  invalid: [
    {
      name: 'requests only: no limits section, underlines resources',
      code: pod('  containers:\n  - name: c\n    resources:\n      requests: {cpu: 1, memory: 1Gi}\n'),
      errors: [{ text: 'resources', line: 7, message: 'container "c" of Pod/p sets no memory limit (resources.limits.memory).' }],
    },
    { name: 'a CPU limit only', code: pod('  containers:\n  - name: c\n    resources:\n      limits: {cpu: "1"}\n'), errors: [{ text: 'limits', line: 8 }] },
  ],
});

const engine = (rules: readonly Rule[] = ALL_RULES) => new Engine(new ResolvedConfig(rules, {}, 'all'));
const ruleIds = (text: string, ids: string[]) =>
  engine()
    .lint('manifest.yaml', text)
    .findings.filter((f) => ids.includes(f.ruleId))
    .map((f) => f.ruleId)
    .sort();

describe('missing-resources split per field', () => {
  const RESOURCES = ['missing-cpu-request', 'missing-memory-limit', 'missing-memory-request'];
  it('a container with nothing set gets one finding per field', () => {
    assert.deepEqual(ruleIds(pod('  containers:\n  - name: c\n'), RESOURCES), RESOURCES);
  });
  it('a former `bulkhead-ignore missing-resources` comment still suppresses every field', () => {
    assert.deepEqual(ruleIds(pod('  containers:\n  # bulkhead-ignore missing-resources -- sized by the VPA\n  - name: c\n'), RESOURCES), []);
  });
  it("another tool's field-specific suppression hides only that field", () => {
    const text = pod('  containers:\n  - name: c\n', '  annotations:\n    checkov.io/skip1: CKV_K8S_10=bursty\n');
    assert.deepEqual(ruleIds(text, RESOURCES), ['missing-memory-limit', 'missing-memory-request']);
  });
  it('a suppression of a check about several fields hides each of them', () => {
    const text = pod('  containers:\n  - name: c\n', '  annotations:\n    kube-score/ignore: container-resources\n');
    assert.deepEqual(ruleIds(text, RESOURCES), []);
  });
});

// ---- the default ServiceAccount object --------------------------------------------------------------

RuleTester.run(defaultServiceAccountAutomount, {
  valid: [
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: false\n',
    { name: 'another ServiceAccount', code: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n' },
    { name: 'generateName never yields default', code: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  generateName: default\n' },
    { name: 'other kinds named default', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: default\n' },
  ],
  invalid: [
    {
      name: 'missing: added at the end, comments kept',
      code: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop # team shop\nimagePullSecrets:\n- name: regcred\n',
      errors: [
        {
          text: 'name: default',
          line: 3,
          message:
            'ServiceAccount/default does not set automountServiceAccountToken: false, so every pod in its namespace that names no service account gets a token.',
        },
      ],
      output:
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop # team shop\nimagePullSecrets:\n- name: regcred\nautomountServiceAccountToken: false\n',
    },
    {
      name: 'explicitly true',
      code: 'apiVersion: v1\nkind: ServiceAccount\nautomountServiceAccountToken: true # for now\nmetadata:\n  name: default\n',
      errors: [{ text: 'automountServiceAccountToken: true', line: 2, message: /sets automountServiceAccountToken: true, so every pod/ }],
      output: 'apiVersion: v1\nkind: ServiceAccount\nautomountServiceAccountToken: false # for now\nmetadata:\n  name: default\n',
    },
    {
      name: 'CRLF line endings are kept',
      code: 'apiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: default\r\n',
      errors: [{ text: 'name: default', line: 3 }],
      output: 'apiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: default\r\nautomountServiceAccountToken: false\r\n',
    },
    {
      name: 'no trailing newline',
      code: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: kube-system}',
      errors: [{ text: 'name: default' }],
      output: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: kube-system}\nautomountServiceAccountToken: false',
    },
    {
      name: 'an item of a List, next to a workload',
      code: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: default}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: default}\n',
      errors: [{ text: 'name: default', line: 5 }],
      output:
        'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: default}\n  automountServiceAccountToken: false\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: default}\n',
    },
  ],
});

// ---- references name the other tools' checks that report the same case ----------------------------

describe('references', () => {
  const cases: [Rule, string[], string[]][] = [
    // C-0055 passes a workload with any one of seccomp, AppArmor, SELinux or dropped capabilities.
    [capabilitiesNotDropped, ['trivy:KSV-0106'], ['kubescape:C-0055']],
    [disallowedCapabilities, ['kubescape:C-0057'], []],
    [runsAsRootUser, ['checkov:CKV_K8S_40', 'trivy:KSV-0020', 'kube-score:container-security-context-user-group-id', 'kubesec:RunAsUser'], []],
    [rootGroup, ['trivy:KSV-0021', 'kube-score:container-security-context-user-group-id', 'kubesec:RunAsGroup'], []],
    // KSV021 is about the GID: it does not report a low UID.
    [lowUid, ['trivy:KSV-0020', 'checkov:CKV_K8S_40'], ['trivy:KSV-0021']],
    [missingSeccompProfile, ['trivy:KSV-0104', 'kubesec:SeccompAny'], []],
    [seccompUnconfined, ['trivy:KSV-0104', 'kubesec:SeccompAny'], []],
    // These look at the `default` ServiceAccount object, not at pods.
    [defaultServiceAccount, [], ['checkov:CKV_K8S_41', 'kubescape:C-0189']],
    [defaultServiceAccountAutomount, ['checkov:CKV_K8S_41', 'kubescape:C-0189'], []],
    // Field-specific checks sit only on the rule of their field.
    [
      missingCpuRequest,
      ['checkov:CKV_K8S_10', 'trivy:KSV-0015'],
      ['checkov:CKV_K8S_12', 'checkov:CKV_K8S_13', 'trivy:KSV-0016', 'trivy:KSV-0018', 'kubescape:C-0004'],
    ],
    [
      missingMemoryRequest,
      ['checkov:CKV_K8S_12', 'trivy:KSV-0016'],
      ['checkov:CKV_K8S_10', 'checkov:CKV_K8S_13', 'trivy:KSV-0018', 'kubescape:C-0050', 'kubescape:C-0009'],
    ],
    [
      missingMemoryLimit,
      ['checkov:CKV_K8S_13', 'trivy:KSV-0018'],
      ['checkov:CKV_K8S_10', 'checkov:CKV_K8S_12', 'trivy:KSV-0015', 'trivy:KSV-0016', 'kubescape:C-0050'],
    ],
  ];
  for (const [rule, has, hasNot] of cases) {
    it(rule.id, () => {
      for (const r of has) assert.ok(rule.references.includes(r), `${rule.id} should reference ${r}`);
      for (const r of hasNot) assert.ok(!rule.references.includes(r), `${rule.id} should not reference ${r}`);
    });
  }
  it("a Checkov skip of the high-UID check covers runAsUser: 0, as Checkov's own would", () => {
    const text = pod('  securityContext: {runAsUser: 0}\n  containers: [{name: c}]\n', '  annotations:\n    checkov.io/skip1: CKV_K8S_40\n');
    assert.deepEqual(ruleIds(text, ['runs-as-root-user']), []);
  });
});

// ---- OpenShift DeploymentConfig ------------------------------------------------------------------

const deploymentConfig = (podSpec: string) =>
  `apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata:\n  name: dc\nspec:\n  replicas: 1\n  template:\n    spec:\n${podSpec}`;

RuleTester.run(hostNetwork, {
  valid: [],
  invalid: [
    {
      name: 'a minimal DeploymentConfig without containers is a workload',
      code: deploymentConfig('      hostNetwork: true\n'),
      errors: [{ text: 'hostNetwork: true', line: 8, message: /DeploymentConfig\/dc/ }],
    },
  ],
});

RuleTester.run(privilegedContainer, {
  valid: [],
  invalid: [
    {
      name: 'a DeploymentConfig with only init containers',
      code: deploymentConfig('      initContainers:\n      - name: i\n        securityContext: {privileged: true}\n'),
      errors: [{ text: 'privileged: true', line: 10 }],
    },
  ],
});

// ---- pod-level values that every container overrides ---------------------------------------------

RuleTester.run(lowUid, {
  valid: [
    {
      name: 'a pod-level UID every container replaces runs nothing',
      code: pod(
        '  securityContext: {runAsUser: 1000}\n  initContainers:\n  - name: i\n    securityContext: {runAsUser: 65532}\n  containers:\n  - name: c\n    securityContext: {runAsUser: 65532}\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'an init container inherits the pod-level UID',
      code: pod('  securityContext: {runAsUser: 1000}\n  initContainers: [{name: i}]\n  containers:\n  - name: c\n    securityContext: {runAsUser: 65532}\n'),
      errors: [{ text: 'runAsUser: 1000', line: 5, message: 'The pod of Pod/p runs as UID 1000, below 10000.' }],
    },
  ],
});

RuleTester.run(rootGroup, {
  valid: [
    {
      name: 'a pod-level runAsGroup 0 every container replaces',
      code: pod('  securityContext: {runAsGroup: 0}\n  containers:\n  - name: c\n    securityContext: {runAsGroup: 3000}\n'),
    },
  ],
  invalid: [
    {
      name: 'fsGroup cannot be overridden by containers',
      code: pod('  securityContext: {runAsGroup: 0, fsGroup: 0}\n  containers:\n  - name: c\n    securityContext: {runAsGroup: 3000}\n'),
      errors: [{ text: 'fsGroup: 0', line: 5 }],
    },
  ],
});

RuleTester.run(mayRunAsRoot, {
  valid: [],
  invalid: [
    {
      name: 'pod-level false that every container overrides: the standard, not a runtime claim',
      code: pod('  securityContext:\n    runAsNonRoot: false\n  containers:\n  - name: a\n    securityContext: {runAsNonRoot: true}\n'),
      errors: [
        {
          text: 'runAsNonRoot: false',
          line: 6,
          message:
            'the pod of Pod/p sets runAsNonRoot: false. Every container sets runAsNonRoot: true, so none inherits it, but the Pod Security Standards restricted level forbids false at pod level too.',
        },
      ],
      output: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: a\n    securityContext: {runAsNonRoot: true}\n'),
    },
    {
      name: 'a non-zero runAsUser without runAsNonRoot does not run as root',
      code: pod('  securityContext:\n    runAsUser: 1000\n  containers:\n  - name: a\n'),
      errors: [
        {
          text: 'securityContext',
          line: 5,
          message:
            'Pod/p does not set runAsNonRoot: true, which the Pod Security Standards restricted level requires even though container "a" runs as UID 1000.',
        },
      ],
      output: pod('  securityContext:\n    runAsUser: 1000\n    runAsNonRoot: true\n  containers:\n  - name: a\n'),
    },
    {
      name: 'one container with a UID, one without',
      code: pod('  containers:\n  - name: a\n    securityContext: {runAsUser: 1000}\n  - name: b\n'),
      errors: [
        {
          text: 'name: a',
          message:
            'Pod/p does not set runAsNonRoot: true, so container "b" may run as root (container "a" runs as UID 1000, but the restricted level requires runAsNonRoot all the same).',
        },
      ],
    },
  ],
});

RuleTester.run(runsAsRootUser, {
  valid: [],
  invalid: [
    {
      name: 'pod-level 0 that every container overrides',
      code: pod('  securityContext: {runAsUser: 0}\n  containers:\n  - name: a\n    securityContext: {runAsUser: 1000}\n'),
      errors: [
        {
          text: 'runAsUser: 0',
          line: 5,
          message:
            'the pod of Pod/p sets runAsUser: 0. Every container sets its own runAsUser, so none inherits it, but the Pod Security Standards restricted level forbids 0 at pod level too.',
        },
      ],
    },
    {
      name: 'pod-level 0 a container inherits',
      code: pod('  securityContext: {runAsUser: 0}\n  containers:\n  - name: a\n    securityContext: {runAsUser: 1000}\n  - name: b\n'),
      errors: [{ text: 'runAsUser: 0', message: 'the pod of Pod/p sets runAsUser: 0 (root).' }],
    },
  ],
});

RuleTester.run(seccompUnconfined, {
  valid: [],
  invalid: [
    {
      name: 'pod-level Unconfined that every container overrides',
      code: pod(
        '  securityContext:\n    seccompProfile: {type: Unconfined}\n  containers:\n  - name: a\n    securityContext:\n      seccompProfile: {type: RuntimeDefault}\n',
      ),
      errors: [
        {
          text: 'type: Unconfined',
          line: 6,
          message:
            'The pod of Pod/p sets seccomp Unconfined. Every container sets its own profile, so none inherits it, but the Pod Security Standards baseline forbids Unconfined at pod level too.',
        },
      ],
    },
    {
      name: 'pod-level Unconfined that a container inherits',
      code: pod(
        '  securityContext:\n    seccompProfile: {type: Unconfined}\n  containers:\n  - name: a\n    securityContext:\n      seccompProfile: {type: RuntimeDefault}\n  - name: b\n',
      ),
      errors: [{ text: 'type: Unconfined', message: 'The pod of Pod/p sets seccomp Unconfined, so container "b" runs without seccomp.' }],
    },
  ],
});

// ---- capabilities ---------------------------------------------------------------------------------

RuleTester.run(capabilitiesNotDropped, {
  valid: [],
  invalid: [
    {
      name: 'drop: [all] drops everything at run time, but admission wants exact ALL',
      code: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop: [all]\n'),
      errors: [
        {
          text: 'all',
          line: 9,
          message:
            'container "a" of Pod/p drops "all": the runtime drops every capability, but the Pod Security Standards restricted level accepts only the exact upper-case ALL.',
        },
      ],
      output: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop: [ALL]\n'),
    },
    {
      name: 'All in a block list, keeping the comment',
      code: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop:\n        - NET_RAW\n        - All # everything\n'),
      errors: [{ text: 'All', line: 11, message: /drops "All": the runtime drops every capability/ }],
      output: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop:\n        - NET_RAW\n        - ALL # everything\n'),
    },
  ],
});

describe('harden: drop [all]', () => {
  it('writes the existing item in upper case instead of adding a second ALL', () => {
    const text = pod(
      '  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n  containers:\n  - name: a\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities:\n        drop: [all]\n',
    );
    const finding = engine([capabilitiesNotDropped]).lint('pod.yaml', text).findings[0];
    const fix = finding.fixes.find((f) => f.title === HARDEN_TITLE)!;
    assert.equal(applyEdits(text, fix.edits()), text.replace('[all]', '[ALL]'));
  });
});

RuleTester.run(disallowedCapabilities, {
  valid: [],
  invalid: [
    {
      name: 'each capability on its own item, fixable and suppressible alone',
      code: pod(
        '  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        add:\n        - SYS_ADMIN\n        - CHOWN\n        - NET_ADMIN\n',
      ),
      errors: [
        { text: 'SYS_ADMIN', line: 10, message: /^container "a" of Pod\/p adds SYS_ADMIN \(mount, BPF/ },
        { text: 'NET_ADMIN', line: 12, message: /^container "a" of Pod\/p adds NET_ADMIN \(reconfigures/ },
      ],
      output: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        add:\n        - CHOWN\n'),
    },
  ],
});

RuleTester.run(capabilitiesAddedRestricted, {
  valid: [],
  invalid: [
    {
      name: 'each baseline capability restricted forbids, on its own item',
      code: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop: [ALL]\n        add: [CHOWN, NET_BIND_SERVICE, SETUID]\n'),
      errors: [
        { text: 'CHOWN', line: 10, message: 'container "a" of Pod/p adds CHOWN; the restricted level allows only NET_BIND_SERVICE.' },
        { text: 'SETUID', line: 10, message: 'container "a" of Pod/p adds SETUID; the restricted level allows only NET_BIND_SERVICE.' },
      ],
    },
  ],
});

describe('disallowed-capabilities: a line suppression covers only its capability', () => {
  it('keeps the finding of the other capability', () => {
    const text = pod(
      '  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        add:\n        # trivy:ignore:KSV005\n        - SYS_ADMIN\n        - NET_ADMIN\n',
    );
    const findings = engine([disallowedCapabilities, capabilitiesAddedRestricted])
      .lint('manifest.yaml', text)
      .findings.filter((f) => f.ruleId === 'disallowed-capabilities');
    assert.deepEqual(
      findings.map((f) => text.slice(f.start, f.end)),
      ['NET_ADMIN'],
    );
  });
});

// ---- Pod Security Standards versions --------------------------------------------------------------

describe('PSS versions', () => {
  it('latest means v1.37', () => {
    assert.equal(LATEST_PSS_MINOR, 37);
    assert.equal(pssMinor({ pssVersion: 'latest' }), 37);
  });
});

const sysctl = (name: string) => pod(`  securityContext:\n    sysctls:\n    - {name: ${name}, value: "1"}\n  containers: [{name: c}]\n`);

RuleTester.run(unsafeSysctls, {
  valid: [
    { name: 'v1.37 (latest) allows tcp_slow_start_after_idle', code: sysctl('net.ipv4.tcp_slow_start_after_idle') },
    { name: 'v1.37 allows tcp_notsent_lowat', code: sysctl('net.ipv4.tcp_notsent_lowat'), settings: { pssVersion: 'v1.37' } },
    { name: 'older additions stay allowed', code: sysctl('net.ipv4.tcp_rmem'), settings: { pssVersion: 'v1.37' } },
  ],
  invalid: [
    {
      name: 'v1.36 does not have them yet',
      code: sysctl('net.ipv4.tcp_slow_start_after_idle'),
      settings: { pssVersion: 'v1.36' },
      errors: [{ text: 'name: net.ipv4.tcp_slow_start_after_idle' }],
    },
    {
      name: 'nor does v1.32',
      code: sysctl('net.ipv4.tcp_notsent_lowat'),
      settings: { pssVersion: '1.32' },
      errors: [{ text: 'name: net.ipv4.tcp_notsent_lowat' }],
    },
  ],
});
