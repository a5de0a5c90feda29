/**
 * File-system side of linting, shared by the CLI and the language server's workspace scan:
 * walking folders with excludes, reading bytes into text, finding the config and chart roots.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { classifyByName } from '../documents/classify';
import { decodeBytes, Decoded, MAX_FILE_BYTES } from '../text/decode';
import { BulkheadConfig, CONFIG_FILE_NAMES, parseConfig } from '../engine/config';
import { ChartFiles, withAliasCopies } from '../documents/helm/chart';
import { ArchiveProblem, ChartArchiveError, chartFromFiles, newBudget, readChartArchive } from './chartArchive';
import type { ChartOtherFiles } from '../documents/helm/files';

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
  return (
    kind === undefined ||
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
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!ALWAYS_SKIPPED_DIRS.has(e.name) && !excluded(full, true)) stack.push(full);
      } else if (e.isFile() && isCandidate(full) && !excluded(full, false)) {
        files.push(full);
      }
    }
    yield* files.reverse();
  }
}

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
      target = fs.realpathSync(file);
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
  for (const p of paths) {
    try {
      // A folder admits what is under it; a file, what is beside it (its own folder, not wherever
      // a link named on the command line points).
      const real = fs.realpathSync(p);
      out.add(fs.statSync(real).isDirectory() ? real : fs.realpathSync(path.dirname(path.resolve(p))));
    } catch {
      // A root that does not exist admits nothing.
    }
  }
  // One root per folder: `scan` of 300 files in a few folders asked path.relative 300 times per file.
  return [...out];
}

function isInsideAny(real: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    // Both sides are real paths (resolved, normalised): on POSIX a prefix test says it, without
    // path.relative's two resolves per root. Windows compares case-insensitively: path.relative does.
    if (process.platform !== 'win32') return real === root || real.startsWith(root.endsWith('/') ? root : `${root}/`);
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
 * A chart file is read only when its real path lies inside the chart or one of `roots` (the
 * scanned folders, the workspace): values reach the output, so a link must not bring in a file
 * from elsewhere on the machine.
 */
export function helmChartLoader(roots: () => readonly string[] = () => []): (file: string) => ChartFiles | undefined {
  const cache = new Map<string, { signature: string; files: ChartFiles }>();
  const hasChartYaml = (dir: string) => fs.existsSync(path.join(dir, 'Chart.yaml'));
  /** The chart a template (under templates/) or a values file (values*.yaml, ci/*.yaml) belongs to. */
  const rootOf = (file: string): string | undefined => {
    const abs = path.resolve(file);
    const dir = path.dirname(abs);
    if (/^Chart\.ya?ml$/.test(path.basename(abs))) return dir;
    if (/^values([.-].*)?\.ya?ml$/i.test(path.basename(abs)) && hasChartYaml(dir)) return dir;
    if (path.basename(dir) === 'ci' && /\.ya?ml$/i.test(abs) && hasChartYaml(path.dirname(dir))) return path.dirname(dir);
    let d = dir;
    for (let i = 0; i < 12; i++) {
      if (path.basename(d) === 'templates' && hasChartYaml(path.dirname(d))) return path.dirname(d);
      const parent = path.dirname(d);
      if (parent === d) return undefined;
      d = parent;
    }
    return undefined;
  };
  /** The chart whose charts/ folder holds `root`, if any. */
  const parentOf = (root: string): string | undefined => {
    const up = path.dirname(root);
    return path.basename(up) === 'charts' && hasChartYaml(path.dirname(up)) ? path.dirname(up) : undefined;
  };
  const subchartRoots = (root: string): string[] => {
    try {
      return fs
        .readdirSync(path.join(root, 'charts'), { withFileTypes: true })
        .filter((e) => e.isDirectory() && !/^[_.]/.test(e.name) && hasChartYaml(path.join(root, 'charts', e.name)))
        .map((e) => path.join(root, 'charts', e.name))
        .sort();
    } catch {
      return [];
    }
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
      else if ((e.isFile() || e.isSymbolicLink()) && /\.(ya?ml|tpl)$/i.test(e.name)) out.push(full);
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
  /** Packaged subcharts (`charts/*.tgz`, as `helm dependency update` leaves them), helm's way: names starting with `_` or `.` skipped. */
  const subchartArchives = (root: string): string[] => {
    try {
      return fs
        .readdirSync(path.join(root, 'charts'), { withFileTypes: true })
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.tgz') && !/^[_.]/.test(e.name))
        .map((e) => path.join(root, 'charts', e.name))
        .sort();
    } catch {
      return [];
    }
  };
  interface ChartTree {
    root: string;
    top: string;
    list: string[];
    ignore: Ignore;
    children: ChartTree[];
    archives: string[];
  }
  /** The template files of every chart of the tree under `root`, less what `.helmignore` names. */
  /**
   * The template files of every chart of the tree under `top`, less what the top chart's
   * `.helmignore` names (helm applies only that one, to the whole tree, paths relative to the top).
   */
  const listTree = (root: string, depth = 0, top = root, ignore = helmignoreOf(root)): ChartTree => {
    const rel = (f: string) => path.relative(top, f).split(path.sep).join('/');
    const list = templateFiles(path.join(root, 'templates')).filter((f) => !ignore.ignores(rel(f)));
    const children =
      depth < 4
        ? subchartRoots(root)
            .filter((c) => !ignore.ignores(`${rel(c)}/`))
            .map((c) => listTree(c, depth + 1, top, ignore))
        : [];
    const archives = depth < 4 ? subchartArchives(root).filter((a) => !ignore.ignores(rel(a))) : [];
    return { root, top, list, ignore, children, archives };
  };
  const signatureOf = (tree: ChartTree): string => {
    const meta = ['Chart.yaml', 'values.yaml', '.helmignore', 'Chart.lock'].map((f) => path.join(tree.root, f));
    return [...meta, ...tree.list, ...tree.archives].map((f) => `${f}:${mtime(f)}`).join('|') + `[${tree.children.map(signatureOf).join(',')}]`;
  };
  const build = (
    tree: ChartTree,
    read: (f: string) => string | undefined,
    readBytes: (f: string) => ReturnType<typeof readRegularFile>,
    parent?: ChartFiles,
  ): ChartFiles => {
    const templates = new Map<string, string>();
    for (const f of tree.list) {
      const t = read(f);
      if (t !== undefined) templates.set(f, t);
    }
    const files: ChartFiles = {
      root: tree.root,
      chartYaml: read(path.join(tree.root, 'Chart.yaml')) ?? '',
      valuesYaml: read(path.join(tree.root, 'values.yaml')),
      templates,
    };
    files.files = otherFiles(tree, read);
    files.valuesFileNames = valuesFileNamesOf(tree.root);
    files.readFile = (relative) => {
      const full = path.resolve(tree.root, relative);
      return full.startsWith(tree.root + path.sep) ? read(full) : undefined;
    };
    files.lockYaml = fs.existsSync(path.join(tree.root, 'Chart.lock')) ? read(path.join(tree.root, 'Chart.lock')) : null;
    if (parent) files.parent = parent;
    const problems: ArchiveProblem[] = [];
    const packaged = tree.archives.flatMap((archive): ChartFiles[] => {
      const got = readBytes(archive);
      if (!got.ok) {
        problems.push({ archive, message: got.message });
        return [];
      }
      try {
        const budget = newBudget();
        const chart = chartFromFiles(archive, readChartArchive(got.bytes, budget), problems, budget, files, 1);
        return chart ? [chart] : [];
      } catch (err) {
        if (!(err instanceof ChartArchiveError)) throw err;
        problems.push({ archive, message: err.message });
        return [];
      }
    });
    if (problems.length) files.archiveProblems = problems;
    files.subcharts = withAliasCopies(files, [...tree.children.map((c) => build(c, read, readBytes, files)), ...packaged]);
    return files;
  };
  /** `.Files` of a chart: every other file of its folder, read when a template asks for it. */
  const otherFiles = (tree: ChartTree, read: (f: string) => string | undefined): ChartOtherFiles => {
    const names: string[] = [];
    const skip = new Set(['Chart.yaml', 'values.yaml', 'Chart.lock', 'values.schema.json', 'requirements.yaml', 'requirements.lock']);
    const walkFiles = (dir: string, depth: number) => {
      if (depth > 10 || names.length > 5000) return;
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        const rel = path.relative(tree.root, full).split(path.sep).join('/');
        const fromTop = path.relative(tree.top, full).split(path.sep).join('/');
        if (e.isDirectory()) {
          if (depth === 0 && (e.name === 'templates' || e.name === 'charts')) continue;
          if (!tree.ignore.ignores(`${fromTop}/`)) walkFiles(full, depth + 1);
        } else if ((e.isFile() || e.isSymbolicLink()) && !(depth === 0 && skip.has(e.name)) && !tree.ignore.ignores(fromTop)) names.push(rel);
      }
    };
    walkFiles(tree.root, 0);
    names.sort();
    return { names, read: (name) => (names.includes(name) ? read(path.join(tree.root, ...name.split('/'))) : undefined) };
  };
  const find = (chart: ChartFiles, root: string): ChartFiles | undefined => {
    if (chart.root === root) return chart;
    for (const c of chart.subcharts ?? []) {
      const hit = find(c, root);
      if (hit) return hit;
    }
    return undefined;
  };
  return (file) => {
    const root = rootOf(file);
    if (!root) return undefined;
    // A subchart is rendered as part of the chart at the top of its tree (values come from there).
    let top = root;
    for (let i = 0; i < 4; i++) top = parentOf(top) ?? top;
    const tree = listTree(top);
    const signature = signatureOf(tree);
    const hit = cache.get(top);
    if (hit && hit.signature === signature) return find(hit.files, root);
    const allowed = [...realRoots([top]), ...realRoots(roots())];
    const read = (f: string): string | undefined => {
      const got = readRegularFile(f, { roots: allowed, maxBytes: 2 * 1024 * 1024 });
      return got.ok ? got.bytes.toString('utf8') : undefined;
    };
    const readBytes = (f: string) => readRegularFile(f, { roots: allowed, maxBytes: 16 * 1024 * 1024 });
    const files = build(tree, read, readBytes);
    cache.set(top, { signature, files });
    return find(files, root);
  };
}

/** A chart's values files besides values.yaml: `values*.yaml` beside it and `ci/*.yaml` (chart-testing's). */
function valuesFileNamesOf(root: string): string[] {
  const list = (dir: string) => {
    try {
      return fs
        .readdirSync(path.join(root, dir), { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name);
    } catch {
      return [];
    }
  };
  const own = list('.').filter((n) => /^values[.-].+\.ya?ml$/i.test(n) && n !== 'values.yaml');
  const ci = list('ci')
    .filter((n) => /\.ya?ml$/i.test(n))
    .map((n) => `ci/${n}`);
  return [...own, ...ci].sort().slice(0, 100);
}

/** A chart's `.helmignore` (gitignore syntax, as helm reads it): helm loads none of the files it names. */
function helmignoreOf(root: string): Ignore {
  const ig = ignore();
  try {
    const text = fs.readFileSync(path.join(root, '.helmignore'), 'utf8');
    if (text.length < 256 * 1024) ig.add(text);
  } catch {
    // no .helmignore
  }
  return ig;
}
