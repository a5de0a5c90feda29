/**
 * Template for pod-level booleans that must not be true (hostNetwork, hostPID, hostIPC): a check
 * is data (field, ids, prose) over this one piece of logic.
 */
import type { KubernetesRule, RuleMeta } from '../../../server/src/engine/rule';
import { findPair, scalarValue } from '../../../server/src/documents/yamlNodes';

export interface PodSpecHostFlagSpec extends Omit<RuleMeta, 'fixes' | 'recommended' | 'category'> {
  /** The pod spec field, e.g. `hostNetwork`. */
  readonly field: string;
  /** Completes "… shares the node's <what>". */
  readonly what: string;
}

export function podSpecHostFlag(spec: PodSpecHostFlagSpec): KubernetesRule {
  const fixTitle = `Remove ${spec.field}`;
  return {
    ...spec,
    language: 'kubernetes',
    category: 'host-namespaces',
    recommended: true,
    kinds: 'workloads',
    fixes: [{ title: fixTitle, applicability: 'unsafe' }],
    check(ctx) {
      const pod = ctx.object.podSpec();
      if (!pod) return;
      const pair = findPair(pod.node, spec.field, ctx.object.doc);
      if (!pair || scalarValue(pair.value, ctx.object.doc) !== true) return;
      ctx.report({
        at: pair,
        message: `${ctx.object.label} sets ${spec.field}: true, so its containers share the node's ${spec.what}.`,
        fixes: [
          {
            title: fixTitle,
            // The workload may rely on the host namespace (a CNI agent, a node exporter).
            applicability: 'unsafe',
            edits: () => [ctx.edit.removePair(pod.node, pair)],
          },
        ],
      });
    },
  };
}
