import { RuleTester } from '../../../../rules/tester';
import { serviceSelectsNoPods, serviceWithoutEndpoints } from '../../../../rules/kubernetes/network/serviceSelectsNoPods';
import { serviceTargetPortUndeclared } from '../../../../rules/kubernetes/network/serviceTargetPort';
import { deployment, NAMED_HTTP_8080, PORT_8080, service } from './fixtures';

RuleTester.run(serviceSelectsNoPods, {
  valid: [
    { name: 'selects a Deployment in another file', code: service('web'), files: { 'app.yaml': deployment('web') } },
    { name: 'no workload of its namespace in the workspace', code: service('web', { ns: 'a' }), files: { 'app.yaml': deployment('other', { ns: 'b' }) } },
    { name: 'selector-less Service', code: service('ext', { selector: '' }), files: { 'app.yaml': deployment('web') } },
    {
      name: 'a custom kind with spec.template',
      code: service('web'),
      files: { 'app.yaml': deployment('web', { kind: 'Rollout' }).replace('apps/v1', 'argoproj.io/v1alpha1') },
    },
    { name: 'unnamed namespaces match each other', code: service('web'), files: { 'a.yaml': deployment('web') } },
  ],
  invalid: [
    {
      name: 'labels differ',
      code: service('web', { selector: '{app: frontend}' }),
      files: { 'app.yaml': deployment('web') },
      errors: [
        {
          text: 'selector: {app: frontend}',
          message:
            'Service/web selects app=frontend, which no pod template in the unnamed namespace (objects without metadata.namespace) carries (there: Deployment/web (app.yaml)); the Service has no endpoints.',
        },
      ],
    },
    {
      name: 'never across two explicit namespaces',
      code: service('web', { ns: 'shop' }),
      files: { 'app.yaml': deployment('web', { ns: 'other' }) + '---\n' + deployment('x', { ns: 'shop' }) },
      errors: [{ text: 'selector: {app: web}', message: /namespace "shop"/ }],
    },
    {
      name: 'an unnamed-namespace workload does not match a Service with an explicit namespace',
      code: service('web', { ns: 'shop' }),
      files: { 'app.yaml': deployment('web') + '---\n' + deployment('x', { ns: 'shop' }) },
      errors: [{ line: 6 }],
    },
  ],
});

RuleTester.run(serviceWithoutEndpoints, {
  valid: [
    { name: 'has a selector', code: service('web') },
    {
      name: 'an EndpointSlice for it',
      code: service('db', { selector: '' }),
      files: {
        'eps.yaml':
          'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n  labels: {kubernetes.io/service-name: db}\naddressType: IPv4\nendpoints: []\n',
      },
    },
    { name: 'ExternalName', code: service('db', { selector: '', type: 'ExternalName' }) },
  ],
  invalid: [
    { name: 'no selector, no slice', code: service('db', { selector: '' }), errors: [{ text: 'kind: Service', message: /no selector and no EndpointSlice/ }] },
  ],
});

RuleTester.run(serviceTargetPortUndeclared, {
  valid: [
    { name: 'numeric target declared', code: service('web'), files: { 'app.yaml': deployment('web', { ports: PORT_8080 }) } },
    {
      name: 'named target declared',
      code: service('web', { ports: '  - port: 80\n    targetPort: http\n' }),
      files: { 'app.yaml': deployment('web', { ports: NAMED_HTTP_8080 }) },
    },
    { name: 'pods declare no ports: nothing to compare', code: service('web'), files: { 'app.yaml': deployment('web') } },
    {
      name: 'targetPort defaults to port',
      code: service('web', { ports: '  - port: 8080\n' }),
      files: { 'app.yaml': deployment('web', { ports: PORT_8080 }) },
    },
    {
      name: 'pods of another namespace are not compared',
      code: service('web', { ns: 'a' }),
      files: { 'app.yaml': deployment('web', { ns: 'b', ports: '        - containerPort: 9\n' }) },
    },
  ],
  invalid: [
    {
      name: 'targetPort matches nothing (fix to the only port)',
      code: service('web'),
      files: { 'app.yaml': deployment('web', { ports: '        - containerPort: 7070\n' }) },
      errors: [
        {
          text: '8080',
          message:
            'Service/web port 80 targets 8080, which no selected pod declares (they declare 7070: Deployment/web (app.yaml)). Port fields are documentation: nothing verifies them against what the program listens on.',
        },
      ],
      output: service('web').replace('targetPort: 8080', 'targetPort: 7070'),
    },
    {
      name: 'named targetPort no pod declares',
      code: service('web', { ports: '  - port: 80\n    targetPort: web\n' }),
      files: { 'app.yaml': deployment('web', { ports: NAMED_HTTP_8080 }) },
      errors: [{ text: 'web', line: 8, message: /targets the port named "web", which no selected pod declares/ }],
    },
    {
      name: 'named targetPort resolves differently across pods',
      code: service('web', { selector: '{tier: web}', ports: '  - port: 80\n    targetPort: http\n' }),
      files: {
        'a.yaml': deployment('a', { labels: '{app: a, tier: web}', ports: NAMED_HTTP_8080 }),
        'b.yaml': deployment('b', { labels: '{app: b, tier: web}', ports: '        - name: http\n          containerPort: 9090\n' }),
      },
      errors: [{ text: 'http', message: /resolves to different ports across the selected pods \(8080\/TCP, 9090\/TCP\)/ }],
    },
    {
      name: 'UDP Service to a TCP container port',
      code: service('dns', { ports: '  - port: 53\n    targetPort: 5353\n    protocol: UDP\n' }),
      files: { 'app.yaml': deployment('dns', { ports: '        - containerPort: 5353\n' }) },
      errors: [{ text: '5353', message: /is UDP but port 5353 is declared TCP/ }],
    },
  ],
});
