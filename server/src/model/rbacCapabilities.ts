/**
 * What RBAC rules allow, in the attacker's terms: each capability is a set of (verbs, API group,
 * resources) that gives one step towards a node, a token, every Secret or cluster-admin. Matching
 * follows the API server's RBAC authorizer: `*` in verbs, apiGroups or resources matches anything
 * (resource `*` includes subresources), `pods/*` every subresource of pods, `*\/status` that
 * subresource of everything; `resourceNames` restricts a rule to named objects.
 */
import type { PolicyRuleInfo, Scope } from './rbac';

export type CapabilityId =
  | 'cluster-admin'
  | 'secrets-read'
  | 'pods-create'
  | 'pods-exec'
  | 'nodes-proxy'
  | 'impersonate'
  | 'bind-escalate'
  | 'manage-rbac'
  | 'token-create'
  | 'csr-approve'
  | 'admission-webhooks'
  | 'status-patch'
  | 'persistent-volume-create'
  | 'configmaps-write'
  | 'networking-write'
  | 'delete-evidence';

interface Access {
  readonly verbs: readonly string[];
  readonly groups: readonly string[];
  readonly resources: readonly string[];
}

export interface Capability {
  readonly id: CapabilityId;
  /** Higher is worse; the chain rule reports the worst. */
  readonly rank: number;
  /** Any one of these grants the capability. */
  readonly access: readonly Access[];
  /** Named objects only (`resourceNames`) still count (impersonating `system:masters` is enough). */
  readonly namedCounts?: boolean;
  /** Only cluster-scoped resources: a Role, or a ClusterRole bound by a RoleBinding, grants nothing. */
  readonly clusterScoped?: boolean;
  /** Worth a per-role finding, not a step towards a crown jewel: left out of workload summaries. */
  readonly minor?: boolean;
  /** "can read every Secret in the cluster" / "... in namespace shop". */
  describe(scope: Scope): string;
}

export const WORKLOAD_RESOURCES: readonly Access[] = [
  { verbs: ['create', 'update', 'patch'], groups: [''], resources: ['pods', 'podtemplates', 'replicationcontrollers'] },
  { verbs: ['create', 'update', 'patch'], groups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'] },
  { verbs: ['create', 'update', 'patch'], groups: ['batch'], resources: ['jobs', 'cronjobs'] },
];

export function where(scope: Scope): string {
  return scope.cluster ? 'in every namespace' : `in ${namespaceWords(scope.namespace)}`;
}

/** `namespace shop`, or for objects without one, the namespace their file is applied to. */
export function namespaceWords(namespace: string): string {
  return namespace ? `namespace ${namespace}` : 'its namespace (the one the file is applied to)';
}

export const CAPABILITIES: readonly Capability[] = [
  {
    id: 'cluster-admin',
    rank: 100,
    access: [{ verbs: ['*'], groups: ['*'], resources: ['*'] }],
    describe: (s) =>
      s.cluster ? 'is cluster-admin (every verb on every resource)' : `is admin of ${namespaceWords(s.namespace)} (every verb on every resource there)`,
  },
  {
    id: 'bind-escalate',
    rank: 90,
    access: [{ verbs: ['bind', 'escalate'], groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'] }],
    namedCounts: true,
    describe: (s) => `can bind or escalate roles ${where(s)}, so can grant itself any permission${s.cluster ? ', up to cluster-admin' : ''}`,
  },
  {
    id: 'impersonate',
    rank: 90,
    access: [
      { verbs: ['impersonate'], groups: [''], resources: ['users', 'groups', 'serviceaccounts'] },
      { verbs: ['impersonate'], groups: ['authentication.k8s.io'], resources: ['uids', 'userextras'] },
    ],
    namedCounts: true,
    describe: (s) => `can impersonate users, groups or service accounts ${where(s)}${s.cluster ? ' (system:masters is cluster-admin)' : ''}`,
  },
  {
    id: 'nodes-proxy',
    clusterScoped: true,
    rank: 85,
    access: [{ verbs: ['get', 'create'], groups: [''], resources: ['nodes/proxy'] }],
    describe: () => 'can reach the kubelet API through nodes/proxy, so can run commands in any pod of any node',
  },
  {
    id: 'manage-rbac',
    rank: 80,
    access: [
      {
        verbs: ['create', 'update', 'patch'],
        groups: ['rbac.authorization.k8s.io'],
        resources: ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'],
      },
    ],
    describe: (s) => `can create or change roles and bindings ${where(s)} (with the rights it holds, or bind/escalate, that is privilege escalation)`,
  },
  {
    id: 'admission-webhooks',
    clusterScoped: true,
    rank: 80,
    access: [
      {
        verbs: ['create', 'update', 'patch'],
        groups: ['admissionregistration.k8s.io'],
        resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
      },
    ],
    describe: () => 'can register admission webhooks, so can rewrite or read every object sent to the API server',
  },
  {
    id: 'csr-approve',
    clusterScoped: true,
    rank: 80,
    access: [
      { verbs: ['update', 'patch'], groups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'] },
      { verbs: ['approve'], groups: ['certificates.k8s.io'], resources: ['signers'] },
    ],
    namedCounts: true,
    describe: () => 'can approve certificate signing requests, so can issue itself a client certificate for any user or group',
  },
  {
    id: 'pods-create',
    rank: 70,
    access: WORKLOAD_RESOURCES,
    describe: (s) =>
      `can create pods or pod controllers ${where(s)}, so can run as any service account there${s.cluster ? ' and run a privileged pod on any node' : ' (and a privileged pod, unless Pod Security admission stops it)'}`,
  },
  {
    id: 'token-create',
    rank: 70,
    access: [{ verbs: ['create'], groups: [''], resources: ['serviceaccounts/token'] }],
    describe: (s) => `can mint tokens for any service account ${where(s)}`,
  },
  {
    id: 'secrets-read',
    rank: 60,
    access: [{ verbs: ['get', 'list', 'watch'], groups: [''], resources: ['secrets'] }],
    describe: (s) => (s.cluster ? 'can read every Secret in the cluster' : `can read every Secret in ${namespaceWords(s.namespace)}`),
  },
  {
    id: 'pods-exec',
    rank: 60,
    access: [
      { verbs: ['create', 'get'], groups: [''], resources: ['pods/exec', 'pods/attach', 'pods/portforward'] },
      { verbs: ['update', 'patch'], groups: [''], resources: ['pods/ephemeralcontainers'] },
    ],
    describe: (s) => `can run commands in (exec, attach, port-forward or add ephemeral containers to) pods ${where(s)}`,
  },
  {
    id: 'persistent-volume-create',
    clusterScoped: true,
    rank: 50,
    access: [{ verbs: ['create'], groups: [''], resources: ['persistentvolumes'] }],
    describe: () => 'can create PersistentVolumes, so can mount any host path through a hostPath PV',
  },
  {
    id: 'status-patch',
    rank: 30,
    access: [{ verbs: ['update', 'patch'], groups: [''], resources: ['services/status', 'pods/status', 'nodes/status'] }],
    describe: (s) => `can rewrite the status of services, pods or nodes ${where(s)} (CVE-2020-8554: a LoadBalancer ingress IP captures traffic)`,
  },
  {
    id: 'configmaps-write',
    rank: 20,
    minor: true,
    access: [{ verbs: ['create', 'update', 'patch'], groups: [''], resources: ['configmaps'] }],
    describe: (s) =>
      `can rewrite ConfigMaps ${where(s)}${s.cluster || s.namespace === 'kube-system' ? " (kube-system's coredns Corefile redirects the cluster's DNS; EKS's aws-auth maps IAM roles to system:masters)" : ''}`,
  },
  {
    id: 'networking-write',
    rank: 20,
    minor: true,
    access: [
      { verbs: ['create', 'update', 'patch'], groups: [''], resources: ['services', 'endpoints'] },
      { verbs: ['create', 'update', 'patch'], groups: ['discovery.k8s.io'], resources: ['endpointslices'] },
      { verbs: ['create', 'update', 'patch', 'delete'], groups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'] },
    ],
    describe: (s) => `can redirect or open traffic ${where(s)} (Services, Endpoints, EndpointSlices, Ingresses, NetworkPolicies)`,
  },
  {
    id: 'delete-evidence',
    rank: 20,
    minor: true,
    access: [
      { verbs: ['delete', 'deletecollection'], groups: [''], resources: ['events', 'pods/log'] },
      { verbs: ['delete', 'deletecollection'], groups: ['events.k8s.io'], resources: ['events'] },
    ],
    describe: (s) => `can delete events or pod logs ${where(s)}, the traces an intrusion leaves`,
  },
];

export const CAPABILITY_BY_ID: ReadonlyMap<CapabilityId, Capability> = new Map(CAPABILITIES.map((c) => [c.id, c]));

function matchesVerb(rule: PolicyRuleInfo, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}

function matchesGroup(rule: PolicyRuleInfo, group: string): boolean {
  return rule.apiGroups.includes('*') || rule.apiGroups.includes(group);
}

function matchesResource(rule: PolicyRuleInfo, resource: string): boolean {
  const slash = resource.indexOf('/');
  for (const r of rule.resources) {
    if (r === '*' || r === resource) return true;
    if (slash > 0 && (r === `${resource.slice(0, slash)}/*` || r === `*${resource.slice(slash)}`)) return true;
  }
  return false;
}

/** Whether one rule item allows `verb` on `group`/`resource` (for every object, unless `named`). */
export function allows(rule: PolicyRuleInfo, verb: string, group: string, resource: string, named = false): boolean {
  if (rule.resourceNames.length && !named) return false;
  return matchesVerb(rule, verb) && matchesGroup(rule, group) && matchesResource(rule, resource);
}

/** Whether a rule item grants a capability. */
export function grantsCapability(rule: PolicyRuleInfo, cap: Capability): boolean {
  if (cap.id === 'cluster-admin') return !rule.resourceNames.length && rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*');
  for (const a of cap.access) {
    for (const g of a.groups) for (const r of a.resources) for (const v of a.verbs) if (allows(rule, v, g, r, cap.namedCounts)) return true;
  }
  return false;
}

/** The verbs of a rule that grant the capability, for messages ("get, list"). */
export function grantingVerbs(rule: PolicyRuleInfo, cap: Capability): string[] {
  const out = new Set<string>();
  for (const a of cap.access) {
    for (const g of a.groups) for (const r of a.resources) for (const v of a.verbs) if (allows(rule, v, g, r, cap.namedCounts)) out.add(v);
  }
  return [...out];
}

/** The resources of a rule that grant the capability, for messages. */
export function grantingResources(rule: PolicyRuleInfo, cap: Capability): string[] {
  const out = new Set<string>();
  for (const a of cap.access) {
    for (const g of a.groups) for (const r of a.resources) if (a.verbs.some((v) => allows(rule, v, g, r, cap.namedCounts))) out.add(r);
  }
  return [...out];
}

export interface HeldCapability {
  readonly capability: Capability;
  readonly rule: PolicyRuleInfo;
}

/**
 * Every capability towards a crown jewel a list of rules grants in `scope`, with the first rule item
 * that grants it, worst first (minor capabilities are per-role findings only).
 */
export function capabilitiesOf(rules: readonly PolicyRuleInfo[], scope: Scope): HeldCapability[] {
  const out: HeldCapability[] = [];
  for (const cap of CAPABILITIES) {
    if ((cap.clusterScoped && !scope.cluster) || cap.minor) continue;
    const rule = rules.find((r) => grantsCapability(r, cap));
    if (rule) out.push({ capability: cap, rule });
  }
  return out;
}
