/**
 * The heredocs of a multi-line instruction, as dockerfile-ast's `Instruction.getHeredocs` finds them,
 * without its per-character walk (see `scanHeredocs`). ./dockerfile installs it behind the model's
 * cached `getHeredocs`.
 */
import * as ast from 'dockerfile-ast';
import { offsetRoundTrip } from './dockerfileAstTokens';

interface Position {
  line: number;
  character: number;
}
interface HeredocRange {
  start: Position;
  end: Position;
}
/** The library's Instruction as its getHeredocs reads it (lib/instruction.js). */
export interface HeredocScanned {
  readonly escapeChar: string;
  readonly document: { getText(): string; offsetAt(position: Position): number; positionAt(offset: number): Position };
  getRange(): HeredocRange;
  createSingleLineHeredocs(args: ast.Argument[]): ast.Heredoc[];
  getNameRange(startRange: HeredocRange): HeredocRange;
  getName(nameRange: HeredocRange): string;
  getDelimiterRange(startArg: ast.Argument, name: string, candidateRange: HeredocRange): HeredocRange | null;
}

/**
 * Where the scan below stops when no escape is pending: the escape character and line breaks. Every
 * other character (blanks and `#` included) only marks where the body line starts. One search in
 * the regular expression engine's compiled code (one-character classes: linear) per run.
 */
const HEREDOC_STOP_BACKSLASH = /[\\\r\n]/g;
const HEREDOC_STOP_BACKTICK = /[`\r\n]/g;
/** After an escape, blanks and line breaks change nothing: the scan resumes at the next other character. */
const HEREDOC_AFTER_ESCAPE = /[^ \t\r\n]/g;
const TAB = 9;
const CR = 13;
const HASH = 35;

/**
 * dockerfile-ast 0.7.1's `Instruction.getHeredocs` (lib/instruction.js), the same answers for the
 * escape characters `\\` and `` ` ``: the library went through the text one `charAt` at a time, and
 * at every line of a heredoc's body asked the heredoc's name again (two character loops) and built
 * two positions (binary searches) to compare the line with it. Here runs of characters that cannot
 * change the scan's state are skipped with one search, the names are read once per heredoc, and a
 * body line is compared with the name on the text; positions are built only for the heredocs
 * returned, by the library's own methods. Every branch mirrors one of the library's, in the same
 * order; test/documents/heredocOracle.test.ts compares both. Throws where the library throws (a
 * body line with no heredoc left to end, see above).
 */
export function scanHeredocs(instruction: HeredocScanned, args: ast.Argument[], escape: string): ast.Heredoc[] {
  const range = instruction.getRange();
  if (range.start.line === range.end.line) return instruction.createSingleLineHeredocs(args);
  const document = instruction.document;
  const text = document.getText();
  const startOffset = document.offsetAt(args[0].getRange().start);
  const content = text.substring(startOffset, document.offsetAt(range.end));
  const length = content.length;
  const escapeCode = escape.charCodeAt(0);
  const stop = escapeCode === 92 ? HEREDOC_STOP_BACKSLASH : HEREDOC_STOP_BACKTICK;
  const heredocs: ast.Heredoc[] = [];
  const definitions: ast.Argument[] = [];
  // The name and name range of definitions[k], read when first needed.
  const names: string[] = [];
  const nameRanges: HeredocRange[] = [];
  const nameOf = (k: number): string => {
    if (names[k] === undefined) {
      nameRanges[k] = instruction.getNameRange(definitions[k].getRange());
      names[k] = instruction.getName(nameRanges[k]);
    }
    return names[k];
  };
  let heredocsProcessed = false;
  let escaping = false;
  let contentStart = -1;
  let contentEnd = -1;
  let lineStart = -1;
  let current = 0;
  let i = 0;
  while (i < length) {
    if (escaping) {
      // The library's cases for blanks and line breaks do nothing while escaping.
      HEREDOC_AFTER_ESCAPE.lastIndex = i;
      if (!HEREDOC_AFTER_ESCAPE.test(content)) break;
      i = HEREDOC_AFTER_ESCAPE.lastIndex - 1;
      const code = content.charCodeAt(i);
      if (code === escapeCode) {
        i = afterEscape(content, i);
        continue;
      }
      if (code === HASH) {
        // A comment line after a continuation: skipped up to and with its line feed.
        const lf = content.indexOf('\n', i + 1);
        if (lf !== -1) {
          i = lf + 1;
          continue;
        }
      }
      escaping = false;
      if (heredocsProcessed) {
        if (contentStart === -1) contentStart = i;
        if (lineStart === -1) lineStart = i;
      }
      i++;
      continue;
    }
    stop.lastIndex = i;
    const at = stop.test(content) ? stop.lastIndex - 1 : length;
    if (at > i && heredocsProcessed) {
      if (contentStart === -1) contentStart = i;
      if (lineStart === -1) lineStart = i;
    }
    if (at === length) break;
    i = at;
    const code = content.charCodeAt(i);
    if (code === escapeCode) {
      escaping = true;
      i = afterEscape(content, i);
      continue;
    }
    if (code === CR) {
      i++;
      continue;
    }
    // An unescaped line feed.
    if (heredocsProcessed) {
      if (contentStart === -1) contentStart = i;
      contentEnd = i;
      if (current >= definitions.length) throw new Error('a heredoc body line with no heredoc open');
      const arg = definitions[current];
      const name = nameOf(current);
      if (delimiterMatches(text, startOffset + lineStart, startOffset + i, arg, name)) {
        const delimiterRange = instruction.getDelimiterRange(arg, name, {
          start: document.positionAt(startOffset + lineStart),
          end: document.positionAt(startOffset + i),
        });
        if (delimiterRange !== null) {
          const contentRange = { start: document.positionAt(startOffset + contentStart), end: document.positionAt(startOffset + lineStart - 1) };
          heredocs.push(newHeredoc(arg.getRange(), name, nameRanges[current], contentRange, delimiterRange));
          contentStart = -1;
          current++;
        }
      }
      lineStart = -1;
    } else {
      // The end of the instruction's first line: the heredocs are the arguments starting with `<<` before it.
      const offsetLimit = startOffset + i;
      for (const arg of args) {
        if (document.offsetAt(arg.getRange().start) >= offsetLimit) break;
        if (arg.getValue().startsWith('<<')) definitions.push(arg);
      }
      heredocsProcessed = true;
      lineStart = -1;
    }
    i++;
  }
  if (!heredocsProcessed) return instruction.createSingleLineHeredocs(args);
  if (current >= definitions.length) throw new Error('no heredoc open at the end of the instruction');
  const arg = definitions[current];
  const name = nameOf(current);
  let contentRange: HeredocRange | null = null;
  const delimiterRange = instruction.getDelimiterRange(arg, name, { start: document.positionAt(startOffset + lineStart), end: range.end });
  if (delimiterRange === null) {
    contentRange = { start: document.positionAt(startOffset + contentStart), end: range.end };
  } else if (contentEnd !== -1) {
    contentRange = { start: document.positionAt(startOffset + contentStart), end: document.positionAt(startOffset + contentEnd) };
  }
  heredocs.push(newHeredoc(arg.getRange(), name, nameRanges[current], contentRange, delimiterRange));
  for (current++; current < definitions.length; current++) {
    nameOf(current);
    heredocs.push(newHeredoc(definitions[current].getRange(), names[current], nameRanges[current], null, null));
  }
  return heredocs;
}

/** The library's Heredoc (its declared types say the ranges are never null; its getHeredocs passes null). */
const newHeredoc = (
  startRange: HeredocRange,
  name: string,
  nameRange: HeredocRange,
  contentRange: HeredocRange | null,
  endRange: HeredocRange | null,
): ast.Heredoc => new ast.Heredoc(startRange, name, nameRange, contentRange as HeredocRange, endRange as HeredocRange);

/**
 * Where the library's scan resumes after the escape character at `i`: after the first character
 * that is not a blank (a CR and the character after it), or at the end when only blanks follow.
 */
function afterEscape(content: string, i: number): number {
  HEREDOC_AFTER_BLANKS.lastIndex = i + 1;
  if (!HEREDOC_AFTER_BLANKS.test(content)) return content.length;
  const j = HEREDOC_AFTER_BLANKS.lastIndex - 1;
  return content.charCodeAt(j) === CR ? j + 2 : j + 1;
}
const HEREDOC_AFTER_BLANKS = /[^ \t]/g;

/**
 * `getDelimiterRange(arg, name, {positionAt(from), positionAt(to)}) !== null` without the positions:
 * the library compares `document.getText` of that range, which is the text between the offsets
 * after a round trip through a position (clamped to the text, and moved back from the middle of a
 * CRLF to its CR), with the name (after the leading tabs for `<<-`).
 */
function delimiterMatches(text: string, from: number, to: number, arg: ast.Argument, name: string): boolean {
  let line = text.substring(offsetRoundTrip(text, from), offsetRoundTrip(text, to));
  if (arg.getValue().startsWith('<<-')) {
    let index = 0;
    while (line.charCodeAt(index) === TAB) index++;
    line = line.substring(index);
  }
  return line === name;
}
