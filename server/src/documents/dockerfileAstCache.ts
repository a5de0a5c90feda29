/**
 * Bulkhead's patches on dockerfile-ast 0.7.1, installed on the library's prototypes once, when this
 * module loads (so the parser's own constructors profit too), and removed together by
 * `withoutArgumentCache` (the bench's baseline is the library as published). Why patch instead of
 * replacing the parser: issue 16 keeps dockerfile-ast unless it is the floor; with these patches a
 * model build costs about a tenth of the library's bare parse of the same files. Each patch says
 * why at its definition:
 * - here: the tokenisation (`Instruction.getRawArguments`) computed once per instruction by
 *   ./dockerfileAstTokens (one pass, slices) and kept, its Argument objects built on the first
 *   call; `From.getImageRange` copied;
 * - ./dockerfileAstParser: the heredoc look-up without a throw-away instruction, the line scan
 *   and keywords advancing by regex searches (to the next line break or escape, over the blanks
 *   after a continuation, to a keyword's or a comment's end), literal ranges in
 *   `createInstruction` and stage ranges, positions from a line cursor, RUN/CMD/COPY... of the
 *   shell form built from their tokens (no Argument objects), comments given to stages with each
 *   stage's range built once, the line table by `indexOf`, `Util.isUTF8BOM` without a Buffer.
 * - ./dockerfileAstProperties: `Range.create` without its type tests for two positions, property
 *   names and values without escapes returned as written, property arguments kept per instruction.
 *
 * dockerfile-ast re-tokenises an instruction's text on every `getRawArguments()` call, and its own
 * constructors call it several times per instruction (JSONInstruction: getRawArgumentsContent,
 * getArguments, getArgumentsRange, getFlags each start over), so most of a parse is the same
 * tokenisation repeated. The inputs of that tokenisation (document, range, escape character,
 * keyword range) are set by the Line/Instruction constructors and never reassigned, so the result
 * can be kept on the instance. Each caller gets its own copy of the list: the library's
 * ModifiableInstruction.getArguments shifts the flags off the list it is given. The arguments
 * themselves are shared (read-only everywhere but in From, handled below).
 *
 * Identical output (every accessor, values and ranges) is checked by
 * test/documents/dockerfileAstCache.test.ts (every corpus Dockerfile) and
 * test/documents/dockerfileAstHostile.test.ts (the repository's and the tests' Dockerfile texts,
 * thousands of seeded hostile mutations, very long lines).
 */
import { Argument, From, Instruction } from 'dockerfile-ast';
import { parserPatches } from './dockerfileAstParser';
import { propertyPatches } from './dockerfileAstProperties';
import { ARGUMENTS, argumentsOf, instructionTokens, type ParsedDocument, Tokens } from './dockerfileAstTokens';

type Range = NonNullable<ReturnType<From['getImageRange']>>;

type Method = (this: object, ...args: unknown[]) => unknown;
interface Patched {
  readonly owner: Record<string, unknown>;
  readonly name: string;
  readonly original: Method;
  readonly cached: Method;
}

const patched: Patched[] = [];

/** The fields dockerfile-ast's Instruction sets in its constructor and never reassigns. */
interface TokenisedInstruction {
  readonly document: ParsedDocument;
  readonly escapeChar: string;
  getRange(): Range;
  getInstructionRange(): Range;
  [ARGUMENTS]: Argument[] | Tokens | undefined;
}

/**
 * The tokenisation, computed once per instruction by ./dockerfileAstTokens (the library's algorithm
 * without its per-character string building and per-boundary position searches) and kept; its
 * Argument objects are built on the first call (the parser keeps only the tokens of the RUN, CMD,
 * COPY... instructions it builds itself, see ./dockerfileAstParser's `createInstruction`).
 * ModifiableInstruction.getArguments is left alone: getFlags (which the library caches itself)
 * builds its list by calling getArguments while its own list is still empty, so an answer cached at
 * that moment would keep the flags among the arguments.
 */
function tokeniseOnce(): void {
  const proto = Instruction.prototype as unknown as Record<string, unknown>;
  const original = proto.getRawArguments as Method;
  const cached: Method = function (this: object) {
    const self = this as unknown as TokenisedInstruction;
    let value = self[ARGUMENTS];
    if (!Array.isArray(value)) {
      try {
        value = argumentsOf(value ?? instructionTokens(self.document, self.escapeChar, self.getRange(), self.getInstructionRange()));
      } catch {
        // The re-implementation must never take a lint down where the library would not: its
        // answers are proven equal, but on a failure the library's own tokenisation answers.
        value = original.call(this) as Argument[];
      }
      self[ARGUMENTS] = value;
    }
    return value.slice();
  };
  patched.push({ owner: proto, name: 'getRawArguments', original, cached });
}
tokeniseOnce();

/**
 * The one place the library changes an argument it got: From's getImageNameRange and
 * getRegistryRange narrow the image argument's range by assigning its `start`/`end` (positions are
 * replaced, never changed). Handing them a copy of the range keeps the cached argument intact.
 */
function copyImageRange(): void {
  const proto = From.prototype as unknown as Record<string, unknown>;
  const original = proto.getImageRange as Method;
  const copying: Method = function (this: object) {
    const range = original.call(this) as Range | null;
    return range && { start: range.start, end: range.end };
  };
  patched.push({ owner: proto, name: 'getImageRange', original, cached: copying });
}
copyImageRange();

for (const p of [...parserPatches, ...propertyPatches]) {
  patched.push({ owner: p.owner, name: p.name, original: p.owner[p.name] as Method, cached: p.replacement as Method });
}

/** Whether the cache is in place (the module installs it on load). */
let installed = false;

export function installArgumentCache(): void {
  for (const p of patched) p.owner[p.name] = p.cached;
  installed = true;
}

/**
 * Puts dockerfile-ast's own accessors back; for the test that proves the cache changes nothing.
 * Instructions parsed while the cache was in place keep their cached lists.
 */
export function uninstallArgumentCache(): void {
  for (const p of patched) p.owner[p.name] = p.original;
  installed = false;
}

export function argumentCacheInstalled(): boolean {
  return installed;
}

installArgumentCache();

/** Runs `fn` with dockerfile-ast's own accessors: the library as published (the bench's baseline). */
export function withoutArgumentCache<T>(fn: () => T): T {
  uninstallArgumentCache();
  try {
    return fn();
  } finally {
    installArgumentCache();
  }
}
