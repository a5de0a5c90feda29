/**
 * Small, alias-safe accessors over the `yaml` AST. Rules walk fixed paths through a manifest, one
 * alias resolved per step, so an alias bomb ("billion laughs") costs nothing: nothing is expanded.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export type AnyDoc = Document.Parsed | Document;

/** One alias hop at most per call, so cycles and bombs cannot make us loop. */
export function deref(node: unknown, doc: AnyDoc): Node | undefined {
  if (node == null) return undefined;
  if (isAlias(node)) {
    const target = node.resolve(doc as Document);
    return target && !isAlias(target) ? (target as Node) : undefined;
  }
  return node as Node;
}

export function keyString(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return key.value == null ? undefined : String(key.value);
  return undefined;
}

/**
 * The pair for `key` in `map`, including keys merged in with `<<` (YAML 1.1 merge keys, which
 * kubectl honours), where an explicit key wins over a merged one.
 */
export function findPair(map: unknown, key: string, doc: AnyDoc, depth = 0): Pair | undefined {
  if (!isMap(map)) return undefined;
  let merged: Pair | undefined;
  for (const item of map.items) {
    const name = keyString(item);
    if (name === key) return item;
    if (name === '<<' && depth < 4 && merged === undefined) {
      const source = deref(item.value, doc);
      const sources = isSeq(source) ? source.items.map((s) => deref(s, doc)) : [source];
      for (const s of sources) {
        merged = findPair(s, key, doc, depth + 1);
        if (merged) break;
      }
    }
  }
  return merged;
}

export function getNode(map: unknown, key: string, doc: AnyDoc): Node | undefined {
  const pair = findPair(map, key, doc);
  return pair ? deref(pair.value, doc) : undefined;
}

export function getMap(map: unknown, key: string, doc: AnyDoc): YAMLMap | undefined {
  const n = getNode(map, key, doc);
  return isMap(n) ? n : undefined;
}

export function getSeq(map: unknown, key: string, doc: AnyDoc): YAMLSeq | undefined {
  const n = getNode(map, key, doc);
  return isSeq(n) ? n : undefined;
}

export function getIn(node: unknown, path: readonly string[], doc: AnyDoc): Node | undefined {
  let current: Node | undefined = deref(node, doc);
  for (const key of path) {
    current = getNode(current, key, doc);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The scalar's value when `node` is a scalar; `undefined` for collections and missing nodes. */
export function scalarValue(node: unknown, doc: AnyDoc): unknown {
  const n = deref(node, doc);
  return isScalar(n) ? n.value : undefined;
}

export function getScalar(map: unknown, key: string, doc: AnyDoc): unknown {
  return scalarValue(findPair(map, key, doc)?.value, doc);
}

export function getString(map: unknown, key: string, doc: AnyDoc): string | undefined {
  const v = getScalar(map, key, doc);
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Items of a sequence, aliases resolved one hop, with nothing expanded beyond that. */
export function seqItems(seq: unknown, doc: AnyDoc): Node[] {
  const s = deref(seq, doc);
  if (!isSeq(s)) return [];
  const out: Node[] = [];
  for (const item of s.items) {
    const n = deref(item, doc);
    if (n) out.push(n);
  }
  return out;
}

/** String values of a flat sequence (e.g. a capabilities list); non-scalars are skipped. */
export function stringItems(seq: unknown, doc: AnyDoc): { value: string; node: Scalar }[] {
  const out: { value: string; node: Scalar }[] = [];
  for (const item of seqItems(seq, doc)) {
    if (isScalar(item) && item.value != null) out.push({ value: String(item.value), node: item });
  }
  return out;
}

/** Map entries as string key → value node, for annotations and labels. */
export function mapEntries(map: unknown, doc: AnyDoc): { key: string; pair: Pair; value: Node | undefined }[] {
  const m = deref(map, doc);
  if (!isMap(m)) return [];
  const out: { key: string; pair: Pair; value: Node | undefined }[] = [];
  for (const pair of m.items) {
    const key = keyString(pair);
    if (key !== undefined && key !== '<<') out.push({ key, pair, value: deref(pair.value, doc) });
  }
  return out;
}

export interface Span {
  start: number;
  end: number;
}

/** Source span of a node or a pair (key through value). */
export function spanOf(target: Node | Pair | null | undefined): Span | undefined {
  if (!target) return undefined;
  if (isPair(target)) {
    const k = spanOf(target.key as Node);
    const v = spanOf(target.value as Node);
    if (k && v) return { start: k.start, end: Math.max(k.end, v.end) };
    return k ?? v;
  }
  const r = (target as Node).range;
  if (!r) return undefined;
  return { start: r[0], end: r[1] };
}

export function isTruthy(value: unknown): boolean {
  return value === true;
}
