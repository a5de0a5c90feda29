/**
 * Entry point of a `bulkhead scan` worker thread (bundled as dist/scanWorker.js, next to the CLI).
 * It lints the document half of its share of the files (no index: see parallelLint.ts), posts the
 * results on its port, then raises its "done" flag; a heartbeat counter, raised per file, tells the
 * main thread it is still making progress. Nothing escapes as an exception: the main thread waits on
 * the flag, so the flag is always raised.
 */
import * as path from 'node:path';
import { isMainThread, type MessagePort, workerData } from 'node:worker_threads';
import { helmChartLoader, realRoots } from '../node/files';
import { workspaceFileReader } from '../node/workspaceFiles';
import { CliConfigs } from './configs';
import { lintDocumentHalf, type ShareOptions, type SplitFile, toWire } from './parallelLint';

export interface WorkerInput {
  bulkheadScanWorker: true;
  options: ShareOptions;
  /** This worker's share only. */
  files: SplitFile[];
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
    const results = lintDocumentHalf(
      new CliConfigs(input.options),
      input.files,
      helmChartLoader(() => roots),
      beat,
      workspaceFileReader(() => roots),
    ).map(toWire);
    input.port.postMessage({ results });
  } catch (err) {
    input.port.postMessage({ error: (err as Error)?.stack ?? String(err) });
  } finally {
    Atomics.store(flags, input.slot * 2, 1);
    Atomics.notify(flags, input.slot * 2);
  }
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.bulkheadScanWorker) work(workerData as WorkerInput);
