/** The build-time SBOM: derived from Dockerfiles (`extract.ts`), written as CycloneDX or SPDX. */
export { dockerfileSbom, modelSbom, distroOf, parseImage, SbomOptions } from './extract';
export { toCycloneDx, FormatOptions } from './cyclonedx';
export { toSpdx } from './spdx';
export type { Component, DockerfileSbom, StageSbom, Deletion, Evidence } from './model';
