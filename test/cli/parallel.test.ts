/**
 * `bulkhead scan --jobs N`: the same report, byte for byte and in the same order, on any number of
 * threads, for a workspace whose findings depend on other files (namespaces, policies, Services and
 * the pods they select, Dockerfiles and the manifests deploying their images).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { balance } from '../../server/src/cli/parallelScan';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');
function bulkhead(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120000,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Files that only make sense together: each app's Deployment, Service and policy in separate files. */
function crossFileWorkspace(apps: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < apps; i++) {
    const ns = `team-${i % 5}`;
    files[`ns/${ns}.yaml`] =
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    pod-security.kubernetes.io/enforce: ${i % 2 ? 'restricted' : 'baseline'}\n`;
    files[`apps/app${i}/deploy.yaml`] =
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: app${i}\n  template:\n    metadata:\n      labels:\n        app: app${i}\n    spec:\n      containers:\n        - name: web\n          image: registry.example/app${i}:1.${i}\n          ports:\n            - containerPort: ${8000 + (i % 3)}\n          securityContext:\n            privileged: ${i % 4 === 0}\n`;
    files[`apps/app${i}/service.yaml`] =
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: app${i}\n  namespace: ${ns}\nspec:\n  type: ${i % 6 === 0 ? 'LoadBalancer' : 'ClusterIP'}\n  selector:\n    app: app${i % 7 === 3 ? 'missing' : i}\n  ports:\n    - port: 80\n      targetPort: ${8000 + (i % 4)}\n`;
    if (i % 3 === 0) {
      files[`apps/app${i}/policy.yaml`] =
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: app${i}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: app${i + 1}\n  ingress:\n    - ports:\n        - port: ${8000 + (i % 2)}\n`;
    }
    files[`apps/app${i}/Dockerfile`] = `FROM golang:1.22\nEXPOSE ${8000 + (i % 5)}\n${i % 2 ? 'USER 65532\n' : ''}CMD ["/app"]\n`;
  }
  return files;
}

describe('bulkhead scan --jobs', () => {
  const root = tempWorkspace(crossFileWorkspace(30));
  after(() => removeWorkspace(root));

  // Every format on 3 threads (an uneven split); JSON on 2 as well.
  for (const [format, counts] of [
    ['json', ['2', '3']],
    ['sarif', ['3']],
    ['text', ['3']],
  ] as const) {
    it(`--format ${format}: identical on 1 and ${counts.join(' and ')} threads`, () => {
      const one = bulkhead(['scan', '.', '--profile', 'all', '--format', format, '--jobs', '1'], root);
      assert.equal(one.status, 1, one.stderr);
      assert.ok(one.stdout.length > 1000);
      for (const jobs of counts) {
        const many = bulkhead(['scan', '.', '--profile', 'all', '--format', format, '--jobs', jobs], root);
        assert.equal(many.stderr, '', 'no worker fell back to the main thread');
        assert.equal(many.status, one.status);
        assert.equal(many.stdout, one.stdout, `--jobs ${jobs}`);
      }
    });
  }

  it('the workspace really has cross-file findings (the test is not trivially equal)', () => {
    const out = JSON.parse(bulkhead(['scan', '.', '--profile', 'all', '--format', 'json', '--jobs', '2'], root).stdout) as {
      findings: { ruleId: string; related?: unknown[] }[];
    };
    assert.ok(out.findings.filter((f) => f.related?.length).length > 10);
    const rules = new Set(out.findings.map((f) => f.ruleId));
    for (const id of ['pod-security-admission-rejects', 'privileged-container', 'dockerfile-runs-as-root']) assert.ok(rules.has(id), id);
  });

  it('examples: identical on 1 and 4 threads, with --fail-on and exit codes', () => {
    const one = bulkhead(['scan', 'examples', '--format', 'json', '--jobs', '1'], REPO_ROOT);
    const four = bulkhead(['scan', 'examples', '--format', 'json', '--jobs', '4'], REPO_ROOT);
    assert.equal(four.stdout, one.stdout);
    assert.equal(four.status, one.status);
  });

  it('rejects a bad --jobs', () => {
    assert.equal(bulkhead(['scan', '.', '--jobs', '0'], root).status, 2);
    assert.equal(bulkhead(['scan', '.', '--jobs', 'many'], root).status, 2);
  });
});

describe('balance', () => {
  it('puts every file in exactly one share, largest first to the least loaded, deterministically', () => {
    const files = Array.from({ length: 50 }, (_, i) => ({ path: `f${i}`, text: 'x'.repeat((i * 7919) % 1000) }));
    const shares = balance(files, 3);
    assert.deepEqual(
      shares.flat().sort((a, b) => a - b),
      files.map((_, i) => i),
    );
    const loads = shares.map((s) => s.reduce((n, i) => n + files[i].text.length, 0));
    assert.ok(Math.max(...loads) - Math.min(...loads) <= 1000, String(loads));
    assert.deepEqual(balance(files, 3), shares);
  });
});
