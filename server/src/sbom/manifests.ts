/**
 * Packages declared in the dependency files an install command reads (`pip install -r
 * requirements.txt`, `npm ci` with package-lock.json), when those files are in the build context
 * beside the Dockerfile. Each component keeps both places: the install line and the manifest line.
 */
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

/** The dependency file an install command reads, as the path it has inside the image. */
export type ManifestRead = { kind: 'requirements'; path: string } | { kind: 'package-lock'; omitDev: boolean };

/** `pip install -r FILE` (each FILE), `npm ci`, `npm install` without package arguments. */
export function manifestReads(prog: string, args: readonly string[], requirementFiles: readonly string[], installedPackages: number): ManifestRead[] {
  if (requirementFiles.length) return requirementFiles.map((path) => ({ kind: 'requirements', path }));
  if (prog !== 'npm' || installedPackages > 0) return [];
  const verb = args.find((a) => !a.startsWith('-'));
  if (verb !== 'ci' && verb !== 'install' && verb !== 'i') return [];
  if (args.filter((a) => !a.startsWith('-')).length > 1) return [];
  const omitDev =
    args.some((a) => a === '--production' || a === '--omit=dev' || a === '--only=production' || a === '--only=prod') ||
    args.some((a, i) => a === '--omit' && args[i + 1] === 'dev');
  return [{ kind: 'package-lock', omitDev }];
}
