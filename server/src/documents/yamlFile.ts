/**
 * A YAML file as a list of documents, split on `---` lines before any parsing. Splitting first is
 * what makes Bulkhead fast: a document no enabled rule looks at (a 1.4 MB CRD schema) is never
 * parsed, and a document unchanged since the last keystroke is reused from the cache.
 *
 * Splitting on text is sound: a `---` or `...` at column 0 followed by a blank ends a document
 * wherever it appears, even inside a block scalar (YAML 1.2 §9.1.4, "forbidden" lines).
 */
import { Document, isMap, isScalar, parseDocument, visit } from 'yaml';
import { KubeObject, objectsOf } from './kube';
import { LineIndex } from '../text/lineIndex';

export interface YamlChunk {
  /** Offset of the chunk in the file; chunks always start at the start of a line. */
  readonly start: number;
  readonly text: string;
}

export interface YamlProblem {
  /** Chunk-relative offsets. */
  start: number;
  end: number;
  message: string;
  code: string;
}

/** A parsed chunk. Offsets inside are relative to the chunk, so it survives edits elsewhere in the file. */
export interface ParsedChunk {
  readonly doc: Document.Parsed;
  readonly objects: KubeObject[];
  /** The first real syntax error, if any: the document is then not linted (its tree is a guess). */
  readonly syntaxError: YamlProblem | undefined;
  readonly duplicateKeys: YamlProblem[];
}

const DOC_BOUNDARY = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
const SNIFF_KIND = /^(?:kind|"kind"|'kind')[ \t]*:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*(?:#.*)?$/m;

export function splitYamlDocuments(text: string): YamlChunk[] {
  const cuts: number[] = [0];
  DOC_BOUNDARY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DOC_BOUNDARY.exec(text))) {
    if (m[0] === '---') {
      if (m.index > 0) cuts.push(m.index);
    } else {
      // `...` ends a document: the next one starts on the following line.
      const eol = text.indexOf('\n', m.index);
      if (eol >= 0 && eol + 1 < text.length) cuts.push(eol + 1);
    }
  }
  const chunks: YamlChunk[] = [];
  let pendingStart: number | undefined;
  for (let i = 0; i < cuts.length; i++) {
    const start = pendingStart ?? cuts[i];
    const end = i + 1 < cuts.length ? cuts[i + 1] : text.length;
    if (end <= start) continue;
    const chunkText = text.slice(start, end);
    // Directives (`%YAML`) belong to the document after them.
    if (i + 1 < cuts.length && /^%/m.test(chunkText) && !/^---/m.test(chunkText)) {
      pendingStart = start;
      continue;
    }
    pendingStart = undefined;
    chunks.push({ start, text: chunkText });
  }
  return chunks;
}

/** `kind:` read from a document's text without parsing; undefined when it is not a plain top-level key. */
export function sniffKind(text: string): string | undefined {
  return SNIFF_KIND.exec(text)?.[1];
}

/**
 * True when a chunk holds nothing but comments, blanks and markers. A hand-written scan: the regex
 * it replaces, `^(?:\s|#[^\n]*|---|\.\.\.)*$`, backtracked exponentially on a run of `#`.
 */
export function isBlankChunk(text: string): boolean {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return true;
      i = eol + 1;
    } else if ((c === 45 /* - */ || c === 46) /* . */ && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
      i += 3;
    } else if (isWhitespace(c)) {
      i++;
    } else {
      return false;
    }
  }
  return true;
}

/** What `\s` matches in a JavaScript regex. */
function isWhitespace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 128) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * Parses one chunk. YAML 1.1 scalars (`yes`, `on` as booleans) because that is what kubectl's
 * parser reads; merge keys likewise.
 */
export function parseChunk(text: string, impliedKind?: string): ParsedChunk {
  // The library's own unique-key check compares each key with every earlier one (quadratic: a Pod
  // with 20,000 labels took 12 s); duplicateKeysOf does the same check in linear time.
  const doc = parseDocument(text, { version: '1.1', prettyErrors: false, keepSourceTokens: false, uniqueKeys: false });
  let syntaxError: YamlProblem | undefined = repeatedYamlDirective(text);
  for (const e of doc.errors) {
    if (syntaxError) break;
    syntaxError = { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: cleanMessage(e.message), code: e.code };
  }
  const duplicateKeys = duplicateKeysOf(doc);
  const objects = syntaxError ? [] : objectsOf(doc.contents, doc, impliedKind);
  return { doc, objects, syntaxError, duplicateKeys };
}

/**
 * Keys repeated in a mapping, as the `yaml` package's `uniqueKeys` would report them (scalar keys
 * with the same value, merge keys `<<` exempt), each at the later key, in one pass over the tree.
 */
export function duplicateKeysOf(doc: Document.Parsed): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map) || map.items.length < 2) return;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || !key.range) continue;
        const v = key.value;
        // Only values `===` can equate; objects (timestamps) and merge-key symbols never collide.
        if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint') continue;
        const identity = `${v === null ? 'null' : typeof v}:${String(v)}`;
        if (seen.has(identity)) problems.push({ start: key.range[0], end: key.range[0] + 1, message: 'Map keys must be unique', code: 'DUPLICATE_KEY' });
        else seen.add(identity);
      }
    },
  });
  return problems;
}

/**
 * YAML allows one `%YAML` directive per document (1.2 §6.8.1); the `yaml` package accepts a
 * repeated one silently, and tools then disagree on which version the document is read as.
 */
function repeatedYamlDirective(text: string): YamlProblem | undefined {
  let seen = false;
  let lineStart = 0;
  // The directive block: directives, comments and blank lines before the `---` line.
  while (lineStart < text.length) {
    const eol = text.indexOf('\n', lineStart);
    const lineEnd = eol < 0 ? text.length : eol;
    const c = text.charCodeAt(lineStart);
    if (c === 37 /* % */) {
      if (text.startsWith('%YAML', lineStart) && (text[lineStart + 5] === ' ' || text[lineStart + 5] === '\t')) {
        if (seen)
          return {
            start: lineStart,
            end: lineStart + 5,
            message: 'The %YAML directive is repeated; a document may have only one',
            code: 'MULTIPLE_YAML_DIRECTIVES',
          };
        seen = true;
      }
    } else if (c !== 35 /* # */ && text.slice(lineStart, lineEnd).trim() !== '') {
      return undefined;
    }
    if (eol < 0) return undefined;
    lineStart = eol + 1;
  }
  return undefined;
}

/** The `yaml` package appends a source excerpt after a colon and newline; keep the sentence. */
function cleanMessage(message: string): string {
  return message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}

/** What the engine keeps per document between lints. */
export class ChunkEntry {
  private parsedValue: ParsedChunk | undefined;
  private linesValue: LineIndex | undefined;
  /** Engine results for one config generation. */
  memo: { key: number; value: unknown } | undefined;

  constructor(
    readonly text: string,
    /** The kind a document without `kind` has because of its file's name (see `kindImpliedByPath`). */
    readonly impliedKind?: string,
  ) {}

  get parsed(): ParsedChunk {
    return (this.parsedValue ??= parseChunk(this.text, this.impliedKind));
  }

  get isParsed(): boolean {
    return this.parsedValue !== undefined;
  }

  get lines(): LineIndex {
    return (this.linesValue ??= new LineIndex(this.text));
  }

  private lineCountValue: number | undefined;

  /** Line breaks in the chunk: where the next chunk's first line is. */
  get lineBreaks(): number {
    if (this.lineCountValue === undefined) {
      if (this.linesValue) this.lineCountValue = this.linesValue.lineCount - 1;
      else {
        let n = 0;
        const t = this.text;
        for (let i = 0; i < t.length; i++) {
          const c = t.charCodeAt(i);
          if (c === 10) n++;
          else if (c === 13 && t.charCodeAt(i + 1) !== 10) n++;
        }
        this.lineCountValue = n;
      }
    }
    return this.lineCountValue;
  }

  private sniffed: { kind: string | undefined } | undefined;

  get sniffedKind(): string | undefined {
    return (this.sniffed ??= { kind: sniffKind(this.text) }).kind;
  }
}

/**
 * Chunk entries by their text, for one file: a keystroke changes one chunk, and every other is
 * found here unchanged. Entries not used by the latest lint are dropped, so memory tracks the file.
 * The kind a file's name implies is part of the key: the same text is another object under another
 * name (a file renamed to `kustomization.yaml` becomes a Kustomization).
 */
export class ChunkCache {
  private entries = new Map<string, ChunkEntry>();
  private used = new Map<string, ChunkEntry>();

  get(text: string, impliedKind?: string): ChunkEntry {
    // Kinds are identifiers: a NUL never occurs in one, so the key cannot collide with plain text.
    const key = impliedKind ? `${impliedKind}\u0000${text}` : text;
    let entry = this.used.get(key) ?? this.entries.get(key);
    if (!entry) entry = new ChunkEntry(text, impliedKind);
    this.used.set(key, entry);
    return entry;
  }

  /** Call after each lint of the file: keeps only what that lint used. */
  sweep(): void {
    this.entries = this.used;
    this.used = new Map();
  }
}
