/**
 * A parser for Go templates as Helm charts use them: actions with trim markers, if/else if/else,
 * range, with, define, template, block, variables and pipelines. Every node keeps its source
 * offsets, so rendered output can be mapped back to the template line it came from.
 */
export class TemplateError extends Error {
  /**
   * Where rendering failed: the innermost call first, then one place per file the error passed
   * through on its way out (a helper's call, then the `include` of that helper in the template).
   */
  readonly locations: TemplateLocation[] = [];
  /** For a parse error: offsets of the action that does not parse (the caller knows the file). */
  at?: { start: number; end: number };
}

export interface TemplateLocation {
  file: string;
  start: number;
  end: number;
}

/** A function Bulkhead's renderer does not implement: helm may well render the template. */
export class UnsupportedFunctionError extends TemplateError {
  constructor(readonly functionName: string) {
    super(`function "${functionName}" is not supported by Bulkhead's renderer`);
  }
}

/** The chart itself stops rendering (`fail`, `required`): helm fails the same way with these values. */
export class ChartFailError extends TemplateError {}

/**
 * A template that would take more time, memory or nesting than any real chart needs: reported once
 * instead of silently skipped, because a chart that makes the linter give up hides its manifests.
 */
export class TemplateBudgetError extends TemplateError {}

/**
 * Deepest nesting of blocks, includes and parentheses, in the parser and the renderer: far more
 * than charts use (a dozen), and shallow enough that recursion stays well inside the JS stack.
 */
export const MAX_NESTING = 200;

export type Expr =
  | { k: 'field'; path: string[] } // .Values.x  (path [] is `.`)
  | { k: 'var'; name: string; path: string[] } // $x.y  ($ is name '')
  | { k: 'str'; v: string }
  | { k: 'num'; v: number; int?: boolean } // `int`: a Go integer constant (`1`, `0x1F`, `'a'`), else float64 (`1.5`, `1e6`)
  | { k: 'bool'; v: boolean }
  | { k: 'nil' }
  | { k: 'ident'; name: string; start?: number; end?: number } // a function name (offsets in the template)
  | { k: 'pipe'; pipe: Pipeline; path: string[] }; // (pipeline).field

export interface Command {
  args: Expr[];
}

export interface Pipeline {
  decl: string[];
  /** `=` assigns an existing variable instead of declaring one. */
  assign: boolean;
  cmds: Command[];
}

export type Node =
  | { t: 'text'; start: number; end: number }
  | { t: 'action'; pipe: Pipeline; start: number; end: number }
  | { t: 'if'; branches: { cond: Pipeline | null; body: Node[] }[]; start: number; end: number }
  | { t: 'range'; pipe: Pipeline; body: Node[]; alt: Node[]; start: number; end: number }
  | { t: 'with'; pipe: Pipeline; body: Node[]; alt: Node[]; start: number; end: number }
  | { t: 'template'; name: string; pipe: Pipeline | null; start: number; end: number }
  | { t: 'break' | 'continue'; start: number; end: number };

export interface Parsed {
  nodes: Node[];
  defines: Map<string, Node[]>;
}

interface Action {
  /** Source offsets of `{{` and after `}}`. */
  start: number;
  end: number;
  body: string;
  bodyStart: number;
}

type Item = { kind: 'text'; start: number; end: number } | { kind: 'action'; a: Action };

/** An error of the action opened at `open` (its `{{` is where it is reported). */
function unclosed(message: string, open: number): TemplateError {
  const err = new TemplateError(message);
  err.at = { start: open, end: open + 2 };
  return err;
}

/** Splits a template into text and actions, applying `{{-` / `-}}` whitespace trimming. */
function lex(src: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = src.indexOf('{{', pos);
    let textEnd = open < 0 ? src.length : open;
    let textStart = pos;
    if (trimNext) while (textStart < textEnd && /\s/.test(src[textStart])) textStart++;
    if (open < 0) {
      if (textStart < textEnd) items.push({ kind: 'text', start: textStart, end: textEnd });
      return items;
    }
    const trimLeft = src.startsWith('{{- ', open) || src.startsWith('{{-\t', open) || src.startsWith('{{-\n', open) || src.startsWith('{{-\r', open);
    if (trimLeft) while (textEnd > textStart && /\s/.test(src[textEnd - 1])) textEnd--;
    if (textStart < textEnd) items.push({ kind: 'text', start: textStart, end: textEnd });
    let i = open + 2 + (trimLeft ? 1 : 0);
    const bodyStart = i;
    // Find the closing `}}`, skipping strings and comments.
    let close = -1;
    while (i < src.length) {
      const c = src[i];
      if (c === '"') {
        i++;
        while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
        i++;
      } else if (c === '`') {
        i = src.indexOf('`', i + 1) + 1;
        if (i === 0) throw unclosed('unterminated raw string', open);
      } else if (c === "'") {
        i++;
        while (i < src.length && src[i] !== "'") i += src[i] === '\\' ? 2 : 1;
        i++;
      } else if (src.startsWith('/*', i)) {
        const endComment = src.indexOf('*/', i + 2);
        if (endComment < 0) throw unclosed('unterminated comment', open);
        i = endComment + 2;
      } else if (src.startsWith('}}', i)) {
        close = i;
        break;
      } else i++;
    }
    if (close < 0) throw unclosed('unclosed action', open);
    let bodyEnd = close;
    trimNext = false;
    if (src[close - 1] === '-' && /\s/.test(src[close - 2] ?? '')) {
      bodyEnd = close - 1;
      trimNext = true;
    }
    items.push({ kind: 'action', a: { start: open, end: close + 2, body: src.slice(bodyStart, bodyEnd), bodyStart } });
    pos = close + 2;
  }
}

// ---- expressions ------------------------------------------------------------------------------

type Tok = { k: 'str' | 'num' | 'id' | 'field' | 'var' | 'op'; v: string; spaced?: boolean; at?: number };

/** `base` is the offset of `body` in the template, so identifiers keep their place. */
function tokenize(body: string, base: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let spaced = false;
  const add = (t: Tok) => {
    toks.push({ k: t.k, v: t.v, spaced, at: base + i });
    spaced = false;
  };
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) {
      spaced = true;
      i++;
    } else if (body.startsWith('/*', i)) {
      const end = body.indexOf('*/', i + 2);
      i = end < 0 ? body.length : end + 2;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < body.length && body[j] !== '"') {
        if (body[j] === '\\') {
          const n = body[j + 1];
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
          j += 2;
        } else s += body[j++];
      }
      add({ k: 'str', v: s });
      i = j + 1;
    } else if (c === '`') {
      const j = body.indexOf('`', i + 1);
      if (j < 0) throw new TemplateError('unterminated raw string');
      add({ k: 'str', v: body.slice(i + 1, j) });
      i = j + 1;
    } else if (c === "'") {
      // A character constant is its code point. An unterminated one must not rewind the scan.
      let j = i + 1;
      while (j < body.length && body[j] !== "'") j += body[j] === '\\' ? 2 : 1;
      if (j >= body.length) throw new TemplateError('unterminated character constant');
      add({ k: 'num', v: String(charConstant(body.slice(i + 1, j))) });
      i = j + 1;
    } else if (c === '(' || c === ')' || c === '|' || c === ',') {
      add({ k: 'op', v: c });
      i++;
    } else if (body.startsWith(':=', i)) {
      add({ k: 'op', v: ':=' });
      i += 2;
    } else if (c === '=') {
      add({ k: 'op', v: '=' });
      i++;
    } else if (c === '.' || c === '$') {
      const m = /^(\$[\w]*|)((?:\.[\w]+)*)(\.?)/.exec(body.slice(i))!;
      if (c === '$') add({ k: 'var', v: m[0] });
      else add({ k: 'field', v: m[0] });
      i += Math.max(1, m[0].length);
    } else if (/[-+\d]/.test(c) && /^[-+]?\d/.test(body.slice(i))) {
      const m = /^[-+]?(0x[\da-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(body.slice(i))!;
      add({ k: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w]*/.exec(body.slice(i))!;
      add({ k: 'id', v: m[0] });
      i += m[0].length;
    } else {
      throw new TemplateError(`unexpected "${c}" in action`);
    }
  }
  return toks;
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34 };

/** The value of a Go character constant's body (`a`, `\n`, `\x41`, `\u00e9`). */
function charConstant(body: string): number {
  if (body[0] !== '\\') {
    const cp = body.codePointAt(0);
    if (cp === undefined || body.length !== String.fromCodePoint(cp).length) throw new TemplateError('malformed character constant');
    return cp;
  }
  if (body.length === 2 && Object.hasOwn(ESCAPES, body[1])) return ESCAPES[body[1]];
  const hex = /^\\(?:x([\da-fA-F]{2})|u([\da-fA-F]{4})|U([\da-fA-F]{8}))$/.exec(body);
  if (hex) return parseInt(hex[1] ?? hex[2] ?? hex[3], 16);
  throw new TemplateError('malformed character constant');
}

function splitPath(s: string): string[] {
  return s.split('.').filter(Boolean);
}

class ExprParser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  get done(): boolean {
    return this.i >= this.toks.length;
  }

  peek(): Tok | undefined {
    return this.toks[this.i];
  }

  pipeline(stopAt: string[] = []): Pipeline {
    const decl: string[] = [];
    let assign = false;
    // `$x :=`, `$i, $v :=`, `$x =`
    const save = this.i;
    while (this.peek()?.k === 'var') {
      const v = this.toks[this.i].v;
      const next = this.toks[this.i + 1];
      if (next?.k === 'op' && (next.v === ':=' || next.v === '=' || next.v === ',')) {
        decl.push(v);
        this.i += 2;
        if (next.v === ':=' || next.v === '=') {
          assign = next.v === '=';
          break;
        }
      } else break;
    }
    if (decl.length && !(this.toks[this.i - 1]?.v === ':=' || this.toks[this.i - 1]?.v === '=')) {
      this.i = save;
      decl.length = 0;
    }
    const cmds: Command[] = [];
    let args: Expr[] = [];
    while (!this.done) {
      const t = this.peek()!;
      if (t.k === 'op' && t.v === ')') break;
      if (t.k === 'op' && stopAt.includes(t.v)) break;
      if (t.k === 'op' && t.v === '|') {
        if (!args.length) throw new TemplateError('empty command in pipeline');
        cmds.push({ args });
        args = [];
        this.i++;
        continue;
      }
      args.push(this.operand());
    }
    if (args.length) cmds.push({ args });
    if (!cmds.length) throw new TemplateError('empty pipeline');
    return { decl, assign, cmds };
  }

  private operand(): Expr {
    const t = this.toks[this.i++];
    switch (t.k) {
      case 'str':
        return { k: 'str', v: t.v };
      case 'num':
        // Go: a constant with a `.` or an exponent is a float64, any other an int.
        return { k: 'num', v: Number(t.v), int: /^[-+]?(?:0x[\da-fA-F]+|\d+)$/.test(t.v) };
      case 'field':
        return { k: 'field', path: splitPath(t.v) };
      case 'var': {
        // `$name.field.path`: the name is the word after `$` (scanned by hand: `^\$(\w*)(.*)$` was quadratic).
        let end = 1;
        while (end < t.v.length && /\w/.test(t.v[end])) end++;
        return { k: 'var', name: t.v.slice(1, end), path: splitPath(t.v.slice(end)) };
      }
      case 'id':
        if (t.v === 'true' || t.v === 'false') return { k: 'bool', v: t.v === 'true' };
        if (t.v === 'nil') return { k: 'nil' };
        return { k: 'ident', name: t.v, ...(t.at === undefined ? {} : { start: t.at, end: t.at + t.v.length }) };
      case 'op':
        if (t.v === '(') {
          if (++this.depth > MAX_NESTING) throw new TemplateBudgetError(`parentheses nest deeper than ${MAX_NESTING}`);
          const pipe = this.pipeline();
          this.depth--;
          if (this.toks[this.i]?.v !== ')') throw new TemplateError('missing )');
          this.i++;
          // `(pipeline).field`
          let path: string[] = [];
          const next = this.peek();
          if (next?.k === 'field' && next.v !== '.' && !next.spaced) {
            path = splitPath(next.v);
            this.i++;
          }
          return { k: 'pipe', pipe, path };
        }
    }
    throw new TemplateError(`unexpected "${t.v}"`);
  }
}

function parsePipeline(body: string, base = 0): Pipeline {
  const p = new ExprParser(tokenize(body, base));
  const pipe = p.pipeline();
  if (!p.done) throw new TemplateError('unexpected ) in action');
  return pipe;
}

// ---- structure ----------------------------------------------------------------------------------

/** The template offset of `suffix`, a tail of action `a`'s body. */
function suffixAt(a: Action, suffix: string): number {
  return a.bodyStart + a.body.length - suffix.length;
}

const KEYWORD = /^\s*(if|else|end|range|with|define|template|block|break|continue)\b\s*([^]*)$/;

export function parseTemplate(src: string): Parsed {
  const items = lex(src);
  const defines = new Map<string, Node[]>();
  let idx = 0;
  let depth = 0;

  /** Parses until an `end`/`else` that closes the enclosing block; returns the terminator. */
  function block(): { nodes: Node[]; term: { word: string; rest: string; a: Action } | null } {
    if (++depth > MAX_NESTING) throw new TemplateBudgetError(`blocks nest deeper than ${MAX_NESTING}`);
    try {
      return blockBody();
    } finally {
      depth--;
    }
  }

  function blockBody(): { nodes: Node[]; term: { word: string; rest: string; a: Action } | null } {
    const nodes: Node[] = [];
    while (idx < items.length) {
      const it = items[idx++];
      if (it.kind === 'text') {
        nodes.push({ t: 'text', start: it.start, end: it.end });
        continue;
      }
      const a = it.a;
      try {
        const term = action(a, nodes);
        if (term) return { nodes, term };
      } catch (err) {
        // A parse error is reported at the action that does not parse (the innermost one).
        if (err instanceof TemplateError && !err.at && !(err instanceof TemplateBudgetError)) err.at = { start: a.start, end: a.end };
        throw err;
      }
    }
    return { nodes, term: null };
  }

  /** Parses one action (and the block it opens) into `nodes`; returns it when it is an `end`/`else`. */
  function action(a: Action, nodes: Node[]): { word: string; rest: string; a: Action } | undefined {
    if (/^\s*\/\*[^]*\*\/\s*$/.test(a.body)) return undefined; // a comment
    const m = KEYWORD.exec(a.body);
    if (!m) {
      nodes.push({ t: 'action', pipe: parsePipeline(a.body, a.bodyStart), start: a.start, end: a.end });
      return undefined;
    }
    const [, word, rest] = m;
    if (word === 'end' || word === 'else') return { word, rest, a };
    if (word === 'break' || word === 'continue') {
      nodes.push({ t: word, start: a.start, end: a.end });
      return undefined;
    }
    if (word === 'if') {
      const branches: { cond: Pipeline | null; body: Node[] }[] = [];
      let cond: Pipeline | null = parsePipeline(rest, suffixAt(a, rest));
      for (;;) {
        const b = block();
        branches.push({ cond, body: b.nodes });
        if (!b.term) throw new TemplateError('missing {{ end }}');
        if (b.term.word === 'end') {
          nodes.push({ t: 'if', branches, start: a.start, end: b.term.a.end });
          return undefined;
        }
        const elseIf = /^\s*if\b([^]*)$/.exec(b.term.rest);
        if (elseIf) cond = parsePipeline(elseIf[1], suffixAt(b.term.a, elseIf[1]));
        else if (b.term.rest.trim() === '') cond = null;
        else throw new TemplateError(`unexpected else ${b.term.rest.trim()} in if`);
      }
    }
    if (word === 'range' || word === 'with') {
      nodes.push(control(word, parsePipeline(rest, suffixAt(a, rest)), a.start));
      return undefined;
    }
    // define / template / block: a quoted name, then (template/block) an optional pipeline.
    const nm = /^\s*"((?:[^"\\]|\\.)*)"\s*([^]*)$/.exec(rest) ?? /^\s*`([^`]*)`\s*([^]*)$/.exec(rest);
    if (!nm) throw new TemplateError(`${word} needs a quoted name`);
    const name = nm[1];
    const pipe = nm[2].trim() ? parsePipeline(nm[2], suffixAt(a, nm[2])) : null;
    if (word === 'define' || word === 'block') {
      const b = block();
      if (!b.term || b.term.word !== 'end') throw new TemplateError('missing {{ end }}');
      defines.set(name, b.nodes);
      if (word === 'block') nodes.push({ t: 'template', name, pipe, start: a.start, end: b.term.a.end });
      return undefined;
    }
    nodes.push({ t: 'template', name, pipe, start: a.start, end: a.end });
    return undefined;
  }

  /**
   * `range`/`with` with their `else`. As in Go (1.23), `{{ with a }}x{{ else with b }}y{{ end }}` is
   * `{{ with a }}x{{ else }}{{ with b }}y{{ end }}{{ end }}`: one `end` closes the chain.
   */
  function control(word: 'range' | 'with', pipe: Pipeline, start: number): Node {
    if (++depth > MAX_NESTING) throw new TemplateBudgetError(`blocks nest deeper than ${MAX_NESTING}`);
    try {
      const b = block();
      if (!b.term) throw new TemplateError('missing {{ end }}');
      if (b.term.word === 'end') return { t: word, pipe, body: b.nodes, alt: [], start, end: b.term.a.end };
      const elseWith = word === 'with' ? /^\s*with\b([^]*)$/.exec(b.term.rest) : null;
      if (elseWith) {
        const inner = control('with', parsePipeline(elseWith[1], suffixAt(b.term.a, elseWith[1])), b.term.a.start);
        return { t: word, pipe, body: b.nodes, alt: [inner], start, end: inner.end };
      }
      if (b.term.rest.trim() !== '') throw new TemplateError(`unexpected else ${b.term.rest.trim()} in ${word}`);
      const e = block();
      if (!e.term || e.term.word !== 'end') throw new TemplateError('missing {{ end }}');
      return { t: word, pipe, body: b.nodes, alt: e.nodes, start, end: e.term.a.end };
    } finally {
      depth--;
    }
  }

  const top = block();
  if (top.term) throw new TemplateError(`unexpected {{ ${top.term.word} }}`);
  return { nodes: top.nodes, defines };
}
