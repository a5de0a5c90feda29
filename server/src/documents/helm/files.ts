/**
 * Helm's `.Files`: the chart's files other than its templates, subcharts and metadata, read on
 * demand. `Get`, `GetBytes`, `Lines`, `Glob` (a map of path → content that also answers
 * `AsConfig`, `AsSecrets`, `Get`, `Glob`, `Lines`), `AsConfig`, `AsSecrets`, as helm defines them.
 */
import { stringify } from 'yaml';
import { attachMethods, DataMap, keysOf, mapOf, newMap, setOwn, TemplateMethod } from './data';

export interface ChartOtherFiles {
  /** Paths relative to the chart folder, `/`-separated, sorted. */
  names: readonly string[];
  read(name: string): string | undefined;
}

/** Longest glob pattern matched, and most brace alternatives expanded: patterns are chart text. */
const MAX_PATTERN = 1000;
const MAX_ALTERNATIVES = 64;

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function basename(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** `a{b,c}d` → `abd`, `acd` (no nesting; at most MAX_ALTERNATIVES). */
function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  const close = open < 0 ? -1 : pattern.indexOf('}', open);
  if (open < 0 || close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = expandBraces(pattern.slice(close + 1));
  const out: string[] = [];
  for (const alt of pattern.slice(open + 1, close).split(',')) {
    for (const t of tail) {
      if (out.length >= MAX_ALTERNATIVES) return out;
      out.push(head + alt + t);
    }
  }
  return out;
}

/**
 * gobwas/glob with `/` as separator, as helm's Files.Glob: `*` and `?` stay within a path segment,
 * `**` crosses segments, `[abc]`/`[a-z]`/`[!a]` classes. Dynamic programming: linear in
 * pattern times name, whatever the pattern.
 */
export function globMatch(pattern: string, name: string): boolean {
  if (pattern.length > MAX_PATTERN) return false;
  return expandBraces(pattern).some((p) => matchOne(p, name));
}

type Token = { t: 'any' | 'star' | 'one' } | { t: 'lit'; c: string } | { t: 'class'; negate: boolean; ranges: [string, string][] };

function tokens(p: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      if (p[i + 1] === '*') {
        out.push({ t: 'any' });
        i++;
      } else out.push({ t: 'star' });
    } else if (c === '?') out.push({ t: 'one' });
    else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) {
        out.push({ t: 'lit', c });
        continue;
      }
      let body = p.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          ranges.push([body[j], body[j + 2]]);
          j += 2;
        } else ranges.push([body[j], body[j]]);
      }
      out.push({ t: 'class', negate, ranges });
      i = end;
    } else if (c === '\\' && i + 1 < p.length) out.push({ t: 'lit', c: p[++i] });
    else out.push({ t: 'lit', c });
  }
  return out;
}

function matchOne(pattern: string, name: string): boolean {
  const toks = tokens(pattern);
  // reach[j]: the first i tokens can match name[0..j).
  let reach = new Array<boolean>(name.length + 1).fill(false);
  reach[0] = true;
  for (const tok of toks) {
    const next = new Array<boolean>(name.length + 1).fill(false);
    for (let j = 0; j <= name.length; j++) {
      if (tok.t === 'any' || tok.t === 'star') {
        // Zero or more characters (no `/` for a single star): carry reach forward.
        if (reach[j] || (j > 0 && next[j - 1] && (tok.t === 'any' || name[j - 1] !== '/'))) next[j] = true;
        continue;
      }
      if (!reach[j] || j >= name.length) continue;
      const ch = name[j];
      let ok = false;
      if (tok.t === 'one') ok = ch !== '/';
      else if (tok.t === 'lit') ok = ch === tok.c;
      else if (tok.t === 'class') ok = ch !== '/' && tok.ranges.some(([a, b]) => ch >= a && ch <= b) !== tok.negate;
      if (ok) next[j + 1] = true;
    }
    reach = next;
  }
  return reach[name.length];
}

function toYamlMap(m: DataMap): string {
  if (!keysOf(m).length) return '';
  return stringify(m, { lineWidth: 0, sortMapEntries: true });
}

function filesMap(files: ChartOtherFiles, names: readonly string[]): DataMap {
  const out = newMap();
  for (const n of names) setOwn(out, n, files.read(n) ?? '');
  return out;
}

function methods(files: ChartOtherFiles, scope: readonly string[] | undefined): Record<string, TemplateMethod> {
  const inScope = (n: string) => !scope || scope.includes(n);
  const get = (args: unknown[]) => (inScope(str(args[0])) ? (files.read(str(args[0])) ?? '') : '');
  const asConfig = (names: readonly string[], encode: (s: string) => string) => {
    const m = newMap();
    for (const n of names) setOwn(m, basename(n), encode(files.read(n) ?? ''));
    return toYamlMap(m);
  };
  const all = () => scope ?? files.names;
  return {
    Get: new TemplateMethod(get),
    GetBytes: new TemplateMethod(get),
    Lines: new TemplateMethod((args) => {
      const text = get(args);
      return text === '' ? [] : text.split('\n');
    }),
    Glob: new TemplateMethod((args) => {
      const pattern = str(args[0]);
      const names = all().filter((n) => globMatch(pattern, n));
      return attachMethods(filesMap(files, names), methods(files, names));
    }),
    AsConfig: new TemplateMethod(() => asConfig(all(), (s) => s)),
    AsSecrets: new TemplateMethod(() => asConfig(all(), (s) => Buffer.from(s).toString('base64'))),
  };
}

/** `.Files` of a chart. */
export function filesObject(files: ChartOtherFiles | undefined): DataMap {
  return mapOf(methods(files ?? { names: [], read: () => undefined }, undefined));
}
