/** `bulkhead paths` over the examples and small workspaces: text, the JSON contract, dot, --from, --to. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

function bulkhead(args: string[], cwd = REPO_ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface PathsJson {
  nodes: { id: string; type: string; namespace: string | null; name: string; file: string | null; line: number | null }[];
  edges: { type: string; from: string; to: string; reason: string }[];
  paths: { from: string; to: string; edges: number[] }[];
}

const workspaces: string[] = [];
after(() => workspaces.forEach(removeWorkspace));

describe('bulkhead paths', () => {
  it("prints the examples' two-step paths to node root and cluster-admin, with files and lines", () => {
    const r = bulkhead(['paths', 'examples/rbac']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /Deployment\/ci-runner \(namespace build\)  examples\/rbac\/ci-runner\.yaml:16\n  → node root: any node \(a privileged pod created in namespace build\), in 2 steps\n  1\. IDENTITY_ASSUME +ServiceAccount build\/ci-runner  examples\/rbac\/ci-runner\.yaml:27\n/,
    );
    assert.match(r.stdout, /2\. POD_CREATE .*examples\/rbac\/ci-runner\.yaml:43\n/);
    assert.match(
      r.stdout,
      /Deployment\/ops-bot \(namespace ops\).*\n  → cluster-admin, in 2 steps\n(.*\n){2}  2\. PERMISSION_DISCOVER +cluster-admin  examples\/rbac\/bindings\.yaml:24\n/,
    );
    assert.match(r.stdout, /2 workloads with a path to a crown jewel\.\n$/);
  });

  it('prints the JSON contract: nodes, edges and paths whose edge indexes chain', () => {
    const r = bulkhead(['paths', 'examples/rbac', '--format', 'json']);
    const out = JSON.parse(r.stdout) as PathsJson;
    assert.deepEqual(Object.keys(out), ['nodes', 'edges', 'paths']);
    for (const n of out.nodes) {
      assert.deepEqual(Object.keys(n).slice(0, 6), ['id', 'type', 'namespace', 'name', 'file', 'line']);
      assert.ok(['Workload', 'Container', 'ServiceAccount', 'Role', 'ClusterRole', 'Binding', 'Node', 'Secret', 'Identity'].includes(n.type), n.type);
    }
    for (const e of out.edges) assert.deepEqual(Object.keys(e).slice(0, 4), ['type', 'from', 'to', 'reason']);
    const ids = new Set(out.nodes.map((n) => n.id));
    assert.equal(out.paths.length, 2);
    for (const p of out.paths) {
      let at = p.from;
      for (const i of p.edges) {
        assert.equal(out.edges[i].from, at);
        at = out.edges[i].to;
      }
      assert.equal(at, p.to);
      assert.ok(ids.has(p.from) && ids.has(p.to));
    }
    assert.ok(out.paths.some((p) => p.to === 'identity:cluster-admin' && p.from === 'container:ops/Deployment/ops-bot/bot'));
    // Stable ids: the same input gives the same output.
    assert.equal(bulkhead(['paths', 'examples/rbac', '--format', 'json']).stdout, r.stdout);
  });

  it('--to and --from filter; dot draws the path', () => {
    const admin = bulkhead(['paths', 'examples/rbac', '--to', 'cluster-admin']);
    assert.match(admin.stdout, /ops-bot/);
    assert.doesNotMatch(admin.stdout, /ci-runner/);
    const from = bulkhead(['paths', 'examples/rbac', '--from', 'build/Deployment/ci-runner', '--format', 'dot']);
    assert.match(from.stdout, /^digraph bulkhead_paths \{\n/);
    assert.match(from.stdout, /"sa:build\/ci-runner" -> "node:ns:build" \[label="POD_CREATE"\];/);
    assert.doesNotMatch(from.stdout, /ops-bot/);
    assert.equal(bulkhead(['paths', 'examples/rbac', '--to', 'everything']).status, 2);
    assert.equal(bulkhead(['scan', 'examples/rbac', '--to', 'node']).status, 2);
    const missing = bulkhead(['paths', 'no-such-folder']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /no such file or folder: no-such-folder/);
  });

  it('follows lateral steps the editor does not: exec into another workload, ENDPOINT_EXPLOIT to an exposed one', () => {
    const root = tempWorkspace({
      'app.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: front\n  namespace: shop\n  labels: {app: front}\nspec:\n  containers:\n  - name: front\n    image: example/front:1\n' +
        '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  namespace: shop\n  labels: {app: agent}\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: agent\n    image: example/agent:1\n    ports: [{containerPort: 9100}]\n    securityContext: {privileged: true}\n' +
        '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: agent\n  namespace: shop\nspec:\n  selector: {app: agent}\n  ports: [{port: 9100}]\n',
    });
    workspaces.push(root);
    const r = bulkhead(['paths', '.', '--from', 'front', '--format', 'json'], root);
    const out = JSON.parse(r.stdout) as PathsJson;
    assert.equal(out.paths.length, 1);
    assert.deepEqual(
      out.paths[0].edges.map((i) => out.edges[i].type),
      ['ENDPOINT_EXPLOIT', 'CE_PRIV_MOUNT'],
    );
  });
});
