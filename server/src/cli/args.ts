/**
 * Command-line parsing for `bulkhead`. Hand-written: two commands and a handful of flags do not
 * earn a dependency in the bundle. Unknown flags are usage errors (exit 2), never silently ignored.
 */
import { PROFILES, ProfileName } from '../engine/config';
import type { Severity } from '../engine/rule';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type ScanFormat = (typeof FORMATS)[number];
export const RULE_FORMATS = ['text', 'json', 'markdown'] as const;
export type RulesFormat = (typeof RULE_FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = Severity | 'never';

export type Command =
  | { command: 'scan'; paths: string[]; format: ScanFormat; config?: string; profile?: ProfileName; failOn: FailOn; fix: boolean; unsafeFixes: boolean; color?: boolean; values: string[] }
  | { command: 'rules'; format: RulesFormat; profile?: ProfileName; config?: string }
  | { command: 'help'; topic?: string }
  | { command: 'version' };

export class UsageError extends Error {}

export const USAGE = `Usage:
  bulkhead scan [PATH...] [options]    lint files and folders (default: .)
  bulkhead rules [--format text|json|markdown]
  bulkhead --help | --version

Scan options:
  --format text|json|sarif    output format (default: text)
  --config FILE               use this config instead of the nearest .bulkhead.yaml
  --profile NAME              recommended (default), pss-baseline, pss-restricted or all
  --fail-on LEVEL             exit 1 on findings at or above error (default), warning or info; never
  --fix                       apply safe fixes in place, then report what remains
  --unsafe-fixes              with --fix, also apply fixes that may change behaviour
  --values FILE               render the Helm chart holding FILE with it on top of values.yaml (as
                              helm template -f; repeatable, in order)
  --color / --no-color        force colours on or off (default: on for a terminal, off with NO_COLOR)

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or internal error.`;

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) throw new UsageError(`${flag} needs a value: ${allowed.join(', ')}`);
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.length === 0) return { command: 'help' };
  const first = args[0];
  if (first === '--help' || first === '-h' || first === 'help') return { command: 'help', topic: args[1] };
  if (first === '--version' || first === '-v' || first === 'version') return { command: 'version' };
  if (first !== 'scan' && first !== 'rules') throw new UsageError(`unknown command "${first}"`);
  args.shift();

  const paths: string[] = [];
  let format: string | undefined;
  let config: string | undefined;
  let profile: ProfileName | undefined;
  let failOn: FailOn = 'error';
  let fix = false;
  let unsafeFixes = false;
  const values: string[] = [];
  let color: boolean | undefined;
  let onlyPaths = false;
  while (args.length) {
    const raw = args.shift()!;
    if (onlyPaths || !raw.startsWith('-') || raw === '-') {
      paths.push(raw);
      continue;
    }
    if (raw === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? args.shift();
    switch (flag) {
      case '--help':
      case '-h':
        return { command: 'help', topic: first };
      case '--format':
      case '-f':
        format = value();
        if (format === undefined) throw new UsageError('--format needs a value');
        break;
      case '--config':
      case '-c':
        config = value();
        if (!config) throw new UsageError('--config needs a file');
        break;
      case '--profile':
        profile = oneOf('--profile', value(), PROFILES);
        break;
      case '--fail-on':
        failOn = oneOf('--fail-on', value(), FAIL_ON);
        break;
      case '--fix':
        fix = true;
        break;
      case '--values': {
        const file = value();
        if (!file) throw new UsageError('--values needs a values file');
        values.push(file);
        break;
      }
      case '--unsafe-fixes':
        unsafeFixes = true;
        break;
      case '--color':
        color = true;
        break;
      case '--no-color':
        color = false;
        break;
      default:
        throw new UsageError(`unknown option "${flag}"`);
    }
  }
  if (first === 'rules') {
    if (paths.length) throw new UsageError('"bulkhead rules" takes no paths');
    return { command: 'rules', format: oneOf('--format', format ?? 'text', RULE_FORMATS), profile, config };
  }
  if (unsafeFixes && !fix) throw new UsageError('--unsafe-fixes only makes sense with --fix');
  return {
    command: 'scan',
    paths: paths.length ? paths : ['.'],
    format: oneOf('--format', format ?? 'text', FORMATS),
    config,
    profile,
    failOn,
    fix,
    unsafeFixes,
    values,
    color,
  };
}
