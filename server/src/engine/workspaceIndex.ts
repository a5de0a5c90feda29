/**
 * Every manifest object and Dockerfile of the workspace, kept current as files are opened, edited,
 * saved and deleted, so a rule can look across files (a Service here, its Deployment there).
 */
import type { KubeObject } from '../documents/kube';
import type { DockerfileModel } from '../documents/dockerfile';
import type { FileKind } from '../documents/classify';
import type { ComposeModel } from '../documents/compose';

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
  readonly dockerfile?: DockerfileModel;
  readonly compose?: ComposeModel;
}

/** What rules see of the workspace: read-only. */
export interface WorkspaceView {
  files(): Iterable<IndexedFile>;
  /** Objects of a kind (or all), across every indexed file. */
  objects(kind?: string): IndexedObject[];
  dockerfiles(): IndexedFile[];
}

export class WorkspaceIndex implements WorkspaceView {
  private readonly byPath = new Map<string, IndexedFile>();
  private readonly sources = new Map<string, string>();
  private version = 0;

  /** Bumped on every change: results of workspace-scope rules are only valid for one version. */
  get generation(): number {
    return this.version;
  }

  /**
   * Records a file's objects. `source` is the text they came from: re-indexing the same text keeps
   * the generation, so re-linting an unchanged file does not make every other file re-lint.
   */
  update(file: IndexedFile, source?: string): void {
    const previous = this.sources.get(file.path);
    this.byPath.set(file.path, file);
    if (source !== undefined) this.sources.set(file.path, source);
    else this.sources.delete(file.path);
    if (source === undefined || previous !== source) this.version++;
  }

  remove(path: string): void {
    this.sources.delete(path);
    if (this.byPath.delete(path)) this.version++;
  }

  get(path: string): IndexedFile | undefined {
    return this.byPath.get(path);
  }

  paths(): string[] {
    return [...this.byPath.keys()];
  }

  files(): Iterable<IndexedFile> {
    return this.byPath.values();
  }

  objects(kind?: string): IndexedObject[] {
    const out: IndexedObject[] = [];
    for (const file of this.byPath.values()) {
      for (const o of file.objects) if (!kind || o.object.kind === kind) out.push(o);
    }
    return out;
  }

  dockerfiles(): IndexedFile[] {
    return [...this.byPath.values()].filter((f) => f.kind === 'dockerfile');
  }
}

/** For one-off lints with no workspace around them (tests, stdin). */
export const EMPTY_WORKSPACE: WorkspaceView = {
  files: () => [],
  objects: () => [],
  dockerfiles: () => [],
};
