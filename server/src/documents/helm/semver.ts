/**
 * sprig's `semverCompare` as helm runs it: Masterminds/semver v3 constraints (`>=1.21-0`, `^1.2`,
 * `~1.2.3`, `1.2.x`, `1.2 - 1.4`, `a, b` / `a b` for AND, `||` for OR) checked against a version,
 * with Masterminds' pre-release rule: a version with a pre-release (`1.30.0-gke.1`) satisfies a
 * comparator only when the comparator names a pre-release itself. Parsed by splitting and small
 * anchored patterns without nested repetition (no backtracking on chart text).
 */

export interface SemVersion {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`alpha.1` → ['alpha', '1']); empty for a release. */
  pre: string[];
}

/** Go's `SemVer` regex of Masterminds v3, split into parts; each part a simple anchored pattern. */
const NUMBER = /^\d{1,18}$/;
const IDENTIFIERS = /^[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*$/;

/** Masterminds' NewVersion (loose): `v` prefix, missing minor/patch are 0, pre-release and build. */
export function parseVersion(text: string): SemVersion | undefined {
  if (text.length > 256) return undefined;
  let s = text.startsWith('v') ? text.slice(1) : text;
  let build = '';
  const plus = s.indexOf('+');
  if (plus >= 0) {
    build = s.slice(plus + 1);
    s = s.slice(0, plus);
    if (!IDENTIFIERS.test(build)) return undefined;
  }
  let pre = '';
  const dash = s.indexOf('-');
  if (dash >= 0) {
    pre = s.slice(dash + 1);
    s = s.slice(0, dash);
    if (!IDENTIFIERS.test(pre)) return undefined;
  }
  const parts = s.split('.');
  if (parts.length > 3 || !parts.every((p) => NUMBER.test(p))) return undefined;
  return { major: Number(parts[0]), minor: Number(parts[1] ?? 0), patch: Number(parts[2] ?? 0), pre: pre ? pre.split('.') : [] };
}

function comparePre(a: string[], b: string[]): number {
  if (!a.length || !b.length) return a.length ? -1 : b.length ? 1 : 0; // a release sorts after its pre-releases
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1; // numeric identifiers sort first
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: SemVersion, b: SemVersion): number {
  return Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch) || comparePre(a.pre, b.pre);
}

interface Comparator {
  op: string;
  con: SemVersion;
  /** A wildcard or missing part: `1.x`/`1` (minor), `1.2.x`/`1.2` (patch), `*` (everything). */
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const OPS = ['!=', '>=', '=>', '<=', '=<', '~>', '>', '<', '=', '~', '^'];
const isX = (p: string | undefined) => p === 'x' || p === 'X' || p === '*';

/** One comparator (`>=1.2.3-0`, `~1.x`); undefined when it does not parse (helm: "improper constraint"). */
function parseComparator(text: string): Comparator | undefined {
  const op = OPS.find((o) => text.startsWith(o)) ?? '';
  let rest = text.slice(op.length).trim();
  if (rest.startsWith('v')) rest = rest.slice(1);
  // The version part: numbers or wildcards, then an optional pre-release and build.
  let suffix = '';
  const cut = rest.search(/[-+]/);
  if (cut >= 0) {
    suffix = rest.slice(cut);
    rest = rest.slice(0, cut);
  }
  const parts = rest.split('.');
  if (rest === '' || parts.length > 3 || !parts.every((p) => NUMBER.test(p) || isX(p))) return undefined;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  let version: string;
  if (isX(parts[0])) {
    version = `0.0.0${suffix}`;
    dirty = true;
  } else if (parts[1] === undefined || isX(parts[1])) {
    version = `${parts[0]}.0.0${suffix}`;
    dirty = minorDirty = true;
  } else if (parts[2] === undefined || isX(parts[2])) {
    version = `${parts[0]}.${parts[1]}.0${suffix}`;
    dirty = patchDirty = true;
  } else version = `${parts.join('.')}${suffix}`;
  const con = parseVersion(version);
  return con ? { op, con, dirty, minorDirty, patchDirty } : undefined;
}

/** Masterminds v3's check of one comparator (constraints.go), pre-release rule included. */
function check(v: SemVersion, c: Comparator): boolean {
  const con = c.con;
  // A pre-release only satisfies comparators that name a pre-release themselves (Masterminds
  // leaves this out for a plain `!=1.2.3`).
  if (v.pre.length && !con.pre.length && !(c.op === '!=' && !c.dirty)) return false;
  const cmp = compareVersions(v, con);
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : cmp === 0;
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (c.minorDirty) return false;
        if (con.minor !== v.minor) return true;
        return false; // patch dirty: same major.minor is within 1.2.x
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp > 0;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > con.major) return false;
      if (v.major === con.major && v.minor > con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c, cmp);
  }
  return false;
}

function tilde(v: SemVersion, c: Comparator): boolean {
  const con = c.con;
  if (compareVersions(v, con) < 0) return false;
  if (con.major === 0 && con.minor === 0 && con.patch === 0 && !c.minorDirty && !c.patchDirty) return true; // ~0.0.0, ~*
  if (v.major !== con.major) return false;
  if (v.minor !== con.minor && !c.minorDirty) return false;
  return true;
}

function caret(v: SemVersion, c: Comparator, cmp: number): boolean {
  const con = c.con;
  if (cmp < 0) return false;
  if (con.major > 0 || c.minorDirty) return v.major === con.major;
  if (v.major > 0) return false;
  if (con.minor > 0 || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0) return false;
  return v.patch === con.patch;
}

export class SemverError extends Error {}

/**
 * Whether `version` satisfies `constraint`, as sprig's semverCompare answers; throws SemverError
 * with helm's words when either does not parse (helm then fails the template).
 */
export function semverCompare(constraint: string, version: string): boolean {
  if (constraint.length > 1000) throw new SemverError(`improper constraint: ${constraint.slice(0, 40)}...`);
  const groups: Comparator[][] = [];
  for (const alternative of constraint.split('||')) {
    // A hyphen range `a - b` is `>= a, <= b`.
    const words = alternative
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean);
    const comparators: Comparator[] = [];
    for (let i = 0; i < words.length; i++) {
      let text = words[i];
      if (words[i + 1] === '-' && words[i + 2] !== undefined) {
        const lo = parseComparator(`>=${words[i]}`);
        const hi = parseComparator(`<=${words[i + 2]}`);
        if (!lo || !hi || /^[<>=!~^]/.test(words[i]) || /^[<>=!~^]/.test(words[i + 2])) throw new SemverError(`improper constraint: ${constraint}`);
        comparators.push(lo, hi);
        i += 2;
        continue;
      }
      // `>= 1.2`: an operator alone is joined to the version after it.
      if (OPS.includes(text) && words[i + 1] !== undefined) text += words[++i];
      const c = parseComparator(text);
      if (!c) throw new SemverError(`improper constraint: ${constraint}`);
      comparators.push(c);
    }
    if (!comparators.length) throw new SemverError(`improper constraint: ${constraint}`);
    groups.push(comparators);
  }
  const v = parseVersion(version);
  if (!v) throw new SemverError('Invalid Semantic Version');
  return groups.some((g) => g.every((c) => check(v, c)));
}
