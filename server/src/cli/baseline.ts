/**
 * Baselines, for adopting Bulkhead on a repository that already has findings:
 * `bulkhead scan --write-baseline FILE` records every finding of today, and
 * `bulkhead scan --baseline FILE` reports (and fails on) only the findings not recorded there.
 *
 * A finding is recorded by rule, file and fingerprint (rule, file and message, never a line: see
 * fingerprint.ts), so moving code around does not make old findings new. Files are named relative
 * to the baseline's own folder, so the baseline works from any working directory; when it sits in
 * the directory you scan from (the usual place), its fingerprints are exactly the SARIF ones.
 * Identical findings in one file (same rule, same message) are matched by count: a third copy of a
 * problem recorded twice is new.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './args';
import { findingFingerprint } from './fingerprint';
import type { FileReport, ScanReport } from './scan';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  file: string;
  fingerprint: string;
  /** For people reviewing the baseline in a diff; not used for matching. */
  message: string;
}

export interface BaselineFile {
  bulkheadBaseline: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

/** A path as the baseline names it: relative to the baseline's folder, with `/`. */
function baselinePath(absFile: string, baselineDir: string): string {
  const rel = path.relative(baselineDir, absFile);
  return (rel && !path.isAbsolute(rel) ? rel : absFile).split(path.sep).join('/');
}

export function makeBaseline(report: ScanReport, baselineFile: string): BaselineFile {
  const dir = path.dirname(path.resolve(baselineFile));
  const findings: BaselineEntry[] = [];
  for (const file of report.files) {
    const rel = baselinePath(file.path, dir);
    for (const f of file.result.findings) findings.push({ ruleId: f.ruleId, file: rel, fingerprint: findingFingerprint(f, rel), message: f.message });
  }
  // Sorted, so rewriting the baseline after a change shows a small diff.
  const key = (e: BaselineEntry) => `${e.file}\u0000${e.ruleId}\u0000${e.fingerprint}`;
  findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { bulkheadBaseline: BASELINE_VERSION, findings };
}

export function writeBaseline(report: ScanReport, baselineFile: string, cwd: string): number {
  const file = path.resolve(cwd, baselineFile);
  const baseline = makeBaseline(report, file);
  try {
    fs.writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (err) {
    throw new UsageError(`cannot write baseline ${baselineFile}: ${(err as Error).message}`);
  }
  return baseline.findings.length;
}

export function readBaseline(baselineFile: string, cwd: string): BaselineFile {
  const file = path.resolve(cwd, baselineFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read baseline ${baselineFile}: ${(err as Error).message}`);
  }
  const b = parsed as Partial<BaselineFile> | null;
  if (!b || typeof b !== 'object' || b.bulkheadBaseline !== BASELINE_VERSION || !Array.isArray(b.findings)) {
    throw new UsageError(`${baselineFile} is not a Bulkhead baseline (version ${BASELINE_VERSION}); write one with --write-baseline`);
  }
  for (const e of b.findings) {
    if (!e || typeof e !== 'object' || typeof e.fingerprint !== 'string' || typeof e.file !== 'string' || typeof e.ruleId !== 'string') {
      throw new UsageError(`${baselineFile}: every finding needs ruleId, file and fingerprint strings`);
    }
  }
  return b as BaselineFile;
}

export interface BaselineOutcome {
  /** The report without the findings the baseline records. */
  readonly report: ScanReport;
  /** Findings hidden because the baseline records them. */
  readonly baselined: number;
  /** Baseline entries no finding matched any more (fixed, or their file was not scanned). */
  readonly stale: number;
}

/** Which findings of each file the baseline records, as a set of indexes into its findings. */
export function baselinedFindings(report: ScanReport, baseline: BaselineFile, baselineFile: string, cwd: string): Map<FileReport, Set<number>> {
  const dir = path.dirname(path.resolve(cwd, baselineFile));
  const remaining = new Map<string, number>();
  for (const e of baseline.findings) remaining.set(e.fingerprint, (remaining.get(e.fingerprint) ?? 0) + 1);
  const matched = new Map<FileReport, Set<number>>();
  for (const file of report.files) {
    const rel = baselinePath(file.path, dir);
    file.result.findings.forEach((f, i) => {
      const fp = findingFingerprint(f, rel);
      const left = remaining.get(fp) ?? 0;
      if (left <= 0) return;
      remaining.set(fp, left - 1);
      let set = matched.get(file);
      if (!set) matched.set(file, (set = new Set()));
      set.add(i);
    });
  }
  return matched;
}

export function applyBaseline(report: ScanReport, baseline: BaselineFile, baselineFile: string, cwd: string): BaselineOutcome {
  const matched = baselinedFindings(report, baseline, baselineFile, cwd);
  let baselined = 0;
  const files = report.files.map((file) => {
    const hidden = matched.get(file);
    if (!hidden) return file;
    baselined += hidden.size;
    return { ...file, result: { ...file.result, findings: file.result.findings.filter((_, i) => !hidden.has(i)) } };
  });
  return { report: { ...report, files }, baselined, stale: baseline.findings.length - baselined };
}
