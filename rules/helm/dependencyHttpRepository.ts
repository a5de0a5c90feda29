/**
 * A chart dependency fetched over plain http: anyone on the path can serve a different chart (and
 * a different index), and Helm does not verify charts unless asked to.
 */
import type { HelmChartRule } from '../../server/src/engine/rule';
import { dependenciesOf, HELM_CHART, sameStyle } from './dependencies';

export const helmDependencyHttpRepository: HelmChartRule = {
  ...HELM_CHART,
  id: 'helm-dependency-http-repository',
  language: 'helm-chart',
  title: 'Chart dependency fetched over plain http',
  severity: 'error',
  description:
    'A dependency in `Chart.yaml` whose `repository` is an `http://` URL is downloaded without TLS: whoever sits between ' +
    'the build and the repository (a proxy, a hostile network, DNS) can hand `helm dependency update` another chart, ' +
    "which then runs in the cluster with the release's permissions.",
  remediation: "Use the repository's `https://` URL (or an `oci://` registry), then run `helm dependency update` to refresh Chart.lock.",
  references: [],
  fixes: [{ title: 'Use https://', applicability: 'unsafe' }],
  recommended: true,
  check(ctx) {
    for (const dep of dependenciesOf(ctx.doc)) {
      const repo = dep.field('repository');
      if (!repo || !/^http:\/\//i.test(repo.text.trim())) continue;
      const https = `https://${repo.text.trim().slice('http://'.length)}`;
      ctx.report({
        at: repo.pair,
        message: `dependency "${dep.name}" is fetched from ${repo.text.trim()} over plain http: anyone on the network path can substitute the chart.`,
        // Unsafe: the server may not serve https, and Chart.lock then names the old URL until updated.
        fixes: [{ title: 'Use https://', applicability: 'unsafe', edits: () => [ctx.edit.replace(repo.value, sameStyle(repo.value, ctx.text, https))] }],
      });
    }
  },
};
