import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { INGRESS_DOCS, ingressRules, valueNode } from './common';

export const ingressWildcardHost: KubernetesRule = {
  id: 'ingress-wildcard-host',
  language: 'kubernetes',
  title: 'Ingress routes a wildcard host',
  category: 'network',
  severity: 'info',
  description:
    'A rule host like `*.example.com` sends every subdomain to the backend: names nobody meant to publish, ' +
    'names a stale DNS record still points here, and any name an attacker picks for phishing or cache-poisoning ' +
    'reach the application, which must then refuse unknown `Host` headers itself. Useful for multi-tenant ' +
    'front ends; otherwise list the hosts. Informational, in the `all` profile.',
  remediation: 'List the hosts the application serves instead of the wildcard.',
  references: [],
  fixes: [],
  recommended: false,
  docsUrl: `${INGRESS_DOCS}#hostname-wildcards`,
  kinds: ['Ingress'],
  check(ctx) {
    for (const rule of ingressRules(ctx.object)) {
      if (!rule.host?.startsWith('*') || !rule.hostPair) continue;
      ctx.report({
        at: valueNode(rule.hostPair),
        message: `${ctx.object.label} routes every subdomain matching ${rule.host} to its backend, whatever name points there.`,
      });
    }
  },
};
