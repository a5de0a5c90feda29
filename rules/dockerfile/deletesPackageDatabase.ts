import type { DockerfileRule } from '../../server/src/engine/rule';
import { deletions, packageDbKind } from './deletions';
import { scriptSpan } from './shared';
import { isRootPath, shippedBy, stagesWithShippedFiles } from './shippedFileSystems';

/**
 * What each kind of deleted evidence costs, by the ORCA study's measurements (Bufalino et al. 2025:
 * images built with each technique, scanned by seven scanners).
 */
function loss(what: string): string {
  if (what === 'the OS release file') {
    return 'scanners that match vulnerabilities by distribution (Syft/Grype, Docker Scout) can no longer tell which distribution this is and lose nearly every OS vulnerability (ORCA: Syft 625 → 9, Docker Scout 123 → 6)';
  }
  if (what === 'the dpkg package database') {
    return 'image scanners (Trivy, Syft, Docker Scout) no longer list the Debian packages, so their vulnerabilities go unreported (ORCA: Trivy 441 → 11 packages, Syft 448 → 25, Docker Scout 585 → 23)';
  }
  if (what.endsWith('package database') || what === 'the rpm manifest') {
    return 'image scanners (Trivy, Syft, Docker Scout) no longer list the OS packages, so their vulnerabilities go unreported (ORCA measured the same for dpkg: Trivy 441 → 11 packages)';
  }
  return 'language-package scanners (Trivy, Syft, Docker Scout) stop listing the packages it described (ORCA: every scanner lost packages when it was deleted)';
}

const VERB: Record<string, string> = { mv: 'Moving', overwriting: 'Overwriting' };

export const dockerfileDeletesPackageDatabase: DockerfileRule = {
  id: 'dockerfile-deletes-package-database',
  language: 'dockerfile',
  title: 'Package database deleted (hides packages from scanners)',
  category: 'dockerfile',
  severity: 'error',
  description:
    'A `RUN` whose files reach the shipped image deletes, moves or overwrites the evidence that SBOM and ' +
    'vulnerability scanners read: the dpkg, apk or rpm database (`/var/lib/dpkg/status`, `/lib/apk/db/installed`, ' +
    '`/var/lib/rpm`), OS identification (`/etc/os-release`, `/usr/lib/os-release`, `/etc/*-release`, ' +
    '`/etc/debian_version`), Python `*.dist-info`/`*.egg-info`, `node_modules/*/package.json`, Composer ' +
    '`installed.json`, gem specifications or conda metadata, or the folder that holds them (`rm -rf /var/lib/*`), ' +
    'in every form: `rm`, `mv`, `shred`, `truncate`, `> file`, `ln -sf /dev/null file`, `find … -delete`, relative ' +
    'paths after `cd` or `WORKDIR`. The packages stay in the image but scanners stop ' +
    'reporting them. In the ORCA study (Bufalino et al. 2025) deleting the dpkg database took Trivy from 441 ' +
    'packages to 11, deleting OS identification took Syft from 625 vulnerabilities to 9, and deleting Python ' +
    'metadata cost every scanner packages. A builder stage counts when a later stage that ships copies its whole ' +
    'file system (`COPY --from=builder / /`) or the directory that held the metadata: the finding is on the ' +
    'deleting line and names that `COPY`. Cleaning caches (`/var/lib/apt/lists/*`, `/var/cache/apk/*`, `/tmp/*`, ' +
    '`~/.cache`) is fine and not flagged, nor are builder stages whose files are copied selectively.',
  remediation:
    'Keep the package metadata. To make the image smaller, build in a builder stage and copy only the ' +
    'application into a minimal base (distroless, Chainguard, `scratch`) whose own package metadata stays intact.',
  references: [],
  fixes: [],
  recommended: true,
  check(ctx) {
    const model = ctx.dockerfile;
    for (const d of deletions(model, stagesWithShippedFiles(model))) {
      const what = packageDbKind(d.path);
      if (!what) continue;
      const via = shippedBy(model, d.stage, d.path);
      if (via === undefined) continue;
      const verb = Object.hasOwn(VERB, d.verb) ? VERB[d.verb] : 'Deleting';
      const stageName = d.stage.name ?? String(d.stage.index);
      const shipped = via
        ? ` The ${isRootPath(via.source) ? 'whole file system' : via.source} of stage ${stageName} is shipped by COPY --from=${via.from} ${via.source} ${via.dest} (line ${via.instr.getRange().start.line + 1}).`
        : '';
      const span = ctx.spanOf(via?.instr ?? d.script.instr);
      ctx.report({
        at: scriptSpan(d.script, d.from, d.to),
        message: `${verb} ${d.path} removes ${what}: ${loss(what)}.${shipped}`,
        ...(via
          ? {
              related: [
                {
                  path: ctx.filePath,
                  start: span.start,
                  end: span.end,
                  message: `COPY --from=${via.from} ${via.source} ${via.dest} ships stage ${stageName}'s files into the image`,
                },
              ],
            }
          : {}),
      });
    }
  },
};
