/**
 * Patches of dockerfile-ast 0.7.1 around ranges and the properties of ARG, ENV and LABEL, installed
 * (and removed for the bench's baseline) with the others by ./dockerfileAstCache. Each says why at
 * its definition; test/documents/dockerfileAstCache.test.ts and dockerfileAstHostile.test.ts
 * compare every accessor, values and ranges, with the library as published.
 */
import { Range } from 'vscode-languageserver-types';
import { Argument } from 'dockerfile-ast';
import { Property } from 'dockerfile-ast/lib/property';
import { PropertyInstruction } from 'dockerfile-ast/lib/propertyInstruction';
import type { PrototypePatch } from './dockerfileAstParser';
import type { ParsedDocument } from './dockerfileAstTokens';

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
 * is read once per property. When the text starts with neither a blank nor the escape character,
 * and holds no escape character and no line break, the library's loop appends every character as
 * it is (its blanks and `#` are copied while no line continuation was seen, and only an escape
 * character starts one; a quote is an ordinary character to it), so the answer is the text itself,
 * less the enclosing quotes when it has them: the library strips the first and last character when
 * both are `'`, or when the first is `"` and the last is an unescaped `"` (with no escape character,
 * any last `"`); a lone quote stays (its `substring(1, 0)` is the quote). Anything else goes to the
 * library's function.
 */
function propertyValue(value: string, escapeChar: string): string {
  if (value.length > 0 && escapeChar.length === 1 && value.indexOf(escapeChar) === -1 && value.indexOf('\n') === -1 && value.indexOf('\r') === -1) {
    const first = value.charCodeAt(0);
    // blank, tab
    if (first === 32 || first === 9) return libraryGetValue(value, escapeChar);
    // double and single quote: enclosing quotes are removed
    if (first === 34 || first === 39) return value.length > 1 && value.charCodeAt(value.length - 1) === first ? value.slice(1, -1) : value;
    return value;
  }
  return libraryGetValue(value, escapeChar);
}

/** The fields of dockerfile-ast's PropertyInstruction this patch reads (set by its constructor, never changed). */
interface PropertyArgumentsOwner {
  readonly document: ParsedDocument;
  readonly escapeChar: string;
  getInstructionRange(): { start: { line: number; character: number }; end: { line: number; character: number } };
  getTextContent(): string;
  [slot: symbol]: unknown[] | undefined;
}

/** Read once: esbuild's interop object reads the library's export through two getters on every access. */
const ArgumentClass = Argument;

/**
 * The library's getPropertyArguments for the common case, or undefined for the library to answer.
 * Its loop reads the text after the keyword a character at a time, for escapes, quotes, `${...}`
 * and continuation lines. Without escapes, line breaks and `${` (and with the first argument on the
 * keyword's line, so no continuation is pending) it only splits the text, from its first to its
 * last non-blank, at blanks outside quotes; the ranges are the library's positions of each piece's
 * ends. Its quotes then: a `'` or `"` (where an argument starts or inside one) runs to the next
 * same quote, blanks included, and the argument goes on after it up to the next blank (the library
 * ends it right after the closing quote when a space follows, and at the blank itself otherwise:
 * the same end); a quote never closed runs to the end of the text.
 */
function plainPropertyArguments(instruction: PropertyArgumentsOwner): unknown[] | undefined {
  const document = instruction.document;
  const escapeChar = instruction.escapeChar;
  const keywordRange = instruction.getInstructionRange();
  const keywordEnd = document.offsetAt(keywordRange.end);
  const fullArgs = instruction.getTextContent().substring(keywordEnd - document.offsetAt(keywordRange.start));
  if (escapeChar.length !== 1 || fullArgs.indexOf(escapeChar) !== -1 || fullArgs.indexOf('\n') !== -1 || fullArgs.indexOf('\r') !== -1) return undefined;
  if (fullArgs.indexOf('${') !== -1) return undefined;
  let first = 0;
  while (first < fullArgs.length && isBlank(fullArgs.charCodeAt(first))) first++;
  const args: unknown[] = [];
  if (first === fullArgs.length) return args;
  const base = keywordEnd + first;
  // A keyword written over a continuation line leaves the library's scan in its escaped state.
  const basePosition = document.positionAt(base);
  const line = basePosition.line;
  if (line !== keywordRange.start.line) return undefined;
  // Every other end is on the same line: the text from `base` on holds no line break, so no line
  // starts after `base`, and the character before each end is one of the arguments' (never a line
  // break the library's positionAt would step back over). Its position is `base`'s moved right.
  const character = basePosition.character;
  let last = fullArgs.length - 1;
  while (isBlank(fullArgs.charCodeAt(last))) last--;
  const content = fullArgs.substring(first, last + 1);
  // The pieces between blanks outside quotes, each end found by a search (a loop over the
  // characters cost more, in the interpreter and baseline code a cold scan runs this in).
  // `content` starts and ends with a non-blank.
  let argStart = 0;
  let from = 0;
  while (argStart < content.length) {
    BLANK_OR_QUOTE.lastIndex = from;
    let argEnd = BLANK_OR_QUOTE.test(content) ? BLANK_OR_QUOTE.lastIndex - 1 : content.length;
    if (argEnd < content.length) {
      const code = content.charCodeAt(argEnd);
      if (code === 34 || code === 39) {
        // double or single quote: the argument runs past the closing one (to the end when none)
        const close = content.indexOf(code === 34 ? '"' : "'", argEnd + 1);
        if (close !== -1) {
          from = close + 1;
          continue;
        }
        argEnd = content.length;
      }
    }
    args.push(
      new ArgumentClass(content.substring(argStart, argEnd), {
        start: { line, character: character + argStart },
        end: { line, character: character + argEnd },
      }),
    );
    if (argEnd === content.length) break;
    NOT_BLANK.lastIndex = argEnd + 1;
    if (!NOT_BLANK.test(content)) break; // (never: content ends with a non-blank)
    argStart = from = NOT_BLANK.lastIndex - 1;
  }
  return args;
}

const BLANK_OR_QUOTE = /[ \t"']/g;
const NOT_BLANK = /[^ \t]/g;

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

const libraryPropertyArguments = (PropertyInstruction.prototype as unknown as { getPropertyArguments(): unknown[] }).getPropertyArguments;
const PROPERTY_ARGUMENTS = Symbol('bulkhead.getPropertyArguments');

/**
 * PropertyInstruction.getPropertyArguments, computed once per instruction and kept (each caller
 * gets its own copy of the list; the arguments are read, never changed, by the library), and
 * read without the library's character loop when the text is plain (`plainPropertyArguments`).
 * Why patch: an ARG's constructor reads them, and its getProperties reads them again, a
 * character at a time; ENV is the second most frequent instruction. Its inputs (the text, ranges
 * and escape character set by the constructor) never change.
 */
function propertyArguments(this: PropertyArgumentsOwner): unknown[] {
  let value = this[PROPERTY_ARGUMENTS];
  if (value === undefined) {
    value = plainPropertyArguments(this) ?? libraryPropertyArguments.call(this);
    this[PROPERTY_ARGUMENTS] = value;
  }
  return value.slice();
}

interface Pos {
  line: number;
  character: number;
}
interface ArgumentLike {
  getValue(): string;
  getRange(): { start: Pos; end: Pos };
}

/** Read once (see ArgumentClass). */
const PropertyClass = Property;

/**
 * An object of the library's Property class with the fields its constructor sets first, in its
 * order (one hidden class for every Property, built here or by the library); the callers set the
 * name, value and ranges.
 */
function blankProperty(document: ParsedDocument, escapeChar: string): Record<string, unknown> {
  const built = Object.create(PropertyClass.prototype) as Record<string, unknown>;
  built.assignmentOperatorRange = null;
  built.assignmentOperator = null;
  built.valueRange = null;
  built.value = null;
  built.document = document;
  built.escapeChar = escapeChar;
  return built;
}

/**
 * `new Property(document, escapeChar, arg)` for an argument on one line whose value is as long as
 * its text (every plain `name=value` of ENV, LABEL and ARG), or undefined for the library to build.
 * The library finds the name's end and the value's start as `positionAt(offsetAt(start) + index)`,
 * and the value's end as `positionAt(offsetAt(end))`: on one line, within the argument, those are
 * the start moved right by `index` (no line break before them to step back over) and the end's line
 * and character. So one `offsetAt` replaces five look-ups and four binary searches. The object has
 * the library's prototype and its fields in the library's order, null where it leaves them null.
 */
function plainProperty(document: ParsedDocument, escapeChar: string, arg: ArgumentLike): object | undefined {
  const argRange = arg.getRange();
  const start = argRange.start;
  const end = argRange.end;
  const value = arg.getValue();
  const line = start.line;
  if (end.line !== line || end.character - start.character !== value.length) return undefined;
  const startOffset = document.offsetAt(start);
  const text = document.getText();
  const built = blankProperty(document, escapeChar);
  // Property.getNameRange: up to the first `=`, unless the name is quoted on one side only.
  const index = value.indexOf('=');
  let named = false;
  if (index !== -1) {
    const initial = value.charAt(0);
    const before = value.charAt(index - 1);
    named = (initial === '"' && before === '"') || (initial === "'" && before === "'") || (initial !== '"' && initial !== "'");
  }
  if (!named) {
    built.nameRange = argRange;
    built.name = propertyValue(text.substring(startOffset, startOffset + value.length), escapeChar);
    built.range = argRange;
    return built;
  }
  const nameEnd = { line, character: start.character + index };
  built.nameRange = { start, end: nameEnd };
  built.name = propertyValue(text.substring(startOffset, startOffset + index), escapeChar);
  // Property.getValueRange: after the `=` to the argument's end.
  const valueStart = { line, character: start.character + index + 1 };
  built.valueRange = { start: valueStart, end: { line, character: end.character } };
  built.value = propertyValue(text.substring(startOffset + index + 1, startOffset + value.length), escapeChar);
  built.assignmentOperatorRange = { start: nameEnd, end: valueStart };
  built.assignmentOperator = '=';
  built.range = argRange;
  return built;
}

function newProperty(document: ParsedDocument, escapeChar: string, arg: ArgumentLike): object {
  return plainProperty(document, escapeChar, arg) ?? new PropertyClass(document as never, escapeChar, arg as never);
}

interface PropertiesOwner extends PropertyArgumentsOwner {
  properties: object[] | undefined;
  getPropertyArguments(): ArgumentLike[];
}

const libraryGetProperties = (PropertyInstruction.prototype as unknown as { getProperties(): object[] }).getProperties;

/**
 * The library's one property of `ENV name value...` (several arguments, no `=` in the first): the
 * first argument is the name, and the value runs from the second argument's start to the last
 * one's end (that argument itself when there are two). Built here when all of them are on one
 * line, or undefined for the library to build. The library reads the name's and the value's text
 * as `substring(offsetAt(start), offsetAt(end))`; every position it is given is one that
 * `positionAt` gives (or the same, computed: plainPropertyArguments), and `offsetAt` of such a
 * position is its line's offset plus its character, so on one line each offset is the first
 * argument's moved right by the difference of characters: one `offsetAt` instead of four. The object
 * has the library's prototype and its fields in the library's order.
 */
function spacedProperty(document: ParsedDocument, escapeChar: string, args: ArgumentLike[]): object | undefined {
  const nameRange = args[0].getRange();
  const start = nameRange.start;
  const valueRange = args.length === 2 ? args[1].getRange() : createRange(args[1].getRange().start, args[args.length - 1].getRange().end);
  const valueEnd = (valueRange as { end: Pos }).end;
  if (valueEnd.line !== start.line) return undefined;
  const valueStart = (valueRange as { start: Pos }).start;
  const startOffset = document.offsetAt(start);
  const text = document.getText();
  const built = blankProperty(document, escapeChar);
  built.nameRange = nameRange;
  built.name = propertyValue(text.substring(startOffset, startOffset + nameRange.end.character - start.character), escapeChar);
  built.valueRange = valueRange;
  built.value = propertyValue(
    text.substring(startOffset + valueStart.character - start.character, startOffset + valueEnd.character - start.character),
    escapeChar,
  );
  built.range = createRange(start, valueEnd);
  return built;
}

/**
 * PropertyInstruction.getProperties with the properties of one argument each (`name=value` pairs,
 * a lone name) built by `plainProperty`, and the one property of `ENV name value` by
 * `spacedProperty`; the other shapes (none, or spread over lines) are the library's. Why patch:
 * each Property's constructor asked the document for four or five offsets and four positions
 * (binary searches over the line table), in code a cold scan runs in the interpreter. The
 * library's own cache field (`properties`) is kept.
 */
function getProperties(this: PropertiesOwner): object[] {
  if (this.properties === undefined) {
    const args = this.getPropertyArguments();
    if (args.length === 1 || (args.length > 1 && args[0].getValue().indexOf('=') !== -1)) {
      const properties: object[] = [];
      for (let i = 0; i < args.length; i++) properties.push(newProperty(this.document, this.escapeChar, args[i]));
      this.properties = properties;
    } else {
      const spaced = args.length > 1 ? spacedProperty(this.document, this.escapeChar, args) : undefined;
      if (spaced === undefined) return libraryGetProperties.call(this);
      this.properties = [spaced];
    }
  }
  return this.properties;
}

export const propertyPatches: PrototypePatch[] = [
  { owner: PropertyInstruction.prototype as unknown as Record<string, unknown>, name: 'getProperties', replacement: getProperties as Method },
  { owner: Range as unknown as Record<string, unknown>, name: 'create', replacement: createRange as Method },
  { owner: Property as unknown as Record<string, unknown>, name: 'getValue', replacement: propertyValue as Method },
  { owner: PropertyInstruction.prototype as unknown as Record<string, unknown>, name: 'getPropertyArguments', replacement: propertyArguments as Method },
];
