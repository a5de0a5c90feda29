/**
 * A workload its namespace's policies isolate that still accepts connections from the Internet or from
 * every pod of the cluster, computed by the reachability engine over every policy selecting it.
 */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { WorkspaceModel } from '../../../server/src/model/workspaceModel';
import { ConnectionSet } from '../../../server/src/reachability/connections';
import { ReachabilityEngine } from '../../../server/src/reachability/engine';
import { formatRange, includesPublic } from '../../../server/src/reachability/ipRanges';
import { adminPoliciesOf, workloadSnapshot } from '../../../server/src/reachability/network';
import { modelOf, NETWORK, related } from './common';

export const workloadReachableFromAnywhere: KubernetesRule = {
  ...NETWORK,
  id: 'workload-reachable-from-anywhere',
  language: 'kubernetes',
  title: 'Isolated workload still reachable from the Internet or from every pod',
  severity: 'info',
  description:
    'The union of the NetworkPolicies (and admin network policies) selecting a workload, as Kubernetes evaluates it, ' +
    'still admits connections from addresses of the public Internet (an `ipBlock` such as `0.0.0.0/0`) or from every ' +
    'pod of every namespace (no `from`, or `namespaceSelector: {}` without a pod selector). Sometimes intended (an ' +
    'ingress controller, a public API), often a rule copied too wide. Reported only for workloads some policy isolates ' +
    'for ingress: a workload no policy selects is `pod-not-isolated-ingress`. The message lists the ports and the ' +
    'policies that allow them; `bulkhead connectivity --focus-workload NAME` shows every connection.',
  remediation:
    "Narrow the `from` peers to the clients that need the workload (a namespace and pod selector, the load balancer's ranges), and the `ports` to what they use.",
  references: [],
  fixes: [],
  recommended: true,
  kinds: 'workloads',
  scope: 'workspace',
  reads: ['workloads', 'NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'],
  check(ctx) {
    const pod = WorkspaceModel.podOf(ctx.object, ctx.filePath);
    if (!pod || pod.hostNetwork) return;
    const model = modelOf(ctx);
    const policies = model.policies(pod.ref.namespace);
    if (!policies.length) return;
    const engine = new ReachabilityEngine(workloadSnapshot(pod, policies, adminPoliciesOf(ctx.workspace)));
    const w = engine.snapshot.workloads[0];
    if (!engine.isIsolated(w, 'ingress')) return;
    const parts: string[] = [];
    const via = new Set<string>();
    const fromAnyPod = engine.fromAnyPod(w);
    if (!fromAnyPod.conn.isEmpty) {
      parts.push(`from every pod of the cluster (${fromAnyPod.conn})`);
      fromAnyPod.via.forEach((v) => via.add(v));
    }
    let internet = ConnectionSet.NONE;
    const ranges: string[] = [];
    for (const range of engine.externals) {
      if (!includesPublic(range)) continue;
      const d = engine.side(w, 'ingress', { type: 'external', range });
      if (d.conn.isEmpty) continue;
      internet = internet.union(d.conn);
      if (ranges.length < 2) ranges.push(formatRange(range));
      d.via.forEach((v) => via.add(v));
    }
    if (!internet.isEmpty) parts.push(`from the Internet (${internet}; e.g. ${ranges.join(', ')})`);
    if (!parts.length) return;
    const engineName = (p: (typeof policies)[number]) => `NetworkPolicy ${p.ref.namespace || 'default'}/${p.name}`;
    const responsible = policies.filter((p) => via.has(engineName(p)));
    // Policies of its own namespace by name, as the other network rules name them; admin policies as the engine does.
    const names = [...via].map((v) => {
      const p = responsible.find((x) => engineName(x) === v);
      return p ? `NetworkPolicy/${p.name}` : v;
    });
    ctx.report({
      at: pod.labelsNode ?? ctx.object.anchor,
      message: `${ctx.object.label} accepts connections ${parts.join(' and ')}, through ${names.join(', ')}.`,
      related: responsible.slice(0, 3).map((p) => related(p.ref, p.podSelectorNode, `NetworkPolicy/${p.name} selects ${ctx.object.label}`)),
    });
  },
};
