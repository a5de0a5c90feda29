/**
 * A chart's `dependencies:` as helm reads them for rendering: which subchart each entry names
 * (`alias`), whether it is enabled (`condition`, `tags`), and the values it exports to its parent
 * (`import-values`). Pure: data in, data out.
 */
import { DataMap, isMap, newMap, originOf, ownValue, setKeyOrigin, setObjectOrigin, setOwn } from './data';

/** One `import-values` entry: the child's table (path below the child's values) and where it lands in the parent's. */
export interface ImportValue {
  child: string;
  parent: string;
}

export interface Dependency {
  name: string;
  alias?: string;
  condition?: string;
  tags: string[];
  version?: string;
  importValues: ImportValue[];
}

/** The `dependencies:` of a parsed Chart.yaml. */
export function dependenciesOf(meta: DataMap): Dependency[] {
  const deps = ownValue(meta, 'dependencies');
  if (!Array.isArray(deps)) return [];
  return deps.flatMap((d): Dependency[] => {
    if (!isMap(d) || typeof d.name !== 'string') return [];
    const tags = Array.isArray(d.tags) ? d.tags.filter((t): t is string => typeof t === 'string') : [];
    return [
      {
        name: d.name,
        alias: typeof d.alias === 'string' && d.alias ? d.alias : undefined,
        condition: typeof d.condition === 'string' ? d.condition : undefined,
        tags,
        version: typeof d.version === 'string' ? d.version : undefined,
        importValues: importValuesOf(ownValue(d, 'import-values')),
      },
    ];
  });
}

/**
 * `import-values` in both of helm's forms: a string `name` is the child's `exports.name` table
 * merged at the top of the parent's values; `{child, parent}` is the child's table at `child`
 * placed at `parent` (`.` for the top). Entries of another shape are left out (helm fails on them).
 */
function importValuesOf(v: unknown): ImportValue[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((iv): ImportValue[] => {
    if (typeof iv === 'string') return [{ child: `exports.${iv}`, parent: '.' }];
    if (isMap(iv) && typeof iv.child === 'string' && typeof iv.parent === 'string') return [{ child: iv.child, parent: iv.parent }];
    return [];
  });
}

/** The name a dependency renders as: its alias, else its name. */
export function dependencyKey(dep: Dependency): string {
  return dep.alias ?? dep.name;
}

/** helm's Values.Table: the map at a dotted path (every step a map), else undefined. */
export function tableAt(values: DataMap, dotted: string): DataMap | undefined {
  let v: unknown = values;
  for (const key of dotted.split('.')) {
    if (!isMap(v)) return undefined;
    v = ownValue(v, key);
  }
  return isMap(v) ? v : undefined;
}

/** helm's pathToMap: `data` placed at a dotted path of a new map (`.`: data itself). */
function atPath(dotted: string, data: DataMap): DataMap {
  if (dotted === '.') return data;
  let out = data;
  const keys = dotted.split('.');
  for (let i = keys.length - 1; i >= 0; i--) {
    const m = newMap();
    setOwn(m, keys[i], out);
    setKeyOrigin(m, keys[i], originOf(out));
    out = m;
  }
  return out;
}

/**
 * What a parent imports from one dependency: `sectionValues` is the child's values as the parent
 * sees them (its section of the parent over the child's defaults). Each table is merged into
 * `into` under the ones imported before it (helm's MergeTables: the first import of a key wins).
 */
export function importInto(into: DataMap, dep: Dependency, sectionValues: DataMap, merge: (top: DataMap, base: DataMap) => DataMap): DataMap {
  let out = into;
  for (const iv of dep.importValues) {
    const table = tableAt(sectionValues, iv.child);
    if (!table) continue; // helm warns "ImportValues missing table" and goes on
    const placed = atPath(iv.parent, table);
    setObjectOrigin(placed, originOf(table));
    out = merge(out, placed);
  }
  return out;
}
