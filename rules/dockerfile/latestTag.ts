import type { DockerfileRule } from '../../server/src/engine/rule';
import { baseImageRefs } from './shared';

export const dockerfileLatestTag: DockerfileRule = {
  id: 'dockerfile-latest-tag',
  language: 'dockerfile',
  title: 'Base image uses :latest or no tag',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'A `FROM` names its base image with `:latest` or with no tag at all (which means `:latest`) and no digest. ' +
    'The build then takes whatever the registry serves that day: builds are not reproducible, a compromised or ' +
    'broken upstream push lands unreviewed, and vulnerability reports cannot be matched to a version. `scratch`, ' +
    'earlier build stages and `$ARG` images whose default is pinned are not flagged.',
  remediation:
    'Pin a specific version tag (`node:22.11-bookworm-slim`), and preferably the digest too ' +
    '(`node:22.11-bookworm-slim@sha256:…`), updated by Renovate or Dependabot.',
  references: [
    'hadolint:DL3006',
    'hadolint:DL3007',
    'trivy:DS-0001',
    'checkov:CKV_DOCKER_7',
    'semgrep:avoid-latest-version',
    'semgrep:missing-image-version',
    'dockerlinter:EF0003',
    'dockerlinter:EF0004',
  ],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#from',
  check(ctx) {
    for (const ref of baseImageRefs(ctx.dockerfile)) {
      if (ref.stageRef || ref.scratch || ref.unresolved || ref.digest) continue;
      if (ref.tag !== undefined && ref.tag !== 'latest') continue;
      const shown = ref.resolved !== ref.written ? `${ref.written} (= ${ref.resolved})` : ref.written;
      ctx.report({
        at: ctx.spanOf(ref.range),
        message:
          ref.tag === 'latest'
            ? `Base image ${shown} uses the :latest tag: pin a version (and a digest) so builds are reproducible.`
            : `Base image ${shown} has no tag, so it means :latest: pin a version (and a digest) so builds are reproducible.`,
      });
    }
  },
};
