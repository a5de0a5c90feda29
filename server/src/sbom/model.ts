/**
 * The build-time SBOM: what a Dockerfile's own instructions say its images contain. Format-neutral;
 * `cyclonedx.ts` and `spdx.ts` write it out.
 */

/** Where a component is declared: the Dockerfile (as shown to the user) and a 1-based line. */
export interface Evidence {
  readonly file: string;
  readonly line: number;
}

export type ComponentKind =
  /** A base image (`FROM`) or an image files are copied from. */
  | 'image'
  /** A package of the image's distribution (deb, apk, rpm). */
  | 'os-package'
  /** A package of a language ecosystem (pypi, npm, gem, golang, cargo). */
  | 'language-package'
  /** A file fetched by URL (`curl`, `wget`, `ADD <url>`, a package manager given a URL). */
  | 'download'
  /** Files copied from another stage or image (`COPY --from`). */
  | 'copied-files';

export interface Hash {
  readonly algorithm: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** Lower-case hex. */
  readonly value: string;
}

export interface Component {
  readonly kind: ComponentKind;
  readonly name: string;
  /** Only an exact pin (`pkg=1.2`, `pkg==1.2`, `pkg@1.2`); ranges are kept in `requested`. */
  readonly version?: string;
  /** A constraint that is not an exact pin (`>=1.2`, `^3`, `latest`). */
  readonly requested?: string;
  readonly purl?: string;
  /** The package manager or tool that declared it: `apt-get`, `pip`, `curl`, `ADD`, `FROM`... */
  readonly tool: string;
  readonly url?: string;
  readonly hashes: Hash[];
  readonly evidence: Evidence;
  /** For a package read from a dependency file: where in that file (the build context path). */
  readonly manifest?: Evidence;
  /** For copied files: the stage or image they come from, and the paths. */
  readonly copiedFrom?: string;
  /** The `apk add --virtual NAME` group it was installed in. */
  readonly group?: string;
  /** A package removed again later in the same stage (`apk del .build-deps`, `apt-get purge`). */
  removedAt?: Evidence;
  /** A value contains a variable without a known value. */
  readonly unresolved?: boolean;
  /** What a `# bulkhead-sbom: name=… version=… source=…` comment above the instruction records for a download. */
  recorded?: { readonly name?: string; readonly version?: string };
}

export type DeletionKind = 'package-database' | 'language-metadata' | 'os-identification' | 'dependency-manifest';

export interface Deletion {
  readonly kind: DeletionKind;
  readonly path: string;
  readonly evidence: Evidence;
}

export interface StageSbom {
  readonly index: number;
  /** `AS name`, or the index as BuildKit names an unnamed stage. */
  readonly name: string;
  readonly evidence: Evidence;
  /** The base image as written after ARG defaults; undefined for `scratch` and stage parents. */
  readonly base?: Component;
  /** The earlier stage this one builds on (`FROM builder`). */
  readonly parentStage?: string;
  readonly components: Component[];
  readonly deletions: Deletion[];
  /** Stages whose whole file system this stage copies (`COPY --from=x / /`), with the COPY's line. */
  readonly flattens: { stage: string; evidence: Evidence }[];
  /** Install arguments whose package name is a variable without a known value (`apk add $runDeps`). */
  readonly unresolvedInstalls: { text: string; tool: string; evidence: Evidence }[];
  /** Not built on or copied from by a later stage: an image `docker build --target` would ship. */
  readonly target: boolean;
}

export interface DockerfileSbom {
  readonly file: string;
  readonly stages: StageSbom[];
}
