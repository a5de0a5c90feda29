/**
 * Per-role checks: a Role or ClusterRole rule item that grants one dangerous capability, reported on
 * the item's `verbs`, with what it allows and who receives the role in the workspace (which bindings,
 * which service accounts, which workloads run as them). An aggregating ClusterRole is reported on its
 * `aggregationRule` for what the ClusterRoles it gathers allow.
 */
import type { KubernetesRule, RuleMeta } from '../../../server/src/engine/rule';
import { PolicyRuleInfo, RBAC_READS, RbacModel, RoleInfo, Scope } from '../../../server/src/model/rbac';
import { CAPABILITY_BY_ID, CapabilityId, grantingResources, grantingVerbs, grantsCapability } from '../../../server/src/model/rbacCapabilities';
import { related, where } from '../network/common';
import { grantees, RBAC, rbacOf } from './common';

type CapabilityRuleMeta = Pick<RuleMeta, 'id' | 'title' | 'severity' | 'description' | 'remediation' | 'references'>;

function roleScope(role: RoleInfo): Scope {
  return role.kind === 'ClusterRole' ? { cluster: true } : { cluster: false, namespace: role.namespace };
}

function isFullWildcard(r: PolicyRuleInfo): boolean {
  return r.verbs.includes('*') && r.resources.includes('*') && r.apiGroups.includes('*');
}

function capabilityRule(meta: CapabilityRuleMeta, id: CapabilityId, recommended = true): KubernetesRule {
  const capability = CAPABILITY_BY_ID.get(id)!;
  return {
    ...RBAC,
    ...meta,
    language: 'kubernetes',
    fixes: [],
    recommended,
    kinds: ['Role', 'ClusterRole'],
    scope: 'workspace',
    reads: RBAC_READS,
    check(ctx) {
      const role = RbacModel.roleOfObject(ctx.object, ctx.filePath);
      // A Role cannot grant cluster-scoped resources: such rules have no effect.
      if (!role || (capability.clusterScoped && role.kind === 'Role')) return;
      const model = rbacOf(ctx);
      const scope = roleScope(role);
      // An item with `*` in verbs, resources and apiGroups is every capability at once: rbac-wildcard
      // reports it once as cluster-admin, rather than every capability rule on the same line.
      const own = role.rules.filter((r) => !isFullWildcard(r) && grantsCapability(r, capability));
      const gathered = role.aggregation
        ? model.effectiveRules(role).filter((r) => r.role !== role && !isFullWildcard(r) && grantsCapability(r, capability))
        : [];
      if (!own.length && !gathered.length) return;
      const who = grantees(model, role);
      for (const rule of own) {
        ctx.report({
          at: rule.verbsNode ?? rule.node!,
          message: `${ctx.object.label} allows ${grantingVerbs(rule, capability).join(', ')} on ${grantingResources(rule, capability).join(', ')}${rule.resourceNames.length ? ` (named: ${rule.resourceNames.slice(0, 3).join(', ')})` : ''}: whoever holds it ${capability.describe(scope)}. ${who.text}`,
          related: who.related,
        });
      }
      if (gathered.length && role.aggregationNode) {
        const sources = [...new Set(gathered.map((r) => r.role))];
        ctx.report({
          at: role.aggregationNode,
          message: `${ctx.object.label} aggregates ${sources
            .slice(0, 3)
            .map((s) => (s.ref ? where(s.ref) : s.name))
            .join(
              ', ',
            )}${sources.length > 3 ? ` and ${sources.length - 3} more` : ''}, which allow${sources.length === 1 ? 's' : ''} ${grantingVerbs(gathered[0], capability).join(', ')} on ${grantingResources(gathered[0], capability).join(', ')}: whoever holds it ${capability.describe(scope)}. ${who.text}`,
          related: [
            ...gathered
              .slice(0, 3)
              .flatMap((r) => (r.role.ref ? [related(r.role.ref, r.verbsNode ?? r.node, `the rule of ${r.role.ref.object.label} it aggregates`)] : [])),
            ...who.related,
          ],
        });
      }
    },
  };
}

export const rbacSecretsRead = capabilityRule(
  {
    id: 'rbac-secrets-read',
    title: 'Role reads Secrets',
    severity: 'warning',
    description:
      '`get`, `list` or `watch` on `secrets` (or a wildcard covering them) reads Secret values: `list` and `watch` return ' +
      'every Secret with its data, not only names, and the service account tokens among them are credentials for other ' +
      'identities. Rules limited by `resourceNames` are not reported. The message names the bindings and workloads that ' +
      'receive the role, so a controller that needs it can be told from an accident.',
    remediation: 'Grant `get` on the named Secrets the workload needs (`resourceNames`), or mount them instead of reading them through the API.',
    references: [
      'kube-linter:access-to-secrets',
      'trivy:KSV-0041',
      'trivy:KSV-0113',
      'kubescape:C-0015',
      'kubescape:C-0186',
      'checkov:CKV2_K8S_5',
      'cis-k8s:5.1.2',
    ],
  },
  'secrets-read',
);

export const rbacPodsCreate = capabilityRule(
  {
    id: 'rbac-pods-create',
    title: 'Role creates pods or workload controllers',
    severity: 'warning',
    description:
      '`create`, `update` or `patch` on pods, pod templates or any workload controller (Deployments, ReplicaSets, ' +
      'StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers) lets the holder run any image as any service ' +
      'account of the namespace, mount its Secrets, and, unless Pod Security admission forbids it, run a privileged pod ' +
      'that owns the node.',
    remediation: 'Keep workload creation to deployment pipelines and controllers that need it; give applications read access at most.',
    references: ['kube-linter:access-to-create-pods', 'trivy:KSV-0048', 'kubescape:C-0188', 'cis-k8s:5.1.4'],
  },
  'pods-create',
);

export const rbacPodsExec = capabilityRule(
  {
    id: 'rbac-pods-exec',
    title: 'Role execs into pods',
    severity: 'warning',
    description:
      '`pods/exec`, `pods/attach` and `pods/portforward` (`create`, or `get` over websockets) and `pods/ephemeralcontainers` ' +
      '(`update`/`patch`) run commands inside, or reach into, other pods: their service account tokens, Secrets and ' +
      "privileges become the holder's.",
    remediation: 'Grant exec and attach to people through short-lived bindings, not to service accounts.',
    references: [
      'trivy:KSV-0053',
      'trivy:KSV-0054',
      'kubescape:C-0002',
      'kubescape:C-0063',
      'checkov:CKV2_K8S_2',
      'polaris:clusterrolePodExecAttach',
      'polaris:rolePodExecAttach',
      'polaris:clusterrolebindingPodExecAttach',
      'polaris:rolebindingClusterRolePodExecAttach',
      'polaris:rolebindingRolePodExecAttach',
    ],
  },
  'pods-exec',
);

export const rbacNodesProxy = capabilityRule(
  {
    id: 'rbac-nodes-proxy',
    title: 'ClusterRole reaches the kubelet through nodes/proxy',
    severity: 'error',
    description:
      '`get` or `create` on `nodes/proxy` passes requests to the kubelet API of any node, which runs commands in any of ' +
      "its pods (`/exec`, `/run`) without the API server's pod-level authorization or audit of the command.",
    remediation: 'Remove `nodes/proxy`; monitoring agents need `nodes/metrics` or `nodes/stats` only.',
    references: ['trivy:KSV-0047', 'kubescape:C-0279', 'checkov:CKV2_K8S_2'],
  },
  'nodes-proxy',
);

export const rbacImpersonate = capabilityRule(
  {
    id: 'rbac-impersonate',
    title: 'Role impersonates users, groups or service accounts',
    severity: 'error',
    description:
      '`impersonate` on `users`, `groups`, `serviceaccounts` (or `uids`/`userextras`) lets the holder act as another ' +
      'identity: impersonating the group `system:masters` is cluster-admin. Reported even with `resourceNames`, since one ' +
      'named privileged identity is enough.',
    remediation: 'Remove `impersonate`, or limit it with `resourceNames` to unprivileged identities.',
    references: ['trivy:KSV-0043', 'kubescape:C-0065', 'kubescape:C-0191', 'checkov:CKV2_K8S_3'],
  },
  'impersonate',
);

export const rbacBindEscalate = capabilityRule(
  {
    id: 'rbac-bind-escalate',
    title: 'Role binds or escalates roles',
    severity: 'error',
    description:
      'RBAC stops a subject from granting rights it does not hold, unless it holds `bind` (create bindings to any role) or ' +
      '`escalate` (edit roles to include anything) on roles or clusterroles: then it can grant itself cluster-admin.',
    remediation: 'Remove `bind` and `escalate`, or limit them with `resourceNames` to the roles the controller manages.',
    references: ['checkov:CKV_K8S_157', 'checkov:CKV_K8S_158', 'kubescape:C-0191'],
  },
  'bind-escalate',
);

export const rbacManageRbac = capabilityRule(
  {
    id: 'rbac-manage-rbac',
    title: 'Role creates or changes roles and bindings',
    severity: 'warning',
    description:
      '`create`, `update` or `patch` on roles, clusterroles, rolebindings or clusterrolebindings: the holder can hand the ' +
      'rights it holds to any identity (including one it controls), and with `bind` or `escalate` any rights at all.',
    remediation: 'Keep RBAC management to cluster administrators and the few controllers built for it.',
    references: ['trivy:KSV-0050', 'trivy:KSV-0051', 'trivy:KSV-0052', 'trivy:KSV-0055'],
  },
  'manage-rbac',
);

export const rbacTokenCreate = capabilityRule(
  {
    id: 'rbac-token-create',
    title: 'Role mints service account tokens',
    severity: 'warning',
    description:
      '`create` on `serviceaccounts/token` (the TokenRequest API) issues a token for any service account in scope, so the holder has the rights of all of them.',
    remediation: 'Remove `serviceaccounts/token`, or limit it with `resourceNames` to the accounts the controller manages.',
    references: ['kubescape:C-0282'],
  },
  'token-create',
);

export const rbacCsrApprove = capabilityRule(
  {
    id: 'rbac-csr-approve',
    title: 'ClusterRole approves certificate signing requests',
    severity: 'error',
    description:
      '`update`/`patch` on `certificatesigningrequests/approval` with `approve` on a signer lets the holder issue client ' +
      'certificates: with the `kubernetes.io/kube-apiserver-client` signer, for any user and group, `system:masters` included.',
    remediation: 'Leave CSR approval to the control plane, or limit `signers` with `resourceNames` to a signer that cannot issue API client certificates.',
    references: ['checkov:CKV_K8S_156', 'kubescape:C-0280'],
  },
  'csr-approve',
);

export const rbacAdmissionWebhooks = capabilityRule(
  {
    id: 'rbac-admission-webhooks',
    title: 'ClusterRole manages admission webhooks',
    severity: 'warning',
    description:
      '`create`, `update` or `patch` on mutating or validating webhook configurations lets the holder see, rewrite or ' +
      'block every object sent to the API server (add a privileged container to every pod, read every Secret written).',
    remediation: 'Keep webhook configuration to the controllers that own them, limited with `resourceNames`.',
    references: ['checkov:CKV_K8S_155', 'trivy:KSV-0114', 'kubescape:C-0281'],
  },
  'admission-webhooks',
);

export const rbacStatusPatch = capabilityRule(
  {
    id: 'rbac-status-patch',
    title: 'Role rewrites services/status, pods/status or nodes/status',
    severity: 'info',
    description:
      "`update`/`patch` on `services/status` sets a LoadBalancer's ingress IP, which kube-proxy then routes cluster " +
      'traffic for (CVE-2020-8554); `pods/status` and `nodes/status` rewrite what controllers and schedulers believe ' +
      "(labels a pod out of a Service, a node's capacity or addresses).",
    remediation: 'Leave status updates to the controllers that own the objects.',
    references: ['checkov:CKV2_K8S_4'],
  },
  'status-patch',
);

export const rbacPersistentVolumeCreate = capabilityRule(
  {
    id: 'rbac-persistent-volume-create',
    title: 'ClusterRole creates PersistentVolumes',
    severity: 'warning',
    description:
      "`create` on `persistentvolumes` can declare a `hostPath` PersistentVolume and, with a claim, mount any directory of a node into a pod, bypassing Pod Security's hostPath check on pods.",
    remediation: 'Let a StorageClass provisioner create volumes; grant users PersistentVolumeClaims only.',
    references: ['kubescape:C-0278'],
  },
  'persistent-volume-create',
);

export const rbacConfigmapsWrite = capabilityRule(
  {
    id: 'rbac-configmaps-write',
    title: 'Role rewrites ConfigMaps',
    severity: 'info',
    description:
      '`create`, `update` or `patch` on ConfigMaps. Most are application settings, but some steer the cluster: in ' +
      '`kube-system`, the `coredns` Corefile redirects every name lookup of the cluster, and on EKS `aws-auth` maps IAM ' +
      'roles to Kubernetes groups, `system:masters` included. Reported on ClusterRoles and on Roles of any namespace; ' +
      'the message says when `kube-system` is in reach.',
    remediation: 'Limit the rule with `resourceNames` to the ConfigMaps the subject owns; never grant it in kube-system.',
    references: ['trivy:KSV-0049', 'trivy:KSV-0115', 'kubescape:C-0037'],
  },
  'configmaps-write',
  // Off by default: operators and controllers legitimately hold it (see the corpus review).
  false,
);

export const rbacNetworkingWrite = capabilityRule(
  {
    id: 'rbac-networking-write',
    title: 'Role rewrites Services, endpoints, Ingresses or NetworkPolicies',
    severity: 'info',
    description:
      'Writing Services, Endpoints or EndpointSlices redirects traffic meant for a Service to any address; writing ' +
      'Ingresses publishes any Service; writing (or deleting) NetworkPolicies opens what they closed.',
    remediation: 'Keep networking objects to deployment pipelines and the controllers that own them.',
    references: ['trivy:KSV-0056'],
  },
  'networking-write',
  // Off by default: operators and controllers legitimately hold it (see the corpus review).
  false,
);

export const rbacDeleteEvidence = capabilityRule(
  {
    id: 'rbac-delete-evidence',
    title: 'Role deletes events or pod logs',
    severity: 'info',
    description: '`delete` or `deletecollection` on events or `pods/log` erases the traces an intrusion leaves in the cluster.',
    remediation: 'Leave events and logs to their garbage collection; grant no subject their deletion.',
    references: ['trivy:KSV-0042', 'kubescape:C-0031'],
  },
  'delete-evidence',
  // Off by default: operators and controllers legitimately hold it (see the corpus review).
  false,
);

export const ROLE_CAPABILITY_RULES: readonly KubernetesRule[] = [
  rbacSecretsRead,
  rbacPodsCreate,
  rbacPodsExec,
  rbacNodesProxy,
  rbacImpersonate,
  rbacBindEscalate,
  rbacManageRbac,
  rbacTokenCreate,
  rbacCsrApprove,
  rbacAdmissionWebhooks,
  rbacStatusPatch,
  rbacPersistentVolumeCreate,
  rbacConfigmapsWrite,
  rbacNetworkingWrite,
  rbacDeleteEvidence,
];
