import type { DockerfileRule } from '../../server/src/engine/rule';
import { flagsOf, keyword, pathArguments, stageInstructionList } from './shared';
import { resolveAt } from './expose';

export function isGitSource(src: string): boolean {
  return /^git@[\w.-]+:/.test(src) || /^(?:git|ssh|git\+ssh):\/\//.test(src) || /^https?:\/\/[^#?]+\.git(?:#.*)?$/.test(src);
}

export function isUrlSource(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(src) || isGitSource(src);
}

export const dockerfileRemoteAddWithoutChecksum: DockerfileRule = {
  id: 'dockerfile-remote-add-without-checksum',
  language: 'dockerfile',
  title: 'Remote ADD without a checksum',
  category: 'dockerfile',
  severity: 'warning',
  description:
    '`ADD https://…` downloads a file at build time and trusts whatever the server returns: a compromised ' +
    'or changed release lands in the image without any check. `ADD` of a Git repository at a branch or tag ' +
    'has the same problem, because refs move. This applies to every stage, since builder output is copied ' +
    'into the image. Sources with `--checksum=sha256:…`, and Git sources pinned to a full commit hash, are ' +
    'not flagged.',
  remediation:
    'Add the expected digest: `ADD --checksum=sha256:<hex> https://…/app.tar.gz /opt/` (`sha256sum` of a ' +
    'trusted download prints it). For Git, pin the commit: `ADD https://github.com/org/repo.git#<40-hex commit> /src` ' +
    'or `ADD --checksum=<commit> …`.',
  references: ['dockerlinter:EA0001', 'semgrep:prefer-copy-over-add'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#add---checksum',
  check(ctx) {
    for (const instr of stageInstructionList(ctx.dockerfile)) {
      if (keyword(instr) !== 'ADD') continue;
      if (flagsOf(instr).some((f) => f.name === 'checksum' && f.value)) continue;
      const args = pathArguments(instr);
      for (const src of args.slice(0, -1)) {
        const value = src.value;
        if (isGitSource(value)) {
          const written = value.includes('#') ? value.slice(value.indexOf('#') + 1).split(':')[0] : '';
          const ref = written.includes('$') ? resolveAt(ctx.dockerfile, written, instr.getRange().start.line) : written;
          // A ref from a build argument without a default cannot be judged.
          if (ref === undefined) continue;
          if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(ref)) continue;
          const shown = ref !== written ? `${written} (= ${ref})` : ref;
          ctx.report({
            at: ctx.spanOf(src.range),
            message: ref
              ? `ADD of a Git repository at ${shown}, a ref that can move: pin a full commit hash (#<sha>) or add --checksum.`
              : 'ADD of a Git repository without a ref builds whatever the default branch holds: pin a full commit hash (#<sha>).',
          });
        } else if (/^https?:\/\//i.test(value)) {
          ctx.report({
            at: ctx.spanOf(src.range),
            message: 'ADD downloads this URL without verifying it: add --checksum=sha256:<digest> so a changed or tampered file fails the build.',
          });
        }
      }
    }
  },
};
