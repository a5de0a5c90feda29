/**
 * File-system side of linting, shared by the CLI and the language server's workspace scan:
 * walking folders with excludes, reading bytes into text, finding the config and chart roots.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { classifyByName, isKubeconfigText, kubeconfigByContentOnly } from '../documents/classify';
import { decodeBytes, Decoded, MAX_FILE_BYTES } from '../text/decode';
import { BulkheadConfig, parseConfig } from '../engine/config';
import type { ChartFiles } from '../documents/helm/chart';
import { chartDetector as sharedChartDetector, helmChartLoader as sharedHelmChartLoader } from '../fs/charts';
import { type ConfigFiles, findConfigFile as findConfigFileIn } from '../fs/configLookup';
import type { LintFileSystem } from '../fs/lintFileSystem';

/**
 * Whether `p` is an absolute POSIX path that `path.resolve` returns unchanged: it starts with `/` and
 * has no empty, `.` or `..` segment and no trailing `/` (every path a scan builds is one). Never on
 * Windows, whose paths keep going through `path`.
 */
function isResolved(p: string): boolean {
  return (
    path.sep === '/' &&
    p.charCodeAt(0) === 47 &&
    (p.length === 1 || p.charCodeAt(p.length - 1) !== 47) &&
    !p.includes('//') &&
    !p.includes('/./') &&
    !p.includes('/../') &&
    !p.endsWith('/.') &&
    !p.endsWith('/..')
  );
}

/*
 * `path.resolve`, `path.relative` and `path.join` normalise their arguments character by character;
 * in cold code that cost about 30,000 instructions a call, and a scan asked them several times per
 * file about paths that are already resolved. These skip the work then and give the same answers.
 */

/** `path.resolve(base, p)` (`path.resolve(p)` without `base`). */
export function resolvePath(p: string, base?: string): string {
  if (isResolved(p)) return p;
  return base === undefined ? path.resolve(p) : path.resolve(base, p);
}

/** `path.relative(from, to)`. */
export function relativePath(from: string, to: string): string {
  if (isResolved(from) && isResolved(to)) {
    const below = pathBelow(from, to);
    if (below !== undefined) return below;
    // Up from `from` to the folder both lie in, then down to `to` (a file named outside the working
    // directory: `displayPath` asked this of every such file).
    const up = from.slice(1).split('/');
    const down = to === '/' ? [] : to.slice(1).split('/');
    let common = 0;
    while (common < up.length && common < down.length && up[common] === down[common]) common++;
    const parts: string[] = [];
    for (let i = common; i < up.length; i++) parts.push('..');
    for (let i = common; i < down.length; i++) parts.push(down[i]);
    return parts.join('/');
  }
  return path.relative(from, to);
}

/**
 * `path.relative(from, to)` when `to` is `from` or lies under it; undefined when it lies elsewhere
 * (resolved POSIX paths) or whatever `path.relative` says (others). For callers that keep only paths
 * inside a folder: the way up and down to a file outside it (every file of a scan named outside the
 * working directory) is not worked out only to be dropped.
 */
export function pathBelow(from: string, to: string): string | undefined {
  if (isResolved(from) && isResolved(to)) {
    if (to === from) return '';
    const prefix = from === '/' ? from : `${from}/`;
    return to.startsWith(prefix) ? to.slice(prefix.length) : undefined;
  }
  return path.relative(from, to);
}

/** `path.dirname(path.resolve(p))`: the folder a file or folder sits in (`/` for `/`). */
export function parentPath(p: string): string {
  if (!isResolved(p)) return path.dirname(path.resolve(p));
  const slash = p.lastIndexOf('/');
  return slash === 0 ? '/' : p.slice(0, slash);
}

/** `path.join(dir, name)` for a resolved folder and an entry name read from it (never empty, `.`, `..` or with a `/`). */
export function childPath(dir: string, name: string): string {
  if (isResolved(dir) && name !== '' && name !== '.' && name !== '..' && !name.includes('/')) return dir === '/' ? `/${name}` : `${dir}/${name}`;
  return path.join(dir, name);
}

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
  const rel = (pathBelow(excludes.root, resolvePath(file)) ?? '').split(path.sep).join('/');
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return excludes.matcher.ignores(isDir ? `${rel}/` : rel);
}

/** Whether a file name could hold something Bulkhead lints (YAML or Dockerfile); content decides later. */
export function isCandidate(file: string): boolean {
  const kind = classifyByName(file);
  return (
    (kind === undefined && !kubeconfigByContentOnly(file)) ||
    kind === 'dockerfile' ||
    kind === 'kubeconfig' ||
    kind === 'dotenv' ||
    kind === 'helm-template' ||
    kind === 'helm-chart' ||
    kind === 'compose'
  );
}

/**
 * Files under `root` that may be lintable, sorted for stable output. Symlinked folders are not
 * followed (they loop, and they leave the workspace).
 */
export function* walk(root: string, excludes?: Excludes | ((file: string, isDir: boolean) => boolean), shouldStop?: () => boolean): Generator<string> {
  const excluded = typeof excludes === 'function' ? excludes : (file: string, isDir: boolean) => isExcluded(file, excludes, isDir);
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
      const full = childPath(dir, e.name);
      if (e.isDirectory()) {
        if (!ALWAYS_SKIPPED_DIRS.has(e.name) && !excluded(full, true)) stack.push(full);
      } else if (e.isFile() && (isCandidate(full) || (classifyByName(full) === undefined && holdsKubeconfig(full))) && !excluded(full, false)) {
        files.push(full);
      }
    }
    yield* files.reverse();
  }
}

/** Largest file a walk reads to tell whether a vaguely named file is a kubeconfig. */
const MAX_KUBECONFIG_PEEK_BYTES = 1024 * 1024;

/**
 * Whether a file whose name says nothing (`prodcluster`, `admin.cfg`) is a kubeconfig: read (up to 1 MB,
 * a link not followed) and judged by content. Binaries, large and unreadable files are not, quietly.
 */
function holdsKubeconfig(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size === 0 || stat.size > MAX_KUBECONFIG_PEEK_BYTES) return false;
    const bytes = Buffer.alloc(stat.size);
    const n = fs.readSync(fd, bytes, 0, stat.size, 0);
    const head = bytes.subarray(0, n);
    // Binary (git's test: a NUL in the first 8 KB) or no `kind:` at all: not a kubeconfig.
    if (head.subarray(0, 8192).includes(0) || !head.includes('kind')) return false;
    return isKubeconfigText(head.toString('utf8'));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * realpath(3) in one system call where Node has it: the JavaScript `fs.realpathSync` lstats every
 * component of the path, which was most of the file-system time of a scan of 311 files in deep
 * folders. Both resolve every link; the browser build's fs shim has neither and falls back.
 */
const realpath: (p: string) => string = fs.realpathSync.native ?? fs.realpathSync;

export type ReadResult = { ok: true; decoded: Decoded; bytes: Buffer } | { ok: false; message: string };
export type BytesResult = { ok: true; bytes: Buffer } | { ok: false; message: string; tooLarge?: boolean };

/**
 * Reads a regular file, as safely as a file from a hostile pull request must be read:
 * - never a FIFO, socket or device (opened non-blocking, checked with fstat, so nothing blocks);
 * - with `roots`, only when its real path (every link resolved) lies inside one of them, so a link
 *   cannot pull a runner's `/etc/passwd` or `~/.kube/config` into a report; without `roots`, a
 *   symbolic link is not followed at all;
 * - never more than `maxBytes`: a larger file is refused before it is read.
 */
export function readRegularFile(file: string, options: { roots?: readonly string[]; maxBytes?: number } = {}): BytesResult {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  let target = file;
  let fd: number | undefined;
  try {
    if (options.roots) {
      target = realpath(file);
      if (!isInsideAny(target, options.roots)) return { ok: false, message: 'a symbolic link to a file outside the scanned folders; not read' };
    } else if (fs.lstatSync(file).isSymbolicLink()) {
      return { ok: false, message: 'a symbolic link; not followed' };
    }
    fd = fs.openSync(target, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, message: 'not a regular file' };
    if (stat.size > maxBytes) {
      return {
        ok: false,
        tooLarge: true,
        message: `file is ${(stat.size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit; not linted`,
      };
    }
    return { ok: true, bytes: fs.readFileSync(fd) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, message: 'no such file' };
    if (code === 'ELOOP') return { ok: false, message: 'a symbolic link; not followed' };
    return { ok: false, message: String((err as Error).message) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Real paths of folders (or of the folders files sit in), for `readRegularFile`'s `roots`. */
export function realRoots(paths: readonly string[]): string[] {
  const out = new Set<string>();
  // Files named one by one mostly share folders: each folder's real path is asked for once.
  const realFolders = new Map<string, string>();
  for (const p of paths) {
    try {
      // A folder admits what is under it; a file, what is beside it (its own folder, not wherever
      // a link named on the command line points). `statSync` follows links as `realpath` does, and
      // throws where it throws: one path walk per file instead of two.
      if (fs.statSync(p).isDirectory()) out.add(realpath(p));
      else {
        const folder = parentPath(p);
        let real = realFolders.get(folder);
        if (real === undefined) realFolders.set(folder, (real = realpath(folder)));
        out.add(real);
      }
    } catch {
      // A root that does not exist admits nothing.
    }
  }
  // One root per folder: `scan` of 300 files in a few folders asked path.relative 300 times per file.
  return [...out];
}

/** Each roots list as a set, for `isInsideAny`'s walk up (a scan names each file's folder: hundreds of roots). */
const rootSets = new WeakMap<readonly string[], Set<string>>();

function isInsideAny(real: string, roots: readonly string[]): boolean {
  if (process.platform !== 'win32') {
    // Both sides are real paths (resolved, normalised): the real path's folders against a set, linear
    // in the path's depth, not in the number of roots (a prefix test per root made a scan of 300
    // files named one by one quadratic).
    let set = rootSets.get(roots);
    if (!set) rootSets.set(roots, (set = new Set(roots.map((r) => (r.length > 1 && r.endsWith('/') ? r.slice(0, -1) : r)))));
    for (let at = real.length; at > 0; at = real.lastIndexOf('/', at - 1)) {
      if (set.has(real.slice(0, at))) return true;
    }
    return set.has('/');
  }
  // Windows compares case-insensitively: path.relative does.
  return roots.some((root) => {
    const rel = path.relative(root, real);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

export function readForLint(file: string, roots?: readonly string[]): ReadResult {
  const read = readRegularFile(file, { roots });
  // Too large is not an error of reading: the file is reported as skipped, as decodeBytes would.
  if (!read.ok && read.tooLarge) return { ok: true, decoded: { kind: 'skipped', reason: read.message }, bytes: Buffer.alloc(0) };
  if (!read.ok) return read;
  return { ok: true, decoded: decodeBytes(read.bytes), bytes: read.bytes };
}

/** The nearest `.bulkhead.yaml` at or above `start` (a folder or a file). */
export function findConfigFile(start: string): string | undefined {
  return findConfigFileIn(nodeFileSystem, start);
}

/**
 * Reads and checks a config file. A link is followed only to a file inside `roots` (by default the
 * config's own folder): its keys are echoed in error messages, which CI logs keep.
 */
export function loadConfigFile(file: string, roots: readonly string[] = realRoots([path.dirname(file)])): BulkheadConfig {
  const read = readRegularFile(file, { roots, maxBytes: 1024 * 1024 });
  if (!read.ok) throw new Error(read.message);
  return parseConfig(read.bytes.toString('utf8'), file);
}

/** Memoized "is there a Chart.yaml in an ancestor folder" for classifying Helm templates. */
export function chartDetector(): (file: string) => boolean {
  return sharedChartDetector(nodeFileSystem);
}

/**
 * Chart files for rendering Helm templates, read from disk and cached until one of them changes
 * (checked by modification time, so the editor sees a values.yaml edit once it is saved).
 * A chart file is read only when its real path lies inside the chart or one of `roots` (the
 * scanned folders, the workspace): values reach the output, so a link must not bring in a file
 * from elsewhere on the machine.
 */
export function helmChartLoader(roots: () => readonly string[] = () => [], options: { snapshot?: boolean } = {}): (file: string) => ChartFiles | undefined {
  return sharedHelmChartLoader(nodeFileSystem, roots, options);
}

/** The disk, as the chart loader and the config lookup read it. */
export const nodeFileSystem: LintFileSystem = {
  exists: (file) => fs.existsSync(file),
  isFile: (file) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  },
  readDir: (dir) => {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({
        name: e.name,
        kind: e.isDirectory() ? 'directory' : e.isFile() ? 'file' : e.isSymbolicLink() ? 'symlink' : 'other',
      }));
    } catch {
      return undefined;
    }
  },
  version: (file) => {
    try {
      return fs.statSync(file).mtimeMs;
    } catch {
      return -1;
    }
  },
  readText: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  confined: (roots) => {
    // Real paths once per reader: a chart's files are all checked against the same roots.
    const allowed = realRoots(roots);
    return {
      text: (file, maxBytes) => {
        const got = readRegularFile(file, { roots: allowed, maxBytes });
        return got.ok ? got.bytes.toString('utf8') : undefined;
      },
      bytes: (file, maxBytes) => readRegularFile(file, { roots: allowed, maxBytes }),
    };
  },
};

/** The config resolver's view of `.bulkhead.yaml` files on disk. */
export const nodeConfigFiles: ConfigFiles = { find: findConfigFile, load: (file) => loadConfigFile(file) };
