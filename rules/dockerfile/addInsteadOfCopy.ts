import type { DockerfileRule } from '../../server/src/engine/rule';
import { flagsOf, keyword, pathArguments, stageInstructionList } from './shared';
import { isUrlSource } from './remoteAddWithoutChecksum';
import { withoutTrailingSlashes } from '../text';

/**
 * Names of tar archives ADD unpacks, and of compressed files that may hold one (ADD looks at the
 * content: a tar, raw or gzip/bzip2/xz/zstd-compressed, is extracted; anything else is copied).
 */
const TAR_ARCHIVE = /\.(?:tar|tgz|tbz2?|txz|tzst|tlz|taz|gz|bz2|xz|zst|lz|lzma|z)$/i;
/** Archives that are never tar files: ADD copies them as they are, exactly as COPY would. */
const NON_TAR_ARCHIVE = /\.(?:zip|jar|war|ear|whl|7z|rar)$/i;

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
    '(a zip-slip-like surprise), and reviewers cannot tell a fetch from a copy. `ADD` unpacks only tar ' +
    'archives (plain or compressed): a `.zip`, `.jar`, `.war`, `.whl`, `.7z` or `.rar` is copied as is, so ' +
    'ADD of one is a plain copy too. `ADD` of URLs, Git repositories and tar archives is left to other rules.',
  remediation: 'Use `COPY` for local files and directories. Keep `ADD` only to unpack a local tar archive or to fetch with `--checksum`.',
  references: ['hadolint:DL3020', 'trivy:DS-0005', 'checkov:CKV_DOCKER_4', 'dockerlinter:EA0002'],
  fixes: [{ title: 'Replace ADD with COPY', applicability: 'safe' }],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/best-practices/#add-or-copy',
  check(ctx) {
    for (const instr of stageInstructionList(ctx.dockerfile)) {
      if (keyword(instr) !== 'ADD') continue;
      const args = pathArguments(instr);
      if (args.length < 2) continue;
      const sources = args.slice(0, -1).map((a) => a.value);
      // Unknown (variables) or special sources: not a clear-cut COPY.
      if (sources.some((s) => s.includes('$') || isUrlSource(s) || TAR_ARCHIVE.test(withoutTrailingSlashes(s)))) continue;
      const nonTar = sources.find((s) => NON_TAR_ARCHIVE.test(withoutTrailingSlashes(s)));
      const addOnly = flagsOf(instr).some((f) => ADD_ONLY_FLAGS.has(f.name));
      const kwRange = instr.getInstructionRange();
      const written = instr.getInstruction();
      ctx.report({
        at: ctx.spanOf(kwRange),
        message: nonTar
          ? `ADD of "${nonTar}": ADD unpacks only tar archives, so it copies this file as is; use COPY, which says so.`
          : `ADD of local ${sources.length === 1 ? `"${sources[0]}"` : 'files'}: use COPY, which copies without unpacking archives or fetching URLs.`,
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
