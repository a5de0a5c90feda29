/**
 * The RBAC part of the workspace model: ServiceAccounts, Roles and ClusterRoles (with aggregation),
 * RoleBindings and ClusterRoleBindings with their subjects, and which service account each workload
 * runs as and whether its token is mounted.
 *
 * Like `WorkspaceModel`, it reads the index only through the view, so a lint depends on exactly the
 * kinds it asked for: a workload asking what its service account may do depends on the bindings and
 * roles (and on its ServiceAccount object), so editing a binding re-lints it. Each object's record is
 * cached on the indexed object (reused while its document's text is unchanged); the per-view indexes
 * are rebuilt only when the objects of their kinds change.
 */
import { isMap, type Node, type YAMLMap } from 'yaml';
import type { KubeObject } from '../documents/kube';
import { AnyDoc, findPair, getMap, getNode, getSeq, getString, scalarValue, seqItems, stringItems } from '../documents/yamlNodes';
import type { IndexedObject, WorkspaceView } from '../engine/workspaceIndex';
import { Labels, matches, parseLabelSelector, Selector } from './selectors';
import { ObjectRef, UNNAMED_NAMESPACE } from './workspaceModel';

export const ROLE_KINDS = ['Role', 'ClusterRole'] as const;
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'] as const;
/** Every kind the RBAC model reads; rules that use it list these (and `workloads`) in `reads`. */
export const RBAC_READS = ['ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Namespace', 'workloads'];

/** One item of a role's `rules`. Lists are lower-cased where the API server compares case-insensitively (none: it is exact). */
export interface PolicyRuleInfo {
  /** The rule item; undefined for the built-in roles that are not in the workspace. */
  readonly node?: YAMLMap;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
  readonly verbsNode?: Node;
  readonly resourcesNode?: Node;
  readonly apiGroupsNode?: Node;
  /** The role that holds this item (an aggregated ClusterRole lists its sources' items). */
  readonly role: RoleInfo;
}

export interface RoleInfo {
  /** Undefined for built-in ClusterRoles that the workspace does not hold (`cluster-admin`, `edit`...). */
  readonly ref?: ObjectRef;
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** The role's own `rules`. */
  readonly rules: readonly PolicyRuleInfo[];
  /** `aggregationRule.clusterRoleSelectors`, if any. */
  readonly aggregation?: readonly Selector[];
  readonly aggregationNode?: Node;
}

export interface Subject {
  readonly kind: string;
  readonly name: string;
  /** For ServiceAccounts: the subject's namespace, defaulting to the binding's. */
  readonly namespace: string;
  readonly node: YAMLMap;
}

export interface BindingInfo {
  readonly ref: ObjectRef;
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  readonly roleKind: string;
  readonly roleName: string;
  readonly roleRefNode?: Node;
  readonly roleNameNode?: Node;
  readonly subjects: readonly Subject[];
  readonly subjectsNode?: Node;
}

export interface ServiceAccountInfo {
  readonly ref: ObjectRef;
  readonly name: string;
  /** `automountServiceAccountToken`, if set to a boolean. */
  readonly automount?: boolean;
  readonly automountNode?: Node;
}

/** Who a workload runs as, and whether its containers get the token. */
export interface WorkloadIdentity {
  readonly ref: ObjectRef;
  readonly serviceAccount: string;
  /** The `serviceAccountName` (or deprecated `serviceAccount`) value, if set. */
  readonly serviceAccountNode?: Node;
  /** The pod's `automountServiceAccountToken`, if set to a boolean. */
  readonly automount?: boolean;
  readonly automountNode?: Node;
  /** A projected volume with a `serviceAccountToken` source, mounted whatever automount says. */
  readonly projectedTokenNode?: Node;
}

/** Where a role's rights apply once bound: one namespace (a RoleBinding), or the whole cluster. */
export type Scope = { cluster: true } | { cluster: false; namespace: string };

/** A role as a subject receives it: through one binding, with the scope the binding gives. */
export interface Grant {
  readonly binding: BindingInfo;
  /** Undefined when the binding names a role the workspace does not hold and that is not built in. */
  readonly role?: RoleInfo;
  readonly scope: Scope;
  /** The role's rules, with those of the ClusterRoles it aggregates. */
  readonly rules: readonly PolicyRuleInfo[];
}

type Record =
  | { kind: 'role'; value: RoleInfo }
  | { kind: 'binding'; value: BindingInfo }
  | { kind: 'serviceAccount'; value: ServiceAccountInfo }
  | { kind: 'other' };

const recordCache = new WeakMap<IndexedObject, Record>();
const selfCache = new WeakMap<KubeObject, Record>();

function refOf(indexed: IndexedObject): ObjectRef {
  return { indexed, object: indexed.object, namespace: indexed.object.namespace ?? UNNAMED_NAMESPACE };
}

function strings(node: Node | undefined, doc: AnyDoc): string[] {
  return stringItems(node, doc).map((s) => s.value);
}

function labelsOf(object: KubeObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of object.labels()) out.set(k, v.value);
  return out;
}

function policyRules(node: Node | undefined, doc: AnyDoc, role: RoleInfo): PolicyRuleInfo[] {
  return seqItems(node, doc).flatMap((item): PolicyRuleInfo[] => {
    if (!isMap(item)) return [];
    const verbsNode = getNode(item, 'verbs', doc);
    const resourcesNode = getNode(item, 'resources', doc);
    const apiGroupsNode = getNode(item, 'apiGroups', doc);
    return [
      {
        node: item,
        apiGroups: strings(apiGroupsNode, doc),
        resources: strings(resourcesNode, doc),
        verbs: strings(verbsNode, doc),
        resourceNames: strings(getNode(item, 'resourceNames', doc), doc),
        nonResourceURLs: strings(getNode(item, 'nonResourceURLs', doc), doc),
        verbsNode,
        resourcesNode,
        apiGroupsNode,
        role,
      },
    ];
  });
}

function compute(indexed: IndexedObject): Record {
  const object = indexed.object;
  const doc = object.doc;
  const ref = refOf(indexed);
  switch (object.kind) {
    case 'Role':
    case 'ClusterRole': {
      const aggregationRule = getMap(object.node, 'aggregationRule', doc);
      const selectors =
        object.kind === 'ClusterRole' && aggregationRule
          ? seqItems(getSeq(aggregationRule, 'clusterRoleSelectors', doc), doc).map((s) => parseLabelSelector(s, doc))
          : undefined;
      const role: { -readonly [K in keyof RoleInfo]: RoleInfo[K] } = {
        ref,
        kind: object.kind,
        name: object.name ?? '',
        namespace: object.kind === 'Role' ? ref.namespace : UNNAMED_NAMESPACE,
        labels: labelsOf(object),
        rules: [],
        aggregation: selectors,
        aggregationNode: aggregationRule ? (findPair(object.node, 'aggregationRule', doc)?.key as Node | undefined) : undefined,
      };
      role.rules = policyRules(getNode(object.node, 'rules', doc), doc, role);
      return { kind: 'role', value: role };
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const roleRef = getMap(object.node, 'roleRef', doc);
      const subjectsNode = getNode(object.node, 'subjects', doc);
      const subjects = seqItems(subjectsNode, doc).flatMap((s): Subject[] => {
        if (!isMap(s)) return [];
        const kind = getString(s, 'kind', doc) ?? '';
        const name = getString(s, 'name', doc) ?? '';
        const namespace = kind === 'ServiceAccount' ? (getString(s, 'namespace', doc) ?? ref.namespace) : UNNAMED_NAMESPACE;
        return [{ kind, name, namespace, node: s }];
      });
      return {
        kind: 'binding',
        value: {
          ref,
          kind: object.kind,
          name: object.name ?? '',
          roleKind: getString(roleRef, 'kind', doc) ?? '',
          roleName: getString(roleRef, 'name', doc) ?? '',
          roleRefNode: findPair(object.node, 'roleRef', doc)?.key as Node | undefined,
          roleNameNode: findPair(roleRef, 'name', doc)?.value as Node | undefined,
          subjects,
          subjectsNode: findPair(object.node, 'subjects', doc)?.key as Node | undefined,
        },
      };
    }
    case 'ServiceAccount': {
      const pair = findPair(object.node, 'automountServiceAccountToken', doc);
      const v = scalarValue(pair?.value, doc);
      return {
        kind: 'serviceAccount',
        value: { ref, name: object.name ?? '', automount: typeof v === 'boolean' ? v : undefined, automountNode: pair?.value as Node | undefined },
      };
    }
  }
  return { kind: 'other' };
}

function recordOfIndexed(indexed: IndexedObject): Record {
  let r = recordCache.get(indexed);
  if (!r) recordCache.set(indexed, (r = compute(indexed)));
  return r;
}

/** The record of the object being linted (derived from it, not looked up in the index). */
function recordOfSelf(object: KubeObject, path: string): Record {
  let r = selfCache.get(object);
  if (!r) selfCache.set(object, (r = compute({ path, documentStart: 0, object })));
  return r;
}

/** Who a workload runs as; undefined for objects that run no pod. Reads nothing from the workspace. */
export function identityOf(ref: ObjectRef): WorkloadIdentity | undefined {
  const object = ref.object;
  const pod = object.podSpec();
  if (!pod) return undefined;
  const doc = object.doc;
  const saPair = findPair(pod.node, 'serviceAccountName', doc) ?? findPair(pod.node, 'serviceAccount', doc);
  const sa = getString(pod.node, 'serviceAccountName', doc) ?? getString(pod.node, 'serviceAccount', doc);
  const autoPair = findPair(pod.node, 'automountServiceAccountToken', doc);
  const auto = scalarValue(autoPair?.value, doc);
  let projectedTokenNode: Node | undefined;
  for (const volume of seqItems(getSeq(pod.node, 'volumes', doc), doc)) {
    for (const source of seqItems(getSeq(getMap(volume, 'projected', doc), 'sources', doc), doc)) {
      const token = findPair(source, 'serviceAccountToken', doc);
      if (token && !projectedTokenNode) projectedTokenNode = token.key as Node;
    }
  }
  return {
    ref,
    serviceAccount: sa || 'default',
    serviceAccountNode: saPair?.value as Node | undefined,
    automount: typeof auto === 'boolean' ? auto : undefined,
    automountNode: autoPair?.value as Node | undefined,
    projectedTokenNode,
  };
}

/**
 * Whether the containers get a token: a projected token volume always does; otherwise the pod's
 * `automountServiceAccountToken` wins, then the ServiceAccount's, then the default (true).
 */
export function tokenMounted(identity: WorkloadIdentity, account: ServiceAccountInfo | undefined): boolean {
  if (identity.projectedTokenNode) return true;
  if (identity.automount !== undefined) return identity.automount;
  if (account?.automount !== undefined) return account.automount;
  return true;
}

/** A key for a namespaced name. */
export function nsKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}

/**
 * The built-in ClusterRoles every cluster has, as far as they matter here (the user-facing ones; the
 * `system:` controller roles vary by version and are treated as unknown).
 */
const BUILT_IN_RULES: ReadonlyMap<string, readonly Omit<PolicyRuleInfo, 'role'>[]> = new Map([
  [
    'cluster-admin',
    [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: [], nonResourceURLs: [] },
      { apiGroups: [], resources: [], verbs: ['*'], resourceNames: [], nonResourceURLs: ['*'] },
    ],
  ],
  [
    'admin',
    [
      {
        apiGroups: [''],
        resources: [
          'pods',
          'pods/attach',
          'pods/exec',
          'pods/portforward',
          'pods/proxy',
          'secrets',
          'services/proxy',
          'serviceaccounts',
          'configmaps',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'services',
        ],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update', 'get', 'list', 'watch'],
        resourceNames: [],
        nonResourceURLs: [],
      },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'], resourceNames: [], nonResourceURLs: [] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: [], nonResourceURLs: [] },
      {
        apiGroups: ['apps'],
        resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update', 'get', 'list', 'watch'],
        resourceNames: [],
        nonResourceURLs: [],
      },
      {
        apiGroups: ['batch'],
        resources: ['cronjobs', 'jobs'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update', 'get', 'list', 'watch'],
        resourceNames: [],
        nonResourceURLs: [],
      },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings', 'roles'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        resourceNames: [],
        nonResourceURLs: [],
      },
    ],
  ],
  [
    'edit',
    [
      {
        apiGroups: [''],
        resources: [
          'pods',
          'pods/attach',
          'pods/exec',
          'pods/portforward',
          'pods/proxy',
          'secrets',
          'services/proxy',
          'configmaps',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'services',
        ],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update', 'get', 'list', 'watch'],
        resourceNames: [],
        nonResourceURLs: [],
      },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'], resourceNames: [], nonResourceURLs: [] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: [], nonResourceURLs: [] },
      {
        apiGroups: ['apps'],
        resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update', 'get', 'list', 'watch'],
        resourceNames: [],
        nonResourceURLs: [],
      },
      {
        apiGroups: ['batch'],
        resources: ['cronjobs', 'jobs'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update', 'get', 'list', 'watch'],
        resourceNames: [],
        nonResourceURLs: [],
      },
    ],
  ],
  [
    'view',
    [
      {
        apiGroups: ['', 'apps', 'batch'],
        resources: ['pods', 'services', 'configmaps', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'],
        verbs: ['get', 'list', 'watch'],
        resourceNames: [],
        nonResourceURLs: [],
      },
    ],
  ],
]);

const builtInRoles = new Map<string, RoleInfo>();
/** A built-in ClusterRole, or undefined for names that are not built in (or whose rules vary). */
export function builtInClusterRole(name: string): RoleInfo | undefined {
  if (!BUILT_IN_RULES.has(name)) return undefined;
  let role = builtInRoles.get(name);
  if (!role) {
    const r: { -readonly [K in keyof RoleInfo]: RoleInfo[K] } = { kind: 'ClusterRole', name, namespace: UNNAMED_NAMESPACE, labels: new Map(), rules: [] };
    r.rules = BUILT_IN_RULES.get(name)!.map((x) => ({ ...x, role: r }));
    builtInRoles.set(name, (role = r));
  }
  return role;
}

/** Whether a ClusterRole of that name exists in every cluster (so a binding to it is not dangling). */
export function isSystemRoleName(name: string): boolean {
  return BUILT_IN_RULES.has(name) || name.startsWith('system:');
}

/** At most this many ClusterRoles are followed through aggregation chains (hostile input). */
const AGGREGATION_BUDGET = 1000;

interface RoleIndex {
  roles: Map<string, RoleInfo>;
  clusterRoles: Map<string, RoleInfo>;
  all: RoleInfo[];
}

interface BindingIndex {
  all: BindingInfo[];
  /** ServiceAccount subject (namespace, name) → bindings naming it. */
  bySubject: Map<string, BindingInfo[]>;
  /** ServiceAccount subject name → bindings naming it, in any namespace. */
  byAccountName: Map<string, BindingInfo[]>;
  /** Role key (`Role` ns+name or `ClusterRole` name) → bindings to it. */
  byRole: Map<string, BindingInfo[]>;
}

interface Section<T> {
  objects: (readonly IndexedObject[])[];
  value: T;
}

const models = new WeakMap<WorkspaceView, RbacModel>();

export function roleKey(kind: string, namespace: string, name: string): string {
  return kind === 'ClusterRole' ? `ClusterRole\u0000${name}` : `Role\u0000${namespace}\u0000${name}`;
}

export class RbacModel {
  private readonly sections = new Map<string, Section<unknown>>();
  private readonly aggregated = new Map<RoleInfo, PolicyRuleInfo[]>();
  private aggregatedFor: RoleIndex | undefined;

  private constructor(private readonly view: WorkspaceView) {}

  static of(view: WorkspaceView): RbacModel {
    let model = models.get(view);
    if (!model) models.set(view, (model = new RbacModel(view)));
    return model;
  }

  /** While set (inside `batch`), sections already read are not read again. */
  private frozen: Map<string, unknown> | undefined;

  /**
   * Runs `fn` with the model frozen: each section is read through the view (and so registered as
   * a dependency) once, instead of on every query. For whole-workspace passes (the attack graph)
   * that ask thousands of questions of an index that cannot change meanwhile.
   */
  batch<T>(fn: () => T): T {
    if (this.frozen) return fn();
    this.frozen = new Map();
    try {
      return fn();
    } finally {
      this.frozen = undefined;
    }
  }

  private section<T>(key: string, kinds: readonly string[], build: (objects: IndexedObject[]) => T): T {
    if (this.frozen?.has(key)) return this.frozen.get(key) as T;
    const value = this.readSection(key, kinds, build);
    this.frozen?.set(key, value);
    return value;
  }

  private readSection<T>(key: string, kinds: readonly string[], build: (objects: IndexedObject[]) => T): T {
    const arrays = kinds.map((k) => this.view.objects(k));
    const previous = this.sections.get(key) as Section<T> | undefined;
    if (
      previous &&
      previous.objects.length === arrays.length &&
      previous.objects.every((a, i) => a.length === arrays[i].length && a.every((o, j) => o === arrays[i][j]))
    )
      return previous.value;
    const value = build(arrays.flat());
    this.sections.set(key, { objects: arrays, value });
    return value;
  }

  private roleIndex(): RoleIndex {
    return this.section('roles', ROLE_KINDS, (objects) => {
      const roles = new Map<string, RoleInfo>();
      const clusterRoles = new Map<string, RoleInfo>();
      const all: RoleInfo[] = [];
      for (const o of objects) {
        const r = recordOfIndexed(o);
        if (r.kind !== 'role') continue;
        all.push(r.value);
        const map = r.value.kind === 'ClusterRole' ? clusterRoles : roles;
        const key = r.value.kind === 'ClusterRole' ? r.value.name : nsKey(r.value.namespace, r.value.name);
        if (!map.has(key)) map.set(key, r.value);
      }
      return { roles, clusterRoles, all };
    });
  }

  private bindingIndex(): BindingIndex {
    return this.section('bindings', BINDING_KINDS, (objects) => {
      const all: BindingInfo[] = [];
      const bySubject = new Map<string, BindingInfo[]>();
      const byRole = new Map<string, BindingInfo[]>();
      const byAccountName = new Map<string, BindingInfo[]>();
      const push = (map: Map<string, BindingInfo[]>, key: string, b: BindingInfo) => {
        const list = map.get(key);
        if (!list) map.set(key, [b]);
        else if (list[list.length - 1] !== b) list.push(b);
      };
      for (const o of objects) {
        const r = recordOfIndexed(o);
        if (r.kind !== 'binding') continue;
        const b = r.value;
        all.push(b);
        for (const s of b.subjects) {
          push(bySubject, s.kind === 'ServiceAccount' ? nsKey(s.namespace, s.name) : `${s.kind}\u0001${s.name}`, b);
          if (s.kind === 'ServiceAccount') push(byAccountName, s.name, b);
        }
        push(byRole, roleKey(b.roleKind, b.ref.namespace, b.roleName), b);
      }
      return { all, bySubject, byRole, byAccountName };
    });
  }

  private accountIndex(): Map<string, ServiceAccountInfo> {
    return this.section('serviceAccounts', ['ServiceAccount'], (objects) => {
      const out = new Map<string, ServiceAccountInfo>();
      for (const o of objects) {
        const r = recordOfIndexed(o);
        if (r.kind === 'serviceAccount' && !out.has(nsKey(r.value.ref.namespace, r.value.name))) out.set(nsKey(r.value.ref.namespace, r.value.name), r.value);
      }
      return out;
    });
  }

  roles(): readonly RoleInfo[] {
    return this.roleIndex().all;
  }

  bindings(): readonly BindingInfo[] {
    return this.bindingIndex().all;
  }

  serviceAccounts(): ServiceAccountInfo[] {
    return [...this.accountIndex().values()];
  }

  /**
   * The ServiceAccount object of that name: in that namespace, or else one without a namespace (a
   * file applied to a namespace chosen at deploy time, which bindings name explicitly: Argo CD's
   * install.yaml applied with `-n argocd`).
   */
  serviceAccount(namespace: string, name: string): ServiceAccountInfo | undefined {
    const index = this.accountIndex();
    return index.get(nsKey(namespace, name)) ?? index.get(nsKey(UNNAMED_NAMESPACE, name));
  }

  /** ServiceAccount objects of a namespace (and those without one, which may be applied to it). */
  serviceAccountsIn(namespace: string): ServiceAccountInfo[] {
    return this.serviceAccounts().filter((sa) => sa.ref.namespace === namespace || sa.ref.namespace === UNNAMED_NAMESPACE);
  }

  /** The role a binding names: from the workspace, else a built-in ClusterRole, else undefined. */
  roleOf(binding: BindingInfo): RoleInfo | undefined {
    const index = this.roleIndex();
    if (binding.roleKind === 'ClusterRole') return index.clusterRoles.get(binding.roleName) ?? builtInClusterRole(binding.roleName);
    if (binding.roleKind === 'Role') return index.roles.get(nsKey(binding.ref.namespace, binding.roleName));
    return undefined;
  }

  /**
   * A role's rules with those it aggregates: a ClusterRole with `aggregationRule` gets the rules of
   * every ClusterRole whose labels match one of its selectors (transitively, as the controller fills
   * aggregated roles in), not its own `rules` field, which the controller overwrites.
   */
  effectiveRules(role: RoleInfo): readonly PolicyRuleInfo[] {
    if (!role.aggregation) return role.rules;
    const index = this.roleIndex();
    if (this.aggregatedFor !== index) {
      this.aggregated.clear();
      this.aggregatedFor = index;
    }
    const cached = this.aggregated.get(role);
    if (cached) return cached;
    const out: PolicyRuleInfo[] = [];
    const seen = new Set<RoleInfo>([role]);
    const queue: RoleInfo[] = [role];
    let budget = AGGREGATION_BUDGET;
    while (queue.length && budget-- > 0) {
      const current = queue.shift()!;
      for (const selector of current.aggregation ?? []) {
        // An empty selector aggregates nothing (the controller skips it), unlike an empty label selector elsewhere.
        if (!selector.requirements.length) continue;
        for (const candidate of index.clusterRoles.values()) {
          if (seen.has(candidate) || !matches(selector, candidate.labels)) continue;
          seen.add(candidate);
          if (candidate.aggregation) queue.push(candidate);
          else out.push(...candidate.rules);
        }
      }
    }
    this.aggregated.set(role, out);
    return out;
  }

  /** The ClusterRoles an aggregating ClusterRole gathers (for messages). */
  aggregatedRoles(role: RoleInfo): RoleInfo[] {
    return [...new Set(this.effectiveRules(role).map((r) => r.role))];
  }

  /** What a ServiceAccount receives: each binding naming it, the role, the scope. */
  grantsOf(namespace: string, account: string): Grant[] {
    const index = this.bindingIndex();
    // An account without a namespace is in whichever namespace its file is applied to: a binding
    // naming that account in any namespace may be the one meant.
    return this.grantsFor(namespace === UNNAMED_NAMESPACE ? (index.byAccountName.get(account) ?? []) : (index.bySubject.get(nsKey(namespace, account)) ?? []));
  }

  /** What a User or Group receives. */
  grantsOfPrincipal(kind: 'User' | 'Group', name: string): Grant[] {
    return this.grantsFor(this.bindingIndex().bySubject.get(`${kind}\u0001${name}`) ?? []);
  }

  grantOf(binding: BindingInfo): Grant {
    const role = this.roleOf(binding);
    const scope: Scope = binding.kind === 'ClusterRoleBinding' ? { cluster: true } : { cluster: false, namespace: binding.ref.namespace };
    return { binding, role, scope, rules: role ? this.effectiveRules(role) : [] };
  }

  private grantsFor(bindings: readonly BindingInfo[]): Grant[] {
    return bindings.map((b) => this.grantOf(b));
  }

  /** Bindings that name this role (a Role by namespace and name, a ClusterRole by name). */
  bindingsTo(role: RoleInfo): readonly BindingInfo[] {
    if (role.kind === 'ClusterRole') return this.bindingIndex().byRole.get(roleKey('ClusterRole', '', role.name)) ?? [];
    return this.bindingIndex().byRole.get(roleKey('Role', role.namespace, role.name)) ?? [];
  }

  /** Aggregating ClusterRoles that gather this one (their bindings grant it too). */
  aggregatorsOf(role: RoleInfo): RoleInfo[] {
    if (role.kind !== 'ClusterRole') return [];
    return this.roleIndex().all.filter((r) => r !== role && r.aggregation && this.effectiveRules(r).some((x) => x.role === role));
  }

  /** Workloads of a namespace that run as `account` (reads that namespace's pods). */
  workloadsRunningAs(namespace: string, account: string): WorkloadIdentity[] {
    const out: WorkloadIdentity[] = [];
    // Workloads without a namespace may be applied to this one (see `grantsOf`).
    const namespaces = namespace === UNNAMED_NAMESPACE ? [namespace] : [namespace, UNNAMED_NAMESPACE];
    for (const ns of namespaces) {
      for (const o of this.view.pods(ns)) {
        const id = identityOf(refOf(o));
        if (id && id.serviceAccount === account) out.push(id);
      }
    }
    return out;
  }

  static roleOfObject(object: KubeObject, path: string): RoleInfo | undefined {
    const r = recordOfSelf(object, path);
    return r.kind === 'role' ? r.value : undefined;
  }

  static bindingOfObject(object: KubeObject, path: string): BindingInfo | undefined {
    const r = recordOfSelf(object, path);
    return r.kind === 'binding' ? r.value : undefined;
  }

  static serviceAccountOfObject(object: KubeObject, path: string): ServiceAccountInfo | undefined {
    const r = recordOfSelf(object, path);
    return r.kind === 'serviceAccount' ? r.value : undefined;
  }
}
