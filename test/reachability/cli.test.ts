/** `bulkhead connectivity` and `bulkhead netpol generate` through the real bin script. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

function bulkhead(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bulkhead connectivity', () => {
  it('text: sorted lines in netpol-analyzer notation; open namespaces noted on stderr', () => {
    const r = bulkhead(['connectivity', 'examples/shop']);
    assert.equal(r.status, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines, [...lines].sort());
    assert.ok(lines.includes('{ingress-controller} => shop/frontend[Deployment] : TCP 8080'));
    assert.ok(lines.includes('shop/frontend[Deployment] => shop/checkout[Deployment] : TCP 80'), 'the policy names port 80; the engine reports what it allows');
    assert.ok(lines.includes('0.0.0.0-255.255.255.255 => payments/payments[Deployment] : All Connections'));
    assert.match(r.stderr, /namespace payments has no NetworkPolicy: its workloads are reachable from everything and reach everything/);
  });

  it("json is an array of {src, dst, conn}; --focus-workload keeps one workload's lines", () => {
    const r = bulkhead(['connectivity', 'examples/shop', '--format', 'json', '--focus-workload', 'shop/checkout']);
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), [
      { src: 'shop/checkout[Deployment]', dst: '0.0.0.0-255.255.255.255', conn: 'All Connections' },
      { src: 'shop/checkout[Deployment]', dst: 'payments/payments[Deployment]', conn: 'All Connections' },
      { src: 'shop/checkout[Deployment]', dst: 'shop/frontend[Deployment]', conn: 'TCP 8080' },
      { src: 'shop/frontend[Deployment]', dst: 'shop/checkout[Deployment]', conn: 'TCP 80' },
    ]);
  });

  it('md, csv and dot', () => {
    const args = ['connectivity', 'examples/shop', '--focus-workload', 'checkout', '--format'];
    assert.match(
      bulkhead([...args, 'md']).stdout,
      /^\| src \| dst \| conn \|\n\|-----\|-----\|------\|\n\| shop\/checkout\[Deployment\] \| 0\.0\.0\.0-255\.255\.255\.255 \| All Connections \|/,
    );
    assert.match(bulkhead([...args, 'csv']).stdout, /^src,dst,conn\nshop\/checkout\[Deployment\],0\.0\.0\.0-255\.255\.255\.255,All Connections\n/);
    assert.match(
      bulkhead([...args, 'dot']).stdout,
      /^digraph \{\n[\s\S]*\t"shop\/frontend\[Deployment\]" -> "shop\/checkout\[Deployment\]" \[label="TCP 80"\]\n\}\n$/,
    );
  });

  it('usage errors exit 2', () => {
    assert.equal(bulkhead(['connectivity', 'examples/shop', '--format', 'xml']).status, 2);
    assert.equal(bulkhead(['connectivity', 'examples/shop', '--focus-workload', 'nope']).status, 2);
    assert.equal(bulkhead(['connectivity', 'no/such/folder']).status, 2);
    assert.equal(bulkhead(['netpol']).status, 2);
    assert.equal(bulkhead(['netpol', 'generate']).status, 2);
  });
});

describe('bulkhead netpol generate', () => {
  it('--out writes the file, --stats prints before and after; the file lints clean of policy findings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-netpol-'));
    try {
      const out = path.join(dir, 'policies.yaml');
      const r = bulkhead(['netpol', 'generate', 'examples/helm/storefront', '--out', out, '--stats']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        /wrote 3 NetworkPolicies to .*policies\.yaml\npod-to-pod connections: 2 before, 1 after \(50\.00 % fewer\); 4 intents, all allowed: yes\n$/,
      );
      const scan = bulkhead(['scan', out, '--format', 'json', '--profile', 'all', '--fail-on', 'never']);
      const findings = (JSON.parse(scan.stdout) as { findings: { ruleId: string }[] }).findings;
      assert.deepEqual(
        findings.map((f) => f.ruleId),
        [],
        'generated policies trip no rule',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
