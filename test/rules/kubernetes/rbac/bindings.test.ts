import { RuleTester } from '../../../../rules/tester';
import {
  rbacBindingDefaultServiceAccount,
  rbacBindingToEveryone,
  rbacBindingUnresolved,
  rbacClusterAdminBinding,
} from '../../../../rules/kubernetes/rbac/bindings';
import { serviceAccountMissing } from '../../../../rules/kubernetes/rbac/serviceAccountMissing';
import { serviceAccountTokenSecret } from '../../../../rules/kubernetes/rbac/tokenSecret';
import { clusterRole, clusterRoleBinding, deployment, role, roleBinding, rule, sa, serviceAccount } from './fixtures';

RuleTester.run(rbacClusterAdminBinding, {
  valid: [
    { name: 'the view role', code: clusterRoleBinding('v', 'view', sa('api', 'shop')) },
    {
      name: 'a workspace role with explicit verbs',
      code: clusterRoleBinding('r', 'reader', sa('api', 'shop')),
      files: { 'role.yaml': clusterRole('reader', rule('[""]', '[pods]', '[get]')) },
    },
  ],
  invalid: [
    {
      name: 'cluster-admin to a service account a workload runs as',
      code: clusterRoleBinding('ops', 'cluster-admin', sa('ops', 'tools')),
      files: { 'ops.yaml': deployment('ops', 'tools', { sa: 'ops' }) },
      errors: [
        {
          text: 'cluster-admin',
          message: 'ClusterRoleBinding/ops grants cluster-admin in every namespace to ServiceAccount tools/ops (run by Deployment/ops (ops.yaml)).',
        },
      ],
    },
    {
      name: 'a RoleBinding to cluster-admin is scoped to its namespace, and says so',
      code: roleBinding('ns-admin', 'shop', 'ClusterRole', 'cluster-admin', '- kind: User\n  name: alice\n'),
      errors: [
        {
          message:
            'RoleBinding/ns-admin grants cluster-admin in namespace shop only (a RoleBinding to a ClusterRole is scoped to its namespace) to User alice.',
        },
      ],
    },
    {
      name: 'a workspace ClusterRole equivalent to cluster-admin',
      code: clusterRoleBinding('god', 'god', sa('ci', 'tools')),
      files: { 'god.yaml': clusterRole('god', rule('["*"]', '["*"]', '["*"]')) },
      errors: [{ message: /grants ClusterRole\/god \(god\.yaml\), which allows every verb on every resource, in every namespace/ }],
    },
  ],
});

RuleTester.run(rbacBindingToEveryone, {
  valid: [
    {
      name: 'discovery roles the cluster binds to everyone',
      code: clusterRoleBinding('d', 'system:discovery', '- kind: Group\n  name: system:authenticated\n'),
    },
    { name: 'a named group', code: clusterRoleBinding('d', 'view', '- kind: Group\n  name: developers\n') },
    { name: 'odd subjects', code: clusterRoleBinding('d', 'view', '- 3\n- kind: {a: b}\n') },
  ],
  invalid: [
    {
      name: 'anonymous (fix: remove the subject)',
      code: clusterRoleBinding('anon', 'view', '- kind: User\n  name: system:anonymous\n- kind: Group\n  name: devs\n'),
      errors: [
        {
          line: 9,
          message: 'ClusterRoleBinding/anon grants ClusterRole/view in every namespace to the user system:anonymous: anyone who can reach the API server.',
        },
      ],
      output: clusterRoleBinding('anon', 'view', '- kind: Group\n  name: devs\n'),
    },
    {
      name: 'authenticated in a RoleBinding, the only subject',
      code: roleBinding('all', 'shop', 'Role', 'reader', '- kind: Group\n  name: system:authenticated\n'),
      errors: [{ message: /in namespace shop only to the group system:authenticated/ }],
      output: roleBinding('all', 'shop', 'Role', 'reader', '').replace('subjects:\n', 'subjects: []\n'),
    },
    {
      name: 'system:masters',
      code: clusterRoleBinding('m', 'edit', '- kind: Group\n  name: system:masters\n'),
      errors: [{ message: /already bypasses RBAC/ }],
    },
  ],
});

RuleTester.run(rbacBindingDefaultServiceAccount, {
  valid: [{ name: 'a dedicated account', code: roleBinding('b', 'shop', 'Role', 'r', sa('api', 'shop')) }],
  invalid: [
    {
      name: 'default, with the workloads that run as it',
      code: roleBinding('b', 'shop', 'Role', 'r', '- kind: ServiceAccount\n  name: default\n'),
      files: { 'web.yaml': deployment('web', 'shop'), 'api.yaml': deployment('api', 'shop', { sa: 'api' }) },
      errors: [
        {
          message:
            'RoleBinding/b grants Role/r in namespace shop only to ServiceAccount shop/default, which every pod of namespace shop that names no service account runs as (here: Deployment/web (web.yaml)).',
        },
      ],
    },
  ],
});

RuleTester.run(rbacBindingUnresolved, {
  valid: [
    { name: 'built-in roles', code: clusterRoleBinding('b', 'edit', sa('default', 'shop')) },
    { name: 'system roles', code: clusterRoleBinding('b', 'system:node-proxier', '- kind: Group\n  name: x\n') },
    {
      name: "the control plane's Role in kube-system",
      code: roleBinding('b', 'kube-system', 'Role', 'extension-apiserver-authentication-reader', '- kind: Group\n  name: x\n'),
    },
    {
      name: 'both in the workspace',
      code: roleBinding('b', 'shop', 'Role', 'r', sa('api', 'shop')),
      files: { 'r.yaml': role('r', 'shop', rule('[""]', '[pods]', '[get]')), 'sa.yaml': serviceAccount('api', 'shop') },
    },
  ],
  invalid: [
    {
      name: 'a Role of another namespace does not count',
      code: roleBinding('b', 'shop', 'Role', 'r', sa('api', 'shop')),
      files: { 'r.yaml': role('r', 'other', rule('[""]', '[pods]', '[get]')), 'sa.yaml': serviceAccount('api', 'shop') },
      errors: [{ text: 'r', message: 'RoleBinding/b binds Role/r, which is not in the workspace in namespace shop: it may live in the cluster.' }],
    },
    {
      name: 'a missing service account',
      code: clusterRoleBinding('b', 'view', sa('ghost', 'shop')),
      errors: [{ message: 'ClusterRoleBinding/b names ServiceAccount shop/ghost, which is not in the workspace: it may live in the cluster.' }],
    },
  ],
});

const TOKEN = (extra = '') =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\n  namespace: tools\n  annotations:\n    kubernetes.io/service-account.name: ci\ntype: kubernetes.io/service-account-token\n${extra}`;

RuleTester.run(serviceAccountTokenSecret, {
  valid: [{ name: 'an opaque Secret', code: TOKEN().replace('kubernetes.io/service-account-token', 'Opaque') }],
  invalid: [
    {
      name: 'unbound account',
      code: TOKEN(),
      errors: [
        { text: 'type: kubernetes.io/service-account-token', message: 'Secret/ci-token holds a long-lived token for ServiceAccount ci that never expires.' },
      ],
    },
    {
      name: 'what the account can do',
      code: TOKEN(),
      files: { 'crb.yaml': clusterRoleBinding('ci', 'cluster-admin', sa('ci', 'tools')) },
      errors: [{ message: /that never expires; that account is cluster-admin/ }],
    },
  ],
});

RuleTester.run(serviceAccountMissing, {
  valid: [
    { name: 'defined in another file', code: deployment('api', 'shop', { sa: 'api' }), files: { 'sa.yaml': serviceAccount('api', 'shop') } },
    {
      name: 'no ServiceAccount of the namespace in the workspace: managed elsewhere',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: { 'sa.yaml': serviceAccount('api', 'other') },
    },
    { name: 'default always exists', code: deployment('api', 'shop', { sa: 'default' }), files: { 'sa.yaml': serviceAccount('x', 'shop') } },
    {
      name: 'an account without a namespace may be applied to it',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: { 'sa.yaml': serviceAccount('api', 'shop').replace('  namespace: shop\n', '') },
    },
  ],
  invalid: [
    {
      name: 'a typo',
      code: deployment('api', 'shop', { sa: 'apii' }),
      files: { 'sa.yaml': serviceAccount('api', 'shop') },
      errors: [
        {
          text: 'apii',
          message:
            'Deployment/api runs as ServiceAccount apii, which the workspace does not define for namespace shop (it defines api): the API server rejects its pods.',
        },
      ],
    },
  ],
});
