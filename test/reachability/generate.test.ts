/**
 * NetworkPolicy generation: intents read from the files, policies that allow exactly them (checked by
 * re-running the reachability engine on the workspace with the generated policies), on the examples
 * and on every chart of the corpus.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadNetworkWorkspace } from '../../server/src/node/networkWorkspace';
import { ReachabilityEngine } from '../../server/src/reachability/engine';
import { formatConnections } from '../../server/src/reachability/format';
import { applyPolicies, generatePolicies, GenerateOptions } from '../../server/src/reachability/generate';
import { addresses } from '../../server/src/reachability/intents';
import { buildSnapshot } from '../../server/src/reachability/network';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { deploy, indexOf } from './support';

const ROOT = path.resolve(__dirname, '../../..');
const CORPUS = process.env.BULKHEAD_CORPUS ?? path.resolve(ROOT, '../shared/corpus');

/** The connections the engine finds once the generated policies replace the workspace's own. */
function connectionsAfter(index: WorkspaceIndex, yaml: string, options: GenerateOptions = {}): string[] {
  const engine = new ReachabilityEngine(buildSnapshot(applyPolicies(index, yaml), options), options);
  return formatConnections(engine.connections(), 'text').split('\n').filter(Boolean);
}

function example(rel: string) {
  const loaded = loadNetworkWorkspace([path.join(ROOT, rel)], ROOT);
  const options = { namespaceOf: loaded.namespaceOf, chartOf: loaded.chartOf };
  return { loaded, options, result: generatePolicies(loaded.index, options) };
}

describe('intents: service addresses in text', () => {
  const hosts = (s: string) =>
    addresses(s).map(
      (a) =>
        `${a.host}${a.port ? `:${a.port}` : ''}${a.scheme ? ` (${a.scheme})` : ''}${a.runtimeHost ? ' runtime' : ''}${a.runtimePort ? ' runtime-port' : ''}`,
    );
  it('svc, svc.ns, svc.ns.svc, svc.ns.svc.cluster.local, schemes, ports, host:port pairs, userinfo and paths', () => {
    assert.deepEqual(hosts('redis'), ['redis']);
    assert.deepEqual(hosts('cart.shop:7070'), ['cart.shop:7070']);
    assert.deepEqual(hosts('http://metrics-prometheus.default:9090/'), ['metrics-prometheus.default:9090 (http)']);
    assert.deepEqual(hosts('postgres://u:p@db.data.svc.cluster.local:5432/app?ssl=1'), ['db.data.svc.cluster.local:5432 (postgres)']);
    assert.deepEqual(hosts('--broker=kafka.events.svc:9092 --verbose'), ['kafka.events.svc:9092']);
    assert.deepEqual(hosts('a:1,b:2'), ['a:1', 'b:2']);
  });
  it('hosts and ports built at run time are flagged, not guessed', () => {
    assert.deepEqual(hosts('http://$(API_HOST):8080'), ['$(api_host):8080 (http) runtime']);
    assert.deepEqual(hosts('api:${PORT}'), ['api runtime-port']);
  });
  it('ignores what is not an address', () => {
    assert.deepEqual(hosts('/var/lib/data'), []);
    assert.deepEqual(hosts('key: 3.5s'), ['3.5s'], 'a word is a candidate...');
    assert.ok(
      addresses('key: 3.5s').every((a) => !a.whole),
      '...that counts only as a whole env value (see the intents)',
    );
  });
});

describe('generation on the examples', () => {
  it('bookstore (several files, one namespace): every intent allowed, nothing else', () => {
    const { loaded, options, result } = example('examples/netpol/bookstore');
    assert.deepEqual(result.verification, { ok: true, problems: [] });
    assert.deepEqual(connectionsAfter(loaded.index, result.yaml, options), [
      'bookstore/api[Deployment] => 0.0.0.0-255.255.255.255 : TCP 443',
      'bookstore/api[Deployment] => bookstore/cache[Deployment] : TCP 6379',
      'bookstore/api[Deployment] => bookstore/db[StatefulSet] : TCP 5432',
      'bookstore/report[CronJob] => 0.0.0.0-255.255.255.255 : TCP 443,6443',
      'bookstore/report[CronJob] => bookstore/db[StatefulSet] : TCP 5432',
      'bookstore/web[Deployment] => bookstore/api[Deployment] : TCP 8080',
      '{ingress-controller} => bookstore/web[Deployment] : TCP 8080',
    ]);
    assert.deepEqual(result.unresolved, [
      'bookstore/api[Deployment]: env SEARCH_URL of container "api" "http://$(SEARCH_HOST):9200": the host is built at run time',
    ]);
    assert.match(result.yaml, /# UNRESOLVED \(not allowed\): bookstore\/api\[Deployment\]: env SEARCH_URL/);
    assert.deepEqual(result.stats, { before: 20, after: 4 });
    // Named target ports stay names; every rule says which intent produced it.
    assert.match(
      result.yaml,
      /# from bookstore\/api\[Deployment\]: env DATABASE_URL of container "api" "postgres:\/\/books@db\.bookstore\.svc\.cluster\.local:5432\/books"\n  - from:\n    - podSelector:\n        matchLabels:\n          app: api\n          tier: back\n    ports:\n    - \{protocol: TCP, port: postgres\}/,
    );
    assert.match(result.yaml, /# to the API server \(0\.0\.0\.0\/0\): its service account report is bound to a role by RoleBinding\/report-reads-pods/);
  });

  it('storefront (a chart with a dependency): the edge to the subchart, from rendered values', () => {
    const { loaded, options, result } = example('examples/helm/storefront');
    assert.deepEqual(result.verification, { ok: true, problems: [] });
    assert.deepEqual(connectionsAfter(loaded.index, result.yaml, options), [
      'default/release-name-storefront[Deployment] => default/release-name-cache[Deployment] : TCP 6379',
      '{ingress-controller} => default/release-name-storefront[Deployment] : TCP 8000',
    ]);
    assert.match(result.yaml, /\(chart storefront -> chart storefront\/charts\/cache\)/);
    assert.deepEqual(result.unresolved, []);
  });

  it('the generated file parses and replaces the workspace policies (the shop example has its own)', () => {
    const { loaded, options, result } = example('examples/shop');
    assert.equal(result.verification.ok, true, result.verification.problems.join('\n'));
    assert.ok(
      !connectionsAfter(loaded.index, result.yaml, options).some((l) => l.includes('payments/payments[Deployment] => shop/')),
      'the open payments namespace is closed too',
    );
  });
});

describe('generation: selectors and peers', () => {
  const svc = (name: string, ns: string, selector: string, port: string) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: ${selector}\n  ports: [${port}]\n`;
  const withEnv = (text: string, value: string) => text.replace('ports: []}]', `ports: [], env: [{name: TARGET, value: "${value}"}]}]`);

  it('a look-alike workload with more labels is excluded with DoesNotExist; another namespace through its name label', () => {
    const index = indexOf({
      'api.yaml': deploy('api', 'a', { app: 'api' }, ['http:8080']),
      'api-canary.yaml': deploy('api-canary', 'a', { app: 'api', track: 'canary' }, ['http:8080']),
      'svc.yaml': svc('api', 'a', '{app: api, track: canary}', '{port: 80, targetPort: http}'),
      'client.yaml': withEnv(deploy('client', 'b', { app: 'client' }), 'http://api.a'),
    });
    const result = generatePolicies(index);
    assert.deepEqual(result.verification, { ok: true, problems: [] });
    assert.match(result.yaml, /podSelector:\n    matchLabels:\n      app: api\n    matchExpressions:\n    - \{key: track, operator: DoesNotExist\}/);
    assert.deepEqual(
      connectionsAfter(index, result.yaml).filter((l) => !l.startsWith('0.0.0.0')),
      ['b/client[Deployment] => a/api-canary[Deployment] : TCP 8080'],
    );
    assert.match(
      result.yaml,
      /- namespaceSelector:\n        matchLabels: \{kubernetes.io\/metadata.name: b\}\n      podSelector:\n        matchLabels:\n          app: client/,
    );
  });

  it('an address-like env variable from a ConfigMap key the files do not set is reported: the program default is unknown', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: params, namespace: a}\ndata: {other: x}\n';
    const app = deploy('app', 'a', { app: 'app' }).replace(
      'ports: []}]',
      'ports: [], env: [{name: REPO_SERVER, valueFrom: {configMapKeyRef: {name: params, key: repo.server, optional: true}}}, {name: REPO_SERVER_PLAINTEXT, valueFrom: {configMapKeyRef: {name: params, key: plain, optional: true}}}]}]',
    );
    const result = generatePolicies(indexOf({ 'cm.yaml': cm, 'app.yaml': app }));
    assert.deepEqual(result.unresolved, [
      'a/app[Deployment]: env REPO_SERVER of container "c" reads key repo.server of ConfigMap params, which the workspace does not set: the address the program uses by default is not known',
    ]);
  });

  it('a scheme named like an Object property is just a scheme (own properties only)', () => {
    const index = indexOf({
      'db.yaml': deploy('db', 'a', { app: 'db' }, ['sql:5432', 'admin:9000']),
      'svc.yaml': svc('db', 'a', '{app: db}', '{name: sql, port: 5432, targetPort: sql}, {name: admin, port: 9000}'),
      'c.yaml': withEnv(deploy('c', 'a', { app: 'c' }), 'constructor://db'),
    });
    const result = generatePolicies(index);
    assert.equal(result.verification.ok, true);
    assert.deepEqual(
      connectionsAfter(index, result.yaml).filter((l) => l.includes('=> a/db')),
      ['a/c[Deployment] => a/db[Deployment] : TCP 5432,9000'],
    );
  });

  it('a Service port the address does not name is not opened; an unknown port is reported', () => {
    const index = indexOf({
      'db.yaml': deploy('db', 'a', { app: 'db' }, ['sql:5432', 'admin:9000']),
      'svc.yaml': svc('db', 'a', '{app: db}', '{name: sql, port: 5432, targetPort: sql}, {name: admin, port: 9000}'),
      'c1.yaml': withEnv(deploy('c1', 'a', { app: 'c1' }), 'db:5432'),
      'c2.yaml': withEnv(deploy('c2', 'a', { app: 'c2' }), 'db:6000'),
    });
    const result = generatePolicies(index);
    assert.equal(result.verification.ok, true);
    assert.deepEqual(
      connectionsAfter(index, result.yaml).filter((l) => l.includes('=> a/db')),
      ['a/c1[Deployment] => a/db[Deployment] : TCP 5432'],
    );
    assert.deepEqual(result.unresolved, ['a/c2[Deployment]: env TARGET of container "c" "db:6000": Service a/db has no port 6000']);
  });
});

describe('generation on every chart of the corpus', { skip: !fs.existsSync(CORPUS) && 'corpus not found' }, () => {
  const charts = fs.existsSync(CORPUS)
    ? fs
        .readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
        .filter((f) => path.basename(f) === 'Chart.yaml')
        .map((f) => path.dirname(path.join(CORPUS, f)))
        // Subcharts are rendered with their parent.
        .filter((dir) => !(path.basename(path.dirname(dir)) === 'charts' && fs.existsSync(path.join(path.dirname(path.dirname(dir)), 'Chart.yaml'))))
        .sort()
    : [];
  for (const chart of charts) {
    it(path.relative(CORPUS, chart), () => {
      const loaded = loadNetworkWorkspace([chart], ROOT);
      const result = generatePolicies(loaded.index, { namespaceOf: loaded.namespaceOf, chartOf: loaded.chartOf });
      assert.deepEqual(result.verification.problems, []);
      assert.ok(result.stats.after <= result.stats.before);
    });
  }
});
