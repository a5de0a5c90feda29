/**
 * What the Kubernetes secret rules share: pointing into a scalar's text, naming what was found without
 * ever printing it, and the base64 of Secret `data`.
 */
import { isScalar, Node, Scalar } from 'yaml';
import type { Span } from '../../../server/src/documents/yamlNodes';
import type { RuleMeta } from '../../../server/src/engine/rule';
import { redact, Verdict } from '../../../server/src/secrets';

export const SECRETS: Pick<RuleMeta, 'category' | 'recommended' | 'docsUrl'> = {
  category: 'secrets',
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
};

/**
 * Checkov's secret checks for the formats and keyword judgement the shared detector covers (AWS key,
 * Azure storage key, basic auth in URLs, high-entropy strings, JWT, secret keyword, Mailchimp, npm,
 * private key, Slack, Square, Stripe, Twilio), so `checkov:skip=` comments keep working.
 */
export const CHECKOV_SECRET_REFERENCES: readonly string[] = [2, 3, 4, 6, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19].map((n) => `checkov:CKV_SECRET_${n}`);

/** The string a scalar holds (numbers and booleans are never secrets), or undefined. */
export function stringScalar(node: unknown): Scalar | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node : undefined;
}

/**
 * The source span of `value.slice(from, to)` for a scalar of `text`. Plain and quoted one-line
 * scalars map directly; literal blocks map line by line (each content line is the value's line with
 * the block's indentation in front); anything else falls back to a search, then to the whole scalar.
 */
export function spanInScalar(text: string, node: Scalar, from: number, to: number): Span {
  const [s, e] = (node as Node).range ?? [0, 0];
  const value = String(node.value);
  const whole = { start: s, end: trimEnd(text, s, e) };
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (from <= 0 && to >= value.length && !quoted) return whole;
  const src = text.slice(s, e);
  const needle = value.slice(from, to);
  if (node.type === 'BLOCK_LITERAL') {
    const mapped = blockLiteralOffset(src, value, from);
    if (mapped !== undefined && src.startsWith(needle, mapped)) return { start: s + mapped, end: s + mapped + needle.length };
  } else {
    const inner = quoted ? src.slice(1, src.length - 1) : src.trimEnd();
    if (inner === value) return { start: s + (quoted ? 1 : 0) + from, end: s + (quoted ? 1 : 0) + to };
  }
  const found = needle.length >= 4 ? src.indexOf(needle) : -1;
  return found >= 0 ? { start: s + found, end: s + found + needle.length } : whole;
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}

/** Offset in a literal block's source (`|` header included) of offset `at` of its value. */
function blockLiteralOffset(src: string, value: string, at: number): number | undefined {
  const headerEnd = src.indexOf('\n');
  if (headerEnd < 0) return undefined;
  const lines: number[] = []; // source offset of each content line
  for (let i = headerEnd + 1; i < src.length; ) {
    lines.push(i);
    const nl = src.indexOf('\n', i);
    if (nl < 0) break;
    i = nl + 1;
  }
  const firstContent = lines.find(
    (l) => src[l] !== '\n' && src[l] !== '\r' && src.slice(l, src.indexOf('\n', l) < 0 ? src.length : src.indexOf('\n', l)).trim() !== '',
  );
  if (firstContent === undefined) return undefined;
  let indent = 0;
  while (src[firstContent + indent] === ' ') indent++;
  let line = 0;
  let col = at;
  for (let i = value.indexOf('\n'); i >= 0 && i < at; i = value.indexOf('\n', i + 1)) {
    line++;
    col = at - i - 1;
  }
  const start = lines[line];
  return start === undefined ? undefined : start + indent + col;
}

/**
 * "GitHub token \"ghp_…\" (40 characters)" / "password \"…\" (9 characters)": what a finding names,
 * given the secret's own text (the part `verdictRange` points at).
 */
export function describeVerdict(verdict: Verdict, secretText: string): string {
  return `${verdict.reason === 'format' ? verdict.hit.name : verdict.what} ${redact(secretText)}`;
}

/** Where in `value` the finding points: the token for a format, the whole value for a name. */
export function verdictRange(verdict: Verdict, value: string): [number, number] {
  if (verdict.reason === 'format') return [verdict.hit.index, verdict.hit.index + verdict.hit.length];
  const lead = value.length - value.trimStart().length;
  return [lead, lead + value.trim().length];
}

/** Strict base64 (whitespace allowed between groups), decoded as UTF-8 text; undefined for binary. */
export function decodeBase64Text(raw: string): string | undefined {
  const compact = raw.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const bytes = Buffer.from(compact, 'base64');
  const text = bytes.toString('utf8');
  // Binary (a keystore, a compressed blob) is not judged as text.
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13)) control++;
  }
  return control > 0 ? undefined : text;
}

export function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

/**
 * Whether a comment on the value's line or the line above says the value is to be replaced
 * (`# replace with your key`, `# change this`): the author marked it a placeholder.
 */
export function commentMarksPlaceholder(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
  const lineEnd = text.indexOf('\n', offset);
  const lines = text.slice(prevStart, lineEnd < 0 ? text.length : lineEnd);
  for (const line of lines.split('\n')) {
    const hash = line.indexOf('#');
    if (hash >= 0 && /\b(?:replace|change (?:this|it|me)|your own|your \w+ key|set (?:this|your)|fill in|example|placeholder|dummy)\b/i.test(line.slice(hash)))
      return true;
  }
  return false;
}
