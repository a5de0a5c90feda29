/**
 * `bulkhead scan --timing`: the phases and the slowest rules on stderr, through the real bin script,
 * and the table's own arithmetic on known times.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { DOCKERFILE_MODEL_TIME } from '../../server/src/engine/engine';
import { formatTiming, ScanTiming } from '../../server/src/cli/scanTiming';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

function bulkhead(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const workspaces: string[] = [];
after(() => workspaces.forEach(removeWorkspace));

describe('bulkhead scan --timing', () => {
  it('prints the phases, the Dockerfile models and the rules that ran, on stderr only', () => {
    const root = tempWorkspace({
      Dockerfile: 'FROM debian:12\nRUN curl -sSL https://example.com/install.sh | sh\nUSER root\n',
      'pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n',
    });
    workspaces.push(root);
    const plain = bulkhead(['scan', '.', '--format', 'json'], root);
    const timed = bulkhead(['scan', '.', '--format', 'json', '--timing'], root);
    assert.equal(timed.status, plain.status);
    // The report itself is unchanged: the timing goes to stderr.
    assert.deepEqual(JSON.parse(timed.stdout).findings, JSON.parse(plain.stdout).findings);
    assert.equal(plain.stderr, '');
    assert.match(timed.stderr, /^Timing \(one thread/m);
    assert.match(timed.stderr, /^ {2}reading +\d+\.\d ms {2}2 files$/m);
    assert.match(timed.stderr, /^ {2}indexing +\d+\.\d ms/m);
    assert.match(timed.stderr, /^ {2}linting +\d+\.\d ms {2}rules \d+\.\d ms/m);
    assert.match(timed.stderr, /^ {2}Dockerfile models \(parse and indexes, mostly while indexing\): \d+\.\d ms$/m);
    // Rules of both languages that ran are listed (with this few, all of them by name).
    assert.match(timed.stderr, /^ {2}dockerfile-curl-pipe-shell +\d+\.\d ms +\d+\.\d %$/m);
    assert.match(timed.stderr, /^ {2}privileged-container +\d+\.\d ms +\d+\.\d %$/m);
  });

  it('is a flag of scan only', () => {
    const root = tempWorkspace({});
    workspaces.push(root);
    assert.equal(bulkhead(['rules', '--timing'], root).status, 2);
  });
});

describe('formatTiming', () => {
  it('sorts rules slowest first, shares add up to the rules total, the rest summed on one line', () => {
    const timing = new ScanTiming();
    timing.files = 1;
    timing.phases.set('reading', 1);
    timing.phases.set('indexing', 2);
    timing.phases.set('linting', 40);
    timing.rules.set(DOCKERFILE_MODEL_TIME, 5);
    for (let i = 1; i <= 17; i++) timing.rules.set(`rule-${String(i).padStart(2, '0')}`, i);
    const out = formatTiming(timing);
    const rows = out.split('\n').filter((l) => /^ {2}rule-\d\d/.test(l));
    assert.equal(rows.length, 15);
    assert.match(rows[0], /^ {2}rule-17 +17\.0 ms +11\.1 %$/);
    assert.match(rows[14], /^ {2}rule-03 +3\.0 ms/);
    // 1 + 2 = 3 ms of 153 ms: 2.0 %.
    assert.match(out, /^ {2}2 other rules +3\.0 ms +2\.0 %$/m);
    assert.match(out, /^ {2}reading +1\.0 ms {2}1 file$/m);
    assert.match(out, /rules 153\.0 ms/);
    assert.match(out, /Dockerfile models \(parse and indexes, mostly while indexing\): 5\.0 ms/);
    assert.doesNotMatch(out, /\(dockerfile model\)/);
  });

  it('prints the phases alone when no rule ran', () => {
    const out = formatTiming(new ScanTiming());
    assert.match(out, /^ {2}reading +0\.0 ms {2}0 files$/m);
    assert.doesNotMatch(out, /Slowest rules/);
  });
});
