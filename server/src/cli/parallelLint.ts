/**
 * The part of a parallel `bulkhead scan` every thread runs, the main thread and each worker alike:
 * build the whole workspace index (every file parsed and indexed, no rule run), then lint this
 * thread's share of the files against it. A file's findings depend only on its text, its config and
 * the index, and the index does not depend on the order files enter it, so each thread's results
 * equal what a single-threaded scan reports for the same files.
 *
 * Results cross threads as plain data (`WireResult`): rule objects and lazy fix closures cannot, so a
 * finding carries its rule id (resolved again from the config on arrival) and the edits of its safe
 * fixes (the only ones a report prints; unsafe fixes are applied by `--fix`, which never runs in
 * parallel).
 */
import * as path from 'node:path';
import type { Finding, LintResult, RelatedFinding } from '../engine/engine';
import { Engine, FileState } from '../engine/engine';
import type { ProfileName } from '../engine/config';
import type { Applicability, Fix, TextEdit } from '../engine/rule';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { chartDetector, helmChartLoader, realRoots } from '../node/files';
import { workspaceFileReader } from '../node/workspaceFiles';
import { AppliedConfig, CliConfigs } from './configs';

/** What a thread needs to rebuild the scan's configs and file-system lookups. */
export interface ShareOptions {
  cwd: string;
  paths: string[];
  config?: string;
  profile?: ProfileName;
}

export interface SharedFile {
  path: string;
  text: string;
}

interface WireFix {
  title: string;
  applicability: Applicability;
  /** Edits of a safe fix; `error` when computing them threw (the fix is then skipped as in a local scan). */
  edits?: TextEdit[];
  error?: string;
}

interface WireFinding extends Omit<Finding, 'rule' | 'fixes' | 'related'> {
  fixes: WireFix[];
  related?: RelatedFinding[];
}

export interface WireResult extends Omit<LintResult, 'findings'> {
  findings: WireFinding[];
}

export class LintShare {
  readonly configs: CliConfigs;
  private readonly index = new WorkspaceIndex();
  private readonly isInChart = chartDetector();
  private readonly helmChart: ReturnType<typeof helmChartLoader>;
  private readonly readFile: ReturnType<typeof workspaceFileReader>;
  private readonly indexEngines = new Map<AppliedConfig, Engine>();
  private readonly states = new Map<number, FileState>();

  constructor(options: ShareOptions) {
    this.configs = new CliConfigs(options);
    const roots = realRoots([options.cwd, ...options.paths.map((p) => path.resolve(options.cwd, p))]);
    this.helmChart = helmChartLoader(() => roots);
    this.readFile = workspaceFileReader(() => roots);
  }

  /** Indexes every file; the parsed documents of the files at `keep` are kept for `lint`, so those are parsed once. */
  indexAll(files: readonly SharedFile[], keep: readonly number[], onFile?: () => void): void {
    const mine = new Set(keep);
    files.forEach((f, i) => {
      const applied = this.configs.forPath(f.path);
      let indexer = this.indexEngines.get(applied);
      if (!indexer) this.indexEngines.set(applied, (indexer = new Engine(applied.config, { indexOnly: true })));
      const state = mine.has(i) ? new FileState() : undefined;
      if (state) this.states.set(i, state);
      indexer.lint(f.path, f.text, { index: this.index, isInChart: this.isInChart, helmChart: this.helmChart, state, readFile: this.readFile });
      onFile?.();
    });
  }

  /** Lints the files at `share` (indexes into `files`) against the whole index. */
  lint(files: readonly SharedFile[], share: readonly number[], onFile?: () => void): LintResult[] {
    return share.map((i) => {
      const f = files[i];
      const state = this.states.get(i);
      this.states.delete(i);
      const result = this.configs
        .forPath(f.path)
        .engine.lint(f.path, f.text, { index: this.index, isInChart: this.isInChart, helmChart: this.helmChart, state, readFile: this.readFile });
      onFile?.();
      return result;
    });
  }
}

export function toWire(result: LintResult): WireResult {
  return {
    ...result,
    findings: result.findings.map((f) => {
      const { rule: _rule, fixes, related, ...rest } = f;
      return {
        ...rest,
        ...(related ? { related: related.map((r) => ({ ...r })) } : {}),
        fixes: fixes.map((fix): WireFix => {
          if (fix.applicability !== 'safe') return { title: fix.title, applicability: fix.applicability };
          try {
            return { title: fix.title, applicability: fix.applicability, edits: fix.edits() };
          } catch (err) {
            return { title: fix.title, applicability: fix.applicability, error: (err as Error)?.message ?? String(err) };
          }
        }),
      };
    }),
  };
}

export function fromWire(wire: WireResult, applied: AppliedConfig): LintResult {
  const rules = new Map(applied.config.rules.map((r) => [r.id, r]));
  return {
    ...wire,
    findings: wire.findings.map((f): Finding => {
      const rule = rules.get(f.ruleId);
      if (!rule) throw new Error(`a worker reported rule "${f.ruleId}", which this config does not know`);
      return {
        ...f,
        rule,
        fixes: f.fixes.map(
          (fix): Fix => ({
            title: fix.title,
            applicability: fix.applicability,
            edits: () => {
              if (fix.edits) return fix.edits;
              throw new Error(fix.error ?? `the edits of unsafe fix "${fix.title}" stay in the worker that linted the file; --fix scans on one thread`);
            },
          }),
        ),
      };
    }),
  };
}
