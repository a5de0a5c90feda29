import { isMap } from 'yaml';
import type { Node } from 'yaml';
import { findPair, getMap, getScalar, getSeq, getString, seqItems } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { spec, valueNode } from './common';

const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

export const gatewayListenerWithoutTls: KubernetesRule = {
  id: 'gateway-listener-without-tls',
  language: 'kubernetes',
  title: 'Gateway serves HTTP only',
  category: 'network',
  severity: 'warning',
  description:
    'The Gateway API and Istio equivalent of `ingress-without-tls`: a Gateway (`gateway.networking.k8s.io`) ' +
    'whose listeners are `protocol: HTTP` with no `HTTPS` or `TLS` listener beside them, or an Istio Gateway ' +
    '(`networking.istio.io`) whose servers are `HTTP` without an `HTTPS`/`TLS` server, serves every route ' +
    'attached to it in clear text. An HTTP listener next to an HTTPS one is not reported (it usually redirects), ' +
    'nor is an Istio HTTP server with `tls.httpsRedirect: true`.',
  remediation:
    'Add an `HTTPS` listener with `tls.certificateRefs` (or an Istio server with `protocol: HTTPS` and ' +
    '`tls.credentialName`), and redirect the HTTP listener with an HTTPRoute `RequestRedirect` filter (`scheme: https`).',
  references: [],
  fixes: [],
  recommended: true,
  docsUrl: 'https://gateway-api.sigs.k8s.io/guides/tls/',
  kinds: ['Gateway'],
  check(ctx) {
    const { object } = ctx;
    const doc = object.doc;
    const api = object.apiVersion ?? '';
    if (api.startsWith('gateway.networking.k8s.io/')) {
      const listeners = seqItems(getSeq(spec(object), 'listeners', doc), doc).filter(isMap);
      const protocol = (l: unknown) => (getString(l, 'protocol', doc) ?? '').toUpperCase();
      if (listeners.some((l) => TLS_PROTOCOLS.has(protocol(l)))) return;
      for (const l of listeners) {
        if (protocol(l) !== 'HTTP') continue;
        const name = getString(l, 'name', doc);
        const port = getScalar(l, 'port', doc);
        ctx.report({
          at: valueNode(findPair(l, 'protocol', doc)!),
          message: `Listener ${name ? `"${name}" ` : ''}${port !== undefined ? `(port ${String(port)}) ` : ''}of ${object.label} serves plain HTTP and the Gateway has no HTTPS or TLS listener: its routes are only reachable unencrypted.`,
        });
      }
    } else if (api.startsWith('networking.istio.io/')) {
      const servers = seqItems(getSeq(spec(object), 'servers', doc), doc).filter(isMap);
      const protocol = (s: unknown) => (getString(getMap(s, 'port', doc), 'protocol', doc) ?? '').toUpperCase();
      if (servers.some((s) => TLS_PROTOCOLS.has(protocol(s)))) return;
      for (const s of servers) {
        if (protocol(s) !== 'HTTP' && protocol(s) !== 'HTTP2') continue;
        if (getScalar(getMap(s, 'tls', doc), 'httpsRedirect', doc) === true) continue;
        const port = getMap(s, 'port', doc);
        const pair = findPair(port, 'protocol', doc);
        const number = getScalar(port, 'number', doc);
        ctx.report({
          at: pair ? valueNode(pair) : (findPair(s, 'port', doc)?.key as Node),
          message: `A server ${number !== undefined ? `(port ${String(number)}) ` : ''}of ${object.label} serves plain ${protocol(s)} and the Gateway has no HTTPS or TLS server: the hosts it routes are only reachable unencrypted.`,
        });
      }
    }
  },
};
