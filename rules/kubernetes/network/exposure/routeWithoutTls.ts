import type { Node } from 'yaml';
import { findPair, getMap, getString, scalarValue } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { spec, valueNode } from './common';

const FIX = 'Set insecureEdgeTerminationPolicy: Redirect';

export const routeWithoutTls: KubernetesRule = {
  id: 'route-without-tls',
  language: 'kubernetes',
  title: 'OpenShift Route serves plain HTTP',
  category: 'network',
  severity: 'warning',
  description:
    'The OpenShift equivalent of `ingress-without-tls`: a Route (`route.openshift.io`) without `spec.tls` is ' +
    'served over plain HTTP, and one with `tls.insecureEdgeTerminationPolicy: Allow` serves its HTTPS content ' +
    'over plain HTTP as well, so cookies and credentials sent there travel in clear text.',
  remediation: 'Add `spec.tls` (`termination: edge`, `reencrypt` or `passthrough`) and set `insecureEdgeTerminationPolicy: Redirect` (or `None`).',
  references: ['kube-linter:insecure-route-termination'],
  fixes: [{ title: FIX, applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://docs.openshift.com/container-platform/latest/networking/routes/secured-routes.html',
  kinds: ['Route'],
  check(ctx) {
    const { object } = ctx;
    const doc = object.doc;
    if (!(object.apiVersion ?? '').startsWith('route.openshift.io/')) return;
    const s = spec(object);
    const host = getString(s, 'host', doc);
    const tls = getMap(s, 'tls', doc);
    if (!tls) {
      const specPair = findPair(object.node, 'spec', doc);
      ctx.report({
        at: specPair && s ? (specPair.key as Node) : object.anchor,
        message: `${object.label} has no TLS (spec.tls): ${host ?? 'its host'} is served over plain HTTP, readable and alterable on the way.`,
      });
      return;
    }
    const policy = findPair(tls, 'insecureEdgeTerminationPolicy', doc);
    const value = policy ? scalarValue(policy.value, doc) : undefined;
    if (!policy || typeof value !== 'string' || value.toLowerCase() !== 'allow') return;
    ctx.report({
      at: valueNode(policy),
      message: `${object.label} sets insecureEdgeTerminationPolicy: Allow, so ${host ?? 'its host'} is also served over plain HTTP.`,
      fixes: [{ title: FIX, applicability: 'unsafe', edits: () => [ctx.edit.replace(valueNode(policy), 'Redirect')] }],
    });
  },
};
