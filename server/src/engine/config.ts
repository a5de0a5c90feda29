/**
 * `.bulkhead.yaml`: which rules run, at what severity, with what options, over which files.
 * The same shape comes from the VS Code settings; `schemas/bulkhead.schema.json` describes it.
 */
import { parseDocument } from 'yaml';
import { duplicateKeysOf } from '../documents/yamlFile';
import type { Rule, Severity } from './rule';
import { SEVERITIES } from './rule';
import { checkSetPath, SetSyntaxError } from '../documents/helm/strvals';

export const PROFILES = ['recommended', 'pss-baseline', 'pss-restricted', 'all'] as const;
export type ProfileName = (typeof PROFILES)[number];

export type RuleSetting = 'off' | 'on' | Severity | { severity?: Severity | 'off'; options?: Record<string, unknown> };

export interface BulkheadConfig {
  profile?: ProfileName;
  rules?: Record<string, RuleSetting>;
  /** gitignore-style patterns, relative to the config file's folder. */
  exclude?: string[];
  settings?: { pssVersion?: string; [key: string]: unknown };
}

export const CONFIG_FILE_NAMES = ['.bulkhead.yaml', '.bulkhead.yml'];

export class ConfigError extends Error {}

/** Parses and checks a config file's text; throws ConfigError with every problem found. */
export function parseConfig(text: string, source = '.bulkhead.yaml'): BulkheadConfig {
  // uniqueKeys off: the library's check is quadratic (100k keys ran for minutes); ours is linear.
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) throw new ConfigError(`${source}: ${doc.errors[0].message.split('\n')[0]}`);
  const duplicate = duplicateKeysOf(doc)[0];
  if (duplicate) throw new ConfigError(`${source}: a key is repeated at line ${lineOf(text, duplicate.start)} (map keys must be unique)`);
  const raw = doc.toJS({ maxAliasCount: 50 }) ?? {};
  return validateConfig(raw, source);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Settings the rule packs read, and the shape each must have. */
const SETTING_SHAPES: Record<string, { valid: (v: unknown) => boolean; expected: string; problem?: (v: unknown) => string | undefined }> = {
  pssVersion: { valid: (v) => typeof v === 'string' && /^(?:latest|v?1\.\d{1,3})$/.test(v), expected: 'latest or a version such as v1.30' },
  kubernetesVersion: { valid: (v) => typeof v === 'string' && /^(?:latest|v?1\.\d{1,3}(?:\.\d{1,3})?)$/.test(v), expected: 'latest or a version such as 1.30' },
  allowedRegistries: { valid: isStringList, expected: 'a list of registries' },
  helm: {
    valid: (v) =>
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      Object.entries(v).every(
        ([k, x]) => (k === 'valuesFiles' && isStringList(x)) || (k === 'set' && typeof x === 'object' && x !== null && !Array.isArray(x)),
      ),
    expected:
      'a mapping with valuesFiles (a list of values files, relative to each chart, e.g. ci/prod-values.yaml) and set (a mapping of values key, as in helm --set, to value)',
    problem: (v) => helmSetProblem((v as { set?: Record<string, unknown> }).set),
  },
  dockerfileImages: {
    valid: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string' || isStringList(x)),
    expected: 'a mapping of Dockerfile path to an image name or a list of image names',
  },
};

/** The first `settings.helm.set` key helm's --set would refuse (`a..b`, `a[x]`, `a,b`). */
function helmSetProblem(set: Record<string, unknown> | undefined): string | undefined {
  for (const path of Object.keys(set ?? {})) {
    try {
      checkSetPath(path);
    } catch (err) {
      if (err instanceof SetSyntaxError) return `set key ${JSON.stringify(path)}: ${err.message}`;
      throw err;
    }
  }
  return undefined;
}

export function validateConfig(raw: unknown, source: string): BulkheadConfig {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${source}: expected a mapping at the top level`);
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!['profile', 'rules', 'exclude', 'settings', '$schema'].includes(key)) problems.push(`unknown key "${key}"`);
  }
  if (r.profile !== undefined && !PROFILES.includes(r.profile as ProfileName)) {
    problems.push(`profile must be one of ${PROFILES.join(', ')} (got "${String(r.profile)}")`);
  }
  if (r.rules !== undefined) {
    if (typeof r.rules !== 'object' || r.rules === null || Array.isArray(r.rules)) problems.push('rules must be a mapping of rule id to setting');
    else {
      for (const [id, setting] of Object.entries(r.rules as Record<string, unknown>)) {
        if (typeof setting === 'string') {
          if (!['off', 'on', ...SEVERITIES].includes(setting)) problems.push(`rules.${id}: expected off, on, error, warning or info`);
        } else if (typeof setting === 'boolean') {
          (r.rules as Record<string, unknown>)[id] = setting ? 'on' : 'off';
        } else if (typeof setting !== 'object' || setting === null) {
          problems.push(`rules.${id}: expected a severity or a mapping with severity/options`);
        }
      }
    }
  }
  if (r.exclude !== undefined && (!Array.isArray(r.exclude) || r.exclude.some((e) => typeof e !== 'string'))) {
    problems.push('exclude must be a list of patterns');
  }
  if (r.settings !== undefined && (typeof r.settings !== 'object' || r.settings === null || Array.isArray(r.settings)))
    problems.push('settings must be a mapping');
  else if (r.settings) {
    for (const [key, value] of Object.entries(r.settings as Record<string, unknown>)) {
      const shape = Object.hasOwn(SETTING_SHAPES, key) ? SETTING_SHAPES[key] : undefined;
      if (shape && !shape.valid(value)) problems.push(`settings.${key} must be ${shape.expected}`);
      else if (shape?.problem?.(value)) problems.push(`settings.${key}: ${shape.problem(value)}`);
    }
  }
  if (problems.length) throw new ConfigError(`${source}: ${problems.join('; ')}`);
  return r as BulkheadConfig;
}

export function profileIncludes(profile: ProfileName, rule: Rule): boolean {
  // Syntax problems are reported in every profile: a file that does not parse is not checked at all.
  if (rule.language === 'yaml' || rule.language === 'engine') return true;
  const baseline = rule.references.some((r) => r.startsWith('pss:baseline/'));
  const restricted = rule.references.some((r) => r.startsWith('pss:restricted/'));
  switch (profile) {
    case 'all':
      return true;
    case 'recommended':
      return rule.recommended;
    case 'pss-baseline':
      return baseline;
    case 'pss-restricted':
      return baseline || restricted;
  }
}

export interface RuleState {
  enabled: boolean;
  severity: Severity;
  options: Record<string, unknown>;
}

/**
 * Rule ids that were split or renamed, and the rules that took their place: a config entry for an
 * old id applies to each of them (unless the config names the new rule itself), so upgrading
 * Bulkhead does not silently switch a team's settings off.
 */
export const RENAMED_RULES: Readonly<Record<string, readonly string[]>> = {
  'missing-resources': ['missing-cpu-request', 'missing-memory-request', 'missing-memory-limit'],
};

function settingFor(rules: Record<string, RuleSetting>, id: string): RuleSetting | undefined {
  if (Object.hasOwn(rules, id)) return rules[id];
  for (const [old, successors] of Object.entries(RENAMED_RULES)) {
    if (successors.includes(id) && Object.hasOwn(rules, old)) return rules[old];
  }
  return undefined;
}

let generations = 0;

/** A config applied to a rule set: the per-rule answers the engine asks for. */
export class ResolvedConfig {
  readonly profile: ProfileName;
  readonly generation = ++generations;
  private readonly states = new Map<string, RuleState>();
  readonly unknownRules: string[] = [];
  /** Rule options of the wrong name or type; each is ignored (the rule keeps its default). */
  readonly problems: string[] = [];

  constructor(
    readonly rules: readonly Rule[],
    readonly config: BulkheadConfig = {},
    profileOverride?: ProfileName,
  ) {
    this.profile = profileOverride ?? config.profile ?? 'recommended';
    const ids = new Set(rules.map((r) => r.id));
    for (const id of Object.keys(config.rules ?? {})) if (!ids.has(id) && !Object.hasOwn(RENAMED_RULES, id)) this.unknownRules.push(id);
    for (const rule of rules) {
      const setting = config.rules ? settingFor(config.rules, rule.id) : undefined;
      let enabled = profileIncludes(this.profile, rule);
      let severity = rule.severity;
      let options: Record<string, unknown> = { ...(rule.defaultOptions ?? {}) };
      if (typeof setting === 'string') {
        if (setting === 'off') enabled = false;
        else {
          enabled = true;
          if (setting !== 'on') severity = setting;
        }
      } else if (setting && typeof setting === 'object') {
        enabled = setting.severity !== 'off';
        if (setting.severity && setting.severity !== 'off') severity = setting.severity;
        options = { ...options, ...this.checkedOptions(rule, setting.options) };
      }
      this.states.set(rule.id, { enabled, severity, options });
    }
  }

  /**
   * The options a config gives a rule, keeping only those the rule declares (in `defaultOptions`)
   * with a value of the declared shape: a wrong-typed option would otherwise throw inside the rule.
   */
  private checkedOptions(rule: Rule, given: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (given === undefined || given === null) return out;
    if (typeof given !== 'object' || Array.isArray(given)) {
      this.problems.push(`rules.${rule.id}.options must be a mapping`);
      return out;
    }
    const defaults = rule.defaultOptions ?? {};
    for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
      if (!Object.hasOwn(defaults, name)) {
        const known = Object.keys(defaults);
        this.problems.push(`rules.${rule.id}.options.${name}: unknown option (${known.length ? `known: ${known.join(', ')}` : 'the rule has no options'})`);
        continue;
      }
      const expected = shapeOf(defaults[name]);
      if (shapeOf(value) !== expected || (expected === 'list' && !isStringList(value))) {
        this.problems.push(`rules.${rule.id}.options.${name} must be ${expected === 'list' ? 'a list of strings' : `a ${expected}`}`);
        continue;
      }
      out[name] = value;
    }
    return out;
  }

  state(ruleId: string): RuleState {
    return this.states.get(ruleId) ?? { enabled: false, severity: 'info', options: {} };
  }

  enabledRules(): Rule[] {
    return this.rules.filter((r) => this.state(r.id).enabled);
  }

  private resolvedSettings: { pssVersion: string; [key: string]: unknown } | undefined;

  /** Built once: every rule call of every lint is handed it (a config is never changed once resolved). */
  get settings(): { pssVersion: string; [key: string]: unknown } {
    this.resolvedSettings ??= { pssVersion: 'latest', ...(this.config.settings ?? {}) };
    return this.resolvedSettings;
  }
}

function shapeOf(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'mapping' : typeof v;
}
