import type { DockerfileRule } from '../../server/src/engine/rule';
import { baseImageRefs } from './shared';
import { registryAllowed } from '../kubernetes/images';

export const dockerfileUntrustedBaseRegistry: DockerfileRule = {
  id: 'dockerfile-untrusted-base-registry',
  language: 'dockerfile',
  title: 'Base image from a registry outside the allow-list',
  category: 'dockerfile',
  severity: 'error',
  description:
    'When `settings.allowedRegistries` lists the registries (or `registry/path` prefixes) the organisation trusts ' +
    '(the same list `untrusted-image-registry` applies to manifests), a `FROM` image from anywhere else is ' +
    "reported, in every stage: a builder stage's output is copied into the image. Earlier stages, `scratch` and " +
    'images from unresolved `$ARG`s are not. Does nothing until the list is set.',
  remediation: 'Mirror the base image into an allowed registry, or add its registry to `settings.allowedRegistries` after review.',
  references: ['hadolint:DL3026'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#from',
  check(ctx) {
    const allowed = ctx.settings.allowedRegistries;
    if (!Array.isArray(allowed) || allowed.length === 0) return;
    for (const ref of baseImageRefs(ctx.dockerfile)) {
      if (ref.stageRef || ref.scratch || ref.unresolved) continue;
      const verdict = registryAllowed(ref.resolved, allowed);
      if (verdict.ok) continue;
      ctx.report({
        at: ctx.spanOf(ref.range),
        message: `FROM ${ref.written}${ref.written !== ref.resolved ? ` (${ref.resolved})` : ''} pulls from ${verdict.registry}, which is not in settings.allowedRegistries.`,
      });
    }
  },
};
