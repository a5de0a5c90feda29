/**
 * Inline suppressions: Bulkhead's own comments plus the ones users already have for other tools,
 * mapped through each rule's `references`.
 *
 *   # bulkhead-ignore <rule>[,<rule>...] [-- reason]            the next line (or this line, if trailing)
 *   # bulkhead-ignore-document <rule>[,...] [-- reason]          this YAML document
 *   # bulkhead-ignore-file <rule>[,...] [-- reason]              the whole file
 *   # trivy:ignore:<ID>                                          the next line
 *   # hadolint ignore=DL3002,DL3008                              the next Dockerfile instruction
 *   # hadolint global ignore=DL3002                              the whole Dockerfile
 *   # check=skip=<BuildKitRule>[,...]                            the whole Dockerfile
 *   #checkov:skip=<CKV_DOCKER_n>[: reason]                       the whole Dockerfile
 *   annotations ignore-check.kube-linter.io/<check>, kube-linter.io/ignore-all,
 *   checkov.io/skip<N>: <CKV id>[=reason], polaris.fairwinds.com/<check>-exempt,
 *   kube-score/ignore: <check>[,...]                           that object
 */
import type { RuleMeta } from './rule';
import { hasReferenceFrom, ruleMatchesToken } from './references';
import type { KubeObject } from '../documents/kube';

export interface Matcher {
  tokens: string[];
  /** Restrict bare tokens to one tool's ids (`hadolint` for `DL3002`). */
  tool?: string;
  reason?: string;
}

export function matches(rule: RuleMeta, m: Matcher): boolean {
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
const HADOLINT = /#\s*hadolint\s+(global\s+)?ignore=([A-Za-z0-9_,\s]+)/;
const BUILDKIT = /^#\s*check=skip=([A-Za-z0-9_,]+)/;
/** Checkov's Dockerfile comment: `#checkov:skip=CKV_DOCKER_3: reason`, which applies to the whole file. */
const CHECKOV = /#\s*checkov:skip=([A-Za-z0-9_]+)(?::\s*(.*))?/;

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
 * Scans comment lines. `nextCodeLine(i)` says which line a "next line" suppression on line `i`
 * covers; YAML passes the next non-comment line, Dockerfiles the next instruction's lines.
 */
export function scanCommentSuppressions(text: string, dockerfile = false): CommentSuppressions {
  const result: CommentSuppressions = { lines: [], document: [], file: [] };
  if (!text.includes('#')) return result;
  const lines = text.split(/\r?\n|\r/);
  const pending: Matcher[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const hash = line.indexOf('#');
    const isComment = /^\s*#/.test(line);
    if (hash >= 0) {
      const own = BULKHEAD.exec(line);
      if (own) {
        const m = parseTokens(own[2]);
        if (own[1] === '-file') result.file.push(m);
        else if (own[1] === '-document') (dockerfile ? result.file : result.document).push(m);
        else if (!isComment) result.lines.push({ ...m, line: i });
        else pending.push(m);
      }
      const trivy = TRIVY.exec(line);
      if (trivy) {
        const m = { tokens: [trivy[1]], tool: 'trivy' };
        if (isComment) pending.push(m);
        else result.lines.push({ ...m, line: i });
      }
      if (dockerfile && isComment) {
        const hadolint = HADOLINT.exec(line);
        if (hadolint) {
          const m = { tokens: hadolint[2].split(/[,\s]+/).filter(Boolean), tool: 'hadolint' };
          if (hadolint[1]) result.file.push(m);
          else pending.push(m);
        }
        const buildkit = BUILDKIT.exec(line);
        if (buildkit) result.file.push({ tokens: buildkit[1].split(',').filter(Boolean), tool: 'buildkit' });
        const checkov = CHECKOV.exec(line);
        if (checkov) result.file.push({ tokens: [checkov[1]], tool: 'checkov', reason: checkov[2]?.trim() || undefined });
      }
    }
    if (!isComment && line.trim() !== '' && pending.length) {
      for (const m of pending) result.lines.push({ ...m, line: i });
      pending.length = 0;
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
      out.push({ tokens: value.split(',').map((s) => s.trim()).filter(Boolean), tool: 'kube-score' });
    } else if ((m = /^bulkhead\.dev\/ignore$/.exec(key))) {
      out.push(parseTokens(value));
    }
  }
  return out;
}

/** `@all` with a tool means every rule that has an equivalent in that tool. */
export function annotationMatches(rule: RuleMeta, m: Matcher): boolean {
  if (m.tool && m.tokens.includes('@all')) return hasReferenceFrom(rule, m.tool);
  return matches(rule, m);
}
