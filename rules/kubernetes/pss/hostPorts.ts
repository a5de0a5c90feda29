import { isMap, Node } from 'yaml';
import { findPair, scalarValue, seqItems } from '../../../server/src/documents/yamlNodes';
import type { Report } from '../../../server/src/engine/rule';
import { pssRule, seqOf } from './common';

export const hostPort = pssRule(
  {
    id: 'host-port',
    title: 'Container binds a port of the node',
    category: 'host-namespaces',
    severity: 'warning',
    description:
      "A `hostPort` opens the port on the node's own address, outside Services and NetworkPolicies, limits " +
      'scheduling to one such pod per node and exposes the container to whatever can reach the node. Forbidden ' +
      'by the Pod Security Standards baseline (unless 0).',
    remediation: 'Remove `hostPort` and expose the container through a Service (NodePort or LoadBalancer if it must be reachable from outside).',
    references: ['pss:baseline/hostPorts', 'checkov:CKV_K8S_26', 'trivy:KSV-0024', 'kubescape:C-0044', 'polaris:hostPortSet'],
    fixes: [{ title: 'Remove hostPort', applicability: 'unsafe' }],
    docsUrl: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  },
  { level: 'baseline', check: 'hostPorts' },
  ({ object, pod, doc, edit }) => {
    const reports: Report[] = [];
    for (const container of pod.containers()) {
      for (const port of seqItems(seqOf(container.node, 'ports', doc), doc)) {
        if (!isMap(port)) continue;
        const pair = findPair(port, 'hostPort', doc);
        const value = pair ? scalarValue(pair.value, doc) : undefined;
        if (!pair || value === 0 || value === null || value === undefined || value === '0') continue;
        reports.push({
          at: pair,
          message: `${container.label} of ${object.label} binds port ${String(value)} on the node (hostPort).`,
          fixes: [{ title: 'Remove hostPort', applicability: 'unsafe', edits: () => [edit.removePair(port, pair)] }],
        });
      }
    }
    return reports;
  },
);
export type { Node };
