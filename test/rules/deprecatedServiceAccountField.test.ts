import { RuleTester } from '../../rules/tester';
import { deprecatedServiceAccountField } from '../../rules/kubernetes/deprecatedServiceAccountField';

RuleTester.run(deprecatedServiceAccountField, {
  valid: [
    { name: 'serviceAccountName only', code: 'apiVersion: v1\nkind: Pod\nspec:\n  serviceAccountName: app\n  containers: [{name: c}]\n' },
    { name: 'a ServiceAccount object is not a pod', code: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\n' },
    {
      name: 'serviceAccount under a container (not the pod field)',
      code: 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: c\n    env: [{name: serviceAccount, value: x}]\n',
    },
    {
      name: 'both fields with the same account, as the API server writes them back (every exported manifest)',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      serviceAccount: app\n      serviceAccountName: app\n      containers: [{name: c}]\n',
    },
    {
      name: 'a Role rule naming serviceaccounts',
      code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nrules:\n- resources: [serviceaccounts]\n  verbs: [get]\n',
    },
  ],
  invalid: [
    {
      name: 'renamed in place, keeping the comment',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      serviceAccount: web # legacy\n      containers: [{name: c}]\n',
      errors: [{ text: 'serviceAccount', line: 6, message: 'Deployment/web uses the deprecated serviceAccount field; use serviceAccountName.' }],
      output:
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      serviceAccountName: web # legacy\n      containers: [{name: c}]\n',
    },
    {
      name: "both fields disagreeing: reported without a fix (which one is meant is the user's call)",
      code: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: app\n  serviceAccount: admin\n  containers: [{name: c}]\n',
      errors: [{ text: 'serviceAccount: admin', line: 5, message: /deprecated serviceAccount "admin" and serviceAccountName "app"; the pod runs as "app"/ }],
      output: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: app\n  serviceAccount: admin\n  containers: [{name: c}]\n',
    },
    {
      name: 'quoted key, flow style',
      code: 'apiVersion: v1\nkind: Pod\nspec: {"serviceAccount": app, containers: [{name: c}]}\n',
      errors: [{ text: '"serviceAccount"', line: 2 }],
      output: 'apiVersion: v1\nkind: Pod\nspec: {serviceAccountName: app, containers: [{name: c}]}\n',
    },
  ],
});
