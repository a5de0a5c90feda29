/** `*` in a role rule's verbs, resources or apiGroups: every current and future permission of that kind. */
import { isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { KubernetesRule, TextEdit } from '../../../server/src/engine/rule';
import { RBAC_READS, RbacModel } from '../../../server/src/model/rbac';
import { grantees, RBAC, rbacOf } from './common';

function star(node: Node | undefined): Scalar | undefined {
  if (!isSeq(node)) return undefined;
  return node.items.find((i): i is Scalar => isScalar(i) && i.value === '*');
}

export const rbacWildcard: KubernetesRule = {
  ...RBAC,
  id: 'rbac-wildcard',
  language: 'kubernetes',
  title: 'Role rule uses a wildcard',
  severity: 'warning',
  description:
    'A `*` in `verbs`, `resources` or `apiGroups` grants every verb, resource or API group, including those added later ' +
    '(new CRDs, new subresources such as `pods/ephemeralcontainers`). `*` on all three is cluster-admin (or namespace ' +
    'admin through a Role). One finding per rule item, on its first wildcard; the message names who receives the role.',
  remediation: 'List the verbs, resources and API groups the subject needs.',
  references: [
    'kube-linter:wildcard-in-rules',
    'checkov:CKV_K8S_49',
    'trivy:KSV-0044',
    'trivy:KSV-0045',
    'trivy:KSV-0046',
    'trivy:KSV-0112',
    'kubescape:C-0187',
    'cis-k8s:5.1.3',
  ],
  // Unsafe: whoever relied on the other verbs loses them.
  fixes: [{ title: 'Grant only get, list, watch instead of every verb', applicability: 'unsafe' }],
  recommended: true,
  kinds: ['Role', 'ClusterRole'],
  scope: 'workspace',
  reads: RBAC_READS,
  check(ctx) {
    const role = RbacModel.roleOfObject(ctx.object, ctx.filePath);
    if (!role) return;
    let who: ReturnType<typeof grantees> | undefined;
    for (const rule of role.rules) {
      const fields = (['verbs', 'resources', 'apiGroups'] as const).filter((f) => rule[f].includes('*'));
      if (!fields.length) continue;
      const at = star(fields[0] === 'verbs' ? rule.verbsNode : fields[0] === 'resources' ? rule.resourcesNode : rule.apiGroupsNode);
      if (!at) continue;
      who ??= grantees(rbacOf(ctx), role);
      const all = fields.length === 3 && !rule.resourceNames.length;
      const what = all
        ? role.kind === 'ClusterRole'
          ? 'every verb on every resource: cluster-admin wherever it is bound cluster-wide'
          : 'every verb on every resource of its namespace: namespace admin'
        : `every ${fields.map((f) => (f === 'verbs' ? 'verb' : f === 'resources' ? 'resource' : 'API group')).join(' and every ')} it names`;
      const verbsSeq = rule.verbsNode;
      const onlyStarVerb = fields.length === 1 && fields[0] === 'verbs' && isSeq(verbsSeq) && verbsSeq.items.length === 1 && verbsSeq.range;
      ctx.report({
        at,
        message: `${ctx.object.label} grants ${what} (${fields.map((f) => `${f}: *`).join(', ')}). ${who.text}`,
        related: who.related,
        fixes: onlyStarVerb
          ? [
              {
                title: 'Grant only get, list, watch instead of every verb',
                applicability: 'unsafe',
                edits: (): TextEdit[] => {
                  const seq = verbsSeq as Node;
                  if (isSeq(seq) && seq.flow) return [ctx.edit.replace(seq, '["get", "list", "watch"]')];
                  // A block sequence: rewrite the sequence after `verbs:` as a flow list on the key's line.
                  const pair = rule.node!.items.find((p) => p.value === seq)!;
                  const colon = ctx.text.indexOf(':', (pair.key as Node).range![1]);
                  let end = seq.range![1];
                  while (end > colon && /\s/.test(ctx.text[end - 1])) end--;
                  return [{ start: colon + 1, end, newText: ' ["get", "list", "watch"]' }];
                },
              },
            ]
          : [],
      });
    }
  },
};
