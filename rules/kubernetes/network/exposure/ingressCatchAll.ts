import type { Node } from 'yaml';
import { findPair, getMap, getString } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { INGRESS_DOCS, ingressRules, spec } from './common';

export const ingressCatchAll: KubernetesRule = {
  id: 'ingress-catch-all',
  language: 'kubernetes',
  title: 'Ingress catches requests for any host',
  category: 'network',
  severity: 'info',
  description:
    'An Ingress `defaultBackend` (`backend` in the old `extensions/v1beta1` API) receives every request that ' +
    'matches no rule, and a rule without `host` matches every `Host` header: the backend then answers requests ' +
    'for any name pointed at the load balancer and for its bare IP address, which is what Internet-wide scanners ' +
    "probe. It also takes over traffic other teams' Ingresses do not claim. Informational, in the `all` profile: " +
    'single-application clusters do this on purpose.',
  remediation: "Give each rule the `host` it serves and remove `defaultBackend`, so unknown names get the controller's 404.",
  references: [],
  fixes: [],
  recommended: false,
  docsUrl: `${INGRESS_DOCS}#default-backend`,
  kinds: ['Ingress'],
  check(ctx) {
    const { object } = ctx;
    const doc = object.doc;
    const s = spec(object);
    const backendPair = findPair(s, 'defaultBackend', doc) ?? findPair(s, 'backend', doc);
    if (backendPair) {
      const b = getMap(backendPair.value, 'service', doc);
      const name = getString(b, 'name', doc) ?? getString(backendPair.value, 'serviceName', doc);
      ctx.report({
        at: backendPair.key as Node,
        message: `${object.label} sets a default backend${name ? ` (Service ${name})` : ''}: it receives every request no rule matches, for any host name or the bare IP address.`,
      });
    }
    for (const rule of ingressRules(object)) {
      if (rule.hostPair && rule.host) continue;
      const anchor = rule.hostPair ?? rule.node.items[0];
      if (!anchor) continue;
      ctx.report({
        at: anchor.key as Node,
        message: `A rule of ${object.label} has no host: it answers requests for any host name, and the bare IP address.`,
      });
    }
  },
};
