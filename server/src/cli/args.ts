/**
 * Command-line parsing for `bulkhead`. Hand-written: two commands and a handful of flags do not
 * earn a dependency in the bundle. Unknown flags are usage errors (exit 2), never silently ignored.
 */
import { PROFILES, ProfileName } from '../engine/config';
import type { Severity } from '../engine/rule';
import { parseSbomArgs, SbomCommand } from './sbomCommand';
import { NETWORK_OPTIONS_USAGE, NETWORK_USAGE, NetworkCommand, parseNetworkArgs } from './networkArgs';
import type { Jewel } from '../paths/graph';
import { MAP_USAGE, MapCommand, parseMapArgs } from './mapCommand';
import { checkSetLine, SetLine, SetSyntaxError } from '../documents/helm/strvals';

export const PATH_FORMATS = ['text', 'json', 'dot'] as const;
export type PathsFormat = (typeof PATH_FORMATS)[number];
const JEWEL_NAMES: readonly Jewel[] = ['node', 'cluster-admin', 'secrets'];

export const FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'junit'] as const;
export type ScanFormat = (typeof FORMATS)[number];
export const RULE_FORMATS = ['text', 'json', 'markdown'] as const;
export type RulesFormat = (typeof RULE_FORMATS)[number];
export const FAIL_ON = ['error', 'warning', 'info', 'never'] as const;
export type FailOn = Severity | 'never';

export type Command =
  | ({
      command: 'scan';
      paths: string[];
      format: ScanFormat;
      config?: string;
      profile?: ProfileName;
      failOn: FailOn;
      fix: boolean;
      unsafeFixes: boolean;
      color?: boolean;
      values: string[];
      set: SetLine[];
    } & ScanExtras)
  | { command: 'rules'; format: RulesFormat; profile?: ProfileName; config?: string }
  | SbomCommand
  | MapCommand
  | { command: 'paths'; paths: string[]; format: PathsFormat; from?: string; to?: Jewel }
  | { command: 'help'; topic?: string }
  | { command: 'version' }
  | NetworkCommand;

/** Scan options for running in CI and adopting on an existing repository (see adoption docs). */
export interface ScanExtras {
  /** Write the report here instead of stdout. */
  output?: string;
  /** Report and fail only on findings not recorded in this baseline file. */
  baseline?: string;
  /** Record every finding of this scan in this baseline file. */
  writeBaseline?: string;
  /** Print a per-rule summary on stderr. */
  stats?: boolean;
  /** Print where the scan's time went (phases, slowest rules) on stderr. */
  timing?: boolean;
  /** Threads to lint on (default: all cores for large scans). */
  jobs?: number;
  /** A git ref: report only files changed since it, and those their changes affect. */
  changedSince?: string;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  bulkhead scan [PATH...] [options]    lint files and folders (default: .)
  bulkhead rules [--format text|json|markdown]
  bulkhead sbom [PATH...] [--format cyclonedx|spdx] [--out FILE]
                                       build-time SBOM of the Dockerfiles (default: CycloneDX 1.6 JSON)
  bulkhead sbom DOCKERFILE --compare SCANNER.json [--format text|json|sarif] [--fail-on LEVEL]
                                       what a scanner's SBOM of the image (CycloneDX/SPDX) leaves out
${NETWORK_USAGE}
  bulkhead paths [PATH...] [--format text|json|dot] [--from WORKLOAD] [--to node|cluster-admin|secrets]
                                       attack paths from workloads to node root, cluster-admin or Secrets
${MAP_USAGE}
  bulkhead --help | --version

Scan options:
  --format FORMAT             text (default), json, sarif, github (workflow annotations),
                              gitlab (Code Quality JSON) or junit (JUnit XML)
  --output FILE               write the report to FILE instead of stdout
  --config FILE               use this config instead of the nearest .bulkhead.yaml
  --profile NAME              recommended (default), pss-baseline, pss-restricted or all
  --fail-on LEVEL             exit 1 on findings at or above error (default), warning or info; never
  --fix                       apply safe fixes in place, then report what remains
  --unsafe-fixes              with --fix, also apply fixes that may change behaviour
  --values FILE               render the Helm chart holding FILE with it on top of values.yaml (as
                              helm template -f; repeatable, in order)
  --set KEY=VALUE             render Helm charts with this value, as helm's --set (a.b=1,l={x,y},
                              a[0].b=c; repeatable; applied after the values files)
  --set-string KEY=VALUE      the same, every value a string
  --color / --no-color        force colours on or off (default: on for a terminal, off with NO_COLOR)
  --baseline FILE             report and fail only on findings not recorded in FILE
  --write-baseline FILE       record every finding of this scan in FILE (exits 0 unless Bulkhead failed)
  --stats                     print findings per rule on stderr
  --timing                    print where the time went (reading, indexing, linting, the slowest
                              rules) on stderr; lints on one thread
  --jobs N                    lint on N threads (default: all cores, from 4, for large scans; else 1)
  --changed-since REF         report only files changed since the git ref REF, and the files whose
                              cross-file findings they affect (runs git)

${NETWORK_OPTIONS_USAGE}

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
  if (first === 'sbom') return parseSbomArgs(args.slice(1));
  if (first === 'map') return parseMapArgs(args.slice(1));
  if (first === 'connectivity' || first === 'netpol') {
    return parseNetworkArgs(first, args.slice(1), (message) => {
      throw new UsageError(message);
    });
  }
  if (first !== 'scan' && first !== 'rules' && first !== 'paths') throw new UsageError(`unknown command "${first}"`);
  args.shift();

  const paths: string[] = [];
  let format: string | undefined;
  let config: string | undefined;
  let profile: ProfileName | undefined;
  let failOn: FailOn = 'error';
  let fix = false;
  let unsafeFixes = false;
  const values: string[] = [];
  const set: SetLine[] = [];
  let color: boolean | undefined;
  let onlyPaths = false;
  let from: string | undefined;
  let to: Jewel | undefined;
  const extras: ScanExtras = {};
  const fileValue = (flag: string, v: string | undefined): string => {
    if (!v) throw new UsageError(`${flag} needs a file`);
    return v;
  };
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
      case '--set':
      case '--set-string': {
        const line = value();
        if (!line) throw new UsageError(`${flag} needs KEY=VALUE`);
        try {
          checkSetLine({ kind: flag, line });
        } catch (err) {
          if (err instanceof SetSyntaxError) throw new UsageError(`${flag} ${line}: ${err.message}`);
          throw err;
        }
        set.push({ kind: flag, line });
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
      case '--from':
        if (first !== 'paths') throw new UsageError('--from is an option of "bulkhead paths"');
        from = value();
        if (!from) throw new UsageError('--from needs a workload (Kind/name, namespace/Kind/name or name)');
        break;
      case '--to':
        if (first !== 'paths') throw new UsageError('--to is an option of "bulkhead paths"');
        to = oneOf('--to', value(), JEWEL_NAMES);
        break;
      case '--output':
      case '-o':
        extras.output = fileValue('--output', value());
        break;
      case '--baseline':
        extras.baseline = fileValue('--baseline', value());
        break;
      case '--write-baseline':
        extras.writeBaseline = fileValue('--write-baseline', value());
        break;
      case '--stats':
        extras.stats = true;
        break;
      case '--timing':
        extras.timing = true;
        break;
      case '--changed-since': {
        const ref = value();
        if (!ref) throw new UsageError('--changed-since needs a git ref (a branch, tag or commit)');
        extras.changedSince = ref;
        break;
      }
      case '--jobs':
      case '-j': {
        const v = value();
        if (!v || !/^[1-9][0-9]{0,3}$/.test(v)) throw new UsageError(`--jobs needs a number of threads from 1 (got "${v ?? ''}")`);
        extras.jobs = Number(v);
        break;
      }
      default:
        throw new UsageError(`unknown option "${flag}"`);
    }
  }
  if (first === 'rules') {
    if (paths.length) throw new UsageError('"bulkhead rules" takes no paths');
    const scanOnly = Object.keys(extras).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    if (scanOnly.length) throw new UsageError(`${scanOnly.join(', ')}: only for "bulkhead scan"`);
    return { command: 'rules', format: oneOf('--format', format ?? 'text', RULE_FORMATS), profile, config };
  }
  if (first === 'paths') {
    const scanOnly = Object.keys(extras).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    if (scanOnly.length) throw new UsageError(`${scanOnly.join(', ')}: only for "bulkhead scan"`);
  }
  if (first === 'paths') return { command: 'paths', paths: paths.length ? paths : ['.'], format: oneOf('--format', format ?? 'text', PATH_FORMATS), from, to };
  if (unsafeFixes && !fix) throw new UsageError('--unsafe-fixes only makes sense with --fix');
  if (extras.baseline && extras.writeBaseline)
    throw new UsageError('--baseline and --write-baseline cannot be combined: write the baseline, then scan with it');
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
    set,
    color,
    ...extras,
  };
}
