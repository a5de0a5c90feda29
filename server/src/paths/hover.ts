/**
 * Hover text for the attack paths an object takes part in: a workload's own shortest path, and for a
 * ServiceAccount, binding or role, the paths that go through it. The graph of the whole workspace is
 * built once per index version and reused by every hover until something changes.
 */
import { spanOf } from '../documents/yamlNodes';
import type { WorkspaceIndex } from '../engine/workspaceIndex';
import { UNNAMED_NAMESPACE } from '../model/workspaceModel';
import { AttackGraph, accountId, bindingNodeId, buildAttackGraph, roleNodeId, workloadId } from './graph';
import { AttackPath, shortestPaths } from './search';

const cache = new WeakMap<WorkspaceIndex, { stamp: number; graph: AttackGraph; paths: AttackPath[] }>();
const SHOWN = 8;

function analysis(index: WorkspaceIndex): { graph: AttackGraph; paths: AttackPath[] } {
  const cached = cache.get(index);
  if (cached && cached.stamp === index.stamp) return cached;
  const graph = buildAttackGraph(index, { lateral: true });
  const value = { stamp: index.stamp, graph, paths: shortestPaths(graph, { lateral: true }) };
  cache.set(index, value);
  return value;
}

/** The graph node id of the object at `offset` of `path`, if it is one the graph knows. */
function nodeAt(index: WorkspaceIndex, path: string, offset: number): { id: string; label: string; workload: boolean } | undefined {
  for (const o of index.get(path)?.objects ?? []) {
    const span = spanOf(o.object.node);
    if (!span || offset < o.documentStart + span.start || offset > o.documentStart + span.end) continue;
    const object = o.object;
    const ns = object.namespace ?? UNNAMED_NAMESPACE;
    const name = object.name ?? '';
    switch (object.kind) {
      case 'ServiceAccount':
        return { id: accountId(ns, name), label: object.label, workload: false };
      case 'Role':
      case 'ClusterRole':
        return { id: roleNodeId(object.kind, ns, name), label: object.label, workload: false };
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        return { id: bindingNodeId(object.kind, ns, name), label: object.label, workload: false };
    }
    if (object.podSpec()) return { id: workloadId({ indexed: o, object, namespace: ns }), label: object.label, workload: true };
  }
  return undefined;
}

function describe(graph: AttackGraph, p: AttackPath): string {
  const workload = graph.nodes.get(p.workload)?.name ?? p.workload;
  const target = graph.nodes.get(p.to)?.name ?? p.to;
  return `${workload} → ${target} in ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}: ${p.steps.map((s) => `\`${s.edge.type}\``).join(' → ')}`;
}

/** Markdown for a hover at `offset` of `path`, or undefined when no path involves the object there. */
export function pathsHover(index: WorkspaceIndex, path: string, offset: number): string | undefined {
  const at = nodeAt(index, path, offset);
  if (!at) return undefined;
  const { graph, paths } = analysis(index);
  const involved = at.workload
    ? paths.filter((p) => p.workload === at.id)
    : paths.filter((p) => p.steps.some((s) => s.edge.from === at.id || s.edge.to === at.id || s.edge.via.includes(at.id)));
  if (!involved.length) return undefined;
  involved.sort((a, b) => a.steps.length - b.steps.length);
  const lines = [`**Attack paths** ${at.workload ? 'from' : 'through'} ${at.label} (\`bulkhead paths\` shows every step):`, ''];
  for (const p of involved.slice(0, SHOWN)) lines.push(`- ${describe(graph, p)}`);
  if (involved.length > SHOWN) lines.push(`- and ${involved.length - SHOWN} more`);
  if (at.workload) for (const s of involved[0].steps) lines.push('', `${s.edge.type}: ${s.edge.reason}`);
  return lines.join('\n');
}
