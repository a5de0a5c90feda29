import { findPair, scalarValue } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { SERVICE_DOCS, serviceType, spec, valueNode } from './common';

/**
 * What an `externalName` inside the cluster or on the node points at, or undefined for an outside
 * name. Private (RFC 1918) addresses are not reported: they are as often a database outside the
 * cluster as a pod, and the Service CIDR is not known from manifests.
 */
export function internalTarget(name: string, ownNamespace: string | undefined): string | undefined {
  const n = name.trim().toLowerCase().replace(/\.$/, '');
  if (n === 'localhost' || n.endsWith('.localhost')) return 'the loopback interface of whatever resolves it (the ingress controller or proxy itself)';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(n);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 127) return 'a loopback address (the ingress controller or proxy itself)';
    if (a === 0) return 'the unspecified address 0.0.0.0 (the local host)';
    if (a === 169 && b === 254) return "a link-local address (the cloud instance metadata service, with the node's credentials)";
    return undefined;
  }
  if (n === '::1' || n === '[::1]') return 'a loopback address (the ingress controller or proxy itself)';
  if (/^\[?fe80:/.test(n)) return 'a link-local address';
  if (n === 'kubernetes' || /^kubernetes\.default(\.svc(\.cluster\.local)?)?$/.test(n)) return 'the Kubernetes API server';
  const svc = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(n);
  if (svc) {
    if (ownNamespace !== undefined && svc[2] === ownNamespace) return undefined;
    return `Service "${svc[1]}" of namespace "${svc[2]}"`;
  }
  if (n.endsWith('.svc') || n.endsWith('.svc.cluster.local')) return 'a Service of the cluster';
  return undefined;
}

export const serviceExternalNameInternal: KubernetesRule = {
  id: 'service-external-name-internal',
  language: 'kubernetes',
  title: 'ExternalName Service pointing inside the cluster or at the node',
  category: 'network',
  severity: 'warning',
  description:
    'An `ExternalName` Service is a DNS alias, and Ingress controllers and gateways that route to it connect to ' +
    'the name themselves, with their own network reach. Pointed at `localhost` or a loopback address it reaches ' +
    "the controller's own status and admin ports; at `169.254.169.254` the cloud metadata service and the node's " +
    "credentials; at `kubernetes.default.svc` the API server; at another namespace's `<svc>.<ns>.svc` a Service " +
    "the namespace's owner could not otherwise publish (a confused deputy, like CVE-2021-25740 for Endpoints). " +
    "Names of Services in the Service's own namespace, outside names, and private (RFC 1918) addresses are not " +
    'reported: the last are usually hosts outside the cluster, and the Service CIDR is not in the manifests.',
  remediation:
    'Point `externalName` at the real outside host, or route to the target Service directly from its own ' +
    'namespace. Ingress controllers can refuse ExternalName backends (ingress-nginx ' +
    '`--disable-svc-external-name`).',
  // Trivy KSV108 and kube-linter's externalname-service-redirect report every ExternalName Service.
  references: ['trivy:KSV-0108', 'kube-linter:externalname-service-redirect'],
  fixes: [],
  recommended: true,
  docsUrl: `${SERVICE_DOCS}#externalname`,
  kinds: ['Service'],
  check(ctx) {
    const { object } = ctx;
    if (serviceType(object).value !== 'ExternalName') return;
    const pair = findPair(spec(object), 'externalName', object.doc);
    const name = pair ? scalarValue(pair.value, object.doc) : undefined;
    if (!pair || typeof name !== 'string') return;
    const target = internalTarget(name, object.namespace);
    if (!target) return;
    ctx.report({
      at: valueNode(pair),
      message: `${object.label} is an ExternalName for ${name}, ${target}: an Ingress or gateway routing to it sends outside traffic there.`,
    });
  },
};
