/**
 * The files a Kustomization's `secretGenerator` and `configMapGenerator` read: `envs` (and the legacy
 * single `env`) name `KEY=value` files whatever their name, `files` name files stored whole under a
 * key (`key=path`, else the file's name). Kustomize resolves them against the kustomization's folder
 * and, by default (its load restrictor), refuses any that leave it; so do we: a path that climbs out
 * of that folder, an absolute path or a URL is not an input.
 */
import * as nodePath from 'node:path';
import type { Scalar } from 'yaml';
import type { KubeObject } from './kube';
import { getSeq, getString, findPair, seqItems, stringItems } from './yamlNodes';
import type { WorkspaceView } from '../engine/workspaceIndex';

export type GeneratorName = 'secretGenerator' | 'configMapGenerator';

export interface GeneratorInput {
  /** The file, joined to the kustomization's folder and normalised (absolute when that path is). */
  readonly path: string;
  /** `envs`: `KEY=value` lines; `files`: the whole content is one value, stored under `key`. */
  readonly source: 'envs' | 'files';
  /** For `files`: the key the content is stored under. */
  readonly key?: string;
  readonly generator: GeneratorName;
  /** `metadata.name`-like `name` of what the generator makes, if set. */
  readonly name?: string;
  /** The entry in the kustomization (chunk-relative offsets). */
  readonly node: Scalar;
}

/** Most entries read from one kustomization: a work budget against hostile input. */
const MAX_INPUTS = 1000;
const GENERATORS: readonly GeneratorName[] = ['secretGenerator', 'configMapGenerator'];
const cache = new WeakMap<KubeObject, Map<string, GeneratorInput[]>>();

/** The generator inputs of a Kustomization object found in the file at `kustomizationPath`. */
export function generatorInputs(object: KubeObject, kustomizationPath: string): GeneratorInput[] {
  let byPath = cache.get(object);
  if (!byPath) cache.set(object, (byPath = new Map()));
  let out = byPath.get(kustomizationPath);
  if (!out) byPath.set(kustomizationPath, (out = readInputs(object, kustomizationPath)));
  return out;
}

function readInputs(object: KubeObject, kustomizationPath: string): GeneratorInput[] {
  if (object.kind !== 'Kustomization' && object.kind !== 'Component') return [];
  const doc = object.doc;
  const dir = nodePath.dirname(kustomizationPath);
  const out: GeneratorInput[] = [];
  for (const generator of GENERATORS) {
    for (const item of seqItems(getSeq(object.node, generator, doc), doc)) {
      const name = getString(item, 'name', doc);
      const entries: { value: string; node: Scalar; source: 'envs' | 'files' }[] = [
        ...stringItems(getSeq(item, 'envs', doc), doc).map((e) => ({ ...e, source: 'envs' as const })),
        ...stringItems(getSeq(item, 'files', doc), doc).map((e) => ({ ...e, source: 'files' as const })),
      ];
      const legacyEnv = findPair(item, 'env', doc)?.value;
      if (legacyEnv && typeof (legacyEnv as Scalar).value === 'string')
        entries.push({ value: (legacyEnv as Scalar).value as string, node: legacyEnv as Scalar, source: 'envs' });
      for (const e of entries) {
        if (out.length >= MAX_INPUTS) return out;
        let key: string | undefined;
        let file = e.value.trim();
        if (e.source === 'files') {
          const eq = file.indexOf('=');
          if (eq > 0) {
            key = file.slice(0, eq).trim();
            file = file.slice(eq + 1).trim();
          } else key = nodePath.basename(file);
        }
        const resolved = insideFolder(dir, file);
        if (resolved) out.push({ path: resolved, source: e.source, ...(key ? { key } : {}), generator, ...(name ? { name } : {}), node: e.node });
      }
    }
  }
  return out;
}

/** `file` joined to `dir`, or undefined when it is absolute, a URL, or climbs out of `dir`. */
function insideFolder(dir: string, file: string): string | undefined {
  if (!file || file.includes('://') || nodePath.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file) || file.includes('\0')) return undefined;
  const rel = nodePath.normalize(file);
  if (rel === '..' || rel.startsWith(`..${nodePath.sep}`) || rel.startsWith('../')) return undefined;
  return nodePath.join(dir, rel);
}

/** The Kustomizations of the workspace whose generators read `path`, with the entry that names it. */
export function kustomizationsReading(
  path: string,
  workspace: WorkspaceView,
): { kustomizationPath: string; documentStart: number; object: KubeObject; input: GeneratorInput }[] {
  const target = nodePath.normalize(path);
  const out: { kustomizationPath: string; documentStart: number; object: KubeObject; input: GeneratorInput }[] = [];
  for (const kind of ['Kustomization', 'Component']) {
    for (const indexed of workspace.objects(kind)) {
      for (const input of generatorInputs(indexed.object, indexed.path)) {
        if (input.path === target) out.push({ kustomizationPath: indexed.path, documentStart: indexed.documentStart, object: indexed.object, input });
      }
    }
  }
  return out;
}
