/**
 * `.bulkhead.yaml`: which rules run, at what severity, with what options, over which files.
 * The same shape comes from the VS Code settings; `schemas/bulkhead.schema.json` describes it.
 */
import { parseDocument } from 'yaml';
import type { Rule, Severity } from './rule';
import { SEVERITIES } from './rule';

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
  const doc = parseDocument(text);
  if (doc.errors.length) throw new ConfigError(`${source}: ${doc.errors[0].message.split('\n')[0]}`);
  const raw = doc.toJS({ maxAliasCount: 50 }) ?? {};
  return validateConfig(raw, source);
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
  if (r.settings !== undefined && (typeof r.settings !== 'object' || r.settings === null)) problems.push('settings must be a mapping');
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

let generations = 0;

/** A config applied to a rule set: the per-rule answers the engine asks for. */
export class ResolvedConfig {
  readonly profile: ProfileName;
  readonly generation = ++generations;
  private readonly states = new Map<string, RuleState>();
  readonly unknownRules: string[] = [];

  constructor(
    readonly rules: readonly Rule[],
    readonly config: BulkheadConfig = {},
    profileOverride?: ProfileName,
  ) {
    this.profile = profileOverride ?? config.profile ?? 'recommended';
    const ids = new Set(rules.map((r) => r.id));
    for (const id of Object.keys(config.rules ?? {})) if (!ids.has(id)) this.unknownRules.push(id);
    for (const rule of rules) {
      const setting = config.rules?.[rule.id];
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
        options = { ...options, ...(setting.options ?? {}) };
      }
      this.states.set(rule.id, { enabled, severity, options });
    }
  }

  state(ruleId: string): RuleState {
    return this.states.get(ruleId) ?? { enabled: false, severity: 'info', options: {} };
  }

  enabledRules(): Rule[] {
    return this.rules.filter((r) => this.state(r.id).enabled);
  }

  get settings(): { pssVersion: string; [key: string]: unknown } {
    return { pssVersion: 'latest', ...(this.config.settings ?? {}) };
  }
}
