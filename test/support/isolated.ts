/**
 * Runs a piece of code in a child process with a deadline. A hang in synchronous code (a regex that
 * backtracks exponentially) blocks the test runner's own timeouts, so regression tests for hangs
 * run the suspect call here and fail, instead of hanging the suite.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * `body` is the body of a function of `load` (which requires a compiled module by its path under
 * `out/`, e.g. `load('server/src/documents/yamlFile')`) and `input` (the JSON value given here);
 * what it returns must be JSON.
 */
export function runIsolated(body: string, input: unknown, deadlineMs: number): { finished: boolean; value?: unknown; ms: number; stderr?: string } {
  const outRoot = path.resolve(__dirname, '..', '..');
  const script = `const load = (m) => require(require('path').join(${JSON.stringify(outRoot)}, m));
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const v = ((load, input) => { ${body} })(load, input);
process.stdout.write(JSON.stringify(v === undefined ? null : v));`;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['-e', script], { input: JSON.stringify(input), encoding: 'utf8', timeout: deadlineMs, maxBuffer: 64 * 1024 * 1024 });
  const ms = Date.now() - started;
  if (r.status !== 0) return { finished: false, ms, stderr: r.stderr };
  return { finished: true, value: JSON.parse(r.stdout), ms };
}
