/** NetworkPolicies whose pod selector, or peers, select nothing the workspace runs. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { WorkspaceModel } from '../../../server/src/model/workspaceModel';
import { describeSelector, matches } from '../../../server/src/model/selectors';
import { incompleteChart, modelOf, namespaceName, NETWORK, related, whereAll } from './common';

export const networkPolicySelectsNoPods: KubernetesRule = {
  ...NETWORK,
  id: 'networkpolicy-selects-no-pods',
  language: 'kubernetes',
  title: 'NetworkPolicy selects no pods',
  severity: 'warning',
  description:
    'A NetworkPolicy applies to the pods its `podSelector` selects in its own namespace. When it selects no pod ' +
    'template of the workspace, it protects nothing: usually a label renamed on one side. Reported only when the ' +
    'workspace holds workloads in that namespace.',
  remediation: 'Make `podSelector` match the labels of the pods it is meant to isolate.',
  references: ['kube-linter:dangling-networkpolicy', 'kubescape:C-0299', 'kube-score:networkpolicy-targets-pod'],
  fixes: [],
  recommended: true,
  kinds: ['NetworkPolicy'],
  scope: 'workspace',
  reads: ['workloads', 'NetworkPolicy'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const policy = WorkspaceModel.policyOf(ctx.object, ctx.filePath);
    if (!policy || !policy.podSelectorNode) return;
    const ns = policy.ref.namespace;
    if (model.podsSelectedBy(ns, policy.podSelector).length) return;
    const pods = model.pods(ns);
    if (!pods.length) return;
    ctx.report({
      at: policy.podSelectorNode,
      message: `${ctx.object.label} selects ${describeSelector(policy.podSelector)}, which no pod template in ${namespaceName(ns)} carries (there: ${whereAll(pods.map((p) => p.ref))}): it isolates nothing.`,
      related: pods.slice(0, 3).map((p) => related(p.ref, p.labelsNode, `pod template labels of ${p.ref.object.label}`)),
    });
  },
};

export const networkPolicyPeerSelectsNothing: KubernetesRule = {
  ...NETWORK,
  id: 'networkpolicy-peer-selects-nothing',
  language: 'kubernetes',
  title: 'NetworkPolicy peer selects no pods',
  severity: 'warning',
  description:
    "A `from`/`to` peer with a `podSelector` allows traffic from (or to) the pods it selects: in the policy's " +
    'namespace, or in the namespaces its `namespaceSelector` selects (namespace labels include the automatic ' +
    '`kubernetes.io/metadata.name`). A peer that selects no pod of the workspace allows nothing, so the traffic it ' +
    'was written for is dropped. Reported only when every namespace it reaches holds workloads in the workspace; a ' +
    '`namespaceSelector` that selects no known namespace is not reported (the namespace may be deployed elsewhere).',
  remediation: "Make the peer's selectors match the pods that must be allowed.",
  references: ['kube-linter:dangling-networkpolicypeer-podselector'],
  fixes: [],
  recommended: true,
  kinds: ['NetworkPolicy'],
  scope: 'workspace',
  reads: ['workloads', 'NetworkPolicy', 'Namespace'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const policy = WorkspaceModel.policyOf(ctx.object, ctx.filePath);
    if (!policy) return;
    const ns = policy.ref.namespace;
    for (const [direction, rules] of [
      ['from', policy.ingressRules],
      ['to', policy.egressRules],
    ] as const) {
      for (const rule of rules) {
        for (const peer of rule.peers ?? []) {
          if (!peer.podSelector) continue;
          const namespaces = peer.namespaceSelector ? model.knownNamespaces().filter((n) => matches(peer.namespaceSelector!, model.namespaceLabels(n))) : [ns];
          if (!namespaces.length || namespaces.some((n) => !model.pods(n).length)) continue;
          if (namespaces.some((n) => model.podsSelectedBy(n, peer.podSelector!).length)) continue;
          const where = namespaces.length === 1 ? namespaceName(namespaces[0]) : `namespaces ${namespaces.map((n) => `"${n}"`).join(', ')}`;
          ctx.report({
            at: peer.podSelector.node ?? peer.node,
            message: `${ctx.object.label}: the ${direction === 'from' ? 'ingress' : 'egress'} peer podSelector ${describeSelector(peer.podSelector)} selects no pod template in ${where}, so this rule allows nothing.`,
            related: namespaces
              .flatMap((n) => model.pods(n))
              .slice(0, 3)
              .map((p) => related(p.ref, p.labelsNode, `pod template labels of ${p.ref.object.label}`)),
          });
        }
      }
    }
  },
};
