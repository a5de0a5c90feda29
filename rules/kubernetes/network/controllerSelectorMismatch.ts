/** A controller whose `selector` does not match its own pod template's labels. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { findPair, getMap, getNode, mapEntries, scalarValue } from '../../../server/src/documents/yamlNodes';
import { isMap } from 'yaml';
import { describeSelector, matches, parseLabelSelector, parseMapSelector } from '../../../server/src/model/selectors';

export const controllerSelectorMismatch: KubernetesRule = {
  id: 'controller-selector-mismatch',
  language: 'kubernetes',
  title: 'Controller selector does not match its pod template',
  category: 'reliability',
  severity: 'error',
  description:
    'A Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or ReplicationController (or a custom kind with ' +
    "`spec.selector` and `spec.template`) manages the pods its `selector` matches. When the template's labels do not " +
    'match it, the API server rejects the object (apps/v1), or the controller creates pods it never counts and ' +
    'keeps creating more. Services and NetworkPolicies written against either set of labels then miss.',
  remediation: 'Make `spec.template.metadata.labels` carry every label the selector requires.',
  references: ['kube-linter:mismatching-selector', 'kubescape:C-0296'],
  fixes: [],
  recommended: false,
  docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector',
  kinds: 'workloads',
  check(ctx) {
    const object = ctx.object;
    if (object.kind === 'Pod' || object.kind === 'CronJob' || object.kind === 'PodTemplate') return;
    const pod = object.podSpec();
    if (!pod) return;
    const doc = object.doc;
    const spec = getMap(object.node, 'spec', doc);
    const node = getNode(spec, 'selector', doc);
    if (!node || !isMap(node) || !node.items.length) return;
    const structured = findPair(node, 'matchLabels', doc) || findPair(node, 'matchExpressions', doc);
    const selector = structured ? parseLabelSelector(node, doc) : parseMapSelector(node, doc);
    if (!selector.requirements.length) return;
    const labels = new Map(mapEntries(getNode(pod.metadata, 'labels', doc), doc).map((e) => [e.key, String(scalarValue(e.value, doc) ?? '')]));
    if (matches(selector, labels)) return;
    ctx.report({
      at: findPair(spec, 'selector', doc) ?? object.anchor,
      message: `${object.label} selects ${describeSelector(selector)} but its pod template is labelled ${[...labels].map(([k, v]) => `${k}=${v}`).join(',') || '(no labels)'}: the controller does not own the pods it creates.`,
    });
  },
};
