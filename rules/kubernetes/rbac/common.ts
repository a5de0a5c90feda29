/** What the RBAC rules share: who receives a role or a binding, worded for messages, with related locations. */
import type { KubeRuleContext, RelatedLocation, RuleMeta } from '../../../server/src/engine/rule';
import { BindingInfo, RbacModel, RoleInfo, Subject } from '../../../server/src/model/rbac';
import { namespaceWords } from '../../../server/src/model/rbacCapabilities';
import { related, where } from '../network/common';

export const RBAC: Pick<RuleMeta, 'category' | 'docsUrl'> = {
  category: 'rbac',
  docsUrl: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
};

export function rbacOf(ctx: KubeRuleContext): RbacModel {
  return RbacModel.of(ctx.workspace);
}

export function subjectLabel(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ? `${s.namespace}/` : ''}${s.name}` : `${s.kind} ${s.name}`;
}

/** "ClusterRoleBinding/ops (rbac.yaml) grants it to ServiceAccount shop/api (run by Deployment/api (api.yaml))". */
function describeBinding(model: RbacModel, b: BindingInfo): string {
  const subjects = b.subjects.slice(0, 3).map((s) => {
    if (s.kind !== 'ServiceAccount') return subjectLabel(s);
    const runners = model.workloadsRunningAs(s.namespace, s.name);
    return runners.length
      ? `${subjectLabel(s)}, run by ${runners
          .slice(0, 2)
          .map((r) => where(r.ref))
          .join(', ')}${runners.length > 2 ? ` and ${runners.length - 2} more` : ''}`
      : subjectLabel(s);
  });
  const more = b.subjects.length > 3 ? ` and ${b.subjects.length - 3} more` : '';
  const scope = b.kind === 'RoleBinding' && b.roleKind === 'ClusterRole' ? ` in ${namespaceWords(b.ref.namespace)} only` : '';
  return `${where(b.ref)} grants it${scope} to ${subjects.join('; ') || 'no subject'}${more}`;
}

/**
 * Who receives a role: through the bindings naming it, or naming a ClusterRole that aggregates it.
 * Reads bindings, roles, and the pods of the subjects' namespaces.
 */
export function grantees(model: RbacModel, role: RoleInfo): { text: string; related: RelatedLocation[] } {
  const direct = model.bindingsTo(role);
  const via = model.aggregatorsOf(role).flatMap((agg) => model.bindingsTo(agg).map((b) => ({ b, agg })));
  const parts = [
    ...direct.slice(0, 2).map((b) => describeBinding(model, b)),
    ...via
      .slice(0, 2)
      .map(({ b, agg }) => `through ${agg.ref ? where(agg.ref) : `ClusterRole/${agg.name}`}, which aggregates it, ${describeBinding(model, b)}`),
  ];
  const total = direct.length + via.length;
  const rel = [
    ...direct.slice(0, 3).map((b) => related(b.ref, b.roleNameNode ?? b.roleRefNode, `${b.ref.object.label} binds ${role.kind}/${role.name}`)),
    ...via.slice(0, 3).map(({ b }) => related(b.ref, b.roleNameNode, `${b.ref.object.label} binds ${b.roleKind}/${b.roleName}`)),
  ];
  if (!total) return { text: 'No binding in the workspace grants it.', related: [] };
  return { text: `${parts.join('; ')}${total > 4 ? ` (and ${total - 4} more bindings)` : ''}.`, related: rel };
}

/** The role a binding refers to, and where: "ClusterRole/ops (rbac.yaml)" or "the built-in ClusterRole/edit". */
export function roleLabel(role: RoleInfo | undefined, b: BindingInfo): string {
  if (!role) return `${b.roleKind}/${b.roleName}`;
  return role.ref ? where(role.ref) : `the built-in ClusterRole/${role.name}`;
}
