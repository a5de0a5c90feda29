/**
 * The workspace model: what the cluster packs know about the objects of the workspace, by namespace
 * (pod templates of every workload kind with their labels, containers, ports and probes; Services;
 * Ingresses; NetworkPolicies; EndpointSlices; Namespaces), derived from the workspace index.
 *
 * Rules, hovers and the future reachability engine read it through `WorkspaceModel.of(view)`, which
 * reads the index through the view (so a lint's dependencies are tracked as usual) and reuses the
 * model built from the same objects. Each object's derived record is cached on the object itself
 * (parsed objects are reused while their document's text is unchanged), so a rebuild after a
 * keystroke is one pass of map inserts, and every query is answered from per-namespace indexes.
 *
 * Namespaces follow the API server: an object without `metadata.namespace` is in the namespace its
 * file is applied to, modelled as one unnamed namespace (`''`); two explicit namespaces never match.
 * Service accounts, roles and bindings can be added as further records beside these.
 */
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { KubeObject } from '../documents/kube';
import { AnyDoc, findPair, getMap, getNode, getSeq, getString, mapEntries, scalarValue, seqItems, stringItems } from '../documents/yamlNodes';
import type { IndexedObject, WorkspaceView } from '../engine/workspaceIndex';
import { EVERYTHING, Labels, matches, parseLabelSelector, parseMapSelector, Selector } from './selectors';

export const UNNAMED_NAMESPACE = '';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** An object and where it is; `documentStart` is read lazily (it is a tracked workspace fact). */
export interface ObjectRef {
  readonly indexed: IndexedObject;
  readonly object: KubeObject;
  readonly namespace: string;
}

export interface ContainerPort {
  readonly container: string;
  readonly name?: string;
  readonly number?: number;
  readonly protocol: string;
  /** The `containerPort` value (or the port item). */
  readonly node: Node;
}

export interface ProbePort {
  readonly container: string;
  readonly probe: (typeof PROBES)[number];
  readonly port: number | string;
  readonly node: Node;
}

export interface ContainerInfo {
  readonly name: string;
  readonly image?: string;
  readonly ports: readonly ContainerPort[];
  readonly probes: readonly ProbePort[];
}

export interface PodTemplate {
  readonly ref: ObjectRef;
  readonly labels: Labels;
  readonly labelsNode?: Node;
  /** Regular containers only: init containers serve no traffic. */
  readonly containers: readonly ContainerInfo[];
  readonly ports: readonly ContainerPort[];
  /** The controller's own `spec.selector` (undefined for Pods and kinds without one). */
  readonly controllerSelector?: Selector;
  readonly hostNetwork: boolean;
}

export interface ServicePort {
  readonly item: YAMLMap;
  readonly name?: string;
  readonly port?: number;
  readonly portNode?: Node;
  /** `targetPort`, defaulting to `port` as the API server does. */
  readonly targetPort?: number | string;
  readonly targetPortNode?: Node;
  readonly protocol: string;
}

export interface ServiceInfo {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly type: string;
  /** Undefined when the Service has no selector (endpoints managed elsewhere). */
  readonly selector?: Selector;
  readonly ports: readonly ServicePort[];
}

export interface PolicyPort {
  readonly node: Node;
  readonly port?: number | string;
  readonly portNode?: Node;
  readonly endPort?: number;
  readonly protocol: string;
}

export interface PolicyPeer {
  readonly node: Node;
  readonly podSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly ipBlock?: { cidr: string; cidrNode?: Node; except: readonly string[] };
}

export interface PolicyRule {
  readonly node: Node;
  /** Undefined: `from`/`to` omitted, i.e. every peer. */
  readonly peers?: readonly PolicyPeer[];
  readonly peersNode?: Node;
  /** Undefined: `ports` omitted, i.e. every port. */
  readonly ports?: readonly PolicyPort[];
}

export interface NetworkPolicyInfo {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly podSelector: Selector;
  readonly podSelectorNode?: Node;
  readonly ingress: boolean;
  readonly egress: boolean;
  readonly ingressRules: readonly PolicyRule[];
  readonly egressRules: readonly PolicyRule[];
}

export interface IngressBackend {
  readonly service: string;
  readonly serviceNode: Node;
  readonly port?: number | string;
  readonly portNode?: Node;
}

export interface IngressInfo {
  readonly ref: ObjectRef;
  readonly backends: readonly IngressBackend[];
}

export interface NamespaceInfo {
  readonly name: string;
  readonly ref?: ObjectRef;
  readonly labels: Labels;
}

type Derived =
  | { kind: 'pod'; value: PodTemplate }
  | { kind: 'service'; value: ServiceInfo }
  | { kind: 'policy'; value: NetworkPolicyInfo }
  | { kind: 'ingress'; value: IngressInfo }
  | { kind: 'namespace'; value: NamespaceInfo }
  | { kind: 'slice'; value: { ref: ObjectRef; service?: string } }
  | { kind: 'other' };

/** Keyed by the index's view of an object: a file re-indexed gives new views, so moved objects get fresh refs. */
const derivedCache = new WeakMap<IndexedObject, Derived>();

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** An IntOrString port: a number, or a name. */
function intOrString(node: Node | undefined, doc: AnyDoc): number | string | undefined {
  const v = scalarValue(node, doc);
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && v !== '') return /^\d+$/.test(v) ? Number(v) : v;
  return undefined;
}

function protocolOf(map: unknown, doc: AnyDoc): string {
  return (getString(map, 'protocol', doc) ?? 'TCP').toUpperCase();
}

function labelMap(node: unknown, doc: AnyDoc): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of mapEntries(node, doc)) out.set(e.key, String(scalarValue(e.value, doc) ?? ''));
  return out;
}

function refOf(indexed: IndexedObject): ObjectRef {
  return { indexed, object: indexed.object, namespace: indexed.object.namespace ?? UNNAMED_NAMESPACE };
}

function derive(indexed: IndexedObject): Derived {
  let d = derivedCache.get(indexed);
  if (d) return d;
  d = compute(indexed);
  derivedCache.set(indexed, d);
  return d;
}

function compute(indexed: IndexedObject): Derived {
  const object = indexed.object;
  const doc = object.doc;
  const ref = refOf(indexed);
  const spec = getMap(object.node, 'spec', doc);
  switch (object.kind) {
    case 'Service': {
      const selectorNode = getNode(spec, 'selector', doc);
      const ports = seqItems(getSeq(spec, 'ports', doc), doc).flatMap((item): ServicePort[] => {
        if (!isMap(item)) return [];
        const portNode = findPair(item, 'port', doc)?.value as Node | undefined;
        const targetPortNode = findPair(item, 'targetPort', doc)?.value as Node | undefined;
        const port = toNumber(scalarValue(portNode, doc));
        return [{ item, name: getString(item, 'name', doc), port, portNode, targetPort: intOrString(targetPortNode, doc) ?? port, targetPortNode, protocol: protocolOf(item, doc) }];
      });
      const hasSelector = selectorNode !== undefined && isMap(selectorNode) && selectorNode.items.length > 0;
      return { kind: 'service', value: { ref, name: object.name ?? '', type: getString(spec, 'type', doc) ?? 'ClusterIP', selector: hasSelector ? parseMapSelector(selectorNode, doc) : undefined, ports } };
    }
    case 'NetworkPolicy': {
      const podSelectorNode = getNode(spec, 'podSelector', doc);
      const types = stringItems(getSeq(spec, 'policyTypes', doc), doc).map((t) => t.value);
      const egressNode = getSeq(spec, 'egress', doc);
      const rules = (key: 'ingress' | 'egress', peerKey: 'from' | 'to') =>
        seqItems(getSeq(spec, key, doc), doc).flatMap((rule): PolicyRule[] => {
          if (!isMap(rule)) return [];
          const peersNode = getNode(rule, peerKey, doc);
          const peers = peersNode === undefined ? undefined : seqItems(peersNode, doc).filter(isMap).map((p) => parsePeer(p, doc));
          const portsNode = getNode(rule, 'ports', doc);
          const ports =
            portsNode === undefined
              ? undefined
              : seqItems(portsNode, doc)
                  .filter(isMap)
                  .map((p): PolicyPort => {
                    const portNode = findPair(p, 'port', doc)?.value as Node | undefined;
                    return { node: p, port: intOrString(portNode, doc), portNode, endPort: toNumber(scalarValue(findPair(p, 'endPort', doc)?.value, doc)), protocol: protocolOf(p, doc) };
                  });
          return [{ node: rule, peers, peersNode, ports }];
        });
      return {
        kind: 'policy',
        value: {
          ref,
          name: object.name ?? '',
          podSelector: podSelectorNode ? parseLabelSelector(podSelectorNode, doc) : EVERYTHING,
          podSelectorNode,
          // The API server's default: Ingress always, Egress when egress rules are present.
          ingress: types.length ? types.includes('Ingress') : true,
          egress: types.length ? types.includes('Egress') : !!egressNode && egressNode.items.length > 0,
          ingressRules: rules('ingress', 'from'),
          egressRules: rules('egress', 'to'),
        },
      };
    }
    case 'Ingress': {
      const backends: IngressBackend[] = [];
      const addBackend = (backend: unknown) => {
        const service = getMap(backend, 'service', doc);
        if (service) {
          const nameNode = findPair(service, 'name', doc)?.value as Node | undefined;
          const name = getString(service, 'name', doc);
          const portMap = getMap(service, 'port', doc);
          const numberNode = findPair(portMap, 'number', doc)?.value as Node | undefined;
          const portNameNode = findPair(portMap, 'name', doc)?.value as Node | undefined;
          if (name && nameNode) backends.push({ service: name, serviceNode: nameNode, port: toNumber(scalarValue(numberNode, doc)) ?? getString(portMap, 'name', doc), portNode: numberNode ?? portNameNode });
          return;
        }
        // extensions/v1beta1 and networking.k8s.io/v1beta1
        const nameNode = findPair(backend, 'serviceName', doc)?.value as Node | undefined;
        const name = getString(backend, 'serviceName', doc);
        const portNode = findPair(backend, 'servicePort', doc)?.value as Node | undefined;
        if (name && nameNode) backends.push({ service: name, serviceNode: nameNode, port: intOrString(portNode, doc), portNode });
      };
      addBackend(getMap(spec, 'defaultBackend', doc) ?? getMap(spec, 'backend', doc));
      for (const rule of seqItems(getSeq(spec, 'rules', doc), doc)) {
        for (const path of seqItems(getSeq(getMap(rule, 'http', doc), 'paths', doc), doc)) addBackend(getMap(path, 'backend', doc));
      }
      return { kind: 'ingress', value: { ref, backends } };
    }
    case 'Namespace': {
      const labels = labelMap(getNode(object.metadata, 'labels', doc), doc);
      const name = object.name ?? '';
      labels.set(NAMESPACE_NAME_LABEL, name);
      return { kind: 'namespace', value: { name, ref, labels } };
    }
    case 'EndpointSlice':
    case 'Endpoints': {
      const service = object.kind === 'Endpoints' ? object.name : object.labels().get('kubernetes.io/service-name')?.value;
      return { kind: 'slice', value: { ref, service } };
    }
  }
  const pod = object.podSpec();
  if (!pod) return { kind: 'other' };
  const containers: ContainerInfo[] = pod.containers(['containers']).map((c) => {
    const name = c.name ?? '';
    const ports = seqItems(getSeq(c.node, 'ports', doc), doc).flatMap((p): ContainerPort[] => {
      if (!isMap(p)) return [];
      const numberNode = findPair(p, 'containerPort', doc)?.value as Node | undefined;
      return [{ container: name, name: getString(p, 'name', doc), number: toNumber(scalarValue(numberNode, doc)), protocol: protocolOf(p, doc), node: numberNode ?? p }];
    });
    const probes: ProbePort[] = [];
    for (const probe of PROBES) {
      const p = getMap(c.node, probe, doc);
      for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
        const portNode = findPair(getMap(p, handler, doc), 'port', doc)?.value as Node | undefined;
        const port = intOrString(portNode, doc);
        if (port !== undefined && portNode) probes.push({ container: name, probe, port, node: portNode });
      }
    }
    return { name, image: c.image, ports, probes };
  });
  const selectorNode = getNode(spec, 'selector', doc);
  let controllerSelector: Selector | undefined;
  if (object.kind !== 'Pod' && object.kind !== 'CronJob' && selectorNode && isMap(selectorNode)) {
    const structured = findPair(selectorNode, 'matchLabels', doc) || findPair(selectorNode, 'matchExpressions', doc);
    controllerSelector = structured ? parseLabelSelector(selectorNode, doc) : parseMapSelector(selectorNode, doc);
  }
  const labelsNode = getNode(pod.metadata, 'labels', doc);
  const hostNetwork = scalarValue(getNode(pod.node, 'hostNetwork', doc), doc) === true;
  return {
    kind: 'pod',
    value: { ref, labels: labelMap(labelsNode, doc), labelsNode, containers, ports: containers.flatMap((c) => c.ports), controllerSelector, hostNetwork },
  };
}

function parsePeer(p: YAMLMap, doc: AnyDoc): PolicyPeer {
  const pod = getNode(p, 'podSelector', doc);
  const ns = getNode(p, 'namespaceSelector', doc);
  const block = getMap(p, 'ipBlock', doc);
  const cidrNode = findPair(block, 'cidr', doc)?.value as Node | undefined;
  return {
    node: p,
    podSelector: pod ? parseLabelSelector(pod, doc) : undefined,
    namespaceSelector: ns ? parseLabelSelector(ns, doc) : undefined,
    ipBlock: block ? { cidr: getString(block, 'cidr', doc) ?? '', cidrNode, except: stringItems(getSeq(block, 'except', doc), doc).map((e) => e.value) } : undefined,
  };
}

interface NamespaceBucket {
  pods: PodTemplate[];
  /** `key=value` → pods with that label, to answer equality selectors without a scan. */
  byLabel: Map<string, PodTemplate[]>;
  services: ServiceInfo[];
  servicesByName: Map<string, ServiceInfo>;
  policies: NetworkPolicyInfo[];
  ingresses: IngressInfo[];
  endpointsFor: Set<string>;
}

const cache = new WeakMap<WorkspaceView, { objects: IndexedObject[]; model: WorkspaceModel }>();

export class WorkspaceModel {
  private readonly buckets = new Map<string, NamespaceBucket>();
  private readonly namespaceObjects = new Map<string, NamespaceInfo>();
  private readonly byObject = new Map<KubeObject, Derived>();

  /**
   * The model of the workspace `view` shows. Reads `view.objects()` every time, so the calling lint
   * depends on the objects as it would reading them itself; the model is reused while they are the same.
   */
  static of(view: WorkspaceView): WorkspaceModel {
    const objects = view.objects();
    const previous = cache.get(view);
    if (previous && sameObjects(previous.objects, objects)) return previous.model;
    const model = new WorkspaceModel(objects);
    cache.set(view, { objects, model });
    return model;
  }

  constructor(objects: readonly IndexedObject[]) {
    for (const indexed of objects) {
      const d = derive(indexed);
      if (d.kind === 'other') continue;
      this.byObject.set(indexed.object, d);
      if (d.kind === 'namespace') {
        if (d.value.name && !this.namespaceObjects.has(d.value.name)) this.namespaceObjects.set(d.value.name, d.value);
        continue;
      }
      const b = this.bucket(d.value.ref.namespace);
      switch (d.kind) {
        case 'pod':
          b.pods.push(d.value);
          for (const [k, v] of d.value.labels) {
            const key = `${k}=${v}`;
            const list = b.byLabel.get(key);
            if (list) list.push(d.value);
            else b.byLabel.set(key, [d.value]);
          }
          break;
        case 'service':
          b.services.push(d.value);
          if (!b.servicesByName.has(d.value.name)) b.servicesByName.set(d.value.name, d.value);
          break;
        case 'policy':
          b.policies.push(d.value);
          break;
        case 'ingress':
          b.ingresses.push(d.value);
          break;
        case 'slice':
          if (d.value.service) b.endpointsFor.add(d.value.service);
          break;
      }
    }
  }

  private bucket(ns: string): NamespaceBucket {
    let b = this.buckets.get(ns);
    if (!b) {
      b = { pods: [], byLabel: new Map(), services: [], servicesByName: new Map(), policies: [], ingresses: [], endpointsFor: new Set() };
      this.buckets.set(ns, b);
    }
    return b;
  }

  private static readonly EMPTY: NamespaceBucket = { pods: [], byLabel: new Map(), services: [], servicesByName: new Map(), policies: [], ingresses: [], endpointsFor: new Set() };

  private get(ns: string): NamespaceBucket {
    return this.buckets.get(ns) ?? WorkspaceModel.EMPTY;
  }

  /** Namespaces that hold any modelled object (workloads, Services, policies...), `''` for the unnamed one. */
  namespaces(): string[] {
    return [...this.buckets.keys()];
  }

  /** The Namespace object of that name, if the workspace holds one. */
  namespaceObject(name: string): NamespaceInfo | undefined {
    return this.namespaceObjects.get(name);
  }

  /** A namespace's labels: its object's, plus the automatic `kubernetes.io/metadata.name`. */
  namespaceLabels(name: string): Labels {
    return this.namespaceObjects.get(name)?.labels ?? new Map([[NAMESPACE_NAME_LABEL, name]]);
  }

  /** Named namespaces known to the workspace (objects in them, or Namespace objects). */
  knownNamespaces(): string[] {
    return [...new Set([...this.namespaceObjects.keys(), ...this.buckets.keys()])].filter((n) => n !== UNNAMED_NAMESPACE);
  }

  pods(ns: string): readonly PodTemplate[] {
    return this.get(ns).pods;
  }

  /** Pod templates of `ns` a selector selects. */
  podsSelectedBy(ns: string, selector: Selector): PodTemplate[] {
    if (selector.invalid) return [];
    const b = this.get(ns);
    let candidates: readonly PodTemplate[] = b.pods;
    for (const r of selector.requirements) {
      if (r.operator !== 'In' || r.values.length !== 1) continue;
      const list = b.byLabel.get(`${r.key}=${r.values[0]}`) ?? [];
      if (list.length < candidates.length) candidates = list;
    }
    return candidates.filter((p) => matches(selector, p.labels));
  }

  services(ns: string): readonly ServiceInfo[] {
    return this.get(ns).services;
  }

  service(ns: string, name: string): ServiceInfo | undefined {
    return this.get(ns).servicesByName.get(name);
  }

  /** Services of the pod's namespace whose selector selects it. */
  servicesSelecting(pod: PodTemplate): ServiceInfo[] {
    return this.get(pod.ref.namespace).services.filter((s) => s.selector && matches(s.selector, pod.labels));
  }

  hasEndpointsFor(ns: string, service: string): boolean {
    return this.get(ns).endpointsFor.has(service);
  }

  policies(ns: string): readonly NetworkPolicyInfo[] {
    return this.get(ns).policies;
  }

  policiesSelecting(pod: PodTemplate): NetworkPolicyInfo[] {
    return this.get(pod.ref.namespace).policies.filter((p) => matches(p.podSelector, pod.labels));
  }

  ingresses(ns: string): readonly IngressInfo[] {
    return this.get(ns).ingresses;
  }

  /**
   * Whether a NetworkPolicy peer selects any pod the workspace knows of. `policyNamespace` is the
   * policy's: a peer with only a podSelector selects pods of that namespace. A namespaceSelector is
   * evaluated against the named namespaces of the workspace (the unnamed one has unknown labels).
   */
  peerSelectsSomething(policyNamespace: string, peer: PolicyPeer): boolean {
    if (!peer.podSelector && !peer.namespaceSelector) return true;
    const namespaces = peer.namespaceSelector ? this.knownNamespaces().filter((n) => matches(peer.namespaceSelector!, this.namespaceLabels(n))) : [policyNamespace];
    if (!peer.podSelector) return namespaces.length > 0;
    return namespaces.some((n) => this.podsSelectedBy(n, peer.podSelector!).length > 0);
  }

  /** The records of one object (the object being linted): undefined when it is not in the index. */
  podOf(object: KubeObject): PodTemplate | undefined {
    const d = this.byObject.get(object);
    return d?.kind === 'pod' ? d.value : undefined;
  }

  serviceOf(object: KubeObject): ServiceInfo | undefined {
    const d = this.byObject.get(object);
    return d?.kind === 'service' ? d.value : undefined;
  }

  policyOf(object: KubeObject): NetworkPolicyInfo | undefined {
    const d = this.byObject.get(object);
    return d?.kind === 'policy' ? d.value : undefined;
  }

  ingressOf(object: KubeObject): IngressInfo | undefined {
    const d = this.byObject.get(object);
    return d?.kind === 'ingress' ? d.value : undefined;
  }

  namespaceOf(object: KubeObject): NamespaceInfo | undefined {
    const d = this.byObject.get(object);
    return d?.kind === 'namespace' ? d.value : undefined;
  }
}

function sameObjects(a: readonly IndexedObject[], b: readonly IndexedObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a port value is a literal in the YAML (and not, say, an alias), for fixes. */
export function isLiteral(node: Node | undefined): boolean {
  return !!node && isScalar(node);
}
