/**
 * Command-line flags of a container, read the way the component parses them: `--flag=value`,
 * `--flag value` as two items, a bare boolean `--flag`, several flags in one `sh -c` script, flags
 * split between `command` and `args`. Each occurrence keeps where it is, so a finding underlines
 * exactly the flag and a fix edits exactly its text.
 */
import { isScalar, Pair, Scalar, YAMLSeq } from 'yaml';
import type { Container } from '../../../server/src/documents/kube';
import { AnyDoc, findPair, getSeq, seqItems } from '../../../server/src/documents/yamlNodes';
import type { Span } from '../../../server/src/documents/yamlNodes';
import type { TextEdit } from '../../../server/src/engine/rule';
import type { YamlEditor } from '../../../server/src/engine/yamlEditor';
import { styledScalar } from './yamlText';

/** How a flag's value is parsed: booleans never take the next item as their value (pflag and Go's flag). */
export type FlagType = 'bool' | 'string' | 'list' | 'map';

/** One argument: a whole `command`/`args` item, or one word of a shell script inside an item. */
export interface ArgToken {
  readonly text: string;
  /** Where the word is in the document, when it appears there verbatim. */
  readonly span: Span | undefined;
  readonly item: Scalar;
  readonly seq: YAMLSeq;
  /** The `command:` or `args:` pair holding `seq`, so removing its last item leaves `[]` there. */
  readonly owner: Pair | undefined;
  /** The word is part of a shell script (`sh -c "..."`), not a list item of its own. */
  readonly inScript: boolean;
}

/** The words of a container's process: `command` then `args`, shell scripts split into words. */
export interface ContainerArgv {
  readonly tokens: ArgToken[];
  /** The list new flags are appended to: the one already holding flags, else `args`/`command`. */
  readonly flagSeq: YAMLSeq | undefined;
  /** Flags live in a shell script, so new ones cannot be appended as list items. */
  readonly scripted: boolean;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
/** Bounds the work on hostile input: no real control-plane command line is near this. */
const MAX_TOKENS = 2000;

/** `-c`, `-ec`, `-xec`...: the shell option that makes the next argument a script. */
export function isShellCommandFlag(word: string): boolean {
  return word.length <= 8 && /^-[a-z]+$/.test(word) && word.includes('c');
}

export function baseNameOf(word: string): string {
  const i = word.lastIndexOf('/');
  return i >= 0 ? word.slice(i + 1) : word;
}

export function containerArgv(container: Container, doc: AnyDoc, text: string): ContainerArgv {
  const tokens: ArgToken[] = [];
  let flagSeq: YAMLSeq | undefined;
  let scripted = false;
  const command = getSeq(container.node, 'command', doc);
  const args = getSeq(container.node, 'args', doc);
  const items: { item: Scalar; seq: YAMLSeq; owner: Pair | undefined }[] = [];
  for (const [seq, key] of [
    [command, 'command'],
    [args, 'args'],
  ] as const) {
    if (!seq) continue;
    const owner = findPair(container.node, key, doc);
    for (const item of seqItems(seq, doc)) if (isScalar(item) && item.value != null) items.push({ item, seq, owner });
  }
  let shellNext = false;
  for (let i = 0; i < items.length && tokens.length < MAX_TOKENS; i++) {
    const { item, seq, owner } = items[i];
    const value = String(item.value);
    const word = baseNameOf(value);
    if (shellNext) {
      shellNext = false;
      scripted = true;
      for (const w of scriptWords(value, item, text)) {
        if (tokens.length >= MAX_TOKENS) break;
        tokens.push({ ...w, item, seq, owner, inScript: true });
      }
      continue;
    }
    if (i === 0 && SHELLS.has(word)) {
      // `sh -c "<script>"` (also `-ec`, `-xc`...): the next item is a script of words.
      tokens.push({ text: value, span: itemSpan(item, text), item, seq, owner, inScript: false });
      const flag = items[1] ? String(items[1].item.value) : '';
      if (isShellCommandFlag(flag)) {
        tokens.push({ text: flag, span: itemSpan(items[1].item, text), item: items[1].item, seq: items[1].seq, owner: items[1].owner, inScript: false });
        i++;
        shellNext = true;
      }
      continue;
    }
    tokens.push({ text: value, span: itemSpan(item, text), item, seq, owner, inScript: false });
    if (value.startsWith('-') && !flagSeq) flagSeq = seq;
  }
  return { tokens, flagSeq: flagSeq ?? args ?? command, scripted };
}

/** The source span of a list item's content (quotes included), for underlining and replacing. */
function itemSpan(item: Scalar, text: string): Span | undefined {
  const r = item.range;
  if (!r) return undefined;
  let end = r[1];
  while (end > r[0] && /\s/.test(text[end - 1])) end--;
  return { start: r[0], end };
}

/**
 * Words of a shell script, with their place in the document when the word appears there verbatim
 * (plain, single- or double-quoted and block scalars keep words intact; escapes may not).
 * Quotes inside the script are not interpreted: control-plane scripts do not need them.
 */
function scriptWords(script: string, item: Scalar, text: string): { text: string; span: Span | undefined }[] {
  const out: { text: string; span: Span | undefined }[] = [];
  const range = item.range;
  let cursor = range ? range[0] : 0;
  const limit = range ? range[1] : 0;
  let lost = false;
  let i = 0;
  while (i < script.length && out.length < MAX_TOKENS) {
    while (i < script.length && isSpaceOrContinuation(script, i)) i++;
    const start = i;
    while (i < script.length && !isSpaceOrContinuation(script, i)) i++;
    if (i === start) break;
    let word = script.slice(start, i);
    // `exec kube-apiserver ... ;` and `&&` chains: separators are words of their own or trail a word.
    if (word.endsWith(';')) word = word.slice(0, -1);
    if (!word) continue;
    let span: Span | undefined;
    if (range && !lost) {
      const at = text.indexOf(word, cursor);
      if (at >= 0 && at + word.length <= limit) {
        span = { start: at, end: at + word.length };
        cursor = at + word.length;
      } else {
        // A word the source spells differently (escapes): stop placing words, so a long script
        // costs one pass over its text rather than one per word.
        lost = true;
      }
    }
    out.push({ text: word, span });
  }
  return out;
}

function isSpaceOrContinuation(s: string, i: number): boolean {
  const c = s[i];
  if (c === ' ' || c === '\t' || c === '\n' || c === '\r') return true;
  return c === '\\' && (s[i + 1] === '\n' || s[i + 1] === '\r');
}

/** One place a flag is given. */
export interface FlagOccurrence {
  readonly name: string;
  /** The value as the component reads it (`true` for a bare boolean flag). */
  readonly value: string;
  /** What to underline: the `--flag=value` word, or the flag and its value item. */
  readonly span: Span | undefined;
  readonly fallback: Scalar;
  /** Edits that give this occurrence a new value, keeping its form; undefined when not possible. */
  setValue(editor: YamlEditor, value: string): TextEdit[] | undefined;
  /** Edits that remove this occurrence (and its separate value item). */
  remove(editor: YamlEditor): TextEdit[] | undefined;
}

/**
 * Every occurrence of `--name` (etcd also takes `-name`, as Go's flag package does), in order.
 * `--name value` takes the next word as the value except for booleans, which pflag and Go's flag
 * only read in the `--name=value` form.
 */
export function flagOccurrences(argv: ContainerArgv, name: string, type: FlagType, singleDash: boolean): FlagOccurrence[] {
  const out: FlagOccurrence[] = [];
  const tokens = argv.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const body = t.text.startsWith('--') ? t.text.slice(2) : singleDash && t.text.startsWith('-') ? t.text.slice(1) : undefined;
    if (body === undefined) continue;
    if (body === '') break; // `--` ends the flags
    const eq = body.indexOf('=');
    const flagName = eq >= 0 ? body.slice(0, eq) : body;
    if (flagName !== name) continue;
    if (eq >= 0) {
      out.push(inlineOccurrence(t, name, body.slice(eq + 1), t.text.slice(0, t.text.length - body.length)));
    } else if (type === 'bool') {
      out.push(bareBoolOccurrence(t, name, t.text));
    } else {
      const next = tokens[i + 1];
      if (!next) continue;
      out.push(separateOccurrence(t, next, name));
      i++;
    }
  }
  return out;
}

function replaceWord(editor: YamlEditor, t: ArgToken, newWord: string): TextEdit[] | undefined {
  if (t.inScript) return t.span ? [{ start: t.span.start, end: t.span.end, newText: newWord }] : undefined;
  return [editor.replace(t.item, styledScalar(newWord, t.item, !!t.seq.flow))];
}

function removeWord(editor: YamlEditor, t: ArgToken): TextEdit[] | undefined {
  if (t.inScript) {
    if (!t.span) return undefined;
    // Take the blank before the word with it, so the script keeps single spaces.
    let start = t.span.start;
    while (start > 0 && (editor.text[start - 1] === ' ' || editor.text[start - 1] === '\t')) start--;
    return [{ start, end: t.span.end, newText: '' }];
  }
  return [editor.removeSeqItem(t.seq, t.item, t.owner)];
}

function inlineOccurrence(t: ArgToken, name: string, value: string, dashes: string): FlagOccurrence {
  return {
    name,
    value,
    span: t.span,
    fallback: t.item,
    setValue: (editor, v) => replaceWord(editor, t, `${dashes}${name}=${v}`),
    remove: (editor) => removeWord(editor, t),
  };
}

function bareBoolOccurrence(t: ArgToken, name: string, word: string): FlagOccurrence {
  return {
    name,
    value: 'true',
    span: t.span,
    fallback: t.item,
    setValue: (editor, v) => replaceWord(editor, t, `${word}=${v}`),
    remove: (editor) => removeWord(editor, t),
  };
}

function separateOccurrence(t: ArgToken, next: ArgToken, name: string): FlagOccurrence {
  const span = t.span && next.span ? { start: t.span.start, end: next.span.end } : t.span;
  return {
    name,
    value: next.text,
    span,
    fallback: t.item,
    setValue: (editor, v) => replaceWord(editor, next, v),
    remove: (editor) => {
      if (t.inScript !== next.inScript) return undefined;
      if (t.inScript) {
        if (!t.span || !next.span) return undefined;
        let start = t.span.start;
        while (start > 0 && (editor.text[start - 1] === ' ' || editor.text[start - 1] === '\t')) start--;
        return [{ start, end: next.span.end, newText: '' }];
      }
      // Two items of a flow list would need one joint edit; not offered.
      if (t.seq.flow || next.seq.flow) return undefined;
      const a = removeWord(editor, t);
      const b = removeWord(editor, next);
      return a && b ? [...a, ...b] : undefined;
    },
  };
}
