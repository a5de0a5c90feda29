/**
 * Files rules read besides the one being linted (the key file a kubeconfig names), and files the scan
 * adds because a Kustomization reads them (`secretGenerator` `envs`/`files` of any name). Both are read
 * as files from a hostile pull request must be: inside the workspace roots only, never through a link
 * that leaves them, never a device or FIFO, and small.
 */
import { kindImpliedByPath } from '../documents/classify';
import * as nodePath from 'node:path';
import { generatorInputs } from '../documents/kustomize';
import type { WorkspaceView } from '../engine/workspaceIndex';
import { parseChunk, sniffKind, splitYamlDocuments } from '../documents/yamlFile';
import { decodeBytes } from '../text/decode';
import { readRegularFile, realRoots } from './files';

/** Key files, token files and generator inputs are small; anything larger is not read for them. */
export const MAX_REFERENCED_FILE_BYTES = 256 * 1024;

/**
 * `readFile` for rules: the text of a file whose real path is inside one of `roots()` (folders), or
 * undefined. Results are kept per reader (one scan, or until the editor's next change of roots).
 */
export function workspaceFileReader(roots: () => readonly string[]): (file: string) => string | undefined {
  let real: { from: readonly string[]; roots: string[] } | undefined;
  return (file) => {
    const given = roots();
    if (!real || real.from !== given) real = { from: given, roots: realRoots(given) };
    if (real.roots.length === 0) return undefined;
    const read = readRegularFile(file, { roots: real.roots, maxBytes: MAX_REFERENCED_FILE_BYTES });
    if (!read.ok) return undefined;
    const decoded = decodeBytes(read.bytes);
    return decoded.kind === 'text' ? decoded.text : undefined;
  };
}

/** Whether a file may be a Kustomization: by its name, or by a top-level `kind:` in its text. */
function mayBeKustomization(path: string, text: string): boolean {
  // `includes` first: a native search, where the multiline regex cost about 4 M instructions over the
  // text of 311 Dockerfiles (none of which says `kind`).
  return kindImpliedByPath(path) !== undefined || (text.includes('kind') && /^kind[ \t]*:[ \t]*["']?(?:Kustomization|Component)\b/m.test(text));
}

/** The files the generators of these Kustomization files read (joined paths; may not exist). */
export function kustomizeInputFiles(files: Iterable<readonly [string, string]>): string[] {
  const out = new Set<string>();
  for (const [path, text] of files) {
    if (!mayBeKustomization(path, text)) continue;
    const implied = kindImpliedByPath(path);
    for (const chunk of splitYamlDocuments(text)) {
      const kind = sniffKind(chunk.text);
      if (kind !== undefined && kind !== 'Kustomization' && kind !== 'Component') continue;
      for (const object of parseChunk(chunk.text, implied).objects) {
        for (const input of generatorInputs(object, path)) out.add(input.path);
      }
    }
  }
  return [...out];
}

/**
 * The files the indexed Kustomizations' generators read that lie inside `folders` (the editor's
 * workspace scan walks only files named like what Bulkhead lints; these have any name).
 */
export function kustomizeInputsOfIndex(index: WorkspaceView, folders: readonly string[]): string[] {
  const out = new Set<string>();
  for (const kind of ['Kustomization', 'Component']) {
    for (const indexed of index.objects(kind)) {
      for (const input of generatorInputs(indexed.object, indexed.path)) {
        const inside = folders.some((f) => {
          const rel = nodePath.relative(f, input.path);
          return rel !== '' && !rel.startsWith('..') && !nodePath.isAbsolute(rel);
        });
        if (inside) out.add(input.path);
      }
    }
  }
  return [...out].sort();
}

/** A generator input's text: no link followed, no device, at most `MAX_REFERENCED_FILE_BYTES`. */
export function readGeneratorInput(file: string): string | undefined {
  const read = readRegularFile(file, { maxBytes: MAX_REFERENCED_FILE_BYTES });
  if (!read.ok) return undefined;
  const decoded = decodeBytes(read.bytes);
  return decoded.kind === 'text' ? decoded.text : undefined;
}
