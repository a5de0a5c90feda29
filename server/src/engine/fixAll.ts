/**
 * Applying many fixes to one text: `bulkhead scan --fix`, the editor's "fix all of this rule" and
 * `source.fixAll`. Fixes of different findings may touch the same lines, so each pass applies only
 * edits that do not overlap, then lints again; a few passes settle every file we have seen.
 */
import type { Engine, Finding, LintOptions, LintResult } from './engine';
import type { Fix, TextEdit } from './rule';
import { applyEdits } from './yamlEditor';

export interface FixAllOptions {
  /** Also apply fixes labelled `unsafe`. */
  unsafe?: boolean;
  /** Only fix findings of this rule. */
  ruleId?: string;
  maxPasses?: number;
}

export interface FixAllResult {
  text: string;
  /** Number of fixes applied, over all passes. */
  applied: number;
  /** The lint of the final text. */
  result: LintResult;
}

/** The fix a batch run applies for a finding: the first one its applicability allows. */
export function chooseFix(finding: Finding, unsafe: boolean): Fix | undefined {
  return finding.fixes.find((f) => unsafe || f.applicability === 'safe');
}

/**
 * Edits of the chosen fixes that do not overlap one another, in finding order. A fix whose edits
 * overlap an earlier one waits for the next pass (its finding will be re-reported on new text).
 */
export function nonOverlappingEdits(findings: readonly Finding[], pick: (f: Finding) => Fix | undefined): { edits: TextEdit[]; count: number } {
  const taken: TextEdit[] = [];
  let count = 0;
  for (const finding of findings) {
    const fix = pick(finding);
    if (!fix) continue;
    let edits: TextEdit[];
    try {
      edits = fix.edits();
    } catch {
      continue; // a fix that cannot compute its edits is skipped, never half-applied
    }
    if (edits.length === 0) continue;
    if (edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    if (edits.some((e, i) => edits.some((o, j) => i !== j && overlaps(e, o)))) continue;
    taken.push(...edits);
    count++;
  }
  return { edits: taken, count };
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one point would be applied in an arbitrary order: treat them as overlapping.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return (
    (a.start < b.end && b.start < a.end) ||
    (a.start === a.end && a.start > b.start && a.start < b.end) ||
    (b.start === b.end && b.start > a.start && b.start < a.end)
  );
}

export function fixAll(engine: Engine, path: string, text: string, options: FixAllOptions = {}, lintOptions: LintOptions = {}): FixAllResult {
  const unsafe = options.unsafe ?? false;
  const maxPasses = options.maxPasses ?? 8;
  let result = engine.lint(path, text, lintOptions);
  let applied = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    const candidates = result.findings.filter((f) => !options.ruleId || f.ruleId === options.ruleId);
    const { edits, count } = nonOverlappingEdits(candidates, (f) => chooseFix(f, unsafe));
    if (count === 0) break;
    const next = applyEdits(text, edits);
    if (next === text) break;
    text = next;
    applied += count;
    result = engine.lint(path, text, lintOptions);
  }
  return { text, applied, result };
}
