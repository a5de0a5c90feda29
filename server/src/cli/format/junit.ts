/**
 * `--format junit`: JUnit XML for CI test dashboards (GitLab, Jenkins, Azure Pipelines, CircleCI...).
 * One test suite per file checked; each finding at or above `--fail-on` is a failed test case, each
 * one below it a passing case with the finding in its output (so the dashboard agrees with the exit
 * code), and a file without findings is one passing case. Files Bulkhead could not read or a rule
 * that crashed are test cases in error.
 */
import { SEVERITY_RANK } from '../../engine/rule';
import type { FailOn } from '../args';
import type { ScanReport } from '../scan';

/** Text for an XML 1.0 attribute or element: markup escaped, and characters XML cannot carry at all shown as escapes. */
export function xmlText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else if (ch === '\n') out += '&#10;';
    else if (ch === '\r') out += '&#13;';
    else if (ch === '\t') out += '&#9;';
    else if (c < 0x20 || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

export function formatJunit(report: ScanReport, failOn: FailOn): string {
  const threshold = failOn === 'never' ? Number.POSITIVE_INFINITY : SEVERITY_RANK[failOn];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const file of report.files) {
    const cases: string[] = [];
    let suiteFailures = 0;
    const name = xmlText(file.display);
    for (const f of file.result.findings) {
      const at = `${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const head = `    <testcase classname="${name}" name="${xmlText(`${f.ruleId} at ${at}`)}" file="${name}" line="${f.range.start.line + 1}">`;
      const detail = xmlText(`${file.display}:${at} ${f.severity} ${f.message}\nRule: ${f.ruleId} (${f.rule.title})\nHow to fix: ${f.rule.remediation}`);
      if (SEVERITY_RANK[f.severity] >= threshold) {
        suiteFailures++;
        cases.push(`${head}\n      <failure type="${f.severity}" message="${xmlText(f.message)}">${detail}</failure>\n    </testcase>`);
      } else {
        cases.push(`${head}\n      <system-out>${detail}</system-out>\n    </testcase>`);
      }
    }
    if (!cases.length) cases.push(`    <testcase classname="${name}" name="no findings" file="${name}"/>`);
    tests += cases.length;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${name}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const problems = [
    ...report.missing.map((file) => ({ file, message: 'no such file or directory' })),
    ...report.errors.map((e) => ({ file: e.file, message: e.message })),
  ];
  if (problems.length) {
    const cases = problems.map(
      (p) =>
        `    <testcase classname="bulkhead" name="${xmlText(p.file)}">\n      <error message="${xmlText(p.message)}">${xmlText(`${p.file}: ${p.message}`)}</error>\n    </testcase>`,
    );
    tests += cases.length;
    errors += cases.length;
    suites.push(
      `  <testsuite name="bulkhead: files not linted" tests="${cases.length}" failures="0" errors="${cases.length}" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bulkhead" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`;
}
