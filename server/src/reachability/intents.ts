/**
 * Connection intents read from the files themselves (no cluster, no traffic):
 *
 * - a container's env values, args and command, and the ConfigMaps it reads (env `configMapKeyRef`,
 *   `envFrom`, configMap and projected volumes), naming a Service as `svc`, `svc.ns`, `svc.ns.svc`,
 *   `svc.ns.svc.cluster.local`, with or without a scheme and port (`host:port` pairs too): the workload
 *   talks to the pods behind that Service, on the target port of the Service port named;
 * - an `http(s)://` address outside the cluster in env, args or command: egress to the Internet;
 * - Ingress and Route backends: the ingress controller talks to the backend pods;
 * - LoadBalancer and NodePort Services and `externalIPs`: the Internet talks to the selected pods;
 * - a Service no workload of the workspace names and no Ingress routes to: any pod of the cluster
 *   may talk to its pods on the target ports (its clients are outside the workspace);
 * - every workload resolves names through cluster DNS (kube-system/kube-dns, UDP and TCP 53), and a
 *   workload whose service account a RoleBinding or ClusterRoleBinding names talks to the API server.
 *
 * What cannot be resolved (a host or port built at run time, a cluster name naming no Service of the
 * workspace, a port the Service does not have) is returned as unresolved, never guessed.
 */
import { isMap } from 'yaml';
import type { KubeObject } from '../documents/kube';
import { AnyDoc, getMap, getNode, getSeq, getString, mapEntries, scalarValue, seqItems, stringItems } from '../documents/yamlNodes';
import type { WorkspaceView } from '../engine/workspaceIndex';
import { matches } from '../model/selectors';
import type { ServiceInfo, ServicePort } from '../model/workspaceModel';
import { UNNAMED_NAMESPACE } from '../model/workspaceModel';
import { isProtocol, Protocol } from './connections';
import type { NetworkSnapshot, Placed, Workload } from './network';

/** A port on the destination pod, a number or a container port name (kept as written). */
export interface PodPort {
  readonly protocol: Protocol;
  readonly port: number | string;
}

export type IntentPeer =
  | { type: 'workload'; workload: Workload }
  | { type: 'ingress-controller' }
  /** Addresses outside the cluster (`cidr`), e.g. the Internet or the API server. */
  | { type: 'external'; cidr: string; what: string }
  /** Any pod of the cluster, outside the workspace. */
  | { type: 'any-pod' }
  | { type: 'dns' };

export interface Intent {
  readonly src: IntentPeer;
  readonly dst: IntentPeer;
  readonly ports: readonly PodPort[];
  /** Why: which text produced it. */
  readonly reason: string;
}

export interface IntentOptions {
  /** Where the API server is, for workloads that use it (default 0.0.0.0/0). */
  apiServerCidr?: string;
  /** The Helm chart (or subchart) a rendered file comes from, to say when an intent crosses a dependency edge. */
  chartOf?: (path: string) => string | undefined;
}

export interface Intents {
  intents: Intent[];
  unresolved: string[];
}

/** Default ports of URL schemes, for addresses without a port. */
const SCHEME_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  redis: 6379,
  rediss: 6379,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mongodb: 27017,
  amqp: 5672,
  amqps: 5671,
  nats: 4222,
  kafka: 9092,
};

const MAX_TEXT = 256 * 1024;
const MAX_TOKENS = 20_000;

interface Text {
  value: string;
  origin: string;
  /** Env, args and command (not ConfigMap contents): a bare name and Internet addresses count there. */
  direct: boolean;
}

interface Address {
  host: string;
  port?: number;
  scheme?: string;
  /** `$(VAR)`, `${VAR}` or a template in the host or port: built at run time. */
  runtimeHost: boolean;
  runtimePort: boolean;
  /** The whole text was this address. */
  whole: boolean;
  token: string;
}

function isDigits(s: string): boolean {
  return s.length > 0 && s.length < 6 && [...s].every((c) => c >= '0' && c <= '9');
}

function hasRuntime(s: string): boolean {
  return s.includes('$(') || s.includes('${') || s.includes('{{');
}

const DNS_CHARS = new Set('abcdefghijklmnopqrstuvwxyz0123456789-.');

/** Address-like tokens of a text: split on separators, then scheme, userinfo, path and port peeled off. */
export function addresses(text: string): Address[] {
  const value = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const trimmed = value.trim();
  const out: Address[] = [];
  const tokens = value.split(/[\s,;"'`<>|\[\]]+/);
  for (const token of tokens.slice(0, MAX_TOKENS)) {
    if (!token) continue;
    let rest = token;
    let scheme: string | undefined;
    const sep = rest.indexOf('://');
    if (sep > 0) {
      scheme = rest.slice(0, sep).toLowerCase();
      rest = rest.slice(sep + 3);
    }
    // `KEY=host:port` and `--flag=host:port`: the value after the last `=`.
    const eq = rest.lastIndexOf('=');
    if (eq >= 0 && !scheme) rest = rest.slice(eq + 1);
    const slash = [...'/?#'].map((c) => rest.indexOf(c)).filter((i) => i >= 0);
    if (slash.length) rest = rest.slice(0, Math.min(...slash));
    const at = rest.lastIndexOf('@');
    if (at >= 0) rest = rest.slice(at + 1);
    let host = rest;
    let portText: string | undefined;
    const colon = rest.lastIndexOf(':');
    if (colon > 0) {
      host = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    }
    host = host.toLowerCase().replace(/\.$/, '');
    const runtimeHost = hasRuntime(host) || (host === '' && hasRuntime(token));
    const runtimePort = portText !== undefined && hasRuntime(portText);
    if (portText !== undefined && !runtimePort && !isDigits(portText)) continue;
    if (!runtimeHost && (!host || ![...host].every((c) => DNS_CHARS.has(c)) || host.startsWith('.') || host.startsWith('-'))) continue;
    const port = portText !== undefined && isDigits(portText) ? Number(portText) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) continue;
    out.push({ host, port, scheme, runtimeHost, runtimePort, whole: token === trimmed, token });
  }
  return out;
}

/** Env names that usually carry an address: a value for them the files do not set is worth saying. */
const ADDRESS_SUFFIXES = ['ADDR', 'ADDRESS', 'HOST', 'URL', 'URI', 'SERVER', 'ENDPOINT', 'SERVICE'];
const isAddressName = (name: string) => ADDRESS_SUFFIXES.some((s) => name.toUpperCase().endsWith(s));

/**
 * The texts a workload's containers read: env values, args, command, and ConfigMaps they use. An
 * address-like env variable read from a ConfigMap key the workspace does not set goes to `unknown`:
 * the program then uses a default the files do not state.
 */
function texts(w: Workload, configMaps: Map<string, KubeObject>, unknown: string[]): Text[] {
  const object = w.pod.ref.object;
  const doc = object.doc;
  const pod = object.podSpec();
  if (!pod) return [];
  const out: Text[] = [];
  const usedMaps = new Map<string, string | undefined>();
  const mapData = (name: string): { key: string; value: string }[] => {
    const cm = configMaps.get(`${w.pod.ref.namespace}\u0000${name}`);
    if (!cm) return [];
    return mapEntries(getMap(cm.node, 'data', cm.doc), cm.doc).flatMap((e) => {
      const v = scalarValue(e.value, cm.doc);
      return typeof v === 'string' ? [{ key: e.key, value: v }] : [];
    });
  };
  for (const c of pod.containers(['initContainers', 'containers'])) {
    const label = `container "${c.name ?? ''}"`;
    for (const e of seqItems(getSeq(c.node, 'env', doc), doc)) {
      const name = getString(e, 'name', doc) ?? '';
      const v = scalarValue(getNode(e, 'value', doc), doc);
      if (typeof v === 'string' || typeof v === 'number') out.push({ value: String(v), origin: `env ${name} of ${label}`, direct: true });
      const ref = getMap(getMap(e, 'valueFrom', doc), 'configMapKeyRef', doc);
      const cmName = getString(ref, 'name', doc);
      const key = getString(ref, 'key', doc);
      if (cmName && key) {
        const found = mapData(cmName).filter((d) => d.key === key);
        for (const d of found) out.push({ value: d.value, origin: `env ${name} of ${label} (ConfigMap ${cmName}, key ${key})`, direct: true });
        if (!found.length && isAddressName(name))
          unknown.push(
            `env ${name} of ${label} reads key ${key} of ConfigMap ${cmName}, which the workspace does not set: the address the program uses by default is not known`,
          );
      }
    }
    for (const e of seqItems(getSeq(c.node, 'envFrom', doc), doc)) {
      const cmName = getString(getMap(e, 'configMapRef', doc), 'name', doc);
      if (cmName) for (const d of mapData(cmName)) out.push({ value: d.value, origin: `env ${d.key} of ${label} (envFrom ConfigMap ${cmName})`, direct: true });
    }
    for (const key of ['command', 'args']) {
      for (const item of stringItems(getSeq(c.node, key, doc), doc)) out.push({ value: item.value, origin: `${key} of ${label}`, direct: true });
    }
  }
  for (const v of seqItems(getSeq(pod.node, 'volumes', doc), doc)) {
    const direct = getString(getMap(v, 'configMap', doc), 'name', doc);
    if (direct) usedMaps.set(direct, undefined);
    for (const source of seqItems(getSeq(getMap(v, 'projected', doc), 'sources', doc), doc)) {
      const name = getString(getMap(source, 'configMap', doc), 'name', doc);
      if (name) usedMaps.set(name, undefined);
    }
  }
  for (const name of usedMaps.keys())
    for (const d of mapData(name)) out.push({ value: d.value, origin: `ConfigMap ${name} (key ${d.key}) mounted into the pod`, direct: false });
  return out;
}

function serviceLabel(s: Placed<ServiceInfo>): string {
  return `Service ${s.namespace || 'default'}/${s.info.name}`;
}

/** The destination pod ports a Service port leads to on `w`; a named target port the pod lacks gives none. */
function podPortsOf(sp: ServicePort, w: Workload): PodPort | undefined {
  if (sp.targetPort === undefined || !isProtocol(sp.protocol)) return undefined;
  if (typeof sp.targetPort === 'number') return { protocol: sp.protocol, port: sp.targetPort };
  return w.ports.some((p) => p.name === sp.targetPort && p.protocol === sp.protocol) ? { protocol: sp.protocol, port: sp.targetPort } : undefined;
}

export function collectIntents(view: WorkspaceView, snapshot: NetworkSnapshot, options: IntentOptions = {}): Intents {
  const intents: Intent[] = [];
  const unresolved: string[] = [];
  const workloadName = (w: Workload) => `${w.namespace || 'default'}/${w.name}[${w.kind}]`;
  const configMaps = new Map<string, KubeObject>();
  for (const o of view.objects('ConfigMap')) configMaps.set(`${o.object.namespace ?? UNNAMED_NAMESPACE}\u0000${o.object.name ?? ''}`, o.object);
  const services = new Map<string, Placed<ServiceInfo>>();
  for (const s of snapshot.services) services.set(`${s.namespace}\u0000${s.info.name}`, s);
  const knownNamespaces = new Set([...snapshot.workloads.map((w) => w.namespace), ...snapshot.services.map((s) => s.namespace)]);
  const backends = (s: Placed<ServiceInfo>) =>
    s.info.selector ? snapshot.workloads.filter((w) => w.namespace === s.namespace && matches(s.info.selector!, w.labels)) : [];
  const named = new Set<Placed<ServiceInfo>>();

  /** Intents from `src` to the pods behind `s`, through its ports `ports` (all when undefined). */
  const chartOf = (w: Workload) => options.chartOf?.(w.pod.ref.indexed.path);
  const toService = (src: IntentPeer, s: Placed<ServiceInfo>, ports: readonly ServicePort[], why: string) => {
    for (const dst of backends(s)) {
      if (src.type === 'workload' && src.workload === dst) continue;
      const from = src.type === 'workload' ? chartOf(src.workload) : undefined;
      const to = chartOf(dst);
      // Helm-ET's dependency edge: a chart's workload and its dependency's (or the other way round), named in rendered values.
      const reason = from && to && from !== to ? `${why} (chart ${from} -> chart ${to})` : why;
      const podPorts: PodPort[] = [];
      for (const sp of ports) {
        const p = podPortsOf(sp, dst);
        if (p) podPorts.push(p);
        else
          unresolved.push(
            `${src.type === 'workload' ? `${workloadName(src.workload)}: ` : ''}${reason}: port ${sp.name ?? sp.port ?? '?'} of ${serviceLabel(s)} names target port "${String(sp.targetPort)}", which ${workloadName(dst)} does not declare`,
          );
      }
      if (podPorts.length) intents.push({ src, dst: { type: 'workload', workload: dst }, ports: podPorts, reason });
    }
  };

  for (const w of snapshot.workloads) {
    const seen = new Set<string>();
    const unknown: string[] = [];
    const read = texts(w, configMaps, unknown);
    for (const u of unknown) unresolved.push(`${workloadName(w)}: ${u}`);
    for (const text of read) {
      for (const a of addresses(text.value)) {
        const key = `${a.host}:${a.port ?? ''}:${a.scheme ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const where = `${text.origin} "${a.token.length > 80 ? `${a.token.slice(0, 77)}...` : a.token}"`;
        const whose = `${workloadName(w)}: ${where}`;
        if (a.runtimeHost) {
          if (text.direct && (a.scheme || a.port !== undefined || a.runtimePort)) unresolved.push(`${whose}: the host is built at run time`);
          continue;
        }
        const parts = a.host.split('.');
        const clusterSuffix = (parts.length === 3 && parts[2] === 'svc') || (parts.length === 5 && parts.slice(2).join('.') === 'svc.cluster.local');
        let service: Placed<ServiceInfo> | undefined;
        if (parts.length === 1) {
          // A bare name only where it is the whole value or comes with a scheme or port: not any word of a config file.
          if (!(a.whole && text.direct) && !a.scheme && a.port === undefined) continue;
          service = services.get(`${w.namespace}\u0000${parts[0]}`);
        } else if (parts.length === 2 || clusterSuffix) {
          const ns = parts[1];
          service =
            services.get(`${ns}\u0000${parts[0]}`) ??
            (w.namespace === 'default' || ns !== 'default' ? undefined : services.get(`${UNNAMED_NAMESPACE}\u0000${parts[0]}`));
          if (!service && clusterSuffix) {
            unresolved.push(`${whose}: names ${a.host}, and the workspace has no such Service${knownNamespaces.has(ns) ? '' : ` (nor namespace ${ns})`}`);
            continue;
          }
        }
        if (!service) {
          if (text.direct && parts.length > 1 && (a.scheme === 'http' || a.scheme === 'https') && !a.runtimePort) {
            const port = a.port ?? (a.scheme === 'https' ? 443 : 80);
            intents.push({
              src: { type: 'workload', workload: w },
              dst: { type: 'external', cidr: '0.0.0.0/0', what: `the Internet (${a.host})` },
              ports: [{ protocol: 'TCP', port }],
              reason: where,
            });
          }
          continue;
        }
        if (a.runtimePort) {
          unresolved.push(`${whose}: the port of ${serviceLabel(service)} is built at run time`);
          continue;
        }
        named.add(service);
        let ports: ServicePort[];
        // Own properties only: the scheme comes from the file (`constructor://x` must not find Object's).
        const schemePort = a.scheme && Object.hasOwn(SCHEME_PORTS, a.scheme) ? SCHEME_PORTS[a.scheme] : undefined;
        if (a.port !== undefined) {
          ports = service.info.ports.filter((p) => p.port === a.port);
          if (!ports.length) {
            unresolved.push(`${whose}: ${serviceLabel(service)} has no port ${a.port}`);
            continue;
          }
        } else if (service.info.ports.length === 1) ports = [...service.info.ports];
        else {
          const bySheme = service.info.ports.filter((p) => schemePort && p.port === schemePort);
          ports = bySheme.length ? bySheme : [...service.info.ports];
        }
        toService({ type: 'workload', workload: w }, service, ports, where);
      }
    }
  }

  for (const ing of snapshot.ingresses) {
    for (const b of ing.info.backends) {
      const s = services.get(`${ing.namespace}\u0000${b.service}`);
      const what = `Ingress ${ing.namespace || 'default'}/${ing.info.ref.object.name ?? ''} routes to Service ${b.service}`;
      if (!s) {
        unresolved.push(`${what}, which the workspace does not hold`);
        continue;
      }
      named.add(s);
      const ports = s.info.ports.filter((p) => b.port === undefined || p.port === b.port || p.name === b.port);
      if (!ports.length) unresolved.push(`${what}: it has no port ${String(b.port)}`);
      else toService({ type: 'ingress-controller' }, s, ports, what);
    }
  }
  for (const r of snapshot.routes) {
    const s = services.get(`${r.namespace}\u0000${r.service}`);
    const what = `Route ${r.namespace || 'default'}/${r.ref.object.name ?? ''} routes to Service ${r.service}`;
    if (!s) {
      unresolved.push(`${what}, which the workspace does not hold`);
      continue;
    }
    named.add(s);
    const ports = s.info.ports.filter((p) => r.targetPort === undefined || p.name === r.targetPort || p.targetPort === r.targetPort);
    toService({ type: 'ingress-controller' }, s, ports, what);
  }
  for (const s of snapshot.services) {
    const spec = getMap(s.info.ref.object.node, 'spec', s.info.ref.object.doc);
    const externalIPs = stringItems(getSeq(spec, 'externalIPs', s.info.ref.object.doc), s.info.ref.object.doc).length > 0;
    if (s.info.type === 'LoadBalancer' || s.info.type === 'NodePort' || externalIPs) {
      toService(
        { type: 'external', cidr: '0.0.0.0/0', what: 'the Internet' },
        s,
        s.info.ports,
        `${serviceLabel(s)} is published outside the cluster (${externalIPs ? 'externalIPs' : s.info.type})`,
      );
    }
    if (!named.has(s))
      toService({ type: 'any-pod' }, s, s.info.ports, `${serviceLabel(s)} is named by no workload of the workspace: its clients are elsewhere in the cluster`);
  }

  const apiUsers = apiServerUsers(view);
  for (const w of snapshot.workloads) {
    intents.push({
      src: { type: 'workload', workload: w },
      dst: { type: 'dns' },
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ],
      reason: 'name resolution through cluster DNS',
    });
    const account = serviceAccountOf(w);
    const binding = apiUsers.get(`${w.pod.ref.namespace}\u0000${account}`);
    if (binding) {
      intents.push({
        src: { type: 'workload', workload: w },
        dst: { type: 'external', cidr: options.apiServerCidr ?? '0.0.0.0/0', what: 'the API server' },
        ports: [
          { protocol: 'TCP', port: 443 },
          { protocol: 'TCP', port: 6443 },
        ],
        reason: `its service account ${account} is bound to a role by ${binding}`,
      });
    }
  }
  return { intents, unresolved: [...new Set(unresolved)] };
}

function serviceAccountOf(w: Workload): string {
  const pod = w.pod.ref.object.podSpec();
  const doc = w.pod.ref.object.doc;
  return getString(pod?.node, 'serviceAccountName', doc) ?? getString(pod?.node, 'serviceAccount', doc) ?? 'default';
}

/** Service accounts named as subjects of RoleBindings and ClusterRoleBindings: `namespace\0name` → the binding. */
function apiServerUsers(view: WorkspaceView): Map<string, string> {
  const out = new Map<string, string>();
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    for (const o of view.objects(kind)) {
      const doc: AnyDoc = o.object.doc;
      for (const subject of seqItems(getSeq(o.object.node, 'subjects', doc), doc)) {
        if (!isMap(subject) || getString(subject, 'kind', doc) !== 'ServiceAccount') continue;
        const name = getString(subject, 'name', doc);
        const ns = getString(subject, 'namespace', doc) ?? o.object.namespace ?? UNNAMED_NAMESPACE;
        if (name && !out.has(`${ns}\u0000${name}`)) out.set(`${ns}\u0000${name}`, `${kind}/${o.object.name ?? ''}`);
      }
    }
  }
  return out;
}

export const GENERATOR_KINDS = ['ConfigMap', 'RoleBinding', 'ClusterRoleBinding'] as const;
