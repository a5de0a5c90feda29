import { RuleTester } from '../../../../rules/tester';
import { attackPath, workloadRbacRights } from '../../../../rules/kubernetes/rbac/workloadChains';
import { clusterRole, clusterRoleBinding, deployment, role, roleBinding, rule, sa, serviceAccount } from './fixtures';

const SECRETS_CLUSTER = {
  'rbac.yaml': clusterRole('reader', rule('[""]', '[secrets]', '[get, list]')) + '---\n' + clusterRoleBinding('reader', 'reader', sa('api', 'shop')),
};
const CREATE_PODS_NS = {
  'rbac.yaml':
    role('deployer', 'shop', rule('[apps]', '[deployments]', '[create]')) + '---\n' + roleBinding('deployer', 'shop', 'Role', 'deployer', sa('api', 'shop')),
};
const ADMIN = { 'crb.yaml': clusterRoleBinding('api-admin', 'cluster-admin', sa('api', 'shop')) };
const NAMESPACE = (level: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;

RuleTester.run(workloadRbacRights, {
  valid: [
    { name: 'no binding', code: deployment('api', 'shop', { sa: 'api' }) },
    {
      name: 'token not mounted (pod)',
      code: deployment('api', 'shop', { sa: 'api', podExtra: '      automountServiceAccountToken: false\n' }),
      files: SECRETS_CLUSTER,
    },
    {
      name: 'token not mounted (ServiceAccount)',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: { ...SECRETS_CLUSTER, 'sa.yaml': serviceAccount('api', 'shop', 'automountServiceAccountToken: false\n') },
    },
    { name: 'bound in another namespace', code: deployment('api', 'other', { sa: 'api' }), files: SECRETS_CLUSTER },
    { name: 'a harmless role', code: deployment('api', 'shop', { sa: 'api' }), files: { 'rb.yaml': clusterRoleBinding('v', 'view', sa('api', 'shop')) } },
  ],
  invalid: [
    {
      name: 'cluster-wide secret reader, fix turns the mount off',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: SECRETS_CLUSTER,
      errors: [
        {
          text: 'api',
          line: 12,
          message:
            'Deployment/api runs as ServiceAccount api with its token mounted, and that account can read every Secret in the cluster (ClusterRoleBinding/reader (rbac.yaml) → ClusterRole/reader (rbac.yaml)).',
        },
      ],
      output: deployment('api', 'shop', { sa: 'api', podExtra: '' }).replace(
        '        image: example/api:1\n',
        '        image: example/api:1\n      automountServiceAccountToken: false\n',
      ),
    },
    {
      name: 'the namespace default account, through the built-in edit role',
      code: deployment('web', 'shop'),
      files: { 'rb.yaml': roleBinding('devs', 'shop', 'ClusterRole', 'edit', '- kind: ServiceAccount\n  name: default\n') },
      errors: [
        {
          text: 'name: web',
          message:
            /runs as ServiceAccount default with its token mounted, and that account can impersonate users, groups or service accounts in namespace shop \(RoleBinding\/devs \(rb\.yaml\) → the built-in ClusterRole\/edit\); it also can create pods/,
        },
      ],
    },
    {
      name: 'a projected token mounts even with automount off (no fix offered)',
      code: deployment('api', 'shop', {
        sa: 'api',
        podExtra:
          '      automountServiceAccountToken: false\n      volumes:\n      - name: t\n        projected:\n          sources:\n          - serviceAccountToken: {path: token}\n',
      }),
      files: ADMIN,
      errors: [{ message: /is cluster-admin/ }],
    },
    {
      name: 'pod creation in its namespace',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: CREATE_PODS_NS,
      errors: [{ message: /can create pods or pod controllers in namespace shop, so can run as any service account there/ }],
    },
  ],
});

RuleTester.run(attackPath, {
  valid: [
    { name: 'nothing', code: deployment('api', 'shop', { sa: 'api' }) },
    {
      name: 'pod creation where Pod Security enforces baseline',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: { ...CREATE_PODS_NS, 'ns.yaml': NAMESPACE('baseline') },
    },
    {
      name: 'cluster-admin, but no token',
      code: deployment('api', 'shop', { sa: 'api', podExtra: '      automountServiceAccountToken: false\n' }),
      files: ADMIN,
    },
    {
      name: 'a read-only hostPath of a harmless directory',
      code: deployment('api', 'shop', {
        podExtra: '      volumes:\n      - name: tz\n        hostPath: {path: /usr/share/zoneinfo}\n',
        container: '        volumeMounts:\n        - {name: tz, mountPath: /tz, readOnly: true}\n',
      }),
    },
    {
      name: 'SYS_PTRACE without hostPID',
      code: deployment('api', 'shop', { container: '        securityContext:\n          capabilities:\n            add: [SYS_PTRACE]\n' }),
    },
  ],
  invalid: [
    {
      name: 'one step: privileged',
      code: deployment('node-agent', 'ops', { container: '        securityContext:\n          privileged: true\n' }),
      errors: [
        {
          text: 'true',
          message:
            'Deployment/node-agent is 1 step from root on a node (any node running Deployment/node-agent): 1. CE_PRIV_MOUNT: container "node-agent" runs privileged: it can mount the node\'s disk.',
        },
      ],
    },
    {
      name: 'two steps to node root: token, then pod creation',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: CREATE_PODS_NS,
      errors: [
        {
          text: 'api',
          message:
            /is 2 steps from root on a node .*1\. IDENTITY_ASSUME: .*; 2\. POD_CREATE: can create pods or pod templates in namespace shop and run a privileged pod \(through RoleBinding\/deployer → Role\/deployer\)/,
        },
      ],
    },
    {
      name: 'two steps to cluster-admin',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: ADMIN,
      errors: [
        {
          message:
            /is 2 steps from cluster-admin \(cluster-admin\): 1\. IDENTITY_ASSUME: .*2\. PERMISSION_DISCOVER: holds every verb on every resource: cluster-admin \(through ClusterRoleBinding\/api-admin → built-in ClusterRole\/cluster-admin\)/,
        },
      ],
    },
    {
      name: 'the runtime socket',
      code: deployment('ci', 'shop', {
        podExtra: '      volumes:\n      - name: sock\n        hostPath: {path: /var/run/docker.sock}\n',
        container: '        volumeMounts:\n        - {name: sock, mountPath: /var/run/docker.sock}\n',
      }),
      errors: [{ text: '{name: sock, mountPath: /var/run/docker.sock}', message: /EXPLOIT_CONTAINERD_SOCK/ }],
    },
    {
      name: "reading the host root is the node's credentials, not root",
      code: deployment('exporter', 'mon', {
        podExtra: '      automountServiceAccountToken: false\n      volumes:\n      - name: root\n        hostPath: {path: /}\n',
        container: '        volumeMounts:\n        - {name: root, mountPath: /host, readOnly: true}\n',
      }),
      errors: [
        {
          message:
            /is 1 step from a node's credentials \(any node running Deployment\/exporter\): 1\. EXPLOIT_HOST_READ: container "exporter" mounts \/ read-only from the host/,
        },
      ],
    },
    {
      name: 'SYS_PTRACE with hostPID',
      code: deployment('dbg', 'shop', {
        podExtra: '      hostPID: true\n',
        container: '        securityContext:\n          capabilities:\n            add: [SYS_PTRACE]\n',
      }),
      errors: [{ text: 'SYS_PTRACE', message: /CE_SYS_PTRACE/ }],
    },
    {
      name: 'a workload without a namespace matches a binding that names its account in one (install.yaml applied with -n)',
      code: deployment('controller', 'x', { sa: 'controller' }).replace('  namespace: x\n', ''),
      files: { 'crb.yaml': clusterRoleBinding('controller', 'cluster-admin', sa('controller', 'argocd')) },
      errors: [{ message: /2 steps from cluster-admin/ }],
    },
    {
      name: 'list secrets of the namespace',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: { 'rb.yaml': roleBinding('r', 'shop', 'ClusterRole', 'edit', sa('api', 'shop')) },
      errors: [{ message: /2 steps from root on a node/ }],
    },
    {
      name: 'get-only secret access is a brute force',
      code: deployment('api', 'shop', { sa: 'api' }),
      files: { 'r.yaml': role('g', 'shop', rule('[""]', '[secrets]', '[get]')) + '---\n' + roleBinding('g', 'shop', 'Role', 'g', sa('api', 'shop')) },
      errors: [{ message: /2 steps from every Secret \(every Secret of namespace shop\): .*TOKEN_BRUTEFORCE/ }],
    },
  ],
});
