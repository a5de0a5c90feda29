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
import { Grant, identityOf, PolicyRuleInfo, RbacModel, RoleInfo, Scope, tokenMounted, WorkloadIdentity } from '../model/rbac';
import { allows, capabilitiesOf, HeldCapability, namespaceWords } from '../model/rbacCapabilities';
import { ObjectRef, UNNAMED_NAMESPACE, WorkspaceModel } from '../model/workspaceModel';
import type { Container, KubeObject } from '../documents/kube';
import { Escape, escapesOf, sharesProcessNamespace, tokenDirectoryMounts } from './escapes';

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

/**
 * One edge from `from` to every member of a group ("every workload of namespace shop", "every
 * service account of the cluster"), stored once instead of once per member: the search turns it
 * into an edge to the member it reaches first.
 */
export interface FanOut {
  readonly type: string;
  readonly from: string;
  /** `workloads:<namespace>`, `workloads:*`, `accounts:<namespace>` or `accounts:*`. */
  readonly group: string;
  /** Completed with the member's name: "can exec into the pods of" + " Deployment/web". */
  readonly reason: string;
  readonly via: readonly string[];
  readonly sites: readonly Site[];
}

export interface AttackGraph {
  readonly nodes: Map<string, GraphNode>;
  readonly edges: GraphEdge[];
  /** Group edges by group key. */
  readonly fanouts: Map<string, FanOut[]>;
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

/** What the graph needs of a workload, derived once per parsed object (reused while its text is). */
interface WorkloadFacts {
  readonly id: string;
  readonly label: string;
  readonly containers: readonly { id: string; label: string; anchor: Node; node: Node; name?: string; regular: boolean }[];
  readonly identity?: WorkloadIdentity;
  readonly escapes: readonly Escape[];
  readonly share?: Node;
  readonly tokenDirs: readonly { container: Container; at: Node; path: string }[];
}

const workloadCache = new WeakMap<KubeObject, WorkloadFacts>();

function workloadFacts(ref: ObjectRef): WorkloadFacts {
  let facts = workloadCache.get(ref.object);
  if (facts && facts.id === workloadId(ref)) return facts;
  const object = ref.object;
  const id = workloadId(ref);
  const base = id.slice('workload:'.length);
  const containers = (object.podSpec()?.containers() ?? []).map((c) => ({
    id: `container:${base}/${c.name ?? c.index}`,
    label: c.label,
    anchor: c.anchor as Node,
    node: c.node as Node,
    name: c.name,
    regular: c.type === 'containers',
  }));
  facts = {
    id,
    label: object.label,
    containers,
    identity: identityOf(ref),
    escapes: escapesOf(object),
    share: sharesProcessNamespace(object),
    tokenDirs: tokenDirectoryMounts(object),
  };
  workloadCache.set(object, facts);
  return facts;
}

/** Capabilities of a list of rules, per scope kind; the same role is bound many times. */
const heldCache = new WeakMap<readonly PolicyRuleInfo[], { cluster?: HeldCapability[]; namespace?: HeldCapability[] }>();

function heldCapabilities(grant: Grant): HeldCapability[] {
  let entry = heldCache.get(grant.rules);
  if (!entry) heldCache.set(grant.rules, (entry = {}));
  const key = grant.scope.cluster ? 'cluster' : 'namespace';
  return (entry[key] ??= capabilitiesOf(grant.rules, grant.scope));
}

/** Where a role's rights apply, in words. */
function scopeWords(scope: Scope): string {
  return scope.cluster ? 'in every namespace' : `in ${namespaceWords(scope.namespace)}`;
}

class Builder {
  readonly graph: AttackGraph = { nodes: new Map(), edges: [], fanouts: new Map(), out: new Map(), exposed: new Set(), containersOf: new Map() };
  private readonly edgeKeys = new Set<string>();
  private readonly rbac: RbacModel;
  private readonly model: WorkspaceModel;
  private readonly accountsDone = new Set<string>();

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
    const key = `${e.from}\u0000${e.to}\u0000${e.type}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    const list = this.graph.out.get(e.from);
    this.graph.edges.push(e);
    if (list) list.push(this.graph.edges.length - 1);
    else this.graph.out.set(e.from, [this.graph.edges.length - 1]);
  }

  fanout(f: FanOut): void {
    const list = this.graph.fanouts.get(f.group);
    if (list) list.push(f);
    else this.graph.fanouts.set(f.group, [f]);
  }

  build(): AttackGraph {
    const workloads = this.options.workloads ?? this.allWorkloads();
    for (const ref of workloads) this.addWorkload(ref);
    // Every account can be a step (run as it, impersonate it, mint its token): add their grants too.
    if (this.options.lateral) for (const sa of this.rbac.serviceAccounts()) this.addAccount(`${sa.ref.namespace}\u0000${sa.name}`);
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
    const w = workloadFacts(ref);
    const wid = this.node({ id: w.id, type: 'Workload', namespace: ref.namespace, name: w.label, ref });
    if (!w.containers.length) return;
    const nodeId = this.node({ id: `node:${w.id.slice('workload:'.length)}`, type: 'Node', name: `any node running ${w.label}`, jewel: 'node' });
    const ids = w.containers.map((c) => this.node({ id: c.id, type: 'Container', namespace: ref.namespace, name: `${c.label} of ${w.label}`, ref }));
    this.graph.containersOf.set(wid, ids);
    const identity = w.identity;
    const account = identity ? this.rbac.serviceAccount(ref.namespace, identity.serviceAccount) : undefined;
    const mounted = identity ? tokenMounted(identity, account) : false;
    const saId = identity ? this.accountNode(ref.namespace, identity.serviceAccount) : undefined;
    w.containers.forEach((c, i) => {
      this.edge({
        type: 'CONTAINER_ATTACH',
        from: wid,
        to: ids[i],
        reason: `${w.label} runs ${c.label}`,
        via: [],
        sites: [{ ref, node: c.anchor, message: c.label }],
      });
      for (const e of w.escapes) {
        if (e.container.node !== c.node) continue;
        if (e.needsPodLogs && !(mounted && identity && this.readsPodLogs(identity))) continue;
        this.edge({ type: e.type, from: ids[i], to: nodeId, reason: e.reason, via: [], sites: [{ ref, node: e.at, message: e.reason }] });
      }
      if (mounted && identity && saId)
        this.edge({
          type: 'IDENTITY_ASSUME',
          from: ids[i],
          to: saId,
          reason: this.assumeReason(identity, account),
          via: [],
          sites: [
            {
              ref,
              node: identity.projectedTokenNode ?? identity.automountNode ?? identity.serviceAccountNode ?? c.anchor,
              message: `runs as ServiceAccount ${identity.serviceAccount} with its token mounted`,
            },
          ],
        });
    });
    if (this.options.lateral) {
      for (const t of w.tokenDirs) {
        const i = w.containers.findIndex((c) => c.node === t.container.node);
        const reason = `${t.container.label} mounts ${t.path} from the host, where the kubelet keeps the token of every pod on the node:`;
        // Which pods share the node is the scheduler's choice: any account may be there.
        if (i >= 0)
          this.fanout({
            type: 'TOKEN_STEAL',
            from: ids[i],
            group: 'accounts:*',
            reason: `${reason} it can read the one of\u0000`,
            via: [],
            sites: [{ ref, node: t.at, message: reason }],
          });
      }
    }
    const share = w.share;
    if (share && ids.length > 1) {
      for (const a of ids)
        for (const b of ids)
          if (a !== b)
            this.edge({
              type: 'SHARE_PS_NAMESPACE',
              from: a,
              to: b,
              reason: `${w.label} sets shareProcessNamespace: its containers see each other's processes and files`,
              via: [],
              sites: [{ ref, node: share, message: 'shareProcessNamespace: true' }],
            });
    }
    const object = ref.object;
    if (
      this.options.lateral &&
      this.model.services(ref.namespace).length &&
      this.model.servicesSelecting(WorkspaceModel.podOf(object, ref.indexed.path)!).some((s) => s.ports.length > 0)
    ) {
      const served = WorkspaceModel.podOf(object, ref.indexed.path)!.containers.map((c) => c.name);
      w.containers.forEach((c, i) => {
        if (c.regular && (served.includes(c.name ?? '') || !c.name)) this.graph.exposed.add(ids[i]);
      });
    }
    if (saId && identity) this.addAccount(`${ref.namespace}\u0000${identity.serviceAccount}`);
  }

  private assumeReason(identity: WorkloadIdentity, account: { ref: ObjectRef } | undefined): string {
    const how = identity.projectedTokenNode
      ? 'a projected token volume'
      : identity.automount === true
        ? 'automountServiceAccountToken: true'
        : 'the default automount';
    return `its containers hold the token of ServiceAccount ${identity.serviceAccount}${account ? '' : ' (not in the workspace)'} through ${how}`;
  }

  private readsPodLogs(identity: WorkloadIdentity): boolean {
    return this.rbac.grantsOf(identity.ref.namespace, identity.serviceAccount).some((g) => g.rules.some((r) => allows(r, 'get', '', 'pods/log')));
  }

  private accountNode(namespace: string, name: string): string {
    const id = accountId(namespace, name);
    if (this.graph.nodes.has(id)) return id;
    const account = this.rbac.serviceAccount(namespace, name);
    return this.node({ id, type: 'ServiceAccount', namespace, name, ref: account?.ref });
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
    const held = heldCapabilities(grant);
    if (!held.length) return;
    // Labels from the records' own fields: the objects' getters re-read the YAML every time.
    const bindingLabel = `${grant.binding.kind}/${grant.binding.name}`;
    const bId = this.node({ id: bindingId(grant), type: 'Binding', namespace: grant.binding.ref.namespace, name: bindingLabel, ref: grant.binding.ref });
    const rId = this.node({
      id: roleId(role),
      type: role.kind,
      namespace: role.kind === 'Role' ? role.namespace : undefined,
      name: `${role.kind}/${role.name}`,
      ref: role.ref,
    });
    const via = [bId, rId];
    const bindingSite: Site = {
      ref: grant.binding.ref,
      node: grant.binding.roleNameNode ?? grant.binding.roleRefNode,
      message: `${bindingLabel} binds ${role.kind}/${role.name} ${scopeWords(grant.scope)}`,
    };
    const roleName = role.ref ? `${role.kind}/${role.name}` : `built-in ClusterRole/${role.name}`;
    const sitesFor = (held: HeldCapability): Site[] => [
      bindingSite,
      ...(held.rule.role.ref
        ? [
            {
              ref: held.rule.role.ref,
              node: held.rule.verbsNode ?? held.rule.node,
              message: `${held.rule.role.kind}/${held.rule.role.name}: ${held.capability.describe(grant.scope)}`,
            },
          ]
        : []),
    ];
    const through = `through ${bindingLabel} → ${roleName}`;
    const scopeNs = grant.scope.cluster ? undefined : grant.scope.namespace;
    for (const held of heldCapabilities(grant)) {
      const sites = sitesFor(held);
      const add = (type: string, to: string, reason: string) => this.edge({ type, from, to, reason: `${reason} (${through})`, via, sites });
      const fan = (type: string, members: 'workloads' | 'accounts', reason: string) =>
        this.fanout({
          type,
          from,
          group: `${members}:${grant.scope.cluster ? '*' : grant.scope.namespace}`,
          reason: `${reason}\u0000(${through})`,
          via,
          sites,
        });
      switch (held.capability.id) {
        case 'cluster-admin':
          if (grant.scope.cluster) add('PERMISSION_DISCOVER', this.clusterAdmin(), 'holds every verb on every resource: cluster-admin');
          break;
        case 'bind-escalate':
          add(
            'ROLE_BIND',
            grant.scope.cluster ? this.clusterAdmin() : this.secrets(scopeNs!),
            grant.scope.cluster
              ? 'can bind or escalate roles cluster-wide, so can grant itself cluster-admin'
              : `can bind or escalate roles in namespace ${scopeNs}, so can grant itself admin there`,
          );
          break;
        case 'impersonate':
          if (grant.scope.cluster && held.rule.resources.some((r) => r === '*' || r === 'users' || r === 'groups'))
            add('IDENTITY_IMPERSONATE', this.clusterAdmin(), 'can impersonate users or groups, system:masters included');
          else if (this.options.lateral) fan('IDENTITY_IMPERSONATE', 'accounts', `can impersonate`);
          break;
        case 'nodes-proxy':
          add('NODES_PROXY', this.anyNode(), 'can reach every kubelet through nodes/proxy and run commands in its pods');
          break;
        case 'csr-approve':
          if (grant.rules.some((r) => allows(r, 'create', 'certificates.k8s.io', 'certificatesigningrequests')))
            add('CSR_APPROVE', this.clusterAdmin(), 'can create and approve a CSR for a client certificate in group system:masters');
          break;
        case 'admission-webhooks':
          add('ADMISSION_WEBHOOK', this.anyNode(), 'can register a mutating webhook that makes any new pod privileged');
          break;
        case 'pods-create': {
          const creates = held.rule.verbs.includes('create') || held.rule.verbs.includes('*');
          const type = creates ? 'POD_CREATE' : 'POD_PATCH';
          const target = this.podNode(grant.scope);
          if (target) add(type, target, `can ${creates ? 'create' : 'change'} pods or pod templates ${scopeWords(grant.scope)} and run a privileged pod`);
          if (this.options.lateral) fan(type, 'accounts', `can run a pod ${scopeWords(grant.scope)} as`);
          break;
        }
        case 'token-create':
          if (this.options.lateral) fan('TOKEN_REQUEST', 'accounts', `can mint a token for`);
          break;
        case 'secrets-read': {
          const lists = ['list', 'watch', '*'].some((v) => held.rule.verbs.includes(v));
          add(
            lists ? 'TOKEN_LIST' : 'TOKEN_BRUTEFORCE',
            grant.scope.cluster ? this.secrets(undefined) : this.secrets(scopeNs!),
            lists ? `can list every Secret ${scopeWords(grant.scope)}` : `can get any Secret ${scopeWords(grant.scope)} whose name it guesses`,
          );
          break;
        }
        case 'pods-exec':
          if (this.options.lateral) {
            const execs = held.rule.resources.some((r) => r === '*' || r === 'pods/*' || r === 'pods/exec');
            fan(execs ? 'POD_EXEC' : 'POD_ATTACH', 'workloads', `can ${execs ? 'exec into' : 'attach to'} the pods of`);
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
    return this.node({
      id: `node:ns:${scope.namespace}`,
      type: 'Node',
      namespace: scope.namespace,
      name: `any node (a privileged pod created in ${namespaceWords(scope.namespace)})`,
      jewel: 'node',
    });
  }
}

export function buildAttackGraph(view: WorkspaceView, options: BuildOptions): AttackGraph {
  return RbacModel.of(view).batch(() => new Builder(view, options).build());
}
