/**
 * The attack graph of a workspace: how a process in one container becomes root on a node,
 * cluster-admin, or the reader of every Secret, from the files alone. Pure: it reads a workspace
 * view (so a lint that builds it depends on what it read) and knows nothing of the editor.
 *
 * Nodes are workloads, their containers, service accounts, roles, bindings and the crown jewels
 * (a Node, `cluster-admin`, the Secrets of a namespace or of the cluster). Edges carry KubeHound's
 * names where it has one (CE_PRIV_MOUNT, IDENTITY_ASSUME, POD_CREATE, TOKEN_LIST...), a reason in
 * words, and the places in the files that create them, for related locations.
 */
import type { Node } from 'yaml';
import type { IndexedObject, WorkspaceView } from '../engine/workspaceIndex';
import { Grant, identityOf, RbacModel, RoleInfo, Scope, tokenMounted, WorkloadIdentity } from '../model/rbac';
import { allows, capabilitiesOf, HeldCapability, namespaceWords } from '../model/rbacCapabilities';
import { ObjectRef, UNNAMED_NAMESPACE, WorkspaceModel } from '../model/workspaceModel';
import { escapesOf, sharesProcessNamespace } from './escapes';

export type NodeType = 'Workload' | 'Container' | 'ServiceAccount' | 'Role' | 'ClusterRole' | 'Binding' | 'Node' | 'Secret' | 'Identity';
export type Jewel = 'node' | 'cluster-admin' | 'secrets';

export interface GraphNode {
  readonly id: string;
  readonly type: NodeType;
  readonly namespace?: string;
  readonly name: string;
  /** The object it stands for, if the workspace holds one. */
  readonly ref?: ObjectRef;
  readonly jewel?: Jewel;
}

/** A place in a file that creates an edge. */
export interface Site {
  readonly ref: ObjectRef;
  readonly node?: Node;
  readonly message: string;
}

export interface GraphEdge {
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  /** Bindings and roles the edge goes through (node ids). */
  readonly via: readonly string[];
  readonly sites: readonly Site[];
}

export interface AttackGraph {
  readonly nodes: Map<string, GraphNode>;
  readonly edges: GraphEdge[];
  /** Outgoing edge indexes per node. */
  readonly out: Map<string, number[]>;
  /** Containers whose ports a Service exposes (ENDPOINT_EXPLOIT targets). */
  readonly exposed: Set<string>;
  /** Container ids of each workload. */
  readonly containersOf: Map<string, string[]>;
}

export interface BuildOptions {
  /** Workloads to start from; default every workload of the workspace. */
  readonly workloads?: readonly ObjectRef[];
  /**
   * Expand edges that lead to other workloads and accounts (exec, pod creation as another account,
   * Service exposure). A search limited to two steps never needs them, and without them a lint
   * depends on RBAC objects only, not on every workload.
   */
  readonly lateral: boolean;
}

export const CLUSTER_ADMIN_ID = 'identity:cluster-admin';
export const ALL_SECRETS_ID = 'secret:*';

const PSA_ENFORCE = 'pod-security.kubernetes.io/enforce';

export function workloadId(ref: ObjectRef): string {
  return `workload:${ref.namespace}/${ref.object.kind ?? ''}/${ref.object.name ?? ''}`;
}
export function accountId(namespace: string, name: string): string {
  return `sa:${namespace}/${name}`;
}
export function roleNodeId(kind: string, namespace: string, name: string): string {
  return kind === 'ClusterRole' ? `clusterrole:${name}` : `role:${namespace}/${name}`;
}
export function bindingNodeId(kind: string, namespace: string, name: string): string {
  return `${kind === 'ClusterRoleBinding' ? 'clusterrolebinding' : 'rolebinding'}:${namespace}/${name}`;
}
function roleId(role: RoleInfo): string {
  return roleNodeId(role.kind, role.namespace, role.name);
}
function bindingId(g: Grant): string {
  return bindingNodeId(g.binding.kind, g.binding.ref.namespace, g.binding.name);
}

/** Where a role's rights apply, in words. */
function scopeWords(scope: Scope): string {
  return scope.cluster ? 'in every namespace' : `in ${namespaceWords(scope.namespace)}`;
}

class Builder {
  readonly graph: AttackGraph = { nodes: new Map(), edges: [], out: new Map(), exposed: new Set(), containersOf: new Map() };
  private readonly rbac: RbacModel;
  private readonly model: WorkspaceModel;
  private readonly accountsDone = new Set<string>();
  private readonly pending: string[] = [];

  constructor(
    private readonly view: WorkspaceView,
    private readonly options: BuildOptions,
  ) {
    this.rbac = RbacModel.of(view);
    this.model = WorkspaceModel.of(view);
  }

  node(n: GraphNode): string {
    if (!this.graph.nodes.has(n.id)) this.graph.nodes.set(n.id, n);
    return n.id;
  }

  edge(e: GraphEdge): void {
    const list = this.graph.out.get(e.from);
    if (list?.some((i) => this.graph.edges[i].to === e.to && this.graph.edges[i].type === e.type)) return;
    this.graph.edges.push(e);
    if (list) list.push(this.graph.edges.length - 1);
    else this.graph.out.set(e.from, [this.graph.edges.length - 1]);
  }

  build(): AttackGraph {
    const workloads = this.options.workloads ?? this.allWorkloads();
    for (const ref of workloads) this.addWorkload(ref);
    // Accounts reached through pod creation or impersonation: add their grants too.
    while (this.pending.length) this.addAccount(this.pending.pop()!);
    return this.graph;
  }

  private allWorkloads(): ObjectRef[] {
    const out: ObjectRef[] = [];
    const seen = new Set<IndexedObject>();
    for (const ns of this.view.podNamespaces()) {
      for (const o of this.view.pods(ns)) {
        if (seen.has(o)) continue;
        seen.add(o);
        out.push({ indexed: o, object: o.object, namespace: o.object.namespace ?? UNNAMED_NAMESPACE });
      }
    }
    return out;
  }

  private addWorkload(ref: ObjectRef): void {
    const object = ref.object;
    const wid = this.node({ id: workloadId(ref), type: 'Workload', namespace: ref.namespace, name: object.label, ref });
    const pod = object.podSpec();
    if (!pod) return;
    const nodeId = this.node({ id: `node:${wid.slice('workload:'.length)}`, type: 'Node', name: `any node running ${object.label}`, jewel: 'node' });
    const containers = pod.containers();
    const ids = containers.map((c) => this.node({ id: `container:${wid.slice('workload:'.length)}/${c.name ?? c.index}`, type: 'Container', namespace: ref.namespace, name: `${c.label} of ${object.label}`, ref }));
    this.graph.containersOf.set(wid, ids);
    const identity = identityOf(ref);
    const account = identity ? this.rbac.serviceAccount(ref.namespace, identity.serviceAccount) : undefined;
    const mounted = identity ? tokenMounted(identity, account) : false;
    const saId = identity ? this.accountNode(ref.namespace, identity.serviceAccount) : undefined;
    const escapes = escapesOf(object);
    containers.forEach((c, i) => {
      this.edge({ type: 'CONTAINER_ATTACH', from: wid, to: ids[i], reason: `${object.label} runs ${c.label}`, via: [], sites: [{ ref, node: c.anchor as Node, message: c.label }] });
      for (const e of escapes.filter((x) => x.container.node === c.node)) {
        if (e.needsPodLogs && !(mounted && identity && this.readsPodLogs(identity))) continue;
        this.edge({ type: e.type, from: ids[i], to: nodeId, reason: e.reason, via: [], sites: [{ ref, node: e.at, message: e.reason }] });
      }
      if (mounted && identity && saId) this.edge({ type: 'IDENTITY_ASSUME', from: ids[i], to: saId, reason: this.assumeReason(identity, account), via: [], sites: [{ ref, node: identity.projectedTokenNode ?? identity.automountNode ?? identity.serviceAccountNode ?? (c.anchor as Node), message: `runs as ServiceAccount ${identity.serviceAccount} with its token mounted` }] });
    });
    const share = sharesProcessNamespace(object);
    if (share && ids.length > 1) {
      for (const a of ids) for (const b of ids) if (a !== b) this.edge({ type: 'SHARE_PS_NAMESPACE', from: a, to: b, reason: `${object.label} sets shareProcessNamespace: its containers see each other's processes and files`, via: [], sites: [{ ref, node: share, message: 'shareProcessNamespace: true' }] });
    }
    if (this.options.lateral && this.model.servicesSelecting(WorkspaceModel.podOf(object, ref.indexed.path)!).some((s) => s.ports.length > 0)) {
      const served = WorkspaceModel.podOf(object, ref.indexed.path)!.containers.map((c) => c.name);
      containers.forEach((c, i) => {
        if (c.type === 'containers' && (served.includes(c.name ?? '') || !c.name)) this.graph.exposed.add(ids[i]);
      });
    }
    if (saId && identity) this.addAccount(`${ref.namespace}\u0000${identity.serviceAccount}`);
  }

  private assumeReason(identity: WorkloadIdentity, account: { ref: ObjectRef } | undefined): string {
    const how = identity.projectedTokenNode ? 'a projected token volume' : identity.automount === true ? 'automountServiceAccountToken: true' : 'the default automount';
    return `its containers hold the token of ServiceAccount ${identity.serviceAccount}${account ? '' : ' (not in the workspace)'} through ${how}`;
  }

  private readsPodLogs(identity: WorkloadIdentity): boolean {
    return this.rbac.grantsOf(identity.ref.namespace, identity.serviceAccount).some((g) => g.rules.some((r) => allows(r, 'get', '', 'pods/log')));
  }

  private accountNode(namespace: string, name: string): string {
    const account = this.rbac.serviceAccount(namespace, name);
    return this.node({ id: accountId(namespace, name), type: 'ServiceAccount', namespace, name, ref: account?.ref });
  }

  private addAccount(key: string): void {
    if (this.accountsDone.has(key)) return;
    this.accountsDone.add(key);
    const [namespace, name] = key.split('\u0000');
    const from = this.accountNode(namespace, name);
    for (const grant of this.rbac.grantsOf(namespace, name)) this.addGrant(from, grant);
  }

  private addGrant(from: string, grant: Grant): void {
    if (!grant.role) return;
    const role = grant.role;
    const bId = this.node({ id: bindingId(grant), type: 'Binding', namespace: grant.binding.ref.namespace, name: grant.binding.ref.object.label, ref: grant.binding.ref });
    const rId = this.node({ id: roleId(role), type: role.kind, namespace: role.kind === 'Role' ? role.namespace : undefined, name: `${role.kind}/${role.name}`, ref: role.ref });
    const via = [bId, rId];
    const bindingSite: Site = { ref: grant.binding.ref, node: grant.binding.roleNameNode ?? grant.binding.roleRefNode, message: `${grant.binding.ref.object.label} binds ${role.kind}/${role.name} ${scopeWords(grant.scope)}` };
    const roleName = role.ref ? role.ref.object.label : `built-in ClusterRole/${role.name}`;
    const sitesFor = (held: HeldCapability): Site[] => [bindingSite, ...(held.rule.role.ref ? [{ ref: held.rule.role.ref, node: held.rule.verbsNode ?? held.rule.node, message: `${held.rule.role.ref.object.label}: ${held.capability.describe(grant.scope)}` }] : [])];
    const through = `through ${grant.binding.ref.object.label} → ${roleName}`;
    const scopeNs = grant.scope.cluster ? undefined : grant.scope.namespace;
    for (const held of capabilitiesOf(grant.rules, grant.scope)) {
      const sites = sitesFor(held);
      const add = (type: string, to: string, reason: string) => this.edge({ type, from, to, reason: `${reason} (${through})`, via, sites });
      switch (held.capability.id) {
        case 'cluster-admin':
          if (grant.scope.cluster) add('PERMISSION_DISCOVER', this.clusterAdmin(), 'holds every verb on every resource: cluster-admin');
          break;
        case 'bind-escalate':
          add('ROLE_BIND', grant.scope.cluster ? this.clusterAdmin() : this.secrets(scopeNs!), grant.scope.cluster ? 'can bind or escalate roles cluster-wide, so can grant itself cluster-admin' : `can bind or escalate roles in namespace ${scopeNs}, so can grant itself admin there`);
          break;
        case 'impersonate':
          if (grant.scope.cluster && held.rule.resources.some((r) => r === '*' || r === 'users' || r === 'groups')) add('IDENTITY_IMPERSONATE', this.clusterAdmin(), 'can impersonate users or groups, system:masters included');
          else if (this.options.lateral) for (const sa of this.accountsIn(grant.scope)) add('IDENTITY_IMPERSONATE', this.queueAccount(sa), `can impersonate ServiceAccount ${sa[1]}`);
          break;
        case 'nodes-proxy':
          add('NODES_PROXY', this.anyNode(), 'can reach every kubelet through nodes/proxy and run commands in its pods');
          break;
        case 'csr-approve':
          if (grant.rules.some((r) => allows(r, 'create', 'certificates.k8s.io', 'certificatesigningrequests'))) add('CSR_APPROVE', this.clusterAdmin(), 'can create and approve a CSR for a client certificate in group system:masters');
          break;
        case 'admission-webhooks':
          add('ADMISSION_WEBHOOK', this.anyNode(), 'can register a mutating webhook that makes any new pod privileged');
          break;
        case 'pods-create': {
          const creates = held.rule.verbs.includes('create') || held.rule.verbs.includes('*');
          const type = creates ? 'POD_CREATE' : 'POD_PATCH';
          const target = this.podNode(grant.scope);
          if (target) add(type, target, `can ${creates ? 'create' : 'change'} pods or pod templates ${scopeWords(grant.scope)} and run a privileged pod`);
          if (this.options.lateral) for (const sa of this.accountsIn(grant.scope)) add(type, this.queueAccount(sa), `can run a pod as ServiceAccount ${sa[1]}`);
          break;
        }
        case 'token-create':
          if (this.options.lateral) for (const sa of this.accountsIn(grant.scope)) add('TOKEN_REQUEST', this.queueAccount(sa), `can mint a token for ServiceAccount ${sa[1]}`);
          break;
        case 'secrets-read': {
          const lists = ['list', 'watch', '*'].some((v) => held.rule.verbs.includes(v));
          add(lists ? 'TOKEN_LIST' : 'TOKEN_BRUTEFORCE', grant.scope.cluster ? this.secrets(undefined) : this.secrets(scopeNs!), lists ? `can list every Secret ${scopeWords(grant.scope)}` : `can get any Secret ${scopeWords(grant.scope)} whose name it guesses`);
          break;
        }
        case 'pods-exec':
          if (this.options.lateral) {
            const execs = held.rule.resources.some((r) => r === '*' || r === 'pods/*' || r === 'pods/exec');
            for (const w of this.workloadsIn(grant.scope)) add(execs ? 'POD_EXEC' : 'POD_ATTACH', w, `can ${execs ? 'exec into' : 'attach to'} the pods of ${this.graph.nodes.get(w)?.name}`);
          }
          break;
      }
    }
  }

  private clusterAdmin(): string {
    return this.node({ id: CLUSTER_ADMIN_ID, type: 'Identity', name: 'cluster-admin', jewel: 'cluster-admin' });
  }

  private anyNode(): string {
    return this.node({ id: 'node:*', type: 'Node', name: 'any node', jewel: 'node' });
  }

  private secrets(namespace: string | undefined): string {
    if (namespace === undefined) return this.node({ id: ALL_SECRETS_ID, type: 'Secret', name: 'every Secret of the cluster', jewel: 'secrets' });
    return this.node({ id: `secret:${namespace}/*`, type: 'Secret', namespace, name: `every Secret of ${namespaceWords(namespace)}`, jewel: 'secrets' });
  }

  /** Where a created pod lands: a node, unless Pod Security admission of that namespace forbids privileged pods. */
  private podNode(scope: Scope): string | undefined {
    if (scope.cluster) return this.anyNode();
    const level = this.model.namespaceObject(scope.namespace)?.labels.get(PSA_ENFORCE);
    if (level === 'baseline' || level === 'restricted') return undefined;
    return this.node({ id: `node:ns:${scope.namespace}`, type: 'Node', namespace: scope.namespace, name: `any node (a privileged pod created in ${namespaceWords(scope.namespace)})`, jewel: 'node' });
  }

  /** Service accounts known in a scope: ServiceAccount objects and those workloads run as. */
  private accountsIn(scope: Scope): [string, string][] {
    const out = new Map<string, [string, string]>();
    for (const sa of this.rbac.serviceAccounts()) if (scope.cluster || sa.ref.namespace === scope.namespace) out.set(`${sa.ref.namespace}\u0000${sa.name}`, [sa.ref.namespace, sa.name]);
    return [...out.values()];
  }

  private queueAccount([namespace, name]: [string, string]): string {
    const id = this.accountNode(namespace, name);
    this.pending.push(`${namespace}\u0000${name}`);
    return id;
  }

  private workloadsIn(scope: Scope): string[] {
    const namespaces = scope.cluster ? this.view.podNamespaces() : [scope.namespace];
    const out: string[] = [];
    for (const ns of namespaces) {
      for (const o of this.view.pods(ns)) {
        const ref: ObjectRef = { indexed: o, object: o.object, namespace: o.object.namespace ?? UNNAMED_NAMESPACE };
        const id = workloadId(ref);
        if (!this.graph.nodes.has(id)) this.node({ id, type: 'Workload', namespace: ref.namespace, name: o.object.label, ref });
        out.push(id);
      }
    }
    return out;
  }
}

export function buildAttackGraph(view: WorkspaceView, options: BuildOptions): AttackGraph {
  return new Builder(view, options).build();
}
