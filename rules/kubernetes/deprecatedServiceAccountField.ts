import type { KubernetesRule } from '../../server/src/engine/rule';
import { findPair, getString, scalarValue } from '../../server/src/documents/yamlNodes';
import type { Node } from 'yaml';

export const deprecatedServiceAccountField: KubernetesRule = {
  id: 'deprecated-service-account-field',
  language: 'kubernetes',
  title: 'Deprecated serviceAccount field',
  category: 'service-accounts',
  severity: 'info',
  description:
    '`spec.serviceAccount` is a deprecated alias of `spec.serviceAccountName`. When both are set and differ, ' +
    'the API server keeps `serviceAccountName`, so the identity a reviewer reads may not be the one the pod gets. ' +
    'Both fields with the same value are not reported: the API server writes them back that way, so every ' +
    'manifest exported from a cluster has them.',
  remediation: 'Use `serviceAccountName` only.',
  references: ['kube-linter:deprecated-service-account-field', 'kubescape:C-0294'],
  fixes: [{ title: 'Use serviceAccountName', applicability: 'safe' }],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security',
  kinds: 'workloads',
  check(ctx) {
    const pod = ctx.object.podSpec();
    if (!pod) return;
    const doc = ctx.object.doc;
    const pair = findPair(pod.node, 'serviceAccount', doc);
    if (!pair) return;
    const deprecated = scalarValue(pair.value, doc);
    const current = getString(pod.node, 'serviceAccountName', doc);
    if (current !== undefined && deprecated != null) {
      // The API server writes both fields back with the same value, so every exported manifest has
      // the pair; it names one account and misleads no one.
      if (String(deprecated) === current) return;
      ctx.report({
        at: pair,
        message: `${ctx.object.label} sets the deprecated serviceAccount "${String(deprecated)}" and serviceAccountName "${current}"; the pod runs as "${current}".`,
      });
      return;
    }
    ctx.report({
      at: pair.key as Node,
      message: `${ctx.object.label} uses the deprecated serviceAccount field; use serviceAccountName.`,
      fixes: [
        {
          title: current !== undefined ? 'Remove the empty serviceAccount' : 'Use serviceAccountName',
          // Same account either way: the API server treats the fields as aliases.
          applicability: 'safe',
          edits: () => {
            if (current !== undefined) return [ctx.edit.removePair(pod.node, pair)];
            // `serviceAccountName:` there with no value: renaming would make it a duplicate key, so
            // it takes the value and the deprecated field goes.
            const empty = findPair(pod.node, 'serviceAccountName', doc);
            if (empty && pod.node.items.includes(empty)) {
              return deprecated == null
                ? [ctx.edit.removePair(pod.node, pair)]
                : [ctx.edit.removePair(pod.node, pair), ctx.edit.setIn(pod.node, ['serviceAccountName'], String(deprecated))];
            }
            return [ctx.edit.replace(pair.key as Node, 'serviceAccountName')];
          },
        },
      ],
    });
  },
};
