/**
 * Template data is plain data: null, booleans, numbers, strings, arrays, null-prototype maps, and
 * the renderer's own TemplateMethod objects. Chart files are untrusted (a linter runs on pull
 * requests), so nothing here may ever hand a template a JavaScript function or an inherited
 * property: `index .Values "constructor" "constructor"` would otherwise be `Function`.
 */
import { isScalar, parseDocument, SchemaOptions, visit } from 'yaml';
import { TemplateError } from './parse';

/** A map of template data: no prototype, so only its own keys exist. */
export type DataMap = { [key: string]: unknown };

export function newMap(): DataMap {
  return Object.create(null) as DataMap;
}

/** Sets a key without the `__proto__` setter and without touching any prototype. */
export function setOwn(map: DataMap, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A map from trusted literal entries (built-in objects such as `.Release`). */
export function mapOf(entries: Record<string, unknown>): DataMap {
  const out = newMap();
  for (const [k, v] of Object.entries(entries)) setOwn(out, k, v);
  return out;
}

/** A map of template data: a plain object, never an array, a method or any other class instance. */
export function isMap(v: unknown): v is DataMap {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

/**
 * A map's keys, sorted (as Go ranges over and prints maps). Maps the renderer builds are not
 * changed once a template can see them, so the sorted keys of a null-prototype map are kept:
 * `if`, `len` and `range` on a map of 100,000 keys in a loop must not sort it every time.
 */
export function keysOf(map: DataMap): readonly string[] {
  let keys = sortedKeys.get(map);
  if (!keys) {
    keys = Object.keys(map).sort();
    if (Object.getPrototypeOf(map) === null) sortedKeys.set(map, keys);
  }
  return keys;
}

const sortedKeys = new WeakMap<DataMap, readonly string[]>();

/** A map's own value for `key`: never an inherited one (`constructor`, `__proto__`, `toString`). */
export function ownValue(map: DataMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** An array's element at an integer index within bounds; not `length` or a method. */
export function element(list: readonly unknown[], index: number): unknown {
  return Number.isInteger(index) && index >= 0 && index < list.length ? list[index] : undefined;
}

/**
 * A method of a built-in object (`.Capabilities.APIVersions.Has`, `.Files.Get`). Only chart.ts and
 * the renderer create these; parsed values never contain one, and the function is held in a
 * private field, so no field lookup can reach it. The renderer calls only instances of this class.
 */
export class TemplateMethod {
  readonly #fn: (args: unknown[]) => unknown;

  constructor(fn: (args: unknown[]) => unknown) {
    this.#fn = fn;
  }

  static invoke(method: TemplateMethod, args: unknown[]): unknown {
    return method.#fn(args);
  }
}

/** Deepest nesting of template data: a cyclic alias stops here, and so do printing and serializing. */
export const MAX_DATA_DEPTH = 1000;

/**
 * Turns the output of a YAML or JSON parser into template data: null-prototype maps, fresh arrays,
 * primitives. Whatever else a parser can produce (a `%YAML 1.1` document's Date, Set, Map or
 * binary Buffer) becomes plain data too. A cyclic alias is refused. `charge` is told about every
 * node, so a render budget bounds the copy (aliases make a small text a large tree).
 */
export function toData(v: unknown, charge: (nodes: number) => void = () => {}, depth = 0): unknown {
  charge(1);
  if (depth > MAX_DATA_DEPTH) throw new TemplateError('data nests too deep');
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map((x) => toData(x, charge, depth + 1));
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  const out = newMap();
  if (v instanceof Map) {
    for (const [k, x] of v) setOwn(out, String(k), toData(x, charge, depth + 1));
    return out;
  }
  if (v instanceof Set) {
    for (const k of v) setOwn(out, String(k), null);
    return out;
  }
  if (typeof v === 'object') {
    for (const k of Object.keys(v)) setOwn(out, k, toData((v as Record<string, unknown>)[k], charge, depth + 1));
    return out;
  }
  return null;
}

/**
 * Helm reads YAML with sigs.k8s.io/yaml over go-yaml v2: YAML 1.1, so `yes`/`no`/`on`/`off`/`y`/`n`
 * are booleans (keys too), `017` and `0o17` are octal, `1_000` is a number. Unlike the 1.1 schema of
 * the yaml package, go-yaml leaves timestamps and sexagesimal `190:20:30` as strings.
 */
const YAML_1_1 = {
  uniqueKeys: false,
  version: '1.1' as const,
  customTags: (tags: Tags) => [
    ...tags.filter((t) => !(typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME'))),
    {
      identify: (v: unknown) => typeof v === 'number',
      default: true,
      tag: 'tag:yaml.org,2002:int',
      format: 'OCT',
      test: /^0o[0-7]{1,21}$/,
      resolve: (s: string) => parseInt(s.slice(2), 8),
    },
  ],
};

type Tags = Exclude<NonNullable<SchemaOptions['customTags']>, (...args: never[]) => unknown>;

/**
 * Parses YAML from a chart (a values file, `fromYaml`) into template data. Aliases are bounded
 * (billion laughs). Duplicate keys are an error when `duplicateKeys` is 'error', else the last one
 * wins; either way they are found with one set per mapping, because the yaml package's own
 * check compares every pair of keys: minutes for a 2 MB mapping.
 */
export function parseYaml(text: string, duplicateKeys: 'error' | 'last', charge?: (nodes: number) => void): unknown {
  const doc = parseDocument(text, YAML_1_1);
  if (doc.errors.length) throw doc.errors[0];
  if (duplicateKeys === 'error') {
    visit(doc, {
      Map(_, map) {
        const seen = new Set<unknown>();
        for (const pair of map.items) {
          const key = isScalar(pair.key) ? pair.key.value : pair.key;
          if (seen.has(key)) throw new SyntaxError('duplicate key');
          seen.add(key);
        }
      },
    });
  }
  return toData(doc.toJS({ maxAliasCount: 100 }), charge);
}

/**
 * Where a piece of template data came from: a values file and the key path inside it. The
 * renderer carries origins beside values (never inside them), so a finding in rendered output can
 * be reported on the values line that produced it, and fixed there.
 */
export interface Origin {
  readonly file: string;
  readonly path: readonly (string | number)[];
  /** The map or list itself, for a block: its keys may come from several files (see childOrigin). */
  readonly data?: object;
}

/** The origin of `v`, carrying `v` when it is a map or list. */
export function withData(origin: Origin | undefined, v: unknown): Origin | undefined {
  if (!origin || typeof v !== 'object' || v === null) return origin;
  return origin.data === v ? origin : { file: origin.file, path: origin.path, data: v };
}

/** Origins of maps and lists read from values files (the objects themselves are the keys). */
const objectOrigins = new WeakMap<object, Origin>();
/** Per map: the origin of each key's value (a merged map holds keys of several files). */
const keyOrigins = new WeakMap<object, Map<string, Origin>>();

export function originOf(v: unknown): Origin | undefined {
  return typeof v === 'object' && v !== null ? objectOrigins.get(v) : undefined;
}

/** The origin of `container[key]`: recorded for the key, else the container's origin plus the key. */
export function childOrigin(container: unknown, key: string | number, containerOrigin?: Origin): Origin | undefined {
  if (typeof container === 'object' && container !== null && typeof key === 'string') {
    const known = keyOrigins.get(container)?.get(key);
    if (known) return known;
  }
  const base = containerOrigin ?? originOf(container);
  return base ? { file: base.file, path: [...base.path, key] } : undefined;
}

/** Records that `v` (and everything in it) sits at `path` of values file `file`. Bounded like toData. */
export function markOrigins(v: unknown, file: string, path: (string | number)[] = [], depth = 0): void {
  if (depth > MAX_DATA_DEPTH || typeof v !== 'object' || v === null) return;
  if (objectOrigins.has(v)) return; // an alias shares its target's object
  objectOrigins.set(v, { file, path });
  if (Array.isArray(v)) {
    v.forEach((x, i) => markOrigins(x, file, [...path, i], depth + 1));
    return;
  }
  const keys = new Map<string, Origin>();
  for (const k of Object.keys(v)) {
    keys.set(k, { file, path: [...path, k] });
    markOrigins((v as DataMap)[k], file, [...path, k], depth + 1);
  }
  keyOrigins.set(v, keys);
}

/** Records the origin of one key of a map the renderer or the loader built (a merge of values files). */
export function setKeyOrigin(map: DataMap, key: string, origin: Origin | undefined): void {
  if (!origin) return;
  let keys = keyOrigins.get(map);
  if (!keys) keyOrigins.set(map, (keys = new Map()));
  keys.set(key, origin);
}

/** Records the origin of a map or list the loader built. */
export function setObjectOrigin(v: object, origin: Origin | undefined): void {
  if (origin && !objectOrigins.has(v)) objectOrigins.set(v, origin);
}

/**
 * Methods of a data map that are not its keys: helm's `.Files.Glob` gives a map of path → content
 * that `range` walks, which also answers `.AsConfig`, `.AsSecrets`, `.Get`. Field lookups find
 * these only when the map has no such key.
 */
const attachedMethods = new WeakMap<object, Map<string, TemplateMethod>>();

export function attachMethods<T extends object>(map: T, methods: Record<string, TemplateMethod>): T {
  attachedMethods.set(map, new Map(Object.entries(methods)));
  return map;
}

export function attachedMethod(map: object, key: string): TemplateMethod | undefined {
  return attachedMethods.get(map)?.get(key);
}

/** Names of a map's attached methods (for tests that walk everything a template can reach). */
export function attachedMethodNames(map: object): string[] {
  return [...(attachedMethods.get(map)?.keys() ?? [])];
}

/**
 * What a map prints as with `{{ }}` when it stands for a Go value with a String method
 * (`.Capabilities.KubeVersion` prints `v1.32.0`) or a struct (`.Capabilities.HelmVersion`).
 */
const printForms = new WeakMap<object, string>();

export function withPrintForm<T extends object>(v: T, printed: string): T {
  printForms.set(v, printed);
  return v;
}

export function printFormOf(v: object): string | undefined {
  return printForms.get(v);
}

/**
 * Changes templates make to maps in place (sprig's `set`, `unset`, `merge`, `mergeOverwrite`
 * change their first argument, as in helm). The values are shared by every template of the chart
 * and cached between renders, so each render undoes its changes when it ends: a template sees
 * its own changes, never another template's (helm's order of templates is not the editor's).
 */
export class MutationLog {
  private entries: { map: DataMap; key: string; had: boolean; old: unknown; origin: Origin | undefined }[] = [];

  set(map: DataMap, key: string, value: unknown, origin: Origin | undefined): void {
    this.record(map, key);
    setOwn(map, key, value);
    const origins = keyOrigins.get(map);
    if (origin) setKeyOrigin(map, key, origin);
    else origins?.delete(key);
  }

  delete(map: DataMap, key: string): void {
    if (!Object.hasOwn(map, key)) return;
    this.record(map, key);
    delete map[key];
    keyOrigins.get(map)?.delete(key);
  }

  private record(map: DataMap, key: string): void {
    const had = Object.hasOwn(map, key);
    this.entries.push({ map, key, had, old: had ? map[key] : undefined, origin: keyOrigins.get(map)?.get(key) });
    sortedKeys.delete(map);
  }

  /** Puts every changed map back as it was, last change first. */
  undo(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e.had) setOwn(e.map, e.key, e.old);
      else delete e.map[e.key];
      if (e.origin) setKeyOrigin(e.map, e.key, e.origin);
      else keyOrigins.get(e.map)?.delete(e.key);
      sortedKeys.delete(e.map);
    }
    this.entries = [];
  }
}

/** sprig's deepCopy: a new tree of maps and lists that keeps the values-file origins. Bounded like toData. */
export function copyData(v: unknown, charge: (nodes: number) => void, depth = 0): unknown {
  charge(1);
  if (depth > MAX_DATA_DEPTH) throw new TemplateError('data nests too deep');
  if (Array.isArray(v)) {
    const out = v.map((x) => copyData(x, charge, depth + 1));
    setObjectOrigin(out, originOf(v));
    return out;
  }
  if (!isMap(v)) return v;
  const out = newMap();
  const origins = keyOrigins.get(v);
  for (const k of Object.keys(v)) {
    setOwn(out, k, copyData(v[k], charge, depth + 1));
    setKeyOrigin(out, k, origins?.get(k));
  }
  setObjectOrigin(out, originOf(v));
  return out;
}
