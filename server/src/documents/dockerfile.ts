/**
 * A Dockerfile as build stages over `dockerfile-ast`, with the offsets rules and fixes work in.
 */
import * as ast from 'dockerfile-ast';
import { DockerfileParser, Dockerfile, From, Instruction, Line } from 'dockerfile-ast';
import { LineIndex, Range } from '../text/lineIndex';
import './dockerfileAstCache';
import { parsedLineTable } from './dockerfileAstParser';
import { keptTokens, PositionCursor, type Tokens } from './dockerfileAstTokens';
import { type HeredocScanned, scanHeredocs } from './dockerfileHeredocs';
import type { Memoized } from './memo';

export interface Stage extends Memoized {
  readonly index: number;
  /** `AS name`, lower-cased as BuildKit compares it. */
  readonly name: string | undefined;
  readonly from: From;
  /** Instructions after `FROM`, up to the next `FROM`. */
  readonly instructions: Instruction[];
  /** The image reference as written (`golang:1.22`, `$BASE`, `builder`). */
  readonly baseImage: string | undefined;
  /** The earlier stage this one builds on (`FROM builder`), if any. */
  readonly parent: Stage | undefined;
  readonly isFinal: boolean;
}

export class DockerfileModel implements Memoized {
  readonly ast: Dockerfile;
  readonly stages: Stage[];
  /** Instructions before the first FROM (global ARGs). */
  readonly preamble: Instruction[];

  /** `ast`: the parse of `text` when it is already known (a partial re-parse, ./dockerfileIncremental). */
  constructor(
    readonly text: string,
    ast?: Dockerfile,
  ) {
    if (ast) this.ast = ast;
    else {
      parsing = true;
      try {
        this.ast = DockerfileParser.parse(text);
      } finally {
        parsing = false;
      }
    }
    const stages: Stage[] = [];
    const preamble: Instruction[] = [];
    let current: { from: From; instructions: Instruction[] } | undefined;
    const open: { from: From; instructions: Instruction[] }[] = [];
    this.instructionList = this.ast.getInstructions();
    for (const instruction of this.instructionList) {
      memoizeAccessors(instruction);
      if (instruction.getKeyword() === 'FROM') {
        current = { from: instruction as From, instructions: [] };
        open.push(current);
      } else if (current) {
        current.instructions.push(instruction);
      } else {
        preamble.push(instruction);
      }
    }
    open.forEach((s, index) => {
      const name = s.from.getBuildStage()?.toLowerCase() ?? undefined;
      const baseImage = s.from.getImage() ?? undefined;
      const parent = baseImage ? stages.find((p) => p.name === baseImage.toLowerCase()) : undefined;
      stages.push({ index, name, from: s.from, instructions: s.instructions, baseImage, parent, isFinal: index === open.length - 1, memo: undefined });
    });
    this.stages = stages;
    this.preamble = preamble;
  }

  private lineIndex: LineIndex | undefined;

  /**
   * Offsets and positions of the text. Built when first asked for (rules read positions from the
   * parse; the engine asks when it places findings): a file without findings, and the editor's
   * hover and SBOM models, never pay for the table.
   */
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text, parsedLineTable(this.ast, this.text));
    return this.lineIndex;
  }

  get finalStage(): Stage | undefined {
    return this.stages[this.stages.length - 1];
  }

  span(range: Range): { start: number; end: number } {
    return { start: this.lines.offsetAt(range.start), end: this.lines.offsetAt(range.end) };
  }

  private readonly instructionList: Instruction[];

  /** What rules computed once for this model (see ./memo). */
  memo: Memoized['memo'] = undefined;

  /** Every instruction, ONBUILD triggers excluded, in file order. */
  instructions(): Instruction[] {
    return this.instructionList;
  }
}

/**
 * dockerfile-ast recomputes an instruction's arguments from its text on every call, and two dozen
 * rules ask for them: an instruction is immutable once parsed, so its argument accessors are cached
 * on the instance once the model has it (the Dockerfile pack lints 3x faster with this). The
 * tokenisation itself is kept from the parse on (./dockerfileAstCache), so it is not listed here.
 *
 * The wrappers sit on the library's prototypes, installed once, and cache only for instructions
 * the model has marked (`memoizeAccessors`), so a parse's own calls are untouched; marking is one
 * property write, where a wrapper per accessor per instruction cost a tenth of a lint. Only the
 * outermost call caches: the library's accessors call each other while half-built (getFlags asks
 * getArguments while its own list is still empty, and that answer still holds the flags), and a
 * nested answer must not be the one kept.
 */
// getKeyword, getRange and getTextContent are a field, an upper-casing and a substring: a cache
// lookup would cost them more than it saves, and they are asked for most.
const CACHED_ACCESSORS = [
  'getArguments',
  'getArgumentsRange',
  'getArgumentsRanges',
  'getArgumentsContent',
  'getRawArgumentsContent',
  'getFlags',
  'getHeredocs',
];

const MEMOIZED = Symbol('bulkhead.memoized');
/**
 * Set while the model's own parse runs: no instruction is marked yet, so the wrappers pass the
 * library's own calls straight through without looking for the mark (the wrappers were about 4 %
 * of a build, most of it that look-up on instructions that do not have it).
 */
let parsing = false;
/** How many cached accessors are being computed right now (nested calls do not cache). */
let computing = 0;

/**
 * dockerfile-ast 0.7's getHeredocs throws when an escape is followed by a lone CR and then a
 * comment (`RUN a \\<CR># c<CR><LF> b`): it reads the escaped CR as CRLF, skips the `#` and takes
 * the next line break for the start of the body of a heredoc that was never opened. Every rule
 * that reads a RUN asks for its heredocs, so each of them threw. An instruction whose heredocs
 * cannot be read is linted as having none.
 */
function heredocsOf(instruction: object, original: Method): unknown {
  // The library's scan finds heredocs only among the arguments that start with `<<` (it returns none
  // or throws without one, see above), and most instructions have none: they skip the scan.
  const args = (instruction as Instruction).getArguments();
  if (!args.some((arg) => arg.getValue().startsWith('<<'))) return [];
  try {
    const escape = (instruction as unknown as HeredocScanned).escapeChar;
    return escape === '\\' || escape === '`' ? scanHeredocs(instruction as unknown as HeredocScanned, args, escape) : original.call(instruction);
  } catch {
    return [];
  }
}

type Method = (this: object, ...args: unknown[]) => unknown;

/**
 * getArgumentsRange and getRawArgumentsContent of an instruction that keeps its tokens without
 * Argument objects (a RUN, CMD, COPY... of the shell form without flags, see
 * ./dockerfileAstParser's `createInstruction`: its getArguments is its raw arguments): the
 * library's answers, from the first argument's start to the last one's end, read from the tokens
 * (a long RUN's dozens of Argument objects are never built when the rules ask only these).
 */
function fromTokens(tokens: Tokens, name: string): unknown {
  const bounds = tokens.bounds;
  if (bounds.length === 0) return null;
  // The library's `positionAt` of the bounds, and for the content `offsetAt` of those positions,
  // answered by a cursor over the document's line table (one binary search, no position built
  // for the content).
  const cursor = new PositionCursor(tokens.document, tokens.text);
  const first = bounds[0];
  const last = bounds[bounds.length - 1];
  if (name === 'getArgumentsRange') {
    cursor.seek(first);
    return { start: cursor.positionAt(first), end: cursor.positionAt(last) };
  }
  return tokens.text.substring(cursor.offsetAt(first), cursor.offsetAt(last));
}

function cachingWrapper(name: string, original: Method, slot: symbol): Method {
  // No parameters: the library's accessors take none (and none reads `arguments`), so a call with
  // arguments answers the same. Reading `arguments` here allocated an arguments object per call
  // in the interpreter and baseline code, where a cold scan runs these.
  //
  // Only the arguments are handed out as a copy of the cached list: dockerfile-ast's own
  // getArguments shifts the flags off the list it gets, its getExpandedArguments writes into it, and
  // a rule may change what it is given. The other lists are read only: getFlags answers the library's
  // own `flags` field (the library hands out that same list on every call), and getArgumentsRanges
  // and getHeredocs are read by getArgumentsContent, computeScript (rules/dockerfile/shared.ts) and
  // the SBOM's heredoc reader, none of which changes them. Copying them was a third of the calls.
  const copies = name === 'getArguments';
  return function (this: object) {
    const self = this as Record<symbol, unknown>;
    if (parsing || self[MEMOIZED] !== true) return original.call(this);
    let value = self[slot];
    if (value === undefined) {
      computing++;
      try {
        if (name === 'getHeredocs') value = heredocsOf(this, original);
        else {
          const tokens = keptTokens(this);
          value = tokens !== undefined && (name === 'getArgumentsRange' || name === 'getRawArgumentsContent') ? fromTokens(tokens, name) : original.call(this);
        }
      } finally {
        computing--;
      }
      // `undefined` is never an accessor's answer (they return null for none), so it marks "not yet".
      if (computing === 0) self[slot] = value;
    }
    return copies ? (value as unknown[]).slice() : value;
  };
}

function installModelCache(): void {
  const slots = new Map(CACHED_ACCESSORS.map((name) => [name, Symbol(`bulkhead.${name}`)]));
  const seen = new Set<object>();
  for (const exported of Object.values(ast)) {
    if (typeof exported !== 'function' || !(exported.prototype instanceof Line || exported === Line)) continue;
    // Every class that defines an accessor itself gets a wrapper (a subclass's override calls
    // super's; only the outermost of those calls caches, see above).
    for (let proto = exported.prototype; proto && proto !== Object.prototype && !seen.has(proto); proto = Object.getPrototypeOf(proto)) {
      seen.add(proto);
      for (const [name, slot] of slots) {
        const original = Object.getOwnPropertyDescriptor(proto, name)?.value;
        if (typeof original === 'function') (proto as unknown as Record<string, unknown>)[name] = cachingWrapper(name, original as Method, slot);
      }
    }
  }
}
installModelCache();

/** Caches the argument accessors of an instruction of the model (see above). */
export function memoizeAccessors(instruction: Instruction): void {
  (instruction as unknown as Record<symbol, boolean>)[MEMOIZED] = true;
}

interface JsonStringArgument {
  getJSONValue(): string;
  getRange(): Range;
}
interface WithDocument {
  readonly document: { getText(): string; offsetAt(position: Range['start']): number };
}

/**
 * The strings of an instruction's JSON (exec) form, `COPY ["my file", "/x"]`, with their ranges; none
 * for the shell form. dockerfile-ast's own `getJSONValue()` drops every blank inside a string (`my file`
 * reads as `myfile`), so each value is read again from the string's text as JSON, as Docker reads it;
 * a string JSON cannot read (one broken by a line continuation) keeps the library's value.
 */
export function jsonFormStrings(instruction: Instruction): { value: string; range: Range }[] | undefined {
  const json = (instruction as unknown as { getJSONStrings?: () => JsonStringArgument[] }).getJSONStrings?.();
  if (!json || json.length === 0) return undefined;
  const document = (instruction as unknown as WithDocument).document;
  const text = document.getText();
  return json.map((j) => {
    const range = j.getRange();
    let value = j.getJSONValue();
    const literal = text.slice(document.offsetAt(range.start), document.offsetAt(range.end));
    if (literal.length >= 2 && literal.charCodeAt(0) === 0x22 && literal.charCodeAt(literal.length - 1) === 0x22) {
      try {
        const parsed: unknown = JSON.parse(literal);
        if (typeof parsed === 'string') value = parsed;
      } catch {
        // Not a JSON string as written (a continuation inside it): the library's reading stands.
      }
    }
    return { value, range };
  });
}
