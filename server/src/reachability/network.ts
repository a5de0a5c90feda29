/**
 * What the reachability engine reads from the workspace, in one snapshot: the workloads (every
 * pod-template kind, bare Pods, Helm-rendered output), NetworkPolicies, admin and baseline admin
 * policies, Services, Ingresses and OpenShift Routes, and namespace labels, all through the workspace
 * model. Pure: no file system, no LSP.
 *
 * Namespaces follow the model (an object without `metadata.namespace` is in the one unnamed
 * namespace `''`), except that a caller may place such objects, e.g. Helm-rendered ones, in a named
 * namespace (`namespaceOf`): Helm installs them in the release namespace.
 */
import { getMap, getNode, getString, scalarValue } from '../documents/yamlNodes';
import type { WorkspaceView } from '../engine/workspaceIndex';
import type { Labels } from '../model/selectors';
import type { ContainerPort, IngressInfo, NetworkPolicyInfo, ObjectRef, PodTemplate, ServiceInfo } from '../model/workspaceModel';
import { NAMESPACE_NAME_LABEL, toNumber, UNNAMED_NAMESPACE, WorkspaceModel } from '../model/workspaceModel';
import { AdminPolicy, readAdminPolicy } from './adminPolicies';
import { IpRange, parseCidr } from './ipRanges';

export interface Workload {
  /** Position in `NetworkSnapshot.workloads`. */
  readonly index: number;
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly pod: PodTemplate;
}

export interface Placed<T> {
  readonly info: T;
  readonly namespace: string;
}

/** An OpenShift Route: the Service it sends to and, if set, which of its ports. */
export interface RouteInfo {
  readonly ref: ObjectRef;
  readonly namespace: string;
  readonly service: string;
  readonly targetPort?: number | string;
}

export interface SnapshotOptions {
  /** The namespace of an object; by default the model's (`''` when `metadata.namespace` is absent). */
  namespaceOf?: (ref: ObjectRef) => string;
}

export interface NetworkSnapshot {
  readonly workloads: readonly Workload[];
  /** Workloads with `hostNetwork: true`: NetworkPolicies do not apply to them, so they are not endpoints. */
  readonly hostNetwork: readonly Workload[];
  readonly policies: readonly Placed<NetworkPolicyInfo>[];
  /** AdminNetworkPolicies by priority (then name), then BaselineAdminNetworkPolicies. */
  readonly admin: readonly AdminPolicy[];
  readonly baseline: readonly AdminPolicy[];
  readonly services: readonly Placed<ServiceInfo>[];
  readonly ingresses: readonly Placed<IngressInfo>[];
  readonly routes: readonly RouteInfo[];
  /** Every `cidr` and `except` of the policies: where external address segments are cut. */
  readonly blocks: readonly IpRange[];
  namespaceLabels(ns: string): Labels;
}

/** Kinds the snapshot reads (so an index built for reachability holds them). */
export const REACHABILITY_KINDS = [
  'NetworkPolicy',
  'Namespace',
  'Service',
  'Ingress',
  'Route',
  'ConfigMap',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
] as const;

function namespacesOf(view: WorkspaceView, kind: string): string[] {
  return [...new Set(view.objects(kind).map((o) => o.object.namespace ?? UNNAMED_NAMESPACE))];
}

export function buildSnapshot(view: WorkspaceView, options: SnapshotOptions = {}): NetworkSnapshot {
  const model = WorkspaceModel.of(view);
  const placeOf = options.namespaceOf ?? ((ref: ObjectRef) => ref.namespace);
  const workloads: Workload[] = [];
  const hostNetwork: Workload[] = [];
  for (const ns of view.podNamespaces()) {
    for (const pod of model.pods(ns)) {
      const w = {
        index: workloads.length,
        namespace: placeOf(pod.ref),
        name: pod.ref.object.name ?? '',
        kind: pod.ref.object.kind ?? 'Pod',
        labels: pod.labels,
        ports: pod.ports,
        pod,
      };
      if (pod.hostNetwork) hostNetwork.push({ ...w, index: -1 });
      else workloads.push(w);
    }
  }
  const placed = <T extends { ref: ObjectRef }>(kind: string, read: (ns: string) => readonly T[]): Placed<T>[] =>
    namespacesOf(view, kind).flatMap((ns) => read(ns).map((info) => ({ info, namespace: placeOf(info.ref) })));
  const policies = placed('NetworkPolicy', (ns) => model.policies(ns));
  const services = placed('Service', (ns) => model.services(ns));
  const ingresses = placed('Ingress', (ns) => model.ingresses(ns));

  const adminPolicies: AdminPolicy[] = [];
  for (const kind of ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']) {
    for (const indexed of view.objects(kind)) {
      const ref = { indexed, object: indexed.object, namespace: indexed.object.namespace ?? UNNAMED_NAMESPACE };
      const policy = readAdminPolicy(indexed.object, ref);
      if (policy) adminPolicies.push(policy);
    }
  }
  const admin = adminPolicies
    .filter((p) => p.kind === 'AdminNetworkPolicy')
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const baseline = adminPolicies.filter((p) => p.kind === 'BaselineAdminNetworkPolicy');

  const routes: RouteInfo[] = [];
  for (const indexed of view.objects('Route')) {
    const object = indexed.object;
    const doc = object.doc;
    const spec = getMap(object.node, 'spec', doc);
    const to = getMap(spec, 'to', doc);
    const service = getString(to, 'name', doc);
    if (!service || (getString(to, 'kind', doc) ?? 'Service') !== 'Service') continue;
    const raw = scalarValue(getNode(getMap(spec, 'port', doc), 'targetPort', doc), doc);
    const ref = { indexed, object, namespace: object.namespace ?? UNNAMED_NAMESPACE };
    routes.push({ ref, namespace: placeOf(ref), service, targetPort: toNumber(raw) ?? (typeof raw === 'string' && raw ? raw : undefined) });
  }

  const blocks: IpRange[] = [];
  for (const { info } of policies) {
    for (const rule of [...info.ingressRules, ...info.egressRules]) {
      for (const peer of rule.peers ?? []) {
        if (!peer.ipBlock) continue;
        for (const cidr of [peer.ipBlock.cidr, ...peer.ipBlock.except]) {
          const r = parseCidr(cidr);
          if (r) blocks.push(r);
        }
      }
    }
  }
  for (const p of [...admin, ...baseline]) for (const rule of p.egress) for (const peer of rule.peers) blocks.push(...(peer.networks ?? []));

  const labelCache = new Map<string, Labels>();
  return {
    workloads,
    hostNetwork,
    policies,
    admin,
    baseline,
    services,
    ingresses,
    routes,
    blocks,
    namespaceLabels(ns: string): Labels {
      let labels = labelCache.get(ns);
      if (!labels) labelCache.set(ns, (labels = ns === UNNAMED_NAMESPACE ? new Map() : model.namespaceLabels(ns)));
      return labels;
    },
  };
}

export { NAMESPACE_NAME_LABEL };

/**
 * A snapshot of one workload and the policies of its namespace (plus admin policies): enough to ask
 * what reaches it from outside the workspace (the Internet, any pod of the cluster) while reading
 * nothing but policies, so a lint asking it depends on no other workload.
 */
export function workloadSnapshot(pod: PodTemplate, policies: readonly NetworkPolicyInfo[], adminObjects: readonly AdminPolicy[]): NetworkSnapshot {
  const w: Workload = {
    index: 0,
    namespace: pod.ref.namespace,
    name: pod.ref.object.name ?? '',
    kind: pod.ref.object.kind ?? 'Pod',
    labels: pod.labels,
    ports: pod.ports,
    pod,
  };
  const placedPolicies = policies.map((info) => ({ info, namespace: info.ref.namespace }));
  const blocks: IpRange[] = [];
  for (const { info } of placedPolicies) {
    for (const rule of info.ingressRules)
      for (const peer of rule.peers ?? [])
        if (peer.ipBlock) for (const c of [peer.ipBlock.cidr, ...peer.ipBlock.except]) blocks.push(...(parseCidr(c) ? [parseCidr(c)!] : []));
  }
  const admin = adminObjects
    .filter((p) => p.kind === 'AdminNetworkPolicy')
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    workloads: pod.hostNetwork ? [] : [w],
    hostNetwork: pod.hostNetwork ? [w] : [],
    policies: placedPolicies,
    admin,
    baseline: adminObjects.filter((p) => p.kind === 'BaselineAdminNetworkPolicy'),
    services: [],
    ingresses: [],
    routes: [],
    blocks,
    namespaceLabels: (ns) => (ns === UNNAMED_NAMESPACE ? new Map() : new Map([[NAMESPACE_NAME_LABEL, ns]])),
  };
}

/** The admin and baseline admin policies of the workspace (reads those kinds only). */
export function adminPoliciesOf(view: WorkspaceView): AdminPolicy[] {
  const out: AdminPolicy[] = [];
  for (const kind of ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']) {
    for (const indexed of view.objects(kind)) {
      const policy = readAdminPolicy(indexed.object, { indexed, object: indexed.object, namespace: indexed.object.namespace ?? UNNAMED_NAMESPACE });
      if (policy) out.push(policy);
    }
  }
  return out;
}
