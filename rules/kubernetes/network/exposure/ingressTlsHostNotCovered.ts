import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { INGRESS_DOCS, ingressRules, ingressTls, tlsByAnnotation, tlsHostCovers, valueNode } from './common';

export const ingressTlsHostNotCovered: KubernetesRule = {
  id: 'ingress-tls-host-not-covered',
  language: 'kubernetes',
  title: 'Ingress host missing from its TLS hosts',
  category: 'network',
  severity: 'warning',
  description:
    'An Ingress that has `spec.tls` but routes a host none of its `tls[].hosts` covers serves that host without ' +
    "its certificate: over plain HTTP, or over HTTPS with the controller's default (self-signed) certificate that " +
    'clients reject or, worse, are taught to accept. Coverage follows certificate rules: names match ' +
    'case-insensitively, and `*.example.com` covers exactly one more label (`a.example.com`, not ' +
    '`a.b.example.com` nor `example.com`). A `tls` entry without `hosts` applies to every host and covers all.',
  remediation: "Add the host to `spec.tls[].hosts` (and to the certificate), or correct the typo in the rule's `host`.",
  references: [],
  fixes: [],
  recommended: true,
  docsUrl: `${INGRESS_DOCS}#tls`,
  kinds: ['Ingress'],
  check(ctx) {
    const { object } = ctx;
    const tls = ingressTls(object);
    if (tls.entries === 0 || tls.all || tlsByAnnotation(object)) return;
    const seen = new Set<string>();
    for (const rule of ingressRules(object)) {
      if (!rule.host || !rule.hostPair || seen.has(rule.host.toLowerCase())) continue;
      seen.add(rule.host.toLowerCase());
      if (tls.hosts.some((t) => tlsHostCovers(t, rule.host!))) continue;
      ctx.report({
        at: valueNode(rule.hostPair),
        message: `Host ${rule.host} of ${object.label} is not in its TLS hosts (${tls.hosts.join(', ')}): it is served without its certificate, over plain HTTP or with the controller's default one.`,
      });
    }
  },
};
