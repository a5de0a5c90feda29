/**
 * Inline suppressions: Bulkhead's own comments plus the ones users already have for other tools,
 * mapped through each rule's `references`. Each form reaches exactly as far as its tool lets it,
 * and never backwards past an instruction or a YAML line it does not sit on:
 *
 *   # bulkhead-ignore <rule>[,<rule>...] [-- reason]            the next line (or this line, if trailing);
 *                                                                in a Dockerfile the next instruction
 *   # bulkhead-ignore-document <rule>[,...] [-- reason]          this YAML document
 *   # bulkhead-ignore-file <rule>[,...] [-- reason]              the whole file
 *   # trivy:ignore:<ID>                                          the next line / instruction (or this one)
 *   # hadolint ignore=DL3002,DL3008                              the instruction on the very next line
 *   # hadolint global ignore=DL3002                              the whole Dockerfile
 *   # check=skip=<BuildKitRule>[,...]|all[;error=...]            the whole Dockerfile when it is a parser
 *                                                                directive (the top block); elsewhere the
 *                                                                instruction right below (no blank line)
 *   #checkov:skip=<CKV_DOCKER_n>[: reason]                       the whole Dockerfile (as Checkov does)
 *   annotations ignore-check.kube-linter.io/<check>, kube-linter.io/ignore-all,
 *   checkov.io/skip<N>: <CKV id>[=reason], polaris.fairwinds.com/<check>-exempt,
 *   kube-score/ignore: <check>[,...]                           that object
 *
 * Only real comments count: a `#` inside a YAML string or block scalar, inside a Dockerfile
 * instruction's continuation lines or heredoc body, is content, so text there never suppresses
 * anything beyond the instruction it belongs to (and file or document forms there do nothing).
 */
import { Lexer } from 'yaml';
import type { RuleMeta } from './rule';
import { hasReferenceFrom, ruleMatchesToken } from './references';
import type { KubeObject } from '../documents/kube';

export interface Matcher {
  tokens: string[];
  /** Restrict bare tokens to one tool's ids (`hadolint` for `DL3002`). */
  tool?: string;
  /** Names are compared as written (BuildKit's check names are case-sensitive). */
  exact?: boolean;
  reason?: string;
}

export function matches(rule: RuleMeta, m: Matcher): boolean {
  if (m.tool && m.tokens.includes('@all')) return hasReferenceFrom(rule, m.tool);
  if (m.exact && m.tool) return m.tokens.some((t) => rule.references.includes(`${m.tool}:${t}`));
  return m.tokens.some((t) => ruleMatchesToken(rule, t, m.tool));
}

export interface LineSuppression extends Matcher {
  /** 0-based line (within the text scanned) the suppression covers. */
  line: number;
}

export interface CommentSuppressions {
  lines: LineSuppression[];
  document: Matcher[];
  file: Matcher[];
}

const BULKHEAD = /#\s*bulkhead-ignore(-document|-file|-next-line)?\s+([^\r\n]*)/;
const TRIVY = /#\s*trivy:ignore:([A-Za-z0-9_-]+)/;
/** hadolint's pragma grammar (`Hadolint/Pragma.hs`): rule codes of `DLSC0-9`, commas, an optional trailing `# note`. */
const HADOLINT = /^[ \t]*#[ \t]*hadolint[ \t]+(global[ \t]+)?ignore[ \t]*=[ \t]*([DLSC0-9]+(?:[ \t]*,[ \t]*[DLSC0-9]+)*)([^]*)/;
/** A `# check=...` comment; where it sits decides its reach (see `dockerfileDirectiveLines`). */
const BUILDKIT = /^\s*#\s*check\s*=\s*(\S.*)$/i;
/** Any `#`, blanks, `check`, blanks, `=`: what BUILDKIT and a `check` parser directive both start with. */
const BUILDKIT_ANYWHERE = /#\s*check\s*=/i;
/** Checkov's Dockerfile comment: `#checkov:skip=CKV_DOCKER_3: reason`, which applies to the whole file. */
const CHECKOV = /#\s*checkov:skip=([A-Za-z0-9_]+)(?::\s*(.*))?/;
/** BuildKit's directive syntax after the `#`: a key, `=`, a value (blanks around both). */
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(\S.*)$/;
const DIRECTIVE_KEYS = new Set(['syntax', 'escape', 'check']);

/**
 * `spec` split at each ` -- ` (blanks, two dashes, optional blanks), as splitting on `\s+--\s*`
 * would, by hand: that regex retries from every blank of a long run of blanks (quadratic).
 */
function splitAtDashes(spec: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = spec.indexOf('--'); i >= 0; i = spec.indexOf('--', i + 1)) {
    let start = i;
    while (start > from && /\s/.test(spec[start - 1])) start--;
    if (start === i) continue; // no blank before the dashes
    let end = i + 2;
    while (end < spec.length && /\s/.test(spec[end])) end++;
    parts.push(spec.slice(from, start));
    from = end;
    i = end - 1;
  }
  parts.push(spec.slice(from));
  return parts;
}

function parseTokens(spec: string): { tokens: string[]; reason?: string } {
  const [ids, ...reason] = splitAtDashes(spec);
  return {
    tokens: ids.split(/[,\s]+/).filter(Boolean),
    reason: reason.length ? reason.join(' -- ').trim() || undefined : undefined,
  };
}

/**
 * The value of BuildKit's `check` directive read as BuildKit's `ParseLintOptions` reads it:
 * `skip=<A,B>|all`, `error=<bool>`, `experimental=...`, joined by `;`. Any other key, or a part
 * without `=`, makes BuildKit reject the directive, and then nothing is skipped.
 */
export function parseBuildkitCheck(value: string): Matcher | undefined {
  let skip: string[] = [];
  for (const part of value.trim().split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 'skip')
      skip =
        v === 'all'
          ? ['@all']
          : v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
    else if (key === 'error') {
      if (!/^(1|0|t|f|true|false|TRUE|FALSE|True|False|T|F)$/.test(v)) return undefined;
    } else if (key !== 'experimental') return undefined;
  }
  return skip.length ? { tokens: skip, tool: 'buildkit', exact: true } : undefined;
}

/**
 * The lines of a Dockerfile's parser-directive block, as BuildKit finds it: after an optional BOM
 * and `#!` line, consecutive lines that start with `#` (no indentation) followed by a known key
 * (`syntax`, `escape`, `check`, any case), `=` and a value. The first other line (a blank line, a
 * plain comment, an unknown key, an instruction) ends the block; a repeated key is an error that
 * ends it too, keeping the directives before it (BuildKit's `ParseDirective` does the same).
 * Returns the line index and value of the `check` directive, if the block has one.
 */
export function dockerfileCheckDirective(lines: string[]): { line: number; value: string } | undefined {
  let i = 0;
  if (lines.length && lines[0].startsWith('\uFEFF')) lines = [lines[0].slice(1), ...lines.slice(1)];
  if (lines.length && lines[0].startsWith('#!')) i = 1;
  const seen = new Set<string>();
  let check: { line: number; value: string } | undefined;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith('#')) break;
    const m = DIRECTIVE.exec(line.slice(1).trimStart());
    if (!m) break;
    const key = m[1].toLowerCase();
    if (!DIRECTIVE_KEYS.has(key) || seen.has(key)) break;
    seen.add(key);
    if (key === 'check') check = { line: i, value: m[2].trimEnd() };
  }
  return check;
}

/**
 * Where the real comments of a YAML text are, as [start, end) offsets: the YAML lexer tells a
 * comment from a `#` inside a quoted, plain or block scalar (a script in a ConfigMap is content).
 */
function yamlCommentRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let offset = 0;
  let previous = '';
  for (const token of new Lexer().lex(text)) {
    // The lexer's control tokens mark structure and take no room in the source.
    if (token === '\x02' || token === '\x18' || token === '\x1f') {
      previous = token;
      continue;
    }
    if (token.startsWith('#') && previous !== '\x1f') ranges.push([offset, offset + token.length]);
    offset += token.length;
    previous = token;
  }
  return ranges;
}

export interface DockerfileLayout {
  /** 0-based [first, last] lines of each instruction, continuation lines and heredoc bodies included. */
  instructions: [number, number][];
}

interface Candidate {
  line: number;
  /** Offset of the matched `#` within the line. */
  at: number;
}

/**
 * Whether a text can hold any comment `scanCommentSuppressions` reads: each form needs one of these
 * strings (BuildKit's `# check=` in any case). Most files hold none, and splitting them into lines
 * and running five expressions on every comment line was a tenth of a cold Dockerfile scan.
 */
function mayHoldSuppressions(text: string): boolean {
  if (!text.includes('#')) return false;
  return (
    text.includes('bulkhead-ignore') ||
    text.includes('trivy:ignore') ||
    text.includes('hadolint') ||
    text.includes('checkov:skip') ||
    BUILDKIT_ANYWHERE.test(text)
  );
}

/**
 * Scans comment lines. YAML suppressions cover the next non-comment line (or their own line);
 * Dockerfile ones the next instruction (the engine widens a line to its instruction). Pass the
 * Dockerfile's instruction layout so comment-looking lines inside an instruction are not read (a
 * function: it is asked for only when the text holds a suppression comment at all).
 */
export function scanCommentSuppressions(text: string, dockerfile = false, layout?: () => DockerfileLayout): CommentSuppressions {
  const result: CommentSuppressions = { lines: [], document: [], file: [] };
  if (!mayHoldSuppressions(text)) return result;
  const lines = text.split(/\r?\n|\r/);
  // Dockerfile: lines strictly inside an instruction (continuations, heredoc bodies).
  const inside = new Uint8Array(lines.length);
  if (dockerfile && layout) {
    for (const [from, to] of layout().instructions) for (let l = Math.max(from + 1, 0); l <= to && l < lines.length; l++) inside[l] = 1;
  }
  const directive = dockerfile ? dockerfileCheckDirective(lines) : undefined;
  if (directive) {
    const m = parseBuildkitCheck(directive.value);
    if (m) result.file.push(m);
  }
  // YAML: the offsets of real comments, computed only when something looks like a suppression.
  let yamlComments: [number, number][] | undefined;
  let lineStarts: number[] | undefined;
  const isRealComment = (c: Candidate): boolean => {
    if (dockerfile) return true;
    if (!yamlComments) {
      yamlComments = yamlCommentRanges(text);
      lineStarts = [0];
      const re = /\r?\n|\r/g;
      for (let m = re.exec(text); m; m = re.exec(text)) lineStarts.push(m.index + m[0].length);
    }
    const at = lineStarts![c.line] + c.at;
    let lo = 0;
    let hi = yamlComments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = yamlComments[mid];
      if (at < s) hi = mid - 1;
      else if (at >= e) lo = mid + 1;
      else return true;
    }
    return false;
  };
  const pending: Matcher[] = [];
  const pendingBuildkit: Matcher[] = [];
  const pendingNextLine: Matcher[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const pendingBefore = pendingNextLine.length;
    const hash = line.indexOf('#');
    const isCommentLine = /^\s*#/.test(line);
    // A comment line inside a Dockerfile instruction is neither a suppression nor the line one covers.
    if (inside[i] && isCommentLine) continue;
    if (hash >= 0) {
      const own = BULKHEAD.exec(line);
      if (own && isRealComment({ line: i, at: own.index })) {
        const m = parseTokens(own[2]);
        if (own[1] === '-file' || own[1] === '-document') {
          // Whole-file and whole-document forms only on a line of their own.
          if (isCommentLine) (own[1] === '-file' || dockerfile ? result.file : result.document).push(m);
        } else if (!isCommentLine) result.lines.push({ ...m, line: i });
        else pending.push(m);
      }
      const trivy = TRIVY.exec(line);
      if (trivy && isRealComment({ line: i, at: trivy.index })) {
        const m = { tokens: [trivy[1]], tool: 'trivy' };
        if (isCommentLine) pending.push(m);
        else result.lines.push({ ...m, line: i });
      }
      if (dockerfile && isCommentLine) {
        const hadolint = HADOLINT.exec(line);
        if (hadolint && /^[ \t]*(?:#.*)?$/.test(hadolint[3])) {
          const m = { tokens: hadolint[2].split(/[,\s]+/).filter(Boolean), tool: 'hadolint' };
          if (hadolint[1]) result.file.push(m);
          // hadolint applies `ignore=` to the line right after the comment only (the instruction's first line).
          else pendingNextLine.push(m);
        }
        const buildkit = BUILDKIT.exec(line);
        if (buildkit && i !== directive?.line) {
          // Outside the directive block BuildKit reads `# check=` only among the comments right
          // above an instruction (a blank line in between detaches them), for that instruction.
          const m = parseBuildkitCheck(buildkit[1]);
          if (m) pendingBuildkit.push(m);
        }
        const checkov = CHECKOV.exec(line);
        if (checkov) result.file.push({ tokens: [checkov[1]], tool: 'checkov', reason: checkov[2]?.trim() || undefined });
      }
    }
    if (!isCommentLine && line.trim() !== '') {
      for (const m of [...pending, ...pendingBuildkit, ...pendingNextLine]) result.lines.push({ ...m, line: i });
      pending.length = 0;
      pendingBuildkit.length = 0;
      pendingNextLine.length = 0;
    } else {
      if (line.trim() === '') pendingBuildkit.length = 0;
      // Anything but the instruction on the very next line ends a hadolint `ignore=`.
      // (a hadolint comment on this very line keeps only its own entries)
      if (pendingBefore) pendingNextLine.splice(0, pendingBefore);
    }
  }
  return result;
}

/** Suppressions written as annotations on a Kubernetes object. */
export function annotationMatchers(object: KubeObject): Matcher[] {
  const out: Matcher[] = [];
  for (const [key, { value }] of object.annotations()) {
    let m: RegExpExecArray | null;
    if ((m = /^ignore-check\.kube-linter\.io\/(.+)$/.exec(key))) {
      out.push({ tokens: [m[1]], tool: 'kube-linter', reason: value || undefined });
    } else if (key === 'kube-linter.io/ignore-all') {
      out.push({ tokens: ['@all'], tool: 'kube-linter', reason: value || undefined });
    } else if (/^checkov\.io\/skip\d*$/.test(key)) {
      const [id, reason] = value.split('=');
      out.push({ tokens: [id.trim()], tool: 'checkov', reason: reason?.trim() });
    } else if ((m = /^polaris\.fairwinds\.com\/(.+)-exempt$/.exec(key)) && value === 'true') {
      out.push({ tokens: [m[1]], tool: 'polaris' });
    } else if (key === 'polaris.fairwinds.com/exempt' && value === 'true') {
      out.push({ tokens: ['@all'], tool: 'polaris' });
    } else if (key === 'kube-score/ignore') {
      out.push({
        tokens: value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        tool: 'kube-score',
      });
    } else if ((m = /^bulkhead\.dev\/ignore$/.exec(key))) {
      out.push(parseTokens(value));
    }
  }
  return out;
}

/** `@all` with a tool means every rule that has an equivalent in that tool. */
export function annotationMatches(rule: RuleMeta, m: Matcher): boolean {
  return matches(rule, m);
}
