/**
 * NetworkPolicy generation from intents (see intents.ts), verified by construction: the policies are
 * applied to the workspace (in place of its own NetworkPolicies) and the reachability engine must find
 * every intent allowed and nothing else between the workspace's endpoints.
 *
 * One policy per workload, selecting it by the labels it already has (never adding any; a label key
 * of a look-alike workload is excluded with `DoesNotExist`), isolating it both ways, allowing exactly
 * the intended ingress and egress on the destination pod's ports (target ports resolved, named ports
 * kept as names), DNS to kube-system/kube-dns, the API server where used, nothing else; plus a
 * default-deny policy per namespace. Each rule carries a comment saying which intent produced it.
 */
import { parseAllDocuments } from 'yaml';
import { objectsOf } from '../documents/kube';
import { WorkspaceIndex, WorkspaceView } from '../engine/workspaceIndex';
import { UNNAMED_NAMESPACE } from '../model/workspaceModel';
import { ConnectionSet, isProtocol } from './connections';
import { Endpoint, endpointName, EngineOptions, ReachabilityEngine } from './engine';
import { collectIntents, Intent, IntentOptions, IntentPeer, PodPort } from './intents';
import { containsRange, parseCidr } from './ipRanges';
import { buildSnapshot, NetworkSnapshot, SnapshotOptions, Workload } from './network';

export interface GenerateOptions extends EngineOptions, SnapshotOptions, IntentOptions {}

export interface GenerateResult {
  yaml: string;
  policies: number;
  intents: number;
  unresolved: string[];
  /** Ordered workload pairs with any allowed connection, before and after. */
  stats: { before: number; after: number };
  verification: { ok: boolean; problems: string[] };
}

export const GENERATED_PATH = '/bulkhead-generated/networkpolicies.yaml';

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._\/-]*$/;
const AMBIGUOUS = new Set(['true', 'false', 'yes', 'no', 'y', 'n', 'on', 'off', 'null', '~']);

/** A YAML scalar for a label key or value, quoted unless plainly a string. */
function scalar(s: string): string {
  return PLAIN.test(s) && !AMBIGUOUS.has(s.toLowerCase()) && !/^[0-9.+-]+$/.test(s) && !/^0x/i.test(s) ? s : JSON.stringify(s);
}

interface SelectorYaml {
  matchLabels: [string, string][];
  absent: string[];
}

function selectorLines(sel: SelectorYaml, indent: string): string[] {
  const out: string[] = [];
  if (sel.matchLabels.length) {
    out.push(`${indent}matchLabels:`);
    for (const [k, v] of sel.matchLabels) out.push(`${indent}  ${scalar(k)}: ${scalar(v)}`);
  }
  if (sel.absent.length) {
    out.push(`${indent}matchExpressions:`);
    for (const k of sel.absent) out.push(`${indent}- {key: ${scalar(k)}, operator: DoesNotExist}`);
  }
  return out;
}

function selectorBlock(key: string, sel: SelectorYaml, indent: string): string[] {
  const body = selectorLines(sel, `${indent}  `);
  return body.length ? [`${indent}${key}:`, ...body] : [`${indent}${key}: {}`];
}

function labelsKey(labels: ReadonlyMap<string, string>): string {
  return JSON.stringify([...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Workloads one label selector cannot tell apart (same namespace, same labels) form one group and share a policy. */
interface Group {
  namespace: string;
  members: Workload[];
  selector: SelectorYaml;
  name: string;
}

function groupsOf(snapshot: NetworkSnapshot): { groups: Group[]; groupOf: Map<Workload, Group> } {
  const byKey = new Map<string, Group>();
  for (const w of snapshot.workloads) {
    const key = `${w.namespace}\u0000${labelsKey(w.labels)}`;
    const g = byKey.get(key);
    if (g) g.members.push(w);
    else byKey.set(key, { namespace: w.namespace, members: [w], selector: { matchLabels: [], absent: [] }, name: '' });
  }
  const groups = [...byKey.values()];
  const names = new Set<string>();
  for (const g of groups) {
    const labels = g.members[0].labels;
    g.selector.matchLabels = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Another workload of the namespace with all these labels and more would be selected too: exclude it by one of its extra keys.
    const absent = new Set<string>();
    for (const o of snapshot.workloads) {
      if (o.namespace !== g.namespace || g.members.includes(o) || o.labels.size <= labels.size) continue;
      if (![...labels].every(([k, v]) => o.labels.get(k) === v)) continue;
      const extra = [...o.labels.keys()].filter((k) => !labels.has(k)).sort();
      if (!extra.some((k) => absent.has(k))) absent.add(extra[0]);
    }
    g.selector.absent = [...absent].sort();
    let name = `${g.members[0].name}-netpol`.slice(0, 240);
    for (let i = 2; names.has(`${g.namespace}\u0000${name}`); i++) name = `${g.members[0].name}-netpol-${i}`;
    names.add(`${g.namespace}\u0000${name}`);
    g.name = name;
  }
  groups.sort((a, b) => (a.namespace + '\u0000' + a.name < b.namespace + '\u0000' + b.name ? -1 : 1));
  const groupOf = new Map<Workload, Group>();
  for (const g of groups) for (const w of g.members) groupOf.set(w, g);
  return { groups, groupOf };
}

interface RuleDraft {
  peer: string[];
  ports: Map<string, PodPort>;
  reasons: string[];
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

export function generatePolicies(index: WorkspaceIndex, options: GenerateOptions = {}): GenerateResult {
  const snapshot = buildSnapshot(index, options);
  const before = new ReachabilityEngine(snapshot, options);
  const { intents, unresolved } = collectIntents(index, snapshot, options);
  const { groups, groupOf } = groupsOf(snapshot);
  const ingressNs = options.ingressControllerNamespace ?? 'ingress-nginx';
  const drafts = new Map<Group, { ingress: Map<string, RuleDraft>; egress: Map<string, RuleDraft> }>();
  for (const g of groups) drafts.set(g, { ingress: new Map(), egress: new Map() });

  /** The peer lines (one `- ...` list item) that select `peer` from a policy in `namespace`; undefined if no selector can. */
  const peerLines = (peer: IntentPeer, namespace: string): string[] | undefined => {
    switch (peer.type) {
      case 'workload': {
        const g = groupOf.get(peer.workload)!;
        if (g.namespace === namespace) return selectorBlock('- podSelector', g.selector, '    ').map((l, i) => (i === 0 ? l : `  ${l}`));
        if (g.namespace === UNNAMED_NAMESPACE || namespace === UNNAMED_NAMESPACE) return undefined;
        return [
          `    - namespaceSelector:`,
          `        matchLabels: {${scalar(NAME_LABEL)}: ${scalar(g.namespace)}}`,
          ...selectorBlock('podSelector', g.selector, '      '),
        ];
      }
      case 'ingress-controller':
        return [`    - namespaceSelector:`, `        matchLabels: {${scalar(NAME_LABEL)}: ${scalar(ingressNs)}}`];
      case 'external':
        return [`    - ipBlock: {cidr: ${scalar(peer.cidr)}}`];
      case 'any-pod':
        return ['    - namespaceSelector: {}'];
      case 'dns':
        return [
          `    - namespaceSelector:`,
          `        matchLabels: {${scalar(NAME_LABEL)}: kube-system}`,
          '      podSelector:',
          '        matchLabels: {k8s-app: kube-dns}',
        ];
    }
  };
  const describe = (p: IntentPeer): string => {
    switch (p.type) {
      case 'workload':
        return endpointName({ type: 'workload', workload: p.workload });
      case 'ingress-controller':
        return `the ingress controller (namespace ${ingressNs})`;
      case 'external':
        return `${p.what} (${p.cidr})`;
      case 'any-pod':
        return 'any pod of the cluster';
      case 'dns':
        return 'cluster DNS (kube-system/kube-dns)';
    }
  };
  const add = (g: Group, direction: 'ingress' | 'egress', peer: IntentPeer, intent: Intent) => {
    const lines = peerLines(peer, g.namespace);
    if (!lines) {
      unresolved.push(
        `${intent.reason}: ${describe(peer)} and ${g.name} are in the unnamed namespace and a named one; no selector can name the unnamed namespace`,
      );
      return false;
    }
    const map = drafts.get(g)![direction];
    const key = lines.join('\n');
    let d = map.get(key);
    if (!d) map.set(key, (d = { peer: lines, ports: new Map(), reasons: [] }));
    for (const p of intent.ports) d.ports.set(`${p.protocol}/${p.port}`, p);
    const why = `${direction === 'ingress' ? 'from' : 'to'} ${describe(peer)}: ${intent.reason}`;
    if (!d.reasons.includes(why)) d.reasons.push(why);
    return true;
  };
  const applied: Intent[] = [];
  for (const intent of intents) {
    let ok = true;
    if (intent.dst.type === 'workload') ok = add(groupOf.get(intent.dst.workload)!, 'ingress', intent.src, intent) && ok;
    if (intent.src.type === 'workload' && ok) ok = add(groupOf.get(intent.src.workload)!, 'egress', intent.dst, intent);
    if (ok) applied.push(intent);
  }

  const out: string[] = [
    '# NetworkPolicies generated by Bulkhead (`bulkhead netpol generate`): review before applying.',
    "# They replace the workspace's own NetworkPolicies: together they allow exactly the connections listed",
    '# in the comments (checked by the reachability engine), cluster DNS, and nothing else.',
  ];
  for (const u of [...new Set(unresolved)]) out.push(`# UNRESOLVED (not allowed): ${u.replace(/[\r\n]+/g, ' ')}`);
  for (const w of snapshot.hostNetwork) out.push(`# ${w.namespace || 'default'}/${w.name}[${w.kind}] uses hostNetwork: NetworkPolicies do not apply to it.`);
  const docs: string[] = [];
  const namespaceLine = (ns: string) => (ns === UNNAMED_NAMESPACE ? [] : [`  namespace: ${scalar(ns)}`]);
  for (const ns of [...new Set(groups.map((g) => g.namespace))].sort()) {
    docs.push(
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: default-deny',
        ...namespaceLine(ns),
        'spec:',
        '  # Every pod of the namespace is isolated both ways; the policies below allow what each workload needs.',
        '  podSelector: {}',
        '  policyTypes: [Ingress, Egress]',
      ].join('\n'),
    );
  }
  for (const g of groups) {
    const d = drafts.get(g)!;
    const lines = ['apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', `  name: ${scalar(g.name)}`, ...namespaceLine(g.namespace), 'spec:'];
    if (g.members.length > 1)
      lines.push(
        `  # Selects ${g.members.map((w) => endpointName({ type: 'workload', workload: w })).join(', ')}: their labels are the same, so one policy serves them all.`,
      );
    lines.push(...selectorBlock('podSelector', g.selector, '  '), '  policyTypes: [Ingress, Egress]');
    for (const direction of ['ingress', 'egress'] as const) {
      const rules = [...d[direction].values()];
      if (!rules.length) {
        lines.push(`  ${direction}: []`);
        continue;
      }
      lines.push(`  ${direction}:`);
      for (const r of rules) {
        const shown = r.reasons.slice(0, 6);
        for (const why of shown) lines.push(`  # ${why.replace(/[\r\n]+/g, ' ')}`);
        if (r.reasons.length > shown.length) lines.push(`  # ... and ${r.reasons.length - shown.length} more`);
        lines.push(`  - ${direction === 'ingress' ? 'from' : 'to'}:`, ...r.peer, '    ports:');
        const ports = [...r.ports.values()].sort((a, b) => (a.protocol + String(a.port) < b.protocol + String(b.port) ? -1 : 1));
        for (const p of ports) lines.push(`    - {protocol: ${p.protocol}, port: ${typeof p.port === 'number' ? p.port : scalar(p.port)}}`);
      }
    }
    docs.push(lines.join('\n'));
  }
  const yaml = `${out.join('\n')}\n${docs.map((d) => `---\n${d}\n`).join('')}`;
  const verification = verify(index, yaml, applied, options);
  return {
    yaml,
    policies: docs.length,
    intents: applied.length,
    unresolved: [...new Set(unresolved)],
    stats: { before: podPairs(before), after: podPairs(verification.engine) },
    verification: { ok: verification.problems.length === 0, problems: verification.problems },
  };
}

function podPairs(engine: ReachabilityEngine): number {
  let n = 0;
  const ws = engine.snapshot.workloads;
  for (const s of ws)
    for (const d of ws) if (s !== d && !engine.between({ type: 'workload', workload: s }, { type: 'workload', workload: d }).conn.isEmpty) n++;
  return n;
}

/** The files of a view that `keep` accepts, as an index of their own (e.g. one folder of the workspace). */
export function subIndex(view: WorkspaceView, keep: (path: string) => boolean): WorkspaceIndex {
  const next = new WorkspaceIndex();
  for (const f of view.files()) if (keep(f.path)) next.update(f);
  return next;
}

/** The workspace with its NetworkPolicies replaced by `yaml`. */
export function applyPolicies(index: WorkspaceView, yaml: string): WorkspaceIndex {
  const next = new WorkspaceIndex();
  for (const f of index.files()) next.update({ ...f, objects: f.objects.filter((o) => o.object.kind !== 'NetworkPolicy') });
  const objects = [];
  let offset = 0;
  for (const doc of parseAllDocuments(yaml)) {
    for (const object of objectsOf(doc.contents, doc)) objects.push({ path: GENERATED_PATH, documentStart: doc.range?.[0] ?? offset, object });
    offset = doc.range?.[2] ?? offset;
  }
  next.update({ path: GENERATED_PATH, kind: 'kubernetes', objects });
  return next;
}

/** Resolves an intent's pod ports on one destination pod. */
function podPortConnections(ports: readonly PodPort[], w: Workload | undefined): ConnectionSet {
  let conn = ConnectionSet.NONE;
  for (const p of ports) {
    if (!isProtocol(p.protocol)) continue;
    if (typeof p.port === 'number') conn = conn.union(ConnectionSet.ports(p.protocol, p.port));
    else
      for (const cp of w?.ports ?? [])
        if (cp.name === p.port && cp.protocol === p.protocol && cp.number !== undefined) conn = conn.union(ConnectionSet.ports(p.protocol, cp.number));
  }
  return conn;
}

/**
 * Re-runs the engine on the workspace with the generated policies and compares, pair by pair, with
 * the intended connections: workload to workload, ingress controller to workload, address segments
 * to and from workloads.
 */
function verify(index: WorkspaceIndex, yaml: string, intents: readonly Intent[], options: GenerateOptions): { engine: ReachabilityEngine; problems: string[] } {
  const applied = applyPolicies(index, yaml);
  const engine = new ReachabilityEngine(buildSnapshot(applied, options), options);
  const ws = engine.snapshot.workloads;
  // Workloads of the new snapshot by the object they come from, so intents (on the original snapshot) map onto them.
  const byObject = new Map(ws.map((w) => [w.pod.ref.object, w]));
  const same = (w: Workload) => byObject.get(w.pod.ref.object);
  const groupKey = (w: Workload) => `${w.namespace}\u0000${labelsKey(w.labels)}`;
  const membersOf = (w: Workload) => ws.filter((o) => groupKey(o) === groupKey(w));
  const intended = new Map<string, ConnectionSet>();
  // By identity, not by name: a workspace may hold two workloads of the same name (copies for two environments).
  const id = (e: Endpoint) => (e.type === 'workload' ? `#${e.workload.index}` : endpointName(e));
  const want = (src: Endpoint, dst: Endpoint, conn: ConnectionSet) => {
    const key = `${id(src)} => ${id(dst)}`;
    intended.set(key, (intended.get(key) ?? ConnectionSet.NONE).union(conn));
  };
  const externalsIn = (cidr: string) => {
    const block = parseCidr(cidr);
    return block ? engine.externals.filter((r) => containsRange(block, r)) : [];
  };
  const dnsPods = ws.filter((w) => w.namespace === 'kube-system' && w.labels.get('k8s-app') === 'kube-dns');
  for (const intent of intents) {
    const srcs: Endpoint[] =
      intent.src.type === 'workload'
        ? membersOf(same(intent.src.workload)!).map((w) => ({ type: 'workload', workload: w }))
        : intent.src.type === 'ingress-controller'
          ? [{ type: 'ingress-controller' }]
          : intent.src.type === 'external'
            ? externalsIn(intent.src.cidr).map((range) => ({ type: 'external', range }))
            : [];
    const dsts: Endpoint[] =
      intent.dst.type === 'workload'
        ? membersOf(same(intent.dst.workload)!).map((w) => ({ type: 'workload', workload: w }))
        : intent.dst.type === 'external'
          ? externalsIn(intent.dst.cidr).map((range) => ({ type: 'external', range }))
          : intent.dst.type === 'dns'
            ? dnsPods.map((w) => ({ type: 'workload', workload: w }))
            : [];
    for (const s of srcs) {
      for (const d of dsts) {
        if (s.type === 'workload' && d.type === 'workload' && s.workload === d.workload) continue;
        want(s, d, podPortConnections(intent.ports, d.type === 'workload' ? d.workload : undefined));
      }
    }
  }
  const problems: string[] = [];
  const check = (src: Endpoint, dst: Endpoint) => {
    const expected = intended.get(`${id(src)} => ${id(dst)}`) ?? ConnectionSet.NONE;
    const key = `${endpointName(src)} => ${endpointName(dst)}`;
    const actual = engine.between(src, dst).conn;
    if (actual.equals(expected)) return;
    const missing = expected.subtract(actual);
    const extra = actual.subtract(expected);
    if (!missing.isEmpty) problems.push(`${key}: intended ${missing} is not allowed`);
    if (!extra.isEmpty) problems.push(`${key}: ${extra} is allowed and no intent asks for it`);
  };
  for (const s of ws) for (const d of ws) if (s !== d) check({ type: 'workload', workload: s }, { type: 'workload', workload: d });
  for (const w of ws) {
    const self: Endpoint = { type: 'workload', workload: w };
    check({ type: 'ingress-controller' }, self);
    for (const range of engine.externals) {
      check({ type: 'external', range }, self);
      check(self, { type: 'external', range });
    }
  }
  return { engine, problems };
}
