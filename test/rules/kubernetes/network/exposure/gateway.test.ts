import { RuleTester } from '../../../../../rules/tester';
import { gatewayListenerWithoutTls } from '../../../../../rules/kubernetes/network/exposure/gatewayListenerWithoutTls';
import { routeWithoutTls } from '../../../../../rules/kubernetes/network/exposure/routeWithoutTls';

const gw = (listeners: string) =>
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  gatewayClassName: eg\n  listeners:\n${listeners}`;
const istio = (servers: string) =>
  `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n${servers}`;

RuleTester.run(gatewayListenerWithoutTls, {
  valid: [
    {
      name: 'HTTP beside HTTPS (the redirect listener)',
      code: gw(
        '  - {name: http, port: 80, protocol: HTTP}\n  - name: https\n    port: 443\n    protocol: HTTPS\n    tls: {certificateRefs: [{name: edge-cert}]}\n',
      ),
    },
    { name: 'TLS passthrough', code: gw('  - {name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}\n') },
    { name: 'TCP is not HTTP', code: gw('  - {name: db, port: 5432, protocol: TCP}\n') },
    {
      name: 'Istio HTTP server redirecting to HTTPS',
      code: istio('  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n    tls: {httpsRedirect: true}\n'),
    },
    {
      name: 'Istio HTTPS server',
      code: istio(
        '  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ["*"]\n    tls: {mode: SIMPLE, credentialName: edge}\n',
      ),
    },
    { name: 'an unknown Gateway kind', code: 'apiVersion: example.com/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  listeners: [{protocol: HTTP}]\n' },
  ],
  invalid: [
    {
      name: 'Gateway API, HTTP only',
      code: gw('  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n'),
      errors: [
        {
          text: 'HTTP',
          line: 9,
          message:
            'Listener "http" (port 80) of Gateway/edge serves plain HTTP and the Gateway has no HTTPS or TLS listener: its routes are only reachable unencrypted.',
        },
      ],
    },
    {
      name: 'Istio, HTTP only',
      code: istio('  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts: ["shop.example.com"]\n'),
      errors: [
        {
          text: 'HTTP',
          line: 10,
          message:
            'A server (port 80) of Gateway/edge serves plain HTTP and the Gateway has no HTTPS or TLS server: the hosts it routes are only reachable unencrypted.',
        },
      ],
    },
  ],
});

const route = (specText: string) =>
  `apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: shop\nspec:\n  host: shop.apps.example.com\n  to: {kind: Service, name: shop}\n${specText}`;

RuleTester.run(routeWithoutTls, {
  valid: [
    route('  tls:\n    termination: edge\n    insecureEdgeTerminationPolicy: Redirect\n'),
    { name: 'TLS with the default policy (None)', code: route('  tls: {termination: reencrypt}\n') },
    { name: "another API group's Route", code: 'apiVersion: example.com/v1\nkind: Route\nmetadata: {name: r}\nspec: {}\n' },
  ],
  invalid: [
    {
      name: 'no TLS',
      code: route(''),
      errors: [
        {
          text: 'spec',
          line: 4,
          message: 'Route/shop has no TLS (spec.tls): shop.apps.example.com is served over plain HTTP, readable and alterable on the way.',
        },
      ],
    },
    {
      name: 'Allow, CRLF',
      code: route('  tls:\n    termination: edge\n    insecureEdgeTerminationPolicy: Allow # legacy clients\n').replace(/\n/g, '\r\n'),
      errors: [
        { text: 'Allow', line: 9, message: 'Route/shop sets insecureEdgeTerminationPolicy: Allow, so shop.apps.example.com is also served over plain HTTP.' },
      ],
      output: route('  tls:\n    termination: edge\n    insecureEdgeTerminationPolicy: Redirect # legacy clients\n').replace(/\n/g, '\r\n'),
    },
    {
      name: 'Allow, flow style',
      code: route('  tls: {termination: edge, insecureEdgeTerminationPolicy: Allow}\n'),
      errors: [{ text: 'Allow', line: 7 }],
      output: route('  tls: {termination: edge, insecureEdgeTerminationPolicy: Redirect}\n'),
    },
  ],
});
