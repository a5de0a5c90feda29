/**
 * `bulkhead scan` of the corpus on 1, 2 and all cores (`runScan` with `jobs`, as the CLI runs it, report
 * building included, printing excluded). Prints wall time, the speedup over one thread and the
 * efficiency (speedup / threads); each figure is the best of two rounds, rounds alternating thread
 * counts so machine load drifts over all of them alike. CPU time is the whole process's (all threads):
 * its growth over one thread is the work every thread repeats (the index pass over all files; see
 * server/src/cli/parallelLint.ts) and the workers' start-up.
 *
 * BULKHEAD_BASELINE_CLI=/path/to/other/dist/cli.js also times that build's single-threaded CLI and
 * this build's `--jobs 1` as processes, the same way, to show one thread is not slower than before
 * (e.g. a build of the commit before a change: `git archive REF | tar -x -C /tmp/base`, link
 * node_modules, `node build.mjs` there).
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScan } from '../server/src/cli/scan';

interface Timing {
  wallMs: number;
  cpuMs: number;
  findings: number;
}

function timeScan(corpus: string, jobs: number): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const report = runScan({ paths: [corpus], cwd: path.dirname(corpus), jobs });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, findings: report.files.reduce((n, f) => n + f.result.findings.length, 0) };
}

function timeProcess(cli: string, args: string[]): number {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function parallelScanBench(root: string, corpus: string): void {
  const cores = os.availableParallelism();
  const counts = [...new Set([1, 2, cores])];
  const best = new Map<number, Timing>();
  for (let round = 0; round < 2; round++) {
    for (const jobs of round % 2 ? [...counts].reverse() : counts) {
      const t = timeScan(corpus, jobs);
      const prev = best.get(jobs);
      if (prev && prev.findings !== t.findings) throw new Error(`--jobs ${jobs} found ${t.findings} findings, another round ${prev.findings}`);
      if (!prev || t.wallMs < prev.wallMs) best.set(jobs, t);
    }
  }
  const one = best.get(1)!;
  for (const [jobs, t] of best) {
    if (t.findings !== one.findings) throw new Error(`--jobs ${jobs} found ${t.findings} findings, --jobs 1 ${one.findings}`);
  }
  console.log(`Scan on every core: bulkhead scan of the corpus, ${one.findings} findings, this machine has ${cores} cores (best of 2 rounds)`);
  for (const jobs of counts) {
    const t = best.get(jobs)!;
    const speedup = one.wallMs / t.wallMs;
    console.log(
      `  ${String(jobs).padStart(2)} thread${jobs === 1 ? ' ' : 's'}: ${t.wallMs.toFixed(0).padStart(6)} ms wall   speedup ${speedup.toFixed(2)}x   efficiency ${((speedup / jobs) * 100).toFixed(0)}%   CPU ${t.cpuMs.toFixed(0)} ms (${(t.cpuMs / one.cpuMs).toFixed(2)}x one thread's)`,
    );
  }
  const baseline = process.env.BULKHEAD_BASELINE_CLI;
  if (!baseline) console.log('  one thread vs a previous build: set BULKHEAD_BASELINE_CLI to its dist/cli.js');
  if (baseline) {
    const args = ['scan', corpus, '--format', 'json', '--fail-on', 'never'];
    const times = { before: [] as number[], now: [] as number[] };
    for (let round = 0; round < 3; round++) {
      times.before.push(timeProcess(path.resolve(baseline), args));
      times.now.push(timeProcess(path.join(root, 'dist/cli.js'), [...args, '--jobs', '1']));
    }
    const min = (v: number[]) => Math.min(...v);
    console.log(
      `  one thread vs ${baseline}: ${min(times.now).toFixed(0)} ms vs ${min(times.before).toFixed(0)} ms (ratio ${(min(times.now) / min(times.before)).toFixed(2)}, best of 3 processes)`,
    );
  }
}
