/**
 * Renders a parsed Helm template with a chart's values, recording for every piece of output where
 * in the template it came from: literal text maps character by character, the output of an action
 * maps to that action. Anything the renderer does not support throws TemplateError, and the caller
 * skips the file: a wrong rendering would mean wrong findings.
 *
 * Charts are untrusted input (the linter runs on pull requests, and the language server renders
 * every chart of a workspace in the background, in Restricted Mode too), so:
 * - template data is plain data (see data.ts): lookups read own properties of null-prototype maps,
 *   and the only things a template can call are this file's function table and TemplateMethods;
 * - every render has a budget of steps, built characters, regex work and nesting; running over it
 *   throws TemplateBudgetError, which the engine reports once for the template.
 */
import { createHash } from '../../node/createHash';
import { stringify } from 'yaml';
import type { RE2JS } from 're2js';
import {
  ChartFailError,
  Expr,
  Node,
  parseTemplate,
  Parsed,
  Pipeline,
  TemplateBudgetError,
  TemplateError,
  MAX_NESTING,
  UnsupportedFunctionError,
} from './parse';
import {
  attachedMethod,
  childOrigin,
  copyData,
  withData,
  element,
  isMap,
  keysOf,
  MAX_DATA_DEPTH,
  MutationLog,
  newMap,
  Origin,
  originOf,
  ownValue,
  parseYaml,
  printFormOf,
  setOwn,
  TemplateMethod,
  toData,
} from './data';
import { semverCompare, SemverError } from './semver';

export interface Segment {
  /** Offset in the output. */
  out: number;
  text: string;
  /** Template offsets: for literal text `src` is where `text` starts; for generated text, the action. */
  src: number;
  srcEnd: number;
  literal: boolean;
  /** Which template file (for output from `include` of a helper). */
  file: string;
  /** For generated text: the values-file key it prints (a scalar, or a block through `toYaml`). */
  origin?: Origin;
}

export interface RenderResult {
  text: string;
  segments: Segment[];
}

type Value = unknown;

/** Output of one template, and of one `include`/`tpl` capture. */
const MAX_OUTPUT = 4 * 1024 * 1024;
/** Nodes executed, functions called and loop iterations per render; no corpus template needs 1,500. */
const MAX_STEPS = 100_000;
/** Characters of one string a function may build. */
const MAX_VALUE = 4 * 1024 * 1024;
/** Elements of one list. */
const MAX_ITEMS = 100_000;
/**
 * Characters and elements built or scanned by all functions of one render, so no loop of cheap
 * steps can build or scan gigabytes (no corpus template comes near 100,000).
 */
const MAX_BUILT = 16 * 1024 * 1024;
/** `include`/`template`/`tpl` nesting: recursion in a chart's helpers ends here. */
const MAX_DEPTH = 50;
/** Regex work per render, in subject characters times compiled program size (RE2 is linear in both). */
const MAX_REGEX_WORK = 20_000_000;
/** Longest regex pattern compiled, and largest compiled program kept (real patterns compile to a few hundred). */
const MAX_PATTERN = 10_000;
const MAX_PROGRAM = 20_000;
/** Steps charged per action of a `tpl` text: parsing an action costs about as much as ten steps. */
const TPL_ACTION_STEPS = 10;
/**
 * Parsing work per render (`fromYaml`, `fromJson`, ...): one unit per character and PARSE_COST per
 * character that can start a node (newline, `,`, `{`, `[`). The yaml package spends its time per
 * node (about 300 kB/s on a flow mapping of small values, ten times more on the long strings of
 * CRDs), so the units follow the time. kube-prometheus-stack's CRD upgrade job parses its ten CRD
 * files (4.5 MB, 84,000 such characters: 7.2 million units) in one render; a flow mapping stops
 * after about 1.2 MB (about 4 s of parsing).
 */
const PARSE_COST = 32;
const MAX_PARSE_WORK = 10_000_000;
/** Go's fmt refuses widths and precisions above this. */
const MAX_WIDTH = 1_000_000;

type Matcher = ReturnType<RE2JS['matcher']>;

class Break {}
class Continue {}

export interface TemplateSource {
  file: string;
  text: string;
  parsed: Parsed;
  /** Helm's name of the file as a template (`chart/templates/x.yaml`): `include` can call it. */
  name?: string;
}

interface Frame {
  dot: Value;
  vars: Map<string, Value>[];
  file: TemplateSource;
  /** Where `.` came from in a values file, when it is a value read from one. */
  dotOrigin?: Origin;
}

/**
 * Functions whose result is (a rendering of) one of their arguments, by argument position from the
 * end (the piped argument is the last): the result keeps that argument's values-file origin.
 */
const PASS_THROUGH: Record<string, number> = {
  quote: 1,
  squote: 1,
  toString: 1,
  toYaml: 1,
  mustToYaml: 1,
  toJson: 1,
  mustToJson: 1,
  toPrettyJson: 1,
  nindent: 1,
  indent: 1,
  trim: 1,
  int: 1,
  int64: 1,
  float64: 1,
  atoi: 1,
  toBool: 1,
  required: 1,
};

function isEmpty(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === 0n || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return keysOf(v).length === 0;
  return false;
}

/** "rendering needs more than 100000 steps", "rendering has more than 50 nested includes". */
function overBudget(what: string, verb: 'needs' | 'has' = 'needs'): never {
  throw new TemplateBudgetError(`rendering ${verb} more than ${what}`);
}

/** Go's `%v` of a value, refusing to build more than `limit` characters (shared data can be a huge tree). */
function printValue(v: Value, limit = MAX_VALUE): string {
  const parts: string[] = [];
  let length = 0;
  const put = (s: string) => {
    length += s.length;
    if (length > limit) overBudget(`${limit} characters for one value`);
    parts.push(s);
  };
  const walk = (x: Value, depth: number): void => {
    if (depth > MAX_DATA_DEPTH) overBudget(`${MAX_DATA_DEPTH} levels of nested data`);
    if (x === undefined || x === null) {
      if (depth > 0) put('<nil>'); // inside a list or map, as Go prints it
      return;
    }
    const form = typeof x === 'object' ? printFormOf(x) : undefined;
    if (form !== undefined) put(form);
    else if (typeof x === 'string') put(x);
    else if (typeof x === 'number') put(goFloat(x));
    else if (typeof x === 'bigint' || typeof x === 'boolean') put(String(x));
    else if (Array.isArray(x)) {
      put('[');
      x.forEach((e, i) => {
        if (i) put(' ');
        walk(e, depth + 1);
      });
      put(']');
    } else if (isMap(x)) {
      put('map[');
      keysOf(x).forEach((k, i) => {
        put(i ? ` ${k}:` : `${k}:`);
        walk(x[k], depth + 1);
      });
      put(']');
    }
    // A TemplateMethod prints as nothing: it is called where Go would call it.
  };
  walk(v, 0);
  return parts.join('');
}

/**
 * The size of a value once serialized (about one unit per scalar and per character), refusing to
 * count past MAX_VALUE: a map holding the same big map twice, twenty levels deep, is megabytes of
 * YAML built with twenty steps.
 */
function measure(v: Value): number {
  let size = 0;
  const walk = (x: Value, depth: number): void => {
    if (depth > MAX_DATA_DEPTH) overBudget(`${MAX_DATA_DEPTH} levels of nested data`);
    size += typeof x === 'string' ? x.length + 2 : 1;
    if (size > MAX_VALUE) overBudget(`${MAX_VALUE} characters for one value`);
    if (Array.isArray(x)) for (const e of x) walk(e, depth + 1);
    else if (isMap(x)) for (const k of Object.keys(x)) walk(k, depth + 1), walk(x[k], depth + 1);
  };
  walk(v, 0);
  return size;
}

function toYaml(v: Value): string {
  if (v === undefined || v === null) return 'null';
  // As Helm's toYaml (sigs.k8s.io/yaml): keys sorted, sequences not indented under their key.
  return stringify(v, { lineWidth: 0, indent: 2, sortMapEntries: true, indentSeq: false }).replace(/\n$/, '');
}

function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

/** Go's `%v` of a float64: shortest digits, exponent form from 1e+06 on and below 1e-04 (`1e+06`, `1.5e-05`). */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa, exponent] = x.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

/**
 * sprig's toInt64 (spf13/cast): floats truncate, strings parse as Go integer literals (`0x1F`;
 * `3.7` and `08` give 0), booleans are 1 or 0. Values-file numbers are float64 in helm, so
 * `int .Values.port` is how charts get an int.
 */
function toInt(v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt.asIntN(64, BigInt(Math.trunc(v))) : 0n;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v !== 'string') return 0n;
  const t = v.replace(/\.0+$/, ''); // cast trims a zero decimal part
  const m = /^([-+]?)(0[xX][\da-fA-F]{1,16}|0[bB][01]{1,64}|0[oO]?[0-7]{1,22}|[1-9]\d{0,18}|0)$/.exec(t);
  if (!m) return 0n;
  const digits = /^0[0-7]/.test(m[2]) ? `0o${m[2].slice(1)}` : /^0[oO]/.test(m[2]) ? `0o${m[2].slice(2)}` : m[2];
  const n = BigInt(digits);
  return BigInt.asIntN(64, m[1] === '-' ? -n : n);
}

/** sprig's toFloat64 (spf13/cast): strings parse as floats (0 when they do not). */
function toFloat(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  // strconv.ParseFloat: decimal forms only here (Number() also reads hex and binary, ParseFloat does not)
  if (typeof v === 'string' && v !== '' && v.trim() === v && !/^[-+]?0[xXbBoO]/.test(v) && !Number.isNaN(Number(v))) return Number(v);
  return 0;
}

/** Go's reflect kind of template data, as sprig's kindOf names it. */
export function goKind(v: Value): string {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof TemplateMethod) return 'func';
  return isMap(v) && printFormOf(v) !== undefined ? 'struct' : 'map';
}

/** Go's type name of template data, as sprig's typeOf and fmt's `%!d(float64=1.5)` print it. */
export function goType(v: Value): string {
  switch (goKind(v)) {
    case 'invalid':
      return '<nil>';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    default:
      return goKind(v);
  }
}

/** The basic kinds text/template compares: bool, int, float, string; anything else is not basic. */
function basicKind(v: Value): string | undefined {
  const kind = goKind(v);
  return kind === 'bool' || kind === 'int' || kind === 'float64' || kind === 'string' ? kind : undefined;
}

/**
 * text/template's `eq`: values of different basic kinds cannot be compared (`eq .Values.port 80`
 * fails in helm: values are float64, 80 is an int); nil equals only nil.
 */
function goEqual(a: Value, b: Value): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  const nilA = a === null || a === undefined;
  const nilB = b === null || b === undefined;
  if (ka !== kb) {
    if (!nilA && !nilB) throw new TemplateError('incompatible types for comparison');
    return nilA === nilB;
  }
  if (ka) return a === b;
  if (nilA || nilB) return nilA === nilB;
  return a === b; // maps and lists: the same one (Go refuses most of these)
}

/** text/template's `lt`: both basic and of one kind (no bools, no nil). */
function goLess(a: Value, b: Value): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (!ka || !kb || ka === 'bool' || kb === 'bool') throw new TemplateError('invalid type for comparison');
  if (ka !== kb) throw new TemplateError('incompatible types for comparison');
  return (a as number | bigint | string) < (b as number | bigint | string);
}

/** Go's fmt padding: `-` pads on the right, `0` with zeros after the sign, else spaces on the left. */
/** What Go's unicode.IsPrint accepts: letters, marks, numbers, punctuation and symbols (and the ASCII space). */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const GO_NAMED_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/**
 * Go's strconv.Quote (sprig's `quote`, printf's `%q`): printable characters as they are, `\a`…`\v` by
 * name, other control bytes as `\xHH`, other non-printable characters (non-ASCII spaces, format
 * characters like U+200B or U+FEFF) as `\uHHHH`/`\UHHHHHHHH`. JSON.stringify, used before, wrote
 * `\u0007` for BEL and left U+00A0 or U+2028 raw. A lone surrogate (not UTF-8 in Go) is written as
 * the bytes Go would see for it in WTF-8.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      out += c === 0x22 || c === 0x5c ? `\\${s[i]}` : s[i];
      i++;
      continue;
    }
    const code = s.codePointAt(i) as number;
    const ch = String.fromCodePoint(code);
    i += ch.length;
    if (code < 0x20 || code === 0x7f) out += GO_NAMED_ESCAPES[code] ?? `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff)
      out += `\\x${(0xe0 | (code >> 12)).toString(16)}\\x${(0x80 | ((code >> 6) & 0x3f)).toString(16)}\\x${(0x80 | (code & 0x3f)).toString(16)}`;
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

function pad(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s + ' '.repeat(width - s.length);
  if (flags.includes('0')) {
    const sign = /^[-+]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(width - s.length) + s.slice(sign.length);
  }
  return ' '.repeat(width - s.length) + s;
}

/**
 * re2js, loaded on the first regex a template compiles: it is a seventh of the CLI bundle and its
 * module body builds Unicode tables, which every start paid though few charts use regexMatch & co.
 */
let re2jsClass: typeof RE2JS | undefined;
function re2js(): typeof RE2JS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  re2jsClass ??= (require('re2js') as typeof import('re2js')).RE2JS;
  return re2jsClass;
}

/** Compiled user regexes by pattern (RE2 syntax, as Go's regexp; matching is linear). */
const regexCache = new Map<string, RE2JS>();

/** Parsed templates by text: every template of a chart is parsed for its helpers on each render. */
const parseCache = new Map<string, Parsed>();

function parseCached(text: string): Parsed {
  let parsed = parseCache.get(text);
  if (!parsed) {
    parsed = parseTemplate(text);
    if (parseCache.size > 4000) parseCache.clear();
    parseCache.set(text, parsed);
  }
  return parsed;
}

export class Renderer {
  private segments: Segment[] = [];
  private length = 0;
  // The budget of the current render (a renderer renders one template at a time, synchronously).
  private depth = 0;
  private nesting = 0;
  private steps = 0;
  private built = 0;
  private regexWork = 0;
  private parseWork = 0;
  /** `tpl` texts parsed during this render. */
  private tplParsed = new Map<string, Parsed>();
  /** The values-file origin of the value the last operand, command or pipeline produced. */
  private lastOrigin: Origin | undefined;
  /** Origins of variables, per scope. */
  private varOrigins = new WeakMap<Map<string, Value>, Map<string, Origin>>();
  /** The origin of the data passed to the `include` being called. */
  private includeOrigin: Origin | undefined;
  /** The origin of the one value the last `include` printed, if that is all it printed. */
  private capturedOrigin: Origin | undefined;
  /** Origins of the arguments of the function being called (for `set`, `merge`). */
  private argOrigins: (Origin | undefined)[] = [];
  /** Maps changed in place by this render (`set`, `merge`...): put back when it ends. */
  private mutations = new MutationLog();

  constructor(
    private readonly sources: Map<string, TemplateSource>,
    private readonly defines: Map<string, { nodes: Node[]; file: TemplateSource }>,
  ) {}

  /** The same chart with one file's text replaced (the editor's unsaved text). */
  withFile(file: string, text: string): { renderer: Renderer; error?: TemplateError } {
    const existing = this.sources.get(file);
    if (existing && existing.text === text) return { renderer: this };
    const sources = new Map(this.sources);
    const defines = new Map(this.defines);
    if (existing) for (const name of existing.parsed.defines.keys()) defines.delete(name);
    if (existing?.name) defines.delete(existing.name);
    try {
      const parsed = parseCached(text);
      const src: TemplateSource = { file, text, parsed, ...(existing?.name ? { name: existing.name } : {}) };
      sources.set(file, src);
      if (src.name) defines.set(src.name, { nodes: parsed.nodes, file: src });
      for (const [name, nodes] of parsed.defines) defines.set(name, { nodes, file: src });
      return { renderer: new Renderer(sources, defines) };
    } catch (err) {
      sources.delete(file);
      const error = err instanceof TemplateError ? err : new TemplateError((err as Error).message);
      return { renderer: new Renderer(sources, defines), error };
    }
  }

  /**
   * A renderer for the templates of a chart tree. Later files' definitions win (helm parses the
   * deepest subcharts first, so a parent's helpers override its subcharts'); a file with a `name`
   * can itself be included by that name.
   */
  static forChart(files: { file: string; text: string; name?: string }[]): { renderer: Renderer; errors: string[] } {
    const sources = new Map<string, TemplateSource>();
    const defines = new Map<string, { nodes: Node[]; file: TemplateSource }>();
    const errors: string[] = [];
    for (const f of files) {
      try {
        const parsed = parseCached(f.text);
        const src: TemplateSource = { file: f.file, text: f.text, parsed, ...(f.name ? { name: f.name } : {}) };
        sources.set(f.file, src);
        if (f.name && !defines.has(f.name)) defines.set(f.name, { nodes: parsed.nodes, file: src });
        for (const [name, nodes] of parsed.defines) defines.set(name, { nodes, file: src });
      } catch (err) {
        errors.push(`${f.file}: ${(err as Error).message}`);
      }
    }
    return { renderer: new Renderer(sources, defines), errors };
  }

  /** Renders `file` with `root` as `.` (template data: see data.ts). */
  render(file: string, root: Value): RenderResult {
    const src = this.sources.get(file);
    if (!src) throw new TemplateError('template did not parse');
    this.segments = [];
    this.length = 0;
    this.depth = 0;
    this.nesting = 0;
    this.steps = 0;
    this.built = 0;
    this.regexWork = 0;
    this.parseWork = 0;
    this.tplParsed = new Map();
    try {
      this.run(src.parsed.nodes, { dot: root, vars: [new Map([['', root]])], file: src });
    } catch (err) {
      // The nesting limits keep well inside the stack; this is the last line of defence.
      if (err instanceof RangeError && /call stack/i.test(err.message)) throw new TemplateBudgetError('rendering nests too deep');
      if (err instanceof Break || err instanceof Continue) throw new TemplateError('break or continue outside range');
      throw err;
    } finally {
      this.tplParsed = new Map(); // up to the build budget of text: not kept between renders
      this.mutations.undo();
    }
    return { text: this.segments.map((s) => s.text).join(''), segments: this.segments };
  }

  // ---- budget ----------------------------------------------------------------------------------

  private step(): void {
    if (++this.steps > MAX_STEPS) overBudget(`${MAX_STEPS} steps`);
  }

  /** Refuses to build a string or list of `size` before building it. */
  private fits(size: number, max = MAX_VALUE): void {
    if (!(size <= max)) overBudget(`${max} characters or elements for one value`);
    if (this.built + size > MAX_BUILT) overBudget(`${MAX_BUILT} characters built or scanned`);
  }

  /** Counts what a function built against the render's total. */
  private account(v: Value): Value {
    const size = typeof v === 'string' || Array.isArray(v) ? v.length : isMap(v) ? keysOf(v).length : 0;
    this.fits(size, Array.isArray(v) ? MAX_ITEMS : MAX_VALUE);
    this.built += size;
    return v;
  }

  /** Charges parsing `text` against the render's parse budget, before parsing it. */
  private parsing(text: string): void {
    let nodes = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 44 || c === 123 || c === 91) nodes++; // \n , { [
    }
    this.parseWork += text.length + nodes * PARSE_COST;
    if (this.parseWork > MAX_PARSE_WORK) overBudget(`${MAX_PARSE_WORK} units of parsing work`);
  }

  private charge(size: number): void {
    this.fits(size);
    this.built += size;
  }

  private str(v: Value): string {
    return typeof v === 'string' ? v : (this.account(printValue(v)) as string);
  }

  /** Joins strings after checking the result fits. */
  private joined(parts: string[], sep: string): string {
    this.fits(parts.reduce((n, p) => n + p.length, 0) + sep.length * Math.max(0, parts.length - 1));
    return parts.join(sep);
  }

  private regex(pattern: string, subject: string): RE2JS {
    if (pattern.length > MAX_PATTERN) overBudget(`a regex of ${MAX_PATTERN} characters`, 'has');
    let re = regexCache.get(pattern);
    if (!re) {
      try {
        re = re2js().compile(pattern);
      } catch (err) {
        throw new TemplateError(`bad regex: ${(err as Error).message}`);
      }
      // Counted repeats make a short pattern a big program (`a{1000}` is 1,000 instructions):
      // compiling costs about as much per instruction as matching a hundred characters.
      this.regexWork += re.programSize() * 100;
      if (re.programSize() > MAX_PROGRAM) overBudget(`a regex program of ${MAX_PROGRAM} instructions`, 'has');
      if (this.regexWork > MAX_REGEX_WORK) overBudget(`${MAX_REGEX_WORK} units of regex work`);
      if (regexCache.size > 1000) regexCache.clear();
      regexCache.set(pattern, re);
    }
    this.regexWork += (subject.length + 1) * re.programSize();
    if (this.regexWork > MAX_REGEX_WORK) overBudget(`${MAX_REGEX_WORK} units of regex work`);
    return re;
  }

  /** Go's Regexp.ReplaceAllString(Func): a match of the empty string right after a match is not replaced. */
  private regexReplace(pattern: string, subject: string, replacement: (m: Matcher, named: Record<string, number>) => string): string {
    const re = this.regex(pattern, subject);
    const named = re.namedGroups();
    const m = re.matcher(subject);
    const parts: string[] = [];
    let size = 0;
    const put = (s: string) => {
      size += s.length;
      this.fits(size);
      parts.push(s);
    };
    let lastEnd = 0;
    let pos = 0;
    while (pos <= subject.length && m.find(pos)) {
      this.step();
      const start = m.start();
      const end = m.end();
      put(subject.slice(lastEnd, start));
      if (end > lastEnd || start === 0) put(replacement(m, named));
      lastEnd = end;
      const width = /[\uD800-\uDBFF]/.test(subject[pos] ?? '') ? 2 : 1;
      pos = pos + width > end ? pos + width : end;
    }
    put(subject.slice(lastEnd));
    return parts.join('');
  }

  // ---- execution -------------------------------------------------------------------------------

  private emit(text: string, src: number, srcEnd: number, literal: boolean, file: string, origin?: Origin): void {
    if (!text) return;
    this.length += text.length;
    if (this.length > MAX_OUTPUT) overBudget(`${MAX_OUTPUT} characters of output`);
    this.fits(text.length);
    this.built += text.length;
    this.segments.push({ out: this.length - text.length, text, src, srcEnd, literal, file, ...(origin ? { origin } : {}) });
  }

  private run(nodes: Node[], f: Frame): void {
    this.deeper(() => {
      for (const n of nodes) this.node(n, f);
    });
  }

  /** Blocks, includes and parenthesized pipelines share one nesting limit, well inside the JS stack. */
  private deeper<T>(body: () => T): T {
    if (++this.nesting > MAX_NESTING) overBudget(`${MAX_NESTING} levels of nesting`, 'has');
    try {
      return body();
    } finally {
      this.nesting--;
    }
  }

  private node(n: Node, f: Frame): void {
    try {
      this.nodeBody(n, f);
    } catch (err) {
      locate(err, f, n.start, n.end);
      throw err;
    }
  }

  private nodeBody(n: Node, f: Frame): void {
    this.step();
    switch (n.t) {
      case 'text':
        this.emit(f.file.text.slice(n.start, n.end), n.start, n.end, true, f.file.file);
        break;
      case 'action': {
        const v = this.pipeline(n.pipe, f);
        if (!n.pipe.decl.length) this.emit(this.str(v), n.start, n.end, false, f.file.file, this.lastOrigin);
        break;
      }
      case 'if': {
        for (const b of n.branches) {
          if (b.cond === null || !isEmpty(this.pipeline(b.cond, f))) {
            this.scoped(f, () => this.run(b.body, f));
            break;
          }
        }
        break;
      }
      case 'with': {
        const v = this.pipeline(n.pipe, f);
        if (!isEmpty(v)) this.run(n.body, { ...f, dot: v, dotOrigin: this.lastOrigin, vars: [...f.vars, new Map()] });
        else this.scoped(f, () => this.run(n.alt, f));
        break;
      }
      case 'range':
        this.range(n, f);
        break;
      case 'template': {
        const def = this.defines.get(n.name);
        if (!def) throw new TemplateError(`no template "${n.name}"`);
        const dot = n.pipe ? this.pipeline(n.pipe, f) : undefined;
        const dotOrigin = n.pipe ? this.lastOrigin : undefined;
        this.nested(() => this.run(def.nodes, { dot, dotOrigin, vars: [new Map([['', dot]])], file: def.file }));
        break;
      }
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
    }
  }

  private scoped(f: Frame, body: () => void): void {
    f.vars.push(new Map());
    try {
      body();
    } finally {
      f.vars.pop();
    }
  }

  private nested(body: () => void): void {
    if (++this.depth > MAX_DEPTH) overBudget(`${MAX_DEPTH} nested includes`, 'has');
    try {
      body();
    } finally {
      this.depth--;
    }
  }

  private range(n: Extract<Node, { t: 'range' }>, f: Frame): void {
    const decl = n.pipe.decl;
    const v = this.pipeline({ ...n.pipe, decl: [] }, f);
    const rangeOrigin = this.lastOrigin;
    // Entries are produced lazily: `range 100000000` spends the step budget, not memory.
    let count = 0;
    let entry: (i: number) => [Value, Value] = () => [undefined, undefined];
    if (Array.isArray(v)) {
      count = v.length;
      entry = (i) => [BigInt(i), v[i]]; // the index is a Go int
    } else if (typeof v === 'number' || typeof v === 'bigint') {
      throw new TemplateError(`range can't iterate over ${printValue(v)}`); // helm's Go (1.23) cannot
    } else if (isMap(v)) {
      const keys = keysOf(v);
      count = keys.length;
      entry = (i) => [keys[i], v[keys[i]]];
    }
    if (!count) {
      this.scoped(f, () => this.run(n.alt, f));
      return;
    }
    for (let i = 0; i < count; i++) {
      this.step();
      const [key, value] = entry(i);
      const scope = new Map<string, Value>();
      const valueOrigin = withData(childOrigin(v, typeof key === 'bigint' ? Number(key) : (key as string), rangeOrigin), value);
      if (decl.length) this.setVar(scope, decl[decl.length - 1].slice(1), value, valueOrigin);
      if (decl.length === 2) scope.set(decl[0].slice(1), key);
      try {
        this.run(n.body, { ...f, dot: value, dotOrigin: valueOrigin, vars: [...f.vars, scope] });
      } catch (e) {
        if (e instanceof Break) break;
        if (e instanceof Continue) continue;
        throw e;
      }
    }
  }

  /** A variable's value; its origin goes to lastOrigin. */
  private lookupVar(name: string, f: Frame): Value {
    for (let i = f.vars.length - 1; i >= 0; i--) {
      if (f.vars[i].has(name)) {
        const v = f.vars[i].get(name);
        this.lastOrigin = this.varOrigins.get(f.vars[i])?.get(name) ?? withData(originOf(v), v);
        return v;
      }
    }
    if (name === '') {
      this.lastOrigin = undefined;
      return f.vars[0].get('');
    }
    throw new TemplateError(`undefined variable $${name}`);
  }

  private setVar(scope: Map<string, Value>, name: string, value: Value, origin: Origin | undefined): void {
    scope.set(name, value);
    let origins = this.varOrigins.get(scope);
    if (!origin) {
      origins?.delete(name);
      return;
    }
    if (!origins) this.varOrigins.set(scope, (origins = new Map()));
    origins.set(name, origin);
  }

  private pipeline(p: Pipeline, f: Frame): Value {
    let last: Value = undefined;
    let first = true;
    for (const cmd of p.cmds) {
      last = this.command(cmd.args, f, first ? [] : [last], first ? [] : [this.lastOrigin]);
      first = false;
    }
    const origin = this.lastOrigin;
    if (p.decl.length) {
      const name = p.decl[p.decl.length - 1].slice(1);
      if (p.assign) {
        for (let i = f.vars.length - 1; i >= 0; i--) {
          if (f.vars[i].has(name)) {
            this.setVar(f.vars[i], name, last, origin);
            this.lastOrigin = origin;
            return last;
          }
        }
        throw new TemplateError(`undefined variable $${name}`);
      }
      this.setVar(f.vars[f.vars.length - 1], name, last, origin);
    }
    this.lastOrigin = origin;
    return last;
  }

  private invoke(method: TemplateMethod, args: Value[]): Value {
    this.step();
    return this.account(TemplateMethod.invoke(method, args));
  }

  /**
   * Follows `.a.b.c` from `base`: only own keys of maps. A method met on the way is called without
   * arguments, as Go calls a niladic method; the last one is returned uncalled for the caller.
   */
  private field(base: Value, path: string[], baseOrigin?: Origin): Value {
    let v = base;
    let origin = baseOrigin ?? withData(originOf(base), base);
    for (const key of path) {
      if (v instanceof TemplateMethod) (v = this.invoke(v, [])), (origin = undefined);
      if (v === undefined || v === null) {
        this.lastOrigin = undefined;
        return undefined;
      }
      if (Array.isArray(v) && attachedMethod(v, key)) {
        // `.Capabilities.APIVersions.Has`: a list with a method, as helm's VersionSet.
        v = attachedMethod(v, key);
        origin = undefined;
        continue;
      }
      if (!isMap(v)) throw new TemplateError(`can't evaluate field ${key} in a ${Array.isArray(v) ? 'list' : typeof v}`);
      origin = childOrigin(v, key, origin);
      v = Object.hasOwn(v, key) ? v[key] : attachedMethod(v, key);
    }
    this.lastOrigin = withData(originOf(v) ?? origin, v);
    return v;
  }

  /** An operand, where a method it names is not called yet (the command may pass it arguments). */
  private operand(e: Expr, f: Frame): Value {
    switch (e.k) {
      case 'field':
        return this.field(f.dot, e.path, f.dotOrigin);
      case 'var': {
        const v = this.lookupVar(e.name, f);
        return this.field(v, e.path, this.lastOrigin);
      }
      case 'num':
        this.lastOrigin = undefined;
        return e.int && Number.isSafeInteger(e.v) ? BigInt(e.v) : e.v;
      case 'str':
      case 'bool':
        this.lastOrigin = undefined;
        return e.v;
      case 'nil':
        this.lastOrigin = undefined;
        return null;
      case 'pipe': {
        const v = this.deeper(() => this.pipeline(e.pipe, f));
        return this.field(v, e.path, this.lastOrigin);
      }
      case 'ident':
        return this.callTracked(e.name, [], []);
    }
  }

  /** An operand's value: a method named without arguments is called, as in Go. */
  private expr(e: Expr, f: Frame): Value {
    const v = this.operand(e, f);
    if (!(v instanceof TemplateMethod)) return v;
    this.lastOrigin = undefined;
    return this.invoke(v, []);
  }

  private command(args: Expr[], f: Frame, piped: Value[], pipedOrigins: (Origin | undefined)[]): Value {
    const head = args[0];
    if (head.k === 'ident') {
      // Lazy and/or: Go evaluates all, but errors are rare; keep it simple and eager.
      const values: Value[] = [];
      const origins: (Origin | undefined)[] = [];
      for (const a of args.slice(1)) {
        values.push(this.expr(a, f));
        origins.push(this.lastOrigin);
      }
      try {
        return this.callTracked(head.name, [...values, ...piped], [...origins, ...pipedOrigins]);
      } catch (err) {
        if (head.start !== undefined && head.end !== undefined) locate(err, f, head.start, head.end);
        throw err;
      }
    }
    const target = this.operand(head, f);
    // Only the renderer's own methods are callable (`.Capabilities.APIVersions.Has "x"`); template
    // data never holds anything else that could be called.
    if (target instanceof TemplateMethod) {
      const result = this.invoke(target, [...args.slice(1).map((a) => this.expr(a, f)), ...piped]);
      this.lastOrigin = undefined;
      return result;
    }
    if (args.length > 1 || piped.length) throw new TemplateError(`can't give arguments to a non-function`);
    return target;
  }

  /** Calls a function and works out the origin of its result (see PASS_THROUGH). */
  private callTracked(name: string, a: Value[], origins: (Origin | undefined)[]): Value {
    this.includeOrigin = name === 'include' ? origins[1] : undefined;
    this.capturedOrigin = undefined;
    this.argOrigins = origins;
    const result = this.call(name, a);
    let origin: Origin | undefined;
    if (name === 'include') origin = this.capturedOrigin;
    else if (Object.hasOwn(PASS_THROUGH, name)) origin = origins[a.length - PASS_THROUGH[name]];
    else if (name === 'default') origin = a.length < 2 || isEmpty(a[1]) ? origins[0] : origins[1];
    else if (name === 'coalesce') origin = origins[a.findIndex((v) => !isEmpty(v))];
    else if (name === 'ternary') origin = isEmpty(a[2]) ? origins[1] : origins[0];
    else if (name === 'index' && a.length > 0) {
      origin = origins[0];
      let container = a[0];
      for (const k of a.slice(1)) {
        const key = typeof k === 'number' || typeof k === 'bigint' ? Number(k) : String(k);
        origin = childOrigin(container, key, origin);
        container = isMap(container) ? ownValue(container, String(key)) : Array.isArray(container) ? element(container, Number(key)) : undefined;
      }
    } else if (name === 'get' && a.length > 1) origin = childOrigin(a[0], String(a[1]), origins[0]);
    this.lastOrigin = originOf(result) ? withData(originOf(result), result) : origin;
    return result;
  }

  private call(name: string, a: Value[]): Value {
    this.step();
    // Functions scan their string and list arguments: `contains "x" $fourMegabytes` in a loop is work.
    for (const v of a) if (typeof v === 'string' || Array.isArray(v)) this.built += v.length;
    if (this.built > MAX_BUILT) overBudget(`${MAX_BUILT} characters built or scanned`);
    return this.account(this.builtin(name, a));
  }

  /**
   * The function table: a switch over names, so no name from a template can reach anything else.
   * No function changes a map or list in place (a chart's templates share its values).
   */
  private builtin(name: string, a: Value[]): Value {
    const str = (v: Value) => this.str(v);
    switch (name) {
      case 'include': {
        const def = this.defines.get(str(a[0]));
        if (!def) throw new TemplateError(`no template "${str(a[0])}"`);
        const dotOrigin = this.includeOrigin;
        return this.captured(() => this.run(def.nodes, { dot: a[1], dotOrigin, vars: [new Map([['', a[1]]])], file: def.file }));
      }
      case 'tpl': {
        // Template text from values: parsed under the parser's nesting limit, run under this render's budget.
        const text = str(a[0]);
        if (!text.includes('{{')) return text;
        let parsed = this.tplParsed.get(text);
        if (!parsed) {
          // Parsing an action costs about ten steps: charge them first, so no loop can make the
          // renderer parse megabytes of actions over and over.
          this.charge(text.length);
          for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 2)) this.steps += TPL_ACTION_STEPS;
          this.step();
          parsed = parseTemplate(text);
          this.tplParsed.set(text, parsed);
        }
        const src = { file: '', text, parsed };
        return this.captured(() => this.run(parsed.nodes, { dot: a[1], vars: [new Map([['', a[1]]])], file: src }));
      }
      case 'toYaml':
        this.fits(measure(a[0]));
        return toYaml(a[0]);
      case 'toJson':
      case 'mustToJson':
        this.fits(measure(a[0]) * 2);
        return goJson(a[0], '', true);
      case 'toPrettyJson':
      case 'mustToPrettyJson':
        this.fits(measure(a[0]) * 4);
        return goJson(a[0], '  ', true);
      case 'toRawJson':
      case 'mustToRawJson':
        this.fits(measure(a[0]) * 2);
        return goJson(a[0], '', false);
      case 'fromYaml': {
        // Parsing YAML costs far more per node than scanning it: charged as parsing work.
        const text = str(a[0]);
        this.parsing(text);
        try {
          return parseYaml(text, 'error', (n) => this.charge(n)) ?? newMap();
        } catch (err) {
          if (err instanceof TemplateError) throw err;
          const out = newMap();
          setOwn(out, 'Error', 'invalid YAML');
          return out;
        }
      }
      case 'fromYamlArray':
      case 'fromJsonArray': {
        // Helm: a list, or a one-element list holding the error message.
        const text = str(a[0]);
        this.parsing(text);
        try {
          const v = name === 'fromYamlArray' ? parseYaml(text, 'error', (n) => this.charge(n)) : toData(JSON.parse(text), (n) => this.charge(n));
          if (Array.isArray(v)) return v;
          return [`error unmarshaling ${name === 'fromYamlArray' ? 'YAML' : 'JSON'}: not a list`];
        } catch (err) {
          if (err instanceof TemplateError) throw err;
          return [`error unmarshaling ${name === 'fromYamlArray' ? 'YAML' : 'JSON'}`];
        }
      }
      case 'fromJson':
        this.parsing(str(a[0]));
        try {
          return toData(JSON.parse(str(a[0])), (n) => this.charge(n));
        } catch (err) {
          if (err instanceof TemplateError) throw err;
          return newMap();
        }
      case 'index': {
        let v = a[0];
        for (const k of a.slice(1)) {
          if (v === undefined || v === null) return undefined;
          const n = typeof k === 'bigint' ? Number(k) : k;
          if (Array.isArray(v) && typeof n === 'number') v = element(v, n);
          else if (isMap(v)) v = ownValue(v, str(k));
          else if (typeof v === 'string' && typeof n === 'number') {
            const bytes = Buffer.from(v); // Go indexes a string's UTF-8 bytes
            v = Number.isInteger(n) && n >= 0 && n < bytes.length ? BigInt(bytes[n]) : undefined;
          } else throw new TemplateError(`can't index a ${typeof v} with ${typeof k}`);
        }
        return v;
      }
      case 'dig': {
        // dig "a" "b" default dict
        const fallback = a[a.length - 2];
        let v: Value = a[a.length - 1];
        for (const k of a.slice(0, -2)) {
          if (!isMap(v)) return fallback;
          v = ownValue(v, str(k));
        }
        return v === undefined ? fallback : v;
      }
      case 'pluck': {
        const key = str(a[0]);
        return a.slice(1).flatMap((m) => (isMap(m) && Object.hasOwn(m, key) ? [m[key]] : []));
      }
      case 'tuple':
        return [...a];
      case 'append':
      case 'mustAppend':
        return [...(Array.isArray(a[0]) ? a[0] : []), a[1]];
      case 'prepend':
        return [a[1], ...(Array.isArray(a[0]) ? a[0] : [])];
      case 'concat':
        this.fits(
          a.reduce<number>((n, x) => n + (Array.isArray(x) ? x.length : 0), 0),
          MAX_ITEMS,
        );
        return a.flatMap((x) => (Array.isArray(x) ? x : []));
      case 'compact':
        return Array.isArray(a[0]) ? a[0].filter((x) => !isEmpty(x)) : [];
      case 'without':
        return Array.isArray(a[0]) ? a[0].filter((x) => !a.slice(1).includes(x)) : [];
      case 'omit':
      case 'pick': {
        const keys = new Set(a.slice(1).map(str));
        const out = newMap();
        if (isMap(a[0])) for (const [k, v] of Object.entries(a[0])) if (keys.has(k) === (name === 'pick')) setOwn(out, k, v);
        return out;
      }
      case 'split': {
        const out = newMap();
        this.splitString(str(a[1]), str(a[0])).forEach((part, i) => setOwn(out, `_${i}`, part));
        return out;
      }
      case 'substr': {
        const s2 = str(a[2]);
        return s2.slice(toNumber(a[0]), toNumber(a[1]) < 0 ? undefined : toNumber(a[1]));
      }
      case 'repeat': {
        const s = str(a[1]);
        const n = Math.max(0, Math.floor(toNumber(a[0])));
        this.fits(s.length * n);
        return s.repeat(n);
      }
      case 'cat':
        return this.joined(a.filter((v) => v !== undefined && v !== null).map(str), ' ');
      case 'nospace':
        return str(a[0]).replace(/\s+/g, '');
      case 'trimAll':
        return trimChars(str(a[1]), str(a[0]));
      case 'kebabcase':
        return str(a[0])
          .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
          .replace(/[_\s]+/g, '-')
          .toLowerCase();
      case 'snakecase':
        return str(a[0])
          .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
          .replace(/[-\s]+/g, '_')
          .toLowerCase();
      case 'until': {
        const n = Math.max(0, Number(toInt(a[0])));
        this.fits(n, MAX_ITEMS);
        return Array.from({ length: n }, (_, i) => BigInt(i));
      }
      case 'toStrings':
        return Array.isArray(a[0]) ? a[0].map(str) : [];
      case 'regexMatch':
      case 'mustRegexMatch': {
        const s = str(a[1]);
        return this.regex(str(a[0]), s).test(s);
      }
      case 'regexFind':
      case 'mustRegexFind': {
        const s = str(a[1]);
        const m = this.regex(str(a[0]), s).matcher(s);
        return m.find() ? (m.group() ?? '') : '';
      }
      case 'regexReplaceAll':
      case 'mustRegexReplaceAll': {
        const template = str(a[2]);
        return this.regexReplace(str(a[0]), str(a[1]), (m, named) => expandGo(template, m, named));
      }
      case 'regexReplaceAllLiteral':
      case 'mustRegexReplaceAllLiteral': {
        const literal = str(a[2]);
        return this.regexReplace(str(a[0]), str(a[1]), () => literal);
      }
      case 'nindent':
      case 'indent': {
        const n = Math.max(0, Math.floor(toNumber(a[0])));
        const lines = str(a[1]).split('\n');
        const prefix = name === 'nindent' ? '\n' : '';
        this.fits(n * lines.length);
        return (
          prefix +
          this.joined(
            lines.map((l) => ' '.repeat(n) + l),
            '\n',
          )
        );
      }
      case 'default':
        return a.length < 2 || isEmpty(a[1]) ? a[0] : a[1];
      case 'required':
        if (a[1] === undefined || a[1] === null || a[1] === '') throw new ChartFailError(`required: ${str(a[0])}`);
        return a[1];
      case 'fail':
        throw new ChartFailError(`fail: ${str(a[0])}`);
      // sprig skips nil arguments: `{{ .Values.missing | quote }}` prints nothing, not "".
      case 'quote':
        return this.joined(
          a.filter((v) => v !== undefined && v !== null).map((v) => goQuote(str(v))),
          ' ',
        );
      case 'squote':
        return this.joined(
          a.filter((v) => v !== undefined && v !== null).map((v) => `'${str(v)}'`),
          ' ',
        );
      case 'print':
        // fmt.Sprint: a space between two operands when neither is a string
        return this.joined(
          a.map((v, i) => (i > 0 && typeof v !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + str(v)),
          '',
        );
      case 'println':
        return `${this.joined(a.map(str), ' ')}\n`;
      case 'printf':
        return this.sprintf(str(a[0]), a.slice(1));
      case 'trim':
        return str(a[0]).trim();
      case 'trimSuffix':
        return str(a[1]).endsWith(str(a[0])) ? str(a[1]).slice(0, -str(a[0]).length || undefined) : str(a[1]);
      case 'trimPrefix':
        return str(a[1]).startsWith(str(a[0])) ? str(a[1]).slice(str(a[0]).length) : str(a[1]);
      case 'trunc': {
        const n = toNumber(a[0]);
        const s = str(a[1]);
        return n >= 0 ? s.slice(0, n) : s.slice(n);
      }
      case 'lower':
        return str(a[0]).toLowerCase();
      case 'upper':
        return str(a[0]).toUpperCase();
      case 'title':
        return str(a[0]).replace(/\b\w/g, (c) => c.toUpperCase());
      case 'replace': {
        // `replace "" "xx" $s` puts "xx" between every character: check the size first.
        const from = str(a[0]);
        const to = str(a[1]);
        return this.joined(this.splitString(str(a[2]), from), to);
      }
      case 'contains':
        return str(a[1]).includes(str(a[0]));
      case 'hasPrefix':
        return str(a[1]).startsWith(str(a[0]));
      case 'hasSuffix':
        return str(a[1]).endsWith(str(a[0]));
      case 'b64enc':
        return Buffer.from(str(a[0])).toString('base64');
      case 'b64dec':
        return Buffer.from(str(a[0]), 'base64').toString();
      case 'sha256sum':
        return createHash('sha256').update(str(a[0])).digest('hex');
      case 'sha1sum':
        return createHash('sha1').update(str(a[0])).digest('hex');
      case 'adler32sum':
        return String(adler32(Buffer.from(str(a[0]))));
      case 'toString':
        return str(a[0]);
      case 'int':
      case 'int64':
        return toInt(a[0]);
      case 'float64':
        return toFloat(a[0]);
      case 'atoi': {
        const t = str(a[0]);
        return /^[-+]?\d{1,19}$/.test(t) ? BigInt.asIntN(64, BigInt(t)) : 0n; // strconv.Atoi, 0 on error
      }
      case 'not':
        return isEmpty(a[0]);
      case 'and':
        for (const v of a) if (isEmpty(v)) return v;
        return a[a.length - 1];
      case 'or':
        for (const v of a) if (!isEmpty(v)) return v;
        return a[a.length - 1];
      case 'eq':
        if (a.length < 2) throw new TemplateError('missing argument for comparison');
        return a.slice(1).some((v) => goEqual(a[0], v));
      case 'ne':
        return !goEqual(a[0], a[1]);
      case 'lt':
        return goLess(a[0], a[1]);
      case 'le':
        return goLess(a[0], a[1]) || goEqual(a[0], a[1]);
      case 'gt':
        return goLess(a[1], a[0]);
      case 'ge':
        return goLess(a[1], a[0]) || goEqual(a[0], a[1]);
      // sprig's integer arithmetic: every argument becomes an int64 (1.5 becomes 1), as does the result.
      case 'add':
        return a.reduce<bigint>((n, v) => BigInt.asIntN(64, n + toInt(v)), 0n);
      case 'add1':
        return BigInt.asIntN(64, toInt(a[0]) + 1n);
      case 'sub':
        return BigInt.asIntN(64, toInt(a[0]) - toInt(a[1]));
      case 'mul':
        return a.reduce<bigint>((n, v) => BigInt.asIntN(64, n * toInt(v)), 1n);
      case 'div':
      case 'mod': {
        const d = toInt(a[1]);
        if (d === 0n) throw new TemplateError('runtime error: integer divide by zero');
        return name === 'div' ? BigInt.asIntN(64, toInt(a[0]) / d) : toInt(a[0]) % d;
      }
      case 'max':
      case 'min': {
        let best = toInt(a[0]);
        for (const v of a.slice(1)) {
          const n = toInt(v);
          if (name === 'max' ? n > best : n < best) best = n;
        }
        return best;
      }
      case 'empty':
        return isEmpty(a[0]);
      case 'ternary':
        return isEmpty(a[2]) ? a[1] : a[0];
      case 'coalesce':
        return a.find((v) => !isEmpty(v));
      case 'list':
        return [...a];
      case 'dict': {
        const out = newMap();
        for (let i = 0; i + 1 < a.length; i += 2) setOwn(out, str(a[i]), a[i + 1]);
        return out;
      }
      case 'get': {
        const v = isMap(a[0]) ? ownValue(a[0], str(a[1])) : undefined;
        return v ?? '';
      }
      case 'hasKey':
        return isMap(a[0]) && Object.hasOwn(a[0], str(a[1]));
      case 'keys':
        return a.flatMap((m) => (isMap(m) ? Object.keys(m) : []));
      case 'values':
        return isMap(a[0]) ? Object.values(a[0]) : [];
      case 'sortAlpha':
        return Array.isArray(a[0]) ? [...a[0]].map(str).sort() : [];
      case 'join':
        return Array.isArray(a[1]) ? this.joined(a[1].map(str), str(a[0])) : str(a[1]);
      case 'splitList':
        return this.splitString(str(a[1]), str(a[0]));
      case 'first':
        return Array.isArray(a[0]) ? a[0][0] : undefined;
      case 'last':
        return Array.isArray(a[0]) ? a[0][a[0].length - 1] : undefined;
      case 'uniq':
        return Array.isArray(a[0]) ? [...new Set(a[0])] : [];
      case 'has':
        return Array.isArray(a[1]) && a[1].includes(a[0]);
      case 'len': {
        const v = a[0];
        if (typeof v === 'string') return BigInt(Buffer.byteLength(v)); // Go counts a string's bytes
        if (Array.isArray(v)) return BigInt(v.length);
        if (isMap(v)) return BigInt(keysOf(v).length);
        return 0n;
      }
      case 'kindIs':
        return goKind(a[1]) === str(a[0]);
      case 'kindOf':
        return goKind(a[0]);
      case 'typeIs':
        return goType(a[1]) === str(a[0]);
      case 'typeOf':
        return goType(a[0]);
      case 'semverCompare':
      case 'mustSemverCompare':
        try {
          return semverCompare(str(a[0]), str(a[1]));
        } catch (err) {
          // helm fails the template the same way
          if (err instanceof SemverError) throw new ChartFailError(`semverCompare: ${err.message}`);
          throw err;
        }
      case 'set': {
        // sprig: changes the map in place and returns it
        if (!isMap(a[0])) throw new TemplateError('set: the first argument is not a dict');
        this.mutations.set(a[0], str(a[1]), a[2], this.argOrigins[2]);
        return a[0];
      }
      case 'unset':
        if (!isMap(a[0])) throw new TemplateError('unset: the first argument is not a dict');
        this.mutations.delete(a[0], str(a[1]));
        return a[0];
      case 'lookup':
        return newMap();
      case 'merge':
      case 'mergeOverwrite':
      case 'mustMerge':
      case 'mustMergeOverwrite': {
        // sprig (mergo): the first map is changed in place, deeply, and returned.
        if (!isMap(a[0])) throw new TemplateError(`${name}: the first argument is not a dict`);
        const overwrite = name.endsWith('verwrite');
        for (let i = 1; i < a.length; i++) if (isMap(a[i])) this.mergeInto(a[0], a[i] as Record<string, unknown>, overwrite, this.argOrigins[i], 0);
        return a[0];
      }
      case 'deepCopy':
      case 'mustDeepCopy':
        this.fits(measure(a[0]));
        return copyData(a[0], (n) => this.charge(n));
      case 'randAlphaNum':
      case 'randAlpha':
        return 'x'.repeat(Math.max(0, Math.min(64, Math.floor(toNumber(a[0])))));
      case 'uuidv4':
        return '00000000-0000-4000-8000-000000000000';
      case 'now':
        return '2026-01-01T00:00:00Z';
      case 'date':
        return '2026-01-01';
      case 'genCA':
      case 'genSelfSignedCert':
      case 'genSignedCert': {
        const out = newMap();
        setOwn(out, 'Cert', '');
        setOwn(out, 'Key', '');
        return out;
      }
    }
    // sprig's must* variants only differ in how they report errors.
    if (/^must[A-Z]/.test(name)) {
      const plain = name.charAt(4).toLowerCase() + name.slice(5);
      try {
        return this.builtin(plain, a);
      } catch (err) {
        if (err instanceof UnsupportedFunctionError && err.functionName === plain) throw new UnsupportedFunctionError(name);
        throw err;
      }
    }
    throw new UnsupportedFunctionError(name);
  }

  /**
   * mergo.Merge as sprig calls it, measured against helm: maps present on both sides are merged
   * key by key; otherwise `merge` fills only keys the destination lacks or holds empty (0, "",
   * false, null, empty list or map), `mergeOverwrite` takes the source's value even when empty.
   * Lists are replaced whole, never merged.
   */
  private mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>, overwrite: boolean, srcOrigin: Origin | undefined, depth: number): void {
    if (depth > MAX_DATA_DEPTH) overBudget(`${MAX_DATA_DEPTH} levels of nested data`);
    for (const key of keysOf(src as never)) {
      this.step();
      const from = src[key];
      const had = Object.hasOwn(dst, key);
      const to = had ? dst[key] : undefined;
      if (isMap(to) && isMap(from) && (overwrite || !isEmpty(to))) {
        this.mergeInto(to, from, overwrite, childOrigin(src, key, srcOrigin), depth + 1);
        continue;
      }
      if (overwrite || !had || isEmpty(to)) this.mutations.set(dst as never, key, from, childOrigin(src, key, srcOrigin));
    }
  }

  /** `s.split(sep)` after checking the number of parts (splitting on "" gives one per character). */
  private splitString(s: string, sep: string): string[] {
    this.fits(sep ? 0 : s.length, MAX_ITEMS);
    return s.split(sep);
  }

  /** Go's fmt for the verbs charts use, with flags, width and precision; widths count against the budget. */
  private sprintf(format: string, args: Value[]): string {
    let i = 0;
    let size = 0;
    const out = format.replace(/%([-+ #0]*)([1-9]\d*)?(?:\.(\d*))?([sdvqtfx%])/g, (_m, flags: string, w: string, p: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      const width = w ? Number(w) : 0;
      const precision = p === undefined ? undefined : Number(p || '0');
      if (width > MAX_WIDTH || (precision ?? 0) > MAX_WIDTH) overBudget(`a printf width or precision of ${MAX_WIDTH}`, 'has');
      if (i >= args.length) return `%!${verb}(MISSING)`;
      const s = this.formatVerb(verb, flags, precision, args[i++], 0);
      size += Math.max(s.length, width);
      this.fits(size);
      return pad(s, width, flags);
    });
    // Go appends arguments no verb used: `%!(EXTRA type=value)`.
    if (i < args.length)
      return `${out}%!(EXTRA ${args
        .slice(i)
        .map((v) => `${goType(v)}=${this.str(v)}`)
        .join(', ')})`;
    return out;
  }

  /** One verb applied to one value, as Go's fmt does: element by element in lists and maps, `%!d(float64=1.5)` when the type does not fit. */
  private formatVerb(verb: string, flags: string, precision: number | undefined, a: Value, depth: number): string {
    if (depth > MAX_DATA_DEPTH) overBudget(`${MAX_DATA_DEPTH} levels of nested data`);
    const bad = () => (a === null || a === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goType(a)}=${this.str(a)})`);
    if (verb === 'v') return a === null || a === undefined ? '<nil>' : this.str(a);
    if (Array.isArray(a)) return `[${a.map((x) => this.formatVerb(verb, flags, precision, x, depth + 1)).join(' ')}]`;
    if (isMap(a) && printFormOf(a) === undefined)
      return `map[${keysOf(a)
        .map((k) => `${k}:${this.formatVerb(verb, flags, precision, a[k], depth + 1)}`)
        .join(' ')}]`;
    switch (verb) {
      case 'd':
        if (typeof a !== 'bigint') return bad();
        return (a < 0n ? '-' : flags.includes('+') ? '+' : '') + String(a < 0n ? -a : a).padStart(precision ?? 0, '0');
      case 'f':
        if (typeof a !== 'number') return bad();
        return (a >= 0 && flags.includes('+') ? '+' : '') + a.toFixed(Math.min(precision ?? 6, 100));
      case 't':
        return typeof a === 'boolean' ? String(a) : bad();
      case 'x':
        // Go: an integer in hex, a string as the hex of its bytes.
        if (typeof a === 'bigint') return (a < 0n ? '-' : '') + (a < 0n ? -a : a).toString(16);
        if (typeof a === 'string') return Buffer.from(a).toString('hex');
        return bad();
      case 'q':
        return typeof a === 'string' ? goQuote(a) : bad();
      default: {
        // %s
        if (typeof a !== 'string' && !(isMap(a) && printFormOf(a) !== undefined)) return bad();
        const text = this.str(a);
        return precision !== undefined ? text.slice(0, precision) : text;
      }
    }
  }

  /** Runs nodes into a string (for include/tpl): the output is one generated value. */
  private captured(body: () => void): string {
    const saved = this.segments;
    const savedLength = this.length;
    this.segments = [];
    this.length = 0;
    try {
      this.nested(body);
      // A helper that only prints one value (`{{- toYaml . -}}`) passes that value's origin on.
      const printed = this.segments.filter((s) => !s.literal || s.text.trim() !== '');
      this.capturedOrigin = printed.length === 1 && !printed[0].literal ? printed[0].origin : undefined;
      return this.segments.map((s) => s.text).join('');
    } finally {
      this.segments = saved;
      this.length = savedLength;
    }
  }
}

/**
 * Records where a render error happened, once per file it passes through (innermost first): the
 * engine reports it at the call in the template being linted, naming the helper's line as related.
 * Budget errors are reported on the template's first line instead; `tpl` text has no file.
 */
function locate(err: unknown, f: Frame, start: number, end: number): void {
  if (!(err instanceof TemplateError) || err instanceof TemplateBudgetError || !f.file.file) return;
  const last = err.locations[err.locations.length - 1];
  if (!last || last.file !== f.file.file) err.locations.push({ file: f.file.file, start, end });
}

/**
 * Go's encoding/json of template data, as sprig's toJson/toPrettyJson/toRawJson: map keys sorted
 * by bytes, `<`, `>`, `&` escaped unless raw (json.Marshal escapes HTML), U+2028/9 escaped.
 */
function goJson(v: Value, indent: string, escapeHtml: boolean): string {
  const parts: string[] = [];
  const quote = (s: string) => {
    let q = JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    if (escapeHtml) q = q.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    return q;
  };
  const walk = (x: Value, depth: number): void => {
    if (depth > MAX_DATA_DEPTH) overBudget(`${MAX_DATA_DEPTH} levels of nested data`);
    const pad = indent ? `\n${indent.repeat(depth + 1)}` : '';
    const close = indent ? `\n${indent.repeat(depth)}` : '';
    if (x === undefined || x === null) parts.push('null');
    else if (typeof x === 'string') parts.push(quote(x));
    else if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw new TemplateError(`json: unsupported value: ${x}`);
      parts.push(String(x));
    } else if (typeof x === 'bigint' || typeof x === 'boolean') parts.push(String(x));
    else if (Array.isArray(x)) {
      if (!x.length) return void parts.push('[]');
      parts.push('[');
      x.forEach((e, i) => {
        parts.push(i ? `,${pad}` : pad);
        walk(e, depth + 1);
      });
      parts.push(`${close}]`);
    } else if (isMap(x)) {
      const keys = Object.keys(x).sort(byBytes);
      if (!keys.length) return void parts.push('{}');
      parts.push('{');
      keys.forEach((k, i) => {
        parts.push(`${i ? ',' : ''}${pad}${quote(k)}:${indent ? ' ' : ''}`);
        walk(x[k], depth + 1);
      });
      parts.push(`${close}}`);
    } else parts.push('null'); // a TemplateMethod: Go would marshal a func as an error; charts never do
  };
  walk(v, 0);
  return parts.join('');
}

/** Go's string order (UTF-8 bytes): JavaScript's sort compares UTF-16 units, which differs above U+FFFF only. */
function byBytes(a: string, b: string): number {
  if (a === b) return 0;
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}

const SURROGATE = /[\uD800-\uDFFF]/;

function adler32(bytes: Buffer): number {
  let x = 1;
  let y = 0;
  for (const b of bytes) {
    x = (x + b) % 65521;
    y = (y + x) % 65521;
  }
  return ((y << 16) | x) >>> 0;
}

/** sprig's trimAll: strips any of `chars` from both ends (a character set, not a pattern). */
function trimChars(s: string, chars: string): string {
  const set = new Set(chars);
  let start = 0;
  let end = s.length;
  while (start < end && set.has(s[start])) start++;
  while (end > start && set.has(s[end - 1])) end--;
  return s.slice(start, end);
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}` name groups; `$$` is a dollar. */
function expandGo(template: string, m: Matcher, named: Record<string, number>): string {
  if (!template.includes('$')) return template;
  const groups = m.groupCount();
  const nameAt = /[A-Za-z0-9_]+/y;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const braced = template[i] === '{';
    nameAt.lastIndex = braced ? i + 1 : i;
    const match = nameAt.exec(template);
    if (!match || (braced && template[nameAt.lastIndex] !== '}')) {
      out += '$'; // malformed: the dollar is literal text, as in Go
      continue;
    }
    const name = match[0];
    i = nameAt.lastIndex + (braced ? 1 : 0);
    const index = /^\d+$/.test(name) ? Number(name) : Object.hasOwn(named, name) ? named[name] : -1;
    if (index >= 0 && index <= groups) out += m.group(index) ?? '';
  }
  return out;
}

/** Maps an output offset back to a template offset (start or end of a range). */
export function toTemplateOffset(segments: readonly Segment[], offset: number, file: string, edge: 'start' | 'end'): number | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  let idx = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].out <= offset) {
      idx = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (edge === 'end' && idx >= 0 && segments[idx].out === offset && idx > 0) idx--;
  const s = segments[idx];
  if (!s || s.file !== file) return undefined;
  if (s.literal) return Math.min(s.src + (offset - s.out), s.srcEnd);
  return edge === 'start' ? s.src : s.srcEnd;
}

export { TemplateError, TemplateBudgetError };

/**
 * Helm splits rendered output into documents at every line starting with `---`, even when text
 * follows on the same line (`---# comment`, left by `{{-` trimming the line break after the
 * marker), while YAML reads such a line as content. A line break is put after those markers so
 * the output parses into the documents helm deploys; segments are split and shifted to match.
 */
export function splitLikeHelm(result: RenderResult): RenderResult {
  const text = result.text;
  const points: number[] = [];
  let at = text.startsWith('---') ? 0 : text.indexOf('\n---');
  while (at >= 0) {
    const marker = at === 0 && text.startsWith('---') ? 0 : at + 1;
    const after = text[marker + 3];
    if (after !== undefined && after !== ' ' && after !== '\t' && after !== '\n' && after !== '\r' && after !== '-') points.push(marker + 3);
    at = text.indexOf('\n---', marker + 1);
  }
  if (!points.length) return result;
  const segments: Segment[] = [];
  const parts: string[] = [];
  let shift = 0;
  let p = 0;
  for (const s of result.segments) {
    let piece = s;
    while (p < points.length && points[p] > piece.out && points[p] < piece.out + piece.text.length) {
      const cut = points[p] - piece.out;
      const head: Segment = { ...piece, text: piece.text.slice(0, cut), ...(piece.literal ? { srcEnd: piece.src + cut } : {}) };
      segments.push({ ...head, out: head.out + shift });
      parts.push(head.text);
      const src = piece.literal ? piece.src + cut : piece.src;
      segments.push({ out: points[p] + shift, text: '\n', src, srcEnd: piece.literal ? src : piece.srcEnd, literal: false, file: piece.file });
      parts.push('\n');
      shift++;
      piece = { ...piece, out: points[p], text: piece.text.slice(cut), ...(piece.literal ? { src: piece.src + cut } : {}) };
      p++;
    }
    while (p < points.length && points[p] === piece.out) {
      segments.push({ out: piece.out + shift, text: '\n', src: piece.src, srcEnd: piece.src, literal: false, file: piece.file });
      parts.push('\n');
      shift++;
      p++;
    }
    segments.push({ ...piece, out: piece.out + shift });
    parts.push(piece.text);
  }
  return { text: parts.join(''), segments };
}
