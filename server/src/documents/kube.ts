/**
 * A typed view of Kubernetes objects over the YAML AST. Every value keeps its node, so a rule can
 * point at the exact key or value and a fix can edit just that text.
 */
import { isMap, Node, Pair, YAMLMap } from 'yaml';
import { AnyDoc, deref, findPair, getMap, getNode, getSeq, getString, mapEntries, seqItems } from './yamlNodes';
import { kindOfKindless } from './rancherConfig';

export type ContainerType = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_TYPES: readonly ContainerType[] = ['containers', 'initContainers', 'ephemeralContainers'];

/** Where the pod spec sits in each built-in kind that carries one. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  // OpenShift (apps.openshift.io/v1): known, so a minimal file without containers is still a workload.
  DeploymentConfig: ['spec', 'template', 'spec'],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

/**
 * Built-in kinds known to carry no pod template. Any other kind may be a custom workload
 * (Argo Rollout, OpenKruise CloneSet...) and is looked at for `spec.template.spec.containers`.
 */
export const NON_WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'Binding',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'ConfigMap',
  'ControllerRevision',
  'CSIDriver',
  'CSINode',
  'CSIStorageCapacity',
  'CustomResourceDefinition',
  'Endpoints',
  'EndpointSlice',
  'Event',
  'FlowSchema',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'Lease',
  'LimitRange',
  'MutatingWebhookConfiguration',
  'Namespace',
  'NetworkPolicy',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'RuntimeClass',
  'Secret',
  'Service',
  'ServiceAccount',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'PodSecurityPolicy',
  // Common CRDs that are configuration, not workloads.
  'ServiceMonitor',
  'PodMonitor',
  'PrometheusRule',
  'Certificate',
  'Issuer',
  'ClusterIssuer',
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'HTTPRoute',
  'GRPCRoute',
  'ServiceEntry',
  'AuthorizationPolicy',
  'PeerAuthentication',
  'Sidecar',
  'Application',
  'AppProject',
  'ApplicationSet',
  'Kustomization',
]);

export class Container {
  constructor(
    readonly node: YAMLMap,
    readonly type: ContainerType,
    readonly index: number,
    private readonly doc: AnyDoc,
  ) {}

  get name(): string | undefined {
    return getString(this.node, 'name', this.doc);
  }

  get image(): string | undefined {
    return getString(this.node, 'image', this.doc);
  }

  get securityContext(): YAMLMap | undefined {
    return getMap(this.node, 'securityContext', this.doc);
  }

  /** "container \"app\"" / "init container \"setup\"": how messages name a container. */
  get label(): string {
    const what = this.type === 'containers' ? 'container' : this.type === 'initContainers' ? 'init container' : 'ephemeral container';
    return this.name ? `${what} "${this.name}"` : `${what} #${this.index + 1}`;
  }

  /** The pair to point at when something is missing from this container: its `name`, else the whole item. */
  get anchor(): Pair | YAMLMap {
    return findPair(this.node, 'name', this.doc) ?? this.node;
  }
}

export class PodSpec {
  constructor(
    readonly node: YAMLMap,
    /** The pod template's (or Pod's) `metadata`, where AppArmor annotations live. */
    readonly metadata: YAMLMap | undefined,
    private readonly doc: AnyDoc,
  ) {}

  get securityContext(): YAMLMap | undefined {
    return getMap(this.node, 'securityContext', this.doc);
  }

  containers(types: readonly ContainerType[] = CONTAINER_TYPES): Container[] {
    const out: Container[] = [];
    for (const type of types) {
      seqItems(getSeq(this.node, type, this.doc), this.doc).forEach((item, index) => {
        if (isMap(item)) out.push(new Container(item, type, index, this.doc));
      });
    }
    return out;
  }
}

export class KubeObject {
  constructor(
    readonly node: YAMLMap,
    readonly doc: AnyDoc,
    /** Set when this object is an item of a `kind: List`. */
    readonly listItemIndex?: number,
    /** The kind a document without `kind` was recognised as by its content (rancherConfig.ts). */
    private readonly inferredKind?: string,
    /** The kind its file's name implies (`kustomization.yaml`), used when the object has no `kind`. */
    private readonly impliedKind?: string,
  ) {}

  // Parsed nodes never change (an edit gives a new parse), so the identity fields are read once:
  // the workspace index and model ask for them on every lookup.
  private identity: { kind?: string; name?: string; namespace?: string } | undefined;

  private ident(): { kind?: string; name?: string; namespace?: string } {
    if (!this.identity) {
      const metadata = getMap(this.node, 'metadata', this.doc);
      this.identity = {
        kind: getString(this.node, 'kind', this.doc) ?? this.impliedKind ?? this.inferredKind,
        name: getString(metadata, 'name', this.doc) ?? getString(metadata, 'generateName', this.doc),
        namespace: getString(metadata, 'namespace', this.doc),
      };
    }
    return this.identity;
  }

  get kind(): string | undefined {
    return this.ident().kind;
  }

  get apiVersion(): string | undefined {
    return getString(this.node, 'apiVersion', this.doc);
  }

  get metadata(): YAMLMap | undefined {
    return getMap(this.node, 'metadata', this.doc);
  }

  get name(): string | undefined {
    return this.ident().name;
  }

  get namespace(): string | undefined {
    return this.ident().namespace;
  }

  /** "Deployment/web": how messages name an object. */
  get label(): string {
    return `${this.kind ?? 'object'}/${this.name ?? '(unnamed)'}`;
  }

  annotations(): Map<string, { value: string; pair: Pair }> {
    return stringMap(getNode(this.metadata, 'annotations', this.doc), this.doc);
  }

  labels(): Map<string, { value: string; pair: Pair }> {
    return stringMap(getNode(this.metadata, 'labels', this.doc), this.doc);
  }

  /** The pair to point at when something is missing from the object: `kind`, else the object. */
  get anchor(): Pair | YAMLMap {
    return findPair(this.node, 'kind', this.doc) ?? this.node;
  }

  private podSpecCache: PodSpec | null | undefined;

  /** The pod spec this object runs, for built-in workloads and for custom kinds shaped like them. */
  podSpec(): PodSpec | undefined {
    if (this.podSpecCache !== undefined) return this.podSpecCache ?? undefined;
    this.podSpecCache = this.findPodSpec() ?? null;
    return this.podSpecCache ?? undefined;
  }

  private findPodSpec(): PodSpec | undefined {
    const kind = this.kind;
    if (!kind) return undefined;
    // Own keys only: `kind: constructor` would find Object's constructor.
    const path = Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
    if (path) return this.podSpecAt(path);
    if (NON_WORKLOAD_KINDS.has(kind)) return undefined;
    // Custom workloads (Argo Rollouts and the like): trust the shape, but only with containers in it.
    const candidate = this.podSpecAt(['spec', 'template', 'spec']);
    if (candidate && getSeq(candidate.node, 'containers', this.doc)) return candidate;
    return undefined;
  }

  private podSpecAt(path: readonly string[]): PodSpec | undefined {
    let node: Node | undefined = deref(this.node, this.doc);
    let parent: Node | undefined;
    for (const key of path) {
      parent = node;
      node = getNode(node, key, this.doc);
      if (!node) return undefined;
    }
    if (!isMap(node)) return undefined;
    // Pod metadata is the object's own; a template's is the template's `metadata` sibling of `spec`.
    const metadata = path.length === 1 ? this.metadata : getMap(parent, 'metadata', this.doc);
    return new PodSpec(node, metadata, this.doc);
  }
}

function stringMap(node: unknown, doc: AnyDoc): Map<string, { value: string; pair: Pair }> {
  const out = new Map<string, { value: string; pair: Pair }>();
  for (const { key, pair, value } of mapEntries(node, doc)) {
    const v = value && 'value' in value ? (value as { value: unknown }).value : undefined;
    out.set(key, { value: v == null ? '' : String(v), pair });
  }
  return out;
}

/**
 * The objects of one YAML document: itself, or the items of a `kind: List`.
 * @param impliedKind the kind a document without `kind` has because of its file's name
 *   (`kustomization.yaml` is a Kustomization without saying so); without it such a document is no object
 */
export function objectsOf(root: unknown, doc: AnyDoc, impliedKind?: string): KubeObject[] {
  const node = deref(root, doc);
  if (!isMap(node)) return [];
  const kind = getString(node, 'kind', doc);
  if (kind && /List$/.test(kind) && getSeq(node, 'items', doc)) {
    const out: KubeObject[] = [];
    seqItems(getSeq(node, 'items', doc), doc).forEach((item, i) => {
      if (isMap(item) && getString(item, 'kind', doc)) out.push(new KubeObject(item, doc, i));
    });
    return out;
  }
  if (!kind) {
    if (impliedKind) return [new KubeObject(node, doc, undefined, impliedKind)];
    const inferred = kindOfKindless(node);
    return inferred ? [new KubeObject(node, doc, undefined, undefined, inferred)] : [];
  }
  return [new KubeObject(node, doc)];
}
