/**
 * Helm charts as the engine renders them: which files sit in a chart, and the chart files a template
 * renders with (templates, values, subcharts, `.helmignore`, `.Files`), read through a `LintFileSystem`
 * so Node (the disk) and the browser build (the workspace files the client reads) share one loader.
 */
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { type ChartFiles, withAliasCopies } from '../documents/helm/chart';
import type { ChartOtherFiles } from '../documents/helm/files';
import { type ArchiveProblem, ChartArchiveError, chartFromFiles, newBudget, readChartArchive } from '../node/chartArchive';
import type { BytesRead, LintFileSystem } from './lintFileSystem';

/** The largest chart file (template, values, `.Files`) read as text. */
export const MAX_CHART_FILE_BYTES = 2 * 1024 * 1024;
/** The largest packaged subchart (`charts/*.tgz`) read. */
export const MAX_CHART_ARCHIVE_BYTES = 16 * 1024 * 1024;
/** A longer `.helmignore` is not applied. */
export const MAX_HELMIGNORE_CHARS = 256 * 1024;

/** Memoized "is there a Chart.yaml in an ancestor folder" for classifying Helm templates. */
export function chartDetector(fsys: LintFileSystem): (file: string) => boolean {
  const memo = new Map<string, boolean>();
  const check = (dir: string): boolean => {
    const known = memo.get(dir);
    if (known !== undefined) return known;
    let found = fsys.exists(path.join(dir, 'Chart.yaml')) || fsys.exists(path.join(dir, 'Chart.yml'));
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
export function helmChartLoader(
  fsys: LintFileSystem,
  roots: () => readonly string[] = () => [],
  options: { snapshot?: boolean } = {},
): (file: string) => ChartFiles | undefined {
  const cache = new Map<string, { signature: string; files: ChartFiles }>();
  /**
   * With `snapshot` (a CLI scan that writes nothing), each chart tree is listed and read once: its
   * files cannot change under the run, and listing the tree and checking every file's modification
   * time again for each of its templates cost more than rendering them (kube-prometheus-stack).
   */
  const snapshots = new Map<string, ChartFiles>();
  const hasChartYaml = (dir: string) => fsys.exists(path.join(dir, 'Chart.yaml'));
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
    return (fsys.readDir(path.join(root, 'charts')) ?? [])
      .filter((e) => e.kind === 'directory' && !/^[_.]/.test(e.name) && hasChartYaml(path.join(root, 'charts', e.name)))
      .map((e) => path.join(root, 'charts', e.name))
      .sort();
  };
  const templateFiles = (dir: string, out: string[] = [], depth = 0): string[] => {
    if (depth > 6) return out;
    const entries = fsys.readDir(dir);
    if (!entries) return out;
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.kind === 'directory') templateFiles(full, out, depth + 1);
      else if ((e.kind === 'file' || e.kind === 'symlink') && /\.(ya?ml|tpl)$/i.test(e.name)) out.push(full);
    }
    return out.sort();
  };
  /** Packaged subcharts (`charts/*.tgz`, as `helm dependency update` leaves them), helm's way: names starting with `_` or `.` skipped. */
  const subchartArchives = (root: string): string[] => {
    return (fsys.readDir(path.join(root, 'charts')) ?? [])
      .filter((e) => (e.kind === 'file' || e.kind === 'symlink') && e.name.endsWith('.tgz') && !/^[_.]/.test(e.name))
      .map((e) => path.join(root, 'charts', e.name))
      .sort();
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
  const listTree = (root: string, depth = 0, top = root, ignore = helmignoreOf(fsys, root)): ChartTree => {
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
    return [...meta, ...tree.list, ...tree.archives].map((f) => `${f}:${fsys.version(f)}`).join('|') + `[${tree.children.map(signatureOf).join(',')}]`;
  };
  const build = (tree: ChartTree, read: (f: string) => string | undefined, readBytes: (f: string) => BytesRead, parent?: ChartFiles): ChartFiles => {
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
    files.valuesFileNames = valuesFileNamesOf(fsys, tree.root);
    files.readFile = (relative) => {
      const full = path.resolve(tree.root, relative);
      return full.startsWith(tree.root + path.sep) ? read(full) : undefined;
    };
    files.lockYaml = fsys.exists(path.join(tree.root, 'Chart.lock')) ? read(path.join(tree.root, 'Chart.lock')) : null;
    files.ignored = (f) => {
      const rel = path.relative(tree.top, f).split(path.sep).join('/');
      return !!rel && !rel.startsWith('../') && rel !== '..' && !path.isAbsolute(rel) && tree.ignore.ignores(rel);
    };
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
        const chart = chartFromFiles(archive, readChartArchive(got.bytes as Buffer, budget), problems, budget, files, 1);
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
      const entries = fsys.readDir(dir);
      if (!entries) return;
      for (const e of entries) {
        const full = path.join(dir, e.name);
        const rel = path.relative(tree.root, full).split(path.sep).join('/');
        const fromTop = path.relative(tree.top, full).split(path.sep).join('/');
        if (e.kind === 'directory') {
          if (depth === 0 && (e.name === 'templates' || e.name === 'charts')) continue;
          if (!tree.ignore.ignores(`${fromTop}/`)) walkFiles(full, depth + 1);
        } else if ((e.kind === 'file' || e.kind === 'symlink') && !(depth === 0 && skip.has(e.name)) && !tree.ignore.ignores(fromTop)) names.push(rel);
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
    const taken = options.snapshot ? snapshots.get(top) : undefined;
    if (taken) return find(taken, root);
    const tree = listTree(top);
    const signature = signatureOf(tree);
    const hit = cache.get(top);
    if (hit && hit.signature === signature) return find(hit.files, root);
    const reader = fsys.confined([top, ...roots()]);
    const read = (f: string): string | undefined => reader.text(f, MAX_CHART_FILE_BYTES);
    const readBytes = (f: string) => reader.bytes(f, MAX_CHART_ARCHIVE_BYTES);
    const files = build(tree, read, readBytes);
    cache.set(top, { signature, files });
    if (options.snapshot) snapshots.set(top, files);
    return find(files, root);
  };
}

/** A chart's values files besides values.yaml: `values*.yaml` beside it and `ci/*.yaml` (chart-testing's). */
function valuesFileNamesOf(fsys: LintFileSystem, root: string): string[] {
  const list = (dir: string) => (fsys.readDir(path.join(root, dir)) ?? []).filter((e) => e.kind === 'file').map((e) => e.name);
  const own = list('.').filter((n) => /^values[.-].+\.ya?ml$/i.test(n) && n !== 'values.yaml');
  const ci = list('ci')
    .filter((n) => /\.ya?ml$/i.test(n))
    .map((n) => `ci/${n}`);
  return [...own, ...ci].sort().slice(0, 100);
}

/** A chart's `.helmignore` (gitignore syntax, as helm reads it): helm loads none of the files it names. */
function helmignoreOf(fsys: LintFileSystem, root: string): Ignore {
  const ig = ignore();
  const text = fsys.readText(path.join(root, '.helmignore'));
  if (text !== undefined && text.length < MAX_HELMIGNORE_CHARS) ig.add(text);
  return ig;
}
