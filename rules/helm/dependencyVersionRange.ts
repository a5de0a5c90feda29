/**
 * A chart dependency pinned to a range (`5.*`, `^5.2.0`, `>=5 <6`): every `helm dependency update`
 * may bring in a different chart, which is how the Helm-ET research got unreviewed charts into
 * deployments. The safe fix pins it to the version Chart.lock already resolved.
 */
import type { HelmChartRule } from '../../server/src/engine/rule';
import { dependenciesOf, HELM_CHART, lockedDependencies, sameStyle } from './dependencies';
import { isPinned, satisfies } from './semver';

export const helmDependencyVersionRange: HelmChartRule = {
  ...HELM_CHART,
  id: 'helm-dependency-version-range',
  language: 'helm-chart',
  title: 'Chart dependency not pinned to one version',
  severity: 'warning',
  description:
    'A dependency in `Chart.yaml` whose `version` is a range or a wildcard (`5.*`, `5.x`, `~5.2`, `^5.0.0`, `>=5 <6`, ' +
    'or a partial `5.2`, which Helm reads as `5.2.x`) lets `helm dependency update` pull whatever the repository serves ' +
    'next, unreviewed: a compromised or simply changed chart reaches the cluster with the next build. Chart.lock records ' +
    'what was resolved, but `helm dependency update` rewrites it.',
  remediation: 'Pin `version` to one release (the one in Chart.lock, if you reviewed it), and update it deliberately.',
  references: [],
  fixes: [{ title: 'Pin to the version Chart.lock resolved', applicability: 'safe' }],
  recommended: true,
  check(ctx) {
    const locked = typeof ctx.lockText === 'string' ? lockedDependencies(ctx.lockText) : undefined;
    for (const dep of dependenciesOf(ctx.doc)) {
      const version = dep.field('version');
      if (!version || isPinned(version.text)) continue;
      const lock =
        locked?.find((l) => l.name === dep.name && (dep.field('repository')?.text ?? '') === l.repository) ?? locked?.find((l) => l.name === dep.name);
      // Pinning to the locked version changes nothing `helm dependency build` installs today.
      const pin = lock && satisfies(lock.version, version.text) === true ? lock.version : undefined;
      ctx.report({
        at: version.pair,
        message: `dependency "${dep.name}" accepts any version matching "${version.text}": each \`helm dependency update\` may bring in a different, unreviewed chart${pin ? ` (Chart.lock resolved ${pin})` : ''}.`,
        fixes: pin
          ? [
              {
                title: `Pin to ${pin}, the version Chart.lock resolved`,
                applicability: 'safe',
                edits: () => [ctx.edit.replace(version.value, sameStyle(version.value, ctx.text, pin))],
              },
            ]
          : [],
      });
    }
  },
};
