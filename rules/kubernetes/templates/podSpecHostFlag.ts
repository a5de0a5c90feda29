/**
 * Template for pod-level booleans that must not be true (hostNetwork, hostPID, hostIPC): a check
 * is data (field, ids, prose) over this one piece of logic.
 */
import type { RuleMeta } from '../../../server/src/engine/rule';
import { findPair, scalarValue } from '../../../server/src/documents/yamlNodes';
import { pssRule, PssRule } from '../pss/common';

export interface PodSpecHostFlagSpec extends Omit<RuleMeta, 'fixes' | 'recommended' | 'category'> {
  /** The pod spec field, e.g. `hostNetwork`. */
  readonly field: string;
  /** Completes "… shares the node's <what>". */
  readonly what: string;
}

export function podSpecHostFlag(spec: PodSpecHostFlagSpec): PssRule {
  const fixTitle = `Remove ${spec.field}`;
  const { field, what, ...meta } = spec;
  return pssRule(
    { ...meta, category: 'host-namespaces', fixes: [{ title: fixTitle, applicability: 'unsafe' }] },
    { level: 'baseline', check: 'hostNamespaces' },
    ({ object, pod, doc, edit }) => {
      const pair = findPair(pod.node, field, doc);
      if (!pair || scalarValue(pair.value, doc) !== true) return [];
      return [
        {
          at: pair,
          message: `${object.label} sets ${field}: true, so its containers share the node's ${what}.`,
          // The workload may rely on the host namespace (a CNI agent, a node exporter).
          fixes: [{ title: fixTitle, applicability: 'unsafe', edits: () => [edit.removePair(pod.node, pair)] }],
        },
      ];
    },
  );
}
