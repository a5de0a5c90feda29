/**
 * The work of one thread of a parallel `bulkhead scan`: build the workspace index of every file (the
 * index-only pass: parse, extract objects, run no rule), then lint whole its own share of the files
 * against it. Every thread builds the same index from the same texts in the same order, so each file's
 * result is what a single-threaded scan reports; the index pass is the only work done more than once
 * (about a third of a single-threaded scan on the corpus, see bench/parallelScan.ts), and nothing is
 * parsed or rendered twice within a thread.
 *
 * Results cross threads as plain data (`WireResult`): rule objects and lazy fix closures cannot, so a
 * finding carries its rule id (resolved again from the config on arrival) and the edits of its safe
 * fixes (the only ones a report prints; unsafe fixes are applied by `--fix`, which never runs in
 * parallel).
 */
import type { Finding, LintResult, RelatedFinding } from '../engine/engine';
import { Engine, FileState } from '../engine/engine';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import type { ProfileName } from '../engine/config';
import type { FileKind } from '../documents/classify';
import type { ChartFiles } from '../documents/helm/chart';
import { AppliedConfig, CliConfigs } from './configs';
import { type SettledFix, settle, unsettle } from './settledFixes';

/** What a thread needs to rebuild the scan's configs. */
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

/** The kinds whose rules split into a document half and a workspace half (see Engine's `scope` and `mergeScopes`). */
export const SPLIT_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['kubernetes', 'kubeconfig', 'dockerfile', 'helm-template', 'helm-values']);

/** One engine per config and scope, made on first use. */
export class ScopedEngines {
  private readonly engines = new Map<AppliedConfig, Engine>();
  /** `ruleTimes`: where the engines add their rules' times (`--timing`). */
  constructor(
    private readonly scope: 'document' | 'workspace' | 'index',
    private readonly ruleTimes?: Map<string, number>,
  ) {}

  for(applied: AppliedConfig): Engine {
    let engine = this.engines.get(applied);
    if (!engine) {
      engine = new Engine(applied.config, this.scope === 'index' ? { indexOnly: true } : { scope: this.scope });
      engine.ruleTimes = this.ruleTimes;
      this.engines.set(applied, engine);
    }
    return engine;
  }
}

/** What every thread of a scan needs besides the files: its configs and how it reads the file system. */
export interface ScanThread {
  configs: CliConfigs;
  isInChart: (path: string) => boolean;
  helmChart: (path: string) => ChartFiles | undefined;
  readFile: (path: string) => string | undefined;
}

/** Characters of text whose parsed state the indexing pass keeps for the linting pass (every scan, one thread or many). */
export const KEPT_STATE_BUDGET = 32 * 1024 * 1024;

/**
 * The workspace index of every file, as a single-threaded scan builds it (same files, same order, the
 * index-only engines), keeping the parsed state of the files of `share` for `lintShare`.
 */
export function buildIndex(
  files: readonly SharedFile[],
  share: readonly number[],
  thread: ScanThread,
  onFile?: () => void,
): { index: WorkspaceIndex; states: Map<number, FileState> } {
  const index = new WorkspaceIndex();
  const indexers = new ScopedEngines('index');
  const mine = new Set(share);
  const states = new Map<number, FileState>();
  let kept = 0;
  files.forEach((f, i) => {
    let state: FileState | undefined;
    if (mine.has(i) && kept + f.text.length <= KEPT_STATE_BUDGET) {
      state = new FileState();
      states.set(i, state);
      kept += f.text.length;
    }
    indexers
      .for(thread.configs.forPath(f.path))
      .lint(f.path, f.text, { index, isInChart: thread.isInChart, helmChart: thread.helmChart, state, readFile: thread.readFile });
    onFile?.();
  });
  return { index, states };
}

/** Lints the files of `share` whole against the complete index: what a single-threaded scan reports for them. */
export function lintShare(
  files: readonly SharedFile[],
  share: readonly number[],
  thread: ScanThread,
  built: { index: WorkspaceIndex; states: ReadonlyMap<number, FileState> },
  onFile?: () => void,
): LintResult[] {
  return share.map((i) => {
    const f = files[i];
    const result = thread.configs.forPath(f.path).engine.lint(f.path, f.text, {
      index: built.index,
      isInChart: thread.isInChart,
      helmChart: thread.helmChart,
      state: built.states.get(i),
      readFile: thread.readFile,
    });
    onFile?.();
    return result;
  });
}

interface WireFinding extends Omit<Finding, 'rule' | 'fixes' | 'related'> {
  fixes: SettledFix[];
  related?: RelatedFinding[];
}

export interface WireResult extends Omit<LintResult, 'findings'> {
  findings: WireFinding[];
}

export function toWire(result: LintResult): WireResult {
  return {
    ...result,
    findings: result.findings.map((f) => {
      const { rule: _rule, fixes, related, ...rest } = f;
      return {
        ...rest,
        ...(related ? { related: related.map((r) => ({ ...r })) } : {}),
        fixes: fixes.map(settle),
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
        fixes: f.fixes.map((fix) => unsettle(fix, 'stay in the worker that linted the file; --fix scans on one thread')),
      };
    }),
  };
}
