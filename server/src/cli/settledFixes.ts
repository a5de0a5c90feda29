/**
 * A finding's fixes as a scan's report keeps them: the title and applicability of each, and the
 * edits of each safe fix, computed when its file is linted. A report prints no more: SARIF carries
 * the safe fixes' edits, the other formats only a fix's title, and `--fix` computes its own edits as
 * it applies them.
 *
 * Why settle them: a fix's `edits` is a closure over the file's parse. Kept in the report, the
 * closures kept every linted file's model alive until the report was written (in a scan of the 311
 * corpus Dockerfiles, 245 models held by one unsafe fix each), and each model was copied by every
 * young-generation collection that ran while it was alive. Worker threads settle their fixes the
 * same way, to send them as plain data (./parallelLint).
 */
import type { LintResult } from '../engine/engine';
import type { Applicability, Fix, TextEdit } from '../engine/rule';

/** A fix as plain data. */
export interface SettledFix {
  title: string;
  applicability: Applicability;
  /** Edits of a safe fix; `error` when computing them threw (the fix is then skipped, as an unsettled one is). */
  edits?: TextEdit[];
  error?: string;
}

export function settle(fix: Fix): SettledFix {
  if (fix.applicability !== 'safe') return { title: fix.title, applicability: fix.applicability };
  try {
    return { title: fix.title, applicability: fix.applicability, edits: fix.edits() };
  } catch (err) {
    return { title: fix.title, applicability: fix.applicability, error: (err as Error)?.message ?? String(err) };
  }
}

/** A `Fix` again: its edits as settled; asking for those of an unsafe fix throws `unkept` (why they are not there). */
export function unsettle(fix: SettledFix, unkept: string): Fix {
  return {
    title: fix.title,
    applicability: fix.applicability,
    edits: () => {
      if (fix.edits) return fix.edits;
      throw new Error(fix.error ?? `the edits of unsafe fix "${fix.title}" ${unkept}`);
    },
  };
}

/** `result` with every finding's fixes settled (a result without fixes is returned as it is). */
export function settleFixes(result: LintResult): LintResult {
  if (!result.findings.some((f) => f.fixes.length > 0)) return result;
  return {
    ...result,
    findings: result.findings.map((f) =>
      f.fixes.length === 0 ? f : { ...f, fixes: f.fixes.map((fix) => unsettle(settle(fix), 'are not kept in a scan report; --fix computes them')) },
    ),
  };
}
