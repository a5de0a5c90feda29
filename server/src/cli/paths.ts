/**
 * `bulkhead paths`: index the files, build the attack graph of the whole workspace (lateral
 * movement included), and print each workload's shortest path to a crown jewel as text, JSON or
 * Graphviz dot. Node ids are made of kinds, namespaces and names, so they are stable across runs.
 */
import { LineIndex } from '../text/lineIndex';
import * as path from 'node:path';
import { ALL_RULES } from '../../../rules';
import { ResolvedConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { spanOf } from '../documents/yamlNodes';
import { chartDetector, helmChartLoader, readForLint, realRoots } from '../node/files';
import type { ObjectRef } from '../model/workspaceModel';
import { AttackGraph, buildAttackGraph, GraphEdge, Jewel } from '../paths/graph';
import { AttackPath, shortestPaths } from '../paths/search';
import type { PathsFormat } from './args';
import { displayPath, expandPaths } from './scan';
import { escapeControl } from './format/common';

export interface PathsOptions {
  paths: string[];
  cwd: string;
  format: PathsFormat;
  from?: string;
  to?: Jewel;
}

export interface PathsResult {
  output: string;
  missing: string[];
  errors: string[];
  count: number;
}

/** Rules whose `reads` make the engine index every kind the graph reads. */
const INDEXING_RULES = new Set(['attack-path', 'service-target-port-undeclared']);

export function runPaths(options: PathsOptions): PathsResult {
  const { files, missing } = expandPaths(options.paths, options.cwd);
  const roots = realRoots([options.cwd, ...options.paths.map((p) => path.resolve(options.cwd, p))]);
  const engine = new Engine(
    new ResolvedConfig(
      ALL_RULES.filter((r) => INDEXING_RULES.has(r.id)),
      {},
      'all',
    ),
  );
  const index = new WorkspaceIndex();
  const isInChart = chartDetector();
  const helmChart = helmChartLoader(() => roots);
  const errors: string[] = [];
  for (const file of files) {
    const read = readForLint(file, roots);
    if (!read.ok) errors.push(`${displayPath(file, options.cwd)}: cannot read: ${read.message}`);
    else if (read.decoded.kind !== 'skipped') engine.lint(file, read.decoded.text, { index, isInChart, helmChart });
  }
  const graph = buildAttackGraph(index, { lateral: true });
  let found = shortestPaths(graph, { lateral: true, to: options.to ? [options.to] : undefined });
  if (options.from) found = found.filter((p) => matchesWorkload(graph, p, options.from!));
  found.sort((a, b) => a.steps.length - b.steps.length || a.workload.localeCompare(b.workload));
  const lines = new LineFinder(index);
  const where = (ref: ObjectRef | undefined, node?: unknown) => (ref ? lines.locate(ref, node, options.cwd) : undefined);
  let output: string;
  if (options.format === 'json') output = formatJson(graph, found, where);
  else if (options.format === 'dot') output = formatDot(graph, found);
  else output = formatText(graph, found, where);
  return { output, missing, errors, count: found.length };
}

/** `--from` names a workload as `Kind/name`, `namespace/Kind/name` or just `name`. */
function matchesWorkload(graph: AttackGraph, p: AttackPath, wanted: string): boolean {
  const node = graph.nodes.get(p.workload);
  if (!node?.ref) return false;
  const o = node.ref.object;
  return [o.name, `${o.kind}/${o.name}`, `${node.ref.namespace}/${o.kind}/${o.name}`, `${node.ref.namespace}/${o.name}`].includes(wanted);
}

/** Offsets of objects (and nodes in them) as `file:line`, 1-based. */
class LineFinder {
  private readonly lineIndexes = new Map<string, LineIndex>();
  constructor(private readonly index: WorkspaceIndex) {}

  locate(ref: ObjectRef, node: unknown, cwd: string): { file: string; line: number } {
    const span = spanOf((node ?? ref.object.anchor) as Parameters<typeof spanOf>[0]) ?? { start: 0, end: 0 };
    const offset = ref.indexed.documentStart + span.start;
    return { file: displayPath(ref.indexed.path, cwd), line: this.lineOf(ref.indexed.path, offset) + 1 };
  }

  private lineOf(file: string, offset: number): number {
    let lines = this.lineIndexes.get(file);
    if (!lines) this.lineIndexes.set(file, (lines = new LineIndex(this.index.source(file) ?? '')));
    return lines.positionAt(offset).line;
  }
}

type Locate = (ref: ObjectRef | undefined, node?: unknown) => { file: string; line: number } | undefined;

const JEWEL_WORDS: Record<Jewel, string> = { node: 'node root', 'cluster-admin': 'cluster-admin', secrets: 'secrets' };

function formatText(graph: AttackGraph, paths: readonly AttackPath[], where: Locate): string {
  if (!paths.length) return 'No attack path found.\n';
  const out: string[] = [];
  for (const p of paths) {
    const workload = graph.nodes.get(p.workload)!;
    const at = where(workload.ref);
    out.push(
      `${escapeControl(workload.name)}${workload.namespace ? ` (namespace ${escapeControl(workload.namespace)})` : ''}${at ? `  ${escapeControl(at.file)}:${at.line}` : ''}`,
    );
    const target = graph.nodes.get(p.to)!.name;
    out.push(
      `  → ${JEWEL_WORDS[p.jewel]}${target === JEWEL_WORDS[p.jewel] ? '' : `: ${escapeControl(target)}`}, in ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}`,
    );
    p.steps.forEach((s, i) => {
      const site = s.edge.sites[s.edge.sites.length - 1];
      const loc = site ? where(site.ref, site.node) : undefined;
      out.push(
        `  ${i + 1}. ${s.edge.type.padEnd(22)} ${escapeControl(describeNode(graph, s.edge.to))}${loc ? `  ${escapeControl(loc.file)}:${loc.line}` : ''}`,
      );
      out.push(`     ${escapeControl(s.edge.reason)}`);
    });
    out.push('');
  }
  out.push(`${paths.length} workload${paths.length === 1 ? '' : 's'} with a path to a crown jewel.`);
  return `${out.join('\n')}\n`;
}

/** "ServiceAccount build/ci-runner", "Deployment/web", "cluster-admin". */
function describeNode(graph: AttackGraph, id: string): string {
  const n = graph.nodes.get(id);
  if (!n) return id;
  if (n.type === 'ServiceAccount') return `ServiceAccount ${n.namespace ? `${n.namespace}/` : ''}${n.name}`;
  return n.name;
}

function formatJson(graph: AttackGraph, paths: readonly AttackPath[], where: Locate): string {
  const edges: GraphEdge[] = [...graph.edges];
  const lateral = new Map<string, number>();
  const jsonPaths = paths.map((p) => ({
    from: p.from,
    workload: p.workload,
    to: p.to,
    edges: p.steps.map((s) => {
      if (s.index >= 0) return s.index;
      const key = `${s.edge.from}\u0000${s.edge.to}\u0000${s.edge.type}`;
      let i = lateral.get(key);
      if (i === undefined) {
        lateral.set(key, (i = edges.length));
        edges.push(s.edge);
      }
      return i;
    }),
  }));
  const nodes = [...graph.nodes.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((n) => {
      const at = where(n.ref);
      return {
        id: n.id,
        type: n.type,
        namespace: n.namespace ?? null,
        name: n.name,
        file: at?.file ?? null,
        line: at?.line ?? null,
        ...(n.jewel ? { jewel: n.jewel } : {}),
      };
    });
  return `${JSON.stringify(
    {
      nodes,
      edges: edges.map((e) => {
        const site = e.sites[e.sites.length - 1];
        const at = site ? where(site.ref, site.node) : undefined;
        return { type: e.type, from: e.from, to: e.to, reason: e.reason, via: e.via, file: at?.file ?? null, line: at?.line ?? null };
      }),
      paths: jsonPaths,
    },
    null,
    2,
  )}\n`;
}

/** Graphviz: the nodes and edges on the printed paths only (the whole graph is unreadable). */
function formatDot(graph: AttackGraph, paths: readonly AttackPath[]): string {
  const q = (s: string) => JSON.stringify(s);
  const nodes = new Set<string>();
  const edges = new Map<string, GraphEdge>();
  for (const p of paths) {
    for (const s of p.steps) {
      nodes.add(s.edge.from);
      nodes.add(s.edge.to);
      edges.set(`${s.edge.from}\u0000${s.edge.to}\u0000${s.edge.type}`, s.edge);
    }
  }
  const out = ['digraph bulkhead_paths {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const id of [...nodes].sort()) {
    const n = graph.nodes.get(id);
    const label = n ? `${n.type}\\n${n.name}` : id;
    out.push(`  ${q(id)} [label=${q(label).replace(/\\\\n/g, '\\n')}${n?.jewel ? ', style=filled, fillcolor="#f4cccc"' : ''}];`);
  }
  for (const e of edges.values()) out.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.type)}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
