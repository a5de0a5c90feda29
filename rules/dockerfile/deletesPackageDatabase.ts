import type { DockerfileRule } from '../../server/src/engine/rule';
import { deletions, packageDbKind } from './deletions';
import { scriptSpan, shippedStages } from './shared';

export const dockerfileDeletesPackageDatabase: DockerfileRule = {
  id: 'dockerfile-deletes-package-database',
  language: 'dockerfile',
  title: 'Package database deleted (hides packages from scanners)',
  category: 'dockerfile',
  severity: 'error',
  description:
    'A `RUN` in the shipped image deletes the evidence that SBOM and vulnerability scanners read: the dpkg, ' +
    'apk or rpm database (`/var/lib/dpkg/status`, `/lib/apk/db/installed`, `/var/lib/rpm`), `/etc/os-release`, ' +
    'Python `*.dist-info`/`*.egg-info`, `node_modules/*/package.json`, Composer `installed.json`, gem ' +
    'specifications or conda metadata. The packages stay in the image but Trivy, Syft and Docker Scout stop ' +
    'reporting them (in the ORCA benchmark Trivy fell from 1164 to 6 vulnerabilities): vulnerable software ships ' +
    'unnoticed. Cleaning caches (`/var/lib/apt/lists/*`, `/var/cache/apk/*`, `/tmp/*`, `~/.cache`) is fine and not ' +
    'flagged, nor are builder stages.',
  remediation:
    'Keep the package metadata. To make the image smaller, build in a builder stage and copy only the ' +
    'application into a minimal base (distroless, Chainguard, `scratch`) whose own package metadata stays intact.',
  references: [],
  fixes: [],
  recommended: true,
  check(ctx) {
    for (const d of deletions(ctx.dockerfile, shippedStages(ctx.dockerfile))) {
      const what = packageDbKind(d.path);
      if (!what) continue;
      ctx.report({
        at: scriptSpan(d.script, d.from, d.to),
        message: `Deleting ${d.path} removes ${what}: SBOM and vulnerability scanners can no longer see the installed packages.`,
      });
    }
  },
};
