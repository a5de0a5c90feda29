/**
 * `--format text`: grouped by file, one line per finding (`line:col  severity  message  rule-id`),
 * coloured on a terminal, and a summary line. Positions are 1-based here, as editors show them.
 */
import type { Severity } from '../../engine/rule';
import { displayPath, type ScanReport } from '../scan';
import { escapeControl as esc } from './common';

export interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  underline(s: string): string;
  severity(sev: Severity, s: string): string;
  ok(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function colors(enabled: boolean): Colors {
  if (!enabled) {
    const id = (s: string) => s;
    return { bold: id, dim: id, underline: id, severity: (_s, s) => s, ok: id };
  }
  const red = wrap(31, 39);
  const yellow = wrap(33, 39);
  const blue = wrap(34, 39);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    underline: wrap(4, 24),
    severity: (sev, s) => (sev === 'error' ? red(s) : sev === 'warning' ? yellow(s) : blue(s)),
    ok: wrap(32, 39),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(report: ScanReport, c: Colors, options: { fix?: boolean; cwd?: string } = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let fixable = 0;
  let filesWithFindings = 0;
  for (const file of report.files) {
    const findings = file.result.findings;
    if (!findings.length) continue;
    filesWithFindings++;
    out.push(c.underline(c.bold(esc(file.display))));
    const pos = findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1}`);
    const width = Math.max(...pos.map((p) => p.length));
    findings.forEach((f, i) => {
      counts[f.severity]++;
      const safeFix = f.fixes.find((x) => x.applicability === 'safe');
      const anyFix = f.fixes[0];
      if (safeFix) fixable++;
      const fixNote = safeFix ? c.ok(' [fix]') : anyFix ? c.dim(' [unsafe fix]') : '';
      out.push(`  ${c.dim(pos[i].padEnd(width))}  ${c.severity(f.severity, f.severity.padEnd(7))}  ${esc(f.message)}  ${c.dim(f.ruleId)}${fixNote}`);
    });
    out.push('');
  }
  const problems: string[] = [];
  for (const e of report.missing) problems.push(`${c.severity('error', 'error')}: ${esc(e)}: no such file or directory`);
  for (const e of report.errors)
    problems.push(`${c.severity(e.internal ? 'error' : 'warning', e.internal ? 'internal error' : 'skipped')}: ${esc(e.file)}: ${esc(e.message)}`);
  if (problems.length) out.push(...problems, '');

  // Each file is linted with its nearest config: say which, when they differ.
  if (report.configs.length > 1) {
    const shown = report.configs.map((c) => `${c.file ? esc(displayPath(c.file, cwd)) : 'built-in defaults'} (${plural(c.files, 'file')})`);
    out.push(c.dim(`Configs: ${shown.join(', ')}`), '');
  }
  const total = counts.error + counts.warning + counts.info;
  const fixedFiles = report.files.filter((f) => f.fixed > 0);
  if (options.fix) {
    const applied = fixedFiles.reduce((n, f) => n + f.fixed, 0);
    out.push(applied ? c.ok(`Fixed ${plural(applied, 'problem')} in ${plural(fixedFiles.length, 'file')}.`) : 'No fixes applied.');
  }
  const checked = plural(report.files.length, 'file');
  if (total === 0) out.push(c.ok(`✔ No problems in ${checked}.`));
  else {
    const parts = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`;
    const fixHint = fixable && !options.fix ? ` · ${fixable} fixable with --fix` : '';
    out.push(
      c.bold(
        `${counts.error ? c.severity('error', '✖') : c.severity('warning', '⚠')} ${plural(total, 'problem')} (${parts}) in ${plural(filesWithFindings, 'file')} of ${checked} checked${fixHint}`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
