/**
 * `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), so findings show in the
 * merge request widget and diff. Publish it with `artifacts: reports: codequality: FILE`.
 * GitLab compares reports by `fingerprint`, which must be unique within one report: a second
 * identical finding in a file (same rule, same message) gets its occurrence number appended.
 */
import type { Severity } from '../../engine/rule';
import { findingFingerprint, hash64 } from '../fingerprint';
import type { ScanReport } from '../scan';

/** Code Quality severities are info, minor, major, critical, blocker. */
const SEVERITY: Record<Severity, 'info' | 'major' | 'critical'> = { error: 'critical', warning: 'major', info: 'info' };

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: (typeof SEVERITY)[Severity];
  location: { path: string; positions: { begin: { line: number; column: number }; end: { line: number; column: number } } };
}

export function toGitlab(report: ScanReport): CodeQualityIssue[] {
  const issues: CodeQualityIssue[] = [];
  const seen = new Map<string, number>();
  for (const file of report.files) {
    for (const f of file.result.findings) {
      const base = findingFingerprint(f, file.display);
      const occurrence = seen.get(base) ?? 0;
      seen.set(base, occurrence + 1);
      const { start, end } = f.range;
      issues.push({
        description: f.message,
        check_name: f.ruleId,
        fingerprint: occurrence === 0 ? base : hash64(`${base}#${occurrence}`),
        severity: SEVERITY[f.severity],
        location: {
          path: file.display,
          positions: { begin: { line: start.line + 1, column: start.character + 1 }, end: { line: end.line + 1, column: end.character + 1 } },
        },
      });
    }
  }
  return issues;
}

export function formatGitlab(report: ScanReport): string {
  return `${JSON.stringify(toGitlab(report), null, 2)}\n`;
}
