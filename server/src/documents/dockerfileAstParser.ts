/**
 * dockerfile-ast 0.7.1's `Parser.processArguments` (lib/parser.js), with the heredoc look-up done
 * on the tokens instead of on a throw-away instruction. Why patch: to find where a RUN, COPY or ADD
 * line ends (a heredoc extends it), the library builds the whole instruction (for RUN/COPY/ADD a
 * JSONInstruction: tokenisation, flags, exec-form scan), asks it for its arguments, drops it, and
 * builds it again with the final range; that first build was a sixth of a parse. Here the same
 * question (keyword, ONBUILD trigger, arguments after the flags, `<<` names) is answered from one
 * tokenisation, which the instruction then built reuses when its ranges are the same
 * (./dockerfileAstTokens). The scan of the line itself is the library's, branch for branch.
 * Smaller patches of the parser follow, each with its reason; all are installed (and removed for
 * the bench's baseline) by ./dockerfileAstCache.
 */
import { Add, Argument, Cmd, Comment, Copy, Entrypoint, JSONArgument, ModifiableInstruction, Run, Shell, Volume } from 'dockerfile-ast';
import { Dockerfile } from 'dockerfile-ast/lib/dockerfile';
import { ImageTemplate } from 'dockerfile-ast/lib/imageTemplate';
import { Parser } from 'dockerfile-ast/lib/parser';
import { Util } from 'dockerfile-ast/lib/util';
import {
  ARGUMENTS,
  forgetKeptArguments,
  PositionCursor,
  instructionTokens,
  instructionTokensAt,
  instructionTokensKept,
  keepTokens,
  type ParsedDocument,
  type Tokens,
} from './dockerfileAstTokens';

/** The parser's private state this patch reads (set by `parse`, fixed during it). */
interface ParserState {
  readonly document: ParsedDocument;
  readonly buffer: string;
  readonly escapeChar: string;
  processComment(dockerfile: Dockerfile, start: number): number;
  parseHeredoc(name: string, offset: number, tabbed: boolean): number;
}

/** The library's own steps, for the fallback in processArguments. */
interface LibraryParser {
  processHeredocs(instruction: unknown, offset: number): number;
  createInstruction(dockerfile: Dockerfile, instruction: string, start: number, instructionEnd: number, end: number): unknown;
}

const HEREDOC_KEYWORDS = new Set(['ADD', 'COPY', 'RUN']);

/** The library's own, for an escape character the searches below do not know (the parser sets none). */
const libraryProcessArguments = (Parser.prototype as unknown as Record<string, (this: unknown, ...args: unknown[]) => number>).processArguments;

/**
 * Where the instruction `instruction` (keyword text) starting at `start`, keyword ending at
 * `instructionEnd`, whose first line ends at `lineEnd`, really ends: after its heredocs' bodies.
 * What `processHeredocs(createInstruction(...), lineEnd)` returns in the library.
 */
function heredocsEnd(parser: ParserState, instruction: string, start: number, instructionEnd: number, lineEnd: number): number {
  const document = parser.document;
  const positions = specialsOf(parser).positions;
  const startPosition = positions.positionAt(start);
  const keywordRange = { start: startPosition, end: positions.positionAt(instructionEnd) };
  const lineRange = { start: startPosition, end: positions.positionAt(lineEnd) };
  let keyword = instruction.toUpperCase();
  let tokens: Tokens;
  if (keyword === 'ONBUILD') {
    // Onbuild.getTriggerInstruction: the first argument's text is the trigger's keyword, and the
    // trigger spans from it to the end of the line.
    const onbuildTokens = instructionTokens(document, parser.escapeChar, lineRange, keywordRange);
    if (onbuildTokens.count === 0) return lineEnd;
    const triggerRange = { start: document.positionAt(onbuildTokens.bounds[0]), end: document.positionAt(onbuildTokens.bounds[1]) };
    const text = document.getText();
    keyword = text.substring(document.offsetAt(triggerRange.start), document.offsetAt(triggerRange.end)).toUpperCase();
    if (!HEREDOC_KEYWORDS.has(keyword)) return lineEnd;
    tokens = instructionTokens(document, parser.escapeChar, { start: triggerRange.start, end: lineRange.end }, triggerRange);
  } else {
    if (!HEREDOC_KEYWORDS.has(keyword)) return lineEnd;
    tokens = instructionTokensKept(document, parser.escapeChar, positions.offsetAt(start), positions.offsetAt(lineEnd), positions.offsetAt(instructionEnd));
  }
  const count = tokens.count;
  // ModifiableInstruction.getArguments: as many leading arguments dropped as getFlags finds flags
  // (ADD/COPY/RUN stop at the first argument without `--`, and count those starting with it).
  let flags = 0;
  for (let i = 0; i < count; i++) {
    const dashes = tokens.value(i).indexOf('--');
    if (dashes === -1) break;
    if (dashes === 0) flags++;
  }
  const names: string[] = [];
  let tabbed = false;
  for (let i = flags; i < count; i++) {
    const value = tokens.value(i);
    if (value.startsWith('<<') && value.length > 2) {
      if (value.startsWith('<<-')) tabbed = true;
      const name = Util.parseHeredocName(value);
      if (name !== null) names.push(name);
    }
  }
  let offset = lineEnd;
  for (const name of names) offset = parser.parseHeredoc(name, offset, tabbed);
  return offset;
}

const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;
const HASH = 35;

/**
 * The line scan below skips to the next character that can change its state, with a search in the
 * regular expression engine's compiled code (one-character classes: linear) instead of a test of
 * each character in between: unescaped, the next line break or escape character; after a line
 * continuation, the next character that is not a blank or line break; in a comment, its line break.
 */
const SPECIAL_BACKSLASH = /[\r\n\\]/g;
const SPECIAL_BACKTICK = /[\r\n`]/g;
const LINE_BREAK = /[\r\n]/g;
const NOT_BLANK_OR_BREAK = /[^ \t\r\n]/g;

/** Where `pattern` (global, one character class) first matches in `text` at or after `from`, or -1. */
function search(pattern: RegExp, text: string, from: number): number {
  pattern.lastIndex = from;
  return pattern.test(text) ? pattern.lastIndex - 1 : -1;
}

/**
 * What the parse running now keeps between its calls: its line cursor, and where its next `<` is
 * (kept until the scan passes it, so the text is searched for it once).
 */
class SpecialCharacters {
  private lessThanFrom = -1;
  private lessThanAt = -1;
  /**
   * `document.positionAt` for the parse's instructions and comments, which it asks in (mostly)
   * increasing order: a step from the last answer's line instead of a binary search each time.
   */
  readonly positions: PositionCursor;

  constructor(
    readonly document: ParsedDocument,
    private readonly buffer: string,
  ) {
    this.positions = new PositionCursor(document);
  }

  /** The offset of the first `<` at or after `offset`, or -1. */
  nextLessThan(offset: number): number {
    let at = this.lessThanAt;
    if (this.lessThanFrom === -1 || offset < this.lessThanFrom || (at !== -1 && at < offset)) {
      at = this.buffer.indexOf('<', offset);
      this.lessThanAt = at;
      this.lessThanFrom = offset;
    }
    return at;
  }
}

/**
 * The searches of the parse running now. Kept here rather than on the parser: a property added to
 * the parser during its parse gave it a second hidden class, and the optimised processArguments
 * was thrown away and compiled again when the first call saw the other one. Dropped when the next
 * parse starts (`withLineTable`); until then it holds the last parse's text, as `kept` does.
 */
let currentSpecials: SpecialCharacters | undefined;

function specialsOf(parser: ParserState): SpecialCharacters {
  let specials = currentSpecials;
  if (specials === undefined || specials.document !== parser.document) {
    specials = new SpecialCharacters(parser.document, parser.buffer);
    currentSpecials = specials;
  }
  return specials;
}

/** Parser.prototype.processArguments with `heredocsEnd` (see the top of this file). */
function processArguments(this: ParserState, dockerfile: Dockerfile, instruction: string, instructionEnd: number, start: number, offset: number): number {
  const buffer = this.buffer;
  const length = buffer.length;
  // The parser's escape character is one of these two (Dockerfile.getEscapeCharacter).
  const special = this.escapeChar === '\\' ? SPECIAL_BACKSLASH : this.escapeChar === '`' ? SPECIAL_BACKTICK : undefined;
  if (special === undefined) return libraryProcessArguments.call(this, dockerfile, instruction, instructionEnd, start, offset);
  const escape = this.escapeChar.charCodeAt(0);
  const specials = specialsOf(this);
  let escaped = false;
  argumentsCheck: for (let i = offset + 1; i < length; i++) {
    // Unescaped, only a line break or an escape character changes anything; after a line
    // continuation, blanks and line breaks change nothing.
    const next = search(escaped ? NOT_BLANK_OR_BREAK : special, buffer, i);
    if (next === -1) return length;
    i = next;
    const char = buffer.charCodeAt(i);
    if (char === CR || char === LF) {
      if (escaped) continue;
      // A heredoc needs an argument starting with `<<`, and escapes only remove characters: with
      // no `<` on the line, the library's look-up finds nothing and the line ends here.
      const lessThan = specials.nextLessThan(start);
      if (lessThan === -1 || lessThan >= i) return i;
      try {
        return heredocsEnd(this, instruction, start, instructionEnd, i);
      } catch {
        // Never worse than the library: on a failure of the look-up, the library's own (no side
        // effect has happened: the heredoc scan only reads).
        return (this as unknown as LibraryParser).processHeredocs(
          (this as unknown as LibraryParser).createInstruction(dockerfile, instruction, start, instructionEnd, i),
          i,
        );
      }
    }
    if (char === escape) {
      const next = i + 1 < length ? buffer.charCodeAt(i + 1) : -1;
      if (next === LF || next === CR) {
        escaped = true;
        i++;
      } else if (next === SPACE || next === TAB) {
        for (let j = i + 2; j < length; j++) {
          const after = buffer.charCodeAt(j);
          if (after === SPACE || after === TAB) continue;
          if (after === CR || after === LF) escaped = true;
          i = j;
          continue argumentsCheck;
        }
        // an escape and blanks up to the end of the text
        return length;
      }
      continue;
    }
    if (char === HASH) {
      if (escaped) i = this.processComment(dockerfile, i);
      continue;
    }
    if (char !== SPACE && char !== TAB) escaped = false;
  }
  return length;
}

const KEYWORD_END_BACKSLASH = /[ \t\r\n\\]/g;
const KEYWORD_END_BACKTICK = /[ \t\r\n`]/g;
const libraryProcessInstruction = (Parser.prototype as unknown as Record<string, (this: unknown, ...args: unknown[]) => number>).processInstruction;

/** The parser's steps processInstruction calls (patched or not). */
interface InstructionSteps {
  processArguments(dockerfile: Dockerfile, instruction: string, instructionEnd: number, start: number, offset: number): number;
  createInstruction(dockerfile: Dockerfile, instruction: string, start: number, instructionEnd: number, end: number): unknown;
}

/**
 * Parser.prototype.processInstruction (`char` is the text's character at `start`) for a keyword
 * that no escape character interrupts, which is every keyword but one written over a line
 * continuation: the keyword's end found by one search instead of a loop appending each character.
 * The library's loop, for the characters it reaches: neither a blank, a line break nor the escape
 * character (`#` included) is appended to the keyword; then a blank ends the keyword and starts
 * the arguments, a line break ends the instruction, and the end of the text ends both. An escape
 * character first goes to the library's function, from the start.
 */
function processInstruction(this: ParserState & InstructionSteps, dockerfile: Dockerfile, char: string, start: number): number {
  const buffer = this.buffer;
  const pattern = this.escapeChar === '\\' ? KEYWORD_END_BACKSLASH : this.escapeChar === '`' ? KEYWORD_END_BACKTICK : undefined;
  if (pattern !== undefined) {
    const end = search(pattern, buffer, start + 1);
    if (end === -1) {
      const length = buffer.length;
      dockerfile.addInstruction(this.createInstruction(dockerfile, buffer.substring(start), start, length, length) as never);
      return length;
    }
    const code = buffer.charCodeAt(end);
    if (code === SPACE || code === TAB) {
      const instruction = buffer.substring(start, end);
      const i = this.processArguments(dockerfile, instruction, end, start, end);
      dockerfile.addInstruction(this.createInstruction(dockerfile, instruction, start, end, i) as never);
      return i;
    }
    if (code === CR || code === LF) {
      dockerfile.addInstruction(this.createInstruction(dockerfile, buffer.substring(start, end), start, end, end) as never);
      return end;
    }
  }
  return libraryProcessInstruction.call(this, dockerfile, char, start);
}

/**
 * The line table of a text as vscode-languageserver-textdocument's `computeLineOffsets` builds it
 * (the start of the first line, then the offset after every `\r\n`, lone `\r` and `\n`), found
 * with `indexOf` instead of a test of every character: a sixth of the cost.
 */
export function lineOffsets(text: string): number[] {
  const starts = [0];
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  for (;;) {
    let end: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      end = cr;
      if (lf === cr + 1) {
        end = lf;
        lf = text.indexOf('\n', end + 1);
      }
      cr = text.indexOf('\r', end + 1);
    } else if (lf !== -1) {
      end = lf;
      lf = text.indexOf('\n', end + 1);
    } else {
      return starts;
    }
    starts.push(end + 1);
  }
}

/** What `getParserDirectives` is given: the parse's fresh FullTextDocument, its table not built yet. */
interface FreshDocument {
  _lineOffsets?: number[];
}

/**
 * The line table the parse `parsed` of `text` built (`lineOffsets`, filled in by `withLineTable`
 * below and kept in the parse's document), for the model's LineIndex: the same starts LineIndex
 * computes (a CR, an LF and a CRLF each end a line). Undefined when that document does not hold this
 * very text or has no table (a partial re-parse's document, another version of the library).
 */
export function parsedLineTable(parsed: object, text: string): number[] | undefined {
  const document = (parsed as { document?: FreshDocument & { getText?: () => string } }).document;
  if (document === undefined || typeof document.getText !== 'function' || document.getText() !== text) return undefined;
  const starts = document._lineOffsets;
  return Array.isArray(starts) && starts[0] === 0 ? starts : undefined;
}

/**
 * Parser.prototype.getParserDirectives, the first thing `parse` calls with its new document, fills
 * the document's line table first (see `lineOffsets`) when the document has the field
 * vscode-languageserver-textdocument 1.0 keeps it in and has not built it yet; and drops a
 * tokenisation an earlier parse kept and never used.
 */
function withLineTable(original: (document: unknown, buffer: string) => unknown) {
  return function (this: unknown, document: FreshDocument, buffer: string): unknown {
    forgetKeptArguments();
    currentSpecials = undefined;
    if (typeof buffer === 'string' && document && Object.hasOwn(document, '_lineOffsets') && document._lineOffsets === undefined) {
      document._lineOffsets = lineOffsets(buffer);
    }
    return original.call(this, document, buffer);
  };
}

/**
 * Parser.prototype.createInstruction, with its ranges built as the object literals `Range.create`
 * returns for two positions, and the RUN, CMD, COPY... instructions of the shell form built by
 * `shellFormInstruction`. Why patch the ranges: vscode-languageserver-types' `Range.create` first
 * checks whether its arguments are four unsigned integers, then whether they are positions, which
 * cost 2-4 % of a model build here (A/B); these positions are `document.positionAt`'s (from the
 * parse's cursor, see `SpecialCharacters`).
 */
function createInstruction(this: ParserState, dockerfile: Dockerfile, instruction: string, start: number, instructionEnd: number, end: number): unknown {
  const document = this.document;
  const positions = specialsOf(this).positions;
  const startPosition = positions.positionAt(start);
  const instructionRange = { start: startPosition, end: positions.positionAt(instructionEnd) };
  const lineRange = { start: startPosition, end: positions.positionAt(end) };
  const jsonForm = JSON_INSTRUCTIONS.get(instruction.toUpperCase());
  if (jsonForm !== undefined) {
    // With the offsets `offsetAt` would read back from the ranges.
    const built = shellFormInstruction(
      jsonForm,
      document,
      dockerfile,
      this.escapeChar,
      lineRange,
      instruction,
      instructionRange,
      positions.offsetAt(start),
      positions.offsetAt(end),
      positions.offsetAt(instructionEnd),
    );
    if (built !== undefined) return built;
  }
  return Parser.createInstruction(document as never, dockerfile, this.escapeChar, lineRange, instruction, instructionRange);
}

type LineRange = { start: { line: number; character: number }; end: { line: number; character: number } };

/** The classes `Parser.createInstruction` builds for these keywords: JSONInstruction's subclasses. */
const JSON_INSTRUCTIONS = new Map<string, new (...args: never[]) => object>([
  ['ADD', Add],
  ['CMD', Cmd],
  ['COPY', Copy],
  ['ENTRYPOINT', Entrypoint],
  ['RUN', Run],
  ['SHELL', Shell],
  ['VOLUME', Volume],
]);

/** Read once: esbuild's interop object reads the library's export through two getters on every access. */
const ModifiableInstructionClass = ModifiableInstruction;

const OPENING_BRACKET = 0x5b;
const CLOSING_BRACKET = 0x5d;
const BACKSLASH = 0x5c;

/**
 * What `new type(...)` builds, for an instruction without flags and without a bracket or
 * backslash starting its arguments (the shell form, almost every RUN); any other (flags, exec
 * form) is built by `jsonInstruction`, JSONInstruction's constructor step for step. Why: JSONInstruction's constructor (the class of every
 * RUN, CMD, COPY...) reads the instruction's arguments through four accessors to find the exec
 * form's brackets and strings, and each of those asked for the whole list of Argument objects
 * (a range and two positions per word of a long RUN); here the same answers come from the tokens,
 * which the instruction keeps, and its Argument objects are built only if somebody asks for them.
 *
 * The library's constructor, step by step, for such an instruction:
 * - ModifiableInstruction's (Instruction's, Line's) sets the fields: run here as it is, with the
 *   class to build as its `new.target` (`Reflect.construct`), which skips only the constructors of
 *   JSONInstruction and its subclass (the subclasses' only call `super`).
 * - JSONInstruction's sets `openingBracket`, `closingBracket` (null) and `jsonStrings` ([]), then
 *   asks getRawArgumentsContent, whose getArguments asks getFlags: it sets `flags` to [] and stops
 *   at the first argument for which `stopSearchingForFlags` holds (always for CMD, ENTRYPOINT,
 *   SHELL and VOLUME; for ADD, COPY and RUN the first without `--`), so the flags stay [] when the
 *   first argument stops the search (or there is none), and getArguments drops nothing.
 * - With no argument it returns. Else, unless the list is `[]` or `[` `]` (which start with a
 *   bracket), it scans the text from the first argument's start for the exec form: its first
 *   character is an argument's, never a blank; one that is none of `[`, `]` and `\` ends the scan
 *   at once (a quote or comma out of place, any other character), leaving the fields as they are.
 */
function shellFormInstruction(
  type: new (...args: never[]) => object,
  document: ParsedDocument,
  dockerfile: Dockerfile,
  escapeChar: string,
  lineRange: LineRange,
  instruction: string,
  instructionRange: LineRange,
  lineStart: number,
  lineEnd: number,
  keywordEnd: number,
): object | undefined {
  const tokens = instructionTokensAt(document, escapeChar, lineStart, lineEnd, keywordEnd);
  if (tokens.count !== 0) {
    const stops = (type.prototype as { stopSearchingForFlags(value: string): boolean }).stopSearchingForFlags(tokens.value(0));
    // The first argument's first character: `bounds[0]` is where `positionAt` puts its range's
    // start (an argument never starts with a line break, so no step back over one), and where
    // `offsetAt` reads that position back.
    const first = document.getText().charCodeAt(tokens.bounds[0]);
    if (!stops || first === OPENING_BRACKET || first === CLOSING_BRACKET || first === BACKSLASH) {
      // JSONInstruction's constructor (`jsonInstruction`) builds it, from these same tokens.
      keepTokens(tokens, escapeChar, lineStart, lineEnd, keywordEnd);
      return jsonInstruction(type, document, dockerfile, escapeChar, lineRange, instruction, instructionRange);
    }
  }
  const built = Reflect.construct(ModifiableInstructionClass, [document, lineRange, dockerfile, escapeChar, instruction, instructionRange], type) as Record<
    string | symbol,
    unknown
  >;
  built.openingBracket = null;
  built.closingBracket = null;
  built.jsonStrings = [];
  built[ARGUMENTS] = tokens;
  built.flags = [];
  return built;
}

/** The fields JSONInstruction's constructor sets and the accessors it asks. */
interface BuiltJSONInstruction {
  openingBracket: Argument | null;
  closingBracket: Argument | null;
  jsonStrings: JSONArgument[];
  getArguments(): Argument[];
}

/** Read once: esbuild's interop object reads the library's export through two getters on every access. */
const ArgumentClass = Argument;
const JSONArgumentClass = JSONArgument;

const QUOTE = 0x22;
const COMMA = 0x2c;
/** The end of a run of a quoted string's characters that the exec-form scan appends as they are. */
const QUOTED_RUN_END = /[" \t\\]/g;

/**
 * `new type(...)` for a JSONInstruction subclass (whose constructors only call `super`):
 * ModifiableInstruction's constructor run with `type` as its `new.target`, then JSONInstruction's
 * body (dockerfile-ast 0.7.1, lib/jsonInstruction.js), step for step, with its exec-form scan
 * taking each run of a quoted string's ordinary characters in one slice (found by a search)
 * instead of appending them one at a time, and the ranges built as the literals `Range.create`
 * returns. Why: the library's scan ran a turn per character of every CMD, ENTRYPOINT and SHELL
 * `[...]`, in the interpreter for most of a cold scan.
 */
function jsonInstruction(
  type: new (...args: never[]) => object,
  document: ParsedDocument,
  dockerfile: Dockerfile,
  escapeChar: string,
  lineRange: LineRange,
  instruction: string,
  instructionRange: LineRange,
): object {
  const built = Reflect.construct(
    ModifiableInstructionClass,
    [document, lineRange, dockerfile, escapeChar, instruction, instructionRange],
    type,
  ) as BuiltJSONInstruction;
  built.openingBracket = null;
  built.closingBracket = null;
  built.jsonStrings = [];
  // The library asks getRawArgumentsContent (null without arguments, else the text from the first
  // argument's start to the last one's end), then getArguments, then getArgumentsRange's start (the
  // first argument's): each of those asks getArguments again (and it getFlags). One getArguments
  // answers all three; it computes the flags as the library's first call did.
  const args = built.getArguments();
  if (args.length === 0) return built;
  const argsStart = args[0].getRange().start;
  const argsOffset = document.offsetAt(argsStart);
  const argsContent = document.getText().substring(argsOffset, document.offsetAt(args[args.length - 1].getRange().end));
  if (args.length === 1 && args[0].getValue() === '[]') {
    const argRange = args[0].getRange();
    const line = argRange.start.line;
    const character = argRange.start.character;
    built.openingBracket = new ArgumentClass('[', { start: { line, character }, end: { line, character: character + 1 } });
    built.closingBracket = new ArgumentClass(']', {
      start: { line, character: character + 1 },
      end: { line: argRange.end.line, character: argRange.end.character },
    });
    return built;
  }
  if (args.length === 2 && args[0].getValue() === '[' && args[1].getValue() === ']') {
    built.openingBracket = args[0];
    built.closingBracket = args[1];
    return built;
  }
  // `document.positionAt` of the brackets' and strings' offsets, which the scan asks in increasing order.
  const positions = new PositionCursor(document);
  positions.seek(argsOffset);
  const length = argsContent.length;
  let start = -1;
  // The library's `last`: 0 for none yet, else the character code of `[`, `"` or `,`.
  let last = 0;
  let quoted = false;
  let escapedArg = '';
  argsCheck: for (let i = 0; i < length; i++) {
    const char = argsContent.charCodeAt(i);
    if (quoted && char !== QUOTE && char !== BACKSLASH && char !== SPACE && char !== TAB) {
      // Every character up to the next quote, backslash or blank is appended (the library's
      // `[`, `,`, `]` and default branches when quoted): one slice.
      QUOTED_RUN_END.lastIndex = i + 1;
      const end = QUOTED_RUN_END.test(argsContent) ? QUOTED_RUN_END.lastIndex - 1 : length;
      escapedArg += argsContent.slice(i, end);
      i = end - 1;
      continue;
    }
    switch (char) {
      case OPENING_BRACKET:
        if (last === 0) {
          built.openingBracket = new ArgumentClass('[', { start: positions.positionAt(argsOffset + i), end: positions.positionAt(argsOffset + i + 1) });
          last = OPENING_BRACKET;
          break;
        }
        break argsCheck;
      case QUOTE:
        if (last === OPENING_BRACKET || last === COMMA) {
          start = i;
          quoted = true;
          last = QUOTE;
          escapedArg += '"';
          continue;
        }
        if (last === QUOTE && quoted) {
          escapedArg += '"';
          // quoted string done
          quoted = false;
          built.jsonStrings.push(
            new JSONArgumentClass(
              escapedArg,
              { start: positions.positionAt(argsOffset + start), end: positions.positionAt(argsOffset + i + 1) },
              { start: positions.positionAt(argsOffset + start + 1), end: positions.positionAt(argsOffset + i) },
            ),
          );
          escapedArg = '';
          break;
        }
        break argsCheck;
      case COMMA:
        if (last === QUOTE) {
          last = COMMA;
          break;
        }
        break argsCheck;
      case CLOSING_BRACKET:
        if (last !== 0) {
          built.closingBracket = new ArgumentClass(']', { start: positions.positionAt(argsOffset + i), end: positions.positionAt(argsOffset + i + 1) });
          break argsCheck;
        }
        break;
      case SPACE:
      case TAB:
        break;
      case BACKSLASH: {
        const next = i + 1 < length ? argsContent.charCodeAt(i + 1) : -1;
        if (quoted && next !== SPACE && next !== TAB) {
          // `\"` and `\\` append the escaped character; anything else is dropped with the
          // character after it (two after a CR).
          if (next === QUOTE || next === BACKSLASH) escapedArg += argsContent.charAt(i + 1);
          else if (next === CR) i++;
          i++;
          continue;
        }
        // Unquoted from the next character, quoted after the blank: blanks up to a line break
        // (CR counted with the character after it) continue the scan after it; anything else ends it.
        for (let j = quoted ? i + 2 : i + 1; j < length; j++) {
          const after = argsContent.charCodeAt(j);
          if (after === SPACE || after === TAB) continue;
          if (after === CR || after === LF) {
            i = after === CR ? j + 1 : j;
            continue argsCheck;
          }
          break;
        }
        break argsCheck;
      }
      default:
        // (quoted characters took the slice above)
        break argsCheck;
    }
  }
  return built;
}

/**
 * Parser.prototype.processComment: the end of the comment found by `SpecialCharacters` and its
 * range built as a literal, its positions from the parse's cursor. Why patch: comments are a tenth of the corpus text, and the library
 * tests each of their characters and validates the range (`Range.create`).
 */
function processComment(this: ParserState, dockerfile: Dockerfile, start: number): number {
  const lineBreak = search(LINE_BREAK, this.buffer, start + 1);
  const end = lineBreak === -1 ? this.buffer.length : lineBreak;
  const positions = specialsOf(this).positions;
  dockerfile.addComment(new Comment(this.document as never, { start: positions.positionAt(start), end: positions.positionAt(end) }));
  return end;
}

export interface PrototypePatch {
  readonly owner: Record<string, unknown>;
  readonly name: string;
  readonly replacement: (this: object, ...args: never[]) => unknown;
}

/**
 * Util.isUTF8BOM, which the parser asks twice per file about the text's first character: the
 * library encodes it to UTF-8 in a new Buffer and compares the first three bytes with EF BB BF,
 * which is true exactly when the first UTF-16 unit is U+FEFF (a lone surrogate encodes as EF BF
 * BD). Why patch: two Buffer allocations per parse, 3 % of a model build inside a lint.
 */
function isUTF8BOM(char: string): boolean {
  return char.charCodeAt(0) === 0xfeff;
}

/**
 * ImageTemplate.prototype.getRange (a build stage's range, from its first instruction's start to
 * its last one's end), with the range built as the literal `Range.create` returns. Why patch: the
 * parse's `organizeComments` asks every stage for its range once per comment, and each answer went
 * through `Range.create`'s validation: a twentieth of a model build. (Dockerfile, a subclass,
 * keeps its own getRange.)
 */
function stageRange(this: { getInstructions(): { getRange(): { start: unknown; end: unknown } }[] }): unknown {
  const instructions = this.getInstructions();
  if (instructions.length === 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { start: instructions[0].getRange().start, end: instructions[instructions.length - 1].getRange().end };
}

interface Position {
  line: number;
  character: number;
}
interface TemplateRange {
  start: Position;
  end: Position;
}
interface CommentedTemplate {
  getRange(): TemplateRange;
  addComment(comment: unknown): void;
}
/** The fields of dockerfile-ast's Dockerfile that organizeComments reads (set by its constructor and the parse). */
interface ParsedDockerfile {
  readonly initialInstructions: CommentedTemplate;
  readonly buildStages: CommentedTemplate[];
  getComments(): { getRange(): TemplateRange }[];
}

/**
 * Dockerfile.prototype.organizeComments, which the parse calls once at its end to give each build
 * stage (and the instructions before the first FROM) the comments inside its range: the same
 * tests in the same order, with each stage's range asked once instead of once per comment. Why
 * patch: a stage's range is built anew on every call (from its first and last instruction), and
 * the corpus has 5,000 comments. Nothing in the loop changes a range: adding a comment to a stage
 * leaves its instructions, and so its range, as they are.
 */
function organizeComments(this: ParsedDockerfile): void {
  const isInsideRange = Util.isInsideRange;
  const comments = this.getComments();
  if (comments.length === 0) return;
  const initial = this.initialInstructions;
  const initialRange = initial.getRange();
  const stages = this.buildStages;
  const stageRanges: TemplateRange[] = [];
  for (let s = 0; s < stages.length; s++) stageRanges.push(stages[s].getRange());
  for (let i = 0; i < comments.length; i++) {
    const comment = comments[i];
    const range = comment.getRange();
    if (isInsideRange(range.end, initialRange)) {
      initial.addComment(comment);
    } else {
      for (let s = 0; s < stages.length; s++) {
        if (isInsideRange(range.start, stageRanges[s])) stages[s].addComment(comment);
      }
    }
  }
}

export const parserPatches: PrototypePatch[] = [
  {
    owner: Dockerfile.prototype as unknown as Record<string, unknown>,
    name: 'organizeComments',
    replacement: organizeComments as PrototypePatch['replacement'],
  },
  { owner: ImageTemplate.prototype as unknown as Record<string, unknown>, name: 'getRange', replacement: stageRange as PrototypePatch['replacement'] },
  { owner: Util as unknown as Record<string, unknown>, name: 'isUTF8BOM', replacement: isUTF8BOM as PrototypePatch['replacement'] },
  {
    owner: Parser.prototype as unknown as Record<string, unknown>,
    name: 'processInstruction',
    replacement: processInstruction as PrototypePatch['replacement'],
  },
  { owner: Parser.prototype as unknown as Record<string, unknown>, name: 'processArguments', replacement: processArguments as PrototypePatch['replacement'] },
  { owner: Parser.prototype as unknown as Record<string, unknown>, name: 'createInstruction', replacement: createInstruction as PrototypePatch['replacement'] },
  { owner: Parser.prototype as unknown as Record<string, unknown>, name: 'processComment', replacement: processComment as PrototypePatch['replacement'] },
  {
    owner: Parser.prototype as unknown as Record<string, unknown>,
    name: 'getParserDirectives',
    replacement: withLineTable(
      (Parser.prototype as unknown as Record<string, (document: unknown, buffer: string) => unknown>).getParserDirectives,
    ) as PrototypePatch['replacement'],
  },
];
