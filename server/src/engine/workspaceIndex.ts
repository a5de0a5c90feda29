/**
 * Every manifest object and Dockerfile of the workspace, kept current as files are opened, edited,
 * saved and deleted, so a rule can look across files (a Service here, its Deployment there).
 *
 * The index also knows which of its facts a lint read and which facts an update changed, so the
 * language server re-lints only the documents whose cross-file inputs changed. Facts are coarse
 * but exact: "the objects of kind K" (contents and paths), "all objects", "the set of files and
 * their kinds", "Dockerfile contents", "compose contents", "where objects sit in their files".
 * A read of any part of a fact depends on all of it, so a change can re-lint a document needlessly,
 * never leave one stale.
 */
import type { KubeObject } from '../documents/kube';
import type { FileKind } from '../documents/classify';
import type { ComposeModel } from '../documents/compose';
import { splitYamlDocuments } from '../documents/yamlFile';
import { getMap, mapEntries } from '../documents/yamlNodes';
import { operatorPods } from '../model/podLabels';

export interface IndexedObject {
  readonly path: string;
  /** Offset of the object's YAML document in its file. */
  readonly documentStart: number;
  readonly object: KubeObject;
}

export interface IndexedFile {
  readonly path: string;
  readonly kind: FileKind;
  readonly objects: readonly IndexedObject[];
  readonly compose?: ComposeModel;
  /**
   * A Helm template the renderer could not evaluate: it may hold any object, so rules that report
   * something missing from its chart (no pod selected, no policy) cannot trust the chart's other files.
   */
  readonly unrendered?: boolean;
}

/** What rules see of the workspace: read-only. */
export interface WorkspaceView {
  files(): Iterable<IndexedFile>;
  /**
   * Objects of a kind (or all), across every indexed file, in path order; with `namespace`, only
   * those with that `metadata.namespace` (`''`: none), and the read depends on them alone.
   */
  objects(kind?: string, namespace?: string): readonly IndexedObject[];
  dockerfiles(): readonly IndexedFile[];
  /** The files of one kind (`compose`, `dockerfile`…), in path order. */
  filesOfKind(kind: IndexedFile['kind']): readonly IndexedFile[];
  /**
   * Objects that run a pod template (any workload kind, built-in or custom) in `namespace` (`''` for
   * objects without `metadata.namespace`); with `label`, only those whose template labels include it.
   * Reading them depends on those pods only, so a Service re-lints when the pods it can select change.
   */
  pods(namespace: string, label?: readonly [string, string]): readonly IndexedObject[];
  /** The namespaces that hold pod templates. */
  podNamespaces(): readonly string[];
  /** Paths of Helm templates that could not be rendered (sorted). */
  unrenderedFiles(): readonly string[];
}

/** A part of the workspace a lint can read; see the file comment. */
export type Fact = string;
export const FACTS = {
  kind: (kind: string): Fact => `kind:${kind}`,
  /** The objects of a kind in one namespace (`''` for objects without one). */
  kindIn: (kind: string, namespace: string): Fact => `kind:${kind}\u0000${namespace}`,
  objects: 'objects',
  files: 'files',
  dockerfile: 'dockerfile',
  compose: 'compose',
  positions: 'positions',
  pods: (namespace: string, label?: readonly [string, string]): Fact => (label ? `pods:${namespace}\u0000${label[0]}=${label[1]}` : `pods:${namespace}`),
  podNamespaces: 'podNamespaces',
  unrendered: 'unrendered',
} as const;

let unprovable = 0;
/** The `members` key of the list of every object (facts never start with a NUL). */
const ALL_OBJECTS = '\u0000all';

interface Stored {
  readonly file: IndexedFile;
  /** What rules get: the same data, with getters that note which facts were read. */
  readonly view: IndexedFile;
  readonly objectViews: readonly IndexedObject[];
  readonly source?: string;
  /** Per kind, the text of the YAML documents its objects came from: equal text, equal objects. */
  readonly signatures: ReadonlyMap<string, string>;
  readonly positions: string;
  /** Per pod fact (namespace, and namespace + template label), the text of the documents behind it. */
  readonly podSignatures: ReadonlyMap<Fact, string>;
  /** For each pod fact, the object views it covers. */
  readonly podMembers: ReadonlyMap<Fact, readonly IndexedObject[]>;
  /** The lists (see `members`) this file's objects belong to, with its objects in each. */
  readonly memberships: ReadonlyMap<string, readonly IndexedObject[]>;
  readonly podNamespaces: string;
}

export class WorkspaceIndex implements WorkspaceView {
  private readonly byPath = new Map<string, Stored>();
  private stampValue = 0;
  /** When each fact last changed (a stamp); facts never changed are absent. */
  private readonly changedAt = new Map<Fact, number>();
  private readonly listeners: ((facts: readonly Fact[]) => void)[] = [];
  /** Facts read since `track` started, if a lint is being tracked. */
  private reads: Set<Fact> | undefined;
  /** Indexed paths in order; kept sorted as paths come and go (re-sorting per change is quadratic over a scan). */
  private readonly order: string[] = [];
  private sortedFiles: Stored[] | undefined;
  /**
   * The views of each file kind, in path order, until a file changes: every Dockerfile of a scan asks
   * for the compose files, and filtering every file for each was quadratic over a scan.
   */
  private readonly byKind = new Map<string, readonly IndexedFile[]>();
  /**
   * Object lists by key (every object, a kind, a kind in a namespace, a pod fact) → the files with
   * members and their members. A change touches only the lists of the file's objects, so a keystroke
   * never rebuilds a list of another kind or namespace.
   */
  private readonly members = new Map<string, Map<string, readonly IndexedObject[]>>();
  /** Each list flattened in path order, until one of its files changes. */
  private readonly listCache = new Map<string, readonly IndexedObject[]>();
  private podNamespacesSorted: string[] | undefined;
  /** How many files hold pod templates in each namespace. */
  private readonly podNamespaceCounts = new Map<string, number>();
  private readonly unrendered = new Set<string>();
  private unrenderedSorted: string[] | undefined;

  /** Bumped on every change; compare with a lint's stamp through `changedSince`. */
  get stamp(): number {
    return this.stampValue;
  }

  /** Same as `stamp`, for callers that only ask "did anything change". */
  get generation(): number {
    return this.stampValue;
  }

  /** Calls `listener` with the facts every change touched, synchronously, after the change. */
  onChange(listener: (facts: readonly Fact[]) => void): void {
    this.listeners.push(listener);
  }

  /** Runs `fn` (a lint) and returns which facts it read through the `WorkspaceView` methods. */
  track<T>(fn: () => T): { value: T; reads: ReadonlySet<Fact> } {
    const outer = this.reads;
    const reads = new Set<Fact>();
    this.reads = reads;
    try {
      return { value: fn(), reads };
    } finally {
      this.reads = outer;
      if (outer) for (const r of reads) outer.add(r);
    }
  }

  /** Whether any of `facts` changed after `stamp`. */
  changedSince(facts: Iterable<Fact>, stamp: number): boolean {
    for (const f of facts) if ((this.changedAt.get(f) ?? 0) > stamp) return true;
    return false;
  }

  private note(fact: Fact): void {
    this.reads?.add(fact);
  }

  /**
   * Records a file's objects. `source` is the text they came from: re-indexing the same text
   * changes no fact, so re-linting an unchanged file does not make every other file re-lint.
   */
  update(file: IndexedFile, source?: string): void {
    const previous = this.byPath.get(file.path);
    const same = !!previous && source !== undefined && previous.source === source && previous.file.kind === file.kind;
    // The same text gives the same objects: keep the signatures, and announce nothing.
    if (same) return;
    const stored = this.store(file, source);
    this.byPath.set(file.path, stored);
    if (!previous) this.order.splice(this.position(file.path), 0, file.path);
    this.relist(file.path, previous, stored);
    this.changed(previous, stored);
  }

  /** Moves a file's objects from the lists of its previous version to those of its new one. */
  private relist(path: string, before: Stored | undefined, after: Stored | undefined): void {
    for (const key of before?.memberships.keys() ?? []) {
      this.members.get(key)?.delete(path);
      this.listCache.delete(key);
    }
    for (const [key, list] of after?.memberships ?? []) {
      let files = this.members.get(key);
      if (!files) this.members.set(key, (files = new Map()));
      files.set(path, list);
      this.listCache.delete(key);
    }
  }

  /** A list of `members`, in path order. */
  private list(key: string): readonly IndexedObject[] {
    let cached = this.listCache.get(key);
    if (!cached) {
      const files = this.members.get(key);
      const out: IndexedObject[] = [];
      if (files) for (const p of [...files.keys()].sort()) out.push(...files.get(p)!);
      this.listCache.set(key, (cached = out));
    }
    return cached;
  }

  remove(path: string): void {
    const previous = this.byPath.get(path);
    if (!previous) return;
    this.byPath.delete(path);
    this.order.splice(this.position(path), 1);
    this.relist(path, previous, undefined);
    this.changed(previous, undefined);
  }

  private store(file: IndexedFile, source: string | undefined): Stored {
    const self = this;
    const objectViews = file.objects.map(
      (o): IndexedObject => ({
        path: o.path,
        object: o.object,
        get documentStart() {
          self.note(FACTS.positions);
          return o.documentStart;
        },
      }),
    );
    const view: IndexedFile = {
      get path() {
        self.note(FACTS.files);
        return file.path;
      },
      get kind() {
        self.note(FACTS.files);
        return file.kind;
      },
      get objects() {
        self.note(FACTS.objects);
        return objectViews;
      },
      get compose() {
        self.note(FACTS.compose);
        return file.compose;
      },
    };
    // A file without objects (a Dockerfile, a compose file) shares empty lists: nothing of it is listed.
    if (file.objects.length === 0) {
      return {
        file,
        view,
        objectViews: NO_VIEWS,
        source,
        signatures: NO_SIGNATURES,
        positions: '',
        podSignatures: NO_SIGNATURES,
        podMembers: NO_MEMBERS,
        podNamespaces: '',
        memberships: NO_MEMBERS,
      };
    }
    const podMembers = new Map<Fact, IndexedObject[]>();
    const podFacts: Fact[][] = file.objects.map((o, i) => {
      const facts = podFactsOf(o.object);
      for (const f of facts) {
        const list = podMembers.get(f);
        if (list) list.push(objectViews[i]);
        else podMembers.set(f, [objectViews[i]]);
      }
      return facts;
    });
    // Each name prefixed with \u0001, so the unnamed namespace ('') is kept too.
    const podNamespaces = [...new Set(file.objects.flatMap((o, i) => (podFacts[i].length ? [o.object.namespace ?? ''] : [])))]
      .sort()
      .map((n) => `\u0001${n}`)
      .join('');
    const memberships = new Map<string, IndexedObject[]>(podMembers);
    const join = (key: string, o: IndexedObject) => {
      const list = memberships.get(key);
      if (list) list.push(o);
      else memberships.set(key, [o]);
    };
    file.objects.forEach((o, i) => {
      const kind = o.object.kind ?? '';
      join(ALL_OBJECTS, objectViews[i]);
      join(FACTS.kind(kind), objectViews[i]);
      join(FACTS.kindIn(kind, o.object.namespace ?? ''), objectViews[i]);
    });
    const signatures = new Map<string, string>();
    const podSignatures = new Map<Fact, string>();
    if (file.objects.length) {
      const chunks = source === undefined ? undefined : new Map(splitYamlDocuments(source).map((c) => [c.start, c.text]));
      file.objects.forEach((o, i) => {
        const kind = o.object.kind ?? '';
        // Without the source text nothing proves two versions equal: a fresh token differs from all.
        const text = chunks?.get(o.documentStart) ?? `\u0000${++unprovable}`;
        const entry = `\u0001${o.object.listItemIndex ?? ''}\u0002${text}`;
        signatures.set(kind, `${signatures.get(kind) ?? ''}${entry}`);
        const inNamespace = `${kind}\u0000${o.object.namespace ?? ''}`;
        signatures.set(inNamespace, `${signatures.get(inNamespace) ?? ''}${entry}`);
        for (const f of podFacts[i]) podSignatures.set(f, `${podSignatures.get(f) ?? ''}${entry}`);
      });
    }
    return {
      file,
      view,
      objectViews,
      source,
      signatures,
      positions: file.objects.map((o) => o.documentStart).join(','),
      podSignatures,
      podMembers,
      podNamespaces,
      memberships,
    };
  }

  /** Works out which facts differ between two versions of a file (either may be absent) and announces them. */
  private changed(before: Stored | undefined, after: Stored | undefined): void {
    const facts = new Set<Fact>();
    if (!before || !after || before.file.kind !== after.file.kind) facts.add(FACTS.files);
    const kinds = differingKeys(before?.signatures, after?.signatures);
    for (const kind of kinds) facts.add(FACTS.kind(kind));
    if (kinds.length) facts.add(FACTS.objects);
    for (const f of differingKeys(before?.podSignatures, after?.podSignatures)) facts.add(f);
    if ((before?.podNamespaces ?? '') !== (after?.podNamespaces ?? '')) {
      // Announced only when the workspace-wide set changes (a namespace gains its first pods or loses its last).
      const split = (v: string | undefined) => (v ?? '').split('\u0001').slice(1);
      for (const n of split(before?.podNamespaces)) {
        const c = (this.podNamespaceCounts.get(n) ?? 0) - 1;
        if (c <= 0) {
          this.podNamespaceCounts.delete(n);
          this.podNamespacesSorted = undefined;
          facts.add(FACTS.podNamespaces);
        } else this.podNamespaceCounts.set(n, c);
      }
      for (const n of split(after?.podNamespaces)) {
        const c = (this.podNamespaceCounts.get(n) ?? 0) + 1;
        if (c === 1) {
          facts.add(FACTS.podNamespaces);
          this.podNamespacesSorted = undefined;
        }
        this.podNamespaceCounts.set(n, c);
      }
    }
    if ((before?.positions ?? '') !== (after?.positions ?? '')) facts.add(FACTS.positions);
    // Only called when the source or kind differs (or a file came or went): a Dockerfile's text changed.
    if (before?.file.kind === 'dockerfile' || after?.file.kind === 'dockerfile') facts.add(FACTS.dockerfile);
    if (before?.file.compose || after?.file.compose) facts.add(FACTS.compose);
    if (before?.file.unrendered || after?.file.unrendered) {
      if (before?.file.unrendered) this.unrendered.delete(before.file.path);
      if (after?.file.unrendered) this.unrendered.add(after.file.path);
      this.unrenderedSorted = undefined;
      facts.add(FACTS.unrendered);
    }
    // The caches hold views of the stored versions: rebuild them from the new ones.
    this.sortedFiles = undefined;
    this.byKind.clear();
    if (!facts.size) return;
    this.stampValue++;
    for (const f of facts) this.changedAt.set(f, this.stampValue);
    const list = [...facts];
    for (const listener of this.listeners) listener(list);
  }

  /**
   * The text a file's objects were indexed from (for Helm templates, the rendered output), so
   * related locations can be turned into lines. Offsets come from `documentStart`, a tracked fact.
   */
  source(path: string): string | undefined {
    return this.byPath.get(path)?.source;
  }

  get(path: string): IndexedFile | undefined {
    return this.byPath.get(path)?.file;
  }

  paths(): string[] {
    return [...this.byPath.keys()];
  }

  /** Where `path` is, or would be inserted, in `order`. */
  private position(path: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid] < path) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Files in path order, so what a rule finds never depends on the order files were indexed in. */
  private sorted(): Stored[] {
    return (this.sortedFiles ??= this.order.map((p) => this.byPath.get(p)!));
  }

  files(): Iterable<IndexedFile> {
    this.note(FACTS.files);
    return this.sorted().map((s) => s.view);
  }

  objects(kind?: string, namespace?: string): readonly IndexedObject[] {
    if (kind === undefined) {
      this.note(FACTS.objects);
      return this.list(ALL_OBJECTS);
    }
    const fact = namespace === undefined ? FACTS.kind(kind) : FACTS.kindIn(kind, namespace);
    this.note(fact);
    return this.list(fact);
  }

  pods(namespace: string, label?: readonly [string, string]): readonly IndexedObject[] {
    const fact = FACTS.pods(namespace, label);
    this.note(fact);
    return this.list(fact);
  }

  podNamespaces(): readonly string[] {
    this.note(FACTS.podNamespaces);
    return (this.podNamespacesSorted ??= [...this.podNamespaceCounts.keys()].sort());
  }

  unrenderedFiles(): readonly string[] {
    this.note(FACTS.unrendered);
    return (this.unrenderedSorted ??= [...this.unrendered].sort());
  }

  dockerfiles(): readonly IndexedFile[] {
    // A reader of the list reads the Dockerfiles themselves (through `readFile`): it depends on their texts.
    this.note(FACTS.dockerfile);
    return this.filesOfKind('dockerfile');
  }

  filesOfKind(kind: IndexedFile['kind']): readonly IndexedFile[] {
    // What reading every file's `kind` noted before.
    this.note(FACTS.files);
    let list = this.byKind.get(kind);
    if (!list) this.byKind.set(kind, (list = this.sorted().flatMap((s) => (s.file.kind === kind ? [s.view] : []))));
    return list;
  }
}

const NO_VIEWS: readonly IndexedObject[] = Object.freeze([]);
const NO_SIGNATURES: ReadonlyMap<string, string> = new Map();
const NO_MEMBERS: ReadonlyMap<string, readonly IndexedObject[]> = new Map();

/**
 * The keys whose values differ between two maps (either may be absent), each once: the keys of
 * `before` in its order, then those only `after` has.
 */
function differingKeys(before: ReadonlyMap<string, string> | undefined, after: ReadonlyMap<string, string> | undefined): string[] {
  const out: string[] = [];
  if (before) for (const [key, value] of before) if (after?.get(key) !== value) out.push(key);
  if (after) for (const key of after.keys()) if (!before?.has(key)) out.push(key);
  return out;
}

/** For one-off lints with no workspace around them (tests, stdin). */
export const EMPTY_WORKSPACE: WorkspaceView = {
  files: () => [],
  objects: () => [],
  dockerfiles: () => [],
  filesOfKind: () => [],
  pods: () => [],
  podNamespaces: () => [],
  unrenderedFiles: () => [],
};

/** The pod facts an object belongs to: its namespace's, and one per label of its pod template. */
function podFactsOf(object: KubeObject): Fact[] {
  const pod = object.podSpec();
  const ns = object.namespace ?? '';
  if (!pod) {
    // Pods an operator creates from a custom resource (Prometheus Operator kinds).
    const managed = operatorPods(object);
    return managed ? [FACTS.pods(ns), ...[...managed.labels].map(([key, value]) => FACTS.pods(ns, [key, value]))] : [];
  }
  const facts = [FACTS.pods(ns)];
  for (const [key, { value }] of podLabels(object, pod.metadata)) facts.push(FACTS.pods(ns, [key, value]));
  return facts;
}

function podLabels(object: KubeObject, metadata: unknown): Map<string, { value: string }> {
  const out = new Map<string, { value: string }>();
  const labels = getMap(metadata, 'labels', object.doc);
  for (const e of mapEntries(labels, object.doc)) {
    const v = e.value && 'value' in e.value ? (e.value as { value: unknown }).value : undefined;
    out.set(e.key, { value: v == null ? '' : String(v) });
  }
  return out;
}
