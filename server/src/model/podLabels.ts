/**
 * The labels pods really carry, beyond their template's `metadata.labels`:
 *
 * - Controllers add labels of their own to every pod they create (`pod-template-hash` for
 *   Deployments, `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index` for
 *   StatefulSets, `controller-revision-hash`, the Job labels...). Selectors use them (Redis and
 *   ZooKeeper charts address one StatefulSet replica through `statefulset.kubernetes.io/pod-name`), so a
 *   selector on such a key matches a template whose controller sets it, with the value the controller
 *   would give (a StatefulSet's pod names are `<name>-<ordinal>`).
 * - Operators create pods from custom resources that have no pod template: the Prometheus Operator's
 *   Prometheus, Alertmanager, ThanosRuler and PrometheusAgent carry `spec.podMetadata.labels`, and the
 *   operator adds its own. Their containers and ports are the operator's, so they are unknown here.
 *
 * Without these, Services and NetworkPolicies of kube-prometheus or argo-cd's HA manifests were reported
 * as selecting nothing.
 */
import type { Node } from 'yaml';
import type { KubeObject } from '../documents/kube';
import { getMap, getNode, mapEntries, scalarValue } from '../documents/yamlNodes';
import type { Requirement } from './selectors';

/** Label keys a controller of that kind sets on each pod it creates. */
const CONTROLLER_LABELS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['pod-template-hash'],
  ReplicaSet: ['pod-template-hash'],
  StatefulSet: ['controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'],
  DaemonSet: ['controller-revision-hash', 'pod-template-generation'],
  Job: ['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name', 'batch.kubernetes.io/job-completion-index'],
  CronJob: ['controller-uid', 'job-name', 'batch.kubernetes.io/controller-uid', 'batch.kubernetes.io/job-name'],
  // Argo Rollouts
  Rollout: ['rollouts-pod-template-hash'],
};

/** Every key some controller sets: a selector's equality on one of them cannot narrow by template labels. */
export const AUTOMATIC_LABEL_KEYS: ReadonlySet<string> = new Set(Object.values(CONTROLLER_LABELS).flat());

/** The keys the object's controller sets on its pods (none for a bare Pod or an unknown kind). */
export function automaticLabelKeys(kind: string | undefined): readonly string[] {
  return kind && Object.hasOwn(CONTROLLER_LABELS, kind) ? CONTROLLER_LABELS[kind] : [];
}

/** Whether a controller-set label can satisfy one selector requirement for a pod of `object`. */
export function automaticLabelSatisfies(r: Requirement, object: KubeObject): boolean {
  switch (r.operator) {
    case 'Exists':
      return true;
    case 'DoesNotExist':
      return false;
    case 'NotIn':
      return true;
    case 'In':
      return r.values.some((v) => automaticValuePossible(r.key, v, object));
  }
}

function automaticValuePossible(key: string, value: string, object: KubeObject): boolean {
  if (key === 'statefulset.kubernetes.io/pod-name')
    return ordinalOf(value, `${object.name ?? ''}-`) !== undefined && withinReplicas(ordinalOf(value, `${object.name ?? ''}-`)!, object);
  if (key === 'apps.kubernetes.io/pod-index' || key === 'batch.kubernetes.io/job-completion-index') return ordinalOf(value, '') !== undefined;
  if (key === 'job-name' || key === 'batch.kubernetes.io/job-name')
    return object.kind === 'Job' ? value === object.name : value.startsWith(`${object.name ?? ''}-`);
  // Hashes, uids, generations: any value is possible.
  return true;
}

/** `web-3` with prefix `web-` → 3; anything else → undefined. */
function ordinalOf(value: string, prefix: string): number | undefined {
  if (!value.startsWith(prefix)) return undefined;
  const rest = value.slice(prefix.length);
  if (!rest.length || rest.length > 9) return undefined;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  if (rest.length > 1 && rest[0] === '0') return undefined;
  return Number(rest);
}

function withinReplicas(ordinal: number, object: KubeObject): boolean {
  const replicas = scalarValue(getNode(getMap(object.node, 'spec', object.doc), 'replicas', object.doc), object.doc);
  // Unset (1 by default, but often scaled by an autoscaler or overridden) or templated: do not guess.
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) return true;
  return ordinal < Math.max(replicas, 1);
}

/** Pods created by an operator from a custom resource, with the labels the operator gives them. */
export interface OperatorPods {
  readonly labels: Map<string, string>;
  readonly labelsNode?: Node;
}

const PROMETHEUS_OPERATOR: Readonly<Record<string, { name: string; instanceLabel: string }>> = {
  Prometheus: { name: 'prometheus', instanceLabel: 'prometheus' },
  PrometheusAgent: { name: 'prometheus-agent', instanceLabel: 'prometheus' },
  Alertmanager: { name: 'alertmanager', instanceLabel: 'alertmanager' },
  ThanosRuler: { name: 'thanos-ruler', instanceLabel: 'thanos-ruler' },
};

export function operatorPods(object: KubeObject): OperatorPods | undefined {
  const kind = object.kind;
  const group = object.apiVersion?.split('/')[0];
  if (!kind || group !== 'monitoring.coreos.com' || !Object.hasOwn(PROMETHEUS_OPERATOR, kind)) return undefined;
  const { name: appName, instanceLabel } = PROMETHEUS_OPERATOR[kind];
  const name = object.name ?? '';
  const doc = object.doc;
  const labelsNode = getNode(getMap(getMap(object.node, 'spec', doc), 'podMetadata', doc), 'labels', doc);
  const labels = new Map<string, string>();
  for (const e of mapEntries(labelsNode, doc)) labels.set(e.key, String(scalarValue(e.value, doc) ?? ''));
  // The operator's own labels win over podMetadata's (prometheus-operator's statefulset builders).
  labels.set('app.kubernetes.io/name', appName);
  labels.set('app.kubernetes.io/managed-by', 'prometheus-operator');
  labels.set('app.kubernetes.io/instance', name);
  labels.set(instanceLabel, name);
  if (kind === 'Prometheus' || kind === 'PrometheusAgent') labels.set('operator.prometheus.io/name', name);
  return { labels, labelsNode };
}
