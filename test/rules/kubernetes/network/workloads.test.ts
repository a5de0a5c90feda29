import { RuleTester } from '../../../../rules/tester';
import { probePortUndeclared } from '../../../../rules/kubernetes/network/probePortUndeclared';
import { controllerSelectorMismatch } from '../../../../rules/kubernetes/network/controllerSelectorMismatch';
import { ingressBackendMissing } from '../../../../rules/kubernetes/network/ingressBackendMissing';
import { deployment, NAMED_HTTP_8080, service } from './fixtures';

const probe = (port: string) => `        readinessProbe:\n          httpGet: {path: /, port: ${port}}\n`;

RuleTester.run(probePortUndeclared, {
  valid: [
    deployment('web', { ports: NAMED_HTTP_8080, probe: probe('http') }),
    deployment('web', { ports: NAMED_HTTP_8080, probe: probe('8080') }),
    { name: 'numeric probe, container declares no ports', code: deployment('web', { probe: probe('8080') }) },
  ],
  invalid: [
    {
      name: 'unknown port name',
      code: deployment('web', { ports: NAMED_HTTP_8080, probe: probe('health') }),
      errors: [
        {
          text: 'health',
          message:
            'readinessProbe of container "web" in Deployment/web uses the port named "health", which the container does not declare: the probe cannot resolve it and fails.',
        },
      ],
    },
    { name: 'unknown port name, no ports at all', code: deployment('web', { probe: probe('http') }), errors: [{ text: 'http' }] },
    {
      name: 'undeclared number',
      code: deployment('web', { ports: NAMED_HTTP_8080, probe: '        livenessProbe:\n          tcpSocket: {port: 9090}\n' }),
      errors: [{ text: '9090', message: /livenessProbe .* checks port 9090, which the container does not declare \(it declares 8080\)/ }],
    },
  ],
});

RuleTester.run(controllerSelectorMismatch, {
  valid: [deployment('web'), deployment('web', { selector: '    matchExpressions:\n    - {key: app, operator: In, values: [web, api]}\n' })],
  invalid: [
    {
      name: 'matchLabels differ',
      code: deployment('web', { selector: '    matchLabels: {app: api}\n' }),
      errors: [
        {
          text: 'selector:\n    matchLabels: {app: api}',
          message: 'Deployment/web selects app=api but its pod template is labelled app=web: the controller does not own the pods it creates.',
        },
      ],
    },
    {
      name: 'ReplicationController map selector',
      code: 'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  selector: {app: a}\n  template:\n    metadata:\n      labels: {app: b}\n    spec:\n      containers: [{name: c}]\n',
      errors: [{ text: 'selector: {app: a}' }],
    },
  ],
});

const ingress = (name: string, port: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: ${name}\n            port: {${port}}\n`;
RuleTester.run(ingressBackendMissing, {
  valid: [
    { name: 'Service and port by number', code: ingress('web', 'number: 80'), files: { 'svc.yaml': service('web') } },
    { name: 'port by name', code: ingress('web', 'name: http'), files: { 'svc.yaml': service('web', { ports: '  - name: http\n    port: 80\n' }) } },
    { name: 'no Service of the namespace in the workspace', code: ingress('web', 'number: 80') },
  ],
  invalid: [
    {
      name: 'missing Service',
      code: ingress('frontend', 'number: 80'),
      files: { 'svc.yaml': service('web') },
      errors: [
        {
          text: 'frontend',
          message:
            'Ingress/shop routes to Service "frontend", which is not in the unnamed namespace (objects without metadata.namespace) in the workspace (it has web).',
        },
      ],
    },
    {
      name: 'missing port',
      code: ingress('web', 'number: 8080'),
      files: { 'svc.yaml': service('web') },
      errors: [{ text: '8080', message: 'Ingress/shop routes to port 8080 of Service/web (svc.yaml), which has no such port (80).' }],
    },
  ],
});
