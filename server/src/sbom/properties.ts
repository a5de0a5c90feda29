/**
 * What both output formats say about a component and a stage beyond name, version and purl: the
 * evidence and Bulkhead's own `bulkhead:*` properties (CycloneDX properties, SPDX comments).
 */
import { createHash } from '../node/createHash';
import type { Component, DockerfileSbom, Evidence, StageSbom } from './model';

export interface Property {
  readonly name: string;
  readonly value: string;
}

export const where = (e: Evidence): string => `${e.file}:${e.line}`;

export function componentProperties(c: Component, stage: StageSbom): Property[] {
  const out: Property[] = [
    { name: 'bulkhead:kind', value: c.kind },
    { name: 'bulkhead:tool', value: c.tool },
    { name: 'bulkhead:stage', value: stage.name },
    { name: 'bulkhead:evidence', value: where(c.evidence) },
  ];
  if (c.manifest) out.push({ name: 'bulkhead:manifest', value: where(c.manifest) });
  if (c.requested) out.push({ name: 'bulkhead:requested', value: c.requested });
  if (c.group) out.push({ name: 'bulkhead:apk-virtual', value: c.group });
  if (c.copiedFrom) out.push({ name: 'bulkhead:copied-from', value: c.copiedFrom });
  if (c.removedAt) out.push({ name: 'bulkhead:removed-at', value: where(c.removedAt) });
  if (c.unresolved) out.push({ name: 'bulkhead:unresolved-variable', value: 'true' });
  if (c.kind === 'download' && !c.hashes.length) out.push({ name: 'bulkhead:checksum', value: 'none' });
  if (c.recorded?.name) out.push({ name: 'bulkhead:recorded-name', value: c.recorded.name });
  if (c.recorded?.version) out.push({ name: 'bulkhead:recorded-version', value: c.recorded.version });
  return out;
}

export function stageProperties(stage: StageSbom, file: string): Property[] {
  const out: Property[] = [
    { name: 'bulkhead:dockerfile', value: file },
    { name: 'bulkhead:stage', value: stage.name },
    { name: 'bulkhead:target', value: String(stage.target) },
    { name: 'bulkhead:evidence', value: where(stage.evidence) },
  ];
  if (stage.parentStage !== undefined) out.push({ name: 'bulkhead:builds-on-stage', value: stage.parentStage });
  for (const f of stage.flattens) out.push({ name: 'bulkhead:flattens-stage', value: `${f.stage} (${where(f.evidence)})` });
  for (const u of stage.unresolvedInstalls) out.push({ name: 'bulkhead:unresolved-install', value: `${u.tool} ${u.text} (${where(u.evidence)})` });
  for (const d of stage.deletions) out.push({ name: `bulkhead:deletes:${d.kind}`, value: `${d.path} (${where(d.evidence)})` });
  return out;
}

/**
 * A name-based UUID (version 5, RFC 9562) of the SBOM's content: the same Dockerfiles give the same
 * serial number, so regenerating an unchanged SBOM yields an identical document.
 */
export function contentUuid(sboms: readonly DockerfileSbom[]): string {
  const h = createHash('sha1').update('bulkhead-build-sbom\u0000').update(JSON.stringify(sboms)).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Stable, unique identifiers for every stage and component, shared by both formats. */
export class RefNames {
  private readonly used = new Set<string>();
  private readonly refs = new Map<object, string>();

  constructor(private readonly sanitize: (s: string) => string) {}

  of(item: object, wanted: string): string {
    const known = this.refs.get(item);
    if (known) return known;
    const base = this.sanitize(wanted);
    let ref = base;
    for (let n = 2; this.used.has(ref); n++) ref = `${base}-${n}`;
    this.used.add(ref);
    this.refs.set(item, ref);
    return ref;
  }
}

/** A URL a consumer can follow: parses, and holds no unexpanded `${VAR}`. */
export function usableUrl(c: Component): string | undefined {
  if (!c.url || c.unresolved) return undefined;
  try {
    return new URL(c.url).href;
  } catch {
    return undefined;
  }
}
