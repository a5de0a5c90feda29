/**
 * Chart.lock missing or out of step with Chart.yaml: what `helm dependency build` installs is then
 * not what Chart.yaml says (or nothing records it at all), so reviewers see one chart and the
 * cluster gets another.
 */
import type { Node } from 'yaml';
import type { HelmChartRule } from '../../server/src/engine/rule';
import { dependenciesOf, dependenciesPair, HELM_CHART, lockedDependencies, lockHasDigest } from './dependencies';
import { satisfies } from './semver';

export const helmChartLockOutOfDate: HelmChartRule = {
  ...HELM_CHART,
  id: 'helm-chart-lock-out-of-date',
  language: 'helm-chart',
  title: 'Chart.lock missing or out of date',
  severity: 'warning',
  description:
    'Chart.lock records the exact version (and the digest of the whole set) of every dependency `helm dependency update` ' +
    'resolved, so `helm dependency build` installs the same charts on every machine. Reported: a chart with dependencies ' +
    'and no Chart.lock beside its Chart.yaml; a dependency Chart.lock does not list; a locked version outside the range ' +
    'Chart.yaml now asks for; a locked repository that is not the one Chart.yaml names; a locked dependency Chart.yaml ' +
    'no longer has; a Chart.lock without the `digest` helm checks it by. (`helm dependency build` refuses an out-of-date lock, ' +
    'so the chart also fails to build.)',
  remediation: 'Run `helm dependency update`, review what it resolved, and commit Chart.lock.',
  references: [],
  fixes: [],
  recommended: true,
  check(ctx) {
    const deps = dependenciesOf(ctx.doc);
    const listPair = dependenciesPair(ctx.doc);
    if (!deps.length || !listPair || ctx.lockText === undefined) return;
    if (ctx.lockText === null) {
      ctx.report({
        at: listPair.key as Node,
        message: `this chart has ${deps.length} ${deps.length === 1 ? 'dependency' : 'dependencies'} and no Chart.lock: each \`helm dependency update\` resolves them anew, and nothing records what was installed.`,
      });
      return;
    }
    const locked = lockedDependencies(ctx.lockText);
    if (!locked) return; // a Chart.lock that does not parse: the YAML rules' business
    for (const dep of deps) {
      const repository = dep.field('repository')?.text.trim() ?? '';
      const entry = locked.find((l) => l.name === dep.name);
      const namePair = dep.field('name')!.pair;
      if (!entry) {
        ctx.report({ at: namePair, message: `dependency "${dep.name}" is not in Chart.lock: the lock predates it.` });
        continue;
      }
      const version = dep.field('version');
      if (version && entry.version && satisfies(entry.version, version.text) === false) {
        ctx.report({ at: version.pair, message: `Chart.lock holds ${dep.name} ${entry.version}, outside "${version.text}": the lock is out of date.` });
      }
      const repo = dep.field('repository');
      if (repo && entry.repository && entry.repository !== repository) {
        ctx.report({ at: repo.pair, message: `Chart.lock fetched ${dep.name} from ${entry.repository}, not from ${repository}: the lock is out of date.` });
      }
    }
    if (lockHasDigest(ctx.lockText) === false)
      ctx.report({
        at: listPair.key as Node,
        message:
          'Chart.lock records no digest of the dependencies it resolved: `helm dependency build` compares that digest with Chart.yaml and refuses the lock as out of sync.',
      });
    const names = new Set(deps.map((d) => d.name));
    const stale = locked.filter((l) => !names.has(l.name)).map((l) => l.name);
    if (stale.length)
      ctx.report({
        at: listPair.key as Node,
        message: `Chart.lock still lists ${stale.map((n) => `"${n}"`).join(', ')}, which Chart.yaml no longer has: the lock is out of date.`,
      });
  },
};
