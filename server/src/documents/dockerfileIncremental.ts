/**
 * A keystroke in a Dockerfile, re-parsed where it happened. Typing inside one instruction changes
 * that instruction only, unless the edit could change how the rest of the file reads: a new or lost
 * line (every later range moves), a line continuation or here-document opened or closed (later lines
 * join or leave the instruction), a parser directive or comment, or an instruction other instructions
 * read (FROM starts a stage; ARG and ENV give the values `resolveVariable` returns below them; ONBUILD
 * holds an instruction of its own). For any of those the whole file is parsed again, as before.
 *
 * Otherwise only the edited instruction's lines are parsed: the new text with everything before the
 * instruction blanked out (line breaks and parser directives kept, so every offset, line and column
 * is the one a whole parse gives), cut after its last line. Every other instruction object is kept,
 * with what has been computed and cached on it (tokens, and the rules' per-instruction data), so
 * linting the new version costs the one instruction plus the rules' walk over the file.
 *
 * `test/documents/dockerfileIncremental.test.ts` applies thousands of random edits to corpus
 * Dockerfiles and compares every instruction, comment and variable the spliced model answers with
 * a whole parse of the same text, and the lint findings of both.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
// The class behind the parser's result (the package's index exports only its interface).
import { Dockerfile } from 'dockerfile-ast/lib/dockerfile';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LineIndex } from '../text/lineIndex';
import { DockerfileModel } from './dockerfile';

/** Instructions whose text other instructions' meaning depends on (see the file comment). */
const READ_BY_OTHERS = new Set(['FROM', 'ARG', 'ENV', 'ONBUILD']);

interface Edit {
  /** Offset of the first changed character (same in both texts). */
  start: number;
  /** End of the changed part in the old text, and in the new one. */
  oldEnd: number;
  newEnd: number;
}

function diff(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/**
 * The model of `text`, reusing `previous` for everything the edit cannot have changed; undefined when
 * the edit is not one a partial parse answers exactly (the caller then parses the whole text).
 */
export function reparseEdited(previous: DockerfileModel, text: string): DockerfileModel | undefined {
  const edit = diff(previous.text, text);
  if (!edit) return undefined;
  // A line added or removed moves every later range; a CR or LF typed or deleted inside the edit does that.
  if (hasLineBreak(previous.text, edit.start, edit.oldEnd) || hasLineBreak(text, edit.start, edit.newEnd)) return undefined;
  // A break is a CR, an LF or both: an edit between the two halves of a CRLF splits or joins it.
  if (splitsCrLf(previous.text, edit.start, edit.oldEnd) || splitsCrLf(text, edit.start, edit.newEnd)) return undefined;
  // The previous text's line table (the engine has usually built it to place that version's findings).
  const lines = previous.lines;
  const line = lines.positionAt(edit.start).line;
  const instructions = previous.ast.getInstructions();
  const at = instructions.findIndex((i) => i.getRange().start.line <= line && line <= i.getRange().end.line);
  if (at < 0) return undefined; // a comment, a directive or a blank line: comments and directives are read by the parser as a whole
  const old = instructions[at];
  const oldRange = old.getRange();
  if (READ_BY_OTHERS.has(old.getKeyword().toUpperCase())) return undefined;
  // The instruction's own lines only: comments inside its continuation would move between lists.
  for (const c of previous.ast.getComments()) {
    const r = c.getRange();
    if (r.start.line >= oldRange.start.line && r.start.line <= oldRange.end.line) return undefined;
  }
  const firstLine = oldRange.start.line;
  const lastLine = oldRange.end.line;
  const from = lines.lineStart(firstLine);
  // The old instruction's lines in the new text (the edit is on one of them; line breaks did not change).
  const delta = text.length - previous.text.length;
  const to = lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) + delta : text.length;
  const own = text.slice(from, to);
  // Here-documents read lines after the instruction; an escape at the end of its text joins the next line.
  if (own.includes('<<') || previous.text.slice(from, to - delta).includes('<<')) return undefined;
  const escape = previous.ast.getEscapeCharacter();
  if (own.trimEnd().endsWith(escape)) return undefined;
  const snippet = blankBefore(text, from, previous.ast.getDirectives().length, lines) + own;
  const parsed = DockerfileParser.parse(snippet);
  const found = parsed.getInstructions();
  if (found.length !== 1 || parsed.getComments().length !== 0) return undefined;
  const fresh = found[0];
  const range = fresh.getRange();
  if (range.start.line !== firstLine || range.end.line !== lastLine || range.start.character !== oldRange.start.character) return undefined;
  if (fresh.getKeyword().toUpperCase() !== old.getKeyword().toUpperCase() || parsed.getEscapeCharacter() !== escape) return undefined;
  return spliced(previous, text, at, fresh);
}

function splitsCrLf(text: string, start: number, end: number): boolean {
  return start > 0 && text.charCodeAt(start - 1) === 13 && text.charCodeAt(end) === 10;
}

/**
 * `text` up to `until` with every character but line breaks turned into a space, the parser
 * directive lines (and a byte-order mark) kept: the parser then reads the same escape character and
 * puts the instruction at the same offsets, lines and columns as in the whole text.
 */
function blankBefore(text: string, until: number, directives: number, lines: LineIndex): string {
  const keep = directives > 0 ? Math.min(lines.lineStart(Math.min(directives, lines.lineCount - 1)), until) : text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let out = text.slice(0, keep);
  let run = 0;
  for (let i = keep; i < until; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (run) out += ' '.repeat(run);
      run = 0;
      out += text[i];
    } else run++;
  }
  return run ? out + ' '.repeat(run) : out;
}

/** The parser's back references: the document a line reads its text from, the file an instruction resolves variables in. */
interface Backrefs {
  document: TextDocument;
  dockerfile?: Dockerfile;
}

/** A Dockerfile as the parser would build it from `text`: the old instructions, one replaced. */
function spliced(previous: DockerfileModel, text: string, at: number, fresh: Instruction): DockerfileModel {
  const before = previous.ast;
  const document = TextDocument.create('', '', 0, text);
  const ast = new Dockerfile(document);
  // The parser's own order: directives, instructions and comments added, comments then given to stages.
  ast.setDirectives(before.getDirectives());
  before.getInstructions().forEach((instruction, i) => ast.addInstruction(i === at ? fresh : instruction));
  for (const comment of before.getComments()) ast.addComment(comment);
  ast.organizeComments();
  // Every line now reads the new text (unchanged lines sit at the same line and column, which is
  // what the library's offsets are computed from) and resolves variables in the new file, so no
  // version of the text outlives the edit that replaced it.
  for (const line of [...ast.getDirectives(), ...ast.getComments()]) (line as unknown as Backrefs).document = document;
  for (const instruction of ast.getInstructions()) Object.assign(instruction as unknown as Backrefs, { document, dockerfile: ast });
  return new DockerfileModel(text, ast);
}
