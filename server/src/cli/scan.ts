/**
 * `bulkhead scan`: expand paths, lint every file through the engine (fixing in place with `--fix`),
 * and collect a report the formatters print. Nothing here writes to stdout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResolvedConfig, ProfileName } from '../engine/config';
import { CliConfigs } from './configs';
import { FileState, LintResult } from '../engine/engine';
import { isLintable } from '../documents/classify';
import { fixAll } from '../engine/fixAll';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { encodeText } from '../text/decode';
import { KEPT_STATE_BUDGET, ScopedEngines } from './parallelLint';
import { lintInParallel, resolveJobs } from './parallelScan';
import type { ProgressCallback } from './progress';
import { settleFixes } from './settledFixes';
import { affectedFiles, type ChangedFiles } from './changedSince';
import { chartDetector, Excludes, helmChartLoader, readForLint, readRegularFile, pathBelow, realRoots, resolvePath, walk } from '../node/files';
import type { SetLine } from '../documents/helm/strvals';
import { kustomizeInputFiles, MAX_REFERENCED_FILE_BYTES, workspaceFileReader } from '../node/workspaceFiles';
import { decodeBytes } from '../text/decode';
import type { ScanTiming } from './scanTiming';

export interface FileReport {
  /** Absolute path. */
  readonly path: string;
  /** Relative to the working directory, with `/`: what users and SARIF consumers see. */
  readonly display: string;
  readonly result: LintResult;
  /** Fixes applied to this file with `--fix`. */
  readonly fixed: number;
  /** The config file that applied to this file, if any. */
  readonly configFile?: string;
}

export interface ScanError {
  readonly file: string;
  readonly message: string;
  /** A failure of Bulkhead itself (a rule threw), as opposed to a file it could not read. */
  readonly internal: boolean;
}

export interface ScanReport {
  readonly files: FileReport[];
  readonly errors: ScanError[];
  /** The config of the first scanned path (with --config, the one config). */
  readonly config: ResolvedConfig;
  readonly configFile?: string;
  /** Every config that linted a file (each file gets its nearest one), with how many files each linted. */
  readonly configs: { file: string | undefined; config: ResolvedConfig; files: number }[];
  /** Paths given on the command line that do not exist. */
  readonly missing: string[];
}

export interface ScanOptions {
  paths: string[];
  cwd: string;
  config?: string;
  profile?: ProfileName;
  fix?: boolean;
  unsafeFixes?: boolean;
  /** Threads to lint on; undefined: automatic (several only for large scans). */
  jobs?: number;
  /** Told as files are read, indexed and linted (the CLI shows it on a terminal). */
  onProgress?: ProgressCallback;
  /** `--changed-since`: report only these files and those whose cross-file findings they affect. */
  changed?: ChangedFiles;
  /** `--values`: values files (absolute) their charts render with, on top of values.yaml. */
  helmValues?: string[];
  /** `--set` / `--set-string`: values every chart renders with, after its values files. */
  helmSet?: SetLine[];
  /** `--timing`: filled with the time of each phase and rule (the scan then lints on one thread). */
  timing?: ScanTiming;
}

export function displayPath(file: string, cwd: string): string {
  // Only a path inside the working directory is shown relative: the way out to others is not worked out.
  const rel = pathBelow(cwd, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return path.sep === '/' ? shown : shown.split(path.sep).join('/');
}

/** The config `bulkhead rules` describes: `--config FILE`, or the nearest `.bulkhead.yaml` above `start`. */
export function resolveConfig(options: { config?: string; profile?: ProfileName; cwd: string; start: string }): {
  config: ResolvedConfig;
  file?: string;
  excludes?: Excludes;
} {
  const applied = new CliConfigs(options).forPath(path.resolve(options.cwd, options.start), true);
  return { config: applied.config, file: applied.file, excludes: applied.excludes };
}

/** Files named on the command line are linted even when excluded (as ruff and eslint do); folders are walked. */
export function expandPaths(
  paths: readonly string[],
  cwd: string,
  excludes?: Excludes | ((file: string, isDir: boolean) => boolean),
): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (f: string): void => {
    if (!seen.has(f)) {
      seen.add(f);
      files.push(f);
    }
  };
  for (const p of paths) {
    const abs = resolvePath(p, cwd);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (stat.isDirectory()) for (const f of walk(abs, excludes)) add(f);
    else add(abs);
  }
  return { files, missing };
}

export function runScan(options: ScanOptions): ScanReport {
  const configs = new CliConfigs(options);
  const { files, missing } = expandPaths(options.paths, options.cwd, (p, isDir) => configs.excludes(p, isDir));
  // What a link may point into: the working directory and the scanned paths, nothing else.
  const roots = realRoots([options.cwd, ...options.paths.map((p) => resolvePath(p, options.cwd))]);
  const index = new WorkspaceIndex();
  const isInChart = chartDetector();
  // Without --fix nothing is written during the scan: each chart is read once (see helmChartLoader).
  const helmChart = helmChartLoader(() => roots, { snapshot: !options.fix });
  const helmValues = options.helmValues ?? [];
  const helmSet = options.helmSet ?? [];
  // Files rules read besides the linted one (a kubeconfig's key file): inside the roots only.
  const readFile = workspaceFileReader(() => roots);
  const reports: FileReport[] = [];
  const errors: ScanError[] = [];
  const texts = new Map<string, { text: string; bytes: Buffer; write: (text: string) => Buffer; state?: FileState }>();
  // Parsed documents and per-document results of the indexing pass, reused by the second pass so a
  // file is parsed once; kept up to a budget of text, so a huge tree does not hold every syntax tree.
  let keptText = 0;

  // Index every file first, so rules that look across files see the whole workspace.
  const progress = options.onProgress;
  const timing = options.timing;
  // Phases are timed only for --timing: node loads its perf_hooks modules on the first `performance` read.
  const readStarted = timing ? performance.now() : 0;
  for (const [n, file] of files.entries()) {
    progress?.('reading', n + 1, files.length);
    const read = readForLint(file, roots);
    if (!read.ok) {
      errors.push({ file: displayPath(file, options.cwd), message: `cannot read: ${read.message}`, internal: false });
      continue;
    }
    if (read.decoded.kind === 'skipped') {
      errors.push({ file: displayPath(file, options.cwd), message: read.decoded.reason, internal: false });
      continue;
    }
    const { text, bom, encoding } = read.decoded;
    const state = keptText + text.length <= KEPT_STATE_BUDGET ? new FileState() : undefined;
    if (state) keptText += text.length;
    texts.set(file, { text, bytes: read.bytes, write: (t) => encodeText(t, bom, encoding), state });
  }
  // Files a Kustomization's generators read (`envs`, `files`) are linted whatever their name, when they
  // are inside the roots (a link out of them is refused) and small; absent or unreadable ones say nothing.
  for (const file of kustomizeInputFiles([...texts].map(([f, { text }]) => [f, text] as const))) {
    if (texts.has(file) || configs.excludes(file, false)) continue;
    const read = readRegularFile(file, { roots, maxBytes: MAX_REFERENCED_FILE_BYTES });
    const decoded = read.ok ? decodeBytes(read.bytes) : undefined;
    if (!read.ok || decoded?.kind !== 'text') continue;
    const { text, bom, encoding } = decoded;
    texts.set(file, { text, bytes: read.bytes, write: (t) => encodeText(t, bom, encoding), state: undefined });
  }
  if (timing) {
    timing.phases.set('reading', performance.now() - readStarted);
    timing.files = texts.size;
  }
  // Large scans spread over worker threads (never --fix, which writes files); see parallelScan.ts.
  const shared = [...texts].map(([file, { text }]) => ({ path: file, text }));
  // --changed-since tracks what each lint reads from the index: one thread.
  // --values files are not passed to worker threads: one thread.
  // --timing adds up one thread's times.
  const jobs = options.fix || options.changed || options.helmValues?.length || options.helmSet?.length || timing ? 1 : resolveJobs(options.jobs, shared);
  const readsByFile = new Map<string, ReadonlySet<string>>();
  const parallel =
    jobs > 1
      ? lintInParallel(shared, { cwd: options.cwd, paths: options.paths, config: options.config, profile: options.profile }, jobs, configs, progress)
      : undefined;
  if (!parallel) {
    let indexed = 0;
    // Index-only engines: a rule run before the index is complete would be thrown away (measured on the
    // corpus: a third of a single-threaded scan's CPU went to values files rendered for nothing).
    const indexers = new ScopedEngines('index', timing?.rules);
    const indexStarted = timing ? performance.now() : 0;
    for (const [file, { text, state }] of texts) {
      indexers.for(configs.forPath(file)).lint(file, text, { index, isInChart, helmChart, helmValues, helmSet, state, readFile });
      progress?.('indexing', ++indexed, texts.size);
    }
    timing?.phases.set('indexing', performance.now() - indexStarted);
  }
  let linted = 0;
  const toLint = texts.size;
  const lintStarted = timing ? performance.now() : 0;

  for (const [file, { text, bytes, write, state }] of texts) {
    const display = displayPath(file, options.cwd);
    const applied = configs.use(file);
    const engine = applied.engine;
    if (timing) engine.ruleTimes = timing.rules;
    let result: LintResult;
    let fixed = 0;
    // Fixes rewrite the file from its decoded text: only when that text encodes back to exactly the
    // bytes read (invalid UTF-8 decodes to U+FFFD, and writing it back would lose the original bytes).
    const lossless = options.fix && write(text).equals(bytes);
    if (options.fix && !lossless) {
      errors.push({
        file: display,
        message: 'not fixed: the file is not valid UTF-8 or UTF-16, and rewriting it would change bytes no fix names',
        internal: false,
      });
    }
    if (options.changed && !lossless) {
      const tracked = index.track(() => engine.lint(file, text, { index, isInChart, helmChart, helmValues, helmSet, state, readFile }));
      result = settleFixes(tracked.value);
      readsByFile.set(file, tracked.reads);
    } else if (lossless) {
      const outcome = fixAll(engine, file, text, { unsafe: options.unsafeFixes }, { index, isInChart, helmChart, helmValues, helmSet, readFile });
      result = outcome.result;
      if (outcome.text !== text) {
        try {
          writeNoFollow(file, write(outcome.text));
          fixed = outcome.applied;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why = code === 'ELOOP' ? 'it is a symbolic link, and Bulkhead never writes through a link' : (err as Error).message;
          errors.push({ file: display, message: `cannot write fixes: ${why}`, internal: false });
          result = engine.lint(file, text, { index, isInChart, helmChart, helmValues, helmSet, readFile });
        }
      }
    } else {
      // Settled: the report keeps no closure over the file's parse (./settledFixes); workers' results already are.
      result = parallel?.get(file) ?? settleFixes(engine.lint(file, text, { index, isInChart, helmChart, helmValues, helmSet, state, readFile }));
    }
    texts.delete(file);
    progress?.('linting', ++linted, toLint);
    for (const e of result.internalErrors) {
      errors.push({ file: display, message: `rule ${e.ruleId} failed (a Bulkhead bug; other rules still ran): ${e.message.split('\n')[0]}`, internal: true });
    }
    // Only lintable files count as checked (compose files are read for the index, not checked).
    if (!isLintable(result.kind) && !result.kind.startsWith('helm-') && result.findings.length === 0) continue;
    reports.push({ path: file, display, result, fixed, configFile: applied.file });
  }
  timing?.phases.set('linting', performance.now() - lintStarted);
  if (options.changed) {
    const keep = affectedFiles(options.changed, readsByFile, index);
    // With --fix, what a fixed file read is not tracked: only the changed files themselves are reported.
    for (let i = reports.length - 1; i >= 0; i--) if (!keep.has(reports[i].path) && !options.changed.present.has(reports[i].path)) reports.splice(i, 1);
  }
  const firstPath = path.resolve(options.cwd, options.paths[0] ?? '.');
  const first = configs.forPath(firstPath, isDirectory(firstPath));
  const used = [...configs.used].map(([c, files]) => ({ file: c.file, config: c.config, files }));
  return {
    files: reports,
    errors,
    config: first.config,
    configFile: first.file,
    configs: used.length ? used : [{ file: first.file, config: first.config, files: 0 }],
    missing,
  };
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Overwrites a file in place, refusing (ELOOP) when its name is a symbolic link. */
function writeNoFollow(file: string, bytes: Buffer): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    fs.writeFileSync(fd, bytes);
  } finally {
    fs.closeSync(fd);
  }
}
