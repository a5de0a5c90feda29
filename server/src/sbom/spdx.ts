/**
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/). Stages and components are packages; the
 * document DESCRIBES the target stages, a stage CONTAINS what it declares, is a DESCENDANT_OF its base
 * image or parent stage, and is GENERATED_FROM a stage it flattens. Evidence goes in `sourceInfo`,
 * Bulkhead's properties in `comment`.
 */
import type { Component, DockerfileSbom, Hash } from './model';
import { isoSeconds, FormatOptions } from './cyclonedx';
import { componentProperties, contentUuid, Property, RefNames, stageProperties, usableUrl, where } from './properties';

type Json = Record<string, unknown>;

const PURPOSE: Record<Component['kind'], string> = {
  image: 'CONTAINER',
  'os-package': 'LIBRARY',
  'language-package': 'LIBRARY',
  download: 'FILE',
  'copied-files': 'FILE',
};

const ALGORITHM: Record<Hash['algorithm'], string> = { 'SHA-1': 'SHA1', 'SHA-256': 'SHA256', 'SHA-384': 'SHA384', 'SHA-512': 'SHA512' };

/** SPDX ids allow letters, digits, `.` and `-` only. */
function spdxId(s: string): string {
  let out = 'SPDXRef-';
  let dash = false;
  for (const c of s) {
    const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '.';
    if (ok) {
      out += c;
      dash = false;
    } else if (!dash) {
      out += '-';
      dash = true;
    }
  }
  return out.length > 120 ? out.slice(0, 120) : out;
}

const comment = (props: readonly Property[]): string => props.map((p) => `${p.name}=${p.value}`).join('\n');

export function toSpdx(sboms: readonly DockerfileSbom[], options: FormatOptions): Json {
  const ids = new RefNames(spdxId);
  const packages: Json[] = [];
  const relationships: Json[] = [];
  const rel = (from: string, type: string, to: string): void => {
    relationships.push({ spdxElementId: from, relationshipType: type, relatedSpdxElement: to });
  };
  for (const sbom of sboms) {
    const stageIds = new Map<string, string>();
    for (const stage of sbom.stages) stageIds.set(stage.name, ids.of(stage, `stage-${sbom.file}-${stage.name}`));
    for (const stage of sbom.stages) {
      const id = stageIds.get(stage.name)!;
      packages.push({
        SPDXID: id,
        name: `${sbom.file}#${stage.name}`,
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        primaryPackagePurpose: 'CONTAINER',
        sourceInfo: `build stage declared at ${where(stage.evidence)}`,
        comment: comment(stageProperties(stage, sbom.file)),
      });
      if (stage.target) rel('SPDXRef-DOCUMENT', 'DESCRIBES', id);
      if (stage.parentStage !== undefined && stageIds.has(stage.parentStage)) rel(id, 'DESCENDANT_OF', stageIds.get(stage.parentStage)!);
      for (const f of stage.flattens) if (stageIds.has(f.stage)) rel(id, 'GENERATED_FROM', stageIds.get(f.stage)!);
      for (const c of stage.base ? [stage.base, ...stage.components] : stage.components) {
        const cid = ids.of(c, `${c.kind}-${c.name}-${c.evidence.line}`);
        packages.push(spdxPackage(c, cid, componentProperties(c, stage)));
        rel(id, c === stage.base ? 'DESCENDANT_OF' : 'CONTAINS', cid);
      }
    }
  }
  const uuid = contentUuid(sboms);
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `build-sbom-${options.subject}`,
    documentNamespace: `https://github.com/bulkhead-dev/bulkhead/spdx/build-sbom/${uuid}`,
    creationInfo: {
      created: isoSeconds(options.now),
      creators: [`Tool: bulkhead-${options.toolVersion}`],
      comment: "Build-time SBOM: what the Dockerfiles' instructions declare, read before any image is built.",
    },
    packages,
    relationships,
  };
}

function spdxPackage(c: Component, id: string, props: Property[]): Json {
  const url = usableUrl(c);
  return {
    SPDXID: id,
    name: c.name,
    ...(c.version ? { versionInfo: c.version } : {}),
    downloadLocation: url ?? 'NOASSERTION',
    filesAnalyzed: false,
    ...(c.hashes.length ? { checksums: c.hashes.map((h) => ({ algorithm: ALGORITHM[h.algorithm], checksumValue: h.value })) } : {}),
    ...(c.purl ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }] } : {}),
    primaryPackagePurpose: PURPOSE[c.kind],
    sourceInfo: `declared at ${where(c.evidence)} by ${c.tool}${c.manifest ? `, listed in ${where(c.manifest)}` : ''}`,
    comment: comment(props),
  };
}
