/** A workload that names a ServiceAccount its namespace's manifests do not define. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { identityOf, RBAC_READS } from '../../../server/src/model/rbac';
import { namespaceWords } from '../../../server/src/model/rbacCapabilities';
import { related } from '../network/common';
import { rbacOf } from './common';

export const serviceAccountMissing: KubernetesRule = {
  id: 'service-account-missing',
  language: 'kubernetes',
  title: 'Workload names a ServiceAccount the workspace does not define',
  category: 'service-accounts',
  severity: 'warning',
  description:
    'A pod whose `serviceAccountName` names an account that does not exist is rejected by the API server (a ' +
    "Deployment's ReplicaSet silently creates no pod). Reported only when the workspace defines ServiceAccounts for " +
    'that namespace, so that accounts created elsewhere (by another repository, a Helm chart, an operator) are not ' +
    'guessed missing; `default` always exists.',
  remediation: 'Add the ServiceAccount to the manifests, or correct the name.',
  references: ['kube-linter:non-existent-service-account', 'kubescape:C-0307'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/concepts/security/service-accounts/',
  kinds: 'workloads',
  scope: 'workspace',
  reads: RBAC_READS,
  check(ctx) {
    const namespace = ctx.object.namespace ?? '';
    const identity = identityOf({ indexed: { path: ctx.filePath, documentStart: 0, object: ctx.object }, object: ctx.object, namespace });
    if (!identity?.serviceAccountNode || identity.serviceAccount === 'default') return;
    const model = rbacOf(ctx);
    if (model.serviceAccount(namespace, identity.serviceAccount)) return;
    const defined = model.serviceAccountsIn(namespace);
    if (!defined.length) return;
    ctx.report({
      at: identity.serviceAccountNode,
      message: `${ctx.object.label} runs as ServiceAccount ${identity.serviceAccount}, which the workspace does not define for ${namespaceWords(namespace)} (it defines ${defined
        .slice(0, 3)
        .map((a) => a.name)
        .join(', ')}${defined.length > 3 ? ` and ${defined.length - 3} more` : ''}): the API server rejects its pods.`,
      related: defined.slice(0, 3).map((a) => related(a.ref, a.ref.object.anchor, `${a.ref.object.label} is defined here`)),
    });
  },
};
