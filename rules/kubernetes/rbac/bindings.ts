/**
 * Per-binding checks: bindings to cluster-admin (or a role equivalent to it), to the built-in groups
 * everyone is in, to `default` service accounts, and bindings whose role or service account the
 * workspace does not hold. A RoleBinding to a ClusterRole grants it in its own namespace only, and the
 * messages say so.
 */
import type { Node } from 'yaml';
import { isSeq } from 'yaml';
import { findPair } from '../../../server/src/documents/yamlNodes';
import type { KubeRuleContext, KubernetesRule } from '../../../server/src/engine/rule';
import { BindingInfo, isSystemRoleName, RBAC_READS, RbacModel, Subject } from '../../../server/src/model/rbac';
import { CAPABILITY_BY_ID, grantsCapability, namespaceWords } from '../../../server/src/model/rbacCapabilities';
import { related, where } from '../network/common';
import { RBAC, rbacOf, roleLabel, subjectLabel } from './common';

const CLUSTER_ADMIN = CAPABILITY_BY_ID.get('cluster-admin')!;

function scopeText(b: BindingInfo): string {
  if (b.kind === 'ClusterRoleBinding') return 'in every namespace';
  return `in ${namespaceWords(b.ref.namespace)} only${b.roleKind === 'ClusterRole' ? ' (a RoleBinding to a ClusterRole is scoped to its namespace)' : ''}`;
}

/** "ServiceAccount shop/api (run by Deployment/api (api.yaml))". */
function subjectsText(model: RbacModel, subjects: readonly Subject[]): string {
  const shown = subjects.slice(0, 3).map((s) => {
    if (s.kind !== 'ServiceAccount') return subjectLabel(s);
    const runners = model.workloadsRunningAs(s.namespace, s.name);
    return runners.length
      ? `${subjectLabel(s)} (run by ${runners
          .slice(0, 2)
          .map((r) => where(r.ref))
          .join(', ')}${runners.length > 2 ? ` and ${runners.length - 2} more` : ''})`
      : subjectLabel(s);
  });
  return `${shown.join(', ') || 'no subject'}${subjects.length > 3 ? ` and ${subjects.length - 3} more` : ''}`;
}

function bindingOf(ctx: KubeRuleContext): BindingInfo | undefined {
  return RbacModel.bindingOfObject(ctx.object, ctx.filePath);
}

export const rbacClusterAdminBinding: KubernetesRule = {
  ...RBAC,
  id: 'rbac-cluster-admin-binding',
  language: 'kubernetes',
  title: 'Binding grants cluster-admin',
  severity: 'warning',
  description:
    'A binding to `cluster-admin`, or to a role of the workspace that allows every verb on every resource, makes its ' +
    'subjects administrators: through a ClusterRoleBinding of the whole cluster, through a RoleBinding of its namespace ' +
    '(every Secret, every pod, every role there). The message names the subjects and the workloads that run as them.',
  remediation: 'Bind a role with the permissions the subject needs; keep cluster-admin to break-glass accounts.',
  references: [
    'kube-linter:cluster-admin-role-binding',
    'trivy:KSV-0111',
    'kubescape:C-0035',
    'kubescape:C-0185',
    'polaris:clusterrolebindingClusterAdmin',
    'polaris:rolebindingClusterAdminClusterRole',
    'polaris:rolebindingClusterAdminRole',
    'cis-k8s:5.1.1',
  ],
  fixes: [],
  recommended: true,
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  scope: 'workspace',
  reads: RBAC_READS,
  check(ctx) {
    const b = bindingOf(ctx);
    if (!b) return;
    const model = rbacOf(ctx);
    const role = model.roleOf(b);
    const isClusterAdmin = b.roleKind === 'ClusterRole' && b.roleName === 'cluster-admin';
    const rule = role && !isClusterAdmin ? model.effectiveRules(role).find((r) => grantsCapability(r, CLUSTER_ADMIN)) : undefined;
    if (!isClusterAdmin && !rule) return;
    const what = isClusterAdmin ? 'cluster-admin' : `${roleLabel(role, b)}, which allows every verb on every resource,`;
    ctx.report({
      at: b.roleNameNode ?? b.roleRefNode ?? ctx.object.anchor,
      message: `${ctx.object.label} grants ${what} ${scopeText(b)} to ${subjectsText(model, b.subjects)}.`,
      related: rule?.role.ref ? [related(rule.role.ref, rule.verbsNode ?? rule.node, `${rule.role.ref.object.label} allows * on *`)] : [],
    });
  },
};

/** Groups and users every request, or every authenticated request, belongs to. */
const EVERYONE: ReadonlyMap<string, string> = new Map([
  ['Group\u0000system:masters', 'the group system:masters, which already bypasses RBAC'],
  ['Group\u0000system:authenticated', 'the group system:authenticated: every user and service account of the cluster'],
  ['Group\u0000system:unauthenticated', 'the group system:unauthenticated: anyone who can reach the API server'],
  ['User\u0000system:anonymous', 'the user system:anonymous: anyone who can reach the API server'],
  ['Group\u0000system:serviceaccounts', 'the group system:serviceaccounts: every service account of every namespace'],
]);

/** The built-in discovery roles the cluster itself binds to everyone. */
const PUBLIC_ROLES = new Set(['system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:service-account-issuer-discovery']);

export const rbacBindingToEveryone: KubernetesRule = {
  ...RBAC,
  id: 'rbac-binding-to-everyone',
  language: 'kubernetes',
  title: 'Binding to system:anonymous, system:authenticated, system:unauthenticated or system:masters',
  severity: 'error',
  description:
    'A binding whose subject is `system:anonymous` or `system:unauthenticated` grants the role to anyone who can reach ' +
    'the API server; `system:authenticated` or `system:serviceaccounts` to every identity of the cluster, including every ' +
    "pod's token. `system:masters` needs no binding (it bypasses RBAC), so one is a sign of confusion. The discovery " +
    'roles the cluster binds to everyone itself (`system:discovery`, `system:basic-user`, `system:public-info-viewer`) are ' +
    'not reported.',
  remediation: 'Bind the role to the users, groups or service accounts that need it.',
  references: ['trivy:KSV-0122', 'trivy:KSV-0123', 'kubescape:C-0262', 'kubescape:C-0265', 'kubescape:C-0246'],
  fixes: [{ title: 'Remove this subject', applicability: 'unsafe' }],
  recommended: true,
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  check(ctx) {
    const b = bindingOf(ctx);
    if (!b || (b.roleKind === 'ClusterRole' && PUBLIC_ROLES.has(b.roleName))) return;
    const subjectsPair = findPair(ctx.object.node, 'subjects', ctx.object.doc);
    const seq = subjectsPair?.value as Node | undefined;
    for (const s of b.subjects) {
      const who = EVERYONE.get(`${s.kind}\u0000${s.name}`);
      if (!who) continue;
      ctx.report({
        at: s.node,
        message: `${ctx.object.label} grants ${b.roleKind}/${b.roleName} ${scopeText(b)} to ${who}.`,
        fixes:
          isSeq(seq) && seq.items.includes(s.node)
            ? [{ title: 'Remove this subject', applicability: 'unsafe', edits: () => [ctx.edit.removeSeqItem(seq, s.node, subjectsPair)] }]
            : [],
      });
    }
  },
};

export const rbacBindingDefaultServiceAccount: KubernetesRule = {
  ...RBAC,
  id: 'rbac-binding-default-service-account',
  language: 'kubernetes',
  title: 'Binding grants a role to a default service account',
  severity: 'warning',
  description:
    "Every pod that names no service account runs as its namespace's `default`, so a role bound to `default` goes to " +
    "all of them, today's and tomorrow's. The message names the workloads of the workspace that run as it.",
  remediation: 'Create a ServiceAccount for the workload that needs the role, bind the role to it, and set `serviceAccountName`.',
  references: ['checkov:CKV_K8S_42', 'cis-k8s:5.1.5'],
  fixes: [],
  recommended: true,
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  scope: 'workspace',
  reads: RBAC_READS,
  check(ctx) {
    const b = bindingOf(ctx);
    if (!b) return;
    const model = rbacOf(ctx);
    for (const s of b.subjects) {
      if (s.kind !== 'ServiceAccount' || s.name !== 'default') continue;
      const runners = model.workloadsRunningAs(s.namespace, 'default');
      ctx.report({
        at: s.node,
        message: `${ctx.object.label} grants ${b.roleKind}/${b.roleName} ${scopeText(b)} to ${subjectLabel(s)}, which every pod of ${s.namespace ? `namespace ${s.namespace}` : 'its namespace'} that names no service account runs as${
          runners.length
            ? ` (here: ${runners
                .slice(0, 3)
                .map((r) => where(r.ref))
                .join(', ')}${runners.length > 3 ? ` and ${runners.length - 3} more` : ''})`
            : ''
        }.`,
        related: runners.slice(0, 3).map((r) => related(r.ref, r.serviceAccountNode ?? r.ref.object.podSpec()?.node, `${r.ref.object.label} runs as default`)),
      });
    }
  },
};

/** Roles the control plane creates in kube-system (besides `system:` ones). */
const KUBE_SYSTEM_ROLES = new Set(['extension-apiserver-authentication-reader']);

export const rbacBindingUnresolved: KubernetesRule = {
  ...RBAC,
  id: 'rbac-binding-unresolved',
  language: 'kubernetes',
  title: 'Binding names a role or service account the workspace does not hold',
  severity: 'info',
  description:
    'The role a binding refers to (other than the built-in `cluster-admin`, `admin`, `edit`, `view`, `system:` roles and ' +
    "kube-system's `extension-apiserver-authentication-reader`), " +
    'or a ServiceAccount subject other than `default`, is not in the workspace. It may live in the cluster or in another ' +
    'repository; if not, the binding grants nothing today and whatever a later object of that name allows tomorrow. ' +
    'Bulkhead cannot tell what the binding grants, so chains and attack paths through it are not computed.',
  remediation: 'Add the role or ServiceAccount to the workspace, fix the name, or delete the binding.',
  references: [],
  fixes: [],
  recommended: true,
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  scope: 'workspace',
  reads: RBAC_READS,
  check(ctx) {
    const b = bindingOf(ctx);
    if (!b || !b.roleName) return;
    const model = rbacOf(ctx);
    if (
      !model.roleOf(b) &&
      !isSystemRoleName(b.roleName) &&
      !(b.roleKind === 'Role' && b.ref.namespace === 'kube-system' && KUBE_SYSTEM_ROLES.has(b.roleName))
    ) {
      const where = b.roleKind === 'Role' ? ` in ${namespaceWords(b.ref.namespace)}` : '';
      ctx.report({
        at: b.roleNameNode ?? b.roleRefNode ?? ctx.object.anchor,
        message: `${ctx.object.label} binds ${b.roleKind}/${b.roleName}, which is not in the workspace${where}: it may live in the cluster.`,
      });
    }
    for (const s of b.subjects) {
      if (s.kind !== 'ServiceAccount' || s.name === 'default' || !s.name) continue;
      if (!model.serviceAccount(s.namespace, s.name))
        ctx.report({ at: s.node, message: `${ctx.object.label} names ${subjectLabel(s)}, which is not in the workspace: it may live in the cluster.` });
    }
  },
};

export const BINDING_RULES: readonly KubernetesRule[] = [
  rbacClusterAdminBinding,
  rbacBindingToEveryone,
  rbacBindingDefaultServiceAccount,
  rbacBindingUnresolved,
];
