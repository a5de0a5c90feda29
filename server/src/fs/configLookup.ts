/** Where a file's `.bulkhead.yaml` is: the nearest one at or above it, on whatever file system holds it. */
import * as path from 'node:path';
import { type BulkheadConfig, CONFIG_FILE_NAMES } from '../engine/config';
import type { LintFileSystem } from './lintFileSystem';

/** How the config resolver finds and reads project config files (Node: the disk; browser: the workspace). */
export interface ConfigFiles {
  /** The nearest `.bulkhead.yaml` at or above `start` (a folder or a file). */
  find(start: string): string | undefined;
  /** Reads and checks a config file; throws a `ConfigError` (or an error saying why it cannot be read). */
  load(file: string): BulkheadConfig;
}

/** The nearest `.bulkhead.yaml` at or above `start` (a folder or a file). */
export function findConfigFile(fsys: LintFileSystem, start: string): string | undefined {
  let dir = path.resolve(start);
  if (!fsys.exists(dir) || fsys.isFile(dir)) dir = path.dirname(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (fsys.exists(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
