import type { DockerfileRule } from '../../server/src/engine/rule';
import { baseImageRefs } from './shared';
import { digestProblem } from '../kubernetes/images';

export const dockerfileImageNotPinnedByDigest: DockerfileRule = {
  id: 'dockerfile-image-not-pinned-by-digest',
  language: 'dockerfile',
  title: 'Base image not pinned by digest',
  category: 'dockerfile',
  severity: 'info',
  description:
    'A `FROM` names its base image by tag only. Tags are mutable: the same `python:3.12-slim` points at a ' +
    'different image after every upstream rebuild, so two builds of one commit can differ and a hijacked tag ' +
    'is pulled silently. A digest (`@sha256:` and 64 lower-case hex digits, or `sha512:` and 128) names exactly ' +
    'one image; a malformed one pins nothing and is reported too. `scratch`, earlier build stages and ' +
    'images from unresolved `$ARG`s are not flagged. Off by default: digests need a bot to keep them fresh.',
  remediation:
    'Append the digest to the tag (`python:3.12-slim@sha256:…`; `docker buildx imagetools inspect <image>` ' +
    'prints it) and let Renovate or Dependabot update both.',
  references: ['semgrep:dockerfile-source-not-pinned'],
  fixes: [],
  recommended: false,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#from',
  check(ctx) {
    for (const ref of baseImageRefs(ctx.dockerfile)) {
      if (ref.stageRef || ref.scratch || ref.unresolved) continue;
      const problem = ref.digest === undefined ? undefined : digestProblem(ref.digest);
      if (problem) {
        ctx.report({ at: ctx.spanOf(ref.range), message: `Base image ${ref.written} has a malformed digest (${problem}): it pins nothing.` });
        continue;
      }
      if (ref.digest !== undefined) continue;
      ctx.report({
        at: ctx.spanOf(ref.range),
        message: `Base image ${ref.written} is not pinned by digest: append @sha256:… so every build uses the same image.`,
      });
    }
  },
};
