/**
 * The reachability hover: on the `kind` or `metadata.name` of a workload, Service or NetworkPolicy,
 * who can reach the workloads it concerns and what they can reach, with the policies responsible.
 * Pure: the language service gives it the index, the file and the offset.
 */
import type { Node, Pair } from 'yaml';
import { findPair, spanOf } from '../documents/yamlNodes';
import type { IndexedObject, WorkspaceIndex } from '../engine/workspaceIndex';
import { matches } from '../model/selectors';
import { UNNAMED_NAMESPACE } from '../model/workspaceModel';
import { Connection, endpointName, ReachabilityEngine } from './engine';
import type { Workload } from './network';
import { reachabilityOf } from './workspace';

export const HOVER_LINES = 20;

/** The object whose `kind` or `metadata.name` is at `offset` in the indexed file `path`. */
function objectAt(index: WorkspaceIndex, path: string, offset: number): IndexedObject | undefined {
  for (const o of index.get(path)?.objects ?? []) {
    const object = o.object;
    const spots = [findPair(object.node, 'kind', object.doc), findPair(object.metadata, 'name', object.doc)];
    for (const spot of spots) {
      const span = spot && spanOf(spot as Pair | Node);
      if (span && o.documentStart + span.start <= offset && offset <= o.documentStart + span.end) return o;
    }
  }
  return undefined;
}

function same(w: Workload, o: IndexedObject): boolean {
  const ref = w.pod.ref;
  return (
    ref.indexed.path === o.path &&
    ref.object.kind === o.object.kind &&
    ref.object.name === o.object.name &&
    ref.namespace === (o.object.namespace ?? UNNAMED_NAMESPACE) &&
    ref.object.listItemIndex === o.object.listItemIndex
  );
}

function line(c: Connection, side: 'in' | 'out'): string {
  const via = side === 'in' ? c.ingressVia : c.egressVia;
  return `${endpointName(c.src)} => ${endpointName(c.dst)} : ${c.conn}${via.length ? `  (${via.join('; ')})` : ''}`;
}

/** Markdown for the hover, or undefined when the offset is not on such an object. */
export function reachabilityHover(index: WorkspaceIndex, path: string, offset: number, workspaceFolder?: string): string | undefined {
  const o = objectAt(index, path, offset);
  if (!o) return undefined;
  const kind = o.object.kind;
  if (kind !== 'Service' && kind !== 'NetworkPolicy' && !o.object.podSpec()) return undefined;
  const engine = reachabilityOf(index);
  const ws = engine.snapshot.workloads;
  let targets: Workload[];
  if (kind === 'Service' || kind === 'NetworkPolicy') {
    const ns = o.object.namespace ?? UNNAMED_NAMESPACE;
    if (kind === 'Service') {
      const s = engine.snapshot.services.find((p) => p.info.ref.indexed.path === o.path && p.info.name === o.object.name && p.namespace === ns);
      targets = s?.info.selector ? ws.filter((w) => w.namespace === ns && matches(s.info.selector!, w.labels)) : [];
    } else {
      const p = engine.snapshot.policies.find((x) => x.info.ref.indexed.path === o.path && x.info.name === o.object.name && x.namespace === ns);
      targets = p ? ws.filter((w) => w.namespace === ns && matches(p.info.podSelector, w.labels)) : [];
    }
  } else targets = ws.filter((w) => same(w, o));
  const hostNetwork = engine.snapshot.hostNetwork.some((w) => same(w, o));
  if (hostNetwork) return `**Reachability**: ${o.object.label} uses \`hostNetwork\`: NetworkPolicies do not apply to it.`;
  if (!targets.length) return `**Reachability**: ${o.object.label} concerns no workload of the workspace.`;
  return (
    targets
      .slice(0, 3)
      .map((w) => workloadHover(engine, w, workspaceFolder))
      .join('\n\n---\n\n') + (targets.length > 3 ? `\n\n... and ${targets.length - 3} more workloads` : '')
  );
}

function workloadHover(engine: ReachabilityEngine, w: Workload, workspaceFolder: string | undefined): string {
  const all = engine.connections((x) => x === w);
  const incoming = all.filter((c) => c.dst.type === 'workload' && c.dst.workload === w);
  const outgoing = all.filter((c) => c.src.type === 'workload' && c.src.workload === w);
  const name = endpointName({ type: 'workload', workload: w });
  const shown: string[] = [];
  let budget = HOVER_LINES;
  const section = (title: string, list: Connection[], side: 'in' | 'out') => {
    shown.push(`${title} (${list.length}):`, '```');
    const take = list.slice(0, Math.max(0, budget));
    budget -= take.length;
    shown.push(...take.map((c) => line(c, side)));
    if (list.length > take.length) shown.push(`... ${list.length - take.length} more`);
    shown.push('```');
  };
  const policies = engine.policiesSelecting(w);
  const isolation = [
    policies.ingress.length ? `ingress isolated by ${policies.ingress.map((p) => p.info.name).join(', ')}` : 'not isolated for ingress',
    policies.egress.length ? `egress isolated by ${policies.egress.map((p) => p.info.name).join(', ')}` : 'not isolated for egress',
  ].join('; ');
  const open = engine.openNamespaces().includes(w.namespace)
    ? `\n\nIts namespace has no NetworkPolicy: it is reachable from everything and reaches everything.`
    : '';
  const anyPod = engine.fromAnyPod(w).conn;
  const cluster = anyPod.isEmpty ? '' : `\n\nAny pod of the cluster (outside the workspace too): ${anyPod}.`;
  const command = `bulkhead connectivity ${workspaceFolder ?? '.'} --focus-workload ${w.namespace || 'default'}/${w.name}`;
  section('Who can reach it', incoming, 'in');
  section('What it can reach', outgoing, 'out');
  return [
    `**Reachability of ${name}** (${isolation})${open}${cluster}`,
    '',
    ...shown,
    '',
    budget < 0 || incoming.length + outgoing.length > HOVER_LINES ? `All of them: \`${command}\`` : '',
  ]
    .join('\n')
    .trimEnd();
}
