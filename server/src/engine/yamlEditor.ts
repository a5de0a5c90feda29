/**
 * Minimal text edits on a YAML document. The tree is only read; the edits are spliced into the
 * original text, so everything a fix does not name keeps its comments, quoting, key order,
 * indentation and line endings. Inserted lines follow the document's own indentation style.
 */
import { isMap, isPair, isScalar, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { detectEol } from '../text/lineIndex';
import type { TextEdit } from './rule';
import { AnyDoc, deref, findPair } from '../documents/yamlNodes';

/** A value to write: scalars, lists of scalars and nested maps (rendered in the target's style). */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export class YamlEditor {
  readonly eol: string;
  private unitCache: number | undefined;
  private seqIndentCache: boolean | undefined;

  constructor(
    readonly text: string,
    readonly doc: AnyDoc,
  ) {
    this.eol = detectEol(text);
  }

  /** Spaces per nesting level, read from the document (first nested block mapping), else 2. */
  get indentUnit(): number {
    if (this.unitCache !== undefined) return this.unitCache;
    const lines = this.text.split(/\r?\n|\r/);
    let unit = 2;
    for (let i = 0; i + 1 < lines.length; i++) {
      const m = /^( *)(?:- )?[^\s#][^:#]*:\s*(?:#.*)?$/.exec(lines[i]);
      if (!m) continue;
      const own = m[0].indexOf(m[0].trimStart().replace(/^- /, ''));
      let j = i + 1;
      while (j < lines.length && /^\s*(#.*)?$/.test(lines[j])) j++;
      const next = lines[j];
      if (next === undefined || /^\s*- /.test(next)) continue;
      const childIndent = next.length - next.trimStart().length;
      if (childIndent > own) {
        unit = childIndent - own;
        break;
      }
    }
    this.unitCache = Math.min(Math.max(unit, 1), 8);
    return this.unitCache;
  }

  /** Whether block sequences are indented under their key (`key:\n  - a`) rather than flush (`key:\n- a`). */
  get indentSequences(): boolean {
    if (this.seqIndentCache !== undefined) return this.seqIndentCache;
    // The first `key:` line followed (past blank and comment lines) by a `- ` item. Line by line:
    // as one multiline regex it backtracked polynomially over runs of comment lines.
    const lines = this.text.split('\n');
    let indented = true;
    for (let i = 0; i < lines.length - 1; i++) {
      const keyLine = /^ *(?:- )?[\w"'.\/-]+:[ \t]*(?:#[^\r\n]*)?\r?$/.exec(lines[i])?.[0];
      if (keyLine === undefined) continue;
      let j = i + 1;
      while (j < lines.length - 1 && /^[ \t]*(?:#[^\r\n]*)?\r?$/.test(lines[j])) j++;
      const item = /^( *)- /.exec(lines[j]);
      if (!item) {
        i = j - 1; // the lines skipped were blank or comments: none of them is a key line
        continue;
      }
      const keyCol = keyLine.length - keyLine.trimStart().replace(/^- /, '').length;
      indented = item[1].length > keyCol;
      break;
    }
    this.seqIndentCache = indented;
    return indented;
  }

  // ---- reading positions -------------------------------------------------------------------

  /** Column of an offset in its line. */
  column(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return offset - i;
  }

  private lineStartOf(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  /** Offset after the line break of the line holding `offset` (or the end of text). */
  private nextLineStart(offset: number): number {
    let i = offset;
    while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
    if (this.text[i] === '\r' && this.text[i + 1] === '\n') return i + 2;
    if (i < this.text.length) return i + 1;
    return i;
  }

  /** Last offset of real content in a node (block collections' ranges include the trailing line break). */
  private contentEnd(node: Node | Pair): number {
    const n = isPair(node) ? ((node.value as Node | null) ?? (node.key as Node)) : node;
    let end = n?.range?.[1] ?? 0;
    while (end > 0 && /\s/.test(this.text[end - 1])) end--;
    return end;
  }

  private keyStart(pair: Pair): number {
    return (pair.key as Node).range![0];
  }

  // ---- rendering ----------------------------------------------------------------------------

  scalar(value: string | number | boolean | null): string {
    if (value === null) return 'null';
    if (typeof value !== 'string') return String(value);
    const plain = /^[A-Za-z_/][A-Za-z0-9_./@-]*$/.test(value) && !/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(value);
    return plain ? value : JSON.stringify(value);
  }

  flow(value: YamlValue): string {
    if (Array.isArray(value)) return `[${value.map((v) => this.flow(v)).join(', ')}]`;
    if (value !== null && typeof value === 'object') {
      return `{${Object.entries(value)
        .map(([k, v]) => `${this.scalar(k)}: ${this.flow(v)}`)
        .join(', ')}}`;
    }
    return this.scalar(value);
  }

  /** `key: value` lines for a block mapping whose keys sit at `column`; no trailing line break. */
  blockEntry(key: string, value: YamlValue, column: number): string {
    const pad = ' '.repeat(column);
    const head = `${pad}${this.scalar(key)}:`;
    if (Array.isArray(value)) {
      if (value.length === 0 || value.some((v) => v !== null && typeof v === 'object')) return `${head} ${this.flow(value)}`;
      const itemPad = ' '.repeat(this.indentSequences ? column + this.indentUnit : column);
      return [head, ...value.map((v) => `${itemPad}- ${this.flow(v)}`)].join(this.eol);
    }
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0) return `${head} {}`;
      return [head, ...entries.map(([k, v]) => this.blockEntry(k, v, column + this.indentUnit))].join(this.eol);
    }
    return `${head} ${this.scalar(value)}`;
  }

  // ---- edits ----------------------------------------------------------------------------------

  /** Replace a scalar (or any node) with new YAML text. */
  replace(node: Node, newText: string): TextEdit {
    const [start, end] = node.range!;
    // An empty value (`key:` and nothing) sits right after the colon: without a blank between them,
    // `key:value` would be one plain scalar instead of a pair.
    if (start === end && this.text[start - 1] === ':') return { start, end, newText: ` ${newText}` };
    return { start, end: Math.max(start, Math.min(end, this.contentEnd(node))), newText };
  }

  /**
   * Set `path` under `map` to `value`, creating the missing maps on the way (e.g.
   * `securityContext.capabilities.drop`). An existing scalar is replaced in place.
   */
  setIn(map: YAMLMap, path: readonly string[], value: YamlValue): TextEdit {
    let current: YAMLMap = map;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      const pair = findPair(current, key, this.doc);
      const rest = path.slice(i + 1);
      const nested = rest.reduceRight<YamlValue>((v, k) => ({ [k]: v }), value);
      if (!pair || !current.items.includes(pair)) {
        // Missing here (or only merged in through `<<`): add it to this map.
        return this.insertPair(current, key, nested);
      }
      const child = deref(pair.value, this.doc);
      if (rest.length === 0 || !isMap(child)) {
        if (child && !(isScalar(child) && child.value === null && !child.source)) {
          if (rest.length === 0 || isScalar(child)) return this.replaceValue(pair, child, nested);
        }
        return this.fillEmptyValue(pair, nested);
      }
      current = child;
    }
    throw new Error('setIn: empty path');
  }

  private replaceValue(pair: Pair, child: Node, value: YamlValue): TextEdit {
    const parentFlow = this.isFlowContext(pair);
    if (parentFlow || value === null || typeof value !== 'object') {
      return this.replace(child, this.flow(value));
    }
    // A block value replacing a scalar: re-render the whole pair.
    const start = this.keyStart(pair);
    const column = this.column(start);
    const key = String((pair.key as { value: unknown }).value);
    const rendered = this.blockEntry(key, value, column).slice(column);
    return { start, end: this.contentEnd(child), newText: rendered };
  }

  private isFlowContext(pair: Pair): boolean {
    const keyStart = this.keyStart(pair);
    // A flow mapping puts `{` or `,` before its keys on the same line.
    const before = this.text.slice(this.lineStartOf(keyStart), keyStart);
    return /[{,]\s*$/.test(before);
  }

  /** `key:` with nothing after it: write the value there. */
  private fillEmptyValue(pair: Pair, value: YamlValue): TextEdit {
    const keyNode = pair.key as Node;
    const colon = this.text.indexOf(':', keyNode.range![1]);
    const at = colon + 1;
    const valueEnd = pair.value ? this.contentEnd(pair.value as Node) : at;
    const end = Math.max(at, valueEnd);
    if (this.isFlowContext(pair) || value === null || typeof value !== 'object' || (Array.isArray(value) && value.length === 0)) {
      return { start: at, end, newText: ` ${this.flow(value)}` };
    }
    const column = this.column(keyNode.range![0]);
    const rendered = this.blockEntry('x', value, column).split(this.eol).slice(1).join(this.eol);
    return { start: at, end, newText: this.eol + rendered };
  }

  /** Add `key: value` to a mapping, after its last entry, in its style. */
  insertPair(map: YAMLMap, key: string, value: YamlValue): TextEdit {
    if (map.flow || map.items.length === 0) {
      const close = this.contentEnd(map) - 1; // the `}`
      let at = close;
      while (at > 0 && /\s/.test(this.text[at - 1])) at--;
      const sep = map.items.length > 0 ? ', ' : '';
      return { start: at, end: at, newText: `${sep}${this.scalar(key)}: ${this.flow(value)}` };
    }
    const first = map.items[0];
    const column = this.column(this.keyStart(first));
    const last = map.items[map.items.length - 1];
    const end = this.contentEnd(last);
    const lineEnd = this.nextLineStart(end);
    const entry = this.blockEntry(key, value, column);
    if (lineEnd === this.text.length && !/[\r\n]$/.test(this.text)) {
      return { start: lineEnd, end: lineEnd, newText: this.eol + entry };
    }
    return { start: lineEnd, end: lineEnd, newText: entry + this.eol };
  }

  /** Remove `key` (and its whole value) from a mapping. */
  removePair(map: YAMLMap, pair: Pair): TextEdit {
    const start = this.keyStart(pair);
    const end = this.contentEnd(pair);
    const index = map.items.indexOf(pair);
    if (map.flow) return this.removeFlowItem(map.items.length, index, start, end, map.items[index + 1], map.items[index - 1]);
    const lineStart = this.lineStartOf(start);
    const prefix = this.text.slice(lineStart, start);
    if (/^\s*$/.test(prefix)) {
      // The whole line(s) of the pair go, including a comment at their end.
      return { start: lineStart, end: this.nextLineStart(end), newText: '' };
    }
    // The first key of a sequence item (`- key: v`): the next key moves up onto the dash.
    const next = map.items[index + 1];
    if (next) return { start, end: this.keyStart(next), newText: '' };
    return { start, end, newText: '{}' };
  }

  private removeFlowItem(count: number, index: number, start: number, end: number, next: Node | Pair | undefined, prev: Node | Pair | undefined): TextEdit {
    if (count === 1) return { start, end, newText: '' };
    if (next) {
      const nextStart = isPair(next) ? this.keyStart(next) : next.range![0];
      return { start, end: nextStart, newText: '' };
    }
    const prevEnd = prev ? this.contentEnd(prev) : start;
    return { start: prevEnd, end, newText: '' };
  }

  /** Append a scalar to a sequence, in its style. */
  appendToSeq(seq: YAMLSeq, value: YamlValue): TextEdit {
    if (seq.flow || seq.items.length === 0) {
      const close = this.contentEnd(seq) - 1;
      let at = close;
      while (at > 0 && /\s/.test(this.text[at - 1])) at--;
      return { start: at, end: at, newText: `${seq.items.length > 0 ? ', ' : ''}${this.flow(value)}` };
    }
    const firstItem = seq.items[0] as Node;
    const dash = this.text.lastIndexOf('-', firstItem.range![0]);
    const column = this.column(dash);
    const end = this.contentEnd(seq.items[seq.items.length - 1] as Node);
    const lineEnd = this.nextLineStart(end);
    const line = `${' '.repeat(column)}- ${this.flow(value)}`;
    if (lineEnd === this.text.length && !/[\r\n]$/.test(this.text)) return { start: lineEnd, end: lineEnd, newText: this.eol + line };
    return { start: lineEnd, end: lineEnd, newText: line + this.eol };
  }

  /** Remove one item of a sequence; the last item leaves `[]` so the key keeps a valid value. */
  removeSeqItem(seq: YAMLSeq, item: Node, ownerPair?: Pair): TextEdit {
    const index = seq.items.indexOf(item);
    const start = item.range![0];
    const end = this.contentEnd(item);
    if (seq.flow) return this.removeFlowItem(seq.items.length, index, start, end, seq.items[index + 1] as Node, seq.items[index - 1] as Node);
    if (seq.items.length === 1) {
      if (ownerPair) {
        const colon = this.text.indexOf(':', (ownerPair.key as Node).range![1]);
        return { start: colon + 1, end: this.contentEnd(seq), newText: ' []' };
      }
      return { start: this.text.lastIndexOf('-', start), end, newText: '[]' };
    }
    const lineStart = this.lineStartOf(start);
    return { start: lineStart, end: this.nextLineStart(end), newText: '' };
  }
}

/**
 * Apply non-overlapping edits to a text (later offsets first, so earlier ones stay valid).
 * Insertions at one offset appear in array order, as LSP clients apply them.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.end > lastStart) throw new Error('overlapping edits');
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}
