/**
 * Network exposure, one object at a time: Services published outside the cluster, Ingress and Gateway
 * TLS, OpenShift Routes, ingress-nginx annotations, and remote-access ports. (`host-port` is in the PSS pack.)
 */
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { serviceNodePort } from './serviceNodePort';
import { serviceLoadBalancerOpen } from './serviceLoadBalancerOpen';
import { serviceExternalIps } from './serviceExternalIps';
import { serviceExternalNameInternal } from './serviceExternalNameInternal';
import { serviceAdminPort } from './serviceAdminPort';
import { containerRemoteAccessPort } from './containerRemoteAccessPort';
import { ingressWithoutTls } from './ingressWithoutTls';
import { ingressTlsHostNotCovered } from './ingressTlsHostNotCovered';
import { ingressWildcardHost } from './ingressWildcardHost';
import { ingressCatchAll } from './ingressCatchAll';
import { ingressNginxSnippet, ingressNginxSnippetCode } from './ingressNginxSnippet';
import { ingressNginxAnnotationInjection } from './ingressNginxAnnotationInjection';
import { ingressAllowlistOpen } from './ingressAllowlistOpen';
import { gatewayListenerWithoutTls } from './gatewayListenerWithoutTls';
import { routeWithoutTls } from './routeWithoutTls';

export const NETWORK_EXPOSURE_RULES: readonly KubernetesRule[] = [
  serviceLoadBalancerOpen,
  serviceNodePort,
  serviceExternalIps,
  serviceExternalNameInternal,
  serviceAdminPort,
  containerRemoteAccessPort,
  ingressWithoutTls,
  ingressTlsHostNotCovered,
  ingressWildcardHost,
  ingressCatchAll,
  ingressNginxSnippet,
  ingressNginxSnippetCode,
  ingressNginxAnnotationInjection,
  ingressAllowlistOpen,
  gatewayListenerWithoutTls,
  routeWithoutTls,
];
