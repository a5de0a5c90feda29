import { RuleTester } from '../../rules/tester';
import { privilegedContainer } from '../../rules/kubernetes/privilegedContainer';

RuleTester.run(privilegedContainer, {
  valid: [
    { name: 'no securityContext', code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n' },
    {
      name: 'privileged: false',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: false\n',
    },
    {
      name: 'quoted "true" is a string, which the API server rejects, not privileged',
      code: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: "true"\n',
    },
    { name: 'not a workload', code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  securityContext: "privileged: true"\n' },
    {
      name: 'privileged in a CRD schema is not a pod',
      code: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  template:\n    spec:\n      containers:\n      - securityContext: {privileged: true}\n',
    },
  ],
  invalid: [
    {
      name: 'Pod container',
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: true # needed?\n',
      errors: [{ text: 'privileged: true', line: 7, message: /container "a" of Pod\/p runs privileged/ }],
      output: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: false # needed?\n',
    },
    {
      name: 'YAML 1.1 boolean, as kubectl reads it',
      code: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: yes\n',
      errors: [{ text: 'privileged: yes' }],
      output: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    securityContext:\n      privileged: false\n',
    },
    {
      name: 'init and ephemeral containers of a Deployment, flow style',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      initContainers: [{name: i, securityContext: {privileged: true}}]\n      ephemeralContainers:\n      - {name: e, securityContext: {privileged: true}}\n      containers: [{name: c}]\n',
      errors: [
        { text: 'privileged: true', line: 6, message: /init container "i"/ },
        { text: 'privileged: true', line: 8, message: /ephemeral container "e"/ },
      ],
    },
    {
      name: 'CronJob',
      code: 'apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            securityContext:\n              privileged: true\n',
      errors: [{ line: 10 }],
    },
    {
      name: 'custom workload kind (Argo Rollout)',
      code: 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        securityContext: {privileged: true}\n',
      errors: [{ text: 'privileged: true' }],
    },
    {
      name: 'kind: List items',
      code: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    containers:\n    - name: c\n      securityContext:\n        privileged: true\n',
      errors: [{ line: 9 }],
    },
    {
      name: 'CRLF line endings and later document',
      code: 'apiVersion: v1\r\nkind: ConfigMap\r\n---\r\napiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - name: c\r\n    securityContext:\r\n      privileged: true\r\n',
      errors: [{ text: 'privileged: true', line: 9 }],
      output:
        'apiVersion: v1\r\nkind: ConfigMap\r\n---\r\napiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - name: c\r\n    securityContext:\r\n      privileged: false\r\n',
    },
  ],
});
