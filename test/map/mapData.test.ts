/** The security map's decisions made without a DOM: filters, layout, aggregation, path texts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  aggregate,
  aggregateId,
  applyFilter,
  columnOf,
  describePath,
  EDGE_KINDS,
  edgeKind,
  layout,
  MapData,
  nextNode,
  NO_FILTER,
  pathsThrough,
} from '../../client/map/mapData';

const node = (id: string, type: string, namespace: string | null, extra: Record<string, string> = {}) => ({
  id,
  type,
  namespace,
  name: id.split(':').pop()!,
  file: `${namespace ?? 'cluster'}.yaml`,
  line: 3,
  ...extra,
});
const DATA: MapData = {
  nodes: [
    node('internet', 'Internet', null),
    node('wl:shop:web', 'Workload', 'shop'),
    node('sa:shop:web', 'ServiceAccount', 'shop'),
    node('wl:ci:runner', 'Workload', 'ci'),
    node('sa:ci:runner', 'ServiceAccount', 'ci'),
    node('crb:ci-admin', 'Binding', null),
    node('node', 'Node', null, { jewel: 'node' }),
    node('cluster-admin', 'ClusterRole', null, { jewel: 'cluster-admin' }),
  ],
  edges: [
    { type: 'ENDPOINT_EXPLOIT', from: 'internet', to: 'wl:shop:web', reason: 'LoadBalancer port 80', file: 'shop.yaml', line: 9 },
    { type: 'CE_PRIV_MOUNT', from: 'wl:shop:web', to: 'node', reason: 'privileged', file: 'shop.yaml', line: 20 },
    { type: 'IDENTITY_ASSUME', from: 'wl:ci:runner', to: 'sa:ci:runner', reason: 'runs as', file: 'ci.yaml', line: 5 },
    { type: 'ROLE_BIND', from: 'sa:ci:runner', to: 'cluster-admin', reason: 'bound', file: 'rbac.yaml', line: 2 },
    { type: 'IDENTITY_ASSUME', from: 'wl:shop:web', to: 'sa:shop:web', reason: 'runs as', file: 'shop.yaml', line: 12 },
  ],
  paths: [
    { from: 'internet', workload: 'wl:shop:web', to: 'node', edges: [0, 1] },
    { from: 'wl:ci:runner', workload: 'wl:ci:runner', to: 'cluster-admin', edges: [2, 3] },
  ],
};

describe('security map data', () => {
  it('classifies edges into the four families', () => {
    assert.deepEqual(['CE_PRIV_MOUNT', 'EXPLOIT_HOST_WRITE', 'IDENTITY_ASSUME', 'TOKEN_LIST', 'ENDPOINT_EXPLOIT', 'POD_EXEC', 'ROLE_BIND'].map(edgeKind), [
      'escape',
      'escape',
      'identity',
      'identity',
      'network',
      'rbac',
      'rbac',
    ]);
  });

  it('lays out entry points left, crown jewels right, namespaces together', () => {
    const placed = new Map(layout(DATA.nodes).map((p) => [p.id, p]));
    assert.ok(placed.get('internet')!.x < placed.get('wl:shop:web')!.x);
    assert.ok(placed.get('wl:shop:web')!.x < placed.get('sa:shop:web')!.x);
    assert.equal(placed.get('node')!.x, placed.get('cluster-admin')!.x);
    assert.ok(placed.get('cluster-admin')!.x > placed.get('crb:ci-admin')!.x);
    assert.equal(columnOf(DATA.nodes[7]), 6);
    assert.equal(columnOf({ ...DATA.nodes[1], type: 'Service' }), 1, 'Services between the Internet and workloads');
    // ci sorts before shop, with a gap between the namespaces.
    assert.ok(placed.get('wl:ci:runner')!.y < placed.get('wl:shop:web')!.y);
    assert.deepEqual(layout(DATA.nodes), layout([...DATA.nodes].reverse()), 'the same drawing whatever the order');
  });

  it('wraps a tall column into sub-columns, keeping jewels right of everything and no two nodes in one place', () => {
    const workloads = Array.from({ length: 120 }, (_, i) => node(`wl:ns${i % 4}:w${i}`, 'Workload', `ns${i % 4}`));
    const nodes = [node('internet', 'Internet', null), ...workloads, node('node', 'Node', null, { jewel: 'node' })];
    const placed = layout(nodes);
    const xs = new Set(placed.filter((p) => p.id.startsWith('wl:')).map((p) => p.x));
    assert.ok(xs.size > 1, 'the workloads take several sub-columns');
    const jewel = placed.find((p) => p.id === 'node')!;
    assert.ok(placed.every((p) => p.id === 'node' || p.x < jewel.x));
    assert.equal(new Set(placed.map((p) => `${p.x},${p.y}`)).size, placed.length);
    assert.ok(Math.max(...placed.map((p) => p.y)) < 20 * 56, 'no column taller than the limit');
  });

  it('filters by namespace, by edge kind, to paths from the Internet and to crown jewels', () => {
    assert.equal(applyFilter(DATA, NO_FILTER).paths.length, 2);
    const shop = applyFilter(DATA, { ...NO_FILTER, namespaces: new Set(['shop']) });
    assert.ok(!shop.nodes.some((n) => n.namespace === 'ci'));
    assert.ok(
      shop.nodes.some((n) => n.id === 'cluster-admin'),
      'cluster-scoped nodes stay',
    );
    assert.deepEqual(shop.paths, [0]);
    const noEscapes = applyFilter(DATA, { ...NO_FILTER, kinds: new Set(EDGE_KINDS.filter((k) => k !== 'escape')) });
    assert.deepEqual(noEscapes.paths, [1]);
    assert.ok(!noEscapes.edges.includes(1));
    const internet = applyFilter(DATA, { ...NO_FILTER, onlyFromInternet: true });
    assert.deepEqual(internet.paths, [0]);
    assert.deepEqual(internet.edges, [0, 1]);
    assert.deepEqual(internet.nodes.map((n) => n.id).sort(), ['internet', 'node', 'wl:shop:web']);
    const jewels = applyFilter(DATA, { ...NO_FILTER, onlyJewelPaths: true });
    assert.ok(!jewels.edges.includes(4), 'an edge on no path to a jewel is hidden');
  });

  it('collapses namespaces into one node each, keeping entry points and jewels, and merges their edges', () => {
    const visible = applyFilter(DATA, NO_FILTER);
    const collapsed = aggregate(DATA, visible, new Set());
    const ids = collapsed.nodes.map((n) => n.id).sort();
    assert.deepEqual(ids, ['cluster-admin', 'crb:ci-admin', aggregateId('ci'), aggregateId('shop'), 'internet', 'node'].sort());
    assert.match(collapsed.nodes.find((n) => n.id === aggregateId('shop'))!.name, /shop \(2 objects\)/);
    assert.ok(collapsed.edges.some((e) => e.from === 'internet' && e.to === aggregateId('shop') && e.kind === 'network'));
    assert.ok(!collapsed.edges.some((e) => e.from === e.to), 'edges inside a collapsed namespace disappear');
    const open = aggregate(DATA, visible, new Set(['shop']));
    assert.ok(open.nodes.some((n) => n.id === 'wl:shop:web'));
    assert.equal(open.edges.find((e) => e.from === 'internet')!.index, 0, 'an edge between expanded nodes keeps its index');
  });

  it('describes paths and finds the paths through a node', () => {
    assert.equal(describePath(DATA, DATA.paths[1]), 'runner → ServiceAccount ci/runner → cluster-admin');
    assert.deepEqual(pathsThrough(DATA, 'sa:ci:runner', [0, 1]), [1]);
    assert.deepEqual(pathsThrough(DATA, 'node', [0, 1]), [0]);
  });

  it('moves the keyboard focus to the nearest node on the side of the arrow, keeping to the row or column', () => {
    const placed = [
      { id: 'a', x: 0, y: 0 },
      { id: 'b', x: 0, y: 56 },
      { id: 'c', x: 260, y: 0 },
      { id: 'd', x: 260, y: 56 },
      { id: 'e', x: 520, y: 300 },
    ];
    assert.equal(nextNode(placed, undefined, 'right'), 'a', 'no focus yet: the top-left node');
    assert.equal(nextNode([], undefined, 'down'), undefined);
    assert.equal(nextNode(placed, 'a', 'right'), 'c');
    assert.equal(nextNode(placed, 'a', 'down'), 'b');
    assert.equal(nextNode(placed, 'd', 'left'), 'b');
    assert.equal(nextNode(placed, 'd', 'up'), 'c');
    assert.equal(nextNode(placed, 'd', 'right'), 'e', 'the next column even when off the row');
    assert.equal(nextNode(placed, 'e', 'right'), 'e', 'nothing further: stays');
    assert.equal(nextNode(placed, 'gone', 'left'), 'a', 'a node no longer drawn: start again top-left');
    // Every node of a laid-out map is reachable with the arrows from the first one.
    const laid = layout(DATA.nodes);
    const seen = new Set<string>();
    const visit = (id: string | undefined): void => {
      if (id === undefined || seen.has(id)) return;
      seen.add(id);
      for (const d of ['left', 'right', 'up', 'down'] as const) visit(nextNode(laid, id, d));
    };
    visit(nextNode(laid, undefined, 'right'));
    assert.equal(seen.size, laid.length);
  });
});
