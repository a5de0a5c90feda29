/**
 * The build-time SBOM against a scanner's SBOM of the built image: what the Dockerfile declares that
 * the scanner does not list (it cannot be checked for vulnerabilities), and what the scanner lists
 * that the build does not explain. Matching is by package type and name, with version when pinned:
 * - OS packages (deb, apk, rpm, alpm) by name only, case-insensitively, whatever distribution
 *   namespace each side uses (`pkg:deb/debian/…` against Trivy's `pkg:deb/ubuntu/…`), with `apt`'s
 *   `name:arch` suffix and epochs (`1:2.3`) dropped;
 * - pypi names PEP 503-normalised, npm by scope and name, golang by module path;
 * - a download by the name and version its `# bulkhead-sbom:` record gives or its URL suggests,
 *   against any package of that name (Syft's binary classifiers list `node`, `python`, `redis`…).
 */
import type { Component, DockerfileSbom, StageSbom } from './model';
import { normalizePypiName } from './packages';
import { parsePurl, ScannerComponent, ScannerSbom } from './scannerSbom';
import { guessNameVersion } from '../../../rules/dockerfile/softwareRecord';

const OS_TYPES = new Set(['deb', 'apk', 'rpm', 'alpm']);

export interface Missing {
  readonly component: Component;
  /** The name and version it was looked up as. */
  readonly label: string;
  /** Versions the scanner lists under this name when none is the pinned one; empty: the name is absent. */
  readonly otherVersions: string[];
  /** Why a scanner would miss it, from the build itself (a deletion, a fetch outside package managers). */
  readonly explanation?: string;
}

export interface CompareResult {
  readonly missing: Missing[];
  /** Scanner packages no instruction declares. */
  readonly unexplained: ScannerComponent[];
  /** The stage whose image was compared, and the instruction unexplained packages are attributed to. */
  readonly stage: StageSbom;
}

/** `deb:openssl`, `pypi:requests`, `npm:@types/node`: what both sides are matched on. */
export function packageKey(type: string, namespace: string | undefined, name: string): string {
  const t = type.toLowerCase();
  if (OS_TYPES.has(t)) {
    const colon = name.indexOf(':');
    return `os:${(colon > 0 ? name.slice(0, colon) : name).toLowerCase()}`;
  }
  if (t === 'pypi') return `pypi:${normalizePypiName(name)}`;
  if (t === 'npm' || t === 'golang') return `${t}:${namespace ? `${namespace.toLowerCase()}/` : ''}${name.toLowerCase()}`;
  return `${t}:${name.toLowerCase()}`;
}

/** Versions as both sides write them: no epoch, no leading `v`. */
export function normalizeVersion(v: string): string {
  let out = v.trim();
  const colon = out.indexOf(':');
  if (colon > 0 && /^\d+$/.test(out.slice(0, colon))) out = out.slice(colon + 1);
  if (out.startsWith('v') && out[1] >= '0' && out[1] <= '9') out = out.slice(1);
  return out;
}

function versionMatches(pinned: string, found: string): boolean {
  const p = normalizeVersion(pinned);
  const f = normalizeVersion(found);
  // `apt-get install curl=7.88*`: a prefix pin.
  return p.endsWith('*') ? f.startsWith(p.slice(0, -1)) : p === f;
}

/** The stages whose files make up the image of `target`: it, the stages it builds on, and those it flattens in. */
export function imageStages(sbom: DockerfileSbom, target: StageSbom): StageSbom[] {
  const byName = new Map(sbom.stages.map((s) => [s.name, s]));
  const out: StageSbom[] = [];
  const seen = new Set<StageSbom>();
  const work = [target];
  while (work.length) {
    const s = work.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(s);
    const parent = s.parentStage !== undefined ? byName.get(s.parentStage) : undefined;
    if (parent) work.push(parent);
    for (const f of s.flattens) {
      const flattened = byName.get(f.stage);
      if (flattened) work.push(flattened);
    }
  }
  return out;
}

interface Lookup {
  key: string;
  name: string;
  version?: string;
}

/** What a declared component is looked up as; undefined for images, copied files and unknown names. */
function lookupOf(c: Component, recorded: ReadonlyMap<string, { name?: string; version?: string }>): Lookup | undefined {
  if (c.removedAt || c.unresolved) return undefined;
  if (c.kind === 'os-package' || c.kind === 'language-package') {
    const purl = c.purl ? parsePurl(c.purl) : undefined;
    // Local files and globs (`apt-get install ./x.deb`, `'libfoo*'`) and rpm capabilities (`perl(Foo)`) name no package.
    if (!purl || (c.name.includes('/') && purl.type !== 'npm' && purl.type !== 'golang') || c.name.includes('*') || c.name.includes('(')) return undefined;
    return { key: packageKey(purl.type, purl.namespace, purl.name), name: c.name, version: c.version };
  }
  if (c.kind === 'download' && c.url) {
    const record = recorded.get(c.url) ?? c.recorded;
    const guess = guessNameVersion(c.url);
    const name = record?.name ?? guess.name;
    if (!name || name === '?') return undefined;
    const version = record?.version && record.version !== '?' ? record.version : guess.version;
    return { key: `name:${name.toLowerCase()}`, name, ...(version ? { version } : {}) };
  }
  return undefined;
}

function explanation(c: Component, stages: readonly StageSbom[]): string | undefined {
  if (c.kind === 'download') return `fetched by ${c.tool} outside any package manager, it leaves no record an image scanner reads`;
  const wanted = c.kind === 'os-package' ? ['package-database', 'os-identification'] : ['language-metadata'];
  for (const s of stages) {
    const d = s.deletions.find((x) => wanted.includes(x.kind));
    if (d) return `this build deletes ${d.path} (${d.evidence.file}:${d.evidence.line}), which hides it from image scanners`;
  }
  return undefined;
}

/**
 * Compares the image of `target` (default: the last stage) with the scanner's SBOM. `recorded` maps
 * download URLs to the name and version a `# bulkhead-sbom:` record gives them.
 */
export function compareWithScanner(
  sbom: DockerfileSbom,
  scanner: ScannerSbom,
  recorded: ReadonlyMap<string, { name?: string; version?: string }> = new Map(),
  target?: StageSbom,
): CompareResult {
  const stage = target ?? sbom.stages[sbom.stages.length - 1];
  if (!stage) return { missing: [], unexplained: [], stage: stage as unknown as StageSbom };
  const stages = imageStages(sbom, stage);
  const found = new Map<string, ScannerComponent[]>();
  const add = (key: string, c: ScannerComponent): void => {
    const list = found.get(key);
    if (list) list.push(c);
    else found.set(key, [c]);
  };
  for (const c of scanner.components) {
    if (c.purl) add(packageKey(c.purl.type, c.purl.namespace, c.purl.name), c);
    add(`name:${c.name.toLowerCase()}`, c);
  }
  const explained = new Set<ScannerComponent>();
  const missing: Missing[] = [];
  for (const s of stages) {
    for (const c of s.components) {
      const lookup = lookupOf(c, recorded);
      if (!lookup) continue;
      const hits = found.get(lookup.key) ?? [];
      hits.forEach((h) => explained.add(h));
      const label = lookup.version ? `${lookup.name} ${lookup.version}` : lookup.name;
      if (!hits.length) {
        missing.push({ component: c, label, otherVersions: [], ...withExplanation(explanation(c, stages)) });
      } else if (
        lookup.version &&
        (c.kind !== 'download' || c.version) &&
        !hits.some((h) => h.version !== undefined && versionMatches(lookup.version!, h.version))
      ) {
        const versions = [...new Set(hits.map((h) => h.version).filter((v): v is string => v !== undefined))];
        if (versions.length) missing.push({ component: c, label, otherVersions: versions });
      }
    }
  }
  const unexplained = scanner.components.filter((c) => !explained.has(c) && c.purl !== undefined);
  return { missing, unexplained, stage };
}

const withExplanation = (e: string | undefined): { explanation?: string } => (e ? { explanation: e } : {});
