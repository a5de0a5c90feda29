/**
 * **new**, extending `dockerfile-expose-only-port` down the chain: a `containerPort` that no Service,
 * probe or NetworkPolicy of the workspace uses. Documentation drift: the port may or may not listen.
 */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { WorkspaceModel } from '../../../server/src/model/workspaceModel';
import { DOCUMENTATION_NOTE, incompleteChart, modelOf, NETWORK } from './common';

export const containerPortUnused: KubernetesRule = {
  ...NETWORK,
  id: 'container-port-unused',
  language: 'kubernetes',
  title: 'Container port used by no Service, probe or policy',
  severity: 'info',
  description:
    '`containerPort` is documentation: the container may listen on ports it does not declare, and need not listen ' +
    'on those it does. A declared port that no Service targets (by number or name), no probe checks and no ' +
    'NetworkPolicy of the workspace names is drift: a stale declaration, or a listener (metrics, debug, admin) that ' +
    'every pod of the cluster can reach although nothing plans for it. The chain is Dockerfile `EXPOSE` ' +
    '(`dockerfile-expose-only-port`) → `containerPort` (this rule) → Service `targetPort` ' +
    '(`service-target-port-undeclared`) → NetworkPolicy `ports` (`networkpolicy-port-mismatch`). Off by default: ' +
    'metrics ports scraped through PodMonitors are legitimately declared and otherwise unused.',
  remediation: 'Remove the stale port declaration (and make the program stop listening), or serve it through a Service and a policy.',
  references: [],
  fixes: [],
  recommended: false,
  kinds: 'workloads',
  scope: 'workspace',
  reads: ['workloads', 'Service', 'NetworkPolicy'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const pod = WorkspaceModel.podOf(ctx.object, ctx.filePath);
    if (!pod || !pod.ports.length) return;
    const numbers = new Set<number>();
    const names = new Set<string>();
    const use = (p: number | string | undefined) => (typeof p === 'number' ? numbers.add(p) : p !== undefined && names.add(p));
    for (const s of model.servicesSelecting(pod)) for (const sp of s.ports) use(sp.targetPort);
    for (const c of pod.containers) for (const probe of c.probes) use(probe.port);
    let policyAllPorts = false;
    for (const p of model.policiesSelecting(pod)) {
      for (const r of p.ingressRules) {
        if (!r.ports || !r.ports.length) policyAllPorts = true;
        for (const port of r.ports ?? []) use(port.port);
      }
    }
    if (policyAllPorts) return;
    for (const port of pod.ports) {
      if (port.number === undefined) continue;
      if (numbers.has(port.number) || (port.name && names.has(port.name))) continue;
      ctx.report({
        at: port.node,
        message: `${ctx.object.label} declares port ${port.number}${port.name ? ` (${port.name})` : ''} on container "${port.container}", which no Service, probe or NetworkPolicy in the workspace uses. ${DOCUMENTATION_NOTE}`,
      });
    }
  },
};
