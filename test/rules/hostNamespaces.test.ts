import { RuleTester } from '../../rules/tester';
import { hostIpc, hostNetwork, hostPid } from '../../rules/kubernetes/hostNamespaces';

RuleTester.run(hostNetwork, {
  valid: [
    { name: 'absent', code: 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: c}]\n' },
    { name: 'false', code: 'apiVersion: v1\nkind: Pod\nspec:\n  hostNetwork: false\n  containers: [{name: c}]\n' },
    { name: 'quoted string is not a boolean', code: 'apiVersion: v1\nkind: Pod\nspec:\n  hostNetwork: "true"\n  containers: [{name: c}]\n' },
    {
      name: 'at the Deployment spec level, not the pod spec',
      code: 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  hostNetwork: true\n  template:\n    spec:\n      containers: [{name: c}]\n',
    },
    { name: 'inside a container, where it means nothing', code: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: c\n    hostNetwork: true\n' },
    { name: 'ConfigMap data', code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  hostNetwork: "true"\n' },
    {
      name: 'CRD schema',
      code: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers: []\n',
    },
  ],
  invalid: [
    {
      name: 'Pod',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true # for the CNI\n  containers: [{name: c}]\n',
      errors: [{ text: 'hostNetwork: true', line: 5, message: /^Pod\/p sets hostNetwork: true/ }],
      output: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: c}]\n',
    },
    {
      name: 'CronJob, through jobTemplate',
      code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostNetwork: yes\n          containers: [{name: c}]\n',
      errors: [{ text: 'hostNetwork: yes', line: 8, message: /CronJob\/cj/ }],
      output:
        'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c}]\n',
    },
    {
      name: 'flow style pod spec',
      code: 'apiVersion: v1\nkind: Pod\nspec: {hostNetwork: true, containers: [{name: c}]}\n',
      errors: [{ text: 'hostNetwork: true', line: 2 }],
      output: 'apiVersion: v1\nkind: Pod\nspec: {containers: [{name: c}]}\n',
    },
    {
      name: 'custom workload kind with a pod template (Argo Rollout), CRLF',
      code: 'apiVersion: argoproj.io/v1alpha1\r\nkind: Rollout\r\nmetadata: {name: r}\r\nspec:\r\n  template:\r\n    spec:\r\n      hostNetwork: true\r\n      containers: [{name: c}]\r\n',
      errors: [{ text: 'hostNetwork: true', line: 6, message: /Rollout\/r/ }],
      output:
        'apiVersion: argoproj.io/v1alpha1\r\nkind: Rollout\r\nmetadata: {name: r}\r\nspec:\r\n  template:\r\n    spec:\r\n      containers: [{name: c}]\r\n',
    },
    {
      name: 'items of a List',
      code: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec:\n    hostNetwork: true\n    containers: [{name: c}]\n',
      errors: [{ text: 'hostNetwork: true', line: 7, message: /Pod\/a/ }],
    },
  ],
});

RuleTester.run(hostPid, {
  valid: [
    'apiVersion: v1\nkind: Pod\nspec:\n  hostPID: false\n  containers: [{name: c}]\n',
    { name: 'hostPid with the wrong case is not the field', code: 'apiVersion: v1\nkind: Pod\nspec:\n  hostPid: true\n  containers: [{name: c}]\n' },
  ],
  invalid: [
    {
      name: 'DaemonSet',
      code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    spec:\n      hostPID: true\n      hostNetwork: false\n      containers: [{name: c}]\n',
      errors: [{ text: 'hostPID: true', line: 6, message: /DaemonSet\/agent sets hostPID: true/ }],
      output:
        'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    spec:\n      hostNetwork: false\n      containers: [{name: c}]\n',
    },
  ],
});

RuleTester.run(hostIpc, {
  valid: ['apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: c}]\n'],
  invalid: [
    {
      name: 'StatefulSet, and a suppression on another rule does not hide it',
      code: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  template:\n    spec:\n      # bulkhead-ignore host-pid\n      hostIPC: true\n      containers: [{name: c}]\n',
      errors: [{ text: 'hostIPC: true', line: 7, message: /StatefulSet\/db sets hostIPC: true/ }],
    },
  ],
});
