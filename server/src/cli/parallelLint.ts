/**
 * The two halves of a parallel `bulkhead scan`. Rules of `document` scope read one file and nothing
 * else; those of `workspace` scope read the workspace index too. So worker threads lint their share of
 * the manifests and Dockerfiles with the document rules only, needing no index at all, while the main
 * thread builds the index once, runs the workspace rules over them and lints whole the few kinds that
 * are not split (Chart.yaml, .env and other text files). Helm templates and values files split too:
 * each half renders the chart (a worker reads it from disk itself).
 * `mergeScopes` joins a file's two halves into exactly what a single-threaded scan reports.
 *
 * Results cross threads as plain data (`WireResult`): rule objects and lazy fix closures cannot, so a
 * finding carries its rule id (resolved again from the config on arrival) and the edits of its safe
 * fixes (the only ones a report prints; unsafe fixes are applied by `--fix`, which never runs in
 * parallel).
 */
import type { Finding, LintResult, RelatedFinding } from '../engine/engine';
import { Engine } from '../engine/engine';
import type { ProfileName } from '../engine/config';
import type { Applicability, Fix, TextEdit } from '../engine/rule';
import type { FileKind } from '../documents/classify';
import type { ChartFiles } from '../documents/helm/chart';
import { AppliedConfig, CliConfigs } from './configs';

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

/** A file a worker lints: its kind as the main thread classified it (with the file system's chart lookup). */
export interface SplitFile extends SharedFile {
  kind: FileKind;
}

/** The kinds whose rules split into a document half and a workspace half (see Engine's `scope`). */
export const SPLIT_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['kubernetes', 'kubeconfig', 'dockerfile', 'helm-template', 'helm-values']);

/** One engine per config and scope, made on first use. */
export class ScopedEngines {
  private readonly engines = new Map<AppliedConfig, Engine>();
  constructor(private readonly scope: 'document' | 'workspace' | 'index') {}

  for(applied: AppliedConfig): Engine {
    let engine = this.engines.get(applied);
    if (!engine) {
      engine = new Engine(applied.config, this.scope === 'index' ? { indexOnly: true } : { scope: this.scope });
      this.engines.set(applied, engine);
    }
    return engine;
  }
}

/** A worker's job (also the main thread's when a worker fails): the document half of each file. */
export function lintDocumentHalf(
  configs: CliConfigs,
  files: readonly SplitFile[],
  helmChart: (path: string) => ChartFiles | undefined,
  onFile?: () => void,
  readFile?: (path: string) => string | undefined,
): LintResult[] {
  const engines = new ScopedEngines('document');
  return files.map((f) => {
    const result = engines.for(configs.forPath(f.path)).lint(f.path, f.text, { kind: f.kind, helmChart, readFile });
    onFile?.();
    return result;
  });
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
