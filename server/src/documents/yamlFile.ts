/**
 * A YAML file as a list of documents, split on `---` lines before any parsing. Splitting first is
 * what makes Bulkhead fast: a document no enabled rule looks at (a 1.4 MB CRD schema) is never
 * parsed, and a document unchanged since the last keystroke is reused from the cache.
 *
 * Splitting on text is sound: a `---` or `...` at column 0 followed by a blank ends a document
 * wherever it appears, even inside a block scalar (YAML 1.2 §9.1.4, "forbidden" lines).
 */
import { Document, parseDocument } from 'yaml';
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

/** True when a chunk holds nothing but comments, blanks and markers. */
export function isBlankChunk(text: string): boolean {
  return /^(?:\s|#[^\n]*|---|\.\.\.)*$/.test(text);
}

/**
 * Parses one chunk. YAML 1.1 scalars (`yes`, `on` as booleans) because that is what kubectl's
 * parser reads; merge keys likewise.
 */
export function parseChunk(text: string): ParsedChunk {
  const doc = parseDocument(text, { version: '1.1', prettyErrors: false, keepSourceTokens: false });
  let syntaxError: YamlProblem | undefined;
  const duplicateKeys: YamlProblem[] = [];
  for (const e of doc.errors) {
    const problem = { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1), message: cleanMessage(e.message), code: e.code };
    if (e.code === 'DUPLICATE_KEY') duplicateKeys.push(problem);
    else if (!syntaxError) syntaxError = problem;
  }
  const objects = syntaxError ? [] : objectsOf(doc.contents, doc);
  return { doc, objects, syntaxError, duplicateKeys };
}

/** The `yaml` package appends a source excerpt after a colon and newline; keep the sentence. */
function cleanMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** What the engine keeps per document between lints. */
export class ChunkEntry {
  private parsedValue: ParsedChunk | undefined;
  private linesValue: LineIndex | undefined;
  /** Engine results for one config generation. */
  memo: { key: number; value: unknown } | undefined;

  constructor(readonly text: string) {}

  get parsed(): ParsedChunk {
    return (this.parsedValue ??= parseChunk(this.text));
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
 */
export class ChunkCache {
  private entries = new Map<string, ChunkEntry>();
  private used = new Map<string, ChunkEntry>();

  get(text: string): ChunkEntry {
    let entry = this.used.get(text) ?? this.entries.get(text);
    if (!entry) entry = new ChunkEntry(text);
    this.used.set(text, entry);
    return entry;
  }

  /** Call after each lint of the file: keeps only what that lint used. */
  sweep(): void {
    this.entries = this.used;
    this.used = new Map();
  }
}
