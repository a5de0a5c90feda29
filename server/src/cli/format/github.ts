/**
 * `--format github`: GitHub Actions workflow commands, one `::error` / `::warning` / `::notice` per
 * finding, so findings show on the pull request's changed lines without code scanning. Runners
 * parse these lines from the log; everything from the files is escaped so a crafted message or file
 * name cannot end the command early or forge another one.
 */
import type { Severity } from '../../engine/rule';
import type { ScanReport } from '../scan';
import { advertisedFix } from './common';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** The message part of a workflow command (after `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (`file=...,title=...`): also `:` and `,`, which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(report: ScanReport): string {
  const out: string[] = [];
  let total = 0;
  for (const file of report.files) {
    for (const f of file.result.findings) {
      total++;
      const { start, end } = f.range;
      const fix = advertisedFix(f);
      const props = [
        `file=${escapeProperty(file.display)}`,
        `line=${start.line + 1}`,
        `endLine=${end.line + 1}`,
        // GitHub accepts column ranges only on a single line.
        `col=${start.character + 1}`,
        ...(start.line === end.line ? [`endColumn=${end.character + 1}`] : []),
        `title=${escapeProperty(`Bulkhead ${f.ruleId}: ${f.rule.title}`)}`,
      ];
      const fixNote = fix ? ` (fix: ${fix.title}, ${fix.applicability})` : '';
      out.push(`::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message + fixNote)}`);
    }
  }
  for (const missing of report.missing) out.push(`::error title=Bulkhead::${escapeData(`${missing}: no such file or directory`)}`);
  for (const e of report.errors) out.push(`::${e.internal ? 'error' : 'warning'} file=${escapeProperty(e.file)},title=Bulkhead::${escapeData(e.message)}`);
  out.push(`Bulkhead: ${total} finding${total === 1 ? '' : 's'} in ${report.files.length} file${report.files.length === 1 ? '' : 's'} checked`);
  return `${out.join('\n')}\n`;
}
