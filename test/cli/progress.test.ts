/**
 * Scan progress: which phases a scan reports (single-threaded and on worker threads), and how the
 * terminal line behaves (hidden for short scans, throttled, erased at the end).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerminalProgress, type ScanPhase } from '../../server/src/cli/progress';
import { runScan } from '../../server/src/cli/scan';
import { EXAMPLES, REPO_ROOT } from '../support/paths';

function record(jobs: number) {
  const calls: { phase: ScanPhase; done: number; total: number }[] = [];
  const report = runScan({ paths: [EXAMPLES], cwd: REPO_ROOT, jobs, onProgress: (phase, done, total) => calls.push({ phase, done, total }) });
  return { calls, report };
}

describe('scan progress', () => {
  it('one thread: reading, indexing and linting, each up to its total, in that order', () => {
    const { calls } = record(1);
    const phases = [...new Set(calls.map((c) => c.phase))];
    assert.deepEqual(phases, ['reading', 'indexing', 'linting']);
    for (const phase of phases) {
      const of = calls.filter((c) => c.phase === phase);
      assert.equal(of[of.length - 1].done, of[0].total, phase);
      assert.ok(
        of.every((c, i) => i === 0 || c.done >= of[i - 1].done),
        `${phase} never goes back`,
      );
    }
  });

  it('worker threads: linting reaches the total, and the report equals the single-threaded one', () => {
    const one = record(1);
    const two = record(2);
    const linting = two.calls.filter((c) => c.phase === 'linting');
    assert.ok(linting.length > 0);
    assert.equal(Math.max(...linting.map((c) => c.done)), linting[0].total);
    const brief = (r: typeof one.report) => r.files.map((f) => [f.display, f.result.findings.map((x) => `${x.ruleId}@${x.start}:${x.message}`)]);
    assert.deepEqual(brief(two.report), brief(one.report));
  });

  it('the terminal line: nothing for two seconds, then throttled, then erased', () => {
    let now = 0;
    const out: string[] = [];
    const p = new TerminalProgress(
      (s) => out.push(s),
      () => now,
    );
    p.update('linting', 1, 100);
    now = 1999;
    p.update('linting', 2, 100);
    assert.deepEqual(out, [], 'a short scan shows nothing');
    now = 2000;
    p.update('linting', 3, 100);
    now = 2050;
    p.update('linting', 4, 100);
    now = 2060;
    p.update('linting', 100, 100);
    assert.deepEqual(out, ['\r\u001b[Kbulkhead: linting 3/100 files', '\r\u001b[Kbulkhead: linting 100/100 files']);
    p.end();
    assert.equal(out[out.length - 1], '\r\u001b[K');
    const quiet: string[] = [];
    new TerminalProgress((s) => quiet.push(s)).end();
    assert.deepEqual(quiet, [], 'nothing to erase when nothing was shown');
  });
});
