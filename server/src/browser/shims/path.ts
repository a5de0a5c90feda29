/**
 * `node:path` for the browser bundle: the POSIX functions the engine, rules and service use, on
 * the `/`-separated paths a browser workspace has (`file:` and virtual URIs' paths). No working
 * directory exists there: a relative path resolves against `/`.
 */
export const sep = '/';
export const delimiter = ':';

export function isAbsolute(p: string): boolean {
  return p.startsWith('/');
}

/** `.` and `..` segments resolved, repeated slashes collapsed; no trailing slash. */
function collapse(p: string, absolute: boolean): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  return out.join('/');
}

export function normalize(p: string): string {
  if (!p) return '.';
  const absolute = isAbsolute(p);
  const trailing = p.endsWith('/');
  const body = collapse(p, absolute);
  if (!body) return absolute ? '/' : trailing ? './' : '.';
  return `${absolute ? '/' : ''}${body}${trailing ? '/' : ''}`;
}

export function join(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p);
  return nonEmpty.length ? normalize(nonEmpty.join('/')) : '.';
}

export function resolve(...parts: string[]): string {
  let out = '';
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(out); i--) if (parts[i]) out = out ? `${parts[i]}/${out}` : parts[i];
  return `/${collapse(out, true)}`;
}

/** As Node's: the part before the last non-trailing slash, keeping a leading `//`. */
export function dirname(p: string): string {
  if (!p) return '.';
  const hasRoot = p.charCodeAt(0) === 47;
  let end = -1;
  let matchedSlash = true;
  for (let i = p.length - 1; i >= 1; i--) {
    if (p.charCodeAt(i) === 47) {
      if (!matchedSlash) {
        end = i;
        break;
      }
    } else matchedSlash = false;
  }
  if (end === -1) return hasRoot ? '/' : '.';
  if (hasRoot && end === 1) return '//';
  return p.slice(0, end);
}

/** Without trailing slashes (a loop, not a regex: linear on any input). */
function trimTrailingSlashes(p: string): string {
  let end = p.length;
  while (end > 1 && p.charCodeAt(end - 1) === 47) end--;
  return p.slice(0, end);
}

export function basename(p: string, ext?: string): string {
  const trimmed = trimTrailingSlashes(p);
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return ext && base.endsWith(ext) && base !== ext ? base.slice(0, -ext.length) : base;
}

/** As Node's: from the last dot of the last segment, unless that dot starts the name (`.hidden`, `..`). */
export function extname(p: string): string {
  const base = basename(p);
  const i = base.lastIndexOf('.');
  if (i <= 0 || base === '..') return '';
  return base.slice(i);
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

export const posix = { sep, delimiter, isAbsolute, normalize, join, resolve, dirname, basename, extname, relative };
export default posix;
