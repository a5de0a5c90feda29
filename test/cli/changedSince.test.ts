/**
 * `bulkhead scan --changed-since REF` in a real git repository: the changed files are reported, and
 * the files whose cross-file findings they affect, and nothing else.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

const deployment = (name: string, ns: string, port: number, privileged = false) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: c\n          image: registry.example/${name}:1.0\n          ports:\n            - containerPort: ${port}\n          securityContext:\n            privileged: ${privileged}\n`;
const service = (name: string, ns: string, targetPort: number) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n      targetPort: ${targetPort}\n`;

function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}
const filesOf = (stdout: string) => [...new Set((JSON.parse(stdout) as { findings: { file: string }[] }).findings.map((f) => f.file))].sort();

describe('bulkhead scan --changed-since', () => {
  let root: string;
  before(() => {
    root = tempWorkspace({
      'shop/web.yaml': deployment('web', 'shop', 8080),
      'shop/web-svc.yaml': service('web', 'shop', 8080),
      'shop/cart.yaml': deployment('cart', 'shop', 9090),
      'billing/api.yaml': deployment('api', 'billing', 7070, true),
      'billing/api-svc.yaml': service('api', 'billing', 7070),
    });
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'base');
  });
  after(() => removeWorkspace(root));

  it('nothing changed: nothing reported, exit 0, though the tree has findings', () => {
    const all = run(root, ['scan', '.', '--format', 'json', '--profile', 'all']);
    assert.ok(filesOf(all.stdout).length >= 3);
    const r = run(root, ['scan', '.', '--format', 'json', '--profile', 'all', '--changed-since', 'HEAD']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(filesOf(r.stdout), []);
  });

  it('a changed Deployment: it and the Service that selects it, not the other namespace', () => {
    fs.writeFileSync(path.join(root, 'shop/web.yaml'), deployment('web', 'shop', 8081, true));
    const r = run(root, ['scan', '.', '--format', 'json', '--profile', 'all', '--changed-since', 'HEAD']);
    assert.equal(r.status, 1);
    const files = filesOf(r.stdout);
    assert.ok(files.includes('shop/web.yaml'));
    assert.ok(files.includes('shop/web-svc.yaml'), 'the Service now targets a port its pods do not declare');
    assert.ok(!files.some((f) => f.startsWith('billing/')), files.join(', '));
    const svc = (JSON.parse(r.stdout) as { findings: { file: string; ruleId: string }[] }).findings.filter((f) => f.file === 'shop/web-svc.yaml');
    assert.ok(svc.some((f) => f.ruleId === 'service-target-port-undeclared'));
  });

  it('an untracked file counts as changed; a bad ref is a usage error', () => {
    fs.writeFileSync(path.join(root, 'billing/new.yaml'), deployment('new', 'billing', 6060, true));
    const r = run(root, ['scan', '.', '--format', 'json', '--changed-since', 'HEAD']);
    assert.ok(filesOf(r.stdout).includes('billing/new.yaml'));
    assert.ok(!filesOf(r.stdout).includes('billing/api.yaml'));
    const bad = run(root, ['scan', '.', '--changed-since', 'no-such-ref']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--changed-since: git diff failed/);
  });

  it('a deleted file: every file that reads across files is reported (its contributions are unknown)', () => {
    git(root, 'add', '.');
    git(root, 'commit', '-q', '-m', 'more');
    fs.rmSync(path.join(root, 'shop/cart.yaml'));
    const r = run(root, ['scan', '.', '--format', 'json', '--profile', 'all', '--changed-since', 'HEAD']);
    assert.ok(filesOf(r.stdout).includes('shop/web-svc.yaml'));
  });
});
