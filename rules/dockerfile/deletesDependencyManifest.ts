import type { DockerfileRule } from '../../server/src/engine/rule';
import { deletions, manifestName } from './deletions';
import { scriptSpan } from './shared';
import { shippedBy, stagesWithShippedFiles } from './shippedFileSystems';

export const dockerfileDeletesDependencyManifest: DockerfileRule = {
  id: 'dockerfile-deletes-dependency-manifest',
  language: 'dockerfile',
  title: 'Dependency manifest deleted after install',
  category: 'dockerfile',
  severity: 'info',
  description:
    'A `RUN` in the shipped image deletes a dependency manifest or lock file (`requirements.txt`, ' +
    '`package-lock.json`, `yarn.lock`, `go.sum`, `Gemfile.lock`, `poetry.lock`, `composer.lock`, `pom.xml`, …). ' +
    'File-system and repository scans of the image then cannot tell which dependencies it contains, and the ' +
    'image no longer documents what was installed. Image-mode scanners mostly read installed metadata instead ' +
    '(see `dockerfile-deletes-package-database`): in the ORCA study (Bufalino et al. 2025) deleting ' +
    '`requirements.txt` after install cost one scanner of seven a few packages. Hence info level and off by default. ' +
    'A builder stage counts when a shipped stage copies its whole file system or the directory of the file.',
  remediation:
    'Keep the manifest, or install from a builder stage and copy only the installed result. If the goal is a ' +
    'smaller image, the manifest is not what makes it big.',
  references: [],
  fixes: [],
  recommended: false,
  check(ctx) {
    const model = ctx.dockerfile;
    for (const d of deletions(model, stagesWithShippedFiles(model))) {
      const name = manifestName(d.path);
      if (!name) continue;
      const via = shippedBy(model, d.stage, d.path);
      if (via === undefined) continue;
      const span = via ? ctx.spanOf(via.instr) : undefined;
      ctx.report({
        at: scriptSpan(d.script, d.from, d.to),
        message: `Deleting ${d.path} removes the record of the installed dependencies (${name}) from the image: file-system scans of the image lose it, image scanners mostly read installed metadata instead.${via ? ` Shipped by COPY --from=${via.from} ${via.source} ${via.dest} (line ${via.instr.getRange().start.line + 1}).` : ''}`,
        ...(via && span
          ? {
              related: [
                {
                  path: ctx.filePath,
                  start: span.start,
                  end: span.end,
                  message: `COPY --from=${via.from} ${via.source} ${via.dest} ships this file into the image`,
                },
              ],
            }
          : {}),
      });
    }
  },
};
