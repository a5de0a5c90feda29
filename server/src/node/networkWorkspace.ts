/**
 * Reads folders and files into a workspace index for the reachability engine and the NetworkPolicy
 * generator (CLI, tests, bench): manifests as they are, Helm templates rendered with their chart's
 * default values, as `bulkhead scan` does. Helm-rendered objects without `metadata.namespace` are
 * placed in the release namespace (`default`), as `helm install` does.
 */
import * as path from 'node:path';
import { ALL_RULES } from '../../../rules';
import { classify } from '../documents/classify';
import { ResolvedConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import type { ObjectRef } from '../model/workspaceModel';
import { REACHABILITY_READS } from '../reachability/workspace';
import { chartDetector, helmChartLoader, readForLint, realRoots, walk } from './files';
import * as fs from 'node:fs';

export interface LoadedWorkspace {
  index: WorkspaceIndex;
  files: string[];
  missing: string[];
  /** Chart roots (folders of Chart.yaml) among the files read. */
  charts: string[];
  namespaceOf: (ref: ObjectRef) => string;
  /** The chart a rendered file comes from, as its path from the outermost chart read (`storefront/charts/cache`). */
  chartOf: (file: string) => string | undefined;
}

/** Every rule off: only indexing runs (what the rules declare they read, plus what reachability reads). */
function indexingConfig(): ResolvedConfig {
  const rules = [...ALL_RULES, REACHABILITY_READS];
  return new ResolvedConfig(rules, { rules: Object.fromEntries(rules.map((r) => [r.id, 'off' as const])) });
}

export function loadNetworkWorkspace(paths: readonly string[], cwd: string): LoadedWorkspace {
  const index = new WorkspaceIndex();
  const engine = new Engine(indexingConfig());
  const roots = realRoots([cwd, ...paths.map((p) => path.resolve(cwd, p))]);
  const isInChart = chartDetector();
  const helmChart = helmChartLoader(() => roots);
  const files: string[] = [];
  const missing: string[] = [];
  const charts = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    for (const file of stat.isDirectory() ? walk(abs) : [abs]) {
      const read = readForLint(file, roots);
      if (!read.ok || read.decoded.kind !== 'text') continue;
      const kind = classify(file, read.decoded.text, isInChart);
      if (kind !== 'kubernetes' && kind !== 'helm-template') continue;
      files.push(file);
      if (kind === 'helm-template') {
        const chart = helmChart(file);
        if (chart) charts.add(chart.root);
      }
      engine.lint(file, read.decoded.text, { index, isInChart, helmChart });
    }
  }
  const chartRoots = [...charts].sort();
  const inChart = (file: string) => chartRoots.some((root) => file.startsWith(`${root}${path.sep}templates${path.sep}`));
  const chartOf = (file: string): string | undefined => {
    const root = chartRoots.filter((r) => file.startsWith(`${r}${path.sep}templates${path.sep}`)).sort((a, b) => b.length - a.length)[0];
    if (!root) return undefined;
    const top = chartRoots.find((r) => root === r || root.startsWith(`${r}${path.sep}charts${path.sep}`)) ?? root;
    return [path.basename(top), path.relative(top, root)].filter(Boolean).join('/').split(path.sep).join('/');
  };
  return { index, files, missing, charts: chartRoots, namespaceOf: (ref) => ref.namespace || (inChart(ref.indexed.path) ? 'default' : ref.namespace), chartOf };
}
