import { RuleTester } from '../../../../../rules/tester';
import { gatewayListenerWithoutTls } from '../../../../../rules/kubernetes/network/exposure/gatewayListenerWithoutTls';

const gw = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  gatewayClassName: eg\n  listeners:\n${listeners}`;
const istio = (servers: string) => `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: edge\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n${servers}`;

RuleTester.run(gatewayListenerWithoutTls, {
  valid: [
    { name: 'HTTP beside HTTPS (the redirect listener)', code: gw('  - {name: http, port: 80, protocol: HTTP}\n  - name: https\n    port: 443\n    protocol: HTTPS\n    tls: {certificateRefs: [{name: edge-cert}]}\n') },
    { name: 'TLS passthrough', code: gw('  - {name: tls, port: 443, protocol: TLS, tls: {mode: Passthrough}}\n') },
    { name: 'TCP is not HTTP', code: gw('  - {name: db, port: 5432, protocol: TCP}\n') },
    { name: 'Istio HTTP server redirecting to HTTPS', code: istio('  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n    tls: {httpsRedirect: true}\n') },
    { name: 'Istio HTTPS server', code: istio('  - port: {number: 80, name: http, protocol: HTTP}\n    hosts: ["*"]\n  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: ["*"]\n    tls: {mode: SIMPLE, credentialName: edge}\n') },
    { name: 'an unknown Gateway kind', code: 'apiVersion: example.com/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  listeners: [{protocol: HTTP}]\n' },
  ],
  invalid: [
    {
      name: 'Gateway API, HTTP only',
      code: gw('  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes: {namespaces: {from: Same}}\n'),
      errors: [{ text: 'HTTP', line: 9, message: 'Listener "http" (port 80) of Gateway/edge serves plain HTTP and the Gateway has no HTTPS or TLS listener: its routes are only reachable unencrypted.' }],
    },
    {
      name: 'Istio, HTTP only',
      code: istio('  - port:\n      number: 80\n      name: http\n      protocol: HTTP\n    hosts: ["shop.example.com"]\n'),
      errors: [{ text: 'HTTP', line: 10, message: 'A server (port 80) of Gateway/edge serves plain HTTP and the Gateway has no HTTPS or TLS server: the hosts it routes are only reachable unencrypted.' }],
    },
  ],
});
