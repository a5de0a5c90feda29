/** A Service whose selector matches no pod template of its namespace: it has no endpoints. */
import { WorkspaceModel } from '../../../server/src/model/workspaceModel';
import { findPair, getMap } from '../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { describeSelector } from '../../../server/src/model/selectors';
import { incompleteChart, modelOf, namespaceName, NETWORK, related, whereAll } from './common';

export const serviceSelectsNoPods: KubernetesRule = {
  ...NETWORK,
  id: 'service-selects-no-pods',
  language: 'kubernetes',
  title: 'Service selects no pods',
  severity: 'warning',
  description:
    "The Service's `selector` matches the labels of no pod template in its namespace, so it has no endpoints: clients " +
    'get connection refused, or a stale selector waits for the next pod that happens to carry the labels. Objects are ' +
    'matched as the API server does: same namespace (documents without `metadata.namespace` form one unnamed namespace), ' +
    'pod templates of every workload kind, custom kinds with `spec.template` and Helm output. Reported only when the ' +
    'workspace holds workloads in that namespace (otherwise they are deployed from elsewhere).',
  remediation: 'Make the selector equal to labels of the pod template it should serve (or fix the template labels).',
  references: ['kube-linter:dangling-service', 'kubescape:C-0293', 'kube-score:service-targets-pod'],
  fixes: [],
  recommended: true,
  kinds: ['Service'],
  scope: 'workspace',
  reads: ['workloads', 'Service'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const svc = WorkspaceModel.serviceOf(ctx.object, ctx.filePath);
    if (!svc?.selector || svc.type === 'ExternalName') return;
    // The selected pods first: a Service that selects some depends on those pods only.
    if (model.podsSelectedBy(svc.ref.namespace, svc.selector).length) return;
    const pods = model.pods(svc.ref.namespace);
    if (!pods.length) return;
    const near = pods
      .filter((p) => svc.selector!.requirements.some((r: { key: string; values: readonly string[] }) => r.values.includes(p.labels.get(r.key) ?? '\u0000')))
      .slice(0, 3);
    const shown = near.length ? near : pods.slice(0, 3);
    const at = findPair(getMap(ctx.object.node, 'spec', ctx.object.doc), 'selector', ctx.object.doc) ?? ctx.object.anchor;
    ctx.report({
      at,
      message:
        `${ctx.object.label} selects ${describeSelector(svc.selector)}, which no pod template in ${namespaceName(svc.ref.namespace)} carries ` +
        `(${near.length ? 'closest' : 'there'}: ${whereAll(shown.map((p) => p.ref))}); the Service has no endpoints.`,
      related: shown.map((p) => related(p.ref, p.labelsNode, `pod template labels of ${p.ref.object.label}`)),
    });
  },
};

export const serviceWithoutEndpoints: KubernetesRule = {
  ...NETWORK,
  id: 'service-without-endpoints',
  language: 'kubernetes',
  title: 'Service without selector or endpoints',
  severity: 'info',
  description:
    'A Service without a `selector` gets its endpoints from EndpointSlices (or Endpoints) someone else writes. None ' +
    'is in the workspace, so nothing here says where its traffic goes. Often intended (endpoints managed by an ' +
    'operator or created by hand), so this is informational and off by default.',
  remediation: 'Add a selector, or keep the EndpointSlice (label `kubernetes.io/service-name`) beside the Service.',
  references: [],
  fixes: [],
  recommended: false,
  kinds: ['Service'],
  scope: 'workspace',
  reads: ['EndpointSlice', 'Endpoints'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const svc = WorkspaceModel.serviceOf(ctx.object, ctx.filePath);
    if (!svc || svc.selector || svc.type === 'ExternalName') return;
    if (model.hasEndpointsFor(svc.ref.namespace, svc.name)) return;
    ctx.report({
      at: ctx.object.anchor,
      message: `${ctx.object.label} has no selector and no EndpointSlice or Endpoints for it is in the workspace: where its traffic goes is defined elsewhere.`,
    });
  },
};
