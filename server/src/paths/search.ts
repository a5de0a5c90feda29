/**
 * Shortest paths to the crown jewels: one breadth-first search backwards from every jewel at once,
 * so each node learns its distance and next step in O(nodes + edges), however many workloads there
 * are. ENDPOINT_EXPLOIT (any container reaching a Service-exposed container) is not stored as
 * n × m edges: the first exposed container the search meets gives every container not yet reached
 * its next step. Group edges (an account that can exec into every pod of a namespace) work the same
 * way: the first member of the group the search meets gives the account its next step.
 */
import type { AttackGraph, FanOut, GraphEdge, GraphNode, Jewel } from './graph';

export interface Step {
  readonly edge: GraphEdge;
  /** Index in `graph.edges`, or -1 for an ENDPOINT_EXPLOIT step (not stored in the graph). */
  readonly index: number;
}

export interface AttackPath {
  /** The container the path starts in. */
  readonly from: string;
  readonly workload: string;
  readonly to: string;
  readonly jewel: Jewel;
  readonly steps: readonly Step[];
}

export interface SearchOptions {
  /** Only these jewels count as targets (default all). */
  readonly to?: readonly Jewel[];
  /** Follow ENDPOINT_EXPLOIT to Service-exposed containers. */
  readonly lateral: boolean;
  /** Paths longer than this are not returned. */
  readonly maxSteps?: number;
}

function jewelRank(node: GraphNode): number {
  if (node.jewel === 'cluster-admin') return 4;
  if (node.jewel === 'node') return 3;
  return node.namespace === undefined ? 2 : 1;
}

function groupsOf(node: GraphNode): string[] {
  if (node.type === 'Workload') return [`workloads:${node.namespace ?? ''}`, 'workloads:*'];
  if (node.type === 'ServiceAccount') return [`accounts:${node.namespace ?? ''}`, 'accounts:*'];
  return [];
}

function describeMember(node: GraphNode): string {
  return node.type === 'ServiceAccount' ? `ServiceAccount ${node.namespace ? `${node.namespace}/` : ''}${node.name}` : node.name;
}

export function shortestPaths(graph: AttackGraph, options: SearchOptions): AttackPath[] {
  const incoming = new Map<string, number[]>();
  graph.edges.forEach((e, i) => {
    const list = incoming.get(e.to);
    if (list) list.push(i);
    else incoming.set(e.to, [i]);
  });
  const next = new Map<string, Step>();
  const dist = new Map<string, number>();
  const queue: string[] = [];
  for (const n of graph.nodes.values()) {
    if (n.jewel && (!options.to || options.to.includes(n.jewel))) {
      dist.set(n.id, 0);
      queue.push(n.id);
    }
  }
  // Among equally short paths the worst jewel wins: the search is breadth-first from every jewel at
  // once, so the jewels queued first claim the ties.
  queue.sort((a, b) => jewelRank(graph.nodes.get(b)!) - jewelRank(graph.nodes.get(a)!));
  let lateralDone = !options.lateral;
  const fannedOut = new Set<FanOut>();
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    const d = dist.get(id)!;
    const node = graph.nodes.get(id);
    // Group edges into this node: the first member the search meets is the nearest one.
    for (const group of node ? groupsOf(node) : []) {
      for (const f of graph.fanouts.get(group) ?? []) {
        if (fannedOut.has(f)) continue;
        fannedOut.add(f);
        if (dist.has(f.from)) continue;
        dist.set(f.from, d + 1);
        next.set(f.from, {
          edge: { type: f.type, from: f.from, to: id, reason: f.reason.replace('\u0000', ` ${describeMember(node!)} `).trim(), via: f.via, sites: f.sites },
          index: -1,
        });
        queue.push(f.from);
      }
    }
    for (const i of incoming.get(id) ?? []) {
      const e = graph.edges[i];
      if (dist.has(e.from)) continue;
      dist.set(e.from, d + 1);
      next.set(e.from, { edge: e, index: i });
      queue.push(e.from);
    }
    if (!lateralDone && graph.exposed.has(id)) {
      lateralDone = true;
      const target = graph.nodes.get(id)!;
      for (const ids of graph.containersOf.values()) {
        for (const c of ids) {
          if (dist.has(c)) continue;
          dist.set(c, d + 1);
          next.set(c, {
            edge: {
              type: 'ENDPOINT_EXPLOIT',
              from: c,
              to: id,
              reason: `can reach ${target.name} through a Service port (no NetworkPolicy analysis yet: every Service-exposed port counts as reachable)`,
              via: [],
              sites: [],
            },
            index: -1,
          });
          queue.push(c);
        }
      }
    }
  }
  const out: AttackPath[] = [];
  for (const [workload, containers] of graph.containersOf) {
    let best: string | undefined;
    for (const c of containers) if (dist.has(c) && (best === undefined || dist.get(c)! < dist.get(best)!)) best = c;
    if (best === undefined) continue;
    if (options.maxSteps !== undefined && dist.get(best)! > options.maxSteps) continue;
    const steps: Step[] = [];
    let at = best;
    // Bounded by the distance: each step strictly decreases it.
    while (next.has(at) && steps.length <= dist.get(best)!) {
      const s = next.get(at)!;
      steps.push(s);
      at = s.edge.to;
    }
    out.push({ from: best, workload, to: at, jewel: graph.nodes.get(at)!.jewel!, steps });
  }
  return out;
}
