import type { DockerfileRule } from '../../server/src/engine/rule';
import { flagsOf, keyword, pathArguments, stageInstructions } from './shared';
import { isUrlSource } from './remoteAddWithoutChecksum';
import { withoutTrailingSlashes } from '../text';

/** Tar archives ADD unpacks, and other archive-looking names we give the benefit of the doubt. */
const ARCHIVE = /\.(?:tar|tgz|tbz2?|txz|tzst|tlz|taz|gz|bz2|xz|zst|lz|lzma|z|zip|jar|war|whl|7z|rar)$/i;

/** Flags COPY does not accept. */
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

export const dockerfileAddInsteadOfCopy: DockerfileRule = {
  id: 'dockerfile-add-instead-of-copy',
  language: 'dockerfile',
  title: 'ADD used to copy local files',
  category: 'dockerfile',
  severity: 'warning',
  description:
    '`ADD` copies local files like `COPY`, but also unpacks any local tar archive and fetches URLs. Used ' +
    'for plain files, it hides that magic: a file that later becomes an archive is silently extracted ' +
    '(a zip-slip-like surprise), and reviewers cannot tell a fetch from a copy. `ADD` of URLs, Git ' +
    'repositories and archive files is left to other rules.',
  remediation: 'Use `COPY` for local files and directories. Keep `ADD` only to unpack a local tar archive or to fetch with `--checksum`.',
  references: ['hadolint:DL3020', 'trivy:DS-0005', 'checkov:CKV_DOCKER_4', 'semgrep:prefer-copy-over-add'],
  fixes: [{ title: 'Replace ADD with COPY', applicability: 'safe' }],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/best-practices/#add-or-copy',
  check(ctx) {
    for (const { instr } of stageInstructions(ctx.dockerfile)) {
      if (keyword(instr) !== 'ADD') continue;
      const args = pathArguments(instr);
      if (args.length < 2) continue;
      const sources = args.slice(0, -1).map((a) => a.value);
      // Unknown (variables) or special sources: not a clear-cut COPY.
      if (sources.some((s) => s.includes('$') || isUrlSource(s) || ARCHIVE.test(withoutTrailingSlashes(s)))) continue;
      const addOnly = flagsOf(instr).some((f) => ADD_ONLY_FLAGS.has(f.name));
      const kwRange = instr.getInstructionRange();
      const written = instr.getInstruction();
      ctx.report({
        at: ctx.spanOf(kwRange),
        message: `ADD of local ${sources.length === 1 ? `"${sources[0]}"` : 'files'}: use COPY, which copies without unpacking archives or fetching URLs.`,
        fixes: addOnly
          ? []
          : [
              {
                title: 'Replace ADD with COPY',
                applicability: 'safe',
                edits: () => [{ ...ctx.spanOf(kwRange), newText: written === written.toLowerCase() ? 'copy' : 'COPY' }],
              },
            ],
      });
    }
  },
};
