import type { DockerfileRule } from '../../server/src/engine/rule';
import { flagsOf, keyword, pathArguments, shippedStages } from './shared';
import { withoutTrailingSlashes } from '../text';

export const dockerfileFlattenedImage: DockerfileRule = {
  id: 'dockerfile-flattened-image',
  language: 'dockerfile',
  title: 'Whole file system copied from another stage',
  category: 'dockerfile',
  severity: 'warning',
  description:
    '`COPY --from=<stage> / /` in the shipped image copies an entire file system into one layer. The image ' +
    'loses its base-image identity and layer history, so tools that attribute files to layers or match base ' +
    "images (and Docker Scout's base-image advice) go blind, and anything the source stage left behind (caches, " +
    'credentials, compilers) comes along. Builder stages are not flagged.',
  remediation:
    'Copy only what the application needs (`COPY --from=build /app /app`) onto a minimal base, and keep package ' +
    'metadata so scanners still see installed software.',
  references: ['hadolint:DL3067'],
  fixes: [],
  recommended: true,
  check(ctx) {
    for (const stage of shippedStages(ctx.dockerfile)) {
      for (const instr of stage.instructions) {
        if (keyword(instr) !== 'COPY' && keyword(instr) !== 'ADD') continue;
        const from = flagsOf(instr).find((f) => f.name === 'from');
        if (!from?.value) continue;
        const args = pathArguments(instr);
        if (args.length !== 2) continue;
        const root = (p: string): boolean => /^(?:\/|\/\.|\/\*)$/.test(withoutTrailingSlashes(p) + (p.endsWith('/') ? '/' : ''));
        if (!root(args[0].value) || !root(args[1].value)) continue;
        ctx.report({
          at: ctx.spanOf(instr),
          message: `COPY --from=${from.value} / / copies a whole file system into one layer: the image loses its base-image identity and layer history. Copy only the files the application needs.`,
        });
      }
    }
  },
};
