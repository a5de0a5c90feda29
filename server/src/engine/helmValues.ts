/**
 * Findings that come from a chart's values: which values-file key produced the rendered text a
 * finding points at, where that key is in its file, and the edit of the values file that makes the
 * rendered text what a rule's fix would have made it.
 *
 * The renderer records, for generated text, the origin of the value it printed (see
 * documents/helm/data.ts): a scalar (`hostNetwork: {{ .Values.hostNetwork }}`) or a block
 * (`{{- toYaml .Values.securityContext | nindent 12 }}`). Inside a block, the key a finding points
 * at is found by parsing the block's text and following the same path through the values data.
 */
import { isMap as isYamlMap, isScalar, isSeq, Document, Node, parseAllDocuments, parseDocument, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { childOrigin, isMap, Origin, ownValue, element } from '../documents/helm/data';
import type { Segment } from '../documents/helm/render';
import type { TextEdit } from './rule';
import { applyEdits, YamlEditor, YamlValue } from './yamlEditor';

export interface ValuesSource {
  /** The values key the finding's text came from (file and full key path). */
  origin: Origin;
  /** The generated segment that printed it. */
  segment: Segment;
}

/** Deepest YAML nesting followed when locating keys: values files are small, this only bounds odd input. */
const MAX_PATH = 200;

/** Segments overlapping [start, end) of the output (segments are sorted by `out`). */
function overlapping(segments: readonly Segment[], start: number, end: number): Segment[] {
  let lo = 0;
  let hi = segments.length - 1;
  let first = segments.length;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].out + segments[mid].text.length > start) {
      first = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  const out: Segment[] = [];
  for (let i = first; i < segments.length && segments[i].out < Math.max(end, start + 1); i++) out.push(segments[i]);
  return out;
}

/**
 * The values key behind the output range [start, end), if one values key explains it: the range
 * lies inside one printed value (a scalar, or a key of a `toYaml` block), or it is one line whose
 * only printed value is a scalar (`hostNetwork: {{ .Values.hostNetwork }}`).
 */
export function valuesSourceOf(
  segments: readonly Segment[],
  outputText: string,
  start: number,
  end: number,
  fixes: readonly (() => TextEdit[])[] = [],
): ValuesSource | undefined {
  const hits = overlapping(segments, start, end);
  const generated = hits.filter((s) => !s.literal && s.origin);
  if (generated.length !== 1) return undefined;
  const segment = generated[0];
  const origin = segment.origin!;
  const inside = start >= segment.out && end <= segment.out + segment.text.length;
  if (!inside) {
    // Literal text around one printed scalar, on one line: the scalar is what the finding is about.
    if (segment.text.includes('\n') || outputText.slice(start, end).includes('\n')) return undefined;
    if (hits.some((s) => !s.literal && s !== segment)) return undefined;
    if (origin.data !== undefined) return undefined;
    // A rule also underlines a pair as the place a missing setting belongs (`serviceAccountName:`
    // for a token that is mounted): the value is the culprit only if a fix edits that pair's text.
    if (fixes.length && !fixes.some((edits) => touches(edits, start, end))) return undefined;
    return { origin, segment };
  }
  if (origin.data === undefined) return { origin, segment };
  // Inside a block: follow the block's own YAML to the key, then the same keys through the data.
  const doc = parseDocument(segment.text, { uniqueKeys: false });
  if (doc.errors.length) return undefined;
  const rel = pathAt(doc.contents as Node | null, start - segment.out);
  let o: Origin | undefined = origin;
  let container: unknown = origin.data;
  for (const key of rel) {
    o = childOrigin(container, key, o);
    if (!o) return undefined;
    container = isMap(container) ? ownValue(container, String(key)) : Array.isArray(container) && typeof key === 'number' ? element(container, key) : undefined;
  }
  return o ? { origin: { file: o.file, path: o.path }, segment } : undefined;
}

/**
 * For a finding on text around a printed block (a container that lacks a setting its
 * `securityContext` block could hold): the block, when every edit of a fix lands in it. Given the
 * output, also a map block printed as keys of the very mapping the fix adds keys to (a pod spec
 * holding `{{- toYaml .Values.pod | nindent 6 }}` beside its literal `containers:`): the values map
 * can hold the added keys as well as the template can.
 */
export function valuesSourceOfFix(segments: readonly Segment[], edits: readonly TextEdit[], output?: string): ValuesSource | undefined {
  if (!edits.length) return undefined;
  const blocks = segments.filter((s) => !s.literal && s.origin?.data !== undefined && edits.every((e) => inBlock(s, e)));
  if (blocks.length === 1) return { origin: { file: blocks[0].origin!.file, path: blocks[0].origin!.path }, segment: blocks[0] };
  if (blocks.length || output === undefined) return undefined;
  const sibling = siblingBlock(segments, edits, output);
  return sibling ? { origin: { file: sibling.origin!.file, path: sibling.origin!.path }, segment: sibling } : undefined;
}

/**
 * Whether an edit lands in a printed block: within its text, or just after it (before the newline
 * that ends it) with lines indented at least as deep as the block's own, so they continue it
 * rather than the mapping around it.
 */
function inBlock(s: Segment, e: TextEdit): boolean {
  const end = s.out + s.text.length;
  if (e.start < s.out || e.end > end + 1) return false;
  if (e.start !== e.end || e.start < s.out + s.text.trimEnd().length) return true;
  const added = e.newText.split('\n').find((l) => l.trim());
  const first = s.text.split('\n').find((l) => l.trim());
  return added === undefined || first === undefined || indentOf(added) >= indentOf(first);
}

/** Indentation of a line (spaces). */
function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line[n] === ' ') n++;
  return n;
}

/**
 * The one map block printed as keys at the indentation where a fix inserts keys, in the same
 * mapping: every line between the block and the insertion is blank, a comment, or indented at
 * least as deep (so the mapping is still open), and no document starts in between.
 */
function siblingBlock(segments: readonly Segment[], edits: readonly TextEdit[], output: string): Segment | undefined {
  if (edits.length !== 1 || edits[0].start !== edits[0].end) return undefined;
  const at = edits[0].start;
  const added = edits[0].newText.split('\n').find((l) => l.trim() && !l.trim().startsWith('#'));
  if (added === undefined || added.trimStart().startsWith('- ') || !/^[^\s:#'"][^:#]*:(\s|$)/.test(added.trimStart())) return undefined;
  const indent = indentOf(added);
  const found: Segment[] = [];
  for (const s of segments) {
    const data = s.origin?.data;
    if (s.literal || !data || Array.isArray(data)) continue;
    const lines = s.text.split('\n').filter((l) => l.trim());
    if (!lines.length || indentOf(lines[0]) !== indent || lines[0].trimStart().startsWith('- ')) continue;
    const end = s.out + s.text.length;
    const [from, to] = end <= at ? [end, at] : s.out >= at ? [at, s.out] : [-1, -1];
    if (from < 0) continue;
    const open = output
      .slice(from, to)
      .split('\n')
      .every((l) => !l.trim() || l.trimStart().startsWith('#') || (indentOf(l) >= indent && !l.startsWith('---')));
    if (open) found.push(s);
  }
  return found.length === 1 ? found[0] : undefined;
}

/** Whether a fix changes text within [start, end) (not only inserts beside it). */
function touches(edits: () => TextEdit[], start: number, end: number): boolean {
  try {
    return edits().some((e) => e.end > e.start && e.start < end && e.end > start);
  } catch {
    return false;
  }
}

/** The key path of the node at `offset`: down to the pair whose key or value holds it. */
function pathAt(node: Node | null, offset: number): (string | number)[] {
  const path: (string | number)[] = [];
  let current: unknown = node;
  for (let depth = 0; depth < MAX_PATH; depth++) {
    if (isYamlMap(current)) {
      const pair = current.items.find((p) => {
        const keyStart = (p.key as Node | null)?.range?.[0] ?? -1;
        const valueEnd = (p.value as Node | null)?.range?.[1] ?? (p.key as Node | null)?.range?.[1] ?? -1;
        return keyStart <= offset && offset < Math.max(valueEnd, keyStart + 1);
      });
      if (!pair || !isScalar(pair.key)) break;
      path.push(String((pair.key as Scalar).value));
      const keyEnd = (pair.key as Node).range?.[1] ?? 0;
      if (offset < keyEnd) break; // on the key: the pair is the subject
      current = pair.value;
    } else if (isSeq(current)) {
      const index = current.items.findIndex((item) => {
        const r = (item as Node | null)?.range;
        return !!r && r[0] <= offset && offset < r[1];
      });
      if (index < 0) break;
      path.push(index);
      current = current.items[index];
    } else break;
  }
  return path;
}

/** Where a key path is in a values file: the whole `key: value` (or the list item), else undefined. */
export function locateInValues(text: string, path: readonly (string | number)[]): { start: number; end: number } | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) return undefined;
  const found = walk(doc, path);
  if (!found) return undefined;
  const { node, keyNode } = found;
  const start = keyNode?.range?.[0] ?? node?.range?.[0];
  // A block value spans many lines: the key alone is the place to underline.
  const endNode = keyNode && (isYamlMap(node) || isSeq(node)) ? keyNode : (node ?? keyNode);
  let end = endNode?.range?.[1];
  if (start === undefined || end === undefined) return undefined;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

interface Walked {
  /** The value node (undefined for `key:` with nothing after it... which the yaml package gives as null). */
  node: Node | null;
  keyNode?: Node;
  parent?: YAMLMap | YAMLSeq;
}

function walk(doc: Document, path: readonly (string | number)[]): Walked | undefined {
  let current: unknown = doc.contents;
  let result: Walked = { node: current as Node | null };
  for (const key of path.slice(0, MAX_PATH)) {
    if (isYamlMap(current) && typeof key === 'string') {
      // The last pair with the key: helm reads the last of duplicates.
      const pair = [...current.items].reverse().find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key);
      if (!pair) return undefined;
      result = { node: pair.value as Node | null, keyNode: pair.key as Node, parent: current };
      current = pair.value;
    } else if (isSeq(current) && typeof key === 'number') {
      const item = current.items[key];
      if (item === undefined) return undefined;
      result = { node: item as Node, parent: current };
      current = item;
    } else return undefined;
  }
  return result;
}

// ---- fixes ---------------------------------------------------------------------------------------

type Plain = null | boolean | number | string | Plain[] | Map<unknown, Plain>;

type Op =
  | { op: 'set'; path: (string | number)[]; value: Plain }
  | { op: 'delete'; path: (string | number)[] }
  | { op: 'append'; path: (string | number)[]; value: Plain };

/**
 * The edit of a values file that turns the value behind `source` into what a rule's fix makes of
 * its rendered text, or undefined when the fix does more than change that value (then only the
 * template can be fixed). The caller re-renders with the edited file to check the finding is gone.
 */
export function valuesFixEdits(
  outputText: string,
  fixEdits: readonly TextEdit[],
  source: ValuesSource,
  valuesFile: string,
  valuesText: string,
): TextEdit[] | undefined {
  const segment = source.segment;
  const blockOrigin = segment.origin!;
  let fixedText: string;
  try {
    fixedText = applyEdits(outputText, fixEdits);
  } catch {
    return undefined;
  }
  const before = parseAllDocuments(outputText, { uniqueKeys: false });
  const after = parseAllDocuments(fixedText, { uniqueKeys: false });
  if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length) return undefined;
  // The printed value's place in the output: the node that is exactly the segment's text.
  const contentStart = segment.out + (segment.text.length - segment.text.trimStart().length);
  const contentEnd = segment.out + segment.text.trimEnd().length;
  const docIndex = before.findIndex((d) => d.range[0] <= contentStart && contentEnd <= d.range[2]);
  if (docIndex < 0 || before[docIndex].errors.length || after[docIndex].errors.length) return undefined;
  const place = placeOf(before[docIndex].contents as Node | null, contentStart, contentEnd, outputText);
  if (!place) return undefined;
  const outPath = place.path;
  const beforeData = toPlain(before[docIndex]);
  const afterData = toPlain(after[docIndex]);
  // The fix may change only that value: everything else of every document stays as it was.
  for (let i = 0; i < before.length; i++) {
    if (i === docIndex) continue;
    if (!deepEqual(toPlain(before[i]), toPlain(after[i]))) return undefined;
  }
  if (!deepEqual(withoutPath(beforeData, outPath), withoutPath(afterData, outPath))) return undefined;
  let oldValue = getPath(beforeData, outPath);
  let newValue = getPath(afterData, outPath);
  if (place.keys) {
    // The block is some keys of a map whose other keys are template text: those must stay as they
    // are, and whatever else the map holds after the fix belongs to the block.
    if (!(oldValue instanceof Map) || !(newValue instanceof Map)) return undefined;
    const literal = [...oldValue.keys()].filter((k) => !place.keys!.has(k as string));
    if (!literal.every((k) => newValue instanceof Map && newValue.has(k) && deepEqual((oldValue as Map<unknown, Plain>).get(k), newValue.get(k))))
      return undefined;
    oldValue = new Map([...oldValue].filter(([k]) => place.keys!.has(k as string)));
    newValue = new Map([...newValue].filter(([k]) => !literal.includes(k)));
  }
  const ops: Op[] = [];
  if (newValue === undefined) {
    // The fix dropped the key (`hostNetwork: true` removed): in the values, turn the switch off.
    if (oldValue !== true) return undefined;
    ops.push({ op: 'set', path: [], value: false });
  } else diff(oldValue, newValue, [], ops);
  if (!ops.length) return undefined;
  // Each changed key, as a path in the values file that holds it: all in the file being fixed.
  const doc = parseDocument(valuesText, { uniqueKeys: false });
  if (doc.errors.length) return undefined;
  const editor = new YamlEditor(valuesText, doc);
  const edits: TextEdit[] = [];
  for (const op of ops) {
    const target = resolveOrigin(blockOrigin, op.path);
    if (!target || target.file !== valuesFile) return undefined;
    const edit = editValues(editor, doc, op, target.path);
    if (!edit) return undefined;
    edits.push(edit);
  }
  try {
    applyEdits(valuesText, edits); // refuses overlapping edits
  } catch {
    return undefined;
  }
  return edits;
}

/** The origin of a key below a printed value: known keys through the data, new keys below their parent. */
function resolveOrigin(origin: Origin, rel: readonly (string | number)[]): Origin | undefined {
  let o: Origin | undefined = origin;
  let container: unknown = origin.data;
  for (const key of rel) {
    if (!o) return undefined;
    const known =
      container !== undefined &&
      ((isMap(container) && typeof key === 'string' && Object.hasOwn(container, key)) ||
        (Array.isArray(container) && typeof key === 'number' && key < container.length));
    o = known ? childOrigin(container, key, o) : { file: o.file, path: [...o.path, key] };
    container = isMap(container) ? ownValue(container, String(key)) : Array.isArray(container) && typeof key === 'number' ? element(container, key) : undefined;
  }
  return o;
}

function editValues(editor: YamlEditor, doc: Document, op: Op, path: readonly (string | number)[]): TextEdit | undefined {
  if (op.op === 'delete') {
    const found = walk(doc, path);
    if (!found?.parent) return undefined;
    if (isYamlMap(found.parent)) {
      const pair = found.parent.items.find((p) => p.key === found.keyNode);
      return pair ? editor.removePair(found.parent, pair) : undefined;
    }
    return found.node ? editor.removeSeqItem(found.parent, found.node) : undefined;
  }
  const value = toYamlValue(op.value);
  if (value === undefined) return undefined;
  if (op.op === 'append') {
    const found = walk(doc, path);
    return found && isSeq(found.node) ? editor.appendToSeq(found.node, value) : undefined;
  }
  // set: the deepest existing map on the path, then setIn the rest (string keys only).
  let i = 0;
  let current: unknown = doc.contents;
  for (; i < path.length - 1; i++) {
    const key = path[i];
    if (isYamlMap(current) && typeof key === 'string') {
      const pair = current.items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key);
      if (!pair || !isYamlMap(pair.value)) break;
      current = pair.value;
    } else if (isSeq(current) && typeof key === 'number' && current.items[key] !== undefined) {
      current = current.items[key];
    } else return undefined;
  }
  const rest = path.slice(i);
  if (!isYamlMap(current) || !rest.length || rest.some((k) => typeof k !== 'string')) {
    // A whole list item or the root: replace the node itself.
    const found = walk(doc, path);
    if (found?.node && isScalar(found.node) && (value === null || typeof value !== 'object')) return editor.replace(found.node, editor.flow(value));
    return undefined;
  }
  try {
    return editor.setIn(current, rest as string[], value);
  } catch {
    return undefined;
  }
}

/**
 * Where a printed value sits in the output: the path of the node whose text is exactly
 * [start, end), or of the map some of whose keys it is (`keys`: those keys), or undefined.
 */
function placeOf(root: Node | null, start: number, end: number, text: string): { path: (string | number)[]; keys?: Set<string> } | undefined {
  const path: (string | number)[] = [];
  let current: unknown = root;
  for (let depth = 0; depth < MAX_PATH; depth++) {
    const r = (current as Node | null)?.range;
    if (!r) return undefined;
    let nodeEnd = r[1];
    while (nodeEnd > r[0] && /\s/.test(text[nodeEnd - 1])) nodeEnd--;
    if (r[0] === start && nodeEnd === end) return { path };
    if (isYamlMap(current)) {
      const keys = keysWithin(current, start, end, text);
      if (keys) return { path, keys };
      const pair = current.items.find((p) => {
        const v = (p.value as Node | null)?.range;
        return !!v && v[0] <= start && end <= v[1];
      });
      if (!pair || !isScalar(pair.key)) return undefined;
      path.push(String((pair.key as Scalar).value));
      current = pair.value;
    } else if (isSeq(current)) {
      const index = current.items.findIndex((item) => {
        const v = (item as Node | null)?.range;
        return !!v && v[0] <= start && end <= v[1];
      });
      if (index < 0) return undefined;
      path.push(index);
      current = current.items[index];
    } else return undefined;
  }
  return undefined;
}

/** The keys of a block map lying wholly in [start, end), when its pairs there are exactly what [start, end) holds. */
function keysWithin(map: YAMLMap, start: number, end: number, text: string): Set<string> | undefined {
  const inside = map.items.filter((p) => {
    const k = (p.key as Node | null)?.range;
    return !!k && k[0] >= start && k[0] < end;
  });
  if (!inside.length || map.flow) return undefined;
  const first = (inside[0].key as Node).range![0];
  const lastValue = (inside[inside.length - 1].value as Node | null)?.range ?? (inside[inside.length - 1].key as Node).range!;
  let lastEnd = lastValue[1];
  while (lastEnd > first && /\s/.test(text[lastEnd - 1])) lastEnd--;
  if (first !== start || lastEnd !== end) return undefined;
  const keys = new Set<string>();
  for (const p of inside) {
    if (!isScalar(p.key)) return undefined;
    keys.add(String((p.key as Scalar).value));
  }
  return keys;
}

function toPlain(doc: Document): Plain {
  return doc.toJS({ mapAsMap: true, maxAliasCount: 100 }) as Plain;
}

function getPath(v: Plain | undefined, path: readonly (string | number)[]): Plain | undefined {
  let current: Plain | undefined = v;
  for (const key of path) {
    if (current instanceof Map) current = current.get(key);
    else if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else return undefined;
  }
  return current;
}

/** A copy of `v` without the value at `path` (the rest of the document, to compare). */
function withoutPath(v: Plain | undefined, path: readonly (string | number)[]): Plain | undefined {
  if (!path.length) return null;
  const [key, ...rest] = path;
  if (v instanceof Map) {
    const out = new Map(v);
    if (rest.length) out.set(key, withoutPath(v.get(key), rest) as Plain);
    else out.delete(key);
    return out;
  }
  if (Array.isArray(v) && typeof key === 'number') {
    const out = [...v];
    if (rest.length) out[key] = withoutPath(v[key], rest) as Plain;
    else out.splice(key, 1);
    return out;
  }
  return v;
}

function deepEqual(a: Plain | undefined, b: Plain | undefined, depth = 0): boolean {
  if (depth > MAX_PATH) return false;
  if (a === b) return true;
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k), depth + 1)) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i], depth + 1));
  return false;
}

/** The smallest set of key edits that turns `a` into `b`. */
function diff(a: Plain | undefined, b: Plain, path: (string | number)[], ops: Op[]): void {
  if (deepEqual(a, b)) return;
  if (a instanceof Map && b instanceof Map) {
    for (const k of a.keys()) if (!b.has(k)) ops.push({ op: 'delete', path: [...path, k as string] });
    for (const [k, v] of b) {
      if (typeof k !== 'string') {
        ops.push({ op: 'set', path, value: b });
        return;
      }
      if (a.has(k)) diff(a.get(k), v, [...path, k], ops);
      else ops.push({ op: 'set', path: [...path, k], value: v });
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && b.length > a.length && a.every((x, i) => deepEqual(x, b[i]))) {
    for (const v of b.slice(a.length)) ops.push({ op: 'append', path, value: v });
    return;
  }
  ops.push({ op: 'set', path, value: b });
}

function toYamlValue(v: Plain): YamlValue | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const out: YamlValue[] = [];
    for (const x of v) {
      const y = toYamlValue(x);
      if (y === undefined) return undefined;
      out.push(y);
    }
    return out;
  }
  if (v instanceof Map) {
    const out: { [key: string]: YamlValue } = Object.create(null);
    for (const [k, x] of v) {
      const y = toYamlValue(x);
      if (typeof k !== 'string' || y === undefined) return undefined;
      Object.defineProperty(out, k, { value: y, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return undefined;
}
