/**
 * `bulkhead scan` over several threads. The main thread reads every file once (as a single-threaded
 * scan does) and hands all texts to each worker; every thread, the main one included, builds the
 * whole workspace index and lints its share (see parallelLint.ts). Results come back in file order,
 * so the report is identical to a single-threaded one.
 *
 * The main thread waits synchronously (Atomics.wait + receiveMessageOnPort), which keeps
 * `runScan` synchronous. A worker that fails, or stops making progress for a minute, is replaced by
 * the main thread linting its share: the report stays complete and identical.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { LintResult } from '../engine/engine';
import type { CliConfigs } from './configs';
import { fromWire, LintShare, type ShareOptions, type SharedFile, type WireResult } from './parallelLint';
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
 * Every thread parses the whole tree for the index (about half a single-threaded scan's CPU), so two
 * threads gain little even on an idle machine and lose on a busy one (bench: 0.8x on 2 shared cores):
 * automatic mode starts workers only from 4 cores. `--jobs N` always applies.
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
export function balance(files: readonly SharedFile[], jobs: number): number[][] {
  const shares: number[][] = Array.from({ length: jobs }, () => []);
  const load = new Array<number>(jobs).fill(0);
  const bySize = files.map((f, i) => i).sort((a, b) => files[b].text.length - files[a].text.length || a - b);
  for (const i of bySize) {
    let least = 0;
    for (let k = 1; k < jobs; k++) if (load[k] < load[least]) least = k;
    shares[least].push(i);
    load[least] += files[i].text.length + 256; // a fixed cost per file, so many tiny files spread too
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
  const shares = balance(files, jobs);
  const flags = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * 2 * jobs));
  const workers: { worker: Worker | undefined; port: MessagePort | undefined; share: number[]; slot: number; failure?: string }[] = [];
  for (let slot = 1; slot < jobs; slot++) {
    const { port1, port2 } = new MessageChannel();
    const input: WorkerInput = {
      bulkheadScanWorker: true,
      options,
      files: files as SharedFile[],
      share: shares[slot],
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
  const local = new LintShare(options);
  local.indexAll(files, shares[0], tick);
  const results = new Map<string, LintResult>();
  const keep = (share: readonly number[], lint: readonly LintResult[]) => share.forEach((i, k) => results.set(files[i].path, lint[k]));
  keep(shares[0], local.lint(files, shares[0], tick));

  for (const w of workers) {
    const wire = w.worker && w.port ? waitFor(w.port, flags, w.slot, report) : { failure: w.failure ?? 'not started' };
    if ('results' in wire) {
      keep(
        w.share,
        wire.results.map((r) => fromWire(r, configs.forPath(r.path))),
      );
    } else {
      // Complete and identical all the same: the main thread has the whole index.
      process.stderr.write(
        `bulkhead: scan worker ${w.slot} failed (${wire.failure.split('\n')[0]}); its ${w.share.length} files were linted on the main thread\n`,
      );
      keep(w.share, local.lint(files, w.share));
    }
    void w.worker?.terminate();
  }
  return results;
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
    const received = receiveMessageOnPort(port)?.message as { results?: WireResult[]; error?: string } | undefined;
    if (received?.results) return { results: received.results };
    if (received?.error) return { failure: received.error };
    Atomics.wait(flags, slot * 2 + 1, Atomics.load(flags, slot * 2 + 1), 10);
  }
  return { failure: 'finished without posting its results' };
}
