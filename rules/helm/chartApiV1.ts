/**
 * A chart still in the Helm 2 format (`apiVersion: v1`): Helm 3 installs it, but reads its
 * dependencies from requirements.yaml/requirements.lock instead of Chart.yaml/Chart.lock, ignores
 * `type`, and `helm lint` rejects `dependencies` in its Chart.yaml.
 */
import { isMap, isScalar, type Pair, type Scalar } from 'yaml';
import type { HelmChartRule } from '../../server/src/engine/rule';
import { dependenciesPair, HELM_CHART } from './dependencies';

export const helmChartApiV1: HelmChartRule = {
  ...HELM_CHART,
  docsUrl: 'https://helm.sh/docs/topics/charts/#the-apiversion-field',
  id: 'helm-chart-api-v1',
  language: 'helm-chart',
  title: 'Chart in the deprecated Helm 2 format (apiVersion: v1)',
  severity: 'warning',
  description:
    '`apiVersion: v1` in `Chart.yaml` is the chart format of Helm 2, which reached its end of life in 2020. Helm 3 still ' +
    'installs such a chart, but takes its dependencies from `requirements.yaml` and `requirements.lock` (a `dependencies` ' +
    'list in a v1 Chart.yaml is ignored by `helm dependency update`, and `helm lint` reports it as invalid), ignores `type: library`, ' +
    'and the Chart.yaml rules on dependencies and their lock do not apply to it.',
  remediation:
    'Set `apiVersion: v2`, move the dependencies of `requirements.yaml` into `Chart.yaml` (and delete requirements.yaml and ' +
    'requirements.lock), then run `helm dependency update` to write Chart.lock.',
  references: [],
  fixes: [],
  recommended: true,
  check(ctx) {
    if (!isMap(ctx.doc.contents)) return;
    const pair = ctx.doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'apiVersion') as Pair<Scalar, unknown> | undefined;
    if (!pair || !isScalar(pair.value) || String(pair.value.value).trim() !== 'v1') return;
    const deps = dependenciesPair(ctx.doc);
    ctx.report({
      at: pair,
      message: deps
        ? 'this chart is in the Helm 2 format (apiVersion: v1), where dependencies belong in requirements.yaml: Helm 3 ignores the `dependencies` of this Chart.yaml when it updates them, and `helm lint` rejects them.'
        : 'this chart is in the Helm 2 format (apiVersion: v1), deprecated since Helm 3: use apiVersion: v2 (dependencies in Chart.yaml, locked in Chart.lock).',
    });
  },
};
