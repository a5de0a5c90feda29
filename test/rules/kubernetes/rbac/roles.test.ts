import { RuleTester } from '../../../../rules/tester';
import {
  rbacAdmissionWebhooks,
  rbacBindEscalate,
  rbacConfigmapsWrite,
  rbacCsrApprove,
  rbacDeleteEvidence,
  rbacNetworkingWrite,
  rbacImpersonate,
  rbacManageRbac,
  rbacNodesProxy,
  rbacPersistentVolumeCreate,
  rbacPodsCreate,
  rbacPodsExec,
  rbacSecretsRead,
  rbacStatusPatch,
  rbacTokenCreate,
} from '../../../../rules/kubernetes/rbac/roleCapabilities';
import { rbacWildcard } from '../../../../rules/kubernetes/rbac/wildcard';
import { clusterRole, clusterRoleBinding, deployment, role, roleBinding, rule, sa } from './fixtures';

RuleTester.run(rbacWildcard, {
  valid: [
    { name: 'explicit lists', code: clusterRole('reader', rule('[""]', '[pods]', '[get, list]')) },
    { name: 'a non-resource URL star is not an RBAC resource wildcard', code: clusterRole('urls', '- nonResourceURLs: ["/healthz"]\n  verbs: [get]\n') },
    { name: 'odd shapes do not throw', code: clusterRole('odd', '- verbs: "*"\n- 3\n- apiGroups: {a: b}\n') },
  ],
  invalid: [
    {
      name: 'star verb in a block list, with the fix to read-only verbs',
      code: clusterRole('ops', '- apiGroups: [""]\n  resources: [pods]\n  verbs:\n  - "*"\n'),
      errors: [{ text: '"*"', message: 'ClusterRole/ops grants every verb it names (verbs: *). No binding in the workspace grants it.' }],
      output: clusterRole('ops', '- apiGroups: [""]\n  resources: [pods]\n  verbs: ["get", "list", "watch"]\n'),
    },
    {
      name: 'star in a flow list, fixed in place',
      code: clusterRole('ops', rule('[""]', '[pods]', '["*"]')),
      errors: [{ text: '"*"' }],
      output: clusterRole('ops', rule('[""]', '[pods]', '["get", "list", "watch"]')),
    },
    {
      name: 'all three: cluster-admin, naming who gets it',
      code: clusterRole('god', rule('["*"]', '["*"]', '["*"]')),
      files: { 'crb.yaml': clusterRoleBinding('god', 'god', sa('ci', 'tools')), 'ci.yaml': deployment('ci', 'tools', { sa: 'ci' }) },
      errors: [
        {
          message:
            /grants every verb on every resource: cluster-admin wherever it is bound cluster-wide .*ClusterRoleBinding\/god \(crb\.yaml\) grants it to ServiceAccount tools\/ci, run by Deployment\/ci \(ci\.yaml\)/,
        },
      ],
    },
    {
      name: 'a Role with * resources',
      code: role('ns-all', 'shop', rule('[""]', '["*"]', '[get]')),
      errors: [{ message: /every resource it names \(resources: \*\)/ }],
    },
  ],
});

RuleTester.run(rbacSecretsRead, {
  valid: [
    { name: 'named secrets only', code: role('one', 'shop', '- apiGroups: [""]\n  resources: [secrets]\n  resourceNames: [db]\n  verbs: [get]\n') },
    { name: 'configmaps', code: role('cm', 'shop', rule('[""]', '[configmaps]', '[get, list]')) },
    { name: 'create only', code: role('w', 'shop', rule('[""]', '[secrets]', '[create]')) },
    { name: 'secrets of another API group', code: role('x', 'shop', rule('[example.com]', '[secrets]', '[get]')) },
    { name: '* on * in *: reported once, by rbac-wildcard', code: clusterRole('god', rule('["*"]', '["*"]', '["*"]')) },
  ],
  invalid: [
    {
      name: 'list secrets, bound through a RoleBinding to a ClusterRole: scoped to the namespace',
      code: clusterRole('secret-reader', rule('[""]', '[secrets]', '[list]')),
      files: { 'rb.yaml': roleBinding('read', 'shop', 'ClusterRole', 'secret-reader', sa('api', 'shop')) },
      errors: [
        {
          text: '[list]',
          message:
            'ClusterRole/secret-reader allows list on secrets: whoever holds it can read every Secret in the cluster. RoleBinding/read (rb.yaml) grants it in namespace shop only to ServiceAccount shop/api.',
        },
      ],
    },
    {
      name: 'a wildcard covers secrets',
      code: role('all', 'shop', rule('[""]', '["*"]', '[get]')),
      errors: [{ message: /allows get on secrets: whoever holds it can read every Secret in namespace shop/ }],
    },
    {
      name: 'an aggregating ClusterRole counts what it gathers',
      code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: agg\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {rbac.example.com/aggregate-to-agg: "true"}\nrules: []\n',
      files: {
        'src.yaml': clusterRole('src', rule('[""]', '[secrets]', '[get, watch]')).replace(
          '  name: src\n',
          '  name: src\n  labels: {rbac.example.com/aggregate-to-agg: "true"}\n',
        ),
      },
      errors: [{ text: 'aggregationRule', message: /ClusterRole\/agg aggregates ClusterRole\/src \(src\.yaml\), which allows get, watch on secrets/ }],
    },
  ],
});

RuleTester.run(rbacPodsCreate, {
  valid: [
    { name: 'read pods', code: role('r', 'shop', rule('[""]', '[pods]', '[get, list, watch]')) },
    { name: 'delete deployments', code: role('d', 'shop', rule('[apps]', '[deployments]', '[delete]')) },
  ],
  invalid: [
    {
      name: 'create pods',
      code: role('c', 'shop', rule('[""]', '[pods]', '[create]')),
      errors: [{ message: /allows create on pods: whoever holds it can create pods or pod controllers in namespace shop/ }],
    },
    {
      name: 'patch deployments',
      code: clusterRole('deployer', rule('[apps]', '[deployments]', '[patch, update]')),
      errors: [{ message: /allows update, patch on deployments/ }],
    },
    { name: 'cronjobs of batch', code: clusterRole('cj', rule('[batch]', '[cronjobs]', '[create]')), errors: [{ text: '[create]' }] },
  ],
});

RuleTester.run(rbacPodsExec, {
  valid: [{ name: 'pods/log', code: role('logs', 'shop', rule('[""]', '[pods/log]', '[get]')) }],
  invalid: [
    { name: 'exec', code: role('e', 'shop', rule('[""]', '[pods/exec]', '[create]')), errors: [{ message: /allows create on pods\/exec/ }] },
    {
      name: 'pods/* covers attach',
      code: role('a', 'shop', rule('[""]', '[pods/*]', '[get]')),
      errors: [{ message: /on pods\/exec, pods\/attach, pods\/portforward/ }],
    },
    {
      name: 'ephemeral containers',
      code: clusterRole('debug', rule('[""]', '[pods/ephemeralcontainers]', '[patch]')),
      errors: [{ message: /pods\/ephemeralcontainers/ }],
    },
  ],
});

RuleTester.run(rbacNodesProxy, {
  valid: [
    { name: 'nodes/metrics', code: clusterRole('metrics', rule('[""]', '[nodes/metrics, nodes/stats]', '[get]')) },
    { name: 'a Role cannot grant a cluster-scoped resource', code: role('np', 'shop', rule('[""]', '[nodes/proxy]', '[get]')) },
  ],
  invalid: [
    { name: 'nodes/proxy get', code: clusterRole('np', rule('[""]', '[nodes/proxy]', '[get]')), errors: [{ message: /kubelet API through nodes\/proxy/ }] },
  ],
});

RuleTester.run(rbacImpersonate, {
  valid: [{ name: 'no impersonate', code: clusterRole('u', rule('[""]', '[users]', '[get]')) }],
  invalid: [
    {
      name: 'groups',
      code: clusterRole('imp', rule('[""]', '[groups]', '[impersonate]')),
      errors: [{ message: /can impersonate users, groups or service accounts in every namespace \(system:masters is cluster-admin\)/ }],
    },
    {
      name: 'named still counts',
      code: clusterRole('imp', '- apiGroups: [""]\n  resources: [groups]\n  resourceNames: [system:masters]\n  verbs: [impersonate]\n'),
      errors: [{ message: /\(named: system:masters\)/ }],
    },
  ],
});

RuleTester.run(rbacBindEscalate, {
  valid: [{ name: 'get roles', code: clusterRole('r', rule('[rbac.authorization.k8s.io]', '[roles]', '[get]')) }],
  invalid: [
    {
      name: 'escalate clusterroles',
      code: clusterRole('esc', rule('[rbac.authorization.k8s.io]', '[clusterroles]', '[escalate]')),
      errors: [{ message: /can bind or escalate roles in every namespace, so can grant itself any permission, up to cluster-admin/ }],
    },
  ],
});

RuleTester.run(rbacManageRbac, {
  valid: [{ name: 'list bindings', code: clusterRole('r', rule('[rbac.authorization.k8s.io]', '[rolebindings]', '[list]')) }],
  invalid: [
    {
      name: 'create rolebindings',
      code: role('rb', 'shop', rule('[rbac.authorization.k8s.io]', '[rolebindings]', '[create]')),
      errors: [{ message: /create or change roles and bindings in namespace shop/ }],
    },
  ],
});

RuleTester.run(rbacTokenCreate, {
  valid: [{ name: 'get serviceaccounts', code: role('r', 'shop', rule('[""]', '[serviceaccounts]', '[get]')) }],
  invalid: [
    {
      name: 'token requests',
      code: role('t', 'shop', rule('[""]', '[serviceaccounts/token]', '[create]')),
      errors: [{ message: /mint tokens for any service account in namespace shop/ }],
    },
  ],
});

RuleTester.run(rbacCsrApprove, {
  valid: [{ name: 'create CSRs only', code: clusterRole('c', rule('[certificates.k8s.io]', '[certificatesigningrequests]', '[create]')) }],
  invalid: [
    {
      name: 'approval subresource',
      code: clusterRole('a', rule('[certificates.k8s.io]', '[certificatesigningrequests/approval]', '[update]')),
      errors: [{ message: /approve certificate signing requests/ }],
    },
    {
      name: 'signers approve',
      code: clusterRole(
        's',
        '- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  resourceNames: [kubernetes.io/kube-apiserver-client]\n  verbs: [approve]\n',
      ),
      errors: [{ text: '[approve]' }],
    },
  ],
});

RuleTester.run(rbacAdmissionWebhooks, {
  valid: [{ name: 'list webhooks', code: clusterRole('l', rule('[admissionregistration.k8s.io]', '[mutatingwebhookconfigurations]', '[list]')) }],
  invalid: [
    {
      name: 'patch webhooks',
      code: clusterRole('w', rule('[admissionregistration.k8s.io]', '[validatingwebhookconfigurations, mutatingwebhookconfigurations]', '[patch]')),
      errors: [{ message: /register admission webhooks/ }],
    },
  ],
});

RuleTester.run(rbacStatusPatch, {
  valid: [{ name: 'deployments/status', code: clusterRole('d', rule('[apps]', '[deployments/status]', '[patch]')) }],
  invalid: [
    { name: 'services/status (CVE-2020-8554)', code: clusterRole('lb', rule('[""]', '[services/status]', '[update]')), errors: [{ message: /CVE-2020-8554/ }] },
  ],
});

RuleTester.run(rbacPersistentVolumeCreate, {
  valid: [{ name: 'claims', code: role('c', 'shop', rule('[""]', '[persistentvolumeclaims]', '[create]')) }],
  invalid: [{ name: 'PVs', code: clusterRole('pv', rule('[""]', '[persistentvolumes]', '[create, delete]')), errors: [{ message: /hostPath PV/ }] }],
});

RuleTester.run(rbacConfigmapsWrite, {
  valid: [
    { name: 'read configmaps', code: role('r', 'shop', rule('[""]', '[configmaps]', '[get, list]')) },
    {
      name: 'named configmaps only',
      code: role('n', 'kube-system', '- apiGroups: [""]\n  resources: [configmaps]\n  resourceNames: [my-app]\n  verbs: [update]\n'),
    },
  ],
  invalid: [
    {
      name: 'in kube-system: CoreDNS and aws-auth in reach',
      code: role('cm', 'kube-system', rule('[""]', '[configmaps]', '[patch]')),
      errors: [{ message: /can rewrite ConfigMaps in namespace kube-system \(kube-system's coredns Corefile/ }],
    },
    {
      name: 'in an application namespace',
      code: role('cm', 'shop', rule('[""]', '[configmaps]', '[create]')),
      errors: [{ message: /can rewrite ConfigMaps in namespace shop\. / }],
    },
  ],
});

RuleTester.run(rbacNetworkingWrite, {
  valid: [{ name: 'read services', code: role('r', 'shop', rule('[""]', '[services]', '[get]')) }],
  invalid: [
    {
      name: 'delete networkpolicies',
      code: role('np', 'shop', rule('[networking.k8s.io]', '[networkpolicies]', '[delete]')),
      errors: [{ message: /can redirect or open traffic in namespace shop/ }],
    },
  ],
});

RuleTester.run(rbacDeleteEvidence, {
  valid: [{ name: 'delete pods', code: role('d', 'shop', rule('[""]', '[pods]', '[delete]')) }],
  invalid: [
    {
      name: 'delete events',
      code: clusterRole('e', rule('[events.k8s.io]', '[events]', '[deletecollection]')),
      errors: [{ message: /can delete events or pod logs in every namespace/ }],
    },
  ],
});
