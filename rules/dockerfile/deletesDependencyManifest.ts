import type { DockerfileRule } from '../../server/src/engine/rule';
import { deletions, manifestName } from './deletions';
import { scriptSpan, shippedStages } from './shared';

export const dockerfileDeletesDependencyManifest: DockerfileRule = {
  id: 'dockerfile-deletes-dependency-manifest',
  language: 'dockerfile',
  title: 'Dependency manifest deleted after install',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'A `RUN` in the shipped image deletes a dependency manifest or lock file (`requirements.txt`, ' +
    '`package-lock.json`, `yarn.lock`, `go.sum`, `Gemfile.lock`, `poetry.lock`, `composer.lock`, `pom.xml`, …). ' +
    'File-system and repository scans of the image then cannot tell which dependencies it contains, and the ' +
    'image no longer documents what was installed. Image-mode scanners mostly read installed metadata instead ' +
    '(see `dockerfile-deletes-package-database`), so this is a weaker signal: off by default.',
  remediation:
    'Keep the manifest, or install from a builder stage and copy only the installed result. If the goal is a ' +
    'smaller image, the manifest is not what makes it big.',
  references: [],
  fixes: [],
  recommended: false,
  check(ctx) {
    for (const d of deletions(ctx.dockerfile, shippedStages(ctx.dockerfile))) {
      const name = manifestName(d.path);
      if (!name) continue;
      ctx.report({
        at: scriptSpan(d.script, d.from, d.to),
        message: `Deleting ${d.path} removes the record of the installed dependencies (${name}) from the image.`,
      });
    }
  },
};
