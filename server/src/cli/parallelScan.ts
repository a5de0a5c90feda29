/**
 * `bulkhead scan` over several threads. The main thread reads every file once (as a single-threaded
 * scan does), builds the workspace index once, and sends each worker only the texts of its share of
 * the manifests and Dockerfiles; workers run the document rules on them (no index needed) while the
 * main thread runs the workspace rules over them and lints whole the files it keeps (see
 * parallelLint.ts). Results are merged and returned in file order, so the report is identical to a
 * single-threaded one.
 *
 * The main thread waits synchronously (Atomics.wait + receiveMessageOnPort), which keeps
 * `runScan` synchronous. A worker that fails, or stops making progress for a minute, is replaced by
 * the main thread linting its share: the report stays complete and identical.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { classify, type FileKind } from '../documents/classify';
import { FileState, type LintResult, mergeScopes } from '../engine/engine';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { chartDetector, helmChartLoader, realRoots } from '../node/files';
import { workspaceFileReader } from '../node/workspaceFiles';
import type { CliConfigs } from './configs';
import { fromWire, lintDocumentHalf, ScopedEngines, type ShareOptions, type SharedFile, SPLIT_KINDS, type SplitFile, type WireResult } from './parallelLint';
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
 * The main thread still builds the index and runs every workspace-scope rule (and renders each chart a
 * second time for them), so two threads on a loaded 2-core machine gain nothing: automatic mode starts
 * workers only from 4 cores. `--jobs N` always applies; bench/parallelScan.ts prints the figures.
 */
const MIN_AUTO_CORES = 4;

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

/**
 * What the main thread's work costs per character, in units of a worker's (parse + document rules):
 * building the index (parse every file, run no rule), and linting whole a file it already parsed for the
 * index (the rules only). From bench/parallelScan.ts's breakdown on the corpus; only the balance of the
 * shares depends on them, never a result.
 */
const MAIN_INDEX_COST = 0.45;
const MAIN_LINT_COST = 0.6;

/**
 * Which thread lints which file: the main thread (share 0) takes every file that is not split and
 * as many split ones as keeps it level with the workers, given that it also indexes everything.
 */
export function planShares(files: readonly SharedFile[], kinds: readonly FileKind[], jobs: number): number[][] {
  const split: number[] = [];
  let mainLoad = 0;
  files.forEach((f, i) => {
    mainLoad += (f.text.length + 256) * MAIN_INDEX_COST;
    if (SPLIT_KINDS.has(kinds[i])) split.push(i);
    else mainLoad += f.text.length + 256; // linted whole on the main thread
  });
  const shares = balance(
    split.map((i) => files[i]),
    jobs,
    [mainLoad],
    (thread, chars) => (thread === 0 ? chars * MAIN_LINT_COST : chars),
  ).map((share) => share.map((k) => split[k]));
  shares[0] = [...shares[0], ...files.map((_, i) => i).filter((i) => !SPLIT_KINDS.has(kinds[i]))].sort((a, b) => a - b);
  return shares;
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
  const isInChart = chartDetector();
  const helmChart = helmChartLoader(() => roots);
  const kinds = files.map((f) => classify(f.path, f.text, isInChart));
  const shares = planShares(files, kinds, jobs);
  const flags = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * 2 * jobs));
  const shareFiles = (share: readonly number[]): SplitFile[] => share.map((i) => ({ path: files[i].path, text: files[i].text, kind: kinds[i] }));
  const workers: { worker: Worker | undefined; port: MessagePort | undefined; share: number[]; slot: number; failure?: string }[] = [];
  for (let slot = 1; slot < jobs; slot++) {
    const { port1, port2 } = new MessageChannel();
    const input: WorkerInput = {
      bulkheadScanWorker: true,
      options,
      files: shareFiles(shares[slot]),
      port: port2,
      flags: flags.buffer as SharedArrayBuffer,
      slot,
    };
    try {
      const worker = new Worker(WORKER_FILE, { workerData: input, transferList: [port2] });
      worker.on('error', () => undefined); // reported through the flag and the port, or by the watchdog
      worker.unref();
      workers.push({ worker, port: port1, share: shares[slot], slot });
    } catch (err) {
      workers.push({ worker: undefined, port: undefined, share: shares[slot], slot, failure: (err as Error).message });
    }
  }

  // Progress: the main thread beats once per file indexed and once per file linted (whole or its
  // workspace half); every worker once per file of its share.
  let localBeats = 0;
  const workerFiles = files.length - shares[0].length;
  const totalBeats = 2 * files.length + workerFiles;
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

  // The index, once: every file parsed (the parse kept for the lint below, up to a budget of text).
  const index = new WorkspaceIndex();
  const indexers = new ScopedEngines('index');
  const states: (FileState | undefined)[] = [];
  let kept = 0;
  files.forEach((f, i) => {
    const state = kept + f.text.length <= KEPT_STATE_BUDGET ? new FileState() : undefined;
    if (state) kept += f.text.length;
    states[i] = state;
    indexers.for(configs.forPath(f.path)).lint(f.path, f.text, { index, isInChart, helmChart, state });
    tick();
  });

  // The main thread's own files whole, and the workspace half of every worker's file.
  const results = new Map<string, LintResult>();
  const workspaceHalves = new Map<number, LintResult>();
  const workspaceEngines = new ScopedEngines('workspace');
  const mine = new Set(shares[0]);
  files.forEach((f, i) => {
    const context = { index, isInChart, helmChart, state: states[i] };
    if (mine.has(i)) results.set(f.path, configs.forPath(f.path).engine.lint(f.path, f.text, context));
    else workspaceHalves.set(i, workspaceEngines.for(configs.forPath(f.path)).lint(f.path, f.text, { ...context, kind: kinds[i] }));
    states[i] = undefined;
    tick();
  });

  const join = (share: readonly number[], documentHalves: readonly LintResult[]) =>
    share.forEach((i, k) => results.set(files[i].path, mergeScopes(documentHalves[k], workspaceHalves.get(i)!, index)));
  for (const w of workers) {
    const wire = w.worker && w.port ? waitFor(w.port, flags, w.slot, report) : { failure: w.failure ?? 'not started' };
    if ('results' in wire) {
      join(
        w.share,
        wire.results.map((r) => fromWire(r, configs.forPath(r.path))),
      );
    } else {
      // Complete and identical all the same: the main thread lints the document half itself.
      process.stderr.write(
        `bulkhead: scan worker ${w.slot} failed (${wire.failure.split('\n')[0]}); its ${w.share.length} files were linted on the main thread\n`,
      );
      join(
        w.share,
        lintDocumentHalf(
          configs,
          shareFiles(w.share),
          helmChart,
          undefined,
          workspaceFileReader(() => roots),
        ),
      );
    }
    void w.worker?.terminate();
  }
  // In file order, as a single-threaded scan fills its map.
  return new Map(files.map((f) => [f.path, results.get(f.path)!]));
}

/** Characters of text whose parsed state the indexing pass keeps for the linting pass (as scan.ts). */
const KEPT_STATE_BUDGET = 32 * 1024 * 1024;

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
    const received = receiveMessageOnPort(port)?.message as { results?: WireResult[]; error?: string } | undefined;
    if (received?.results) return { results: received.results };
    if (received?.error) return { failure: received.error };
    Atomics.wait(flags, slot * 2 + 1, Atomics.load(flags, slot * 2 + 1), 10);
  }
  return { failure: 'finished without posting its results' };
}
