/**
 * Privilege chains and attack paths, on the workload that starts them:
 * - `workload-rbac-rights`: what the workload's service account can do through every binding of the
 *   workspace, when its token is mounted, summarised as the worst capability;
 * - `attack-path`: a path of at most two steps from one of its containers to node root, cluster-admin
 *   or every Secret of a namespace, with each step's place in the files.
 */
import type { Node } from 'yaml';
import type { KubernetesRule, RelatedLocation } from '../../../server/src/engine/rule';
import { identityOf, RBAC_READS, tokenMounted } from '../../../server/src/model/rbac';
import { capabilitiesOf } from '../../../server/src/model/rbacCapabilities';
import type { ObjectRef } from '../../../server/src/model/workspaceModel';
import { buildAttackGraph } from '../../../server/src/paths/graph';
import { shortestPaths } from '../../../server/src/paths/search';
import { related, where } from '../network/common';
import { RBAC, rbacOf, roleLabel } from './common';

function selfRef(object: ObjectRef['object'], path: string): ObjectRef {
  return { indexed: { path, documentStart: 0, object }, object, namespace: object.namespace ?? '' };
}

export const workloadRbacRights: KubernetesRule = {
  ...RBAC,
  id: 'workload-rbac-rights',
  language: 'kubernetes',
  title: 'Workload holds a token with dangerous RBAC rights',
  // What the token allows; `attack-path` warns when that is a short way to a crown jewel.
  severity: 'info',
  description:
    "Joins each workload to its service account (`serviceAccountName`, or the namespace's `default`), the account's " +
    'bindings anywhere in the workspace and the roles they bind (aggregated ClusterRoles and the built-in `cluster-admin`, ' +
    '`admin`, `edit` included), and reports the worst thing the token lets an intruder in any of its containers do: ' +
    '"is cluster-admin", "can read every Secret in the cluster", "can create pods in namespace shop, so can run as any ' +
    'service account there". Only when the token is mounted (a projected token volume, or `automountServiceAccountToken` ' +
    'not false on the pod, else on the ServiceAccount). Related locations point at the binding and the role rule.',
  remediation:
    'Give the workload its own ServiceAccount bound to a role with what it needs; if it never calls the API, set ' + '`automountServiceAccountToken: false`.',
  references: ['kubescape:C-0261', 'kubescape:C-0267', 'kubescape:C-0272'],
  // Unsafe: a workload that calls the API server loses its credentials.
  fixes: [{ title: 'Set automountServiceAccountToken: false', applicability: 'unsafe' }],
  recommended: true,
  kinds: 'workloads',
  scope: 'workspace',
  reads: RBAC_READS,
  check(ctx) {
    const ref = selfRef(ctx.object, ctx.filePath);
    const identity = identityOf(ref);
    if (!identity) return;
    const model = rbacOf(ctx);
    const account = model.serviceAccount(ref.namespace, identity.serviceAccount);
    if (!tokenMounted(identity, account)) return;
    const held = model
      .grantsOf(ref.namespace, identity.serviceAccount)
      .flatMap((grant) => capabilitiesOf(grant.rules, grant.scope).map((h) => ({ ...h, grant })));
    // Namespace-wide `*` is the sum of its parts, which are listed themselves.
    const relevant = held.filter((h) => h.capability.id !== 'cluster-admin' || h.grant.scope.cluster).sort((a, b) => b.capability.rank - a.capability.rank);
    if (!relevant.length) return;
    const worst = relevant[0];
    const others = [...new Set(relevant.slice(1).map((h) => h.capability.describe(h.grant.scope)))].filter(
      (d) => d !== worst.capability.describe(worst.grant.scope),
    );
    const b = worst.grant.binding;
    const rel: RelatedLocation[] = [
      related(b.ref, b.roleNameNode ?? b.roleRefNode, `${b.ref.object.label} binds ${b.roleKind}/${b.roleName} to ServiceAccount ${identity.serviceAccount}`),
    ];
    if (worst.rule.role.ref)
      rel.push(related(worst.rule.role.ref, worst.rule.verbsNode ?? worst.rule.node, `the rule of ${worst.rule.role.ref.object.label} that allows it`));
    if (account && !identity.serviceAccountNode)
      rel.push(related(account.ref, account.automountNode ?? account.ref.object.anchor, `${account.ref.object.label} does not turn automount off`));
    const pod = ctx.object.podSpec()!;
    const autoPair = identity.automountNode ? pod.node.items.find((p) => p.value === identity.automountNode) : undefined;
    ctx.report({
      at: identity.serviceAccountNode ?? identity.projectedTokenNode ?? identity.automountNode ?? (pod.containers()[0]?.anchor as Node) ?? ctx.object.anchor,
      message:
        `${ctx.object.label} runs as ServiceAccount ${identity.serviceAccount} with its token mounted, and that account ${worst.capability.describe(worst.grant.scope)} ` +
        `(${where(b.ref)} → ${roleLabel(worst.grant.role, b)})${others.length ? `; it also ${others.slice(0, 2).join('; ')}${others.length > 2 ? ` and ${others.length - 2} more` : ''}` : ''}.`,
      related: rel,
      fixes: identity.projectedTokenNode
        ? []
        : [
            {
              title: 'Set automountServiceAccountToken: false',
              applicability: 'unsafe',
              edits: () => [
                autoPair ? ctx.edit.replace(autoPair.value as Node, 'false') : ctx.edit.insertPair(pod.node, 'automountServiceAccountToken', false),
              ],
            },
          ],
    });
  },
};

const JEWEL_WORDS = { node: 'root on a node', 'cluster-admin': 'cluster-admin', secrets: 'every Secret' } as const;

export const attackPath: KubernetesRule = {
  ...RBAC,
  id: 'attack-path',
  language: 'kubernetes',
  title: 'Short attack path from this workload to node root, cluster-admin or every Secret',
  severity: 'warning',
  description:
    'Builds the attack graph of the workspace (container escapes implied by the pod spec, the service account token, ' +
    'what RBAC lets that account do) and reports a workload whose container is at most two steps from a crown jewel: ' +
    'root on a node (`CE_PRIV_MOUNT`, `CE_NSENTER`, `CE_MODULE_LOAD`, `CE_SYS_PTRACE`, `CE_UMH_CORE_PATTERN`, ' +
    '`CE_VAR_LOG_SYMLINK`, a runtime socket, host file access, or creating a privileged pod), cluster-admin, or every ' +
    "Secret of a namespace or of the cluster. The message names each step (KubeHound's edge names); related locations " +
    'point at the line that creates it. Longer paths, through other workloads, are shown by `bulkhead paths`.',
  remediation: 'Break the first step: drop the escape from the pod spec, turn off the token mount, or narrow the role the account is bound to.',
  references: ['kubescape:C-0267', 'kubescape:C-0272'],
  fixes: [],
  recommended: true,
  kinds: 'workloads',
  scope: 'workspace',
  reads: RBAC_READS,
  check(ctx) {
    const ref = selfRef(ctx.object, ctx.filePath);
    // Two steps never pass through another workload, so the graph of this one workload and the RBAC
    // objects is enough (and the lint depends on nothing else).
    const graph = buildAttackGraph(ctx.workspace, { workloads: [ref], lateral: false });
    const [path] = shortestPaths(graph, { lateral: false, maxSteps: 2 });
    if (!path) return;
    const first = path.steps[0];
    const site = first.edge.sites.find((s) => s.ref.indexed.path === ctx.filePath && s.ref.object === ctx.object) ?? first.edge.sites[0];
    const target = graph.nodes.get(path.to)!;
    const rel: RelatedLocation[] = [];
    for (const step of path.steps)
      for (const s of step.edge.sites) if (s.ref.object !== ctx.object) rel.push(related(s.ref, s.node, `${step.edge.type}: ${s.message}`));
    ctx.report({
      at: site?.node ?? ctx.object.anchor,
      message: `${ctx.object.label} is ${path.steps.length} step${path.steps.length === 1 ? '' : 's'} from ${path.steps[path.steps.length - 1].edge.type === 'EXPLOIT_HOST_READ' ? "a node's credentials" : JEWEL_WORDS[path.jewel]} (${target.name}): ${path.steps.map((s, i) => `${i + 1}. ${s.edge.type}: ${s.edge.reason}`).join('; ')}.`,
      related: rel,
    });
  },
};

export const CHAIN_RULES: readonly KubernetesRule[] = [workloadRbacRights, attackPath];
