import type { Pair, YAMLMap } from 'yaml';
import { findPair } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule, TextEdit } from '../../../../server/src/engine/rule';
import { SERVICE_DOCS, servicePorts, serviceType, spec, valueNode } from './common';

const FIX = 'Change the type to ClusterIP (and drop node ports)';

export const serviceNodePort: KubernetesRule = {
  id: 'service-node-port',
  language: 'kubernetes',
  title: 'Service of type NodePort',
  category: 'network',
  severity: 'info',
  description:
    "A `NodePort` Service opens its ports (30000-32767) on **every node** of the cluster, on all of the nodes' " +
    'addresses: anything that can reach a node reaches the workload, bypassing the Ingress controller (its TLS, ' +
    'authentication, rate limits and logs) and usually any firewall made for the Ingress. Node ports are also ' +
    'opened by `LoadBalancer` Services; `service-load-balancer-open` reports those. NodePort is a deliberate ' +
    'choice on bare-metal clusters (e.g. for the ingress controller itself), so this rule is informational and ' +
    'only in the `all` profile.',
  remediation:
    'Use `type: ClusterIP` and publish the workload through an Ingress or Gateway; if it must be reached from ' +
    "outside, restrict who can reach the nodes' port range with firewall rules or security groups.",
  references: ['kube-linter:exposed-services', 'kube-score:service-type', 'kics:service-type-is-nodeport'],
  fixes: [{ title: FIX, applicability: 'unsafe' }],
  recommended: false,
  docsUrl: `${SERVICE_DOCS}#type-nodeport`,
  kinds: ['Service'],
  check(ctx) {
    const { value, pair } = serviceType(ctx.object);
    if (value !== 'NodePort' || !pair) return;
    const ports = servicePorts(ctx.object)
      .map((p) => p.port)
      .filter((p) => p !== undefined);
    const what = ports.length ? `port${ports.length > 1 ? 's' : ''} ${ports.join(', ')} ${ports.length > 1 ? 'are' : 'is'}` : 'its ports are';
    const s = spec(ctx.object)!;
    ctx.report({
      at: valueNode(pair),
      message: `${ctx.object.label} is of type NodePort: ${what} opened on every node's addresses, reachable by anything that can reach a node, outside the Ingress.`,
      fixes: [{ title: FIX, applicability: 'unsafe', edits: () => toClusterIp(ctx, s, pair) }],
    });
  },
};

/** `type: ClusterIP`, without the fields the API server rejects on a ClusterIP Service. */
function toClusterIp(ctx: Parameters<KubernetesRule['check']>[0], s: YAMLMap, typePair: Pair): TextEdit[] {
  const doc = ctx.object.doc;
  const edits: TextEdit[] = [ctx.edit.replace(valueNode(typePair), 'ClusterIP')];
  for (const key of ['externalTrafficPolicy', 'healthCheckNodePort']) {
    const p = findPair(s, key, doc);
    if (p && s.items.includes(p)) edits.push(ctx.edit.removePair(s, p));
  }
  for (const port of servicePorts(ctx.object)) {
    const p = findPair(port.node, 'nodePort', doc);
    if (p && port.node.items.includes(p) && port.node.items.length > 1) edits.push(ctx.edit.removePair(port.node, p));
  }
  return edits;
}
