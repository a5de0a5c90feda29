/** Ingress backends naming a Service, or a Service port, that does not exist. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { WorkspaceModel } from '../../../server/src/model/workspaceModel';
import { incompleteChart, modelOf, namespaceName, NETWORK, related, where } from './common';

export const ingressBackendMissing: KubernetesRule = {
  ...NETWORK,
  id: 'ingress-backend-missing-service',
  language: 'kubernetes',
  title: 'Ingress backend Service or port does not exist',
  severity: 'warning',
  description:
    "An Ingress backend names a Service (and a port by number or name) in the Ingress's namespace. If no such " +
    'Service, or no such port on it, is in the workspace, the controller answers 503 for that path, or the path ' +
    'silently routes nowhere after a rename. Reported only when the workspace holds Services in that namespace.',
  remediation: 'Name an existing Service and one of its `ports` (`port` number or `name`).',
  references: ['kube-linter:dangling-ingress', 'kubescape:C-0298', 'kube-score:ingress-targets-service'],
  fixes: [],
  recommended: true,
  kinds: ['Ingress'],
  scope: 'workspace',
  reads: ['Service'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const ingress = WorkspaceModel.ingressOf(ctx.object, ctx.filePath);
    if (!ingress) return;
    const ns = ingress.ref.namespace;
    const services = model.services(ns);
    if (!services.length) return;
    for (const b of ingress.backends) {
      const svc = model.service(ns, b.service);
      if (!svc) {
        ctx.report({
          at: b.serviceNode,
          message: `${ctx.object.label} routes to Service "${b.service}", which is not in ${namespaceName(ns)} in the workspace (it has ${services
            .slice(0, 5)
            .map((s) => s.name)
            .join(', ')}${services.length > 5 ? ', ...' : ''}).`,
        });
        continue;
      }
      if (b.port === undefined || !b.portNode) continue;
      const found = svc.ports.some((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
      if (found) continue;
      ctx.report({
        at: b.portNode,
        message: `${ctx.object.label} routes to port ${typeof b.port === 'number' ? b.port : `"${b.port}"`} of ${where(svc.ref)}, which has no such port (${svc.ports.map((p) => (p.name ? `${p.port} (${p.name})` : `${p.port}`)).join(', ') || 'none'}).`,
        related: [related(svc.ref, svc.ports[0]?.item, `ports of Service/${svc.name}`)],
      });
    }
  },
};
