/**
 * dockerfile-ast 0.7.1's `Instruction.getRawArguments` (lib/instruction.js), re-implemented for
 * speed with the same algorithm and the same answers. Why patch: it was a quarter of a parse. The
 * library builds each argument's value one character at a time (`escapedArg + char`), checks every
 * character through `Util.isWhitespace`, and asks `document.positionAt` (a binary search over the
 * line table) and `Range.create` (which validates its numbers) for every argument boundary.
 *
 * Here the value is cut from the text in slices (a run of unescaped characters is one slice), the
 * boundaries are found with a line cursor that moves from the previous boundary, and ranges are
 * object literals of the shape `Range.create` returns. Every branch below mirrors one of the
 * library's, in the same order; test/documents/dockerfileAst*.test.ts compares both on the corpus,
 * the repository's Dockerfiles and thousands of generated hostile variants.
 */
import { Argument } from 'dockerfile-ast';

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}

/** What dockerfile-ast's documents are: vscode-languageserver-textdocument's FullTextDocument. */
export interface ParsedDocument {
  getText(): string;
  offsetAt(position: Position): number;
  positionAt(offset: number): Position;
  getLineOffsets?(): number[];
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const HASH = 35;
const DOLLAR = 36;
const BACKSLASH = 92;
const BACKTICK = 96;

/**
 * The scan below skips the characters that cannot change its state with a search in the regular
 * expression engine's compiled code (one-character classes: linear) instead of a loop over them:
 * most of an instruction's text is such runs, and the loop ran in the interpreter and baseline code
 * for most of a cold scan. The end of a run of ordinary characters is the next blank, line break or
 * escape character; the end of a comment line inside the instruction the next line break or escape
 * character; the end of the blanks indenting a continuation line the next other character.
 */
const RUN_END_BACKSLASH = /[ \t\r\n\\]/g;
const RUN_END_BACKTICK = /[ \t\r\n`]/g;
const COMMENT_END_BACKSLASH = /[\r\n\\]/g;
const COMMENT_END_BACKTICK = /[\r\n`]/g;
const NON_BLANK = /[^ \t]/g;

/**
 * Where `pattern` (global, one character) first matches in `source` at or after `base + from`, as
 * an offset from `base`; `length` when it does not match before `base + length`.
 */
function searchFrom(pattern: RegExp, source: string, base: number, from: number, length: number): number {
  pattern.lastIndex = base + from;
  if (!pattern.test(source)) return length;
  const at = pattern.lastIndex - 1 - base;
  return at > length ? length : at;
}

/**
 * `document.offsetAt(document.positionAt(offset))` of vscode-languageserver-textdocument, on `text`:
 * the offset clamped to the text, and moved back from the LF of a CRLF to its CR.
 */
export function offsetRoundTrip(text: string, offset: number): number {
  const at = offset < 0 ? 0 : offset > text.length ? text.length : offset;
  return at > 0 && text.charCodeAt(at) === LF && text.charCodeAt(at - 1) === CR ? at - 1 : at;
}

/**
 * `document.positionAt` for offsets asked in (mostly) increasing order: after one binary search
 * (`seek`, at the instruction's start), the line is found by stepping from the last answer. The
 * answers are the library's, clamping and the step back over a line break (`ensureBeforeEOL`, for
 * an offset inside a CRLF) included.
 */
export class PositionCursor {
  private line = 0;
  private readonly lineOffsets: number[] | undefined;
  private readonly text: string;

  /** `text`: the document's text, when the caller has it. */
  constructor(
    private readonly document: ParsedDocument,
    text?: string,
  ) {
    this.text = text ?? document.getText();
    const offsets = typeof document.getLineOffsets === 'function' ? document.getLineOffsets() : undefined;
    this.lineOffsets = Array.isArray(offsets) && offsets.length > 0 ? offsets : undefined;
  }

  /** Starts the cursor at the line of `at` (a binary search, as the library's). */
  seek(at: number): void {
    const lineOffsets = this.lineOffsets;
    if (lineOffsets === undefined) return;
    let low = 0;
    let high = lineOffsets.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (lineOffsets[mid] > at) high = mid;
      else low = mid + 1;
    }
    this.line = low > 0 ? low - 1 : 0;
  }

  /**
   * `document.offsetAt(document.positionAt(at))` without the position: the offset clamped to the
   * text, and stepped back by one when it is the LF of a CRLF. (positionAt steps back over the line
   * break characters before an offset on its line, and a line holds no break but the one ending it,
   * so only the second unit of a CRLF has one before it; offsetAt reads that position back as it is.)
   */
  offsetAt(at: number): number {
    if (this.lineOffsets === undefined) return this.document.offsetAt(this.document.positionAt(at));
    return offsetRoundTrip(this.text, at);
  }

  positionAt(at: number): Position {
    const lineOffsets = this.lineOffsets;
    if (lineOffsets === undefined) return this.document.positionAt(at);
    const text = this.text;
    let offset = at < 0 ? 0 : at > text.length ? text.length : at;
    let line = this.line;
    while (line > 0 && lineOffsets[line] > offset) line--;
    while (line + 1 < lineOffsets.length && lineOffsets[line + 1] <= offset) line++;
    this.line = line;
    const lineStart = lineOffsets[line];
    // The step back over a line break can only start on the line's last two characters (a line
    // holds no break but its own at its end): most offsets skip the look at the text.
    if (line + 1 < lineOffsets.length && offset < lineOffsets[line + 1] - 1) return { line, character: offset - lineStart };
    while (offset > lineStart) {
      const code = text.charCodeAt(offset - 1);
      if (code !== CR && code !== LF) break;
      offset--;
    }
    return { line, character: offset - lineStart };
  }
}

/**
 * An instruction's arguments as the tokenisation finds them, before any Argument is built: each
 * argument's value and its start and end offsets in the text. The Argument objects (each with a
 * range and two positions) are built from these only when somebody asks for the list
 * (`argumentsOf`): a long RUN has dozens of arguments, and most of what reads a RUN needs only
 * where its arguments start and end (see ./dockerfileAstParser's `createInstruction`).
 */
export class Tokens {
  /** The start and end offset of each argument, one after the other (`2 * i` and `2 * i + 1`). */
  readonly bounds: number[] = [];
  /**
   * The values that are not the text between their bounds (an escape removed, a continuation
   * inside), by argument index. The others are cut from the text only when asked (`value`): most
   * of a scan's arguments (the words of its RUNs) are never read as values, only where they are.
   */
  private written: Map<number, string> | undefined;
  /** The document's text, read once (the document's text never changes: a new text is a new document). */
  readonly text: string;

  constructor(readonly document: ParsedDocument) {
    this.text = document.getText();
  }

  /** How many arguments. */
  get count(): number {
    return this.bounds.length >> 1;
  }

  /** The value of argument `i`. */
  value(i: number): string {
    const written = this.written?.get(i);
    return written !== undefined ? written : this.text.slice(this.bounds[2 * i], this.bounds[2 * i + 1]);
  }

  /** An argument whose value is the text from `start` to `end`. */
  pushPlain(start: number, end: number): void {
    this.bounds.push(start, end);
  }

  /** An argument with its value as the tokenisation built it. */
  push(value: string, start: number, end: number): void {
    (this.written ??= new Map()).set(this.bounds.length >> 1, value);
    this.bounds.push(start, end);
  }
}

/** Read once: esbuild's interop object reads the library's export through two getters on every access. */
const ArgumentClass = Argument;

/** The arguments of `tokens` as dockerfile-ast builds them (positions as `document.positionAt` answers). */
export function argumentsOf(tokens: Tokens): Argument[] {
  const args: Argument[] = [];
  const bounds = tokens.bounds;
  const count = tokens.count;
  if (count === 0) return args;
  const cursor = new PositionCursor(tokens.document, tokens.text);
  cursor.seek(bounds[0]);
  for (let i = 0; i < count; i++) {
    const start = cursor.positionAt(bounds[2 * i]);
    args.push(new ArgumentClass(tokens.value(i), { start, end: cursor.positionAt(bounds[2 * i + 1]) }));
  }
  return args;
}

/**
 * Where an instruction keeps its tokenisation (./dockerfileAstCache's `getRawArguments`): its
 * Tokens until somebody asks for Argument objects, then those.
 */
export const ARGUMENTS = Symbol('bulkhead.getRawArguments');

/** The tokenisation an instruction keeps, when no Argument has been built from it yet. */
export function keptTokens(instruction: object): Tokens | undefined {
  const kept = (instruction as Record<symbol, unknown>)[ARGUMENTS];
  return kept instanceof Tokens ? kept : undefined;
}

/**
 * The arguments of an instruction whose line spans `range` and whose keyword spans `keywordRange`
 * in `document`, with `escapeChar` as the escape character: what `getRawArguments()` returns,
 * before the Argument objects are built.
 */
export function instructionTokens(document: ParsedDocument, escapeChar: string, range: Range, keywordRange: Range): Tokens {
  return instructionTokensAt(document, escapeChar, document.offsetAt(range.start), document.offsetAt(range.end), document.offsetAt(keywordRange.end));
}

/**
 * instructionTokens with the three offsets the library reads from the ranges (`offsetAt` of the
 * line's start and end and of the keyword's end) given: the parser has them (see
 * `PositionCursor.offsetAt`) and need not read them back from positions.
 */
export function instructionTokensAt(document: ParsedDocument, escapeChar: string, lineStart: number, lineEnd: number, keywordEnd: number): Tokens {
  const k = kept;
  if (
    k !== undefined &&
    k.tokens.document === document &&
    k.lineStart === lineStart &&
    k.lineEnd === lineEnd &&
    k.keywordEnd === keywordEnd &&
    k.escapeChar === escapeChar
  ) {
    kept = undefined;
    return k.tokens;
  }
  return tokenise(document, escapeChar, lineStart, lineEnd, keywordEnd);
}

/**
 * One tokenisation kept for the next instruction over the same text: the parser tokenises each
 * RUN/COPY/ADD line to look for heredocs before it builds the instruction (./dockerfileAstParser),
 * and when no heredoc extends the line, the instruction it then builds has the same ranges.
 * Taken once: no two instructions share arguments.
 */
let kept: { escapeChar: string; lineStart: number; lineEnd: number; keywordEnd: number; tokens: Tokens } | undefined;

/** Drops the kept tokenisation (a new parse starts: nothing will ask for it, and it holds a text). */
export function forgetKeptArguments(): void {
  kept = undefined;
}

/** instructionTokensAt, keeping the answer for the next instruction built over the same offsets. */
export function instructionTokensKept(document: ParsedDocument, escapeChar: string, lineStart: number, lineEnd: number, keywordEnd: number): Tokens {
  const tokens = instructionTokensAt(document, escapeChar, lineStart, lineEnd, keywordEnd);
  keepTokens(tokens, escapeChar, lineStart, lineEnd, keywordEnd);
  return tokens;
}

/**
 * Keeps `tokens` (of an instruction whose line starts at `lineStart` and ends at `lineEnd`, keyword
 * ending at `keywordEnd`: the offsets `offsetAt` reads from its ranges) for the next
 * instructionTokens over the same.
 */
export function keepTokens(tokens: Tokens, escapeChar: string, lineStart: number, lineEnd: number, keywordEnd: number): void {
  kept = { escapeChar, lineStart, lineEnd, keywordEnd, tokens };
}

/**
 * An argument's value as the library builds it, one appended piece at a time; pieces that follow
 * each other in the text are kept as one pending slice. (A class, not closures over the scan's
 * locals: closures would move those locals out of registers, for every character.)
 */
class ValueBuilder {
  private done = '';
  private sliceStart = -1;
  private sliceEnd = -1;

  constructor(
    private readonly source: string,
    private readonly base: number,
  ) {}

  /** Appends source[base + from, base + to). */
  append(from: number, to: number): void {
    if (this.sliceStart !== -1 && this.sliceEnd === from) {
      this.sliceEnd = to;
      return;
    }
    if (this.sliceStart !== -1) this.done += this.source.slice(this.base + this.sliceStart, this.base + this.sliceEnd);
    this.sliceStart = from;
    this.sliceEnd = to;
  }

  /** The value so far, and a fresh start for the next argument. */
  take(): string {
    const value = this.sliceStart === -1 ? this.done : this.done + this.source.slice(this.base + this.sliceStart, this.base + this.sliceEnd);
    this.done = '';
    this.sliceStart = -1;
    return value;
  }
}

function tokenise(document: ParsedDocument, escapeChar: string, lineStart: number, lineEnd: number, keywordEnd: number): Tokens {
  const tokens = new Tokens(document);
  const text = tokens.text;
  const extra = keywordEnd - lineStart;
  const offset = lineStart + extra;
  // The library scans `text.substring(lineStart, lineEnd).substring(extra)`. When the keyword ends
  // inside the line (always, from the parser) that is text[offset, lineEnd), read in place; odd
  // ranges get the library's substrings.
  let source = text;
  let base = offset;
  let length = lineEnd - offset;
  let inPlace = true;
  if (!(lineStart >= 0 && lineStart <= lineEnd && lineEnd <= text.length && extra >= 0 && extra <= lineEnd - lineStart)) {
    source = text.substring(lineStart, lineEnd).substring(extra);
    base = 0;
    length = source.length;
    inPlace = false;
  }
  // An escape character is one UTF-16 unit (dockerfile-ast allows `\` and `` ` ``); anything else
  // never equals a single character, as in the library.
  const escape = escapeChar.length === 1 ? escapeChar.charCodeAt(0) : -1;
  // The searches know the two escape characters the parser sets; any other gets the loops.
  const runEnd = escape === BACKSLASH ? RUN_END_BACKSLASH : escape === BACKTICK ? RUN_END_BACKTICK : undefined;
  const commentEnd = escape === BACKSLASH ? COMMENT_END_BACKSLASH : escape === BACKTICK ? COMMENT_END_BACKTICK : undefined;
  const value = new ValueBuilder(source, base);

  let start = false;
  let comment = false;
  let found = -1;
  let escapedWhitespaceDetected = false;
  let escaping = false;
  let escapeMarker = -1;

  for (let i = 0; i < length; i++) {
    const char = source.charCodeAt(base + i);
    if (char === SPACE || char === TAB || char === CR || char === LF) {
      if (escaping) {
        if (char === CR || char === LF) {
          escapedWhitespaceDetected = false;
          if (comment) {
            comment = false;
            start = true;
          }
        } else {
          // Every blank of the run only marks escaped whitespace.
          escapedWhitespaceDetected = true;
          if (runEnd !== undefined) i = searchFrom(NON_BLANK, source, base, i + 1, length) - 1;
        }
        continue;
      }
      if (found !== -1) {
        tokens.push(value.take(), offset + found, offset + (escapeMarker === -1 ? i : escapeMarker));
        escapeMarker = -1;
        found = -1;
      }
    } else if (char === escape) {
      const next = i + 1 < length ? source.charCodeAt(base + i + 1) : -1;
      if (next === SPACE || next === TAB) {
        whitespaceCheck: for (let j = i + 2; j < length; j++) {
          const after = source.charCodeAt(base + j);
          switch (after) {
            case SPACE:
            case TAB:
              continue;
            case CR:
            case LF:
              // The library steps over the character after a CR whatever it is (CRLF, as it expects).
              if (after === CR) j++;
              comment = false;
              escaping = true;
              start = true;
              if (found !== -1) escapeMarker = i;
              i = j;
              break whitespaceCheck;
            default:
              escapeMarker = i;
              if (found === -1) i = j - 1;
              break whitespaceCheck;
          }
        }
      } else if (next === CR || next === LF) {
        // (Every comparison of a branch is evaluated each time it runs, short-circuits avoided: the
        // optimising compiler turns a comparison that has never run into a deoptimisation, and a
        // rare combination met later made it throw this function's code away and compile it again.)
        const unmarked = escapeMarker === -1;
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && unmarked) escapeMarker = i;
        i += next === CR ? 2 : 1;
      } else {
        const marked = escapeMarker !== -1;
        if (escapedWhitespaceDetected && marked) {
          tokens.push(value.take(), offset + found, offset + escapeMarker);
          found = -1;
        }
        escapeMarker = -1;
        escapedWhitespaceDetected = false;
        escaping = false;
        if (next === -1) break; // an escape character at the end of the text
        // `\$` keeps its escape (variables are resolved later); any other escaped character is kept alone.
        value.append(next === DOLLAR ? i : i + 1, i + 2);
        if (found === -1) found = i;
        i++;
      }
    } else if (!comment) {
      if (start && char === HASH) {
        comment = true;
      } else {
        const marked = escapeMarker !== -1;
        if (escapedWhitespaceDetected && marked) {
          tokens.push(value.take(), offset + found, offset + escapeMarker);
          found = -1;
        }
        escapedWhitespaceDetected = false;
        escaping = false;
        escapeMarker = -1;
        // The characters up to the next whitespace or escape take this same branch with nothing
        // left to reset (`start` is false after the first, so `#` is an ordinary character): one slice.
        let end = i + 1;
        if (runEnd !== undefined) {
          runEnd.lastIndex = base + end;
          end = runEnd.test(source) ? runEnd.lastIndex - 1 - base : length;
          if (end > length) end = length;
        } else {
          while (end < length) {
            const code = source.charCodeAt(base + end);
            if (code === SPACE || code === TAB || code === CR || code === LF || code === escape) break;
            end++;
          }
        }
        if (found === -1 && (end === length || source.charCodeAt(base + end) !== escape)) {
          // A whole argument (most are): no value is pending (`found` is -1 exactly when none is),
          // and the blank or line break at `end` ends it as the next turn would (not escaping, so
          // that turn does nothing else): taken at once, that character skipped.
          // Read in place, a word without escapes is the text between its bounds.
          if (inPlace) tokens.pushPlain(offset + i, offset + end);
          else tokens.push(source.slice(base + i, base + end), offset + i, offset + end);
          i = end;
        } else {
          if (found === -1) found = i;
          value.append(i, end);
          i = end - 1;
        }
      }
      start = false;
    } else if (escaping && commentEnd !== undefined) {
      // A comment line inside the instruction: up to the next line break or escape character its
      // characters do nothing, but blanks mark escaped whitespace, which matters only if an escape
      // character comes first (a line break clears the mark).
      const stop = searchFrom(commentEnd, source, base, i + 1, length);
      if (!escapedWhitespaceDetected && stop < length && source.charCodeAt(base + stop) === escape) {
        for (let k = i + 1; k < stop; k++) {
          const code = source.charCodeAt(base + k);
          if (code === SPACE || code === TAB) {
            escapedWhitespaceDetected = true;
            break;
          }
        }
      }
      i = stop - 1;
    }
  }
  if (found !== -1) tokens.push(value.take(), offset + found, offset + (escapeMarker === -1 ? length : escapeMarker));
  return tokens;
}
