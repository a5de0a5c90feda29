/**
 * The security map's data: the attack-path graph (`bulkhead paths`) joined with the reachability
 * engine (`bulkhead connectivity`), in the JSON shape of `bulkhead paths` ({nodes, edges, paths}).
 *
 * - Entry points: the Internet reaches LoadBalancer and NodePort Services, Ingresses (through the
 *   ingress controller) and workloads on the host network; each step is kept only when the
 *   workload's NetworkPolicies let public addresses (or the controller) through on the ports involved.
 * - Crown jewels come from the attack graph: node root, cluster-admin, Secrets.
 * - Lateral movement is the reachability engine's answer, not a guess: a workload with no path of its
 *   own steps to a workload that has one only when it may open a connection to one of that
 *   workload's Service ports (the attack graph alone counts every Service port as reachable).
 * - A workload's containers are drawn as the workload (the edges name the container).
 *
 * Every node and edge carries the file and line of what creates it (an object, a field); a node no
 * object stands for (a crown jewel) takes the place of the first edge that reaches it.
 */
import { LineIndex } from '../text/lineIndex';
import type { WorkspaceIndex } from '../engine/workspaceIndex';
import { findPair, getMap, spanOf } from '../documents/yamlNodes';
import type { MapData, MapEdge, MapNode, MapPath } from '../../../client/map/mapData';
import type { ObjectRef, ServiceInfo } from '../model/workspaceModel';
import { AttackGraph, buildAttackGraph, GraphEdge, Site, workloadId } from '../paths/graph';
import { shortestPaths } from '../paths/search';
import { isEmpty, Labels, matches, Selector } from '../model/selectors';
import { ConnectionSet } from '../reachability/connections';
import { Endpoint, endpointName, ReachabilityEngine, targetPortConnections } from '../reachability/engine';
import { includesPublic } from '../reachability/ipRanges';
import type { Placed, Workload } from '../reachability/network';
import { reachabilityOf } from '../reachability/workspace';

export interface MapBuildOptions {
  /** How a file is named in the data: relative to the working directory (CLI) or absolute (editor). */
  readonly displayFile: (file: string) => string;
  /** Namespace the ingress controller runs in (default `ingress-nginx`). */
  readonly ingressControllerNamespace?: string;
  /** Where an object without `metadata.namespace` goes (Helm output: the release namespace). */
  readonly namespaceOf?: (ref: ObjectRef) => string;
  /**
   * Most (source, target) pairs the lateral-movement search asks the reachability engine about. Past
   * it, remaining workloads keep only their own paths (the map says so in `truncated`).
   */
  readonly lateralBudget?: number;
}

export interface BuiltMap extends MapData {
  /** True when the lateral-movement search stopped at its budget. */
  readonly truncated: boolean;
}

export const INTERNET_ID = 'internet';
const DEFAULT_LATERAL_BUDGET = 500_000;

/** `file:line` of objects and fields, from the index's text (1-based lines). */
class Locator {
  private readonly lineIndexes = new Map<string, LineIndex>();
  constructor(
    private readonly index: WorkspaceIndex,
    private readonly display: (file: string) => string,
  ) {}

  at(ref: ObjectRef | undefined, node?: unknown): { file: string | null; line: number | null } {
    if (!ref) return { file: null, line: null };
    const span = spanOf((node ?? ref.object.anchor) as Parameters<typeof spanOf>[0]) ?? { start: 0, end: 0 };
    return { file: this.display(ref.indexed.path), line: this.lineOf(ref.indexed.path, ref.indexed.documentStart + span.start) + 1 };
  }

  private lineOf(file: string, offset: number): number {
    let lines = this.lineIndexes.get(file);
    if (!lines) this.lineIndexes.set(file, (lines = new LineIndex(this.index.source(file) ?? '')));
    return lines.positionAt(offset).line;
  }
}

class MapBuilder {
  private readonly nodes = new Map<string, MapNode>();
  private readonly edges: MapEdge[] = [];
  private readonly edgeIndex = new Map<string, number>();
  private readonly paths: MapPath[] = [];
  private readonly locate: Locator;
  private readonly engine: ReachabilityEngine;
  private readonly graph: AttackGraph;
  /** A container node's workload (containers are drawn as their workload). */
  private readonly workloadOfContainer = new Map<string, string>();
  /** Each workload's own shortest path to a jewel, as map edge indexes. */
  private readonly ownPath = new Map<string, { to: string; edges: number[] }>();
  private truncated = false;

  constructor(
    index: WorkspaceIndex,
    private readonly options: MapBuildOptions,
  ) {
    this.locate = new Locator(index, options.displayFile);
    this.graph = buildAttackGraph(index, { lateral: true });
    this.engine = reachabilityOf(index, { ingressControllerNamespace: options.ingressControllerNamespace, namespaceOf: options.namespaceOf });
  }

  build(): BuiltMap {
    this.addGraph();
    const exposed = this.addEntryPoints();
    this.addPolicies();
    const lateral = this.addLateral();
    for (const [workload, own] of this.ownPath) this.paths.push({ from: workload, workload, to: own.to, edges: own.edges });
    for (const [workload, l] of lateral) this.paths.push({ from: workload, workload, to: l.to, edges: l.edges });
    // From the Internet: the entry steps, then whatever the workload leads to (or the workload itself).
    const internet: MapPath[] = [];
    for (const e of exposed) {
      const onward = this.ownPath.get(e.workload) ?? lateral.get(e.workload);
      internet.push({ from: INTERNET_ID, workload: e.workload, to: onward?.to ?? e.workload, edges: [...e.edges, ...(onward?.edges ?? [])] });
    }
    const paths = [...internet, ...this.paths].sort(
      (a, b) =>
        Number(b.from === INTERNET_ID) - Number(a.from === INTERNET_ID) ||
        a.edges.length - b.edges.length ||
        a.workload!.localeCompare(b.workload!) ||
        a.to.localeCompare(b.to),
    );
    this.fillJewelLocations();
    const nodes = [...this.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
    return { nodes, edges: this.edges, paths, truncated: this.truncated };
  }

  // ---- the attack graph -------------------------------------------------------------------------

  private namespaceOf(ref: ObjectRef | undefined, fallback: string | undefined): string | null {
    const ns = ref ? (this.options.namespaceOf?.(ref) ?? ref.namespace) : fallback;
    if (ns === undefined) return null;
    return ns || 'default';
  }

  private addGraph(): void {
    // By the container's own object: two files may hold the same workload id (containersOf keeps one).
    for (const n of this.graph.nodes.values()) if (n.type === 'Container' && n.ref) this.workloadOfContainer.set(n.id, workloadId(n.ref));
    for (const [workload, containers] of this.graph.containersOf)
      for (const c of containers) if (!this.workloadOfContainer.has(c)) this.workloadOfContainer.set(c, workload);
    for (const n of this.graph.nodes.values()) {
      if (n.type === 'Container') continue;
      this.node({
        id: n.id,
        type: n.type,
        namespace: this.namespaceOf(n.ref, n.namespace),
        name: n.name,
        ...this.locate.at(n.ref),
        ...(n.jewel ? { jewel: n.jewel } : {}),
      });
    }
    // Node root for one workload is created by that workload.
    for (const n of this.graph.nodes.values()) {
      if (n.jewel !== 'node' || !n.id.startsWith('node:') || n.id.startsWith('node:ns:')) continue;
      const w = this.graph.nodes.get(`workload:${n.id.slice('node:'.length)}`);
      if (w?.ref) this.nodes.set(n.id, { ...this.nodes.get(n.id)!, ...this.locate.at(w.ref) });
    }
    // Every edge of the graph, on a path or not: the map shows what each identity may do.
    for (const e of this.graph.edges) this.graphEdge(e);
    for (const p of shortestPaths(this.graph, { lateral: false })) {
      const edges = p.steps.map((s) => this.graphEdge(s.edge)).filter((i): i is number => i !== undefined);
      if (edges.length) this.ownPath.set(p.workload, { to: p.to, edges });
    }
  }

  private drawn(id: string): string {
    return this.workloadOfContainer.get(id) ?? id;
  }

  /** A graph edge on the map (container ends drawn as their workload); undefined when it becomes a loop. */
  private graphEdge(e: GraphEdge): number | undefined {
    const from = this.drawn(e.from);
    const to = this.drawn(e.to);
    if (from === to) return undefined;
    const site: Site | undefined = e.sites[e.sites.length - 1];
    return this.edge({ type: e.type, from, to, reason: e.reason, ...(site ? this.locate.at(site.ref, site.node) : { file: null, line: null }) });
  }

  private node(n: MapNode): string {
    if (!this.nodes.has(n.id)) this.nodes.set(n.id, n);
    return n.id;
  }

  private edge(e: MapEdge): number {
    const key = `${e.from}\u0000${e.to}\u0000${e.type}`;
    let i = this.edgeIndex.get(key);
    if (i === undefined) {
      this.edgeIndex.set(key, (i = this.edges.length));
      this.edges.push(e);
    }
    return i;
  }

  private workloadNode(w: Workload): string {
    const id = workloadId(w.pod.ref);
    return this.node({ id, type: 'Workload', namespace: this.namespaceOf(w.pod.ref, undefined), name: w.pod.ref.object.label, ...this.locate.at(w.pod.ref) });
  }

  // ---- entry points -----------------------------------------------------------------------------

  private internet(): string {
    return this.node({ id: INTERNET_ID, type: 'Internet', namespace: null, name: 'Internet', file: null, line: null });
  }

  /** What public addresses may open to `w` (its ingress side; an address's own side allows all). */
  private fromInternet(w: Workload): ConnectionSet {
    let conn = ConnectionSet.NONE;
    for (const range of this.engine.externals) {
      if (!includesPublic(range)) continue;
      conn = conn.union(this.engine.side(w, 'ingress', { type: 'external', range }).conn);
      if (conn.isAll) break;
    }
    return conn;
  }

  private byNamespace: Map<string, { w: Workload; hostNetwork: boolean }[]> | undefined;

  /** The workloads of a namespace, host-network ones included (a Service only selects in its own). */
  private workloadsIn(namespace: string): readonly { w: Workload; hostNetwork: boolean }[] {
    if (!this.byNamespace) {
      this.byNamespace = new Map();
      const { workloads, hostNetwork } = this.engine.snapshot;
      for (const [list, host] of [
        [workloads, false],
        [hostNetwork, true],
      ] as const) {
        for (const w of list) {
          const entry = { w, hostNetwork: host };
          const members = this.byNamespace.get(w.namespace);
          if (members) members.push(entry);
          else this.byNamespace.set(w.namespace, [entry]);
        }
      }
    }
    return this.byNamespace.get(namespace) ?? [];
  }

  /** The workloads a Service sends to, with the connections its ports become on each. */
  private backends(
    s: Placed<ServiceInfo>,
    only?: (port: { name?: string; port?: number; targetPort?: number | string }) => boolean,
  ): { w: Workload; conn: ConnectionSet; hostNetwork: boolean }[] {
    const out: { w: Workload; conn: ConnectionSet; hostNetwork: boolean }[] = [];
    for (const { w, hostNetwork } of this.workloadsIn(s.namespace)) {
      if (!selects(s.info.selector, w.labels)) continue;
      let conn = ConnectionSet.NONE;
      for (const p of s.info.ports) if (!only || only(p)) conn = conn.union(targetPortConnections(p.targetPort, p.protocol, w));
      if (!conn.isEmpty) out.push({ w, conn, hostNetwork });
    }
    return out;
  }

  /** Internet → Service/Ingress → workload, and Internet → host-network workload. */
  private addEntryPoints(): { workload: string; edges: number[] }[] {
    const exposed: { workload: string; edges: number[] }[] = [];
    const snapshot = this.engine.snapshot;
    for (const s of snapshot.services) {
      const sid = this.node({
        id: `service:${s.namespace || 'default'}/${s.info.name}`,
        type: 'Service',
        namespace: s.namespace || 'default',
        name: `Service/${s.info.name}${s.info.type === 'ClusterIP' ? '' : ` (${s.info.type})`}`,
        ...this.locate.at(s.info.ref),
      });
      const external = s.info.type === 'LoadBalancer' || s.info.type === 'NodePort';
      const typeNode = findPair(getMap(s.info.ref.object.node, 'spec', s.info.ref.object.doc), 'type', s.info.ref.object.doc);
      const entry = external
        ? this.edge({
            type: s.info.type === 'LoadBalancer' ? 'EXPOSED_LOADBALANCER' : 'EXPOSED_NODEPORT',
            from: this.internet(),
            to: sid,
            reason: `type ${s.info.type}: reachable from outside the cluster`,
            ...this.locate.at(s.info.ref, typeNode),
          })
        : undefined;
      for (const b of this.backends(s)) {
        const wid = this.workloadNode(b.w);
        const ports = s.info.ports.map((p) => `${p.port ?? '?'}→${p.targetPort ?? '?'}`).join(', ');
        const routed = this.edge({
          type: 'NETWORK_SERVICE',
          from: sid,
          to: wid,
          reason: `sends ports ${ports} to ${b.w.pod.ref.object.label} (${b.conn.toString()})`,
          ...this.locate.at(s.info.ref, s.info.ports[0]?.item),
        });
        if (entry === undefined) continue;
        // Host-network pods are not subject to NetworkPolicies.
        const allowed = b.hostNetwork ? b.conn : b.conn.intersect(this.fromInternet(b.w));
        if (!allowed.isEmpty) exposed.push({ workload: wid, edges: [entry, routed] });
      }
    }
    const controller: Endpoint = { type: 'ingress-controller' };
    for (const ing of snapshot.ingresses) {
      const ns = ing.namespace || 'default';
      const name = ing.info.ref.object.name ?? '';
      const iid = this.node({ id: `ingress:${ns}/${name}`, type: 'Ingress', namespace: ns, name: `Ingress/${name}`, ...this.locate.at(ing.info.ref) });
      const entry = this.edge({
        type: 'EXPOSED_INGRESS',
        from: this.internet(),
        to: iid,
        reason: 'served by the ingress controller to whoever reaches it',
        ...this.locate.at(ing.info.ref),
      });
      for (const backend of ing.info.backends) {
        for (const s of snapshot.services) {
          if (s.namespace !== ing.namespace || s.info.name !== backend.service) continue;
          const matchesPort = (p: { name?: string; port?: number }) => backend.port === undefined || p.port === backend.port || p.name === backend.port;
          for (const b of this.backends(s, matchesPort)) {
            // Host-network pods are not subject to NetworkPolicies.
            const via = b.hostNetwork ? undefined : this.engine.between(controller, { type: 'workload', workload: b.w });
            const allowed = via ? b.conn.intersect(via.conn) : b.conn;
            if (allowed.isEmpty) continue;
            const wid = this.workloadNode(b.w);
            const why = via ? [...new Set(via.ingressVia)].join(', ') : 'hostNetwork: no NetworkPolicy applies';
            const step = this.edge({
              type: 'NETWORK_INGRESS_BACKEND',
              from: iid,
              to: wid,
              reason: `the ingress controller forwards to Service ${s.info.name} on ${b.w.pod.ref.object.label} (${allowed.toString()}; ${why || 'allowed'})`,
              ...this.locate.at(ing.info.ref, backend.serviceNode),
            });
            exposed.push({ workload: wid, edges: [entry, step] });
          }
        }
      }
    }
    for (const w of snapshot.hostNetwork) {
      if (!w.ports.length) continue;
      const wid = this.workloadNode(w);
      const hostNetwork = findPair(w.pod.ref.object.podSpec()?.node, 'hostNetwork', w.pod.ref.object.doc);
      const ports = w.ports.map((p) => `${p.protocol} ${p.number ?? p.name ?? '?'}`).join(', ');
      const step = this.edge({
        type: 'EXPOSED_HOST_NETWORK',
        from: this.internet(),
        to: wid,
        reason: `hostNetwork: true: listens on ${ports} on the node's own addresses, where NetworkPolicies do not apply`,
        ...this.locate.at(w.pod.ref, hostNetwork),
      });
      exposed.push({ workload: wid, edges: [step] });
    }
    const seen = new Set<string>();
    return exposed.filter((e) => {
      const key = e.edges.join(',');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** NetworkPolicies and the workloads they isolate: why a network edge is there or not. */
  private addPolicies(): void {
    for (const w of this.engine.snapshot.workloads) {
      const { ingress, egress } = this.engine.policiesSelecting(w);
      for (const p of new Set([...ingress, ...egress])) {
        const ns = p.namespace || 'default';
        const pid = this.node({
          id: `networkpolicy:${ns}/${p.info.name}`,
          type: 'NetworkPolicy',
          namespace: ns,
          name: `NetworkPolicy/${p.info.name}`,
          ...this.locate.at(p.info.ref),
        });
        const directions = [ingress.includes(p) ? 'ingress' : '', egress.includes(p) ? 'egress' : ''].filter(Boolean).join(' and ');
        this.edge({
          type: 'NETWORK_POLICY',
          from: pid,
          to: this.workloadNode(w),
          reason: `selects ${w.pod.ref.object.label}: isolates it for ${directions}`,
          ...this.locate.at(p.info.ref, p.info.podSelectorNode),
        });
      }
    }
  }

  // ---- lateral movement -------------------------------------------------------------------------

  /**
   * For each workload with no path of its own: the workload with the shortest path among those it
   * may connect to on a Service port, by the reachability engine. Nearest first, so the search for a
   * source stops at the first hit.
   */
  private addLateral(): Map<string, { to: string; edges: number[] }> {
    const out = new Map<string, { to: string; edges: number[] }>();
    const snapshot = this.engine.snapshot;
    const byId = new Map(snapshot.workloads.map((w) => [workloadId(w.pod.ref), w]));
    // Targets: workloads with a path and Service ports, shortest path first.
    const targets: { w: Workload; id: string; ports: ConnectionSet; services: string[] }[] = [];
    const servicesIn = new Map<string, Placed<ServiceInfo>[]>();
    for (const s of snapshot.services) {
      const list = servicesIn.get(s.namespace);
      if (list) list.push(s);
      else servicesIn.set(s.namespace, [s]);
    }
    for (const [id, own] of [...this.ownPath].sort((a, b) => a[1].edges.length - b[1].edges.length || a[0].localeCompare(b[0]))) {
      const w = byId.get(id);
      if (!w || !own) continue;
      let ports = ConnectionSet.NONE;
      const services: string[] = [];
      for (const s of servicesIn.get(w.namespace) ?? []) {
        if (!selects(s.info.selector, w.labels)) continue;
        let conn = ConnectionSet.NONE;
        for (const p of s.info.ports) conn = conn.union(targetPortConnections(p.targetPort, p.protocol, w));
        if (!conn.isEmpty) {
          ports = ports.union(conn);
          services.push(`Service ${s.namespace || 'default'}/${s.info.name}`);
        }
      }
      if (!ports.isEmpty) targets.push({ w, id, ports, services });
    }
    if (!targets.length) return out;
    let budget = this.options.lateralBudget ?? DEFAULT_LATERAL_BUDGET;
    const endpoints = new Map<Workload, Endpoint>();
    const ep = (w: Workload): Endpoint => {
      let e = endpoints.get(w);
      if (!e) endpoints.set(w, (e = { type: 'workload', workload: w }));
      return e;
    };
    for (const src of snapshot.workloads) {
      const sid = workloadId(src.pod.ref);
      if (this.ownPath.has(sid)) continue;
      for (const t of targets) {
        if (t.w === src) continue;
        if (budget-- <= 0) {
          this.truncated = true;
          return out;
        }
        const c = this.engine.between(ep(src), ep(t.w));
        const conn = c.conn.intersect(t.ports);
        if (conn.isEmpty) continue;
        const why = [...new Set([...c.egressVia, ...c.ingressVia])].join('; ');
        const step = this.edge({
          type: 'NETWORK_REACHES',
          from: this.workloadNode(src),
          to: t.id,
          reason: `can open ${conn.toString()} on ${endpointName(ep(t.w))} (${t.services.join(', ')})${why ? `: ${why}` : ''}`,
          ...this.locate.at(src.pod.ref),
        });
        const own = this.ownPath.get(t.id)!;
        out.set(sid, { to: own.to, edges: [step, ...own.edges] });
        break;
      }
    }
    return out;
  }

  /**
   * A node no object stands for (a crown jewel, an account the workspace does not declare) is shown
   * where the first edge reaching it is; one that no edge touches either says nothing and is left out,
   * as is a crown jewel nothing reaches.
   */
  private fillJewelLocations(): void {
    const firstInto = new Map<string, MapEdge>();
    const touched = new Set<string>();
    for (const e of this.edges) {
      touched.add(e.from);
      touched.add(e.to);
      if (e.file !== null && !firstInto.has(e.to)) firstInto.set(e.to, e);
    }
    for (const [id, n] of this.nodes) {
      // "Any node running X" exists for every workload; it is a jewel only when something reaches it.
      if (n.jewel && !touched.has(id)) this.nodes.delete(id);
      if (n.file !== null || id === INTERNET_ID) continue;
      const first = firstInto.get(id);
      if (first) this.nodes.set(id, { ...n, file: first.file, line: first.line });
      else if (!touched.has(id)) this.nodes.delete(id);
    }
  }
}

/** A Service with an empty selector manages no endpoints: it sends nowhere. */
function selects(selector: Selector | undefined, labels: Labels): boolean {
  return !!selector && !isEmpty(selector) && matches(selector, labels);
}

/** The map of an index built with the reachability engine's reads (`loadNetworkWorkspace`). */
export function buildMapData(index: WorkspaceIndex, options: MapBuildOptions): BuiltMap {
  return new MapBuilder(index, options).build();
}
