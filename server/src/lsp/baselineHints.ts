/**
 * The editor side of baselines: a finding the project's baseline records (see cli/baseline.ts) is
 * shown as a hint (the faint dots, not in the Problems panel) rather than as a warning or error, so
 * a team adopting Bulkhead sees first what CI would fail on. Matching is the CLI's: rule, path
 * relative to the baseline's folder and message, counted per file.
 *
 * The baseline is `bulkhead.baseline` (a path relative to a workspace folder; default
 * `.bulkhead-baseline.json`), read again whenever its modification time changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { BASELINE_VERSION, type BaselineFile } from '../cli/baseline';
import { findingFingerprint } from '../cli/fingerprint';

export const DEFAULT_BASELINE = '.bulkhead-baseline.json';
const HINT = 4;

interface Loaded {
  file: string;
  /** Fingerprint → how many findings the baseline records with it. */
  counts: Map<string, number>;
}

export class BaselineHints {
  /** Per baseline file, what was read at which modification time (undefined counts: not a baseline). */
  private readonly cache = new Map<string, { mtimeMs: number; counts: Map<string, number> | undefined }>();

  constructor(
    private readonly folders: () => readonly string[],
    private readonly setting: () => string | undefined,
  ) {}

  /** The baseline that covers `file`: the first workspace folder holding both. */
  private baselineFor(file: string): Loaded | undefined {
    const name = this.setting() || DEFAULT_BASELINE;
    for (const folder of this.folders()) {
      const rel = path.relative(folder, file);
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const baseline = path.resolve(folder, name);
      let mtimeMs: number;
      try {
        mtimeMs = fs.statSync(baseline).mtimeMs;
      } catch {
        continue;
      }
      let entry = this.cache.get(baseline);
      if (!entry || entry.mtimeMs !== mtimeMs) {
        entry = { mtimeMs, counts: readCounts(baseline) };
        this.cache.set(baseline, entry);
      }
      if (entry.counts) return { file: baseline, counts: entry.counts };
    }
    return undefined;
  }

  /** The diagnostics of a file on disk, those the baseline records turned into hints. */
  apply(file: string, diagnostics: Diagnostic[]): Diagnostic[] {
    const baseline = this.baselineFor(file);
    if (!baseline) return diagnostics;
    const rel = path.relative(path.dirname(baseline.file), file).split(path.sep).join('/');
    const used = new Map<string, number>();
    return diagnostics.map((d) => {
      if (typeof d.code !== 'string' || typeof d.message !== 'string') return d;
      const fp = findingFingerprint({ ruleId: d.code, message: d.message }, rel);
      const n = used.get(fp) ?? 0;
      if (n >= (baseline.counts.get(fp) ?? 0)) return d;
      used.set(fp, n + 1);
      return { ...d, severity: HINT };
    });
  }
}

function readCounts(file: string): Map<string, number> | undefined {
  try {
    const b = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<BaselineFile>;
    if (b?.bulkheadBaseline !== BASELINE_VERSION || !Array.isArray(b.findings)) return undefined;
    const counts = new Map<string, number>();
    for (const e of b.findings) if (typeof e?.fingerprint === 'string') counts.set(e.fingerprint, (counts.get(e.fingerprint) ?? 0) + 1);
    return counts;
  } catch {
    return undefined;
  }
}
