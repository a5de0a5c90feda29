/** PSS restricted checks: inheritance from the pod, Windows and user-namespace exemptions. */
import { RuleTester } from '../../../rules/tester';
import { capabilitiesAddedRestricted, capabilitiesNotDropped } from '../../../rules/kubernetes/pss/capabilities';
import { restrictedVolumeType } from '../../../rules/kubernetes/pss/volumes';
import { missingSeccompProfile } from '../../../rules/kubernetes/pss/confinement';
import { unmaskedProcMountRestricted } from '../../../rules/kubernetes/pss/runtime';
import { mayRunAsRoot, privilegeEscalationAllowed, runsAsRootUser } from '../../../rules/kubernetes/pss/users';

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
const WINDOWS = '  os: {name: windows}\n';

RuleTester.run(privilegeEscalationAllowed, {
  valid: [
    pod(
      '  containers:\n  - name: c\n    securityContext: {allowPrivilegeEscalation: false}\n  initContainers:\n  - name: i\n    securityContext:\n      allowPrivilegeEscalation: false\n',
    ),
    { name: 'Windows pods are exempt', code: pod(`${WINDOWS}  containers: [{name: c}]\n`) },
  ],
  invalid: [
    {
      name: "unset: the securityContext is created in the file's indentation",
      code: pod('  containers:\n    - name: c\n      image: nginx:1.27\n'),
      errors: [{ text: 'name: c', line: 6, message: 'container "c" of Pod/p does not set allowPrivilegeEscalation: false.' }],
      output: pod('  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        allowPrivilegeEscalation: false\n'),
    },
    {
      name: 'explicitly true in an init container',
      code: pod(
        '  initContainers:\n  - name: i\n    securityContext:\n      allowPrivilegeEscalation: true\n  containers:\n  - name: c\n    securityContext:\n      allowPrivilegeEscalation: false\n',
      ),
      errors: [{ text: 'allowPrivilegeEscalation: true', line: 8 }],
      output: pod(
        '  initContainers:\n  - name: i\n    securityContext:\n      allowPrivilegeEscalation: false\n  containers:\n  - name: c\n    securityContext:\n      allowPrivilegeEscalation: false\n',
      ),
    },
    {
      name: 'pod-level setting does not exist for this field',
      code: pod('  securityContext: {allowPrivilegeEscalation: false}\n  containers: [{name: c}]\n'),
      errors: [{ text: 'name: c' }],
      output: pod('  securityContext: {allowPrivilegeEscalation: false}\n  containers: [{name: c, securityContext: {allowPrivilegeEscalation: false}}]\n'),
    },
  ],
});

RuleTester.run(mayRunAsRoot, {
  valid: [
    {
      name: 'pod level covers every container',
      code: pod('  securityContext:\n    runAsNonRoot: true\n  containers: [{name: a}, {name: b}]\n  initContainers: [{name: i}]\n'),
    },
    { name: 'every container sets it', code: pod('  containers:\n  - name: a\n    securityContext: {runAsNonRoot: true}\n') },
    { name: 'user-namespaced pods are exempt since v1.35', code: pod('  hostUsers: false\n  containers: [{name: a}]\n') },
  ],
  invalid: [
    {
      name: 'nothing set: fix at pod level',
      code: pod('  containers:\n  - name: a\n    image: app:1\n'),
      errors: [{ text: 'name: a', line: 6, message: 'Pod/p does not set runAsNonRoot: true, so container "a" may run as root.' }],
      output: pod('  containers:\n  - name: a\n    image: app:1\n  securityContext:\n    runAsNonRoot: true\n'),
    },
    {
      name: 'a container overriding the pod with false',
      code: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: a\n    securityContext:\n      runAsNonRoot: false\n'),
      errors: [{ text: 'runAsNonRoot: false', line: 10, message: 'container "a" of Pod/p sets runAsNonRoot: false.' }],
      output: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: a\n    securityContext:\n      runAsNonRoot: true\n'),
    },
    {
      name: 'only one of two containers sets it, existing pod securityContext',
      code: pod('  securityContext:\n    fsGroup: 2000\n  containers:\n  - name: a\n    securityContext: {runAsNonRoot: true}\n  - name: b\n'),
      errors: [{ text: 'securityContext', line: 5, message: /so container "b" may run as root/ }],
      output: pod(
        '  securityContext:\n    fsGroup: 2000\n    runAsNonRoot: true\n  containers:\n  - name: a\n    securityContext: {runAsNonRoot: true}\n  - name: b\n',
      ),
    },
    {
      name: 'before v1.35 user namespaces are not exempt',
      code: pod('  hostUsers: false\n  containers: [{name: a}]\n'),
      settings: { pssVersion: 'v1.33' },
      errors: [{ text: 'name: a' }],
    },
  ],
});

RuleTester.run(runsAsRootUser, {
  valid: [
    pod('  securityContext: {runAsUser: 1000}\n  containers: [{name: a}]\n'),
    pod('  hostUsers: false\n  securityContext: {runAsUser: 0}\n  containers: [{name: a}]\n'),
  ],
  invalid: [
    {
      code: pod('  containers:\n  - name: a\n    securityContext:\n      runAsUser: 0\n'),
      errors: [{ text: 'runAsUser: 0', line: 8, message: 'container "a" of Pod/p sets runAsUser: 0 (root).' }],
      output: pod('  containers:\n  - name: a\n    securityContext:\n      runAsUser: 65532\n'),
    },
  ],
});

RuleTester.run(missingSeccompProfile, {
  valid: [
    pod('  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n  containers: [{name: a}]\n'),
    pod('  containers:\n  - name: a\n    securityContext:\n      seccompProfile: {type: Localhost, localhostProfile: p.json}\n'),
    { name: 'Windows', code: pod(`${WINDOWS}  containers: [{name: a}]\n`) },
    { name: "Unconfined is the baseline rule's finding", code: pod('  securityContext:\n    seccompProfile: {type: Unconfined}\n  containers: [{name: a}]\n') },
  ],
  invalid: [
    {
      name: 'CronJob without any profile',
      code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: job\n            image: busybox:1.36\n',
      errors: [{ text: 'name: job', line: 11, message: 'CronJob/cj sets no seccomp profile for container "job"; set RuntimeDefault at pod level.' }],
      output:
        'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: job\n            image: busybox:1.36\n          securityContext:\n            seccompProfile:\n              type: RuntimeDefault\n',
    },
    {
      name: 'one container of two sets it',
      code: pod('  containers:\n  - name: a\n    securityContext: {seccompProfile: {type: RuntimeDefault}}\n  - name: b\n'),
      errors: [{ text: 'name: b', message: /for container "b"/ }],
    },
  ],
});

RuleTester.run(capabilitiesNotDropped, {
  valid: [
    pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop: ["ALL"]\n        add: [NET_BIND_SERVICE]\n'),
    pod(`${WINDOWS}  containers: [{name: a}]\n`),
  ],
  invalid: [
    {
      name: 'merges with an existing drop list',
      code: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop:\n        - NET_RAW\n'),
      errors: [{ text: '- NET_RAW', line: 10, message: 'container "a" of Pod/p does not drop ALL capabilities.' }],
      output: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop:\n        - NET_RAW\n        - ALL\n'),
    },
    {
      name: 'creates capabilities in an existing securityContext, in a List item, CRLF',
      code: 'apiVersion: v1\r\nkind: List\r\nitems:\r\n- apiVersion: apps/v1\r\n  kind: StatefulSet\r\n  metadata: {name: s}\r\n  spec:\r\n    template:\r\n      spec:\r\n        containers:\r\n        - name: db # the database\r\n          securityContext:\r\n            readOnlyRootFilesystem: true\r\n',
      errors: [{ text: 'name: db', line: 10 }],
      output:
        'apiVersion: v1\r\nkind: List\r\nitems:\r\n- apiVersion: apps/v1\r\n  kind: StatefulSet\r\n  metadata: {name: s}\r\n  spec:\r\n    template:\r\n      spec:\r\n        containers:\r\n        - name: db # the database\r\n          securityContext:\r\n            readOnlyRootFilesystem: true\r\n            capabilities:\r\n              drop:\r\n              - ALL\r\n',
    },
  ],
});

RuleTester.run(capabilitiesAddedRestricted, {
  valid: [
    pod('  containers:\n  - name: a\n    securityContext:\n      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n'),
    {
      name: "beyond-baseline additions are the baseline rule's",
      code: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities: {drop: [ALL], add: [SYS_ADMIN]}\n'),
    },
  ],
  invalid: [
    {
      code: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop: [ALL]\n        add: [CHOWN, NET_BIND_SERVICE]\n'),
      errors: [{ text: 'CHOWN', line: 10, message: /adds CHOWN; the restricted level allows only NET_BIND_SERVICE/ }],
      output: pod('  containers:\n  - name: a\n    securityContext:\n      capabilities:\n        drop: [ALL]\n        add: [NET_BIND_SERVICE]\n'),
    },
  ],
});

RuleTester.run(restrictedVolumeType, {
  valid: [
    pod(
      '  containers: [{name: a}]\n  volumes:\n  - {name: a, configMap: {name: c}}\n  - {name: b, projected: {sources: []}}\n  - {name: c, persistentVolumeClaim: {claimName: x}}\n  - {name: d, hostPath: {path: /x}}\n',
    ),
  ],
  invalid: [
    {
      code: pod(
        '  containers: [{name: a}]\n  volumes:\n  - name: share\n    nfs: {server: nfs.local, path: /exports}\n  - name: repo\n    gitRepo: {repository: "https://example.com/r.git"}\n',
      ),
      errors: [
        { text: 'nfs: {server: nfs.local, path: /exports}', line: 8, message: /uses a nfs volume \("share"\)/ },
        { text: 'gitRepo: {repository: "https://example.com/r.git"}', line: 10 },
      ],
    },
  ],
});

RuleTester.run(unmaskedProcMountRestricted, {
  valid: [
    pod('  containers:\n  - name: a\n    securityContext: {procMount: Unmasked}\n'),
    pod('  hostUsers: false\n  containers:\n  - name: a\n    securityContext: {procMount: Default}\n'),
  ],
  invalid: [
    {
      code: pod('  hostUsers: false\n  containers:\n  - name: a\n    securityContext: {procMount: Unmasked}\n'),
      errors: [{ text: 'procMount: Unmasked', line: 8, message: /forbids it even with hostUsers: false/ }],
      output: pod('  hostUsers: false\n  containers:\n  - name: a\n    securityContext: {procMount: Default}\n'),
    },
  ],
});
