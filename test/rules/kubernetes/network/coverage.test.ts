import { RuleTester } from '../../../../rules/tester';
import { namespaceWithoutNetworkPolicy, podNotIsolatedEgress, podNotIsolatedIngress } from '../../../../rules/kubernetes/network/coverage';
import { containerPortUnused } from '../../../../rules/kubernetes/network/containerPortUnused';
import { deployment, policy, service } from './fixtures';

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const DENY = policy('deny', '  podSelector: {}\n  policyTypes: [Ingress]\n', 'shop');
const HOST_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  hostNetwork: true\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.5.12-0\n';
const hostNetwork = (workload: string) => workload.replace('    spec:\n', '    spec:\n      hostNetwork: true\n');
const DENY_ALL = policy('default-deny', '  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Egress\n', 'shop');

RuleTester.run(namespaceWithoutNetworkPolicy, {
  valid: [
    { name: 'the namespace has a policy in another file', code: NS, files: { 'app.yaml': deployment('web', { ns: 'shop' }), 'pol.yaml': DENY } },
    { name: 'a Namespace without workloads', code: NS },
    {
      name: 'the same Namespace in an earlier file carries the finding',
      code: NS,
      path: 'z.yaml',
      files: { 'a.yaml': NS, 'app.yaml': deployment('web', { ns: 'shop' }) },
    },
    { name: 'reported on the Namespace object, not on the workload', code: deployment('web', { ns: 'shop' }), files: { 'ns.yaml': NS } },
    { name: 'a workload of a namespace with a policy', code: deployment('web', { ns: 'shop' }), files: { 'pol.yaml': DENY } },
    {
      name: 'a hostNetwork workload (a static control-plane pod): NetworkPolicies do not apply to it',
      code: HOST_POD,
      files: { 'z.yaml': HOST_POD.replace('name: etcd', 'name: kube-apiserver') },
    },
    { name: 'a Namespace holding only hostNetwork pods', code: NS, files: { 'app.yaml': hostNetwork(deployment('agent', { ns: 'shop' })) } },
  ],
  invalid: [
    {
      name: 'on the Namespace object; the fix appends a default-deny policy after it',
      code: `${NS}---\n${deployment('web', { ns: 'shop' })}`,
      errors: [
        {
          text: 'kind: Namespace',
          message:
            'namespace "shop" holds a workload (Deployment/web (manifest.yaml)) and no NetworkPolicy: every pod in it accepts connections from, and reaches, every pod of the cluster.',
        },
      ],
      output: `${NS}---\n${DENY_ALL}---\n${deployment('web', { ns: 'shop' })}`,
    },
    {
      name: 'the Namespace is the last document',
      code: NS,
      files: { 'app.yaml': deployment('web', { ns: 'shop' }) },
      errors: [{ text: 'kind: Namespace', message: /Deployment\/web \(app.yaml\)/ }],
      output: `${NS}---\n${DENY_ALL}`,
    },
    {
      name: 'hostNetwork pods are not counted among the workloads of the namespace',
      code: NS,
      files: { 'app.yaml': deployment('web', { ns: 'shop' }), 'agent.yaml': hostNetwork(deployment('agent', { ns: 'shop' })) },
      errors: [{ text: 'kind: Namespace', message: /holds a workload \(Deployment\/web \(app.yaml\)\)/ }],
      output: `${NS}---\n${DENY_ALL}`,
    },
    {
      name: 'without a Namespace object: on each workload, no fix',
      code: deployment('api'),
      files: { 'z.yaml': deployment('web') },
      errors: [
        {
          text: 'kind: Deployment',
          message:
            'the unnamed namespace (objects without metadata.namespace) has no NetworkPolicy in the workspace: Deployment/api accepts connections from, and reaches, every pod of the cluster.',
        },
      ],
    },
  ],
});

RuleTester.run(podNotIsolatedIngress, {
  valid: [
    { name: 'selected by a default-deny in another file', code: deployment('web', { ns: 'shop' }), files: { 'pol.yaml': DENY } },
    { name: 'no policy at all in the namespace (namespace rule instead)', code: deployment('web', { ns: 'shop' }) },
    { name: 'policies of another namespace do not count, nor report', code: deployment('web', { ns: 'a' }), files: { 'pol.yaml': DENY } },
  ],
  invalid: [
    {
      name: 'the policies select other pods',
      code: deployment('web', { ns: 'shop' }),
      files: { 'pol.yaml': policy('api-only', '  podSelector:\n    matchLabels: {app: api}\n', 'shop') },
      errors: [
        {
          text: '{app: web}',
          line: 10,
          message:
            'Deployment/web is selected by no Ingress NetworkPolicy of namespace "shop" (the namespace has NetworkPolicy/api-only (pol.yaml)): any pod of the cluster can connect to it.',
        },
      ],
    },
    {
      name: 'selected only by an egress policy',
      code: deployment('web', { ns: 'shop' }),
      files: { 'pol.yaml': policy('eg', '  podSelector: {}\n  policyTypes: [Egress]\n', 'shop') },
      errors: [{ message: /it is selected only by NetworkPolicy\/eg \(pol.yaml\)/ }],
    },
  ],
});

RuleTester.run(podNotIsolatedEgress, {
  valid: [{ name: 'default deny both ways', code: deployment('web', { ns: 'shop' }), files: { 'pol.yaml': DENY_ALL } }],
  invalid: [
    {
      name: 'ingress-only policies',
      code: deployment('web', { ns: 'shop' }),
      files: { 'pol.yaml': DENY },
      errors: [{ text: '{app: web}', message: /no Egress NetworkPolicy/ }],
    },
  ],
});

RuleTester.run(containerPortUnused, {
  valid: [
    {
      name: 'targeted by a Service in another file',
      code: deployment('web', { ports: '        - containerPort: 8080\n' }),
      files: { 'svc.yaml': service('web') },
    },
    {
      name: 'used by a probe',
      code: deployment('web', {
        ports: '        - name: health\n          containerPort: 9000\n',
        probe: '        livenessProbe:\n          httpGet: {port: health}\n',
      }),
    },
    {
      name: 'named in a policy',
      code: deployment('web', { ports: '        - containerPort: 9000\n' }),
      files: { 'pol.yaml': policy('p', '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 9000\n') },
    },
  ],
  invalid: [
    {
      name: 'a port nothing uses',
      code: deployment('web', { ports: '        - containerPort: 8080\n        - containerPort: 9999\n' }),
      files: { 'svc.yaml': service('web') },
      errors: [
        {
          text: '9999',
          message:
            'Deployment/web declares port 9999 on container "web", which no Service, probe or NetworkPolicy in the workspace uses. Port fields are documentation: nothing verifies them against what the program listens on.',
        },
      ],
    },
  ],
});
