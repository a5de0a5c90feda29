import type { Node } from 'yaml';
import type { Report } from '../../server/src/engine/rule';
import { pssRule } from './pss/common';
import { findPair, scalarValue } from '../../server/src/documents/yamlNodes';

export const privilegedContainer = pssRule(
  {
    id: 'privileged-container',
    title: 'Container runs privileged',
    category: 'workload-privileges',
    severity: 'error',
    description:
      'A privileged container has every capability, sees every device of the node and runs without the ' +
      'seccomp and AppArmor confinement of other containers: root in it is root on the node. Escaping takes ' +
      'one `mount` of the host disk. Forbidden by the Pod Security Standards baseline; checked for containers, ' +
      'init containers and ephemeral containers.',
    remediation:
      'Set `securityContext.privileged: false` (or remove it). If the container needs one kernel feature, add ' +
      'just that capability, or move the work to a node-level component.',
    references: [
      'pss:baseline/privileged',
      'kube-linter:privileged-container',
      'checkov:CKV_K8S_16',
      'trivy:KSV-0017',
      'kubescape:C-0057',
      'polaris:runAsPrivileged',
      'kube-score:container-security-context-privileged',
      'kubesec:Privileged',
      'cis-k8s:5.2.2',
    ],
    fixes: [{ title: 'Set privileged: false', applicability: 'unsafe' }],
    docsUrl: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  },
  { level: 'baseline', check: 'privileged' },
  ({ object, pod, doc, edit }) => {
    const reports: Report[] = [];
    for (const container of pod.containers()) {
      const pair = findPair(container.securityContext, 'privileged', doc);
      if (!pair || scalarValue(pair.value, doc) !== true) continue;
      const value = pair.value as Node;
      reports.push({
        at: pair,
        message: `${container.label} of ${object.label} runs privileged: root in it is root on the node.`,
        // A privileged workload (a CSI driver, a CNI agent) may need it to work at all.
        fixes: [{ title: 'Set privileged: false', applicability: 'unsafe', edits: () => [edit.replace(value, 'false')] }],
      });
    }
    return reports;
  },
);
