/**
 * Which config lints each file in `bulkhead scan`: the nearest `.bulkhead.yaml` at or above the
 * file (as ESLint's flat config and Ruff resolve it), or the one `--config` names for every file.
 * Lookups are cached per folder, and each config gets one engine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../../rules';
import { BulkheadConfig, CONFIG_FILE_NAMES, ConfigError, ProfileName, ResolvedConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import { Excludes, isExcluded, loadConfigFile, makeExcludes, parentPath, resolvePath } from '../node/files';
import { UsageError } from './args';

export interface AppliedConfig {
  /** The config file, absolute; undefined when no file applies (built-in defaults). */
  readonly file: string | undefined;
  readonly config: ResolvedConfig;
  readonly engine: Engine;
  readonly excludes: Excludes | undefined;
}

/** Loads and checks one config file; any problem is a usage error (exit 2), as a bad flag is. */
export function loadConfig(file: string | undefined, profile: ProfileName | undefined, explicit: boolean): AppliedConfig {
  let raw: BulkheadConfig = {};
  if (file) {
    try {
      // A config named with --config is the user's choice, link or not; a discovered one may come
      // from the pull request, and is followed only within its own folder.
      raw = explicit ? loadConfigFile(file, [path.dirname(fs.realpathSync(file))]) : loadConfigFile(file);
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(`invalid config: ${err.message}`);
      throw new UsageError(`cannot read config ${file}: ${(err as Error).message}`);
    }
  }
  const config = new ResolvedConfig(ALL_RULES, raw, profile);
  if (config.problems.length) throw new UsageError(`invalid config: ${file ?? 'config'}: ${config.problems.join('; ')}`);
  const excludes = file && raw.exclude?.length ? makeExcludes(path.dirname(file), raw.exclude) : undefined;
  return { file, config, engine: new Engine(config), excludes };
}

/**
 * The config file in `dir` itself, if any (the names `findConfigFile` tries, in its order). `dir` is
 * resolved (every caller's folder comes from `resolvePath` or `parentPath`), so joining is appending.
 */
function configFileIn(dir: string): string | null {
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = prefix + name;
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

export class CliConfigs {
  private readonly byFile = new Map<string, AppliedConfig>();
  /** Each folder's config, for the files in it (a scan asks twice per file: indexing and linting). */
  private readonly ofDir = new Map<string, AppliedConfig>();
  private readonly fileOfDir = new Map<string, string | null>();
  private readonly pinned: AppliedConfig | undefined;
  /** Configs in the order files first used them, with how many files each linted. */
  readonly used = new Map<AppliedConfig, number>();

  constructor(private readonly options: { config?: string; profile?: ProfileName; cwd: string }) {
    if (options.config) {
      const file = path.resolve(options.cwd, options.config);
      if (!fs.existsSync(file)) throw new UsageError(`config file not found: ${options.config}`);
      this.pinned = loadConfig(file, options.profile, true);
    }
  }

  /** The config for a file or folder (its nearest config; the pinned one with --config). */
  forPath(p: string, isDir = false): AppliedConfig {
    if (this.pinned) return this.pinned;
    const dir = isDir ? resolvePath(p) : parentPath(p);
    let applied = this.ofDir.get(dir);
    if (applied) return applied;
    const file = this.nearestConfigFile(dir);
    const key = file ?? '';
    applied = this.byFile.get(key);
    if (!applied) {
      applied = loadConfig(file ?? undefined, this.options.profile, false);
      this.byFile.set(key, applied);
    }
    this.ofDir.set(dir, applied);
    return applied;
  }

  /**
   * The nearest config file at or above `dir` (as `findConfigFile`), walking up only to the first
   * folder already looked up: the files of a scan share their parents, and each folder's answer is
   * remembered, so a folder is asked about once however many files sit below it.
   */
  private nearestConfigFile(dir: string): string | null {
    const walked: string[] = [];
    let current = dir;
    let found: string | null | undefined;
    for (;;) {
      found = this.fileOfDir.get(current);
      if (found !== undefined) break;
      walked.push(current);
      found = configFileIn(current);
      if (found !== null) break;
      const parent = parentPath(current);
      if (parent === current) break;
      current = parent;
    }
    for (const d of walked) this.fileOfDir.set(d, found);
    return found;
  }

  /** Records that a file is linted with its config; returns that config. */
  use(file: string): AppliedConfig {
    const applied = this.forPath(file);
    this.used.set(applied, (this.used.get(applied) ?? 0) + 1);
    return applied;
  }

  /**
   * Whether a walked path is excluded. A folder is judged by the config of the folder it sits in
   * (that config's patterns name it); a file by its own config.
   */
  excludes(p: string, isDir: boolean): boolean {
    const applied = isDir ? this.forPath(parentPath(p), true) : this.forPath(p);
    return isExcluded(p, applied.excludes, isDir);
  }

  /** The config of the working directory: what `bulkhead rules` and SARIF's rule list describe. */
  primary(): AppliedConfig {
    return this.forPath(this.options.cwd, true);
  }
}
