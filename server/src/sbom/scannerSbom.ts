/**
 * A scanner's SBOM of a built image (Syft, Trivy, Docker Scout), CycloneDX or SPDX JSON, told apart
 * by content: the package URLs and names it lists, and the tool that wrote it.
 */

export interface Purl {
  readonly type: string;
  readonly namespace?: string;
  readonly name: string;
  readonly version?: string;
}

export interface ScannerComponent {
  readonly name: string;
  readonly version?: string;
  readonly purl?: Purl;
}

export interface ScannerSbom {
  readonly format: 'CycloneDX' | 'SPDX';
  /** `Syft`, `Trivy`, `Docker Scout`, or the tool name as written; undefined when none is named. */
  readonly tool?: string;
  readonly components: ScannerComponent[];
}

export class ScannerSbomError extends Error {}

/** Nested CycloneDX components are walked to this many in all: a budget against hostile input. */
const MAX_COMPONENTS = 200_000;

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** `pkg:type/namespace/name@version?qualifiers#subpath`, or undefined when it is not a purl. */
export function parsePurl(text: string): Purl | undefined {
  if (!text.startsWith('pkg:')) return undefined;
  let rest = text.slice(4);
  while (rest.startsWith('/')) rest = rest.slice(1);
  for (const sep of ['#', '?']) {
    const k = rest.indexOf(sep);
    if (k >= 0) rest = rest.slice(0, k);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  rest = rest.slice(slash + 1);
  let version: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/')) {
    version = decode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const segments = rest
    .split('/')
    .filter((s) => s !== '')
    .map(decode);
  const name = segments.pop();
  if (!name) return undefined;
  return { type, ...(segments.length ? { namespace: segments.join('/') } : {}), name, ...(version ? { version } : {}) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function toolName(raw: string): string {
  const l = raw.toLowerCase();
  if (l.includes('syft')) return 'Syft';
  if (l.includes('trivy')) return 'Trivy';
  if (l.includes('scout') || l.includes('docker')) return 'Docker Scout';
  return raw;
}

/** CycloneDX component types that are not packages (the image itself, the OS entry, files). */
const CDX_NOT_PACKAGES = new Set(['operating-system', 'container', 'file', 'device', 'firmware', 'data', 'machine-learning-model', 'platform']);
/** SPDX purposes that are not packages (the image, the OS entry). */
const SPDX_NOT_PACKAGES = new Set(['CONTAINER', 'OPERATING-SYSTEM', 'OPERATING_SYSTEM', 'FILE', 'SOURCE']);

function cycloneDxTool(doc: Record<string, unknown>): string | undefined {
  const tools = isObject(doc.metadata) ? doc.metadata.tools : undefined;
  // 1.4: an array of {vendor, name}; 1.5+: {components: [...], services: [...]}.
  const list = Array.isArray(tools) ? tools : isObject(tools) && Array.isArray(tools.components) ? tools.components : [];
  for (const t of list) if (isObject(t) && str(t.name)) return toolName(t.name as string);
  return undefined;
}

function spdxTool(doc: Record<string, unknown>): string | undefined {
  const creators = isObject(doc.creationInfo) && Array.isArray(doc.creationInfo.creators) ? doc.creationInfo.creators : [];
  for (const c of creators) if (typeof c === 'string' && c.startsWith('Tool:')) return toolName(c.slice(5).trim());
  return undefined;
}

/** Reads a scanner's SBOM; throws ScannerSbomError when the text is neither CycloneDX nor SPDX JSON. */
export function readScannerSbom(text: string): ScannerSbom {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ScannerSbomError(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) throw new ScannerSbomError('not a CycloneDX or SPDX JSON document');
  if (doc.bomFormat === 'CycloneDX' || (typeof doc.specVersion === 'string' && Array.isArray(doc.components))) {
    const components: ScannerComponent[] = [];
    const work: unknown[] = Array.isArray(doc.components) ? [...doc.components] : [];
    let budget = MAX_COMPONENTS;
    while (work.length && budget-- > 0) {
      const c = work.pop();
      if (!isObject(c)) continue;
      if (Array.isArray(c.components)) work.push(...c.components.slice(0, budget));
      if (typeof c.type === 'string' && CDX_NOT_PACKAGES.has(c.type)) continue;
      const purl = str(c.purl) ? parsePurl(c.purl as string) : undefined;
      const name = str(c.name) ?? purl?.name;
      if (!name) continue;
      components.push({ name, ...(str(c.version) ? { version: c.version as string } : {}), ...(purl ? { purl } : {}) });
    }
    return { format: 'CycloneDX', tool: cycloneDxTool(doc), components: components.reverse() };
  }
  if (typeof doc.spdxVersion === 'string' || (typeof doc.SPDXID === 'string' && Array.isArray(doc.packages))) {
    const components: ScannerComponent[] = [];
    const packages = Array.isArray(doc.packages) ? doc.packages.slice(0, MAX_COMPONENTS) : [];
    for (const p of packages) {
      if (!isObject(p)) continue;
      if (typeof p.primaryPackagePurpose === 'string' && SPDX_NOT_PACKAGES.has(p.primaryPackagePurpose)) continue;
      const refs = Array.isArray(p.externalRefs) ? p.externalRefs : [];
      const locator = refs.find((r): r is Record<string, unknown> => isObject(r) && r.referenceType === 'purl' && typeof r.referenceLocator === 'string');
      const purl = locator ? parsePurl(locator.referenceLocator as string) : undefined;
      const name = str(p.name) ?? purl?.name;
      // Packages without a purl are the image and its files in Syft's and Trivy's SPDX, not software.
      if (!name || !purl) continue;
      components.push({ name, ...(str(p.versionInfo) ? { version: p.versionInfo as string } : {}), purl });
    }
    return { format: 'SPDX', tool: spdxTool(doc), components };
  }
  throw new ScannerSbomError('not a CycloneDX or SPDX JSON document (no bomFormat or spdxVersion)');
}
