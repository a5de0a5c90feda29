/**
 * Packages declared in the dependency files an install command reads (`pip install -r
 * requirements.txt`, `npm ci` with package-lock.json, `yarn install` with yarn.lock, `pnpm install` with
 * pnpm-lock.yaml, `bundle install` with Gemfile.lock), when those files are in the build context beside
 * the Dockerfile. Each component keeps both places: the install line and the manifest line.
 */
import { parse } from 'yaml';
import type { Component, Evidence, Hash } from './model';
import { normalizePypiName } from './packages';
import { purl } from './purl';

/** Past this many lines or packages a manifest is read no further. */
const MAX_LINES = 50_000;
const MAX_PACKAGES = 10_000;

/**
 * requirements.txt: one requirement a line, `\` continuations, `#` comments, options lines skipped,
 * `--hash=sha256:…` kept as the package's hash.
 */
export function requirementsComponents(text: string, manifest: string, install: Evidence, tool: string): Component[] {
  const out: Component[] = [];
  const lines = text.split('\n', MAX_LINES);
  let logical = '';
  let firstLine = 0;
  for (let i = 0; i < lines.length && out.length < MAX_PACKAGES; i++) {
    let line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (!logical) firstLine = i + 1;
    const hash = line.indexOf(' #');
    if (hash >= 0) line = line.slice(0, hash);
    if (line.startsWith('#')) line = '';
    if (line.endsWith('\\')) {
      logical += `${line.slice(0, -1)} `;
      continue;
    }
    logical += line;
    const requirement = logical.trim();
    logical = '';
    if (!requirement || requirement.startsWith('-')) continue;
    const c = requirementComponent(requirement, { file: manifest, line: firstLine }, install, tool);
    if (c) out.push(c);
  }
  return out;
}

function requirementComponent(text: string, where: Evidence, install: Evidence, tool: string): Component | undefined {
  const words = text.split(' ').filter((w) => w !== '');
  const spec = words[0];
  if (spec.includes('://') || spec.startsWith('.') || spec.startsWith('/')) return undefined;
  const hashes: Hash[] = [];
  for (const w of words.slice(1)) {
    if (w.startsWith('--hash=sha256:')) hashes.push({ algorithm: 'SHA-256', value: w.slice('--hash=sha256:'.length).toLowerCase() });
  }
  let cut = spec.length;
  for (let k = 0; k < spec.length; k++) {
    const c = spec[k];
    if (c === '=' || c === '<' || c === '>' || c === '!' || c === '~' || c === '[' || c === ';' || c === '@') {
      cut = k;
      break;
    }
  }
  const name = normalizePypiName(spec.slice(0, cut));
  if (!name) return undefined;
  let rest = spec.slice(cut);
  if (rest.startsWith('[')) rest = rest.slice(rest.indexOf(']') + 1);
  const semi = rest.indexOf(';');
  if (semi >= 0) rest = rest.slice(0, semi);
  const exact = rest.startsWith('==') && !rest.includes(',') && !rest.includes('*') ? rest.slice(2) : undefined;
  return {
    kind: 'language-package',
    name,
    ...(exact ? { version: exact } : {}),
    ...(!exact && rest ? { requested: rest } : {}),
    tool,
    purl: purl('pypi', undefined, name, exact),
    hashes: hashes.slice(0, 1),
    evidence: install,
    manifest: where,
  };
}

interface LockEntry {
  version?: unknown;
  dev?: unknown;
  resolved?: unknown;
  integrity?: unknown;
  link?: unknown;
}

/**
 * package-lock.json (lockfileVersion 2 and 3): every `node_modules/…` entry, with its version and the
 * registry integrity hash. Development dependencies are left out when the install omits them.
 */
export function packageLockComponents(text: string, manifest: string, install: Evidence, tool: string, omitDev: boolean): Component[] {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch {
    return [];
  }
  const packages = (lock as { packages?: unknown } | null)?.packages;
  if (!packages || typeof packages !== 'object' || Array.isArray(packages)) return [];
  const out: Component[] = [];
  for (const [key, raw] of Object.entries(packages as Record<string, unknown>)) {
    if (out.length >= MAX_PACKAGES) break;
    const at = key.lastIndexOf('node_modules/');
    if (at < 0 || !raw || typeof raw !== 'object') continue;
    const entry = raw as LockEntry;
    if (entry.link === true || (omitDev && entry.dev === true)) continue;
    const full = key.slice(at + 'node_modules/'.length);
    const version = typeof entry.version === 'string' ? entry.version : undefined;
    const slash = full.indexOf('/');
    const namespace = full.startsWith('@') && slash > 0 ? full.slice(0, slash) : undefined;
    const name = namespace ? full.slice(slash + 1) : full;
    if (!name) continue;
    const hashes = sriHash(entry.integrity);
    out.push({
      kind: 'language-package',
      name: full,
      ...(version ? { version } : {}),
      tool,
      purl: purl('npm', namespace, name, version),
      hashes,
      evidence: install,
      manifest: { file: manifest, line: 1 },
      ...(typeof entry.resolved === 'string' && entry.resolved.startsWith('https://') ? { url: entry.resolved } : {}),
    });
  }
  return out;
}

/** `sha512-<base64>` (Subresource Integrity) → a hex SHA-512. */
function sriHash(integrity: unknown): Hash[] {
  if (typeof integrity !== 'string' || !integrity.startsWith('sha512-')) return [];
  const hex = Buffer.from(integrity.slice('sha512-'.length).split(' ')[0], 'base64').toString('hex');
  return hex.length === 128 ? [{ algorithm: 'SHA-512', value: hex }] : [];
}

/** `name@range` or `@scope/name@range` → the package name (undefined without a version part). */
function npmNameOf(key: string): string | undefined {
  const at = key.indexOf('@', 1);
  return at > 0 ? key.slice(0, at) : undefined;
}

function npmComponent(full: string, version: string | undefined, manifest: Evidence, install: Evidence, tool: string, hashes: Hash[], url?: string): Component {
  const slash = full.indexOf('/');
  const namespace = full.startsWith('@') && slash > 0 ? full.slice(0, slash) : undefined;
  const name = namespace ? full.slice(slash + 1) : full;
  return {
    kind: 'language-package',
    name: full,
    ...(version ? { version } : {}),
    tool,
    purl: purl('npm', namespace, name, version),
    hashes,
    evidence: install,
    manifest,
    ...(url?.startsWith('https://') ? { url } : {}),
  };
}

const unquoteLock = (s: string): string => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/**
 * yarn.lock, classic (v1: `"a@^1", a@^1.2:` then `  version "1.2.3"`) and Berry (`"a@npm:^1":` then
 * `  version: 1.2.3`): one component per resolved entry, with the line of its header. Workspace and
 * link entries (`@workspace:`, `@link:`, `@portal:`) are the project itself, not packages.
 */
export function yarnLockComponents(text: string, manifest: string, install: Evidence, tool: string): Component[] {
  const out: Component[] = [];
  const lines = text.split('\n', MAX_LINES);
  let current: { name: string; line: number; version?: string; hashes: Hash[]; url?: string } | undefined;
  const flush = (): void => {
    if (current && out.length < MAX_PACKAGES)
      out.push(npmComponent(current.name, current.version, { file: manifest, line: current.line }, install, tool, current.hashes, current.url));
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line === '' || line.startsWith('#')) continue;
    if (line[0] !== ' ') {
      flush();
      if (!line.endsWith(':') || line.startsWith('__metadata')) continue;
      const first = unquoteLock(line.slice(0, -1).split(', ')[0].trim());
      if (first.includes('@workspace:') || first.includes('@link:') || first.includes('@portal:') || first.includes('@file:')) continue;
      const name = npmNameOf(first);
      if (name) current = { name, line: i + 1, hashes: [] };
      continue;
    }
    if (!current || line.startsWith('    ')) continue;
    const field = line.trim();
    const sep = field.indexOf(field.startsWith('version:') || field.startsWith('resolution:') ? ':' : ' ');
    if (sep < 0) continue;
    const key = field.slice(0, sep);
    const value = unquoteLock(field.slice(sep + 1).trim());
    if (key === 'version') current.version = value;
    else if (key === 'integrity') current.hashes = sriHash(value);
    else if (key === 'resolved') current.url = value.split('#')[0];
  }
  flush();
  return out;
}

/**
 * pnpm-lock.yaml (lockfile 5 to 9): the keys of `packages`, `/name/1.2.3` (v5), `/name@1.2.3(peer@1)`
 * (v6) or `name@1.2.3` (v9), with the integrity of `resolution`.
 */
export function pnpmLockComponents(text: string, manifest: string, install: Evidence, tool: string): Component[] {
  let lock: unknown;
  try {
    lock = parse(text, { maxAliasCount: 100, uniqueKeys: false });
  } catch {
    return [];
  }
  const packages = (lock as { packages?: unknown } | null)?.packages;
  if (!packages || typeof packages !== 'object' || Array.isArray(packages)) return [];
  const out: Component[] = [];
  for (const [rawKey, raw] of Object.entries(packages as Record<string, unknown>)) {
    if (out.length >= MAX_PACKAGES) break;
    let key = rawKey.startsWith('/') ? rawKey.slice(1) : rawKey;
    const paren = key.indexOf('(');
    if (paren > 0) key = key.slice(0, paren);
    // v5 keys are paths, `name/1.2.3_peer@1` or `@scope/name/1.2.3`; later ones `name@1.2.3`.
    const segments = key.split('/');
    const v5 = segments.length >= (key.startsWith('@') ? 3 : 2);
    let name: string | undefined;
    let version: string | undefined;
    if (v5) {
      const slash = key.lastIndexOf('/');
      name = key.slice(0, slash);
      version = key.slice(slash + 1).split('_')[0];
    } else {
      name = npmNameOf(key);
      version = name === undefined ? undefined : key.slice(name.length + 1);
    }
    if (!name || version?.includes(':')) continue;
    const resolution = (raw as { resolution?: { integrity?: unknown; tarball?: unknown } } | null)?.resolution;
    out.push(
      npmComponent(
        name,
        version || undefined,
        { file: manifest, line: 1 },
        install,
        tool,
        sriHash(resolution?.integrity),
        typeof resolution?.tarball === 'string' ? resolution.tarball : undefined,
      ),
    );
  }
  return out;
}

/** Gemfile.lock: the `specs:` of the `GEM` sources, `    name (1.2.3)` or `    name (1.2.3-x86_64-linux)`. */
export function gemfileLockComponents(text: string, manifest: string, install: Evidence, tool: string): Component[] {
  const out: Component[] = [];
  const lines = text.split('\n', MAX_LINES);
  let inGem = false;
  let inSpecs = false;
  for (let i = 0; i < lines.length && out.length < MAX_PACKAGES; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line !== '' && line[0] !== ' ') {
      inGem = line === 'GEM';
      inSpecs = false;
      continue;
    }
    if (!inGem) continue;
    if (line === '  specs:') {
      inSpecs = true;
      continue;
    }
    // Four spaces: a gem; six: one of its dependencies (listed again as a gem of its own).
    if (!inSpecs || !line.startsWith('    ') || line[4] === ' ') continue;
    const spec = line.slice(4);
    const open = spec.indexOf(' (');
    if (open <= 0 || !spec.endsWith(')')) continue;
    const name = spec.slice(0, open);
    const full = spec.slice(open + 2, -1);
    const dash = full.indexOf('-');
    const version = dash > 0 ? full.slice(0, dash) : full;
    const platform = dash > 0 ? full.slice(dash + 1) : undefined;
    out.push({
      kind: 'language-package',
      name,
      version,
      tool,
      purl: purl('gem', undefined, name, version, { platform }),
      hashes: [],
      evidence: install,
      manifest: { file: manifest, line: i + 1 },
    });
  }
  return out;
}

/** The dependency file an install command reads, as the path it has inside the image. */
export type ManifestRead =
  | { kind: 'requirements'; path: string }
  | { kind: 'package-lock'; omitDev: boolean }
  | { kind: 'yarn-lock' }
  | { kind: 'pnpm-lock' }
  | { kind: 'gemfile-lock' };

/** The file each lock kind reads, in the install's working directory. */
export const LOCK_FILES: Record<Exclude<ManifestRead['kind'], 'requirements'>, string> = {
  'package-lock': 'package-lock.json',
  'yarn-lock': 'yarn.lock',
  'pnpm-lock': 'pnpm-lock.yaml',
  'gemfile-lock': 'Gemfile.lock',
};

/**
 * `pip install -r FILE` (each FILE), `npm ci`, `npm install` without package arguments, `yarn` /
 * `yarn install`, `pnpm install` / `pnpm i`, `bundle install`.
 */
export function manifestReads(prog: string, args: readonly string[], requirementFiles: readonly string[], installedPackages: number): ManifestRead[] {
  if (requirementFiles.length) return requirementFiles.map((path) => ({ kind: 'requirements', path }));
  if (installedPackages > 0) return [];
  const operands = args.filter((a) => !a.startsWith('-'));
  const verb = operands[0];
  if (prog === 'yarn') return verb === undefined || (verb === 'install' && operands.length === 1) ? [{ kind: 'yarn-lock' }] : [];
  if (prog === 'pnpm') return (verb === 'install' || verb === 'i') && operands.length === 1 ? [{ kind: 'pnpm-lock' }] : [];
  if (prog === 'bundle' || prog === 'bundler') return verb === 'install' && operands.length === 1 ? [{ kind: 'gemfile-lock' }] : [];
  if (prog !== 'npm') return [];
  if (verb !== 'ci' && verb !== 'install' && verb !== 'i') return [];
  if (operands.length > 1) return [];
  const omitDev =
    args.some((a) => a === '--production' || a === '--omit=dev' || a === '--only=production' || a === '--only=prod') ||
    args.some((a, i) => a === '--omit' && args[i + 1] === 'dev');
  return [{ kind: 'package-lock', omitDev }];
}
