/**
 * The security map's data and everything the viewer decides without a DOM: which nodes and edges a
 * filter keeps, how nodes are laid out in columns (entry points on the left, crown jewels on the
 * right), when namespaces are shown as one aggregate node, and the text of every path. Shared by the
 * VS Code webview and the self-contained HTML report, and tested in Node.
 *
 * The data is the shape of `bulkhead paths --format json` (nodes, edges, paths by edge index).
 */

export interface MapNode {
  readonly id: string;
  readonly type: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly file: string | null;
  readonly line: number | null;
  /** `node`, `cluster-admin`, `secrets`: a crown jewel. */
  readonly jewel?: string;
}

export interface MapEdge {
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly file: string | null;
  readonly line: number | null;
}

export interface MapPath {
  readonly from: string;
  readonly workload?: string;
  readonly to: string;
  /** Indexes into `edges`, in order. */
  readonly edges: readonly number[];
}

export interface MapData {
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  readonly paths: readonly MapPath[];
}

/** The families edges are coloured and filtered by. */
export type EdgeKind = 'network' | 'identity' | 'rbac' | 'escape';
export const EDGE_KINDS: readonly EdgeKind[] = ['network', 'identity', 'rbac', 'escape'];

/**
 * Edge names (KubeHound's where it has one) → family: container escapes to the node, identities a
 * process can take (its token, a stolen or requested one), network reach (Internet exposure, one pod
 * reaching another's port), and everything else an RBAC permission.
 */
export function edgeKind(type: string): EdgeKind {
  const t = type.toUpperCase();
  if (t.startsWith('CE_') || t.startsWith('EXPLOIT_') || t === 'CONTAINER_ATTACH' || t === 'SHARE_PS_NAMESPACE') return 'escape';
  if (t.startsWith('IDENTITY_') || t.startsWith('TOKEN_')) return 'identity';
  if (t.startsWith('ENDPOINT_') || t.startsWith('NETWORK_') || t.startsWith('EXPOSED_') || t === 'REACHES') return 'network';
  return 'rbac';
}

/**
 * Left to right: where an attack enters, what it enters through (Services, Ingresses, and the
 * NetworkPolicies that filter them), what runs, who it runs as, what that may do, what it wins.
 */
export function columnOf(node: MapNode): number {
  if (node.jewel) return 6;
  switch (node.type) {
    case 'Internet':
    case 'Entry':
      return 0;
    case 'Service':
    case 'Ingress':
    case 'NetworkPolicy':
      return 1;
    case 'Workload':
    case 'Container':
      return 2;
    case 'ServiceAccount':
    case 'Identity':
      return 3;
    case 'Binding':
      return 4;
    default:
      return 5;
  }
}

export interface Filter {
  /** Only these namespaces (nodes without a namespace are always kept); empty: all. */
  readonly namespaces: ReadonlySet<string>;
  readonly kinds: ReadonlySet<EdgeKind>;
  /** Keep only nodes and edges on a path that ends at a crown jewel. */
  readonly onlyJewelPaths: boolean;
  /** Keep only paths that start at an Internet entry point. */
  readonly onlyFromInternet: boolean;
}

export const NO_FILTER: Filter = { namespaces: new Set(), kinds: new Set(EDGE_KINDS), onlyJewelPaths: false, onlyFromInternet: false };

export interface Visible {
  readonly nodes: readonly MapNode[];
  /** Indexes into `data.edges`. */
  readonly edges: readonly number[];
  /** Indexes into `data.paths`. */
  readonly paths: readonly number[];
}

/** The Internet (and any other entry node): where "only from the Internet" paths start. */
function isEntry(node: MapNode | undefined): boolean {
  return !!node && (node.type === 'Internet' || node.type === 'Entry');
}

/** What a filter keeps: edges of the kept kinds between kept nodes, and the paths made of them only. */
export function applyFilter(data: MapData, filter: Filter): Visible {
  const byId = indexNodes(data);
  const nsOk = (n: MapNode | undefined) => !!n && (n.namespace === null || !filter.namespaces.size || filter.namespaces.has(n.namespace));
  const edgeOk = (i: number) => {
    const e = data.edges[i];
    return !!e && filter.kinds.has(edgeKind(e.type)) && nsOk(byId.get(e.from)) && nsOk(byId.get(e.to));
  };
  const paths: number[] = [];
  data.paths.forEach((p, i) => {
    if (!p.edges.length || !p.edges.every(edgeOk)) return;
    if (filter.onlyFromInternet && !isEntry(byId.get(data.edges[p.edges[0]].from))) return;
    if (filter.onlyJewelPaths && !byId.get(p.to)?.jewel) return;
    paths.push(i);
  });
  let edges: number[];
  let nodeIds: Set<string>;
  if (filter.onlyJewelPaths || filter.onlyFromInternet) {
    const onPaths = new Set<number>();
    for (const i of paths) for (const e of data.paths[i].edges) onPaths.add(e);
    edges = [...onPaths].sort((a, b) => a - b);
    nodeIds = new Set(edges.flatMap((i) => [data.edges[i].from, data.edges[i].to]));
  } else {
    edges = data.edges.map((_, i) => i).filter(edgeOk);
    nodeIds = new Set(data.nodes.filter(nsOk).map((n) => n.id));
  }
  return { nodes: data.nodes.filter((n) => nodeIds.has(n.id)), edges: edges.filter((i) => nodeIds.has(data.edges[i].from) && nodeIds.has(data.edges[i].to)), paths };
}

export function indexNodes(data: MapData): Map<string, MapNode> {
  return new Map(data.nodes.map((n) => [n.id, n]));
}

export interface Placed {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

const COLUMN_WIDTH = 260;
const ROW_HEIGHT = 56;
const NAMESPACE_GAP = 36;
/** A column is never wrapped below this many rows. */
const MIN_ROWS = 15;

/**
 * Columns by role, rows grouped by namespace then name, so the same workspace always draws the same
 * way and a namespace's members sit together in every column. A column taller than the drawing's
 * height limit (about the square root of the node count, so the whole map stays near a landscape
 * rectangle) wraps into side-by-side sub-columns; the columns after it move right. Linear after the sort.
 */
export function layout(nodes: readonly MapNode[]): Placed[] {
  const columns = new Map<number, MapNode[]>();
  for (const n of nodes) {
    const c = columnOf(n);
    const list = columns.get(c);
    if (list) list.push(n);
    else columns.set(c, [n]);
  }
  const maxHeight = Math.max(MIN_ROWS, Math.ceil(Math.sqrt(nodes.length) * 1.2)) * ROW_HEIGHT;
  const out: Placed[] = [];
  let x = 0;
  for (const [, list] of [...columns].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    let y = 0;
    let previous: string | null | undefined;
    for (const n of list) {
      if (previous !== undefined && n.namespace !== previous) y += NAMESPACE_GAP;
      if (y >= maxHeight) {
        x += COLUMN_WIDTH;
        y = 0;
      }
      out.push({ id: n.id, x, y });
      y += ROW_HEIGHT;
      previous = n.namespace;
    }
    x += COLUMN_WIDTH;
  }
  return out;
}

/** Above this many nodes, namespaces start collapsed into one node each until expanded. */
export const AGGREGATE_ABOVE = 300;

/** The id of the aggregate node standing for a collapsed namespace. */
export function aggregateId(namespace: string): string {
  return `namespace:${namespace}`;
}

/**
 * Collapses the namespaces not in `expanded`: their nodes become one node per namespace (crown
 * jewels and entry points stay visible), and edges are redirected to it, merged by endpoints and kind.
 */
export function aggregate(data: MapData, visible: Visible, expanded: ReadonlySet<string>): { nodes: MapNode[]; edges: { from: string; to: string; kind: EdgeKind; count: number; index?: number }[] } {
  const byId = indexNodes(data);
  const target = (id: string): string => {
    const n = byId.get(id);
    if (!n || n.namespace === null || n.jewel || isEntry(n) || expanded.has(n.namespace)) return id;
    return aggregateId(n.namespace);
  };
  const nodes = new Map<string, MapNode>();
  const sizes = new Map<string, number>();
  for (const n of visible.nodes) {
    const t = target(n.id);
    if (t === n.id) nodes.set(n.id, n);
    else {
      sizes.set(t, (sizes.get(t) ?? 0) + 1);
      if (!nodes.has(t)) nodes.set(t, { id: t, type: 'Namespace', namespace: n.namespace, name: n.namespace ?? '', file: null, line: null });
    }
  }
  for (const [id, size] of sizes) {
    const n = nodes.get(id)!;
    nodes.set(id, { ...n, name: `${n.name} (${size} objects)` });
  }
  const edges = new Map<string, { from: string; to: string; kind: EdgeKind; count: number; index?: number }>();
  for (const i of visible.edges) {
    const e = data.edges[i];
    const from = target(e.from);
    const to = target(e.to);
    if (from === to && from !== e.from) continue;
    const kind = edgeKind(e.type);
    const key = `${from}\u0000${to}\u0000${kind}`;
    const seen = edges.get(key);
    if (seen) {
      seen.count++;
      seen.index = undefined;
    } else edges.set(key, { from, to, kind, count: 1, index: from === e.from && to === e.to ? i : undefined });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** "Deployment/web → ServiceAccount shop/web → cluster-admin": how the path list reads. */
export function describePath(data: MapData, path: MapPath, byId = indexNodes(data)): string {
  const names = [path.edges.length ? data.edges[path.edges[0]].from : path.from, ...path.edges.map((i) => data.edges[i].to)];
  return names.map((id) => labelOf(byId.get(id), id)).join(' → ');
}

export function labelOf(node: MapNode | undefined, fallback = ''): string {
  if (!node) return fallback;
  if (node.type === 'ServiceAccount') return `ServiceAccount ${node.namespace ? `${node.namespace}/` : ''}${node.name}`;
  return node.name;
}

/** The paths through a node (as start, end or any step). */
export function pathsThrough(data: MapData, id: string, among: readonly number[]): number[] {
  return among.filter((i) => {
    const p = data.paths[i];
    return p.from === id || p.to === id || p.workload === id || p.edges.some((e) => data.edges[e].from === id || data.edges[e].to === id);
  });
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * Keyboard navigation of the drawing: the node an arrow key moves to from `from`, the nearest one
 * whose centre lies on that side (distance along the arrow's axis plus twice the offset across it, so
 * the arrow keeps to its row or column when it can). Without a current node, the top-left one. Linear.
 */
export function nextNode(placed: readonly Placed[], from: string | undefined, direction: Direction): string | undefined {
  const start = from === undefined ? undefined : placed.find((p) => p.id === from);
  if (!start) {
    let first: Placed | undefined;
    for (const p of placed) if (!first || p.x < first.x || (p.x === first.x && p.y < first.y)) first = p;
    return first?.id;
  }
  const horizontal = direction === 'left' || direction === 'right';
  const sign = direction === 'right' || direction === 'down' ? 1 : -1;
  let best: Placed | undefined;
  let bestCost = Infinity;
  for (const p of placed) {
    if (p.id === start.id) continue;
    const along = sign * (horizontal ? p.x - start.x : p.y - start.y);
    if (along <= 0) continue;
    const across = Math.abs(horizontal ? p.y - start.y : p.x - start.x);
    const cost = along + 2 * across;
    if (cost < bestCost || (cost === bestCost && best !== undefined && p.id < best.id)) {
      best = p;
      bestCost = cost;
    }
  }
  return best?.id ?? start.id;
}
