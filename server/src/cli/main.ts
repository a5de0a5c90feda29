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
import { formatRules } from './rulesCommand';
import { runNetworkCommand } from './networkCommands';
import { runPaths } from './paths';
import { displayPath, resolveConfig, runScan, ScanReport } from './scan';
import { runSbom, SbomUsageError } from './sbomCommand';
import { MapUsageError, runMap } from './mapCommand';
import * as fs from 'node:fs';
import { changedFiles } from './changedSince';
import { TerminalProgress } from './progress';
import { baselineStep, deliver, formatStats, renderReport } from './scanReport';
import { formatTiming, ScanTiming } from './scanTiming';

declare const BULKHEAD_VERSION: string | undefined;
export const VERSION = typeof BULKHEAD_VERSION === 'string' ? BULKHEAD_VERSION : '0.0.0-dev';

export interface Io {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal: progress is shown there during long scans. */
  stderrIsTty?: boolean;
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
        const config =
          cmd.config || cmd.profile
            ? resolveConfig({ config: cmd.config, profile: cmd.profile, cwd: io.cwd, start: '.' }).config
            : new ResolvedConfig(ALL_RULES);
        io.stdout(formatRules(config, cmd.format));
        return 0;
      }
      case 'sbom':
        return runSbom(cmd, io, VERSION);
      case 'map':
        return runMap(cmd, io);
      case 'paths': {
        const result = runPaths({ paths: cmd.paths, cwd: io.cwd, format: cmd.format, from: cmd.from, to: cmd.to });
        for (const e of result.errors) io.stderr(`warning: ${escapeControl(e)}\n`);
        for (const m of result.missing) io.stderr(`bulkhead: no such file or folder: ${escapeControl(m)}\n`);
        if (result.missing.length) return 2;
        io.stdout(result.output);
        return 0;
      }
      case 'scan': {
        const progress = io.stderrIsTty ? new TerminalProgress(io.stderr) : undefined;
        let report: ScanReport;
        const timing = cmd.timing ? new ScanTiming() : undefined;
        try {
          const changed = cmd.changedSince ? changedFiles(cmd.changedSince, io.cwd, (f) => fs.existsSync(f)) : undefined;
          report = runScan({
            paths: cmd.paths,
            cwd: io.cwd,
            config: cmd.config,
            profile: cmd.profile,
            fix: cmd.fix,
            unsafeFixes: cmd.unsafeFixes,
            jobs: cmd.jobs,
            onProgress: progress?.update,
            changed,
            helmValues: cmd.values.map((v) => path.resolve(io.cwd, v)),
            helmSet: cmd.set,
            timing,
          });
        } finally {
          progress?.end();
        }
        for (const { file, config } of report.configs) {
          const where = file ? ` ${escapeControl(displayPath(file, io.cwd))}` : '';
          for (const id of config.unknownRules) io.stderr(`warning: config${where} names unknown rule "${escapeControl(id)}"; ignored\n`);
        }
        const { report: shown, recording } = baselineStep(report, cmd, io);
        deliver(renderReport(shown, cmd, io, VERSION), cmd, io);
        if (cmd.stats) io.stderr(formatStats(shown));
        if (timing) io.stderr(formatTiming(timing));
        if (recording) return exitCodeFor(shown, 'never');
        return exitCodeFor(shown, cmd.failOn);
      }
      case 'connectivity':
      case 'netpol-generate':
        return runNetworkCommand(cmd, io);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof SbomUsageError || err instanceof MapUsageError) {
      io.stderr(`bulkhead: ${escapeControl(err.message)}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`bulkhead: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 2;
  }
}

/** Entry point for `bin/bulkhead.js`. */
export function main(): void {
  // `bulkhead scan | head`: the reader went away. That ends the output, not in a crash with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const code = run(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTty: !!process.stdout.isTTY,
    env: process.env,
    stderrIsTty: !!process.stderr.isTTY && !process.env.CI,
  });
  process.exitCode = code;
  exitWhenWritten(code);
}

/**
 * Ends the process as soon as stdout and stderr have handed all their output to the system. Left to
 * end by itself, Node first lets V8 finish its queued background work, above all optimising
 * compilations of functions that will not run again: after a scan of the 311 corpus Dockerfiles that
 * was 30–60 ms of waiting, idle, after the report was out. Every command has finished when `run`
 * returns (all are synchronous, and a parallel scan has its workers' results), so nothing is cut
 * short; 'exit' handlers, such as the compile cache's, still run. A write's callback comes after
 * every earlier write on that stream is flushed, so an empty write marks the end of the output
 * (a pipe may still be draining: process.exit() right away could cut it).
 */
function exitWhenWritten(code: number): void {
  let pending = 2;
  const oneFlushed = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', oneFlushed);
  process.stderr.write('', oneFlushed);
}

// `node dist/cli.js scan ...` works as `bulkhead scan ...` (the bin requires this bundle and calls main itself).
if (require.main === module) main();
