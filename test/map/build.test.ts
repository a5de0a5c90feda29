/** The security map's data: the attack graph joined with the reachability engine, on examples/ and small fixtures. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { aggregate, AGGREGATE_ABOVE, applyFilter, describePath, MapData, NO_FILTER } from '../../client/map/mapData';
import { formatMapDot, parseMapArgs, runMap } from '../../server/src/cli/mapCommand';
import { displayPath } from '../../server/src/cli/scan';
import { buildMapData, BuiltMap, INTERNET_ID } from '../../server/src/map/build';
import { loadNetworkWorkspace } from '../../server/src/node/networkWorkspace';
import { deploy, indexOf, policy } from '../reachability/support';
import { clusterRoleBinding, sa } from '../rules/kubernetes/rbac/fixtures';

const REPO = path.resolve(__dirname, '../../..');

function mapOf(files: Record<string, string>, budget?: number): BuiltMap {
  return buildMapData(indexOf(files), { displayFile: (f) => f.replace('/w/', ''), lateralBudget: budget });
}

function pathTexts(data: MapData): string[] {
  return data.paths.map((p) => describePath(data, p));
}

function service(name: string, ns: string, type: string, selector: Record<string, string>, port: number, targetPort: number | string): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  type: ${type}\n  selector: ${JSON.stringify(selector)}\n  ports:\n  - {port: ${port}, targetPort: ${JSON.stringify(targetPort)}}\n`;
}

/** A Deployment running as `account` with its token (the default automount). */
function runsAs(name: string, ns: string, labels: Record<string, string>, account: string, port: number, extraSpec = ''): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  template:\n    metadata: {labels: ${JSON.stringify(labels)}}\n    spec:\n      serviceAccountName: ${account}\n${extraSpec}      containers: [{name: c, image: x, ports: [{containerPort: ${port}}]}]\n`;
}

const ADMIN = `${sa('deployer', 'ops')}---\n${clusterRoleBinding('deployer-admin', 'cluster-admin', '- {kind: ServiceAccount, name: deployer, namespace: ops}')}`;

describe('security map data: examples/', () => {
  const loaded = loadNetworkWorkspace([path.join(REPO, 'examples')], REPO);
  const data = buildMapData(loaded.index, { displayFile: (f) => displayPath(f, REPO), namespaceOf: loaded.namespaceOf });
  const byId = new Map(data.nodes.map((n) => [n.id, n]));

  it('has the shape of `bulkhead paths --format json`, every id resolved', () => {
    for (const n of data.nodes) assert.deepEqual(Object.keys(n).slice(0, 6), ['id', 'type', 'namespace', 'name', 'file', 'line']);
    for (const e of data.edges) {
      assert.ok(byId.has(e.from) && byId.has(e.to), `${e.from} → ${e.to}`);
      assert.ok(e.type && e.reason);
    }
    for (const p of data.paths) {
      assert.ok(p.edges.length > 0);
      assert.equal(data.edges[p.edges[0]].from, p.from);
      assert.equal(data.edges[p.edges[p.edges.length - 1]].to, p.to);
      for (let i = 1; i < p.edges.length; i++) assert.equal(data.edges[p.edges[i - 1]].to, data.edges[p.edges[i]].from, 'steps chain');
    }
  });

  it('starts at the Internet through the shop LoadBalancer and Ingress, and ends at crown jewels', () => {
    const texts = pathTexts(data);
    assert.ok(
      texts.includes('Internet → Service/frontend (LoadBalancer) → Deployment/frontend → ServiceAccount shop/default → every Secret of namespace shop'),
      texts.join('\n'),
    );
    assert.ok(texts.includes('Internet → Ingress/shop → Deployment/frontend → ServiceAccount shop/default → every Secret of namespace shop'));
    assert.ok(texts.includes('Deployment/ops-bot → ServiceAccount ops/ops-bot → cluster-admin'));
    assert.ok(texts.some((t) => t.startsWith('Deployment/ci-runner → ServiceAccount build/ci-runner → any node')));
    assert.ok(texts.some((t) => t.startsWith('Pod/node-debugger → any node running Pod/node-debugger')));
    const jewels = new Set(data.paths.map((p) => byId.get(p.to)?.jewel));
    assert.deepEqual([...jewels].sort(), ['cluster-admin', 'node', 'secrets']);
  });

  it('puts every node and edge at the line that creates it', () => {
    const lb = data.edges.find((e) => e.type === 'EXPOSED_LOADBALANCER' && e.to === 'service:shop/frontend')!;
    assert.deepEqual([lb.file, lb.line], ['examples/shop/frontend.yaml', 29], 'the `type: LoadBalancer` line');
    const ingress = data.edges.find((e) => e.type === 'NETWORK_INGRESS_BACKEND' && e.from === 'ingress:shop/shop')!;
    assert.deepEqual([ingress.file, ingress.line], ['examples/shop/ingress.yaml', 16], 'the backend service name');
    const frontend = byId.get('workload:shop/Deployment/frontend')!;
    assert.deepEqual([frontend.file, frontend.line], ['examples/shop/frontend.yaml', 2]);
    for (const n of data.nodes) if (n.id !== INTERNET_ID) assert.ok(n.file && n.line, `${n.id} has a place`);
    for (const e of data.edges) assert.ok(e.file && e.line, `${e.type} ${e.from} → ${e.to} has a place`);
  });

  it('draws Services, Ingresses and NetworkPolicies beside the attack graph', () => {
    const types = new Set(data.nodes.map((n) => n.type));
    for (const t of ['Internet', 'Service', 'Ingress', 'NetworkPolicy', 'Workload', 'ServiceAccount', 'Binding', 'ClusterRole']) assert.ok(types.has(t), t);
    assert.ok(data.edges.some((e) => e.type === 'NETWORK_POLICY' && e.from === 'networkpolicy:shop/default-deny'));
  });
});

describe('security map data: entry points and NetworkPolicies', () => {
  it('a LoadBalancer reaches its workload only on ports its NetworkPolicies let the Internet through', () => {
    const files = {
      'app.yaml': runsAs('web', 'ops', { app: 'web' }, 'deployer', 8080),
      'svc.yaml': service('web', 'ops', 'LoadBalancer', { app: 'web' }, 80, 8080),
      'rbac.yaml': ADMIN,
    };
    const open = mapOf(files);
    assert.deepEqual(
      pathTexts(open).filter((t) => t.startsWith('Internet')),
      ['Internet → Service/web (LoadBalancer) → Deployment/web → ServiceAccount ops/deployer → cluster-admin'],
    );
    const denied = mapOf({ ...files, 'deny.yaml': policy('deny', 'ops', 'podSelector: {}\npolicyTypes: [Ingress]') });
    assert.deepEqual(
      pathTexts(denied).filter((t) => t.startsWith('Internet')),
      [],
      'default deny: no entry',
    );
    assert.ok(
      denied.edges.some((e) => e.type === 'NETWORK_POLICY'),
      'the policy is drawn',
    );
    const cluster = mapOf({ ...files, 'np.yaml': policy('internal', 'ops', 'podSelector: {}\ningress:\n- from: [{ipBlock: {cidr: 10.0.0.0/8}}]') });
    assert.deepEqual(
      pathTexts(cluster).filter((t) => t.startsWith('Internet')),
      [],
      'only private addresses may connect',
    );
  });

  it('a hostNetwork workload with ports is an entry point; a ClusterIP Service is not', () => {
    const data = mapOf({
      'agent.yaml': runsAs('agent', 'ops', { app: 'agent' }, 'default', 9100, '      hostNetwork: true\n'),
      'internal.yaml': `${deploy('db', 'ops', { app: 'db' }, ['5432'])}---\n${service('db', 'ops', 'ClusterIP', { app: 'db' }, 5432, 5432)}`,
    });
    const texts = pathTexts(data).filter((t) => t.startsWith('Internet'));
    assert.deepEqual(texts, ['Internet → Deployment/agent']);
    const step = data.edges.find((e) => e.type === 'EXPOSED_HOST_NETWORK')!;
    assert.equal(step.line, 11, 'the hostNetwork line');
    assert.ok(data.edges.some((e) => e.type === 'NETWORK_SERVICE' && e.from === 'service:ops/db'));
  });
});

describe('security map data: lateral movement by the reachability engine', () => {
  const files = {
    'front.yaml': `${deploy('front', 'ops', { app: 'front' }, ['8080'])}---\n${service('front', 'ops', 'NodePort', { app: 'front' }, 80, 8080)}`,
    'admin.yaml': `${runsAs('admin', 'ops', { app: 'admin' }, 'deployer', 9000)}---\n${service('admin', 'ops', 'ClusterIP', { app: 'admin' }, 9000, 9000)}`,
    'rbac.yaml': ADMIN,
  };

  it('an exposed workload with no path of its own leads on to one it may connect to', () => {
    const data = mapOf(files);
    const texts = pathTexts(data);
    assert.ok(
      texts.includes('Internet → Service/front (NodePort) → Deployment/front → Deployment/admin → ServiceAccount ops/deployer → cluster-admin'),
      texts.join('\n'),
    );
    assert.ok(texts.includes('Deployment/front → Deployment/admin → ServiceAccount ops/deployer → cluster-admin'));
    const step = data.edges.find((e) => e.type === 'NETWORK_REACHES')!;
    assert.match(step.reason, /TCP 9000 .*Service ops\/admin/);
  });

  it('a NetworkPolicy that only admits others cuts the lateral step', () => {
    const only = policy(
      'admin-from-nobody',
      'ops',
      'podSelector: {matchLabels: {app: admin}}\ningress:\n- from: [{podSelector: {matchLabels: {app: ops-console}}}]',
    );
    const texts = pathTexts(mapOf({ ...files, 'np.yaml': only }));
    assert.ok(!texts.some((t) => t.includes('Deployment/front → Deployment/admin')), texts.join('\n'));
    assert.ok(texts.includes('Internet → Service/front (NodePort) → Deployment/front'), 'still exposed, going nowhere');
  });

  it('stops at its budget and says so', () => {
    assert.equal(mapOf(files, 0).truncated, true);
    assert.equal(mapOf(files).truncated, false);
  });
});

describe('security map data: 2,000 workloads', () => {
  // 40 namespaces of 50 workloads, each with a Service; one admin account in each namespace.
  const files: Record<string, string> = { 'rbac.yaml': ADMIN };
  for (let n = 0; n < 40; n++) {
    const ns = `team-${n}`;
    const docs: string[] = [];
    for (let w = 0; w < 50; w++) {
      const name = `app-${w}`;
      docs.push(w === 0 && n === 0 ? runsAs(name, ns, { app: name }, 'deployer', 8080) : deploy(name, ns, { app: name }, ['8080']));
      docs.push(service(name, ns, w === 1 ? 'LoadBalancer' : 'ClusterIP', { app: name }, 80, 8080));
    }
    files[`${ns}.yaml`] = docs.join('---\n');
  }
  // team-0/app-0 runs as team-0's deployer, bound to cluster-admin.
  files['rbac.yaml'] +=
    `---\n${sa('deployer', 'team-0')}---\n${clusterRoleBinding('team-admin', 'cluster-admin', '- {kind: ServiceAccount, name: deployer, namespace: team-0}')}`;
  const data = mapOf(files);

  it('builds the whole map: every workload, Service and entry point', () => {
    const count = (type: string) => data.nodes.filter((n) => n.type === type).length;
    assert.equal(count('Workload'), 2000);
    assert.equal(count('Service'), 2000);
    assert.equal(data.paths.filter((p) => p.from === INTERNET_ID).length, 40, 'one LoadBalancer per namespace');
    assert.equal(data.truncated, false);
    // With no NetworkPolicy every workload reaches team-0/app-0: 1,999 lateral paths and its own.
    assert.equal(data.paths.filter((p) => p.from !== INTERNET_ID && p.to === 'identity:cluster-admin').length, 2000);
  });

  it('draws collapsed namespaces: one node per namespace plus the Internet and the jewels', () => {
    assert.ok(data.nodes.length > AGGREGATE_ABOVE);
    const drawn = aggregate(data, applyFilter(data, NO_FILTER), new Set());
    const namespaces = drawn.nodes.filter((n) => n.type === 'Namespace');
    assert.equal(namespaces.length, 41, 'the 40 teams and ops (its deployer account)');
    assert.ok(drawn.nodes.length < 60, `${drawn.nodes.length} nodes drawn`);
    assert.ok(drawn.edges.length < 300, `${drawn.edges.length} edges drawn`);
    const expanded = aggregate(data, applyFilter(data, NO_FILTER), new Set(['team-3']));
    assert.equal(expanded.nodes.filter((n) => n.namespace === 'team-3' && n.type === 'Workload').length, 50);
  });
});

describe('bulkhead map', () => {
  it('parses its options', () => {
    assert.deepEqual(parseMapArgs(['a', '--out', 'r.html']), { command: 'map', paths: ['a'], format: 'html', out: 'r.html' });
    assert.deepEqual(parseMapArgs(['--format=json']), { command: 'map', paths: ['.'], format: 'json' });
    assert.throws(() => parseMapArgs(['--format', 'svg']), /must be one of html, json, dot/);
    assert.throws(() => parseMapArgs(['--frobnicate']), /unknown option/);
  });

  it('writes JSON and dot to stdout, and says when a path is missing', () => {
    let out = '';
    let err = '';
    const io = { cwd: REPO, stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
    assert.equal(runMap({ command: 'map', paths: ['examples/shop'], format: 'json' }, io), 0);
    const json = JSON.parse(out) as MapData;
    assert.deepEqual(Object.keys(json), ['nodes', 'edges', 'paths']);
    assert.ok(json.nodes.every((n) => !n.file || n.file.startsWith('examples/shop/')));
    const dot = formatMapDot(json);
    assert.match(dot, /^digraph bulkhead_map \{/);
    assert.match(dot, /subgraph cluster_\d+ \{\n {4}label="namespace shop";/);
    assert.match(dot, /"internet" -> "service:shop\/frontend" \[label="EXPOSED_LOADBALANCER", color="#1f77b4"/);
    assert.equal(runMap({ command: 'map', paths: ['no/such/dir'], format: 'json' }, io), 2);
    assert.match(err, /no such file or folder: no\/such\/dir/);
  });
});

describe('security map data: the same workload in two files', () => {
  it('draws it once, and every edge ends on a drawn node', () => {
    const files = {
      'a.yaml': runsAs('web', 'ops', { app: 'web' }, 'deployer', 80),
      'b.yaml': runsAs('web', 'ops', { app: 'web' }, 'deployer', 80).replace('name: c', 'name: other'),
      'rbac.yaml': ADMIN,
    };
    const data = mapOf(files);
    const ids = new Set(data.nodes.map((n) => n.id));
    assert.equal(data.nodes.filter((n) => n.id === 'workload:ops/Deployment/web').length, 1);
    for (const e of data.edges) assert.ok(ids.has(e.from) && ids.has(e.to), `${e.type} ${e.from} → ${e.to}`);
    assert.ok(!data.nodes.some((n) => n.type === 'Container'));
  });
});
