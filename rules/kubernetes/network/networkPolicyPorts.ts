/**
 * **new**: NetworkPolicy ports checked against the pods they protect. A policy matches the port the
 * pod receives on, after the Service has translated `port` to `targetPort`: a policy written with the
 * Service port silently drops the traffic it meant to allow.
 */
import type { KubernetesRule, RelatedLocation } from '../../../server/src/engine/rule';
import type { PodTemplate, ServiceInfo, ServicePort } from '../../../server/src/model/workspaceModel';
import { WorkspaceModel } from '../../../server/src/model/workspaceModel';
import { incompleteChart, modelOf, NETWORK, related, where, whereAll } from './common';

export const networkPolicyPortMismatch: KubernetesRule = {
  ...NETWORK,
  id: 'networkpolicy-port-mismatch',
  language: 'kubernetes',
  title: 'NetworkPolicy port is not a port of the selected pods',
  severity: 'warning',
  description:
    "An ingress rule's `ports` are matched against the port the selected pod receives on: the container port, " +
    'after a Service has translated its `port` into its `targetPort`. Reported: a port equal to the `port` of a ' +
    'Service selecting these pods whose `targetPort` differs, when the pods do not declare that port (a recurring ' +
    'real bug: the policy silently blocks the traffic it meant to allow); a named port no selected pod declares ' +
    '(named ports resolve in the pod, so it matches nothing).',
  remediation: "Write the container port (the Service `targetPort`, or the container port's name) in the policy.",
  references: [],
  fixes: [{ title: "Change the port to the pods' port", applicability: 'safe' }],
  recommended: true,
  kinds: ['NetworkPolicy'],
  scope: 'workspace',
  reads: ['workloads', 'NetworkPolicy', 'Service'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const policy = WorkspaceModel.policyOf(ctx.object, ctx.filePath);
    if (!policy || !policy.ingress) return;
    const pods = model.podsSelectedBy(policy.ref.namespace, policy.podSelector);
    if (!pods.length) return;
    const services = new Map<ServiceInfo, PodTemplate[]>();
    for (const pod of pods) for (const s of model.servicesSelecting(pod)) services.set(s, [...(services.get(s) ?? []), pod]);
    for (const rule of policy.ingressRules) {
      for (const port of rule.ports ?? []) {
        if (port.port === undefined || !port.portNode) continue;
        if (typeof port.port === 'string') {
          const name = port.port;
          // A pod whose ports the workspace does not hold (operator-managed) may declare it.
          if (pods.some((p) => !p.portsKnown || p.ports.some((c) => c.name === name))) continue;
          ctx.report({
            at: port.portNode,
            message: `${ctx.object.label} allows the port named "${name}", which no selected pod declares (${whereAll(pods.map((p) => p.ref))}): named ports resolve in the pod, so this rule matches nothing.`,
            related: pods.slice(0, 3).map((p) => related(p.ref, p.ports[0]?.node ?? p.labelsNode, `ports of ${p.ref.object.label}`)),
          });
          continue;
        }
        const number = port.port;
        if (port.endPort !== undefined) continue;
        if (pods.some((p) => p.ports.some((c) => c.number === number && c.protocol === port.protocol))) continue;
        // Service ports with this number that forward elsewhere, with the pod port each resolves to.
        const hits: { svc: ServiceInfo; sp: ServicePort; targets: Set<number> }[] = [];
        for (const [svc, selected] of services) {
          for (const sp of svc.ports) {
            if (sp.port !== number || sp.protocol !== port.protocol || sp.targetPort === undefined || sp.targetPort === number) continue;
            const targets = new Set<number>();
            if (typeof sp.targetPort === 'number') targets.add(sp.targetPort);
            else if (selected.some((p) => !p.portsKnown)) continue;
            else for (const p of selected) for (const c of p.ports) if (c.name === sp.targetPort && c.number !== undefined) targets.add(c.number);
            hits.push({ svc, sp, targets });
          }
        }
        if (!hits.length) continue;
        const all = new Set(hits.flatMap((h) => [...h.targets]));
        const rel: RelatedLocation[] = hits
          .slice(0, 3)
          .map((h) =>
            related(h.svc.ref, h.sp.targetPortNode ?? h.sp.portNode ?? h.sp.item, `Service/${h.svc.name} forwards port ${number} to ${h.sp.targetPort}`),
          );
        const target = all.size === 1 ? [...all][0] : undefined;
        const node = port.portNode;
        ctx.report({
          at: node,
          message:
            `${ctx.object.label} allows port ${number}, the Service port of ${where(hits[0].svc.ref)}, but that Service forwards to ` +
            `${[...new Set(hits.map((h) => String(h.sp.targetPort)))].join(' / ')}${all.size ? ` (${[...all].join(', ')} on the pods)` : ''}: policies see the pod's port, so this rule blocks the traffic it meant to allow.`,
          related: rel,
          fixes:
            target === undefined
              ? []
              : [
                  {
                    title: `Change port ${number} to ${target}, the port the pods receive on`,
                    applicability: 'safe',
                    edits: () => [ctx.edit.replace(node, String(target))],
                  },
                ],
        });
      }
    }
  },
};
