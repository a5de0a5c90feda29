/**
 * Helpers shared by the Dockerfile rules: base-image references with ARG defaults resolved, and
 * RUN scripts as the shell sees them (continuations joined, comment lines dropped) with a map back
 * to source offsets so findings underline exactly the offending words.
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { Instruction, From } from 'dockerfile-ast';
import { jsonFormStrings, memoizeAccessors } from '../../server/src/documents/dockerfile';
import type { DockerfileModel, Stage } from '../../server/src/documents/dockerfile';
import { detectEol } from '../../server/src/text/lineIndex';
import type { Range } from '../../server/src/text/lineIndex';
import type { Span } from '../../server/src/documents/yamlNodes';
import { withoutTrailingSlashes } from '../text';
import { MemoSlot } from '../../server/src/documents/memo';

/**
 * A cache kept on the objects themselves, under a symbol, for what is computed once per
 * instruction or script: objects of one immutable parse, read by every rule. A WeakMap did the
 * same, but each of its entries cost more to add than the property, and more again to collect.
 */
class SlotCache<K extends object, V> {
  private readonly slot: symbol;
  constructor(name: string) {
    this.slot = Symbol(`bulkhead.${name}`);
  }
  get(key: K): V | undefined {
    return (key as unknown as Record<symbol, V | undefined>)[this.slot];
  }
  set(key: K, value: V): void {
    // A plain symbol property (as the model's accessor cache uses): defineProperty cost twice as much.
    (key as unknown as Record<symbol, V>)[this.slot] = value;
  }
}

// ---------------------------------------------------------------------------------------------
// Base images

export interface ImageRef {
  stage: Stage;
  from: From;
  /** The image as written (`$BASE`, `node:22`). */
  written: string;
  /** With ARG defaults substituted. */
  resolved: string;
  range: Range;
  /** Names an earlier build stage. */
  stageRef: boolean;
  scratch: boolean;
  /** Contains a variable without a usable default. */
  unresolved: boolean;
  /** Repository without registry/tag/digest. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Defaults of the global ARGs (before the first FROM), the only ones FROM can see. */
export function globalArgDefaults(model: DockerfileModel): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const instr of model.preamble) {
    if (instr.getKeyword() !== 'ARG') continue;
    for (const p of instructionProperties<{ getName(): string; getValue(): string | null }>(instr)) {
      const value = p.getValue();
      out.set(p.getName(), value === null ? undefined : unquote(value));
    }
  }
  return out;
}

export function unquote(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
    return value.slice(1, -1);
  }
  return value;
}

/** Expands `$X`, `${X}`, `${X:-def}`, `${X-def}` against `vars`; `undefined` when a value is unknown. */
export function expandVariables(text: string, vars: Map<string, string | undefined>): string | undefined {
  let unknown = false;
  const out = substituteVariables(text, '-+', (name, op, word) => {
    const value = vars.get(name);
    if (op === '-') return value !== undefined && value !== '' ? value : word;
    if (op === '+') return value !== undefined && value !== '' ? word : '';
    if (value === undefined) {
      unknown = true;
      return '';
    }
    return value;
  });
  return unknown ? undefined : out;
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /\w/.test(c);

/**
 * Replaces the variable references of `text`: `$NAME`, `${NAME}` and `${NAME<op>word}` /
 * `${NAME:<op>word}` for each operator character in `ops` (`word` runs to the first `}`).
 * `replace` gets the name, the operator ('' for none) and the word. A scan rather than
 * `/\$\{(\w+):?-([^}]*)\}/`, which rescans to the end of the text from every unclosed `${`
 * (quadratic on `${a-${a-${a-…`): here the next `}` is looked up once and remembered.
 */
export function substituteVariables(text: string, ops: string, replace: (name: string, op: string, word: string) => string): string {
  let out = '';
  let copied = 0;
  // Offset of the first `}` at or after the last position asked about (text.length when none).
  let close = -1;
  const nextClose = (from: number): number => {
    if (close < from) {
      close = text.indexOf('}', from);
      if (close < 0) close = text.length;
    }
    return close;
  };
  for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i + 1)) {
    let end = -1;
    let name = '';
    let op = '';
    let word = '';
    if (text[i + 1] === '{') {
      let k = i + 2;
      while (isWordChar(text[k])) k++;
      if (k > i + 2) {
        name = text.slice(i + 2, k);
        if (text[k] === '}') end = k + 1;
        else {
          const o = text[k] === ':' ? k + 1 : k;
          if (text[o] !== undefined && ops.includes(text[o])) {
            const c = nextClose(o + 1);
            if (c < text.length) {
              op = text[o];
              word = text.slice(o + 1, c);
              end = c + 1;
            }
          }
        }
      }
    } else {
      let k = i + 1;
      while (isWordChar(text[k])) k++;
      if (k > i + 1) {
        name = text.slice(i + 1, k);
        end = k;
      }
    }
    if (end < 0) continue;
    out += text.slice(copied, i) + replace(name, op, word);
    copied = end;
    i = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

export function parseImageReference(image: string): { repository: string; tag: string | undefined; digest: string | undefined } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, tag, digest };
}

/** Base images by model: four rules read them (treat them as read-only). */
const imageRefs = new MemoSlot<DockerfileModel, readonly ImageRef[]>();

export function baseImageRefs(model: DockerfileModel): readonly ImageRef[] {
  let refs = imageRefs.get(model);
  if (!refs) {
    refs = computeImageRefs(model);
    imageRefs.set(model, refs);
  }
  return refs;
}

function computeImageRefs(model: DockerfileModel): ImageRef[] {
  const globals = globalArgDefaults(model);
  const out: ImageRef[] = [];
  for (const stage of model.stages) {
    const from = stage.from;
    const written = from.getImage();
    const range = from.getImageRange();
    if (!written || !range) continue;
    const expanded = written.includes('$') ? expandVariables(written, globals) : written;
    const resolved = expanded ?? written;
    const lower = resolved.toLowerCase();
    const earlier = model.stages.slice(0, stage.index).some((s) => s.name !== undefined && s.name === lower);
    const parsed = parseImageReference(resolved);
    out.push({
      stage,
      from,
      written,
      resolved,
      range,
      stageRef: earlier,
      scratch: lower === 'scratch',
      unresolved: expanded === undefined || resolved.trim() === '',
      ...parsed,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Instructions

/** Escape characters by model. */
const escapes = new MemoSlot<DockerfileModel, string>();

/**
 * The escape character (`# escape=` directive, `\\` by default): dockerfile-ast's
 * getEscapeCharacter, read through the model's own line index. The parser's version reads the
 * directives through its text document, whose line table is otherwise never built: the first call
 * on a file built it (a scan of the whole text), and rules asked once per RUN.
 */
export function escapeCharacter(model: DockerfileModel): string {
  let escape = escapes.get(model);
  if (escape === undefined) {
    escape = '\\';
    for (const directive of model.ast.getDirectives()) {
      const name = model.span(directive.getNameRange());
      if (model.text.slice(name.start, name.end).toLowerCase() !== 'escape') continue;
      const value = model.span(directive.getValueRange());
      const written = model.text.slice(value.start, value.end);
      if (written === '\\' || written === '`') {
        escape = written;
        break;
      }
    }
    escapes.set(model, escape);
  }
  return escape;
}

/**
 * Whether a line appended at the end of the file is an instruction of its own. It is not when the
 * file ends inside a line continuation (a trailing escape, even with comment or blank lines after
 * it) or inside a heredoc that is never closed: the line becomes part of the last instruction, so a
 * fix appending there would change that instruction and leave its finding (and `--fix` applied it
 * again on every pass). Decided by parsing the file with a probe line appended, so it agrees with
 * how the file is linted.
 */
export function canAppendInstruction(model: DockerfileModel): boolean {
  let known = appendable.get(model);
  if (known === undefined) {
    const tail = tailOf(model);
    known = plainTail(model, tail.from) || appendProbeParses(model, tail);
    appendable.set(model, known);
  }
  return known;
}

/**
 * Whether nothing at the end of the file (from `from` on) can carry on into an appended line, so the
 * probe would parse that line as its own: no `<<` (so no heredoc), no CR (so no line break the parser
 * might read otherwise than we write it), and no escape character on the last line with content
 * (neither blank nor a comment, blanks being spaces and tabs): a continuation can only carry on from
 * there, over the blank and comment lines after it. Most files end so and spare the probe's parse
 * (test/rules/dockerfile/appendProbe.test.ts checks the answers against a parse of the whole file).
 */
function plainTail(model: DockerfileModel, from: number): boolean {
  const text = model.text;
  if (text.indexOf('<<', from) >= 0 || text.indexOf('\r', from) >= 0) return false;
  const escape = escapeCharacter(model);
  for (let end = text.length; end > from; ) {
    const start = Math.max(from, text.lastIndexOf('\n', end - 1) + 1);
    let first = start;
    while (first < end && (text[first] === ' ' || text[first] === '\t')) first++;
    if (first < end && text[first] !== '#') {
      const escapeAt = text.indexOf(escape, start);
      return escapeAt < 0 || escapeAt >= end;
    }
    end = start - 1;
  }
  return false;
}

/** The probe's answer by model: two rules' fixes ask it. */
const appendable = new MemoSlot<DockerfileModel, boolean>();

/**
 * Where the probe parse may start: at the last instruction. The parser starts every instruction
 * afresh (no continuation or heredoc is open at a keyword), so how the end of the file reads
 * depends only on the last instruction and the escape character; parsing from there instead of
 * from the top spares a second parse of the whole file on every lint (a keystroke, in the editor).
 */
export function tailOf(model: DockerfileModel): { from: number; prefix: string } {
  const last = model.instructions().at(-1);
  if (!last) return { from: 0, prefix: '' };
  const escape = escapeCharacter(model);
  return { from: model.span(last.getRange()).start, prefix: escape === '\\' ? '' : `# escape=${escape}\n` };
}

export function appendProbeParses(model: DockerfileModel, tail: { from: number; prefix: string }): boolean {
  const eol = detectEol(model.text);
  const needsBreak = model.text.length > 0 && !/[\r\n]$/.test(model.text);
  const probe = 'LABEL bulkhead-append-probe=1';
  const text = `${tail.prefix}${model.text.slice(tail.from)}${needsBreak ? eol : ''}${probe}${eol}`;
  const last = DockerfileParser.parse(text).getInstructions().at(-1);
  return last !== undefined && last.getKeyword() === 'LABEL' && last.getRawArgumentsContent() === probe.slice('LABEL '.length);
}

// ---------------------------------------------------------------------------------------------
// Instruction text. Rules read an instruction through these and never through dockerfile-ast's
// argument accessors (getArguments, getArgumentsContent, getFlags, getHeredocs...), which tokenise
// the instruction again on every call: these read the tokenisation the Dockerfile model keeps per
// instruction (ONBUILD triggers included). test/rules/dockerfile/accessors.test.ts enforces it.

/** The arguments after the keyword (flags excluded), each with its value and range. */
export function argumentList(instr: Instruction): ReturnType<Instruction['getArguments']> {
  return instr.getArguments();
}

/** The arguments' text with line continuations removed, or null when there are none. */
export function argumentsText(instr: Instruction): string | null {
  return instr.getArgumentsContent();
}

/** The arguments' text exactly as written (continuations and comment lines kept), or null. */
export function rawArgumentsText(instr: Instruction): string | null {
  return instr.getRawArgumentsContent();
}

/** From the first argument to the end of the last one, or null when there are none. */
export function argumentsRange(instr: Instruction): Range | null {
  return instr.getArgumentsRange();
}

/** Properties by instruction: dockerfile-ast builds them anew on every call, and five rules ask. */
const propertiesCache = new SlotCache<Instruction, readonly unknown[]>('properties');

/** Name/value pairs of ARG, ENV and LABEL (none for other instructions). Read-only. */
export function instructionProperties<P>(instr: Instruction): readonly P[] {
  let props = propertiesCache.get(instr);
  if (!props) {
    props = (instr as unknown as { getProperties?: () => P[] }).getProperties?.() ?? [];
    propertiesCache.set(instr, props);
  }
  return props as readonly P[];
}

/**
 * Keywords by instruction: every rule asks for each instruction's (90,000 times in a scan of the
 * corpus), and getKeyword upper-cases it each time. Read straight from its symbol property, as a
 * SlotCache keeps it, without the call into SlotCache.get.
 */
const KEYWORD = Symbol('bulkhead.keyword');

/** The keyword upper-cased (dockerfile-ast's getKeyword upper-cases the keyword as written). */
export function keyword(instr: Instruction): string {
  const slot = instr as unknown as { [KEYWORD]?: string };
  let kw = slot[KEYWORD];
  if (kw === undefined) {
    kw = instr.getKeyword();
    slot[KEYWORD] = kw;
  }
  return kw;
}

/** The instructions of the stages (FROMs and the preamble excluded), in file order, listed once per model. */
const stageInstructionLists = new MemoSlot<DockerfileModel, readonly Instruction[]>();

/** The instructions of every stage, in file order (no object per instruction: most rules need no stage). */
export function stageInstructionList(model: DockerfileModel): readonly Instruction[] {
  let list = stageInstructionLists.get(model);
  if (!list) {
    // A loop, not flatMap: V8's flatMap reads each element through the generic path.
    const out: Instruction[] = [];
    const stages = model.stages;
    for (let s = 0; s < stages.length; s++) {
      const instrs = stages[s].instructions;
      for (let i = 0; i < instrs.length; i++) out.push(instrs[i]);
    }
    list = out;
    stageInstructionLists.set(model, list);
  }
  return list;
}

const argEnvLists = new MemoSlot<DockerfileModel, readonly Instruction[]>();

/**
 * The ARG and ENV instructions of a model (the preamble's and every stage's), in file order, listed
 * once per model: secret-in-arg-env, copy-secret-file and tls-verification-disabled read their
 * properties, and the other instructions are not walked again. (A second walk of every instruction,
 * in copy-secret-file, was small and hot enough for V8 to optimise it, inlining the property parse:
 * about 50 M instructions of a cold scan.) Read-only.
 */
export function argEnvInstructions(model: DockerfileModel): readonly Instruction[] {
  let list = argEnvLists.get(model);
  if (!list) {
    const out: Instruction[] = [];
    const all = model.instructions();
    for (let i = 0; i < all.length; i++) {
      const kw = keyword(all[i]);
      if (kw === 'ARG' || kw === 'ENV') out.push(all[i]);
    }
    argEnvLists.set(model, (list = out));
  }
  return list;
}

/** The whole model's list, built once: a dozen rules walk it (treat it as read-only). */
const allStageInstructions = new MemoSlot<DockerfileModel, readonly { stage: Stage; instr: Instruction }[]>();

/** Every instruction with its stage (preamble instructions have none). Read-only. */
export function stageInstructions(model: DockerfileModel, stages: readonly Stage[] = model.stages): readonly { stage: Stage; instr: Instruction }[] {
  if (stages !== model.stages) return stages.flatMap((stage) => stage.instructions.map((instr) => ({ stage, instr })));
  let all = allStageInstructions.get(model);
  if (!all) {
    all = stages.flatMap((stage) => stage.instructions.map((instr) => ({ stage, instr })));
    allStageInstructions.set(model, all);
  }
  return all;
}

/**
 * The shipped stages of each model, listed once: ten rules ask for them, and the same array each time
 * lets runScripts keep the shipped stages' scripts too.
 */
const shippedStageLists = new MemoSlot<DockerfileModel, readonly Stage[]>();

/** The stages whose contents reach the shipped image: the final stage and the stages it builds on. Read-only. */
export function shippedStages(model: DockerfileModel): readonly Stage[] {
  let list = shippedStageLists.get(model);
  if (!list) {
    const out: Stage[] = [];
    for (let s = model.finalStage, hops = 0; s && hops < 64; s = s.parent, hops++) out.push(s);
    list = out;
    shippedStageLists.set(model, list);
  }
  return list;
}

export interface FlagInfo {
  name: string;
  value: string | null;
  range: Range;
}

export function flagsOf(instr: Instruction): FlagInfo[] {
  const getFlags = (instr as unknown as { getFlags?: () => { getName(): string; getValue(): string | null; getRange(): Range }[] }).getFlags;
  if (!getFlags) return [];
  return getFlags.call(instr).map((f) => ({ name: f.getName(), value: f.getValue(), range: f.getRange() }));
}

const pathArgumentLists = new SlotCache<Instruction, readonly { value: string; range: Range }[]>('pathArguments');

/**
 * Arguments of COPY/ADD after the flags, unquoted, with their ranges; JSON form handled. Computed
 * once per instruction: eight rules ask it of every COPY and ADD. Read-only.
 */
export function pathArguments(instr: Instruction): readonly { value: string; range: Range }[] {
  let list = pathArgumentLists.get(instr);
  if (!list) pathArgumentLists.set(instr, (list = Object.freeze(computePathArguments(instr))));
  return list;
}

function computePathArguments(instr: Instruction): { value: string; range: Range }[] {
  const json = jsonFormStrings(instr);
  if (json) return json;
  return instr
    .getArguments()
    .filter((a) => !a.getValue().startsWith('--'))
    .map((a) => ({ value: unquote(a.getValue()), range: a.getRange() }));
}

// ---------------------------------------------------------------------------------------------
// Shell scripts of RUN

export interface Script {
  instr: Instruction;
  /**
   * The script as the shell would read it (continuations joined, comment lines dropped). For the
   * exec (JSON) form: the script given to `sh -c` (`["sh", "-c", "…"]`), else the program and its
   * arguments as a command line (arguments with blanks or shell characters single-quoted).
   */
  text: string;
  /** Source offset of every character of `text`, plus one past the end. */
  map: ArrayLike<number>;
  /** The instruction uses the exec (JSON array) form. */
  exec: boolean;
  /** Starts with `[` but is not a JSON array of strings, so Docker runs it through `/bin/sh -c` as written. */
  malformedExec: boolean;
}

/**
 * Scripts by instruction: a dozen rules read each RUN. An instruction's text never changes, but in
 * the editor it outlives its parse (a keystroke elsewhere re-parses one instruction and keeps the
 * others, see documents/dockerfileIncremental.ts), so it can sit at another offset of a newer text:
 * each script remembers the offset it was computed at and is moved when the instruction moved.
 */
const scripts = new SlotCache<Instruction, { at: number; script: Script | null }>('script');

/** The shell script of a RUN (or any shell-form instruction: CMD, ENTRYPOINT, HEALTHCHECK). */
export function scriptOf(model: DockerfileModel, instr: Instruction): Script | undefined {
  const at = model.lines.offsetAt(instr.getRange().start);
  const known = scripts.get(instr);
  if (known?.at === at) return known.script ?? undefined;
  const script = known ? known.script && moved(known.script, at - known.at) : computeScript(model, instr);
  scripts.set(instr, { at, script: script ?? null });
  return script ?? undefined;
}

function moved(script: Script, delta: number): Script {
  if (script instanceof PieceScript) return script.moved(delta);
  const map = new Array<number>(script.map.length);
  for (let i = 0; i < map.length; i++) map[i] = script.map[i] + delta;
  return Object.freeze({ ...script, map });
}

/**
 * A shell-form script: the source with its line continuations cut out, so a few contiguous pieces
 * of it. Its map is kept as those pieces (`pieces`: the script offset where each starts and its
 * source offset, in pairs, then the script's length and the end of the arguments) and written out
 * as a number per character only when `map` is read: rules place findings through scriptSpan,
 * which reads the pieces, and the map of every RUN was a third of reading the scripts for the few
 * characters a finding underlines.
 */
class PieceScript implements Script {
  private written: ArrayLike<number> | undefined;
  constructor(
    public instr: Instruction,
    public text: string,
    private readonly pieces: readonly number[],
    public exec: boolean,
    public malformedExec: boolean,
  ) {}

  get map(): ArrayLike<number> {
    if (this.written === undefined) {
      const pieces = this.pieces;
      const map = new Array<number>(this.text.length + 1);
      for (let p = 0; p < pieces.length; p += 2) {
        const to = p + 2 < pieces.length ? pieces[p + 2] : map.length;
        for (let i = pieces[p], offset = pieces[p + 1]; i < to; i++, offset++) map[i] = offset;
      }
      this.written = map;
    }
    return this.written;
  }

  /** `map[i]` (for `0 <= i <= text.length`) without writing the map out. */
  offsetAt(i: number): number {
    if (this.written !== undefined) return this.written[i];
    const pieces = this.pieces;
    // The last piece starting at or before `i` (pieces are few: one per continued line).
    let lo = 0;
    let hi = pieces.length / 2 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pieces[2 * mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return pieces[2 * lo + 1] + i - pieces[2 * lo];
  }

  moved(delta: number): PieceScript {
    const pieces = this.pieces.slice();
    for (let p = 1; p < pieces.length; p += 2) pieces[p] += delta;
    return new PieceScript(this.instr, this.text, pieces, this.exec, this.malformedExec);
  }
}

/**
 * A line continuation after an escape character: blanks (spaces and tabs) and a line break, then
 * the comment lines (`[ \t]*#…`) and empty lines the builder drops inside a continuation, each up
 * to its line break (a comment on the last line, with none after it, is kept). A CRLF is read as
 * a CR and then an empty line, which ends at the same place. One search in compiled code: a loop
 * over the characters of the comment lines and the indentation was most of reading the scripts.
 * Linear: each repetition ends at its first line break character.
 */
const CONTINUATION = /[ \t]*[\r\n](?:[ \t]*(?:#[^\r\n]*)?[\r\n])*/y;

/**
 * Where the script carries on after the escape character at `e` when it continues the line (see
 * CONTINUATION); -1 when the escape does not continue the line.
 */
function continuationEnd(raw: string, e: number): number {
  CONTINUATION.lastIndex = e + 1;
  return CONTINUATION.test(raw) ? CONTINUATION.lastIndex : -1;
}

function computeScript(model: DockerfileModel, instr: Instruction): Script | undefined {
  const range = instr.getArgumentsRange();
  if (!range) return undefined;
  const { start, end } = model.span(range);
  const raw = model.text.slice(start, end);
  const escape = escapeCharacter(model);
  // Every heredoc starts with `<<` in the instruction: without one, dockerfile-ast's heredoc scan
  // (most of what reading a RUN cost) is not run.
  const instrSpan = model.span(instr.getRange());
  const heredoc =
    model.text.slice(instrSpan.start, instrSpan.end).includes('<<') &&
    ((instr as unknown as { getHeredocs?: () => unknown[] }).getHeredocs?.() ?? []).length > 0;
  // The text is `raw` without its line continuations (with a heredoc, all of it): copied a piece
  // at a time, each piece's start recorded for the map (see PieceScript).
  let text = '';
  const pieces: number[] = [];
  let from = 0;
  if (!heredoc) {
    for (let e = raw.indexOf(escape); e >= 0; e = raw.indexOf(escape, e)) {
      const after = continuationEnd(raw, e);
      if (after < 0) {
        e++;
        continue;
      }
      if (e > from) {
        pieces.push(text.length, start + from);
        text += raw.slice(from, e);
      }
      from = e = after;
    }
  }
  if (from < raw.length) {
    pieces.push(text.length, start + from);
    text = from === 0 ? raw : text + raw.slice(from);
  }
  pieces.push(text.length, end);
  const bracket = !heredoc && /^\s*\[/.test(text);
  const script = new PieceScript(instr, text, pieces, false, bracket);
  if (bracket) {
    const exec = execForm(text, script.map);
    if (exec) return { instr, ...execScript(exec, end), exec: true, malformedExec: false };
  }
  return script;
}

/** One string of an exec-form array, decoded, with the source offset of each character. */
export interface ExecArgument {
  value: string;
  offsets: number[];
  /** Source offsets of the opening and just past the closing quote. */
  start: number;
  end: number;
}

/** The one-character escapes of a JSON string and what they stand for. */
const JSON_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The strings of an exec-form argument (`["sh", "-c", "…"]`) read as Docker reads it, a JSON array
 * of strings; undefined when it is not one (Docker then runs the text through a shell). A scan by
 * hand so every decoded character keeps its source offset: `map[i]` is the offset of `raw[i]`.
 */
export function execForm(raw: string, map: ArrayLike<number>): ExecArgument[] | undefined {
  const out: ExecArgument[] = [];
  let i = 0;
  const blank = (): void => {
    for (let c = raw[i]; c === ' ' || c === '\t' || c === '\r' || c === '\n'; c = raw[i]) i++;
  };
  blank();
  if (raw[i] !== '[') return undefined;
  i++;
  blank();
  if (raw[i] === ']') {
    i++;
    blank();
    return i === raw.length ? out : undefined;
  }
  for (;;) {
    if (raw[i] !== '"') return undefined;
    const start = i;
    i++;
    let value = '';
    const offsets: number[] = [];
    for (;;) {
      if (i >= raw.length) return undefined;
      const c = raw[i];
      if (c === '"') break;
      if (c < ' ') return undefined; // JSON strings cannot hold raw control characters
      if (c === '\\') {
        const e = raw[i + 1];
        if (e !== undefined && Object.hasOwn(JSON_ESCAPES, e)) {
          value += JSON_ESCAPES[e];
          offsets.push(map[i]);
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
          offsets.push(map[i]);
          i += 6;
        } else return undefined;
        continue;
      }
      value += c;
      offsets.push(map[i]);
      i++;
    }
    out.push({ value, offsets, start: map[start], end: map[i] + 1 });
    i++;
    blank();
    if (raw[i] === ',') {
      i++;
      blank();
      continue;
    }
    if (raw[i] !== ']') return undefined;
    i++;
    blank();
    return i === raw.length ? out : undefined;
  }
}

const SHELLS = /^(?:sh|bash|dash|ash|zsh|ksh|mksh)$/;
/** An argument a shell reads as written, without quotes. */
const PLAIN_ARGUMENT = /^[\w@%+=:,./-]+$/;

/** The command an exec-form array runs, as script text with a source map (see `Script.text`). */
function execScript(args: ExecArgument[], end: number): { text: string; map: number[] } {
  const program = args[0] ? basename(args[0].value) : '';
  if (SHELLS.test(program)) {
    // `sh [-e] [-o pipefail] -c SCRIPT`: the script is the argument after the option holding `c`.
    for (let k = 1; k < args.length - 1; k++) {
      const v = args[k].value;
      if (!v.startsWith('-')) break;
      if (/^-[a-z]+$/.test(v) && v.includes('c')) return { text: args[k + 1].value, map: [...args[k + 1].offsets, args[k + 1].end - 1] };
      if (v === '-o') k++;
    }
  }
  let text = '';
  const map: number[] = [];
  for (let index = 0; index < args.length; index++) {
    const a = args[index];
    if (index > 0) {
      text += ' ';
      map.push(a.start);
    }
    const plain = a.value !== '' && PLAIN_ARGUMENT.test(a.value);
    if (plain) {
      text += a.value;
      for (let k = 0; k < a.value.length; k++) map.push(a.offsets[k]);
      continue;
    }
    // Single-quoted as a shell would need it; quotes map to the JSON string's own quotes.
    text += "'";
    map.push(a.start);
    for (let k = 0; k < a.value.length; k++) {
      if (a.value[k] === "'") {
        text += "'\\''";
        map.push(a.offsets[k], a.offsets[k], a.offsets[k], a.offsets[k]);
      } else {
        text += a.value[k];
        map.push(a.offsets[k]);
      }
    }
    text += "'";
    map.push(a.end - 1);
  }
  map.push(end);
  return { text, map };
}

export function scriptSpan(script: Script, from: number, to: number): Span {
  if (script instanceof PieceScript) {
    // Its map's length is the text's plus one (read through the pieces, the map is not written out).
    const length = script.text.length + 1;
    const start = script.offsetAt(Math.max(0, Math.min(from, length - 1)));
    const last = script.offsetAt(Math.max(0, Math.min(to - 1, length - 2)));
    return { start, end: to > from ? last + 1 : start };
  }
  const start = script.map[Math.max(0, Math.min(from, script.map.length - 1))];
  // End just after the last matched character.
  const last = script.map[Math.max(0, Math.min(to - 1, script.map.length - 2))];
  return { start, end: to > from ? last + 1 : start };
}

const triggers = new SlotCache<Instruction, Instruction | null>('trigger');

/** The instruction an `ONBUILD` registers (`ONBUILD RUN …` gives the RUN), in document positions. */
export function onbuildTrigger(instr: Instruction): Instruction | undefined {
  const known = triggers.get(instr);
  if (known !== undefined) return known ?? undefined;
  const get = (instr as unknown as { getTriggerInstruction?: () => Instruction | null }).getTriggerInstruction;
  const trigger = keyword(instr) === 'ONBUILD' && get ? (get.call(instr) ?? undefined) : undefined;
  // The same guarded, cached accessors as the model's own instructions.
  if (trigger) memoizeAccessors(trigger);
  triggers.set(instr, trigger ?? null);
  return trigger;
}

/**
 * RUN instructions of the given stages with their scripts, shell and exec form, and the RUNs that
 * `ONBUILD` registers (they run in every image built FROM this one).
 */
export function runScripts(model: DockerfileModel, stages: readonly Stage[] = model.stages): readonly { stage: Stage; script: Script }[] {
  if (stages === model.stages) {
    let all = allRunScripts.get(model);
    if (!all) {
      all = concatRunScripts(model, stages);
      allRunScripts.set(model, all);
    }
    return all;
  }
  if (stages.length === 1) return stageRunScripts(model, stages[0]);
  if (stages === shippedStageLists.get(model)) {
    let shipped = shippedRunScripts.get(model);
    if (!shipped) {
      shipped = concatRunScripts(model, stages);
      shippedRunScripts.set(model, shipped);
    }
    return shipped;
  }
  return concatRunScripts(model, stages);
}

function concatRunScripts(model: DockerfileModel, stages: readonly Stage[]): { stage: Stage; script: Script }[] {
  const out: { stage: Stage; script: Script }[] = [];
  for (let s = 0; s < stages.length; s++) {
    const scripts = stageRunScripts(model, stages[s]);
    for (let i = 0; i < scripts.length; i++) out.push(scripts[i]);
  }
  return out;
}

/**
 * The RUN scripts of one stage and of the whole model, each listed once: twenty rules ask, for all
 * stages, the shipped ones or one stage at a time. Read-only.
 */
const runScriptsByStage = new MemoSlot<Stage, readonly { stage: Stage; script: Script }[]>();
const allRunScripts = new MemoSlot<DockerfileModel, readonly { stage: Stage; script: Script }[]>();
/** Those of `shippedStages(model)` (that array, not an equal one: other lists are concatenated anew). */
const shippedRunScripts = new MemoSlot<DockerfileModel, readonly { stage: Stage; script: Script }[]>();

function stageRunScripts(model: DockerfileModel, stage: Stage): readonly { stage: Stage; script: Script }[] {
  const known = runScriptsByStage.get(stage);
  if (known) return known;
  const out: { stage: Stage; script: Script }[] = [];
  const instrs = stage.instructions;
  for (let i = 0; i < instrs.length; i++) {
    const instr = instrs[i];
    const kw = keyword(instr);
    const run = kw === 'RUN' ? instr : kw === 'ONBUILD' ? onbuildTrigger(instr) : undefined;
    if (!run || keyword(run) !== 'RUN') continue;
    const script = scriptOf(model, run);
    if (script) out.push({ stage, script });
  }
  runScriptsByStage.set(stage, out);
  return out;
}

/**
 * Simple commands of a script: splits on `;`, `&&`, `||`, `|`, `&`, newlines and `$(`/backticks,
 * keeping offsets. Quotes are respected, so `echo "a | b"` stays one command. Good enough to find
 * which program a word belongs to; not a full shell parser.
 */
export interface Command {
  /** Text of the simple command. */
  text: string;
  /** Offset of `text` in the script. */
  start: number;
  /** The operator that ends the command (`|`, `&&`, `;`, `\n`, ...), or '' at the end. */
  next: string;
}

/** A simple command of a RUN script with its words and the index of its program among them. */
export interface ParsedCommand extends Command {
  readonly words: readonly Word[];
  /** `programIndex(words)`: equal to `words.length` when the command runs no program. */
  readonly program: number;
}

/** Commands by script: twenty rules walk every RUN's commands and their words. */
const parsedCommands = new SlotCache<Script, readonly ParsedCommand[]>('commands');

/**
 * The simple commands of a script (`splitCommands(script.text)`) each with its words and program,
 * computed once per script for every rule that reads them. Read-only (frozen words, as `words`).
 */
export function commandsOf(script: Script): readonly ParsedCommand[] {
  let out = parsedCommands.get(script);
  if (out) return out;
  // One look-up by the script's text (another lint of the same text, a keystroke elsewhere in the
  // file) rather than one per command: string keys are hashed and compared in full on every look-up.
  out = commandsByText.get(script.text);
  if (!out) {
    // Straight from the scan's bounds: no Command list in between.
    const list = mapCommands(script.text, (command, start, next): ParsedCommand => {
      // By the command's text: the corpus's 6,334 commands of distinct scripts hold 2,448 texts.
      const ws: readonly Word[] = words(command);
      return Object.freeze({ text: command, start, next, words: ws, program: programIndex(ws) });
    });
    out = Object.freeze(list);
    if (commandsByText.size > 2000) commandsByText.clear();
    commandsByText.set(script.text, out);
  }
  parsedCommands.set(script, out);
  return out;
}

/** Parsed commands by script text, shared by the lints of one process (read-only: words are frozen). */
const commandsByText = new Map<string, readonly ParsedCommand[]>();

/** Distinct script texts a ScriptTextAnalysis keeps (as commandsByText): past it, it starts again. */
const ANALYSED_TEXTS = 2000;

/**
 * A rule's analysis of RUN scripts, computed once per distinct script text in this process and
 * shared by every script with that text, as commandsOf shares their commands. A repository's
 * Dockerfiles repeat their RUNs (of the 1,099 RUNs of the corpus's 311 Dockerfiles, 497 repeat an
 * earlier one word for word) and in the editor every keystroke lints the file's other RUNs again.
 *
 * `analyse` is given the text and its commands, never the Script: what differs between two scripts
 * with one text (the instruction, its file, where it is) is out of its reach, so one answer is right
 * for both. Its results are in script offsets (placed with scriptSpan by the caller) and shared:
 * read-only.
 */
export class ScriptTextAnalysis<T> {
  private readonly byText = new Map<string, T>();

  constructor(private readonly analyse: (text: string, commands: readonly ParsedCommand[]) => T) {}

  of(script: Script): T {
    const text = script.text;
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const result = this.analyse(text, commandsOf(script));
    if (this.byText.size >= ANALYSED_TEXTS) this.byText.clear();
    // (An undefined result is recomputed on the next look-up: analyses return null for nothing found.)
    this.byText.set(text, result);
    return result;
  }
}

/**
 * The name a command's program goes by for `programClass`: the value of its program word from its
 * last `/` on (`/usr/bin/curl` → `curl`, `curl` → `curl`; a word ending in `/` gives ''), or
 * undefined when the command runs no program. A rule that compares another form (`basename`, which
 * also drops trailing slashes; a regex allowing some folders) registers the names its form implies
 * and finishes its own test on the commands listed.
 */
export function programName(cmd: ParsedCommand): string | undefined {
  const ws = cmd.words;
  const p = cmd.program;
  if (p >= ws.length) return undefined;
  const v = ws[p].value;
  // (Most programs are named without a path: no search from the end for them.)
  return v.includes('/') ? v.slice(v.lastIndexOf('/') + 1) : v;
}

/**
 * The class bits of the program names rules look up (`programClass`), by name. Filled at module
 * load, from each rule's own table of the programs it reads.
 */
const PROGRAM_CLASSES = new Map<string, number>();
let programClasses = 0;

/**
 * Registers a rule's program names (by `programName`) and returns their class: a bit that
 * `classifiedCommands` sets on every command running one of them. Called at module load.
 */
export function programClass(names: Iterable<string>): number {
  if (programClasses >= 30) throw new Error('programClass: too many classes');
  const bit = 1 << programClasses++;
  for (const name of names) PROGRAM_CLASSES.set(name, (PROGRAM_CLASSES.get(name) ?? 0) | bit);
  return bit;
}

/** The commands of a script that run a program some rule looks up (see classifiedCommands). */
export interface ClassifiedCommands {
  /** Indices into `commandsOf(script)`, in script order. */
  readonly commands: readonly number[];
  /** The `programClass` bits of each, and of all (0 when none). */
  readonly classes: readonly number[];
  readonly all: number;
  /** How many classes were registered when this was made (see classifiedCommands). */
  readonly registered: number;
}

const classifiedOfScript = new SlotCache<Script, ClassifiedCommands>('classified');
const classifiedOfCommands = new WeakMap<readonly ParsedCommand[], ClassifiedCommands>();

/**
 * The commands of `script` whose program (by `programName`) is one that a rule registered with
 * `programClass`, each with its classes: computed once per script text, so that each rule reads
 * only the commands running its programs, instead of walking every command of every script.
 * Read-only.
 */
export function classifiedCommands(script: Script): ClassifiedCommands {
  let out = classifiedOfScript.get(script);
  // (Made again if a class was registered since: a module loaded late must not miss its commands.)
  if (out !== undefined && out.registered === programClasses) return out;
  const cmds = commandsOf(script);
  out = classifiedOfCommands.get(cmds);
  if (out === undefined || out.registered !== programClasses) {
    const commands: number[] = [];
    const classes: number[] = [];
    let all = 0;
    for (let i = 0; i < cmds.length; i++) {
      const name = programName(cmds[i]);
      const bits = name === undefined ? undefined : PROGRAM_CLASSES.get(name);
      if (bits === undefined) continue;
      commands.push(i);
      classes.push(bits);
      all |= bits;
    }
    out = { commands, classes, all, registered: programClasses };
    classifiedOfCommands.set(cmds, out);
  }
  classifiedOfScript.set(script, out);
  return out;
}

/** Split results by script text, shared by the rules linting one file (treat them as read-only). */
const splitCache = new Map<string, readonly Command[]>();

export function splitCommands(script: string): Command[] {
  const known = splitCache.get(script);
  if (known) return known as Command[];
  const result = computeSplit(script);
  if (splitCache.size > 2000) splitCache.clear();
  splitCache.set(script, result);
  return result;
}

function computeSplit(script: string): Command[] {
  return mapCommands(script, (text, start, next) => ({ text, start, next }));
}

/** The simple commands of `script` as scanCommands bounds them (blank ones dropped), each made by `make`. */
function mapCommands<T>(script: string, make: (text: string, start: number, next: string) => T): T[] {
  const bounds: number[] = [];
  const ops: string[] = [];
  scanCommands(script, bounds, ops);
  const out: T[] = [];
  for (let k = 0; k < ops.length; k++) {
    const start = bounds[2 * k];
    const end = bounds[2 * k + 1];
    if (hasContent(script, start, end)) out.push(make(script.slice(start, end), start, ops[k]));
  }
  return out;
}

/** Whether `text` holds a character other than white space between `start` and `end` (what `/\S/` finds). */
function hasContent(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isBlankCode(text.charCodeAt(i))) return true;
  return false;
}

/**
 * The characters the split acts on outside quotes, in one state of a `case` or another: the scan
 * goes from one to the next (one search in compiled code) instead of looking at every character.
 */
const SPLIT_CHARACTERS = /[\\"'#&|$;\n`()]/g;
/** What ends or escapes inside double quotes. */
const DOUBLE_QUOTED = /["\\]/g;

// Where the split is in a `case`: outside one, after `case` up to `in`, in a pattern list up to
// `)`, in a branch's commands up to `;;`.
const CASE_NONE = 0;
const CASE_HEADER = 1;
const CASE_PATTERN = 2;
const CASE_BODY = 3;

/** The reserved word that changes each state (`esac` ends both a pattern list and a branch). */
const CASE_WORDS = ['case', 'in', 'esac', 'esac'];

/** `word` is written at `i` as a word of its own (a reserved word, not part of another). */
function wordAt(script: string, i: number, word: string): boolean {
  return script.startsWith(word, i) && (i === 0 || /[\s;&|()]/.test(script[i - 1])) && !/[\w-]/.test(script[i + word.length] ?? '');
}

/**
 * The commands of a script as `[start, end]` pairs in `bounds` and the operator ending each in
 * `ops`, blank ones included. A walk from one character that matters to the next, with the state
 * of a `case` (`case … in a | b) …;; esac`: the `|` and `)` of patterns are not pipes or
 * subshells); the reserved words of `case` are looked for with indexOf and taken where the walk
 * reaches them outside quotes, escapes and comments.
 */
function scanCommands(script: string, bounds: number[], ops: string[]): void {
  const n = script.length;
  let start = 0;
  let state = CASE_NONE;
  // The next place the current state's reserved word is written (n when nowhere), and that state.
  let wordPos = -1;
  let wordState = -1;
  // The next character that matters at or after `i` (n when none).
  let next = -1;
  let i = 0;
  while (i < n) {
    if (next < i) {
      SPLIT_CHARACTERS.lastIndex = i;
      next = SPLIT_CHARACTERS.test(script) ? SPLIT_CHARACTERS.lastIndex - 1 : n;
    }
    if (wordState !== state || wordPos < i) {
      wordPos = script.indexOf(CASE_WORDS[state], i);
      if (wordPos < 0) wordPos = n;
      wordState = state;
    }
    if (wordPos < next) {
      // Nothing that matters comes before it, so the walk can move there.
      i = wordPos + 1;
      if (!wordAt(script, wordPos, CASE_WORDS[state])) continue;
      if (state === CASE_NONE) state = CASE_HEADER;
      else if (state === CASE_HEADER) {
        state = CASE_PATTERN;
        bounds.push(start, wordPos);
        ops.push('in');
        start = wordPos + 2;
        i = wordPos + 2;
      } else state = CASE_NONE;
      continue;
    }
    if (next >= n) break;
    i = next;
    const c = script[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = script.indexOf("'", i + 1);
      if (close < 0) break; // quoted to the end
      i = close + 1;
      continue;
    }
    if (c === '"') {
      let close = -1;
      DOUBLE_QUOTED.lastIndex = i + 1;
      while (DOUBLE_QUOTED.test(script)) {
        const at = DOUBLE_QUOTED.lastIndex - 1;
        if (script[at] === '"') {
          close = at;
          break;
        }
        DOUBLE_QUOTED.lastIndex = at + 2;
      }
      if (close < 0) break;
      i = close + 1;
      continue;
    }
    if (c === '#') {
      if (i === 0 || /\s/.test(script[i - 1])) {
        // Comment to end of line.
        const nl = script.indexOf('\n', i);
        const end = nl < 0 ? n : nl;
        bounds.push(start, i);
        ops.push('');
        start = end;
        i = end;
      } else i++;
      continue;
    }
    if (state === CASE_PATTERN) {
      if (c === ')') {
        state = CASE_BODY;
        bounds.push(start, i);
        ops.push(')');
        start = i + 1;
      } else if (c === '|' || c === '(' || c === '\n') {
        start = i + 1;
      }
      i++;
      continue;
    }
    const d = script[i + 1];
    if (state === CASE_BODY && c === ';' && d === ';') {
      bounds.push(start, i);
      ops.push(';;');
      start = i + 2;
      i += 2;
      state = CASE_PATTERN;
      continue;
    }
    if ((c === '&' || c === '|') && d === c) {
      bounds.push(start, i);
      ops.push(c === '&' ? '&&' : '||');
      start = i + 2;
      i += 2;
      continue;
    }
    if (c === '$') {
      if (d === '(') {
        bounds.push(start, i);
        ops.push('$(');
        start = i + 2;
        i += 2;
        continue;
      }
    } else if (c === '&' && (script[i - 1] === '>' || script[i - 1] === '<' || d === '>')) {
      // `2>&1`, `&>file`: redirections, not background jobs.
    } else {
      // `|`, `;`, a line break, `&`, a backtick, `(` or `)`.
      bounds.push(start, i);
      ops.push(c);
      start = i + 1;
    }
    i++;
  }
  bounds.push(start, n);
  ops.push('');
}

/**
 * Words of a command with their offsets relative to the command, quotes removed from `value`.
 * A word is a run of non-blank characters and complete quotes (`"…"` with backslash escapes,
 * `'…'`); an unclosed quote ends the word and is skipped. Scanned by hand: a regex for it retried
 * every unclosed quote to the end of the text (quadratic on `"\\"\\"\\…`). Whether a quote closes
 * is remembered: once a quote of a kind is found unclosed, every later one of that kind is too.
 */
export type Word = { readonly value: string; readonly raw: string; readonly start: number; readonly end: number };

/**
 * Words by command text, shared by the rules linting one file: a dozen rules split the same
 * commands. Frozen, so a rule that changed a shared answer would throw (in strict mode) instead of
 * misleading the next rule.
 */
const wordsCache = new Map<string, readonly Word[]>();

export function words(command: string): Word[] {
  const known = wordsCache.get(command);
  if (known) return known as Word[];
  const result = frozenWords(command);
  if (wordsCache.size > 4000) wordsCache.clear();
  wordsCache.set(command, result);
  return result as Word[];
}

function frozenWords(command: string): readonly Word[] {
  const result = computeWords(command);
  for (let i = 0; i < result.length; i++) Object.freeze(result[i]);
  return Object.freeze(result);
}

const isBlankCode = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));

/** What ends an unquoted run of a word: a blank (`\s` is exactly isBlankCode's set) or a quote. */
const WORD_STOP = /[\s"']/g;

function computeWords(command: string): Word[] {
  const out: Word[] = [];
  const n = command.length;
  let unclosedDouble = n + 1;
  let unclosedSingle = n + 1;
  let i = 0;
  while (i < n) {
    const code = command.charCodeAt(i);
    if (code === 32 || (code >= 9 && code <= 13) || (code > 127 && isBlankCode(code))) {
      i++;
      continue;
    }
    const start = i;
    let value = '';
    // Unquoted characters are copied a run at a time; the end of each run is found by one search.
    let run = i;
    for (;;) {
      WORD_STOP.lastIndex = i;
      i = WORD_STOP.test(command) ? WORD_STOP.lastIndex - 1 : n;
      // (The end is tested first, not read as NaN: V8 drops its optimised code on a read past the end.)
      if (i >= n) break;
      const quote = command.charCodeAt(i);
      if (quote !== 34 && quote !== 39) break; // a blank
      // Offset just past the quote that closes this one, or -1.
      let end = -1;
      if (quote === 39) {
        if (i < unclosedSingle) {
          const j = command.indexOf("'", i + 1);
          if (j < 0) unclosedSingle = i;
          else end = j + 1;
        }
      } else if (i < unclosedDouble) {
        DOUBLE_QUOTED.lastIndex = i + 1;
        while (DOUBLE_QUOTED.test(command)) {
          const at = DOUBLE_QUOTED.lastIndex - 1;
          if (command.charCodeAt(at) === 34) {
            end = at + 1;
            break;
          }
          DOUBLE_QUOTED.lastIndex = at + 2;
        }
        // In sync with any later quote's scan from there on (see above), so that one cannot close either.
        if (end < 0) unclosedDouble = i;
      }
      if (end < 0) break;
      value += command.slice(run, i) + command.slice(i + 1, end - 1);
      i = end;
      run = i;
    }
    if (run < i) value += command.slice(run, i);
    // Without quotes the value is the word as written: one string for both.
    if (i > start) out.push({ value, raw: run === start ? value : command.slice(start, i), start, end: i });
    else i++; // an unclosed quote
  }
  return out;
}

/** Reserved words that start a compound command: the program follows them. */
export const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '{', '}', '!', 'fi', 'done']);

const ASSIGNMENT = /^\w+=/;

/** Programs that run the command after them (and their options). */
const WRAPPERS = new Set(['sudo', 'exec', 'env', 'nohup', 'time', 'command', 'xargs', 'nice', 'su-exec', 'gosu']);

/** The program a simple command runs, skipping `sudo`, `env X=Y`, `VAR=x` prefixes and `exec`. */
export function programIndex(ws: readonly { value: string }[]): number {
  let i = 0;
  while (i < ws.length) {
    const v = ws[i].value;
    // (An assignment has its `=` past the first character: most words do not, and skip the regex.)
    if ((v.indexOf('=') > 0 && ASSIGNMENT.test(v)) || SHELL_KEYWORDS.has(v)) i++;
    else if (WRAPPERS.has(v)) {
      i++;
      // Options of the wrapper (sudo -E, env -i); not their values, which is good enough here.
      while (i < ws.length && ws[i].value.startsWith('-')) i++;
    } else break;
  }
  return i;
}

/** `set -o pipefail` etc. is not a word we care about; helper for `rm` targets. */
export function basename(path: string): string {
  // Most are a program's bare name: without a slash there is nothing to trim or cut.
  if (!path.includes('/')) return path;
  const trimmed = withoutTrailingSlashes(path);
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
