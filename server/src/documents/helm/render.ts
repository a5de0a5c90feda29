/**
 * Renders a parsed Helm template with a chart's values, recording for every piece of output where
 * in the template it came from: literal text maps character by character, the output of an action
 * maps to that action. Anything the renderer does not support throws TemplateError, and the caller
 * skips the file: a wrong rendering would mean wrong findings.
 */
import { parse, stringify } from 'yaml';
import { Expr, Node, parseTemplate, Parsed, Pipeline, TemplateError } from './parse';

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
}

export interface RenderResult {
  text: string;
  segments: Segment[];
}

type Value = unknown;

const MAX_OUTPUT = 4 * 1024 * 1024;
const MAX_DEPTH = 50;

class Break {}
class Continue {}

export interface TemplateSource {
  file: string;
  text: string;
  parsed: Parsed;
}

interface Frame {
  dot: Value;
  vars: Map<string, Value>[];
  file: TemplateSource;
}

function isEmpty(v: Value): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

function printValue(v: Value): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.entries(v as object).map(([k, x]) => `${k}:${printValue(x)}`).join(' ')}]`;
  return String(v);
}

function toYaml(v: Value): string {
  if (v === undefined || v === null) return 'null';
  // As Helm's toYaml (sigs.k8s.io/yaml): keys sorted, sequences not indented under their key.
  return stringify(v, { lineWidth: 0, indent: 2, sortMapEntries: true, indentSeq: false }).replace(/\n$/, '');
}

function indentLines(n: number, s: string): string {
  const pad = ' '.repeat(n);
  return s.split('\n').map((l) => pad + l).join('\n');
}

function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

function sprintf(format: string, args: Value[]): string {
  let i = 0;
  return format.replace(/%([-+ #0]*\d*(?:\.\d+)?)([sdvqtfx%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'd') return String(Math.trunc(toNumber(a)));
    if (verb === 'q') return JSON.stringify(printValue(a));
    if (verb === 'f') return String(toNumber(a));
    return printValue(a);
  });
}

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
  private depth = 0;

  constructor(
    private readonly sources: Map<string, TemplateSource>,
    private readonly defines: Map<string, { nodes: Node[]; file: TemplateSource }>,
  ) {}

  /** The same chart with one file's text replaced (the editor's unsaved text). */
  withFile(file: string, text: string): { renderer: Renderer; error?: string } {
    const existing = this.sources.get(file);
    if (existing && existing.text === text) return { renderer: this };
    const sources = new Map(this.sources);
    const defines = new Map(this.defines);
    if (existing) for (const name of existing.parsed.defines.keys()) defines.delete(name);
    try {
      const parsed = parseCached(text);
      const src = { file, text, parsed };
      sources.set(file, src);
      for (const [name, nodes] of parsed.defines) defines.set(name, { nodes, file: src });
      return { renderer: new Renderer(sources, defines) };
    } catch (err) {
      sources.delete(file);
      return { renderer: new Renderer(sources, defines), error: (err as Error).message };
    }
  }

  static forChart(files: { file: string; text: string }[]): { renderer: Renderer; errors: string[] } {
    const sources = new Map<string, TemplateSource>();
    const defines = new Map<string, { nodes: Node[]; file: TemplateSource }>();
    const errors: string[] = [];
    for (const f of files) {
      try {
        const parsed = parseCached(f.text);
        const src = { file: f.file, text: f.text, parsed };
        sources.set(f.file, src);
        for (const [name, nodes] of parsed.defines) defines.set(name, { nodes, file: src });
      } catch (err) {
        errors.push(`${f.file}: ${(err as Error).message}`);
      }
    }
    return { renderer: new Renderer(sources, defines), errors };
  }

  render(file: string, root: Value): RenderResult {
    const src = this.sources.get(file);
    if (!src) throw new TemplateError('template did not parse');
    this.segments = [];
    this.length = 0;
    this.run(src.parsed.nodes, { dot: root, vars: [new Map([['', root]])], file: src });
    return { text: this.segments.map((s) => s.text).join(''), segments: this.segments };
  }

  private emit(text: string, src: number, srcEnd: number, literal: boolean, file: string): void {
    if (!text) return;
    this.length += text.length;
    if (this.length > MAX_OUTPUT) throw new TemplateError('output too large');
    this.segments.push({ out: this.length - text.length, text, src, srcEnd, literal, file });
  }

  private run(nodes: Node[], f: Frame): void {
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          this.emit(f.file.text.slice(n.start, n.end), n.start, n.end, true, f.file.file);
          break;
        case 'action': {
          const v = this.pipeline(n.pipe, f);
          if (!n.pipe.decl.length) this.emit(printValue(v), n.start, n.end, false, f.file.file);
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
          const v = this.pipeline(n.pipe, f, true);
          if (!isEmpty(v)) this.run(n.body, { ...f, dot: v, vars: [...f.vars, new Map()] });
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
          this.nested(() => this.run(def.nodes, { dot, vars: [new Map([['', dot]])], file: def.file }));
          break;
        }
        case 'break':
          throw new Break();
        case 'continue':
          throw new Continue();
      }
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
    if (++this.depth > MAX_DEPTH) throw new TemplateError('templates nest too deep');
    try {
      body();
    } finally {
      this.depth--;
    }
  }

  private range(n: Extract<Node, { t: 'range' }>, f: Frame): void {
    const decl = n.pipe.decl;
    const v = this.pipeline({ ...n.pipe, decl: [] }, f);
    let entries: [Value, Value][] = [];
    if (Array.isArray(v)) entries = v.map((x, i) => [i, x]);
    else if (typeof v === 'number') entries = Array.from({ length: Math.max(0, Math.min(v, 10000)) }, (_, i) => [i, i]);
    else if (v && typeof v === 'object') entries = Object.keys(v as object).sort().map((k) => [k, (v as Record<string, Value>)[k]]);
    if (!entries.length) {
      this.scoped(f, () => this.run(n.alt, f));
      return;
    }
    for (const [key, value] of entries) {
      const scope = new Map<string, Value>();
      if (decl.length === 1) scope.set(decl[0].slice(1), value);
      if (decl.length === 2) {
        scope.set(decl[0].slice(1), key);
        scope.set(decl[1].slice(1), value);
      }
      try {
        this.run(n.body, { ...f, dot: value, vars: [...f.vars, scope] });
      } catch (e) {
        if (e instanceof Break) break;
        if (e instanceof Continue) continue;
        throw e;
      }
    }
  }

  private lookupVar(name: string, f: Frame): Value {
    for (let i = f.vars.length - 1; i >= 0; i--) if (f.vars[i].has(name)) return f.vars[i].get(name);
    if (name === '') return f.vars[0].get('');
    throw new TemplateError(`undefined variable $${name}`);
  }

  private pipeline(p: Pipeline, f: Frame, _with = false): Value {
    let last: Value = undefined;
    let first = true;
    for (const cmd of p.cmds) {
      last = this.command(cmd.args, f, first ? [] : [last]);
      first = false;
    }
    if (p.decl.length) {
      const name = p.decl[p.decl.length - 1].slice(1);
      if (p.assign) {
        for (let i = f.vars.length - 1; i >= 0; i--) {
          if (f.vars[i].has(name)) {
            f.vars[i].set(name, last);
            return last;
          }
        }
        throw new TemplateError(`undefined variable $${name}`);
      }
      f.vars[f.vars.length - 1].set(name, last);
    }
    return last;
  }

  private field(base: Value, path: string[]): Value {
    let v = base;
    for (const key of path) {
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'object') throw new TemplateError(`can't evaluate field ${key} in a ${typeof v}`);
      v = (v as Record<string, Value>)[key];
    }
    return v;
  }

  private expr(e: Expr, f: Frame): Value {
    switch (e.k) {
      case 'field':
        return this.field(f.dot, e.path);
      case 'var':
        return this.field(this.lookupVar(e.name, f), e.path);
      case 'str':
      case 'num':
      case 'bool':
        return e.v;
      case 'nil':
        return null;
      case 'pipe':
        return this.field(this.pipeline(e.pipe, f), e.path);
      case 'ident':
        return this.call(e.name, [], f);
    }
  }

  private command(args: Expr[], f: Frame, piped: Value[]): Value {
    const head = args[0];
    // A method-like field (`.Capabilities.APIVersions.Has "x"`) called with arguments.
    if ((head.k === 'field' || head.k === 'var') && (args.length > 1 || piped.length)) {
      const fn = this.expr(head, f);
      if (typeof fn === 'function') return (fn as (...a: Value[]) => Value)(...args.slice(1).map((a) => this.expr(a, f)), ...piped);
      if (args.length > 1) throw new TemplateError('cannot call a non-function');
    }
    if (head.k === 'ident') {
      const name = head.name;
      // Lazy and/or: Go evaluates all, but errors are rare; keep it simple and eager.
      const values = args.slice(1).map((a) => this.expr(a, f));
      return this.call(name, [...values, ...piped], f);
    }
    if (args.length > 1) throw new TemplateError('unexpected arguments');
    return this.expr(head, f);
  }

  private call(name: string, a: Value[], f: Frame): Value {
    const str = (v: Value) => printValue(v);
    switch (name) {
      case 'include': {
        const def = this.defines.get(str(a[0]));
        if (!def) throw new TemplateError(`no template "${str(a[0])}"`);
        return this.captured(() => this.run(def.nodes, { dot: a[1], vars: [new Map([['', a[1]]])], file: def.file }));
      }
      case 'tpl': {
        const text = str(a[0]);
        if (!text.includes('{{')) return text;
        const parsed = parseTemplate(text);
        const src = { file: f.file.file, text, parsed };
        return this.captured(() => this.run(parsed.nodes, { dot: a[1], vars: [new Map([['', a[1]]])], file: src }));
      }
      case 'toYaml':
        return toYaml(a[0]);
      case 'toJson':
      case 'mustToJson':
        return JSON.stringify(a[0] ?? null);
      case 'toPrettyJson':
        return JSON.stringify(a[0] ?? null, null, 2);
      case 'fromYaml':
        try {
          return (parse(str(a[0]), { maxAliasCount: 100 }) as Value) ?? {};
        } catch {
          return { Error: 'invalid YAML' };
        }
      case 'fromJson':
        try {
          return JSON.parse(str(a[0])) as Value;
        } catch {
          return {};
        }
      case 'index': {
        let v = a[0];
        for (const k of a.slice(1)) {
          if (v === undefined || v === null) return undefined;
          v = Array.isArray(v) ? v[toNumber(k)] : (v as Record<string, Value>)[str(k)];
        }
        return v;
      }
      case 'dig': {
        // dig "a" "b" default dict
        const dict = a[a.length - 1];
        const fallback = a[a.length - 2];
        let v: Value = dict;
        for (const k of a.slice(0, -2)) {
          if (!v || typeof v !== 'object') return fallback;
          v = (v as Record<string, Value>)[str(k)];
        }
        return v === undefined ? fallback : v;
      }
      case 'tuple':
        return [...a];
      case 'append':
      case 'mustAppend':
        return [...(Array.isArray(a[0]) ? a[0] : []), a[1]];
      case 'prepend':
        return [a[1], ...(Array.isArray(a[0]) ? a[0] : [])];
      case 'concat':
        return a.flatMap((x) => (Array.isArray(x) ? x : []));
      case 'compact':
        return Array.isArray(a[0]) ? a[0].filter((x) => !isEmpty(x)) : [];
      case 'without':
        return Array.isArray(a[0]) ? a[0].filter((x) => !a.slice(1).includes(x)) : [];
      case 'omit':
      case 'pick': {
        const src = (a[0] ?? {}) as Record<string, Value>;
        const keys = new Set(a.slice(1).map(str));
        const out: Record<string, Value> = {};
        for (const [k, v] of Object.entries(src)) if (keys.has(k) === (name === 'pick')) out[k] = v;
        return out;
      }
      case 'split': {
        const out: Record<string, Value> = {};
        str(a[1]).split(str(a[0])).forEach((part, i) => (out[`_${i}`] = part));
        return out;
      }
      case 'substr': {
        const s2 = str(a[2]);
        return s2.slice(toNumber(a[0]), toNumber(a[1]) < 0 ? undefined : toNumber(a[1]));
      }
      case 'repeat':
        return str(a[1]).repeat(Math.max(0, Math.min(1000, toNumber(a[0]))));
      case 'cat':
        return a.filter((v) => v !== undefined && v !== null).map(str).join(' ');
      case 'nospace':
        return str(a[0]).replace(/\s+/g, '');
      case 'trimAll':
        return str(a[1]).replace(new RegExp(`^[${str(a[0]).replace(/[\]\\^-]/g, '\\$&')}]+|[${str(a[0]).replace(/[\]\\^-]/g, '\\$&')}]+$`, 'g'), '');
      case 'kebabcase':
        return str(a[0]).replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[_\s]+/g, '-').toLowerCase();
      case 'snakecase':
        return str(a[0]).replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-\s]+/g, '_').toLowerCase();
      case 'until':
        return Array.from({ length: Math.max(0, Math.min(10000, toNumber(a[0]))) }, (_, i) => i);
      case 'toStrings':
        return Array.isArray(a[0]) ? a[0].map(str) : [];
      case 'regexReplaceAllLiteral':
      case 'mustRegexReplaceAllLiteral':
        try {
          return str(a[1]).replace(new RegExp(str(a[0]), 'g'), () => str(a[2]));
        } catch {
          throw new TemplateError('bad regex');
        }
      case 'regexFind':
      case 'mustRegexFind':
        try {
          return new RegExp(str(a[0])).exec(str(a[1]))?.[0] ?? '';
        } catch {
          throw new TemplateError('bad regex');
        }
      case 'nindent':
        return `\n${indentLines(toNumber(a[0]), str(a[1]))}`;
      case 'indent':
        return indentLines(toNumber(a[0]), str(a[1]));
      case 'default':
        return a.length < 2 || isEmpty(a[1]) ? a[0] : a[1];
      case 'required':
        if (a[1] === undefined || a[1] === null || a[1] === '') throw new TemplateError(`required value: ${str(a[0])}`);
        return a[1];
      case 'fail':
        throw new TemplateError(`fail: ${str(a[0])}`);
      case 'quote':
        return a.map((v) => JSON.stringify(str(v))).join(' ');
      case 'squote':
        return a.map((v) => `'${str(v)}'`).join(' ');
      case 'print':
        return a.map(str).join('');
      case 'println':
        return `${a.map(str).join(' ')}\n`;
      case 'printf':
        return sprintf(str(a[0]), a.slice(1));
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
      case 'replace':
        return str(a[2]).split(str(a[0])).join(str(a[1]));
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
        return '0'.repeat(64);
      case 'toString':
        return str(a[0]);
      case 'int':
      case 'int64':
        return Math.trunc(toNumber(a[0]));
      case 'float64':
        return toNumber(a[0]);
      case 'atoi':
        return Math.trunc(toNumber(a[0]));
      case 'not':
        return isEmpty(a[0]);
      case 'and':
        for (const v of a) if (isEmpty(v)) return v;
        return a[a.length - 1];
      case 'or':
        for (const v of a) if (!isEmpty(v)) return v;
        return a[a.length - 1];
      case 'eq':
        return a.slice(1).some((v) => v === a[0] || (v != null && a[0] != null && printValue(v) === printValue(a[0]) && typeof v === typeof a[0]));
      case 'ne':
        return !(a[0] === a[1] || (typeof a[0] === typeof a[1] && printValue(a[0]) === printValue(a[1])));
      case 'lt':
        return toNumber(a[0]) < toNumber(a[1]);
      case 'le':
        return toNumber(a[0]) <= toNumber(a[1]);
      case 'gt':
        return toNumber(a[0]) > toNumber(a[1]);
      case 'ge':
        return toNumber(a[0]) >= toNumber(a[1]);
      case 'add':
        return a.reduce<number>((s, v) => s + toNumber(v), 0);
      case 'add1':
        return toNumber(a[0]) + 1;
      case 'sub':
        return toNumber(a[0]) - toNumber(a[1]);
      case 'mul':
        return a.reduce<number>((s, v) => s * toNumber(v), 1);
      case 'div':
        return Math.trunc(toNumber(a[0]) / (toNumber(a[1]) || 1));
      case 'max':
        return Math.max(...a.map(toNumber));
      case 'min':
        return Math.min(...a.map(toNumber));
      case 'empty':
        return isEmpty(a[0]);
      case 'ternary':
        return isEmpty(a[2]) ? a[1] : a[0];
      case 'coalesce':
        return a.find((v) => !isEmpty(v));
      case 'list':
        return [...a];
      case 'dict': {
        const out: Record<string, Value> = {};
        for (let i = 0; i + 1 < a.length; i += 2) out[str(a[i])] = a[i + 1];
        return out;
      }
      case 'get':
        return (a[0] as Record<string, Value> | undefined)?.[str(a[1])] ?? '';
      case 'hasKey':
        return !!a[0] && typeof a[0] === 'object' && Object.prototype.hasOwnProperty.call(a[0], str(a[1]));
      case 'keys':
        return a.flatMap((m) => (m && typeof m === 'object' ? Object.keys(m as object) : []));
      case 'values':
        return a[0] && typeof a[0] === 'object' ? Object.values(a[0] as object) : [];
      case 'sortAlpha':
        return Array.isArray(a[0]) ? [...a[0]].map(str).sort() : [];
      case 'join':
        return Array.isArray(a[1]) ? a[1].map(str).join(str(a[0])) : str(a[1]);
      case 'splitList':
        return str(a[1]).split(str(a[0]));
      case 'first':
        return Array.isArray(a[0]) ? a[0][0] : undefined;
      case 'last':
        return Array.isArray(a[0]) ? a[0][a[0].length - 1] : undefined;
      case 'uniq':
        return Array.isArray(a[0]) ? [...new Set(a[0])] : [];
      case 'has':
        return Array.isArray(a[1]) && a[1].includes(a[0]);
      case 'len':
        return Array.isArray(a[0]) ? a[0].length : typeof a[0] === 'string' ? a[0].length : a[0] && typeof a[0] === 'object' ? Object.keys(a[0] as object).length : 0;
      case 'kindIs': {
        const v = a[1];
        const kind = Array.isArray(v) ? 'slice' : v === null || v === undefined ? 'invalid' : typeof v === 'object' ? 'map' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float64') : typeof v === 'boolean' ? 'bool' : 'string';
        return kind === str(a[0]) || (str(a[0]) === 'int' && kind === 'float64' && Number.isInteger(v));
      }
      case 'typeIs':
        return false;
      case 'semverCompare':
        return true;
      case 'lookup':
        return {};
      case 'merge':
      case 'mergeOverwrite': {
        const [dst, ...rest] = a as Record<string, Value>[];
        const out: Record<string, Value> = { ...(dst ?? {}) };
        for (const r of rest) for (const [k, v] of Object.entries(r ?? {})) if (name === 'mergeOverwrite' || !(k in out)) out[k] = v;
        return out;
      }
      case 'deepCopy':
        return a[0];
      case 'regexMatch':
      case 'mustRegexMatch':
        try {
          return new RegExp(str(a[0])).test(str(a[1]));
        } catch {
          throw new TemplateError('bad regex');
        }
      case 'regexReplaceAll':
      case 'mustRegexReplaceAll':
        try {
          return str(a[1]).replace(new RegExp(str(a[0]), 'g'), str(a[2]).replace(/\$\{?(\d+)\}?/g, '$$$1'));
        } catch {
          throw new TemplateError('bad regex');
        }
      case 'randAlphaNum':
      case 'randAlpha':
        return 'x'.repeat(Math.min(64, toNumber(a[0])));
      case 'uuidv4':
        return '00000000-0000-4000-8000-000000000000';
      case 'now':
        return '2026-01-01T00:00:00Z';
      case 'date':
        return '2026-01-01';
      case 'genCA':
      case 'genSelfSignedCert':
      case 'genSignedCert':
        return { Cert: '', Key: '' };
    }
    // sprig's must* variants only differ in how they report errors.
    if (/^must[A-Z]/.test(name)) return this.call(name.charAt(4).toLowerCase() + name.slice(5), a, f);
    throw new TemplateError(`unsupported function ${name}`);
  }

  /** Runs nodes into a string (for include/tpl): the output is one generated value. */
  private captured(body: () => void): string {
    const saved = this.segments;
    const savedLength = this.length;
    this.segments = [];
    this.length = 0;
    try {
      this.nested(body);
      return this.segments.map((s) => s.text).join('');
    } finally {
      this.segments = saved;
      this.length = savedLength;
    }
  }
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

export { TemplateError };
