/**
 * CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/). Every stage is a `container` component;
 * what it declares are its components, linked by `dependencies`; the document's subject
 * (`metadata.component`) depends on the target stages. Written by hand: the document is a few plain
 * objects, and the official schema validates it in the tests.
 */
import type { Component, DockerfileSbom, StageSbom } from './model';
import { componentProperties, contentUuid, RefNames, stageProperties, usableUrl, where } from './properties';

type Json = Record<string, unknown>;

const TYPE: Record<Component['kind'], string> = {
  image: 'container',
  'os-package': 'library',
  'language-package': 'library',
  download: 'file',
  'copied-files': 'file',
};

export interface FormatOptions {
  readonly toolVersion: string;
  readonly now: Date;
  /** What the document describes, e.g. the path given on the command line. */
  readonly subject: string;
}

export function toCycloneDx(sboms: readonly DockerfileSbom[], options: FormatOptions): Json {
  const refs = new RefNames((s) => s);
  const components: Json[] = [];
  const dependencies: Json[] = [];
  const rootRef = 'bulkhead:build';
  const targets: string[] = [];
  const leaves: string[] = [];
  for (const sbom of sboms) {
    const stageRefs = new Map<string, string>();
    for (const stage of sbom.stages) stageRefs.set(stage.name, refs.of(stage, `${sbom.file}#stage:${stage.name}`));
    for (const stage of sbom.stages) {
      const stageRef = stageRefs.get(stage.name)!;
      if (stage.target) targets.push(stageRef);
      components.push({
        type: 'container',
        'bom-ref': stageRef,
        name: `${sbom.file}#${stage.name}`,
        description: `Build stage ${stage.name} of ${sbom.file}${stage.target ? ' (a target image)' : ''}`,
        evidence: { occurrences: [{ location: sbom.file, line: stage.evidence.line }] },
        properties: stageProperties(stage, sbom.file),
      });
      const dependsOn: string[] = [];
      if (stage.parentStage !== undefined && stageRefs.has(stage.parentStage)) dependsOn.push(stageRefs.get(stage.parentStage)!);
      for (const f of stage.flattens) if (stageRefs.has(f.stage)) dependsOn.push(stageRefs.get(f.stage)!);
      const declared = stage.base ? [stage.base, ...stage.components] : stage.components;
      for (const c of declared) {
        const ref = refs.of(c, `${where(c.evidence)}:${c.kind}:${c.name}`);
        dependsOn.push(ref);
        leaves.push(ref);
        components.push(component(c, ref, stage));
      }
      dependencies.push({ ref: stageRef, dependsOn: unique(dependsOn) });
    }
  }
  for (const ref of leaves) dependencies.push({ ref, dependsOn: [] });
  dependencies.push({ ref: rootRef, dependsOn: unique(targets) });
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${contentUuid(sboms)}`,
    version: 1,
    metadata: {
      timestamp: isoSeconds(options.now),
      lifecycles: [{ phase: 'pre-build' }],
      tools: { components: [{ type: 'application', name: 'bulkhead', version: options.toolVersion }] },
      component: {
        type: 'container',
        'bom-ref': rootRef,
        name: options.subject,
        description: 'The images these Dockerfiles build, as their instructions declare them (build-time SBOM).',
      },
    },
    components,
    dependencies,
  };
}

function component(c: Component, ref: string, stage: StageSbom): Json {
  const url = usableUrl(c);
  return {
    type: TYPE[c.kind],
    'bom-ref': ref,
    name: c.name,
    ...(c.version ? { version: c.version } : {}),
    ...(c.purl ? { purl: c.purl } : {}),
    ...(c.hashes.length ? { hashes: c.hashes.map((h) => ({ alg: h.algorithm, content: h.value })) } : {}),
    ...(url ? { externalReferences: [{ type: 'distribution', url }] } : {}),
    evidence: { occurrences: [c.evidence, ...(c.manifest ? [c.manifest] : [])].map((e) => ({ location: e.file, line: e.line })) },
    properties: componentProperties(c, stage),
  };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** `2026-01-02T03:04:05Z`: both schemas accept it (SPDX's pattern allows no fraction of a second). */
export function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
