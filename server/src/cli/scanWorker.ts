/**
 * Entry point of a `bulkhead scan` worker thread (bundled as dist/scanWorker.js, next to the CLI).
 * It builds the workspace index of every file and lints its share of them whole (see parallelLint.ts),
 * posts the results on its port, then raises its "done" flag; a heartbeat counter, raised per file
 * indexed and per file linted, tells the main thread it is still making progress. Nothing escapes as
 * an exception: the main thread waits on the flag, so the flag is always raised.
 */
import * as path from 'node:path';
import { isMainThread, type MessagePort, workerData } from 'node:worker_threads';
import { chartDetector, helmChartLoader, realRoots } from '../node/files';
import { workspaceFileReader } from '../node/workspaceFiles';
import { CliConfigs } from './configs';
import { buildIndex, lintShare, type ScanThread, type ShareOptions, type SharedFile, toWire } from './parallelLint';

export interface WorkerInput {
  bulkheadScanWorker: true;
  options: ShareOptions;
  /** Every file of the scan, in the scan's order (all of them go into the index). */
  files: readonly SharedFile[];
  /** Indexes into `files` of this worker's share. */
  share: number[];
  port: MessagePort;
  /** Int32 pairs per worker: [done, heartbeat]. */
  flags: SharedArrayBuffer;
  slot: number;
}

function work(input: WorkerInput): void {
  const flags = new Int32Array(input.flags);
  const beat = () => void Atomics.add(flags, input.slot * 2 + 1, 1);
  try {
    const { cwd, paths } = input.options;
    const roots = realRoots([cwd, ...paths.map((p) => path.resolve(cwd, p))]);
    const thread: ScanThread = {
      configs: new CliConfigs(input.options),
      isInChart: chartDetector(),
      helmChart: helmChartLoader(() => roots, { snapshot: true }), // never --fix: nothing changes under the scan
      readFile: workspaceFileReader(() => roots),
    };
    const built = buildIndex(input.files, input.share, thread, beat);
    const results = lintShare(input.files, input.share, thread, built, beat).map(toWire);
    input.port.postMessage({ results });
  } catch (err) {
    input.port.postMessage({ error: (err as Error)?.stack ?? String(err) });
  } finally {
    Atomics.store(flags, input.slot * 2, 1);
    Atomics.notify(flags, input.slot * 2);
  }
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.bulkheadScanWorker) work(workerData as WorkerInput);
