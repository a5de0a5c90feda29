/**
 * Helm's reading of a dependency `version` (Masterminds/semver v3 constraints): whether it pins one
 * version, and whether a version satisfies it. Parsed by splitting, never by a backtracking regex.
 */

type Triple = [number, number, number];

/** A version or partial version: the numbers given (up to 3); a wildcard (`x`, `X`, `*`) ends them. */
interface Partial {
  nums: number[];
  /** Pre-release or build suffix present. */
  suffix: boolean;
}

const EXACT = /^v?\d{1,9}\.\d{1,9}\.\d{1,9}(?:[-+][0-9A-Za-z.+-]{0,200})?$/;

/** Whether `constraint` names exactly one version (`5.2.1`, `=5.2.1`, `v5.2.1`). */
export function isPinned(constraint: string): boolean {
  const c = constraint.trim().replace(/^=\s*/, '');
  return EXACT.test(c);
}

function parsePartial(s: string): Partial | undefined {
  let text = s.trim();
  if (text.startsWith('v') || text.startsWith('V')) text = text.slice(1);
  let suffix = false;
  const cut = text.search(/[-+]/);
  if (cut > 0) {
    suffix = true;
    text = text.slice(0, cut);
  }
  if (text === '') return undefined;
  const nums: number[] = [];
  for (const part of text.split('.')) {
    if (part === 'x' || part === 'X' || part === '*') break;
    if (!/^\d{1,9}$/.test(part)) return undefined;
    nums.push(Number(part));
  }
  if (text.split('.').length > 3) return undefined;
  return { nums, suffix };
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function low(p: Partial): Triple {
  return [p.nums[0] ?? 0, p.nums[1] ?? 0, p.nums[2] ?? 0];
}

/** The first version after everything `p` covers (`1.2` → 1.3.0); undefined for `*`. */
function next(p: Partial): Triple | undefined {
  const n = p.nums;
  if (n.length === 0) return undefined;
  if (n.length === 1) return [n[0] + 1, 0, 0];
  if (n.length === 2) return [n[0], n[1] + 1, 0];
  return [n[0], n[1], n[2] + 1];
}

type Test = (v: Triple) => boolean;

const between =
  (lo: Triple, hi: Triple | undefined): Test =>
  (v) =>
    compare(v, lo) >= 0 && (!hi || compare(v, hi) < 0);

function comparator(op: string, p: Partial): Test | undefined {
  const lo = low(p);
  switch (op) {
    case '':
    case '=':
      return between(lo, next(p));
    case '!=':
      return (v) => !between(lo, next(p))(v);
    case '>':
      return (v) => compare(v, next(p) ?? [Infinity, 0, 0]) >= 0;
    case '>=':
    case '=>':
      return (v) => compare(v, lo) >= 0;
    case '<':
      return (v) => compare(v, lo) < 0;
    case '<=':
    case '=<': {
      const hi = next(p);
      return (v) => !hi || compare(v, hi) < 0;
    }
    case '~':
    case '~>':
      if (p.nums.length === 0) return () => true;
      return between(lo, p.nums.length === 1 ? [lo[0] + 1, 0, 0] : [lo[0], lo[1] + 1, 0]);
    case '^':
      if (p.nums.length === 0) return () => true;
      if (lo[0] > 0 || p.nums.length === 1) return between(lo, [lo[0] + 1, 0, 0]);
      if (lo[1] > 0 || p.nums.length === 2) return between(lo, [0, lo[1] + 1, 0]);
      return undefined; // ^0.0.x: rules differ between semver libraries
  }
  return undefined;
}

const OPERATORS = ['!=', '>=', '=>', '<=', '=<', '~>', '>', '<', '=', '~', '^'];

/** The test for one AND group (`>=1.2 <2`, `1.2 - 1.4`); undefined if it does not parse. */
function group(text: string): Test | undefined {
  const words = text.split(/[\s,]+/).filter(Boolean);
  const tests: Test[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i + 1] === '-' && words[i + 2] !== undefined) {
      const a = parsePartial(words[i]);
      const b = parsePartial(words[i + 2]);
      if (!a || !b) return undefined;
      const hi = next(b);
      tests.push((v) => compare(v, low(a)) >= 0 && (!hi || compare(v, hi) < 0));
      i += 2;
      continue;
    }
    let word = words[i];
    let op = OPERATORS.find((o) => word.startsWith(o)) ?? '';
    word = word.slice(op.length);
    if (word === '' && words[i + 1] !== undefined) word = words[++i]; // `>= 1.2`
    const p = parsePartial(word);
    if (!p || p.suffix) return undefined;
    const t = comparator(op, p);
    if (!t) return undefined;
    tests.push(t);
    op = '';
  }
  return tests.length ? (v) => tests.every((t) => t(v)) : undefined;
}

/**
 * Whether `version` (an exact release, no pre-release) satisfies `constraint`; undefined when
 * either does not parse or the answer depends on rules this reading leaves out.
 */
export function satisfies(version: string, constraint: string): boolean | undefined {
  if (!isPinned(version) || /[-+]/.test(version)) return undefined;
  const v = low(parsePartial(version)!);
  if (constraint.length > 500) return undefined;
  const groups = constraint.split('||').map((g) => group(g));
  if (groups.some((g) => !g)) return undefined;
  return groups.some((g) => g!(v));
}
