/**
 * Patches of dockerfile-ast 0.7.1 around ranges and the properties of ARG, ENV and LABEL, installed
 * (and removed for the bench's baseline) with the others by ./dockerfileAstCache. Each says why at
 * its definition; test/documents/dockerfileAstCache.test.ts and dockerfileAstHostile.test.ts
 * compare every accessor, values and ranges, with the library as published.
 */
import { Range } from 'vscode-languageserver-types';
import { Property } from 'dockerfile-ast/lib/property';
import { PropertyInstruction } from 'dockerfile-ast/lib/propertyInstruction';
import type { PrototypePatch } from './dockerfileAstParser';

type Method = (this: unknown, ...args: never[]) => unknown;

const MAX_UINTEGER = 2147483647;

/** `Position.is` of vscode-languageserver-types for a position with plain number fields. */
function isPlainPosition(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { line, character } = value as { line: unknown; character: unknown };
  return typeof line === 'number' && typeof character === 'number' && line >= 0 && line <= MAX_UINTEGER && character >= 0 && character <= MAX_UINTEGER;
}

const libraryRangeCreate = Range.create as unknown as (...args: unknown[]) => unknown;

/**
 * vscode-languageserver-types' `Range.create`, which dockerfile-ast calls for every argument,
 * flag, property and argument range it builds (about 17,000 times in a scan of the corpus).
 * Why patch: the library first tests whether its arguments are four unsigned integers, then
 * whether the first two are positions, each test through `Object.prototype.toString.call` (seven
 * calls for two positions); it was about 1 % of a scan. Two positions with number fields (all
 * dockerfile-ast passes) get the answer the library gives them, `{ start, end }`, directly: the
 * integer test cannot hold for an object, and the position test holds for exactly these
 * (`typeof` 'number' is what `toString` reports as "[object Number]" for a primitive). Anything
 * else (numbers, Number objects, invalid input that throws) goes to the library's function.
 */
function createRange(one: unknown, two: unknown, three?: unknown, four?: unknown): unknown {
  if (isPlainPosition(one) && isPlainPosition(two)) return { start: one, end: two };
  return libraryRangeCreate(one, two, three, four);
}

const libraryGetValue = (Property as unknown as { getValue(value: string, escapeChar: string): string }).getValue;

/**
 * Property.getValue (static), which reads a property's name and value character by character,
 * building the answer one character at a time, to remove escapes, quotes, line continuations and
 * comment lines. Why patch: most names and values have none of those (`PATH`, `1.2.3`), and each
 * is read once per property. When the text starts with neither a blank, a quote nor the escape
 * character, and holds no escape character and no line break, the library's loop appends every
 * character as it is (its blanks and `#` are copied while no line continuation was seen, and
 * only an escape character starts one), so the answer is the text itself. Anything else goes to
 * the library's function.
 */
function propertyValue(value: string, escapeChar: string): string {
  if (value.length > 0 && escapeChar.length === 1 && value.indexOf(escapeChar) === -1 && value.indexOf('\n') === -1 && value.indexOf('\r') === -1) {
    const first = value.charCodeAt(0);
    // blank, tab, double and single quote
    if (first !== 32 && first !== 9 && first !== 34 && first !== 39) return value;
  }
  return libraryGetValue(value, escapeChar);
}

/** The fields of dockerfile-ast's PropertyInstruction this patch reads. */
interface PropertyArgumentsOwner {
  [slot: symbol]: unknown[] | undefined;
}

const libraryPropertyArguments = (PropertyInstruction.prototype as unknown as { getPropertyArguments(): unknown[] }).getPropertyArguments;
const PROPERTY_ARGUMENTS = Symbol('bulkhead.getPropertyArguments');

/**
 * PropertyInstruction.getPropertyArguments, computed once per instruction and kept (each caller
 * gets its own copy of the list; the arguments are read, never changed, by the library). Why
 * patch: an ARG's constructor reads them, and its getProperties reads them again, a character at
 * a time. Its inputs (the text, ranges and escape character set by the constructor) never change.
 */
function propertyArguments(this: PropertyArgumentsOwner): unknown[] {
  let value = this[PROPERTY_ARGUMENTS];
  if (value === undefined) {
    value = libraryPropertyArguments.call(this);
    this[PROPERTY_ARGUMENTS] = value;
  }
  return value.slice();
}

export const propertyPatches: PrototypePatch[] = [
  { owner: Range as unknown as Record<string, unknown>, name: 'create', replacement: createRange as Method },
  { owner: Property as unknown as Record<string, unknown>, name: 'getValue', replacement: propertyValue as Method },
  { owner: PropertyInstruction.prototype as unknown as Record<string, unknown>, name: 'getPropertyArguments', replacement: propertyArguments as Method },
];
