/**
 * What `bulkhead scan` does with a report once the files are linted: apply or write a baseline,
 * render the chosen format, deliver it to stdout or `--output FILE`, and print `--stats`.
 * Everything but the report itself goes to stderr, so JSON, SARIF and XML on stdout stay parseable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Severity } from '../engine/rule';
import { FailOn, ScanExtras, ScanFormat, UsageError } from './args';
import { applyBaseline, readBaseline, writeBaseline } from './baseline';
import { formatGithub } from './format/github';
import { formatGitlab } from './format/gitlab';
import { formatJson } from './format/json';
import { formatJunit } from './format/junit';
import { formatSarif } from './format/sarif';
import { colors, formatText } from './format/text';
import type { ScanReport } from './scan';

export interface ReportIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: Record<string, string | undefined>;
}

export interface ReportOptions extends ScanExtras {
  format: ScanFormat;
  failOn: FailOn;
  fix: boolean;
  color?: boolean;
}

/** Applies `--baseline` / `--write-baseline`; returns the report the exit code and output use. */
export function baselineStep(report: ScanReport, options: ReportOptions, io: ReportIo): { report: ScanReport; recording: boolean } {
  if (options.writeBaseline) {
    const n = writeBaseline(report, options.writeBaseline, io.cwd);
    io.stderr(`Baseline ${options.writeBaseline}: recorded ${n} finding${n === 1 ? '' : 's'}.\n`);
    return { report, recording: true };
  }
  if (options.baseline) {
    const outcome = applyBaseline(report, readBaseline(options.baseline, io.cwd), options.baseline, io.cwd);
    const stale = outcome.stale
      ? `; ${outcome.stale} recorded finding${outcome.stale === 1 ? ' is' : 's are'} gone (rewrite it with --write-baseline to drop them)`
      : '';
    io.stderr(`Baseline ${options.baseline}: ${outcome.baselined} known finding${outcome.baselined === 1 ? '' : 's'} not reported${stale}.\n`);
    return { report: outcome.report, recording: false };
  }
  return { report, recording: false };
}

export function renderReport(report: ScanReport, options: ReportOptions, io: ReportIo, version: string): string {
  switch (options.format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, version);
    case 'github':
      return formatGithub(report);
    case 'gitlab':
      return formatGitlab(report);
    case 'junit':
      return formatJunit(report, options.failOn);
    case 'text': {
      // Colours only for a terminal on stdout, never into a file.
      const auto = !options.output && io.isTty && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
      const forced = options.color === undefined && !options.output && !!io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0';
      return formatText(report, colors(options.color ?? (auto || forced)), { fix: options.fix, cwd: io.cwd });
    }
  }
}

/** Writes the rendered report to `--output FILE` (its folder created) or stdout. */
export function deliver(text: string, options: ReportOptions, io: ReportIo): void {
  if (!options.output) {
    io.stdout(text);
    return;
  }
  const file = path.resolve(io.cwd, options.output);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (err) {
    throw new UsageError(`cannot write ${options.output}: ${(err as Error).message}`);
  }
}

/** `--stats`: findings per rule, most frequent first, with the files they are in. */
export function formatStats(report: ScanReport): string {
  const byRule = new Map<string, { severity: Severity; findings: number; files: number }>();
  for (const file of report.files) {
    const seen = new Set<string>();
    for (const f of file.result.findings) {
      const s = byRule.get(f.ruleId) ?? { severity: f.severity, findings: 0, files: 0 };
      s.findings++;
      if (!seen.has(f.ruleId)) {
        seen.add(f.ruleId);
        s.files++;
      }
      byRule.set(f.ruleId, s);
    }
  }
  const rows = [...byRule].sort((a, b) => b[1].findings - a[1].findings || (a[0] < b[0] ? -1 : 1));
  if (!rows.length) return `Findings per rule: none (${report.files.length} files checked).\n`;
  const width = Math.max(...rows.map(([id]) => id.length));
  const lines = rows.map(
    ([id, s]) => `  ${id.padEnd(width)}  ${String(s.findings).padStart(6)}  in ${String(s.files).padStart(5)} file${s.files === 1 ? ' ' : 's'}  ${s.severity}`,
  );
  return `Findings per rule (${report.files.length} files checked):\n${lines.join('\n')}\n`;
}
