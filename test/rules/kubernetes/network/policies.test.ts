import { RuleTester } from '../../../../rules/tester';
import { networkPolicyPeerSelectsNothing, networkPolicySelectsNoPods } from '../../../../rules/kubernetes/network/networkPolicyTargets';
import { networkPolicyPortMismatch } from '../../../../rules/kubernetes/network/networkPolicyPorts';
import { PERMISSIVE_POLICY_RULES } from '../../../../rules/kubernetes/network/permissivePolicies';
import { deployment, NAMED_HTTP_8080, policy, service } from './fixtures';

const rule = (id: string) => PERMISSIVE_POLICY_RULES.find((r) => r.id === id)!;
const WEB = deployment('web', { ports: NAMED_HTTP_8080 });

RuleTester.run(networkPolicySelectsNoPods, {
  valid: [
    { name: 'selects a pod in another file', code: policy('p', '  podSelector:\n    matchLabels: {app: web}\n'), files: { 'app.yaml': WEB } },
    { name: 'empty podSelector selects all', code: policy('p', '  podSelector: {}\n'), files: { 'app.yaml': WEB } },
    {
      name: 'matchExpressions In',
      code: policy('p', '  podSelector:\n    matchExpressions:\n    - {key: app, operator: In, values: [api, web]}\n'),
      files: { 'app.yaml': WEB },
    },
    {
      name: 'NotIn a value the pod does not have',
      code: policy('p', '  podSelector:\n    matchExpressions:\n    - {key: app, operator: NotIn, values: [api]}\n'),
      files: { 'app.yaml': WEB },
    },
    {
      name: 'no workloads of that namespace in the workspace',
      code: policy('p', '  podSelector:\n    matchLabels: {app: x}\n', 'other'),
      files: { 'app.yaml': WEB },
    },
  ],
  invalid: [
    {
      name: 'label drift',
      code: policy('p', '  podSelector:\n    matchLabels: {app: frontend}\n'),
      files: { 'app.yaml': WEB },
      errors: [
        {
          text: 'matchLabels: {app: frontend}',
          message:
            'NetworkPolicy/p selects app=frontend, which no pod template in the unnamed namespace (objects without metadata.namespace) carries (there: Deployment/web (app.yaml)): it isolates nothing.',
        },
      ],
    },
    {
      name: 'DoesNotExist on a label every pod has',
      code: policy('p', '  podSelector:\n    matchExpressions:\n    - {key: app, operator: DoesNotExist}\n'),
      files: { 'app.yaml': WEB },
      errors: [{ line: 6 }],
    },
    {
      name: 'Exists on a missing label',
      code: policy('p', '  podSelector:\n    matchExpressions:\n    - {key: tier, operator: Exists}\n'),
      files: { 'app.yaml': WEB },
      errors: [{ line: 6 }],
    },
  ],
});

const PEER = (sel: string, ns?: string) => policy('p', `  podSelector: {}\n  ingress:\n  - from:\n    - ${sel}\n`, ns);
RuleTester.run(networkPolicyPeerSelectsNothing, {
  valid: [
    { name: 'peer selects a pod', code: PEER('podSelector: {matchLabels: {app: web}}'), files: { 'app.yaml': WEB } },
    {
      name: 'namespaceSelector on a namespace not in the workspace',
      code: PEER('namespaceSelector: {matchLabels: {team: x}}\n      podSelector: {matchLabels: {app: nope}}'),
      files: { 'app.yaml': WEB },
    },
    {
      name: 'the automatic kubernetes.io/metadata.name label',
      code: PEER('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}\n      podSelector: {matchLabels: {app: prom}}', 'shop'),
      files: { 'a.yaml': deployment('web', { ns: 'shop' }), 'b.yaml': deployment('prom', { ns: 'mon' }) },
    },
  ],
  invalid: [
    {
      name: 'same-namespace peer selects nothing',
      code: PEER('podSelector: {matchLabels: {app: frontend}}'),
      files: { 'app.yaml': WEB },
      errors: [{ text: '{matchLabels: {app: frontend}}', message: /ingress peer podSelector app=frontend selects no pod template in the unnamed namespace/ }],
    },
    {
      name: 'peer in a namespace selected by its automatic label',
      code: PEER('namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}\n      podSelector: {matchLabels: {app: grafana}}', 'shop'),
      files: { 'a.yaml': deployment('web', { ns: 'shop' }), 'b.yaml': deployment('prom', { ns: 'mon' }) },
      errors: [{ text: '{matchLabels: {app: grafana}}', message: /namespace "mon"/ }],
    },
  ],
});

const CHECKOUT = deployment('checkout', { ports: '        - name: grpc\n          containerPort: 5050\n' });
const CHECKOUT_SVC = service('checkout', { ports: '  - port: 80\n    targetPort: grpc\n' });
const ALLOW = (port: string) =>
  policy(
    'allow',
    `  podSelector:\n    matchLabels: {app: checkout}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: web}}\n    ports:\n    - port: ${port}\n`,
  );
RuleTester.run(networkPolicyPortMismatch, {
  valid: [
    { name: 'the pod port', code: ALLOW('5050'), files: { 'app.yaml': CHECKOUT, 'svc.yaml': CHECKOUT_SVC } },
    { name: 'the pod port by name', code: ALLOW('grpc'), files: { 'app.yaml': CHECKOUT, 'svc.yaml': CHECKOUT_SVC } },
    { name: 'a port no Service maps (not enough to tell)', code: ALLOW('9999'), files: { 'app.yaml': CHECKOUT, 'svc.yaml': CHECKOUT_SVC } },
    {
      name: 'Service port equal to targetPort',
      code: ALLOW('80'),
      files: { 'app.yaml': deployment('checkout', { ports: '        - containerPort: 80\n' }), 'svc.yaml': service('checkout', { ports: '  - port: 80\n' }) },
    },
  ],
  invalid: [
    {
      name: 'the Service port instead of the pod port (safe fix)',
      code: ALLOW('80'),
      files: { 'app.yaml': CHECKOUT, 'svc.yaml': CHECKOUT_SVC },
      errors: [
        {
          text: '80',
          message:
            "NetworkPolicy/allow allows port 80, the Service port of Service/checkout (svc.yaml), but that Service forwards to grpc (5050 on the pods): policies see the pod's port, so this rule blocks the traffic it meant to allow.",
        },
      ],
      output: ALLOW('5050'),
    },
    {
      name: 'a named port no selected pod declares',
      code: ALLOW('http'),
      files: { 'app.yaml': CHECKOUT },
      errors: [{ text: 'http', message: /allows the port named "http", which no selected pod declares/ }],
    },
  ],
});

RuleTester.run(rule('networkpolicy-ingress-allows-all'), {
  valid: [
    policy('p', '  podSelector: {}\n  ingress:\n  - ports:\n    - port: 443\n'),
    policy('p', '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: a}}\n'),
    policy('p', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - {}\n'),
  ],
  invalid: [
    { name: 'no from, no ports', code: policy('p', '  podSelector: {}\n  ingress:\n  - {}\n'), errors: [{ text: '{}', line: 7 }] },
    {
      name: '0.0.0.0/0',
      code: policy('p', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 0.0.0.0/0}\n'),
      errors: [{ line: 7, message: /admits every source on every port/ }],
    },
    { name: 'all namespaces', code: policy('p', '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {}\n'), errors: [{ line: 7 }] },
  ],
});

RuleTester.run(rule('networkpolicy-egress-unrestricted'), {
  valid: [
    policy('p', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - {port: 53, protocol: UDP}\n'),
    policy('p', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n'),
  ],
  invalid: [
    {
      name: 'egress: [{}]',
      code: policy('p', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - {}\n'),
      errors: [{ text: '{}', message: /connect anywhere/ }],
    },
  ],
});

RuleTester.run(rule('networkpolicy-egress-metadata'), {
  valid: [
    policy(
      'p',
      '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: [169.254.169.254/32]\n',
    ),
    policy('p', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - {port: 443}\n'),
    policy('p', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n'),
  ],
  invalid: [
    {
      name: 'the whole Internet',
      code: policy('p', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {cidr: 0.0.0.0/0}\n'),
      errors: [{ line: 8, message: /169\.254\.169\.254/ }],
    },
    {
      name: 'link-local on port 80',
      code: policy('p', '  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {cidr: 169.254.0.0/16}\n    ports:\n    - port: 80\n'),
      errors: [{ line: 8 }],
    },
  ],
});
