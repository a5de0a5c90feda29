/**
 * Helm's `--set` / `--set-string` syntax (its strvals package), parsed the way helm parses it:
 * `a.b=1,c[0].d=x,list={p,q}`, `\` escaping the next character (`a\.b=x\,y`), `--set` typing a
 * value as helm does (`true`/`false`/`null` in any case, decimal int64 not starting with 0, else a
 * string: `1.5` and `007` stay strings), `--set-string` keeping every value a string.
 *
 * Helm parses `--set` lines into the values the `-f` files gave (not into the chart's defaults):
 * `--set l[1]=x` changes item 1 of a list a values file gave and keeps item 0, and a key a file
 * made a scalar cannot be descended into (`--set a.b=1` after `a: 1` is helm's error too). Maps and
 * lists of the files are copied before they change: their origins stay right, the files' data
 * untouched. Everything the lines set records its origin (`--set` and the key path) so a finding
 * on it is never blamed on a values file.
 */
import { childOrigin, DataMap, isMap, markOrigins, newMap, originOf, ownValue, setKeyOrigin, setObjectOrigin, setOwn } from './data';

/** A line helm would refuse: its message, as helm words it where it can. */
export class SetSyntaxError extends Error {}

/** Helm's own bounds (strvals.MaxIndex, MaxNestedNameLevel): a huge index would allocate a huge list. */
const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

/** Where values set this way come from, as an origin file name (never a real path). */
export type SetSource = '--set' | '--set-string' | 'settings.helm.set';

const SET_SOURCES: readonly string[] = ['--set', '--set-string', 'settings.helm.set'];

export function isSetSource(file: string): file is SetSource {
  return SET_SOURCES.includes(file);
}

const KEY_STOP = new Set(['=', '[', ',', '.']);
const INDEX_STOP = new Set([']']);
const ITEM_STOP = new Set(['[', '.', '=']);
const VALUE_STOP = new Set([',']);
const LIST_STOP = new Set([',', '}']);

/** Parsing ran out of text: helm then ends the line quietly (`a[0]` alone, `a.` alone). */
const EOF = Symbol('eof');
type Step = typeof EOF | undefined;

/** `--set` typing (strvals.typedVal). */
export function typedValue(text: string, asString: boolean): unknown {
  if (asString) return text;
  if (equalFold(text, 'true')) return true;
  if (equalFold(text, 'false')) return false;
  if (equalFold(text, 'null')) return null;
  if (text === '0') return 0;
  if (text.length && text[0] !== '0') {
    const int = parseInt64(text);
    if (int !== undefined) return int;
  }
  return text;
}

/** Go's strings.EqualFold against a lowercase ASCII word: `ſ` (U+017F) folds to `s` there too. */
function equalFold(text: string, word: string): boolean {
  return text.length === word.length && text.toLowerCase().replaceAll('\u017f', 's') === word;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64. */
function parseInt64(text: string): number | undefined {
  const digits = text[0] === '+' || text[0] === '-' ? text.slice(1) : text;
  if (!digits.length || digits.length > 20) return undefined;
  for (const c of digits) if (c < '0' || c > '9') return undefined;
  const big = BigInt(text[0] === '+' ? digits : text);
  // Template data holds numbers: beyond 2^53 the value is the nearest double (helm keeps int64).
  return big >= INT64_MIN && big <= INT64_MAX ? Number(big) : undefined;
}

/** strconv.Atoi for an index: Go's error words. */
function parseIndex(text: string): number {
  const int = parseInt64(text);
  if (int === undefined) throw new SetSyntaxError(`error parsing index: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  return int;
}

interface Options {
  source: SetSource;
  /** --set-string: every value a string. */
  asString: boolean;
  /** settings.helm.set: the value is given (typed data), the line is only its key path and `=`. */
  given?: { value: unknown };
}

/**
 * One line's parser: reads keys and values from `text` into `dest` (a map `fresh` holds: changed
 * in place). Containers reached through `dest` that came from values files are copied first.
 */
class Parser {
  private pos = 0;
  /** Maps and lists this application made or copied: only these are changed in place. */
  readonly fresh: WeakSet<object>;

  constructor(
    private readonly text: string,
    private readonly options: Options,
    fresh: WeakSet<object>,
  ) {
    this.fresh = fresh;
  }

  parse(dest: DataMap): void {
    while (this.key(dest, 0, []) !== EOF) {
      // one `key=value` per round, until the text ends
    }
  }

  private read(): string | undefined {
    if (this.pos >= this.text.length) return undefined;
    const c = String.fromCodePoint(this.text.codePointAt(this.pos)!);
    this.pos += c.length;
    return c;
  }

  private unread(c: string): void {
    this.pos -= c.length;
  }

  /** Characters up to one of `stop` (consumed, returned as `last`; undefined at the end), `\` escaping. */
  private until(stop: ReadonlySet<string>): { value: string; last: string | undefined } {
    let value = '';
    for (;;) {
      const c = this.read();
      if (c === undefined) return { value, last: undefined };
      if (stop.has(c)) return { value, last: c };
      if (c === '\\') {
        const next = this.read();
        if (next === undefined) return { value, last: undefined };
        value += next;
      } else value += c;
    }
  }

  private typed(text: string): unknown {
    return typedValue(text, this.options.asString);
  }

  private key(data: DataMap, level: number, path: (string | number)[]): Step {
    const { value: k, last } = this.until(KEY_STOP);
    if (last === undefined) {
      if (!k.length) return EOF;
      throw new SetSyntaxError(`key ${JSON.stringify(k)} has no value`);
    }
    if (last === '[') {
      const index = this.keyIndex();
      if (index === EOF) return EOF;
      const existing = Object.hasOwn(data, k) ? this.ownList(ownValue(data, k), [...path, k]) : this.newList([...path, k]);
      const { list, step } = this.listItem(existing, index, level, [...path, k]);
      this.set(data, k, list, path);
      return step;
    }
    if (last === '=') {
      if (this.options.given) {
        this.set(data, k, this.options.given.value, path);
        return undefined;
      }
      const list = this.valueList([...path, k]);
      if (list === EOF) {
        this.set(data, k, '', path);
        return EOF;
      }
      if (list) {
        this.set(data, k, list, path);
        return undefined;
      }
      this.set(data, k, this.typed(this.until(VALUE_STOP).value), path);
      return undefined;
    }
    if (last === ',') throw new SetSyntaxError(`key ${JSON.stringify(k)} has no value (cannot end with ,)`);
    // '.': a map below this key.
    if (++level > MAX_NESTED_NAME_LEVEL)
      throw new SetSyntaxError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
    const inner = Object.hasOwn(data, k) ? this.ownMap(ownValue(data, k), [...path, k]) : this.newMap([...path, k]);
    const step = this.key(inner, level, [...path, k]);
    const empty = Object.keys(inner).length === 0;
    if (step !== EOF && empty) throw new SetSyntaxError(`key map ${JSON.stringify(k)} has no value`);
    if (!empty) this.set(data, k, inner, path);
    return step;
  }

  private keyIndex(): number | typeof EOF {
    const { value, last } = this.until(INDEX_STOP);
    // Helm wraps the end of the text in its "error parsing index", which then ends the line quietly.
    if (last === undefined) return EOF;
    return parseIndex(value);
  }

  /** The item at `index` of `list` (fresh), from what follows `[i]`: `=value`, `[j]...` or `.key...`. */
  private listItem(list: unknown[], index: number, level: number, path: (string | number)[]): { list: unknown[]; step: Step } {
    if (index < 0) throw new SetSyntaxError(`negative ${index} index not allowed`);
    const { value: k, last } = this.until(ITEM_STOP);
    if (k.length) throw new SetSyntaxError(`unexpected data at end of array index: ${JSON.stringify(k)}`);
    if (last === undefined) return { list, step: EOF };
    if (last === '=') {
      if (this.options.given) return { list: this.setIndex(list, index, this.options.given.value, path), step: undefined };
      const items = this.valueList([...path, index]);
      if (items === EOF) return { list: this.setIndex(list, index, '', path), step: undefined };
      if (items) return { list: this.setIndex(list, index, items, path), step: undefined };
      return { list: this.setIndex(list, index, this.typed(this.until(VALUE_STOP).value), path), step: undefined };
    }
    if (last === '[') {
      const next = this.keyIndex();
      if (next === EOF) return { list, step: EOF };
      const current = index < list.length && list[index] !== null ? this.ownList(list[index], [...path, index]) : this.newList([...path, index]);
      const { list: inner, step } = this.listItem(current, next, level, [...path, index]);
      if (step === EOF) return { list, step };
      return { list: this.setIndex(list, index, inner, path), step: undefined };
    }
    // '.': a map as the item.
    let inner: DataMap;
    if (index < list.length && isMap(list[index])) inner = this.ownMap(list[index], [...path, index]);
    else {
      inner = this.newMap([...path, index]);
      if (index < list.length) list[index] = inner;
    }
    const step = this.key(inner, level, [...path, index]);
    if (step === EOF) return { list, step };
    return { list: this.setIndex(list, index, inner, path), step: undefined };
  }

  /** `{a,b}` after `=`: the list; null when the value is not one; EOF at the end of the text. */
  private valueList(path: (string | number)[]): unknown[] | null | typeof EOF {
    const c = this.read();
    if (c === undefined) return EOF;
    if (c !== '{') {
      this.unread(c);
      return null;
    }
    const list = this.newList(path);
    for (;;) {
      const { value, last } = this.until(LIST_STOP);
      if (last === undefined) throw new SetSyntaxError("list must terminate with '}'");
      list.push(this.typed(value));
      if (last === '}') {
        const after = this.read();
        if (after !== undefined && after !== ',') this.unread(after);
        return list;
      }
    }
  }

  private setIndex(list: unknown[], index: number, value: unknown, path: (string | number)[]): unknown[] {
    if (index > MAX_INDEX) throw new SetSyntaxError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
    while (list.length <= index) list.push(null);
    list[index] = value;
    markOrigins(value, this.options.source, [...path, index]);
    return list;
  }

  private set(data: DataMap, key: string, value: unknown, path: (string | number)[]): void {
    if (!key.length) return; // helm ignores an empty key
    setOwn(data, key, value);
    setKeyOrigin(data, key, { file: this.options.source, path: [...path, key] });
    markOrigins(value, this.options.source, [...path, key]);
  }

  private newMap(path: (string | number)[]): DataMap {
    const m = newMap();
    this.fresh.add(m);
    setObjectOrigin(m, { file: this.options.source, path });
    return m;
  }

  private newList(path: (string | number)[]): unknown[] {
    const l: unknown[] = [];
    this.fresh.add(l);
    setObjectOrigin(l, { file: this.options.source, path });
    return l;
  }

  /** A map to change: this one if fresh, else a copy keeping each key's origin. Not a map: helm's error. */
  private ownMap(v: unknown, path: (string | number)[]): DataMap {
    if (!isMap(v)) throw new SetSyntaxError(`unable to parse key: ${describe(v)} at ${path.join('.')} is not a map`);
    if (this.fresh.has(v)) return v;
    const copy = newMap();
    for (const k of Object.keys(v)) {
      setOwn(copy, k, v[k]);
      setKeyOrigin(copy, k, childOrigin(v, k));
    }
    setObjectOrigin(copy, originOf(v));
    this.fresh.add(copy);
    return copy;
  }

  /** A list to change: fresh, or a copy (its origin is then the line's: `--set` assembled it). */
  private ownList(v: unknown, path: (string | number)[]): unknown[] {
    if (!Array.isArray(v)) throw new SetSyntaxError(`unable to parse key: ${describe(v)} at ${path.join('.')} is not a list`);
    if (this.fresh.has(v)) return v;
    const copy = [...v];
    this.fresh.add(copy);
    setObjectOrigin(copy, { file: this.options.source, path });
    return copy;
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isMap(v)) return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** One override of the `--set` family. */
export interface SetLine {
  kind: '--set' | '--set-string';
  line: string;
}

/**
 * Applies `--set`-style lines to `user` (the values the `-f` files gave), in order, as helm does:
 * `settings` entries (path → typed value) first, then the lines. Returns a new map; `user` and
 * everything in it stay as they were. Throws SetSyntaxError where helm would fail.
 */
export function applySets(user: DataMap, lines: readonly SetLine[], settings: readonly (readonly [string, unknown])[] = []): DataMap {
  const fresh = new WeakSet<object>();
  const root = newMap();
  for (const k of Object.keys(user)) {
    setOwn(root, k, user[k]);
    setKeyOrigin(root, k, childOrigin(user, k));
  }
  setObjectOrigin(root, originOf(user));
  fresh.add(root);
  for (const [path, value] of settings) {
    const data = toValue(value);
    new Parser(`${path}=`, { source: 'settings.helm.set', asString: false, given: { value: data } }, fresh).parse(root);
  }
  // --set before --set-string, each in its order (helm's MergeValues).
  for (const kind of ['--set', '--set-string'] as const) {
    for (const l of lines) if (l.kind === kind) new Parser(l.line, { source: kind, asString: kind === '--set-string' }, fresh).parse(root);
  }
  return root;
}

/** A line's syntax checked alone (the CLI and the config refuse what helm would refuse). */
export function checkSetLine(line: SetLine): void {
  new Parser(line.line, { source: line.kind, asString: line.kind === '--set-string' }, new WeakSet()).parse(newMap());
}

/** A settings.helm.set key path checked alone. */
export function checkSetPath(path: string): void {
  new Parser(`${path}=`, { source: 'settings.helm.set', asString: false, given: { value: null } }, new WeakSet()).parse(newMap());
}

/** A settings value as template data: null-prototype maps, copied lists (the config is plain JSON-like data). */
function toValue(v: unknown, depth = 0): unknown {
  if (depth > 100) throw new SetSyntaxError('settings.helm.set: a value nests too deep');
  if (Array.isArray(v)) return v.map((x) => toValue(x, depth + 1));
  if (typeof v === 'object' && v !== null) {
    const out = newMap();
    for (const k of Object.keys(v)) setOwn(out, k, toValue((v as Record<string, unknown>)[k], depth + 1));
    return out;
  }
  return v === undefined ? null : v;
}
