/**
 * File-system side of linting, shared by the CLI and the language server's workspace scan:
 * walking folders with excludes, reading bytes into text, finding the config and chart roots.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { classifyByName } from '../documents/classify';
import { decodeBytes, Decoded } from '../text/decode';
import { BulkheadConfig, CONFIG_FILE_NAMES, parseConfig } from '../engine/config';
import type { ChartFiles } from '../documents/helm/chart';

/** Never worth descending into. */
const ALWAYS_SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.terraform', '.venv', '__pycache__']);

export interface Excludes {
  /** Folder the patterns are relative to. */
  readonly root: string;
  readonly matcher: Ignore;
}

export function makeExcludes(root: string, patterns: readonly string[] = []): Excludes {
  return { root: path.resolve(root), matcher: ignore().add([...patterns]) };
}

export function isExcluded(file: string, excludes: Excludes | undefined, isDir = false): boolean {
  if (!excludes) return false;
  const rel = path.relative(excludes.root, path.resolve(file)).split(path.sep).join('/');
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return excludes.matcher.ignores(isDir ? `${rel}/` : rel);
}

/** Whether a file name could hold something Bulkhead lints (YAML or Dockerfile); content decides later. */
export function isCandidate(file: string): boolean {
  const kind = classifyByName(file);
  return kind === undefined || kind === 'dockerfile' || kind === 'kubeconfig' || kind === 'helm-template' || kind === 'compose';
}

/**
 * Files under `root` that may be lintable, sorted for stable output. Symlinked folders are not
 * followed (they loop, and they leave the workspace).
 */
export function* walk(root: string, excludes?: Excludes, shouldStop?: () => boolean): Generator<string> {
  const stack = [path.resolve(root)];
  while (stack.length) {
    if (shouldStop?.()) return;
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    const files: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!ALWAYS_SKIPPED_DIRS.has(e.name) && !isExcluded(full, excludes, true)) stack.push(full);
      } else if (e.isFile() && isCandidate(full) && !isExcluded(full, excludes)) {
        files.push(full);
      }
    }
    yield* files.reverse();
  }
}

export type ReadResult = { ok: true; decoded: Decoded } | { ok: false; message: string };

export function readForLint(file: string): ReadResult {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { ok: false, message: 'not a regular file' };
    return { ok: true, decoded: decodeBytes(fs.readFileSync(file)) };
  } catch (err) {
    return { ok: false, message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message) };
  }
}

/** The nearest `.bulkhead.yaml` at or above `start` (a folder or a file). */
export function findConfigFile(start: string): string | undefined {
  let dir = path.resolve(start);
  try {
    if (fs.statSync(dir).isFile()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir);
  }
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfigFile(file: string): BulkheadConfig {
  return parseConfig(fs.readFileSync(file, 'utf8'), file);
}

/** Memoized "is there a Chart.yaml in an ancestor folder" for classifying Helm templates. */
export function chartDetector(): (file: string) => boolean {
  const memo = new Map<string, boolean>();
  const check = (dir: string): boolean => {
    const known = memo.get(dir);
    if (known !== undefined) return known;
    let found = fs.existsSync(path.join(dir, 'Chart.yaml')) || fs.existsSync(path.join(dir, 'Chart.yml'));
    if (!found) {
      const parent = path.dirname(dir);
      found = parent !== dir && check(parent);
    }
    memo.set(dir, found);
    return found;
  };
  return (file) => check(path.dirname(path.resolve(file)));
}

/**
 * Chart files for rendering Helm templates, read from disk and cached until one of them changes
 * (checked by modification time, so the editor sees a values.yaml edit once it is saved).
 */
export function helmChartLoader(): (file: string) => ChartFiles | undefined {
  const cache = new Map<string, { signature: string; files: ChartFiles }>();
  const rootOf = (file: string): string | undefined => {
    let dir = path.dirname(path.resolve(file));
    for (let i = 0; i < 12; i++) {
      if (path.basename(dir) === 'templates' && fs.existsSync(path.join(path.dirname(dir), 'Chart.yaml'))) return path.dirname(dir);
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
    return undefined;
  };
  const templateFiles = (dir: string, out: string[] = [], depth = 0): string[] => {
    if (depth > 6) return out;
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return out;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) templateFiles(full, out, depth + 1);
      else if (e.isFile() && /\.(ya?ml|tpl)$/i.test(e.name)) out.push(full);
    }
    return out.sort();
  };
  const mtime = (f: string): number => {
    try {
      return fs.statSync(f).mtimeMs;
    } catch {
      return -1;
    }
  };
  return (file) => {
    const root = rootOf(file);
    if (!root) return undefined;
    const list = templateFiles(path.join(root, 'templates'));
    const meta = [path.join(root, 'Chart.yaml'), path.join(root, 'values.yaml')];
    const signature = [...meta, ...list].map((f) => `${f}:${mtime(f)}`).join('|');
    const hit = cache.get(root);
    if (hit && hit.signature === signature) return hit.files;
    const read = (f: string): string | undefined => {
      try {
        const bytes = fs.readFileSync(f);
        return bytes.length > 2 * 1024 * 1024 ? undefined : bytes.toString('utf8');
      } catch {
        return undefined;
      }
    };
    const templates = new Map<string, string>();
    for (const f of list) {
      const t = read(f);
      if (t !== undefined) templates.set(f, t);
    }
    const files: ChartFiles = { root, chartYaml: read(meta[0]) ?? '', valuesYaml: read(meta[1]), templates };
    cache.set(root, { signature, files });
    return files;
  };
}
