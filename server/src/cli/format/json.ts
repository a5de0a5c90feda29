/**
 * `--format json`: the contract other tools build on. Keep the shape stable; add keys, never
 * rename or remove them. Positions are 0-based, LSP-style (line, UTF-16 character).
 */
import { displayPath, type ScanReport } from '../scan';
import { advertisedFix } from './common';

export interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  references: string[];
  fix: null | { title: string; applicability: 'safe' | 'unsafe' };
  /** Present only for cross-object findings: the other objects involved. */
  related?: { file: string; range: JsonFinding['range']; message: string }[];
}

export interface JsonReport {
  findings: JsonFinding[];
  errors: { file: string; message: string }[];
}

export function toJson(report: ScanReport): JsonReport {
  const findings: JsonFinding[] = [];
  for (const file of report.files) {
    for (const f of file.result.findings) {
      const fix = advertisedFix(f);
      findings.push({
        ruleId: f.ruleId,
        severity: f.severity,
        file: file.display,
        range: { start: { ...f.range.start }, end: { ...f.range.end } },
        message: f.message,
        references: [...f.rule.references],
        fix: fix ? { title: fix.title, applicability: fix.applicability } : null,
        ...(f.related?.length
          ? {
              related: f.related.map((r) => ({
                file: displayPath(r.path, process.cwd()),
                range: { start: { ...r.range.start }, end: { ...r.range.end } },
                message: r.message,
              })),
            }
          : {}),
      });
    }
  }
  const errors = [
    ...report.missing.map((file) => ({ file, message: 'no such file or directory' })),
    ...report.errors.map((e) => ({ file: e.file, message: e.message })),
  ];
  return { findings, errors };
}

export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(toJson(report), null, 2)}\n`;
}
