/**
 * dockerfile-ast re-tokenises an instruction's text on every `getRawArguments()` call, and its own
 * constructors call it several times per instruction (JSONInstruction: getRawArgumentsContent,
 * getArguments, getArgumentsRange, getFlags each start over), so most of a parse is the same
 * tokenisation repeated. The inputs of that tokenisation (document, range, escape character,
 * keyword range) are set by the Line/Instruction constructors and never reassigned, so the result
 * can be kept on the instance. It is installed on the prototypes once, when this module loads, so
 * the parser's own constructors profit too. Each caller gets its own copies, of the list and of
 * each argument with its range: the library changes what it is given (ModifiableInstruction's
 * getArguments shifts the flags off the list; From's getImageNameRange moves the start and end of
 * the image argument's range in place).
 *
 * Identical output is checked by test/documents/dockerfileAstCache.test.ts, which parses every
 * corpus Dockerfile with and without the cache and compares every accessor's answer.
 */
import { Argument, Instruction } from 'dockerfile-ast';
type Range = ReturnType<Argument['getRange']>;

type Method = (this: object, ...args: unknown[]) => unknown;
interface Patched {
  readonly owner: Record<string, unknown>;
  readonly name: string;
  readonly original: Method;
  readonly cached: Method;
}

const patched: Patched[] = [];

/** A fresh Argument with a fresh range, as a new tokenisation would return. */
function copyArgument(a: Argument): Argument {
  const r: Range = a.getRange();
  return new Argument(a.getValue(), { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } });
}

function memoiseArguments(owner: object, name: string): void {
  const proto = owner as Record<string, unknown>;
  const original = proto[name] as Method;
  const slot = Symbol(`bulkhead.${name}`);
  const cached: Method = function (this: object) {
    const self = this as Record<symbol, Argument[] | undefined>;
    let value = self[slot];
    if (value === undefined) {
      value = original.call(this) as Argument[];
      self[slot] = value;
    }
    return value.map(copyArgument);
  };
  patched.push({ owner: proto, name, original, cached });
}

// Only the tokenisation is kept. ModifiableInstruction.getArguments is left alone: getFlags (which
// the library caches itself) builds its list by calling getArguments while its own list is still
// empty, so an answer cached at that moment would keep the flags among the arguments.
memoiseArguments(Instruction.prototype, 'getRawArguments');

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
