/**
 * The reachability engine: which endpoints of the workspace can open a connection to which, on
 * which protocols and ports, with Kubernetes' semantics.
 *
 * - A pod is isolated for ingress (egress) only when a NetworkPolicy of its namespace with that
 *   policy type selects it (`policyTypes` defaults to Ingress, plus Egress when egress rules exist).
 *   What an isolated pod allows is the union of every selecting policy's rules.
 * - A connection is allowed only when the source's egress and the destination's ingress both allow it.
 * - Peers: `podSelector` alone (the policy's namespace), `namespaceSelector` alone (every pod of the
 *   matching namespaces, `kubernetes.io/metadata.name` included), both in one peer (pods matching in
 *   namespaces matching), `ipBlock` with `except` (addresses outside the cluster: pod IPs are not known
 *   from files, as in netpol-analyzer). Omitted or empty `from`/`to`: every peer; omitted or empty
 *   `ports`: every port. Ports: TCP by default, UDP, SCTP; numbers, `endPort` ranges, and named ports
 *   resolved against the destination pod's container ports of that name and protocol.
 * - AdminNetworkPolicies come first, by priority, rule by rule: the first rule matching a peer decides
 *   its ports (Allow, Deny, or Pass to NetworkPolicies). Ports no admin rule decided go to the
 *   NetworkPolicies if any isolates the pod, otherwise to the BaselineAdminNetworkPolicy, and are
 *   allowed if nothing denies them.
 * - `{ingress-controller}` reaches the pods behind each Ingress's (and Route's) backend Service on
 *   their target ports, as a pod of the controller's namespace whose labels are unknown: a peer
 *   admits it when its namespace selector matches that namespace and its pod selector is empty.
 */
import { isEmpty, Labels, matches } from '../model/selectors';
import type { NetworkPolicyInfo, PolicyPeer, PolicyPort, PolicyRule } from '../model/workspaceModel';
import { NAMESPACE_NAME_LABEL } from '../model/workspaceModel';
import type { AdminPeer, AdminPolicy, AdminPort, AdminRule } from './adminPolicies';
import { ConnectionSet, isProtocol, Protocol } from './connections';
import { containsRange, formatRange, IpRange, overlaps, parseCidr, segments, wholeFamily } from './ipRanges';
import type { NetworkSnapshot, Placed, Workload } from './network';

export type Endpoint = { type: 'workload'; workload: Workload } | { type: 'external'; range: IpRange } | { type: 'ingress-controller' };

/** A pod the workspace does not hold (the ingress controller, "any pod of the cluster"): known namespace or not, unknown labels. */
export interface OutsidePod {
  readonly namespace?: string;
  readonly namespaceLabels?: Labels;
}

type Peer = Endpoint | { type: 'outside'; pod: OutsidePod };

export interface Connection {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly conn: ConnectionSet;
  /** Which policies allowed it (or why nothing restricts it), on the source's and the destination's side. */
  readonly egressVia: readonly string[];
  readonly ingressVia: readonly string[];
}

export interface EngineOptions {
  /** Namespace the ingress controller runs in (default `ingress-nginx`). */
  ingressControllerNamespace?: string;
}

interface AddressRule {
  all: boolean;
  cidr?: IpRange;
  except: IpRange[];
  conn: ConnectionSet;
  name: string;
}

interface Decision {
  conn: ConnectionSet;
  via: string[];
}

const NOTHING: Decision = { conn: ConnectionSet.NONE, via: [] };
const NOT_ISOLATED_INGRESS = 'no NetworkPolicy isolates it for ingress';
const NOT_ISOLATED_EGRESS = 'no NetworkPolicy isolates it for egress';
const NOT_ISOLATED = { ingress: NOT_ISOLATED_INGRESS, egress: NOT_ISOLATED_EGRESS };
const OPEN: Record<'ingress' | 'egress', Decision> = {
  ingress: { conn: ConnectionSet.ALL, via: [NOT_ISOLATED_INGRESS] },
  egress: { conn: ConnectionSet.ALL, via: [NOT_ISOLATED_EGRESS] },
};

const names = new WeakMap<Endpoint, string>();

/** `shop/web[Deployment]`, `0.0.0.0-255.255.255.255`, `{ingress-controller}`: the notation of netpol-analyzer. */
export function endpointName(e: Endpoint): string {
  let name = names.get(e);
  if (name === undefined) names.set(e, (name = formatEndpoint(e)));
  return name;
}

function formatEndpoint(e: Endpoint): string {
  if (e.type === 'workload') return `${e.workload.namespace || 'default'}/${e.workload.name}[${e.workload.kind}]`;
  if (e.type === 'external') return formatRange(e.range);
  return '{ingress-controller}';
}

export function policyName(p: Placed<NetworkPolicyInfo>): string {
  return `NetworkPolicy ${p.namespace || 'default'}/${p.info.name}`;
}

export class ReachabilityEngine {
  readonly externals: readonly IpRange[];
  /** Endpoint objects made once: the analysis visits every pair, and allocating per visit dominated it. */
  private readonly externalEndpoints: readonly (Endpoint & { type: 'external' })[];
  private readonly workloadEndpoints: readonly (Endpoint & { type: 'workload' })[];
  private readonly controller: OutsidePod;
  private readonly ingressPolicies: Placed<NetworkPolicyInfo>[][];
  private readonly egressPolicies: Placed<NetworkPolicyInfo>[][];
  private readonly namespacesWithPolicies: Set<string>;
  private readonly portCache = new Map<PolicyRule, Map<number, ConnectionSet>>();

  constructor(
    readonly snapshot: NetworkSnapshot,
    options: EngineOptions = {},
  ) {
    this.externals = segments(snapshot.blocks);
    this.externalEndpoints = this.externals.map((range) => ({ type: 'external', range }));
    this.workloadEndpoints = snapshot.workloads.map((workload) => ({ type: 'workload', workload }));
    const ns = options.ingressControllerNamespace ?? 'ingress-nginx';
    this.controller = {
      namespace: ns,
      namespaceLabels: snapshot.namespaceLabels(ns).size ? snapshot.namespaceLabels(ns) : new Map([[NAMESPACE_NAME_LABEL, ns]]),
    };
    this.ingressPolicies = snapshot.workloads.map(() => []);
    this.egressPolicies = snapshot.workloads.map(() => []);
    this.namespacesWithPolicies = new Set(snapshot.policies.map((p) => p.namespace));
    const byNamespace = new Map<string, Workload[]>();
    for (const w of snapshot.workloads) {
      const list = byNamespace.get(w.namespace);
      if (list) list.push(w);
      else byNamespace.set(w.namespace, [w]);
    }
    for (const p of snapshot.policies) {
      for (const w of byNamespace.get(p.namespace) ?? []) {
        if (!matches(p.info.podSelector, w.labels)) continue;
        if (p.info.ingress) this.ingressPolicies[w.index].push(p);
        if (p.info.egress) this.egressPolicies[w.index].push(p);
      }
    }
  }

  isIsolated(w: Workload, direction: 'ingress' | 'egress'): boolean {
    return (direction === 'ingress' ? this.ingressPolicies : this.egressPolicies)[w.index].length > 0;
  }

  /** The policies that select a workload, per direction. */
  policiesSelecting(w: Workload): { ingress: readonly Placed<NetworkPolicyInfo>[]; egress: readonly Placed<NetworkPolicyInfo>[] } {
    return { ingress: this.ingressPolicies[w.index], egress: this.egressPolicies[w.index] };
  }

  /** Namespaces holding workloads and no NetworkPolicy: there, every workload reaches and is reached by everything. */
  openNamespaces(): string[] {
    return [...new Set(this.snapshot.workloads.map((w) => w.namespace))].filter((ns) => !this.namespacesWithPolicies.has(ns)).sort();
  }

  // ---- peers ------------------------------------------------------------------------------------

  private namespaceMatches(selector: PolicyPeer['namespaceSelector'] & object, peer: Peer): boolean {
    if (peer.type === 'workload') return matches(selector, this.snapshot.namespaceLabels(peer.workload.namespace));
    if (peer.type === 'outside') return peer.pod.namespaceLabels ? matches(selector, peer.pod.namespaceLabels) : isEmpty(selector);
    return false;
  }

  /** Parsed `ipBlock`s by peer (parsing a CIDR per connection would dominate the analysis). */
  private readonly blockCache = new Map<PolicyPeer, { cidr?: IpRange; except: IpRange[] }>();
  /** Per peer, which workloads it matches (1) or not (0), computed on first use. */
  private readonly peerCache = new Map<PolicyPeer, Uint8Array>();

  private block(peer: PolicyPeer): { cidr?: IpRange; except: IpRange[] } {
    let b = this.blockCache.get(peer);
    if (!b) this.blockCache.set(peer, (b = { cidr: parseCidr(peer.ipBlock!.cidr), except: peer.ipBlock!.except.flatMap((e) => parseCidr(e) ?? []) }));
    return b;
  }

  private npPeerMatches(peer: PolicyPeer, policyNamespace: string, other: Peer): boolean {
    if (peer.ipBlock) {
      if (other.type !== 'external') return false;
      const { cidr, except } = this.block(peer);
      if (!cidr || !containsRange(cidr, other.range)) return false;
      return !except.some((r) => overlaps(r, other.range));
    }
    if (!peer.podSelector && !peer.namespaceSelector) return false;
    if (other.type === 'external' || other.type === 'ingress-controller') return false;
    if (other.type === 'workload') {
      let row = this.peerCache.get(peer);
      if (!row) this.peerCache.set(peer, (row = new Uint8Array(this.snapshot.workloads.length).fill(2)));
      const i = other.workload.index;
      if (row[i] === 2) row[i] = this.npPeerMatchesUncached(peer, policyNamespace, other) ? 1 : 0;
      return row[i] === 1;
    }
    return this.npPeerMatchesUncached(peer, policyNamespace, other);
  }

  private npPeerMatchesUncached(peer: PolicyPeer, policyNamespace: string, other: Peer): boolean {
    if (other.type === 'external' || other.type === 'ingress-controller') return false;
    const inNamespace = peer.namespaceSelector
      ? this.namespaceMatches(peer.namespaceSelector, other)
      : other.type === 'workload'
        ? other.workload.namespace === policyNamespace
        : other.pod.namespace !== undefined && other.pod.namespace === policyNamespace;
    if (!inNamespace) return false;
    if (!peer.podSelector) return true;
    return other.type === 'workload' ? matches(peer.podSelector, other.workload.labels) : isEmpty(peer.podSelector);
  }

  /** A rule's ports as connections to `target` (named ports resolve against its containers; an address has none). */
  private rulePorts(rule: PolicyRule, target: Workload | undefined): ConnectionSet {
    if (!rule.ports || rule.ports.length === 0) return ConnectionSet.ALL;
    const key = target?.index ?? -1;
    let cache = this.portCache.get(rule);
    if (!cache) this.portCache.set(rule, (cache = new Map()));
    let conn = cache.get(key);
    if (!conn) cache.set(key, (conn = rule.ports.reduce((acc, p) => acc.union(policyPort(p, target)), ConnectionSet.NONE)));
    return conn;
  }

  private readonly policyNames = new Map<Placed<NetworkPolicyInfo>, string>();
  /** Per direction and subject workload: what its NetworkPolicies allow with each other workload (by index). */
  private readonly tables = { ingress: new Map<number, (Decision | undefined)[]>(), egress: new Map<number, (Decision | undefined)[]>() };

  private nameOf(p: Placed<NetworkPolicyInfo>): string {
    let name = this.policyNames.get(p);
    if (name === undefined) this.policyNames.set(p, (name = policyName(p)));
    return name;
  }

  /** The rules of `policies` matching `other`, their ports (resolved on `target`) unioned; the policies that contributed. */
  private evaluate(policies: readonly Placed<NetworkPolicyInfo>[], direction: 'ingress' | 'egress', other: Peer, target: Workload | undefined): Decision {
    let conn = ConnectionSet.NONE;
    const via: string[] = [];
    for (const p of policies) {
      let mine = ConnectionSet.NONE;
      for (const rule of direction === 'ingress' ? p.info.ingressRules : p.info.egressRules) {
        const all = !rule.peers || rule.peers.length === 0;
        if (!all && !rule.peers!.some((peer) => this.npPeerMatches(peer, p.namespace, other))) continue;
        mine = mine.union(this.rulePorts(rule, target));
      }
      if (!mine.isEmpty) {
        conn = conn.union(mine);
        via.push(this.nameOf(p));
      }
    }
    return { conn, via };
  }

  /** Per rule, the workloads its pod and namespace peers match (every workload when it has no peers). */
  private readonly ruleMatches = new Map<PolicyRule, readonly Workload[]>();

  private matchedBy(rule: PolicyRule, policyNamespace: string): readonly Workload[] {
    let list = this.ruleMatches.get(rule);
    if (list) return list;
    const ws = this.snapshot.workloads;
    if (!rule.peers || rule.peers.length === 0) list = ws;
    else {
      const peers = rule.peers.filter((peer) => !peer.ipBlock);
      list = peers.length ? ws.filter((w) => peers.some((peer) => this.npPeerMatches(peer, policyNamespace, this.workloadEndpoints[w.index]))) : [];
    }
    this.ruleMatches.set(rule, list);
    return list;
  }

  /** Every workload's decision for `subject` in one pass over its policies' rules (pairs then cost a lookup). */
  private table(subject: Workload, direction: 'ingress' | 'egress'): (Decision | undefined)[] {
    const cache = this.tables[direction];
    let table = cache.get(subject.index);
    if (table) return table;
    table = new Array<Decision | undefined>(this.snapshot.workloads.length);
    for (const p of (direction === 'ingress' ? this.ingressPolicies : this.egressPolicies)[subject.index]) {
      const name = this.nameOf(p);
      for (const rule of direction === 'ingress' ? p.info.ingressRules : p.info.egressRules) {
        // On ingress the ports resolve on the subject, the same for every source: once per rule.
        const ingressConn = direction === 'ingress' ? this.rulePorts(rule, subject) : undefined;
        if (ingressConn?.isEmpty) continue;
        for (const w of this.matchedBy(rule, p.namespace)) {
          const conn = ingressConn ?? this.rulePorts(rule, w);
          if (conn.isEmpty) continue;
          const d = table[w.index];
          if (!d) table[w.index] = { conn, via: [name] };
          else {
            d.conn = d.conn.union(conn);
            if (!d.via.includes(name)) d.via.push(name);
          }
        }
      }
    }
    cache.set(subject.index, table);
    return table;
  }

  /** Per direction and workload: the rules that can admit addresses (ipBlock peers, or no peers at all). */
  private readonly addressRules = { ingress: new Map<number, AddressRule[]>(), egress: new Map<number, AddressRule[]>() };

  /** What the NetworkPolicies selecting `subject` allow with the address segment `range`. */
  private external(subject: Workload, direction: 'ingress' | 'egress', range: IpRange): Decision {
    const cache = this.addressRules[direction];
    let rules = cache.get(subject.index);
    if (!rules) {
      rules = [];
      for (const p of (direction === 'ingress' ? this.ingressPolicies : this.egressPolicies)[subject.index]) {
        for (const rule of direction === 'ingress' ? p.info.ingressRules : p.info.egressRules) {
          // Named ports resolve against the destination: on ingress that is the subject, on egress an address has none.
          const conn = this.rulePorts(rule, direction === 'ingress' ? subject : undefined);
          if (conn.isEmpty) continue;
          if (!rule.peers || rule.peers.length === 0) rules.push({ all: true, except: [], conn, name: this.nameOf(p) });
          else for (const peer of rule.peers) if (peer.ipBlock) rules.push({ all: false, ...this.block(peer), conn, name: this.nameOf(p) });
        }
      }
      cache.set(subject.index, rules);
    }
    let decision = NOTHING;
    for (const r of rules) {
      if (!r.all && (!r.cidr || !containsRange(r.cidr, range) || r.except.some((e) => overlaps(e, range)))) continue;
      if (decision === NOTHING) decision = { conn: r.conn, via: [r.name] };
      else {
        decision.conn = decision.conn.union(r.conn);
        if (!decision.via.includes(r.name)) decision.via.push(r.name);
      }
    }
    return decision;
  }

  /** What the NetworkPolicies selecting `subject` allow with `other` in one direction; undefined when none isolates it. */
  private networkPolicies(subject: Workload, direction: 'ingress' | 'egress', other: Peer, target: Workload | undefined): Decision | undefined {
    const policies = (direction === 'ingress' ? this.ingressPolicies : this.egressPolicies)[subject.index];
    if (!policies.length) return undefined;
    if (other.type === 'workload') {
      // A table pays off when a subject meets every workload; a focused query (a hover) meets each once.
      const table = this.tables[direction].get(subject.index) ?? (this.focused ? undefined : this.table(subject, direction));
      if (!table) return this.evaluate(policies, direction, other, target);
      return table[other.workload.index] ?? NOTHING;
    }
    if (other.type === 'external') return this.external(subject, direction, other.range);
    return this.evaluate(policies, direction, other, target);
  }

  // ---- admin policies -----------------------------------------------------------------------------

  private podSetMatches(set: { namespaces: PolicyPeer['podSelector'] & object; pods?: PolicyPeer['podSelector'] }, peer: Peer): boolean {
    if (peer.type === 'external' || peer.type === 'ingress-controller') return false;
    if (!this.namespaceMatches(set.namespaces, peer)) return false;
    if (!set.pods) return true;
    return peer.type === 'workload' ? matches(set.pods, peer.workload.labels) : isEmpty(set.pods);
  }

  private adminPeerMatches(peer: AdminPeer, other: Peer): boolean {
    if (peer.podSet) return this.podSetMatches(peer.podSet, other);
    if (peer.networks) return other.type === 'external' && peer.networks.some((n) => containsRange(n, other.range));
    return false;
  }

  /** Runs the rules of admin policies selecting `subject` in order; returns what each action decided. */
  private adminTier(policies: readonly AdminPolicy[], subject: Workload, direction: 'ingress' | 'egress', other: Peer, target: Workload | undefined) {
    let remaining = ConnectionSet.ALL;
    const decided = { Allow: ConnectionSet.NONE, Deny: ConnectionSet.NONE, Pass: ConnectionSet.NONE };
    const via: string[] = [];
    for (const p of policies) {
      if (!this.podSetMatches(p.subject, { type: 'workload', workload: subject })) continue;
      for (const rule of direction === 'ingress' ? p.ingress : p.egress) {
        if (!rule.peers.some((peer) => this.adminPeerMatches(peer, other))) continue;
        const conn = adminPorts(rule, target).intersect(remaining);
        if (conn.isEmpty) continue;
        decided[rule.action] = decided[rule.action].union(conn);
        remaining = remaining.subtract(conn);
        via.push(`${p.kind} ${p.name} (${rule.name}: ${rule.action})`);
      }
    }
    return { decided, via };
  }

  /** What `subject`'s side allows with `other` in `direction`, every tier applied. */
  side(subject: Workload, direction: 'ingress' | 'egress', other: Peer): Decision {
    const target = direction === 'ingress' ? subject : other.type === 'workload' ? other.workload : undefined;
    const admin = this.snapshot.admin.length ? this.adminTier(this.snapshot.admin, subject, direction, other, target) : undefined;
    const undecided = admin ? ConnectionSet.ALL.subtract(admin.decided.Allow).subtract(admin.decided.Deny) : ConnectionSet.ALL;
    const np = this.networkPolicies(subject, direction, other, target);
    let tail: Decision;
    if (np) tail = np;
    else if (this.snapshot.baseline.length) {
      const b = this.adminTier(this.snapshot.baseline, subject, direction, other, target);
      tail = { conn: ConnectionSet.ALL.subtract(b.decided.Deny), via: b.via.length ? b.via : [NOT_ISOLATED[direction]] };
    } else tail = OPEN[direction];
    if (!admin) return tail;
    const conn = admin.decided.Allow.union(undecided.intersect(tail.conn));
    return { conn, via: [...admin.via, ...tail.via] };
  }

  // ---- connections --------------------------------------------------------------------------------

  /** The connection `src` may open to `dst` (empty when none). */
  between(src: Endpoint, dst: Endpoint): Connection {
    const egress: Decision = src.type === 'workload' ? this.side(src.workload, 'egress', dst) : { conn: ConnectionSet.ALL, via: [] };
    if (egress.conn.isEmpty) return { src, dst, conn: ConnectionSet.NONE, egressVia: egress.via, ingressVia: [] };
    let ingress: Decision;
    if (dst.type !== 'workload') ingress = { conn: ConnectionSet.ALL, via: [] };
    else if (src.type === 'ingress-controller') {
      const backend = this.controllerPorts(dst.workload);
      const allowed = this.side(dst.workload, 'ingress', { type: 'outside', pod: this.controller });
      ingress = { conn: backend.conn.intersect(allowed.conn), via: [...backend.via, ...allowed.via] };
    } else ingress = this.side(dst.workload, 'ingress', src);
    return { src, dst, conn: egress.conn.intersect(ingress.conn), egressVia: egress.via, ingressVia: ingress.via };
  }

  /** What a pod of the cluster the workspace does not hold, in no particular namespace, may open to `w`. */
  fromAnyPod(w: Workload): Decision {
    return this.side(w, 'ingress', { type: 'outside', pod: {} });
  }

  /** The ports the ingress controller sends to on `w`: target ports of the Services behind Ingresses and Routes. */
  controllerPorts(w: Workload): Decision {
    let conn = ConnectionSet.NONE;
    const via: string[] = [];
    const services = this.snapshot.services.filter((s) => s.namespace === w.namespace && s.info.selector && matches(s.info.selector, w.labels));
    const add = (serviceName: string, port: number | string | undefined, byTarget: boolean, what: string) => {
      for (const s of services) {
        if (s.info.name !== serviceName) continue;
        for (const sp of s.info.ports) {
          if (port !== undefined && !(byTarget ? sp.name === port || sp.targetPort === port : sp.port === port || sp.name === port)) continue;
          const c = targetPortConnections(sp.targetPort, sp.protocol, w);
          if (!c.isEmpty) {
            conn = conn.union(c);
            if (!via.includes(what)) via.push(what);
          }
        }
      }
    };
    for (const ing of this.snapshot.ingresses) {
      if (ing.namespace !== w.namespace) continue;
      for (const b of ing.info.backends) add(b.service, b.port, false, `Ingress ${ing.namespace || 'default'}/${ing.info.ref.object.name ?? ''}`);
    }
    for (const r of this.snapshot.routes)
      if (r.namespace === w.namespace) add(r.service, r.targetPort, true, `Route ${r.namespace || 'default'}/${r.ref.object.name ?? ''}`);
    return { conn, via };
  }

  /**
   * Every allowed connection, sorted: workload to workload, the ingress controller to workloads,
   * address ranges to and from workloads (adjacent segments with the same connections merged).
   * With `focus`, only connections from or to the workloads it accepts.
   */
  connections(focus?: (w: Workload) => boolean): Connection[] {
    this.focused = !!focus;
    try {
      return this.allConnections(focus);
    } finally {
      this.focused = false;
    }
  }

  private focused = false;

  private allConnections(focus?: (w: Workload) => boolean): Connection[] {
    const out: Connection[] = [];
    const ws = this.snapshot.workloads;
    const focused = (w: Workload) => !focus || focus(w);
    const eps = this.workloadEndpoints;
    for (const src of ws) {
      for (const dst of ws) {
        if (src === dst || (!focused(src) && !focused(dst))) continue;
        // Most pairs allow nothing: decide that before building a Connection.
        const egress = this.side(src, 'egress', eps[dst.index]);
        if (egress.conn.isEmpty) continue;
        const ingress = this.side(dst, 'ingress', eps[src.index]);
        const conn = egress.conn.intersect(ingress.conn);
        if (!conn.isEmpty) out.push({ src: eps[src.index], dst: eps[dst.index], conn, egressVia: egress.via, ingressVia: ingress.via });
      }
    }
    for (const w of ws) {
      if (!focused(w)) continue;
      const dst: Endpoint = { type: 'workload', workload: w };
      const fromController = this.between({ type: 'ingress-controller' }, dst);
      if (!fromController.conn.isEmpty) out.push(fromController);
      out.push(...this.externalRuns(w, 'in'), ...this.externalRuns(w, 'out'));
    }
    return sortConnections(out);
  }

  /** Connections between `w` and address segments, adjacent segments with equal connections merged. */
  private externalRuns(w: Workload, way: 'in' | 'out'): Connection[] {
    const out: Connection[] = [];
    const self = this.workloadEndpoints[w.index];
    const segs = this.externalEndpoints;
    const direction = way === 'in' ? 'ingress' : 'egress';
    if (!this.snapshot.admin.length && !this.snapshot.baseline.length && !this.isIsolated(w, direction)) {
      // Nothing restricts this side: every address, one line per address family.
      const open = OPEN[direction];
      return [...new Set(segs.map((e) => e.range.family))].map((family) => {
        const ext: Endpoint = { type: 'external', range: wholeFamily(family) };
        return way === 'in'
          ? { src: ext, dst: self, conn: open.conn, egressVia: [], ingressVia: open.via }
          : { src: self, dst: ext, conn: open.conn, egressVia: open.via, ingressVia: [] };
      });
    }
    // The current run of segments first..last (indexes), built into one range only when it ends.
    let first = -1;
    let conn = ConnectionSet.NONE;
    let via: readonly string[] = [];
    const flush = (last: number) => {
      if (first >= 0 && !conn.isEmpty) {
        const a = segs[first].range;
        const range: IpRange = first === last ? a : { family: a.family, start: a.start, end: segs[last].range.end };
        const ext: Endpoint = first === last ? segs[first] : { type: 'external', range };
        out.push(way === 'in' ? { src: ext, dst: self, conn, egressVia: [], ingressVia: via } : { src: self, dst: ext, conn, egressVia: via, ingressVia: [] });
      }
    };
    for (let i = 0; i < segs.length; i++) {
      // An address's own side allows everything: only the workload's side decides.
      const d = this.side(w, way === 'in' ? 'ingress' : 'egress', segs[i]);
      // Segments are in address order per family, each starting where the previous ended: adjacent unless the family changes.
      if (first >= 0 && segs[i].range.family === segs[i - 1].range.family && conn.equals(d.conn)) {
        if (!sameList(via, d.via)) via = union(via, d.via);
        continue;
      }
      flush(i - 1);
      first = i;
      conn = d.conn;
      via = d.via;
    }
    flush(segs.length - 1);
    return out;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** Sorted as their text lines, keys computed once. */
export function sortConnections(list: Connection[]): Connection[] {
  const keyed = list.map((c) => ({ c, key: `${endpointName(c.src)} => ${endpointName(c.dst)}` }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.c);
}

export function compareConnections(a: Connection, b: Connection): number {
  // Lines sorted as text, as netpol-analyzer sorts them, so outputs diff cleanly.
  const x = `${endpointName(a.src)} => ${endpointName(a.dst)}`;
  const y = `${endpointName(b.src)} => ${endpointName(b.dst)}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One `ports` item of a NetworkPolicy as connections to `target`. */
function policyPort(p: PolicyPort, target: Workload | undefined): ConnectionSet {
  if (!isProtocol(p.protocol)) return ConnectionSet.NONE;
  if (p.port === undefined) return ConnectionSet.allOf(p.protocol);
  if (typeof p.port === 'number') {
    if (p.endPort !== undefined && p.endPort < p.port) return ConnectionSet.NONE;
    return ConnectionSet.ports(p.protocol, p.port, p.endPort ?? p.port);
  }
  return namedPort(p.port, p.protocol, target);
}

function namedPort(name: string, protocol: Protocol | undefined, target: Workload | undefined): ConnectionSet {
  let conn = ConnectionSet.NONE;
  for (const cp of target?.ports ?? []) {
    if (cp.name !== name || cp.number === undefined || !isProtocol(cp.protocol)) continue;
    if (protocol && cp.protocol !== protocol) continue;
    conn = conn.union(ConnectionSet.ports(cp.protocol, cp.number));
  }
  return conn;
}

function adminPorts(rule: AdminRule, target: Workload | undefined): ConnectionSet {
  if (!rule.ports) return ConnectionSet.ALL;
  return rule.ports.reduce((acc, p: AdminPort) => {
    if (p.kind === 'named') return acc.union(namedPort(p.name, undefined, target));
    if (!isProtocol(p.protocol)) return acc;
    return acc.union(
      p.kind === 'number' ? ConnectionSet.ports(p.protocol, p.port) : p.start <= p.end ? ConnectionSet.ports(p.protocol, p.start, p.end) : ConnectionSet.NONE,
    );
  }, ConnectionSet.NONE);
}

/** A Service port's `targetPort` on pod `w`: a number as is, a name through `w`'s container ports. */
export function targetPortConnections(targetPort: number | string | undefined, protocol: string, w: Workload): ConnectionSet {
  if (targetPort === undefined || !isProtocol(protocol)) return ConnectionSet.NONE;
  if (typeof targetPort === 'number') return ConnectionSet.ports(protocol, targetPort);
  return namedPort(targetPort, protocol, w);
}
