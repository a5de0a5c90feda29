import type { KubernetesRule } from '../../server/src/engine/rule';
import { findPair, scalarValue } from '../../server/src/documents/yamlNodes';

export const privilegedContainer: KubernetesRule = {
  id: 'privileged-container',
  language: 'kubernetes',
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
    'trivy:KSV017',
    'kubescape:C-0057',
    'polaris:runAsPrivileged',
    'kube-score:container-security-context-privileged',
    'kubesec:Privileged',
    'cis-k8s:5.2.2',
  ],
  fixes: [{ title: 'Set privileged: false', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  kinds: 'workloads',
  check(ctx) {
    const doc = ctx.object.doc;
    for (const container of ctx.object.podSpec()?.containers() ?? []) {
      const pair = findPair(container.securityContext, 'privileged', doc);
      if (!pair || scalarValue(pair.value, doc) !== true) continue;
      const value = pair.value as Parameters<typeof ctx.edit.replace>[0];
      ctx.report({
        at: pair,
        message: `${container.label} of ${ctx.object.label} runs privileged: root in it is root on the node.`,
        fixes: [
          {
            title: 'Set privileged: false',
            // A privileged workload (a CSI driver, a CNI agent) may need it to work at all.
            applicability: 'unsafe',
            edits: () => [ctx.edit.replace(value, 'false')],
          },
        ],
      });
    }
  },
};
