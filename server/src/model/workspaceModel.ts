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
import { automaticLabelKeys, automaticLabelSatisfies, AUTOMATIC_LABEL_KEYS, operatorPods } from './podLabels';
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
  /** False for pods an operator creates from a custom resource: their containers and ports are not in the workspace. */
  readonly portsKnown: boolean;
  /** Label keys the controller sets on each pod besides the template's (`pod-template-hash`...). */
  readonly automaticKeys: readonly string[];
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
  readonly ref: ObjectRef;
  readonly labels: Labels;
}

export type Derived =
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
        return [
          {
            item,
            name: getString(item, 'name', doc),
            port,
            portNode,
            targetPort: intOrString(targetPortNode, doc) ?? port,
            targetPortNode,
            protocol: protocolOf(item, doc),
          },
        ];
      });
      const hasSelector = selectorNode !== undefined && isMap(selectorNode) && selectorNode.items.length > 0;
      return {
        kind: 'service',
        value: {
          ref,
          name: object.name ?? '',
          type: getString(spec, 'type', doc) ?? 'ClusterIP',
          selector: hasSelector ? parseMapSelector(selectorNode, doc) : undefined,
          ports,
        },
      };
    }
    case 'NetworkPolicy': {
      const podSelectorNode = getNode(spec, 'podSelector', doc);
      const types = stringItems(getSeq(spec, 'policyTypes', doc), doc).map((t) => t.value);
      const egressNode = getSeq(spec, 'egress', doc);
      const rules = (key: 'ingress' | 'egress', peerKey: 'from' | 'to') =>
        seqItems(getSeq(spec, key, doc), doc).flatMap((rule): PolicyRule[] => {
          if (!isMap(rule)) return [];
          const peersNode = getNode(rule, peerKey, doc);
          const peers =
            peersNode === undefined
              ? undefined
              : seqItems(peersNode, doc)
                  .filter(isMap)
                  .map((p) => parsePeer(p, doc));
          const portsNode = getNode(rule, 'ports', doc);
          const ports =
            portsNode === undefined
              ? undefined
              : seqItems(portsNode, doc)
                  .filter(isMap)
                  .map((p): PolicyPort => {
                    const portNode = findPair(p, 'port', doc)?.value as Node | undefined;
                    return {
                      node: p,
                      port: intOrString(portNode, doc),
                      portNode,
                      endPort: toNumber(scalarValue(findPair(p, 'endPort', doc)?.value, doc)),
                      protocol: protocolOf(p, doc),
                    };
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
          if (name && nameNode)
            backends.push({
              service: name,
              serviceNode: nameNode,
              port: toNumber(scalarValue(numberNode, doc)) ?? getString(portMap, 'name', doc),
              portNode: numberNode ?? portNameNode,
            });
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
  if (!pod) {
    const managed = operatorPods(object);
    if (!managed) return { kind: 'other' };
    return {
      kind: 'pod',
      value: {
        ref,
        labels: managed.labels,
        labelsNode: managed.labelsNode,
        containers: [],
        ports: [],
        hostNetwork: false,
        portsKnown: false,
        automaticKeys: [],
      },
    };
  }
  const containers: ContainerInfo[] = pod.containers(['containers']).map((c) => {
    const name = c.name ?? '';
    const ports = seqItems(getSeq(c.node, 'ports', doc), doc).flatMap((p): ContainerPort[] => {
      if (!isMap(p)) return [];
      const numberNode = findPair(p, 'containerPort', doc)?.value as Node | undefined;
      return [
        {
          container: name,
          name: getString(p, 'name', doc),
          number: toNumber(scalarValue(numberNode, doc)),
          protocol: protocolOf(p, doc),
          node: numberNode ?? p,
        },
      ];
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
    value: {
      ref,
      labels: labelMap(labelsNode, doc),
      labelsNode,
      containers,
      ports: containers.flatMap((c) => c.ports),
      controllerSelector,
      hostNetwork,
      portsKnown: true,
      automaticKeys: automaticLabelKeys(object.kind),
    },
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
    ipBlock: block
      ? { cidr: getString(block, 'cidr', doc) ?? '', cidrNode, except: stringItems(getSeq(block, 'except', doc), doc).map((e) => e.value) }
      : undefined,
  };
}

/** One kind family of the model, indexed by namespace; rebuilt only when its objects change. */
interface Section<T> {
  objects: (readonly IndexedObject[])[];
  value: T;
}

interface RecordTypes {
  pod: PodTemplate;
  service: ServiceInfo;
  policy: NetworkPolicyInfo;
  ingress: IngressInfo;
  namespace: NamespaceInfo;
  slice: { ref: ObjectRef; service?: string };
}

function records<K extends keyof RecordTypes>(objects: readonly IndexedObject[], kind: K): RecordTypes[K][] {
  const out: RecordTypes[K][] = [];
  for (const o of objects) {
    const d = derive(o);
    if (d.kind === kind) out.push((d as unknown as { value: RecordTypes[K] }).value);
  }
  return out;
}

const models = new WeakMap<WorkspaceView, WorkspaceModel>();
/** Records of objects being linted, derived from the object itself (its parse is reused while its text is). */
const selfCache = new WeakMap<KubeObject, Derived>();

/**
 * The model of one workspace view. Sections are built lazily and each read registers, through the
 * view, exactly the facts it depends on: a workload asking for the policies of its namespace
 * depends on NetworkPolicies only, not on every other workload; a Service selecting `app=web` depends
 * on the pod templates labelled `app=web` in its namespace (built-in and custom workload kinds alike).
 */
export class WorkspaceModel {
  private readonly sections = new Map<string, Section<unknown>>();

  private constructor(private readonly view: WorkspaceView) {}

  static of(view: WorkspaceView): WorkspaceModel {
    let model = models.get(view);
    if (!model) models.set(view, (model = new WorkspaceModel(view)));
    return model;
  }

  /**
   * Reads the objects of `kinds` (each in `namespace` when given) through the view, registering just
   * those reads, and returns the section built from them; rebuilt only when one of the lists changed.
   */
  private section<T>(key: string, kinds: readonly string[], namespace: string | undefined, build: (objects: IndexedObject[]) => T): T {
    const arrays = kinds.map((k) => this.view.objects(k, namespace));
    const previous = this.sections.get(key) as Section<T> | undefined;
    if (previous && previous.objects.length === arrays.length && previous.objects.every((a, i) => a === arrays[i] || sameObjects(a, arrays[i])))
      return previous.value;
    const value = build(arrays.flat());
    this.sections.set(key, { objects: arrays, value });
    return value;
  }

  /** The Services of one namespace, and by name (reads that namespace's Services). */
  private serviceIndex(ns: string): { list: ServiceInfo[]; byName: Map<string, ServiceInfo> } {
    return this.section(`services\u0000${ns}`, ['Service'], ns, (objects) => {
      const list = records(objects, 'service');
      const byName = new Map<string, ServiceInfo>();
      for (const s of list) if (!byName.has(s.name)) byName.set(s.name, s);
      return { list, byName };
    });
  }

  private namespaceIndex(): Map<string, NamespaceInfo> {
    return this.section('namespaces', ['Namespace'], undefined, (objects) => {
      const out = new Map<string, NamespaceInfo>();
      for (const n of records(objects, 'namespace')) if (n.name && !out.has(n.name)) out.set(n.name, n);
      return out;
    });
  }

  private endpointIndex(ns: string): Set<string> {
    return this.section(
      `endpoints\u0000${ns}`,
      ['EndpointSlice', 'Endpoints'],
      ns,
      (objects) => new Set(records(objects, 'slice').flatMap((s) => (s.service ? [s.service] : []))),
    );
  }

  /** The Namespace object of that name, if the workspace holds one (reads Namespaces). */
  namespaceObject(name: string): NamespaceInfo | undefined {
    return this.namespaceIndex().get(name);
  }

  /** A namespace's labels: its object's, plus the automatic `kubernetes.io/metadata.name` (reads Namespaces). */
  namespaceLabels(name: string): Labels {
    return this.namespaceIndex().get(name)?.labels ?? new Map([[NAMESPACE_NAME_LABEL, name]]);
  }

  /** Named namespaces known to the workspace: Namespace objects and namespaces holding pods. */
  knownNamespaces(): string[] {
    return [...new Set([...this.namespaceIndex().keys(), ...this.view.podNamespaces()])].filter((n) => n !== UNNAMED_NAMESPACE);
  }

  /** Whether the workspace holds pod templates in `ns` (depends on the set of such namespaces only). */
  hasPods(ns: string): boolean {
    return this.view.podNamespaces().includes(ns);
  }

  /**
   * Whether the Helm chart `path` belongs to (with its parent and subcharts) has a template the
   * renderer could not evaluate: that template may hold the pod, Service or policy a rule would call
   * missing. False for files outside charts. Depends on the set of such templates only.
   */
  chartIncomplete(path: string): boolean {
    const root = chartRootOf(path);
    if (root === undefined) return false;
    return this.view.unrenderedFiles().some((p) => {
      const other = chartRootOf(p);
      return other !== undefined && (other === root || root.startsWith(`${other}/charts/`) || other.startsWith(`${root}/charts/`));
    });
  }

  /** Pod templates of a namespace (depends on that namespace's pods only). */
  pods(ns: string): PodTemplate[] {
    return records(this.view.pods(ns), 'pod');
  }

  /**
   * Pod templates of `ns` a selector selects. With an equality requirement (`app=web`), only the pods
   * carrying that label are read, so the lint depends on them alone and not on the whole namespace.
   */
  podsSelectedBy(ns: string, selector: Selector): PodTemplate[] {
    if (selector.invalid) return [];
    // Controller-set labels are not in the index (no template carries them): never narrow by one.
    const equality = selector.requirements.find((r) => r.operator === 'In' && r.values.length === 1 && !AUTOMATIC_LABEL_KEYS.has(r.key));
    const candidates = records(equality ? this.view.pods(ns, [equality.key, equality.values[0]]) : this.view.pods(ns), 'pod');
    return candidates.filter((p) => selectsPod(selector, p));
  }

  /** Services of a namespace (reads Services). */
  services(ns: string): readonly ServiceInfo[] {
    return this.serviceIndex(ns).list;
  }

  service(ns: string, name: string): ServiceInfo | undefined {
    return this.serviceIndex(ns).byName.get(name);
  }

  /** Services of the pod's namespace whose selector selects it (reads Services). */
  servicesSelecting(pod: PodTemplate): ServiceInfo[] {
    return this.services(pod.ref.namespace).filter((s) => s.selector && selectsPod(s.selector, pod));
  }

  hasEndpointsFor(ns: string, service: string): boolean {
    return this.endpointIndex(ns).has(service);
  }

  /** NetworkPolicies of a namespace (reads NetworkPolicies). */
  policies(ns: string): readonly NetworkPolicyInfo[] {
    return this.section(`policies\u0000${ns}`, ['NetworkPolicy'], ns, (objects) => records(objects, 'policy'));
  }

  policiesSelecting(pod: PodTemplate): NetworkPolicyInfo[] {
    return this.policies(pod.ref.namespace).filter((p) => selectsPod(p.podSelector, pod));
  }

  ingresses(ns: string): readonly IngressInfo[] {
    return this.section(`ingresses\u0000${ns}`, ['Ingress'], ns, (objects) => records(objects, 'ingress'));
  }

  /**
   * The records of the object being linted, derived from it (not looked up in the index: the same
   * text may be indexed as another parse of it). Reads nothing from the workspace.
   */
  static recordOf(object: KubeObject, path: string): Derived {
    let d = selfCache.get(object);
    if (!d) selfCache.set(object, (d = compute({ path, documentStart: 0, object })));
    return d;
  }

  static podOf(object: KubeObject, path: string): PodTemplate | undefined {
    const d = WorkspaceModel.recordOf(object, path);
    return d.kind === 'pod' ? d.value : undefined;
  }

  static serviceOf(object: KubeObject, path: string): ServiceInfo | undefined {
    const d = WorkspaceModel.recordOf(object, path);
    return d.kind === 'service' ? d.value : undefined;
  }

  static policyOf(object: KubeObject, path: string): NetworkPolicyInfo | undefined {
    const d = WorkspaceModel.recordOf(object, path);
    return d.kind === 'policy' ? d.value : undefined;
  }

  static ingressOf(object: KubeObject, path: string): IngressInfo | undefined {
    const d = WorkspaceModel.recordOf(object, path);
    return d.kind === 'ingress' ? d.value : undefined;
  }

  static namespaceOf(object: KubeObject, path: string): NamespaceInfo | undefined {
    const d = WorkspaceModel.recordOf(object, path);
    return d.kind === 'namespace' ? d.value : undefined;
  }
}

/**
 * Whether a selector selects the pods of a template: its labels, and for requirements on a label the
 * template does not set but its controller does, whether the controller's value can satisfy it.
 */
export function selectsPod(selector: Selector, pod: PodTemplate): boolean {
  if (selector.invalid) return false;
  if (!pod.automaticKeys.length) return matches(selector, pod.labels);
  const own = selector.requirements.filter((r) => pod.labels.has(r.key) || !pod.automaticKeys.includes(r.key));
  if (!matches({ ...selector, requirements: own }, pod.labels)) return false;
  return selector.requirements.every((r) => pod.labels.has(r.key) || !pod.automaticKeys.includes(r.key) || automaticLabelSatisfies(r, pod.ref.object));
}

/** The same object as the index holds, compared by place and not by parse: same file, same document, same list item. */
export function sameObject(a: ObjectRef, path: string, object: KubeObject): boolean {
  return (
    a.indexed.path === path &&
    a.object.kind === object.kind &&
    a.object.name === object.name &&
    a.namespace === (object.namespace ?? UNNAMED_NAMESPACE) &&
    a.object.listItemIndex === object.listItemIndex
  );
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

/** `/x/chart/templates/a.yaml` → `/x/chart`: the chart a template belongs to (undefined outside `templates/`). */
export function chartRootOf(path: string): string | undefined {
  const normal = path.replace(/\\/g, '/');
  const sub = normal.lastIndexOf('/charts/');
  const at = normal.indexOf('/templates/', sub < 0 ? 0 : sub);
  return at < 0 ? undefined : normal.slice(0, at);
}
