/**
 * `bulkhead scan`: expand paths, lint every file through the engine (fixing in place with `--fix`),
 * and collect a report the formatters print. Nothing here writes to stdout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../../rules';
import { ConfigError, ResolvedConfig, ProfileName, BulkheadConfig } from '../engine/config';
import { Engine, FileState, LintResult } from '../engine/engine';
import { isLintable } from '../documents/classify';
import { fixAll } from '../engine/fixAll';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { encodeText } from '../text/decode';
import { chartDetector, Excludes, findConfigFile, helmChartLoader, isExcluded, loadConfigFile, makeExcludes, readForLint, realRoots, walk } from '../node/files';
import { UsageError } from './args';

export interface FileReport {
  /** Absolute path. */
  readonly path: string;
  /** Relative to the working directory, with `/`: what users and SARIF consumers see. */
  readonly display: string;
  readonly result: LintResult;
  /** Fixes applied to this file with `--fix`. */
  readonly fixed: number;
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
  readonly config: ResolvedConfig;
  readonly configFile?: string;
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
}

export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return shown.split(path.sep).join('/');
}

/** Loads `--config FILE`, or the nearest `.bulkhead.yaml` above the first path. */
export function resolveConfig(options: { config?: string; profile?: ProfileName; cwd: string; start: string }): {
  config: ResolvedConfig;
  file?: string;
  excludes?: Excludes;
} {
  let file: string | undefined;
  let raw: BulkheadConfig = {};
  if (options.config) {
    file = path.resolve(options.cwd, options.config);
    if (!fs.existsSync(file)) throw new UsageError(`config file not found: ${options.config}`);
  } else {
    file = findConfigFile(path.resolve(options.cwd, options.start));
  }
  if (file) {
    try {
      // A config named with --config is the user's choice, link or not; a discovered one may come
      // from the pull request, and is followed only within its own folder.
      raw = options.config ? loadConfigFile(file, [path.dirname(fs.realpathSync(file))]) : loadConfigFile(file);
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(`invalid config: ${err.message}`);
      throw new UsageError(`cannot read config ${file}: ${(err as Error).message}`);
    }
  }
  const config = new ResolvedConfig(ALL_RULES, raw, options.profile);
  if (config.problems.length) throw new UsageError(`invalid config: ${file ?? 'config'}: ${config.problems.join('; ')}`);
  const excludes = file && raw.exclude?.length ? makeExcludes(path.dirname(file), raw.exclude) : undefined;
  return { config, file, excludes };
}

/** Files named on the command line are linted even when excluded (as ruff and eslint do); folders are walked. */
export function expandPaths(paths: readonly string[], cwd: string, excludes?: Excludes): { files: string[]; missing: string[] } {
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
    const abs = path.resolve(cwd, p);
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
  const { config, file: configFile, excludes } = resolveConfig({ ...options, start: options.paths[0] ?? '.' });
  const engine = new Engine(config);
  const { files, missing } = expandPaths(options.paths, options.cwd, excludes);
  // What a link may point into: the working directory and the scanned paths, nothing else.
  const roots = realRoots([options.cwd, ...options.paths.map((p) => path.resolve(options.cwd, p))]);
  const index = new WorkspaceIndex();
  const isInChart = chartDetector();
  const helmChart = helmChartLoader(() => roots);
  const reports: FileReport[] = [];
  const errors: ScanError[] = [];
  const texts = new Map<string, { text: string; bytes: Buffer; write: (text: string) => Buffer; state?: FileState }>();
  // Parsed documents and per-document results of the indexing pass, reused by the second pass so a
  // file is parsed once; kept up to a budget of text, so a huge tree does not hold every syntax tree.
  let keptText = 0;

  // Index every file first, so rules that look across files see the whole workspace.
  for (const file of files) {
    const display = displayPath(file, options.cwd);
    const read = readForLint(file, roots);
    if (!read.ok) {
      errors.push({ file: display, message: `cannot read: ${read.message}`, internal: false });
      continue;
    }
    if (read.decoded.kind === 'skipped') {
      errors.push({ file: display, message: read.decoded.reason, internal: false });
      continue;
    }
    const { text, bom, encoding } = read.decoded;
    const state = keptText + text.length <= KEPT_STATE_BUDGET ? new FileState() : undefined;
    if (state) keptText += text.length;
    texts.set(file, { text, bytes: read.bytes, write: (t) => encodeText(t, bom, encoding), state });
    engine.lint(file, text, { index, isInChart, helmChart, state });
  }

  for (const [file, { text, bytes, write, state }] of texts) {
    const display = displayPath(file, options.cwd);
    let result: LintResult;
    let fixed = 0;
    // Fixes rewrite the file from its decoded text: only when that text encodes back to exactly the
    // bytes read (invalid UTF-8 decodes to U+FFFD, and writing it back would lose the original bytes).
    const lossless = options.fix && write(text).equals(bytes);
    if (options.fix && !lossless) {
      errors.push({ file: display, message: 'not fixed: the file is not valid UTF-8 or UTF-16, and rewriting it would change bytes no fix names', internal: false });
    }
    if (lossless) {
      const outcome = fixAll(engine, file, text, { unsafe: options.unsafeFixes }, { index, isInChart, helmChart });
      result = outcome.result;
      if (outcome.text !== text) {
        try {
          writeNoFollow(file, write(outcome.text));
          fixed = outcome.applied;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why = code === 'ELOOP' ? 'it is a symbolic link, and Bulkhead never writes through a link' : (err as Error).message;
          errors.push({ file: display, message: `cannot write fixes: ${why}`, internal: false });
          result = engine.lint(file, text, { index, isInChart, helmChart });
        }
      }
    } else {
      result = engine.lint(file, text, { index, isInChart, helmChart, state });
    }
    texts.delete(file);
    for (const e of result.internalErrors) {
      errors.push({ file: display, message: `rule ${e.ruleId} failed (a Bulkhead bug; other rules still ran): ${e.message.split('\n')[0]}`, internal: true });
    }
    // Only lintable files count as checked (compose files are read for the index, Helm files skipped).
    if (!isLintable(result.kind) && result.kind !== 'helm-template' && result.findings.length === 0) continue;
    reports.push({ path: file, display, result, fixed });
  }
  return { files: reports, errors, config, configFile, missing };
}

/** Characters of text whose parsed state the indexing pass keeps for the linting pass. */
const KEPT_STATE_BUDGET = 32 * 1024 * 1024;

/** Overwrites a file in place, refusing (ELOOP) when its name is a symbolic link. */
function writeNoFollow(file: string, bytes: Buffer): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    fs.writeFileSync(fd, bytes);
  } finally {
    fs.closeSync(fd);
  }
}
