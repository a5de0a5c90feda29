/**
 * Which config lints a file in the editor: the VS Code settings (`bulkhead.*`) overlaid by the
 * nearest `.bulkhead.yaml` above the file. The project file wins for every key it sets, so the
 * editor reports what CI reports; settings fill in what the project leaves open.
 */
import * as path from 'node:path';
import { ALL_RULES } from '../../../rules';
import { BulkheadConfig, ConfigError, ResolvedConfig, validateConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import type { Rule } from '../engine/rule';
import type { ConfigFiles } from '../fs/configLookup';
import { Excludes, isExcluded, makeExcludes, nodeConfigFiles } from '../node/files';

export interface EditorSettings {
  profile?: string;
  rules?: Record<string, unknown>;
  exclude?: string[];
  settings?: Record<string, unknown>;
}

export interface ConfigProblem {
  /** The config file at fault, or `settings` for the VS Code settings. */
  source: string;
  message: string;
}

export interface EffectiveConfig {
  engine: Engine;
  configFile?: string;
  excludes: Excludes[];
}

/** Merges settings and a project file: the file's keys win, rule maps merge rule by rule. */
export function mergeConfigs(settings: BulkheadConfig, project: BulkheadConfig | undefined): BulkheadConfig {
  if (!project) return settings;
  return {
    profile: project.profile ?? settings.profile,
    rules: { ...(settings.rules ?? {}), ...(project.rules ?? {}) },
    exclude: project.exclude ?? settings.exclude,
    settings: { ...(settings.settings ?? {}), ...(project.settings ?? {}) },
  };
}

export class ConfigResolver {
  private settings: BulkheadConfig = {};
  private readonly configFileOfDir = new Map<string, string | null>();
  private readonly effective = new Map<string, EffectiveConfig>();
  /** Problems of the last resolution, by source: the server shows them. */
  readonly problems = new Map<string, ConfigProblem>();

  constructor(
    private readonly rules: readonly Rule[] = ALL_RULES,
    private readonly workspaceFolders: () => string[] = () => [],
    /** Where `.bulkhead.yaml` files are found and read: the disk, or the browser's workspace files. */
    private readonly configFiles: ConfigFiles = nodeConfigFiles,
  ) {}

  /** New editor settings; invalid parts are reported and ignored. */
  setSettings(raw: EditorSettings | undefined): void {
    this.problems.delete('settings');
    const candidate: Record<string, unknown> = {};
    for (const key of ['profile', 'rules', 'exclude', 'settings'] as const) {
      const value = raw?.[key];
      if (value === undefined || value === null || value === '') continue;
      if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
      if (Array.isArray(value) && value.length === 0) continue;
      candidate[key] = value;
    }
    try {
      this.settings = validateConfig(candidate, 'bulkhead settings');
    } catch (err) {
      this.problems.set('settings', { source: 'settings', message: (err as Error).message });
      this.settings = {};
    }
    this.effective.clear();
  }

  /** A `.bulkhead.yaml` was created, changed or deleted. */
  invalidate(): void {
    this.configFileOfDir.clear();
    this.effective.clear();
  }

  private configFileFor(file: string): string | undefined {
    const dir = path.dirname(path.resolve(file));
    const known = this.configFileOfDir.get(dir);
    if (known !== undefined) return known ?? undefined;
    const found = this.configFiles.find(dir);
    this.configFileOfDir.set(dir, found ?? null);
    return found;
  }

  /** The engine and excludes for a file on disk (or the settings alone for untitled documents). */
  resolve(file: string | undefined): EffectiveConfig {
    const configFile = file ? this.configFileFor(file) : undefined;
    const key = configFile ?? '';
    const cached = this.effective.get(key);
    if (cached) return cached;
    let project: BulkheadConfig | undefined;
    if (configFile) {
      try {
        project = this.configFiles.load(configFile);
        this.problems.delete(configFile);
      } catch (err) {
        const message = err instanceof ConfigError ? err.message : `cannot read ${configFile}: ${(err as Error).message}`;
        this.problems.set(configFile, { source: configFile, message });
      }
    }
    const merged = mergeConfigs(this.settings, project);
    const excludes: Excludes[] = [];
    if (project?.exclude?.length && configFile) excludes.push(makeExcludes(path.dirname(configFile), project.exclude));
    else if (merged.exclude?.length) for (const folder of this.workspaceFolders()) excludes.push(makeExcludes(folder, merged.exclude));
    const resolved = new ResolvedConfig(this.rules, merged);
    // Wrong-typed or unknown rule options are ignored (the rule keeps its default) and reported.
    const optionsKey = `options:${key}`;
    this.problems.delete(optionsKey);
    if (resolved.problems.length)
      this.problems.set(optionsKey, { source: configFile ?? 'settings', message: `${configFile ?? 'bulkhead settings'}: ${resolved.problems.join('; ')}` });
    const result: EffectiveConfig = { engine: new Engine(resolved), configFile, excludes };
    this.effective.set(key, result);
    return result;
  }

  isExcluded(file: string): boolean {
    return this.resolve(file).excludes.some((e) => isExcluded(file, e));
  }
}
