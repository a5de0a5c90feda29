/** Rules over Helm charts' own files (Chart.yaml, Chart.lock). */
import type { HelmChartRule } from '../../server/src/engine/rule';
import { helmDependencyHttpRepository } from './dependencyHttpRepository';
import { helmDependencyVersionRange } from './dependencyVersionRange';
import { helmChartLockOutOfDate } from './chartLock';
import { helmDependencyArchiveUnreadable } from './dependencyArchive';
import { helmChartApiV1 } from './chartApiV1';

export const HELM_RULES: readonly HelmChartRule[] = [
  helmDependencyVersionRange,
  helmDependencyHttpRepository,
  helmChartLockOutOfDate,
  helmDependencyArchiveUnreadable,
  helmChartApiV1,
];
