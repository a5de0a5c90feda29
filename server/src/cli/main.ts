/**
 * The `bulkhead` command. Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
 * 2 usage or internal error.
 */
import * as path from 'node:path';
import { ALL_RULES } from '../../../rules';
import { ResolvedConfig } from '../engine/config';
import { SEVERITY_RANK } from '../engine/rule';
import { FailOn, parseArgs, USAGE, UsageError } from './args';
import { escapeControl } from './format/common';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { colors, formatText } from './format/text';
import { formatRules } from './rulesCommand';
import { displayPath, resolveConfig, runScan, ScanReport } from './scan';

declare const BULKHEAD_VERSION: string | undefined;
export const VERSION = typeof BULKHEAD_VERSION === 'string' ? BULKHEAD_VERSION : '0.0.0-dev';

export interface Io {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: Record<string, string | undefined>;
}

export function exitCodeFor(report: ScanReport, failOn: FailOn): number {
  if (report.errors.some((e) => e.internal) || report.missing.length) return 2;
  if (failOn === 'never') return 0;
  const threshold = SEVERITY_RANK[failOn];
  const failing = report.files.some((f) => f.result.findings.some((x) => SEVERITY_RANK[x.severity] >= threshold));
  return failing ? 1 : 0;
}

export function run(argv: readonly string[], io: Io): number {
  try {
    const cmd = parseArgs(argv);
    switch (cmd.command) {
      case 'help':
        io.stdout(`${USAGE}\n`);
        return 0;
      case 'version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case 'rules': {
        const config = cmd.config || cmd.profile ? resolveConfig({ config: cmd.config, profile: cmd.profile, cwd: io.cwd, start: '.' }).config : new ResolvedConfig(ALL_RULES);
        io.stdout(formatRules(config, cmd.format));
        return 0;
      }
      case 'scan': {
        const report = runScan({ paths: cmd.paths, cwd: io.cwd, config: cmd.config, profile: cmd.profile, fix: cmd.fix, unsafeFixes: cmd.unsafeFixes, helmValues: cmd.values.map((v) => path.resolve(io.cwd, v)) });
        for (const { file, config } of report.configs) {
          const where = file ? ` ${escapeControl(displayPath(file, io.cwd))}` : '';
          for (const id of config.unknownRules) io.stderr(`warning: config${where} names unknown rule "${escapeControl(id)}"; ignored\n`);
        }
        if (cmd.format === 'json') io.stdout(formatJson(report));
        else if (cmd.format === 'sarif') io.stdout(formatSarif(report, VERSION));
        else {
          const useColor = cmd.color ?? (io.isTty && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
          io.stdout(formatText(report, colors(useColor || (cmd.color === undefined && !!io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0')), { fix: cmd.fix, cwd: io.cwd }));
        }
        return exitCodeFor(report, cmd.failOn);
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`bulkhead: ${escapeControl(err.message)}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`bulkhead: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 2;
  }
}

/** Entry point for `bin/bulkhead.js`. */
export function main(): void {
  process.exitCode = run(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTty: !!process.stdout.isTTY,
    env: process.env,
  });
  // exitCode rather than exit(): stdout may be a pipe that has not drained yet.
}
