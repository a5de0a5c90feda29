/**
 * A packaged dependency (`charts/<name>-<version>.tgz`) that cannot be read: helm refuses to render
 * the chart at all, and nothing in the archive is checked.
 */
import * as path from 'node:path';
import type { Node } from 'yaml';
import type { HelmChartRule } from '../../server/src/engine/rule';
import { dependenciesOf, dependenciesPair, HELM_CHART } from './dependencies';

export const helmDependencyArchiveUnreadable: HelmChartRule = {
  ...HELM_CHART,
  id: 'helm-dependency-archive-unreadable',
  language: 'helm-chart',
  title: 'Packaged dependency cannot be read',
  severity: 'error',
  description:
    "A `.tgz` in the chart's `charts/` folder that is not a chart archive helm can load (a corrupt or truncated gzip or " +
    'tar, a path outside the chart, no Chart.yaml, larger than the reading budget): `helm template` and `helm install` ' +
    'fail on it, and Bulkhead cannot check the subchart it should hold.',
  remediation: 'Run `helm dependency build` (or `helm dependency update`) to fetch the archive again, or remove it from charts/.',
  references: [],
  fixes: [],
  recommended: true,
  check(ctx) {
    if (!ctx.archiveProblems?.length) return;
    const deps = dependenciesOf(ctx.doc);
    const listPair = dependenciesPair(ctx.doc);
    for (const problem of ctx.archiveProblems) {
      const file = path.basename(problem.archive);
      // The entry the archive belongs to (`<name>-<version>.tgz`), else the dependencies list, else the top.
      const dep = deps.find((d) => file.startsWith(`${d.name}-`));
      const at = (dep?.field('name')?.pair.key ?? listPair?.key ?? ctx.doc.contents) as Node | null;
      const where = path.relative(path.dirname(ctx.filePath), problem.archive).split(path.sep).join('/');
      if (at)
        ctx.report({
          at,
          message: `${where} cannot be read as a chart: ${problem.message}. Helm refuses to render this chart; nothing in the archive is checked.`,
        });
    }
  },
};
