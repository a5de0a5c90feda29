/**
 * Helpers shared by the Dockerfile rules: base-image references with ARG defaults resolved, and
 * RUN scripts as the shell sees them (continuations joined, comment lines dropped) with a map back
 * to source offsets so findings underline exactly the offending words.
 */
import type { Instruction, From } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../../server/src/documents/dockerfile';
import type { Range } from '../../server/src/text/lineIndex';
import type { Span } from '../../server/src/documents/yamlNodes';

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
    const props = (instr as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] }).getProperties?.() ?? [];
    for (const p of props) {
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
  const out = text.replace(/\$(?:\{(\w+)(?::?([-+])([^}]*))?\}|(\w+))/g, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, plain: string | undefined) => {
    const name = braced ?? plain ?? '';
    const value = vars.get(name);
    if (op === '-') return value !== undefined && value !== '' ? value : (word ?? '');
    if (op === '+') return value !== undefined && value !== '' ? (word ?? '') : '';
    if (value === undefined) {
      unknown = true;
      return '';
    }
    return value;
  });
  return unknown ? undefined : out;
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

export function baseImageRefs(model: DockerfileModel): ImageRef[] {
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

export function keyword(instr: Instruction): string {
  return instr.getKeyword().toUpperCase();
}

/** Every instruction with its stage (preamble instructions have none). */
export function stageInstructions(model: DockerfileModel, stages: readonly Stage[] = model.stages): { stage: Stage; instr: Instruction }[] {
  return stages.flatMap((stage) => stage.instructions.map((instr) => ({ stage, instr })));
}

/** The stages whose contents reach the shipped image: the final stage and the stages it builds on. */
export function shippedStages(model: DockerfileModel): Stage[] {
  const out: Stage[] = [];
  for (let s = model.finalStage, hops = 0; s && hops < 64; s = s.parent, hops++) out.push(s);
  return out;
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

/** Arguments of COPY/ADD after the flags, unquoted, with their ranges; JSON form handled. */
export function pathArguments(instr: Instruction): { value: string; range: Range }[] {
  const json = (instr as unknown as { getJSONStrings?: () => { getJSONValue(): string; getRange(): Range }[] }).getJSONStrings?.();
  if (json && json.length) return json.map((j) => ({ value: j.getJSONValue(), range: j.getRange() }));
  return instr
    .getArguments()
    .filter((a) => !a.getValue().startsWith('--'))
    .map((a) => ({ value: unquote(a.getValue()), range: a.getRange() }));
}

// ---------------------------------------------------------------------------------------------
// Shell scripts of RUN

export interface Script {
  instr: Instruction;
  /** The script as the shell would read it (continuations joined, comment lines dropped). */
  text: string;
  /** Source offset of every character of `text`, plus one past the end. */
  map: number[];
  /** The RUN uses exec (JSON) form. */
  exec: boolean;
}

/** Scripts by instruction: a dozen rules read each RUN, and an Instruction belongs to one immutable parse. */
const scripts = new WeakMap<Instruction, Script | null>();

/** The shell script of a RUN (or any shell-form instruction: CMD, ENTRYPOINT, HEALTHCHECK). */
export function scriptOf(model: DockerfileModel, instr: Instruction): Script | undefined {
  const known = scripts.get(instr);
  if (known !== undefined) return known ?? undefined;
  const script = computeScript(model, instr);
  scripts.set(instr, script ?? null);
  return script;
}

function computeScript(model: DockerfileModel, instr: Instruction): Script | undefined {
  const range = instr.getArgumentsRange();
  if (!range) return undefined;
  const { start, end } = model.span(range);
  const raw = model.text.slice(start, end);
  const escape = model.ast.getEscapeCharacter();
  const heredoc = ((instr as unknown as { getHeredocs?: () => unknown[] }).getHeredocs?.() ?? []).length > 0;
  let text = '';
  const map: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    // Line continuation: escape char, optional trailing spaces, then a line break.
    if (!heredoc && c === escape) {
      const m = /^[ \t]*(\r\n|\r|\n)/.exec(raw.slice(i + 1));
      if (m) {
        i += 1 + m[0].length;
        // Comment lines and empty lines inside a continuation are dropped by the builder.
        for (;;) {
          const rest = raw.slice(i);
          const comment = /^[ \t]*#[^\r\n]*(\r\n|\r|\n)/.exec(rest) ?? /^[ \t]*(\r\n|\r|\n)/.exec(rest);
          if (!comment) break;
          i += comment[0].length;
        }
        continue;
      }
    }
    text += c;
    map.push(start + i);
    i++;
  }
  map.push(end);
  return { instr, text, map, exec: /^\s*\[/.test(raw) && !heredoc };
}

export function scriptSpan(script: Script, from: number, to: number): Span {
  const start = script.map[Math.max(0, Math.min(from, script.map.length - 1))];
  // End just after the last matched character.
  const last = script.map[Math.max(0, Math.min(to - 1, script.map.length - 2))];
  return { start, end: to > from ? last + 1 : start };
}

/** RUN instructions of the given stages with their scripts. */
export function runScripts(model: DockerfileModel, stages: readonly Stage[] = model.stages): { stage: Stage; script: Script }[] {
  const out: { stage: Stage; script: Script }[] = [];
  for (const { stage, instr } of stageInstructions(model, stages)) {
    if (keyword(instr) !== 'RUN') continue;
    const script = scriptOf(model, instr);
    if (script) out.push({ stage, script });
  }
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
  const out: Command[] = [];
  let start = 0;
  let quote: string | undefined;
  // `case … in a | b) …;; esac`: the `|` and `)` of patterns are not pipes or subshells.
  let caseState: 'none' | 'header' | 'pattern' | 'body' = 'none';
  const push = (end: number, op: string, skip: number): void => {
    out.push({ text: script.slice(start, end), start, next: op });
    start = end + skip;
  };
  const wordAt = (i: number, word: string): boolean =>
    script.startsWith(word, i) && (i === 0 || /[\s;&|()]/.test(script[i - 1])) && !/[\w-]/.test(script[i + word.length] ?? '');
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(script[i - 1]))) {
      // Comment to end of line.
      const nl = script.indexOf('\n', i);
      const end = nl < 0 ? script.length : nl;
      push(i, '', end - i);
      i = end - 1;
      continue;
    }
    if (wordAt(i, 'case') && caseState === 'none') caseState = 'header';
    else if (caseState === 'header' && wordAt(i, 'in')) {
      caseState = 'pattern';
      push(i, 'in', 2);
      i++;
      continue;
    } else if ((caseState === 'pattern' || caseState === 'body') && wordAt(i, 'esac')) caseState = 'none';
    if (caseState === 'pattern') {
      if (c === ')') {
        caseState = 'body';
        push(i, ')', 1);
      } else if (c === '|' || c === '(' || c === '\n') {
        start = i + 1;
      }
      continue;
    }
    const two = script.slice(i, i + 2);
    if (caseState === 'body' && two === ';;') {
      push(i, ';;', 2);
      i++;
      caseState = 'pattern';
      continue;
    }
    if (two === '&&' || two === '||') {
      push(i, two, 2);
      i++;
    } else if (two === '$(') {
      push(i, '$(', 2);
      i++;
    } else if (c === '&' && (script[i - 1] === '>' || script[i - 1] === '<' || script[i + 1] === '>')) {
      // `2>&1`, `&>file`: redirections, not background jobs.
    } else if (c === '|' || c === ';' || c === '\n' || c === '&' || c === '`' || c === '(' || c === ')') {
      push(i, c, 1);
    }
  }
  push(script.length, '', 0);
  return out.filter((cmd) => cmd.text.trim() !== '');
}

/** Words of a command with their offsets relative to the command, quotes removed from `value`. */
export function words(command: string): { value: string; raw: string; start: number; end: number }[] {
  const out: { value: string; raw: string; start: number; end: number }[] = [];
  const re = /(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'])+/g;
  for (let m = re.exec(command); m; m = re.exec(command)) {
    out.push({ value: m[0].replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g, (_x, a: string | undefined, b: string | undefined) => a ?? b ?? ''), raw: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Reserved words that start a compound command: the program follows them. */
export const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '{', '}', '!', 'fi', 'done']);

/** The program a simple command runs, skipping `sudo`, `env X=Y`, `VAR=x` prefixes and `exec`. */
export function programIndex(ws: { value: string }[]): number {
  let i = 0;
  while (i < ws.length) {
    const v = ws[i].value;
    if (/^\w+=/.test(v) || SHELL_KEYWORDS.has(v)) i++;
    else if (/^(sudo|exec|env|nohup|time|command|xargs|nice|su-exec|gosu)$/.test(v)) {
      i++;
      // Options of the wrapper (sudo -E, env -i); not their values, which is good enough here.
      while (i < ws.length && ws[i].value.startsWith('-')) i++;
    } else break;
  }
  return i;
}

/** `set -o pipefail` etc. is not a word we care about; helper for `rm` targets. */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
