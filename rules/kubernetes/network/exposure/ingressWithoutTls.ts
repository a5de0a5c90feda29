import type { Node } from 'yaml';
import { findPair } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { INGRESS_DOCS, ingressRules, ingressTls, spec, tlsByAnnotation } from './common';

export const ingressWithoutTls: KubernetesRule = {
  id: 'ingress-without-tls',
  language: 'kubernetes',
  title: 'Ingress without TLS',
  category: 'network',
  severity: 'warning',
  description:
    'An Ingress with no `spec.tls` is served over plain HTTP: passwords, session cookies and tokens cross the ' +
    'network in clear text, and anyone on the path can read or change pages and API responses. TLS configured ' +
    "by a cloud controller's annotation instead of `spec.tls` counts (AWS `alb.ingress.kubernetes.io/certificate-arn` " +
    'or an HTTPS `alb.ingress.kubernetes.io/listen-ports`, ' +
    'GKE `networking.gke.io/managed-certificates` and `ingress.gcp.kubernetes.io/pre-shared-cert`, Azure ' +
    '`appgw.ingress.kubernetes.io/appgw-ssl-certificate`). Hosts left out of `spec.tls` are reported by ' +
    '`ingress-tls-host-not-covered`.',
  remediation:
    "Add `spec.tls` with the Ingress's hosts and a certificate Secret (cert-manager fills it in when the Ingress " +
    'has a `cert-manager.io/cluster-issuer` annotation), and redirect HTTP to HTTPS.',
  references: ['polaris:tlsSettingsMissing', 'kubescape:C-0263', 'kics:ingress-without-tls'],
  fixes: [],
  recommended: true,
  docsUrl: `${INGRESS_DOCS}#tls`,
  kinds: ['Ingress'],
  check(ctx) {
    const { object } = ctx;
    if (ingressTls(object).entries > 0 || tlsByAnnotation(object)) return;
    const s = spec(object);
    const hosts = ingressRules(object)
      .map((r) => r.host)
      .filter((h): h is string => !!h);
    const what = hosts.length
      ? `${hosts.slice(0, 3).join(', ')}${hosts.length > 3 ? ` and ${hosts.length - 3} more` : ''} ${hosts.length === 1 ? 'is' : 'are'} served`
      : 'it serves every host name it answers';
    const specPair = findPair(object.node, 'spec', object.doc);
    ctx.report({
      at: specPair && s ? (specPair.key as Node) : object.anchor,
      message: `${object.label} has no TLS (spec.tls): ${what} over plain HTTP, readable and alterable on the way.`,
    });
  },
};
