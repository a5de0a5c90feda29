/**
 * `bulkhead scan --timing`: where a scan's time went, as ESLint's `TIMING=1` answers "which rule is
 * slow on my repository". The phases of the scan (reading the files; indexing them: parsing YAML,
 * rendering Helm, building Dockerfile models and the workspace index; linting them: the rules,
 * suppressions and fixes' ranges) and the time of each rule, summed over every file.
 *
 * The times are those of this process, a first run: they include V8 compiling and warming up the
 * code of each rule on its first files, which is most of a small scan's time. That is what a user
 * waits for; the bench's per-rule table (bench/ruleCosts.ts) measures warmed rounds instead. Work
 * rules share and compute on first use (the shell reading of RUN scripts, kept per instruction) is
 * charged to the first rule that asks for it, as a profiler would.
 */
import { DOCKERFILE_MODEL_TIME } from '../engine/engine';

export type ScanPhase = 'reading' | 'indexing' | 'linting';

/** Rules shown by name; the rest are summed on one line (a mixed repository runs two hundred). */
const SHOWN_RULES = 15;

export class ScanTiming {
  /** Milliseconds per rule id, and the Dockerfile model under DOCKERFILE_MODEL_TIME (the engines' `ruleTimes`). */
  readonly rules = new Map<string, number>();
  readonly phases = new Map<ScanPhase, number>();
  files = 0;
}

function ms(value: number): string {
  return `${value.toFixed(1).padStart(9)} ms`;
}

/** The report printed on stderr after the scan's own output. */
export function formatTiming(timing: ScanTiming): string {
  const phase = (p: ScanPhase) => timing.phases.get(p) ?? 0;
  const model = timing.rules.get(DOCKERFILE_MODEL_TIME);
  const rules = [...timing.rules].filter(([id]) => id !== DOCKERFILE_MODEL_TIME).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const ruleTotal = rules.reduce((sum, [, t]) => sum + t, 0);
  const lines = [
    `Timing (one thread, this process; a first run includes V8 warming up each rule's code):`,
    `  reading   ${ms(phase('reading'))}  ${timing.files} file${timing.files === 1 ? '' : 's'}`,
    `  indexing  ${ms(phase('indexing'))}  parsing, Helm rendering, the workspace index`,
    `  linting   ${ms(phase('linting'))}  rules ${ruleTotal.toFixed(1)} ms; the rest: suppressions, positions, fixes`,
  ];
  if (model !== undefined) lines.push(`  Dockerfile models (parse and indexes, mostly while indexing): ${model.toFixed(1)} ms`);
  if (rules.length) {
    lines.push(
      `Slowest rules (summed over every file; % of all rules' time; work rules share, such as reading RUN scripts, counts for the first rule that asks):`,
    );
    const width = Math.max(...rules.slice(0, SHOWN_RULES).map(([id]) => id.length));
    const share = (t: number) => `${ruleTotal > 0 ? ((100 * t) / ruleTotal).toFixed(1) : '0.0'} %`.padStart(8);
    for (const [id, t] of rules.slice(0, SHOWN_RULES)) lines.push(`  ${id.padEnd(width)}  ${ms(t)}${share(t)}`);
    const rest = rules.slice(SHOWN_RULES);
    if (rest.length) {
      const t = rest.reduce((sum, [, v]) => sum + v, 0);
      lines.push(`  ${`${rest.length} other rule${rest.length === 1 ? '' : 's'}`.padEnd(width)}  ${ms(t)}${share(t)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
