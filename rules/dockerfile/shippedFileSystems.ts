/**
 * Which stages' files reach the shipped image, and through which instruction. The final stage and
 * the stages it builds on ship directly. A builder stage ships too when a stage that ships copies
 * its whole file system (`COPY --from=builder / /`, the "flattening" of the ORCA study), and a
 * directory of it ships when that directory is copied (`COPY --from=builder /usr/lib/python3 …`):
 * deletions made there hide software from scanners just as if they were made in the final stage.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../../server/src/documents/dockerfile';
import { flagsOf, keyword, pathArguments, shippedStages } from './shared';
import { withoutTrailingSlashes } from '../text';
import { MemoSlot } from '../../server/src/documents/memo';

/** The COPY that ships a builder stage's files into the image. */
export interface ShippingCopy {
  instr: Instruction;
  /** The stage copied from, as written in `--from`. */
  from: string;
  /** The copied source path (`/` when the whole file system). */
  source: string;
  /** Where it lands. */
  dest: string;
}

export interface ShippedFileSystems {
  /** Stages whose whole file system ships: `null` directly, else the COPY that flattens them in. */
  whole: Map<Stage, ShippingCopy | null>;
  /** Directories of other stages that ship, by stage. */
  partial: Map<Stage, ShippingCopy[]>;
}

const cache = new MemoSlot<DockerfileModel, ShippedFileSystems>();

/** `/`, `/.`, `/*`: the whole file system as a COPY source. */
export function isRootPath(path: string): boolean {
  return path === '/' || path === '/.' || path === '/*' || (path.length > 1 && withoutTrailingSlashes(path) === '');
}

/** The stage a `--from` value names: a stage name (case-insensitive) or an index, defined earlier. */
function stageNamed(model: DockerfileModel, value: string, before: number): Stage | undefined {
  const lower = value.toLowerCase();
  const byName = model.stages.find((s) => s.index < before && s.name !== undefined && s.name === lower);
  if (byName) return byName;
  if (/^\d{1,4}$/.test(value)) {
    const i = Number(value);
    return i < before ? model.stages[i] : undefined;
  }
  return undefined;
}

/** The stage and the stages it builds on: their files are all in its file system. */
function lineage(stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage, hops = 0; s && hops < 64; s = s.parent, hops++) out.push(s);
  return out;
}

export function shippedFileSystems(model: DockerfileModel): ShippedFileSystems {
  const known = cache.get(model);
  if (known) return known;
  const whole = new Map<Stage, ShippingCopy | null>();
  const partial = new Map<Stage, ShippingCopy[]>();
  const work: Stage[] = [];
  for (const s of shippedStages(model)) {
    whole.set(s, null);
    work.push(s);
  }
  // Each stage is visited once (the map guards the worklist), so the walk is linear in instructions.
  while (work.length) {
    const stage = work.pop()!;
    for (const instr of stage.instructions) {
      const kw = keyword(instr);
      if (kw !== 'COPY' && kw !== 'ADD') continue;
      const from = flagsOf(instr).find((f) => f.name.toLowerCase() === 'from')?.value;
      if (!from) continue;
      const source = stageNamed(model, from, stage.index);
      if (!source) continue;
      const paths = pathArguments(instr);
      for (const p of paths.slice(0, -1)) {
        const copy: ShippingCopy = { instr, from, source: p.value, dest: paths[paths.length - 1].value };
        for (const s of lineage(source)) {
          if (isRootPath(p.value)) {
            if (whole.has(s)) continue;
            whole.set(s, copy);
            work.push(s);
          } else if (p.value.startsWith('/')) {
            const list = partial.get(s) ?? [];
            list.push(copy);
            partial.set(s, list);
          }
        }
      }
    }
  }
  const result = { whole, partial };
  cache.set(model, result);
  return result;
}

/** The part of a path before its first glob character, cut back to a whole directory. */
function literalPrefix(path: string): string {
  let end = path.length;
  for (const c of ['*', '?', '[']) {
    const i = path.indexOf(c);
    if (i >= 0 && i < end) end = i;
  }
  if (end === path.length) return path;
  return path.slice(0, path.lastIndexOf('/', end) + 1);
}

/**
 * Whether `path` (as a RUN in `stage` names it) reaches the image: `null` when the stage ships
 * directly, the shipping COPY when it ships through one, `undefined` when it does not ship.
 */
export function shippedBy(model: DockerfileModel, stage: Stage, path: string): ShippingCopy | null | undefined {
  const fs = shippedFileSystems(model);
  const direct = fs.whole.get(stage);
  if (direct !== undefined) return direct;
  if (!path.startsWith('/')) return undefined;
  const prefix = literalPrefix(path);
  for (const copy of fs.partial.get(stage) ?? []) {
    const dir = `${withoutTrailingSlashes(copy.source)}/`;
    // The path lies in the copied directory, or a glob over a parent of it reaches into it.
    if (path.startsWith(dir) || path === withoutTrailingSlashes(copy.source) || (prefix !== path && dir.startsWith(prefix))) return copy;
  }
  return undefined;
}

/** Every stage some of whose files ship (whole or in part). */
export function stagesWithShippedFiles(model: DockerfileModel): Stage[] {
  const fs = shippedFileSystems(model);
  return model.stages.filter((s) => fs.whole.has(s) || fs.partial.has(s));
}
