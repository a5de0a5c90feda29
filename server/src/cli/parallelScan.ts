/**
 * `bulkhead scan` over several threads. The main thread reads every file once (as a single-threaded
 * scan does) and sends every worker all the texts and the indexes of its share. Each thread, the main
 * one included, builds the workspace index of all files (the index-only pass) and lints its share
 * whole against it (see parallelLint.ts). Results are merged and returned in file order, so the report
 * is identical to a single-threaded one.
 *
 * The main thread waits synchronously (Atomics.wait + receiveMessageOnPort), which keeps
 * `runScan` synchronous. A worker that fails, or stops making progress for a minute, is replaced by
 * the main thread linting its share against its own index: the report stays complete and identical.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { LintResult } from '../engine/engine';
import { chartDetector, helmChartLoader, realRoots } from '../node/files';
import { workspaceFileReader } from '../node/workspaceFiles';
import type { CliConfigs } from './configs';
import { buildIndex, fromWire, lintShare, type ScanThread, type ShareOptions, type SharedFile, type WireResult } from './parallelLint';
import type { ProgressCallback } from './progress';
import type { WorkerInput } from './scanWorker';

/** Next to this module: dist/scanWorker.js beside the bundles, out/.../cli/scanWorker.js beside the compiled tests. */
const WORKER_FILE = path.join(__dirname, 'scanWorker.js');
const STALL_MS = 60_000;
/** Below these, starting threads costs more than it saves. */
const MIN_FILES = 200;
const MIN_CHARS = 2 * 1024 * 1024;
const MAX_AUTO_JOBS = 8;
/**
 * Every thread repeats the index pass (about a third of a scan), so on two cores (the main thread and
 * one worker) a scan gains little and loses when other processes share the cores: automatic mode starts
 * workers only from 4 cores. `--jobs N` always applies; bench/parallelScan.ts prints the figures.
 */
const MIN_AUTO_CORES = 4;

const threads = (): typeof WorkerThreads => require('node:worker_threads') as typeof WorkerThreads;

/** `--jobs`: a number, or undefined for automatic (all cores, for scans large enough to gain). */
export function resolveJobs(requested: number | undefined, files: readonly SharedFile[]): number {
  // A copied CLI bundle without its worker beside it runs on one thread rather than waiting on workers that cannot start.
  if (!fs.existsSync(WORKER_FILE)) return 1;
  if (requested !== undefined) return Math.max(1, Math.min(requested, files.length || 1));
  const chars = files.reduce((n, f) => n + f.text.length, 0);
  const cores = os.availableParallelism();
  if (files.length < MIN_FILES || chars < MIN_CHARS || cores < MIN_AUTO_CORES) return 1;
  return Math.min(cores, MAX_AUTO_JOBS);
}

/** Shares of about equal text, largest files first to the least loaded thread; deterministic. */
export function balance(
  files: readonly SharedFile[],
  jobs: number,
  initialLoad: readonly number[] = [],
  costOn: (thread: number, chars: number) => number = (_t, n) => n,
): number[][] {
  const shares: number[][] = Array.from({ length: jobs }, () => []);
  const load = Array.from({ length: jobs }, (_, k) => initialLoad[k] ?? 0);
  const bySize = files.map((f, i) => i).sort((a, b) => files[b].text.length - files[a].text.length || a - b);
  for (const i of bySize) {
    // A fixed cost per file, so many tiny files spread too.
    const chars = files[i].text.length + 256;
    let best = 0;
    for (let k = 1; k < jobs; k++) if (load[k] + costOn(k, chars) < load[best] + costOn(best, chars)) best = k;
    shares[best].push(i);
    load[best] += costOn(best, chars);
  }
  return shares.map((s) => s.sort((a, b) => a - b));
}

/** Lints `files` on `jobs` threads; the results by path. */
export function lintInParallel(
  files: readonly SharedFile[],
  options: ShareOptions,
  jobs: number,
  configs: CliConfigs,
  onProgress?: ProgressCallback,
): Map<string, LintResult> {
  const roots = realRoots([options.cwd, ...options.paths.map((p) => path.resolve(options.cwd, p))]);
  const thread: ScanThread = {
    configs,
    isInChart: chartDetector(),
    helmChart: helmChartLoader(() => roots, { snapshot: true }),
    readFile: workspaceFileReader(() => roots),
  };
  // Every thread pays the index pass, so the shares balance only the linting.
  const shares = balance(files, jobs);
  // Required here, not at the top: every `bulkhead` start would load worker_threads, and most scans run on one thread.
  const { MessageChannel, Worker } = threads();
  const flags = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * 2 * jobs));
  const workers: { worker: Worker | undefined; port: MessagePort | undefined; share: number[]; slot: number; failure?: string }[] = [];
  for (let slot = 1; slot < jobs; slot++) {
    const { port1, port2 } = new MessageChannel();
    const input: WorkerInput = { bulkheadScanWorker: true, options, files, share: shares[slot], port: port2, flags: flags.buffer as SharedArrayBuffer, slot };
    try {
      const worker = new Worker(WORKER_FILE, { workerData: input, transferList: [port2] });
      worker.on('error', () => undefined); // reported through the flag and the port, or by the watchdog
      worker.unref();
      workers.push({ worker, port: port1, share: shares[slot], slot });
    } catch (err) {
      workers.push({ worker: undefined, port: undefined, share: shares[slot], slot, failure: (err as Error).message });
    }
  }

  // Progress: every thread beats once per file indexed and once per file of its share linted.
  let localBeats = 0;
  const totalBeats = jobs * files.length + files.length;
  const report = () => {
    if (!onProgress) return;
    let beats = localBeats;
    for (let slot = 1; slot < jobs; slot++) beats += Atomics.load(flags, slot * 2 + 1);
    onProgress('linting', Math.min(files.length, Math.round((beats / totalBeats) * files.length)), files.length);
  };
  const tick = () => {
    localBeats++;
    report();
  };

  const built = buildIndex(files, shares[0], thread, tick);
  const results = new Map<string, LintResult>();
  const keep = (share: readonly number[], linted: readonly LintResult[]) => share.forEach((i, k) => results.set(files[i].path, linted[k]));
  keep(shares[0], lintShare(files, shares[0], thread, built, tick));
  for (const w of workers) {
    const wire = w.worker && w.port ? waitFor(w.port, flags, w.slot, report) : { failure: w.failure ?? 'not started' };
    if ('results' in wire) {
      keep(
        w.share,
        wire.results.map((r) => fromWire(r, configs.forPath(r.path))),
      );
    } else {
      // Complete and identical all the same: the main thread lints the share against its own index.
      process.stderr.write(
        `bulkhead: scan worker ${w.slot} failed (${wire.failure.split('\n')[0]}); its ${w.share.length} files were linted on the main thread\n`,
      );
      keep(w.share, lintShare(files, w.share, thread, { index: built.index, states: new Map() }));
    }
    void w.worker?.terminate();
  }
  // In file order, as a single-threaded scan fills its map.
  return new Map(files.map((f) => [f.path, results.get(f.path)!]));
}

type Received = { results: WireResult[] } | { failure: string };

function waitFor(port: MessagePort, flags: Int32Array, slot: number, onWait: () => void): Received {
  let lastBeat = -1;
  let since = Date.now();
  while (Atomics.load(flags, slot * 2) === 0) {
    Atomics.wait(flags, slot * 2, 0, 200);
    onWait();
    const beat = Atomics.load(flags, slot * 2 + 1);
    if (beat !== lastBeat) {
      lastBeat = beat;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      return { failure: `no progress for ${STALL_MS / 1000} s` };
    }
  }
  // The message is queued before the flag is raised; allow for it to become visible.
  for (let tries = 0; tries < 50; tries++) {
    const received = threads().receiveMessageOnPort(port)?.message as { results?: WireResult[]; error?: string } | undefined;
    if (received?.results) return { results: received.results };
    if (received?.error) return { failure: received.error };
    Atomics.wait(flags, slot * 2 + 1, Atomics.load(flags, slot * 2 + 1), 10);
  }
  return { failure: 'finished without posting its results' };
}
