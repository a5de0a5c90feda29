/**
 * **new**: a Service `targetPort` checked against the `containerPort`s of the pods it selects, across
 * files. No other tool does: kube-linter's invalid-target-ports only checks the syntax.
 */
import type { KubernetesRule, Report } from '../../../server/src/engine/rule';
import type { ContainerPort, PodTemplate } from '../../../server/src/model/workspaceModel';
import { WorkspaceModel } from '../../../server/src/model/workspaceModel';
import { DOCUMENTATION_NOTE, incompleteChart, modelOf, NETWORK, related, whereAll } from './common';

export const serviceTargetPortUndeclared: KubernetesRule = {
  ...NETWORK,
  id: 'service-target-port-undeclared',
  language: 'kubernetes',
  title: 'Service targetPort not declared by its pods',
  severity: 'warning',
  description:
    'A Service forwards to its `targetPort` (by number, or by name resolved in each pod). Reported, against the pods ' +
    'the Service selects in any file of the workspace: a named `targetPort` no selected container declares (the ' +
    'Service has no working endpoints); a named `targetPort` that resolves to different numbers or protocols across ' +
    'the selected pods; a numeric `targetPort` the pods do not declare while they declare other ports (the usual ' +
    'mistake: `targetPort` copied from `port`); a protocol mismatch (a UDP Service port to a TCP container port). ' +
    'Pods that declare no ports at all are not reported: the fields are optional documentation.',
  remediation: "Set `targetPort` to the port the container listens on (its `containerPort`, or that port's name).",
  references: [],
  fixes: [{ title: 'Change targetPort to the only declared container port', applicability: 'unsafe' }],
  recommended: true,
  kinds: ['Service'],
  scope: 'workspace',
  reads: ['workloads', 'Service'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const svc = WorkspaceModel.serviceOf(ctx.object, ctx.filePath);
    if (!svc?.selector || svc.type === 'ExternalName') return;
    const pods = model.podsSelectedBy(svc.ref.namespace, svc.selector).filter((p) => p.ports.length > 0);
    if (!pods.length) return;
    const podsText = whereAll(pods.map((p) => p.ref));
    const portsRelated = (list: PodTemplate[]) =>
      list.slice(0, 5).map((p) => related(p.ref, p.ports[0]?.node, `ports of ${p.ref.object.label}: ${describePorts(p.ports)}`));
    for (const sp of svc.ports) {
      const target = sp.targetPort;
      if (target === undefined) continue;
      const at = sp.targetPortNode ?? sp.portNode ?? sp.item;
      const label = sp.name ? `port "${sp.name}"` : `port ${sp.port ?? '?'}`;
      if (typeof target === 'string') {
        const resolved = pods.map((p) => ({ pod: p, decl: p.ports.filter((c) => c.name === target) }));
        const missing = resolved.filter((r) => !r.decl.length).map((r) => r.pod);
        if (missing.length) {
          ctx.report({
            at,
            message: `${ctx.object.label} ${label} targets the port named "${target}", which ${missing.length === pods.length ? 'no selected pod declares' : 'some selected pods do not declare'} (${whereAll(missing.map((p) => p.ref))}): those pods get no traffic on it.`,
            related: portsRelated(missing),
            fixes: fixTo(ctx, sp.targetPortNode, missing.length === pods.length ? pods : []),
          });
          continue;
        }
        const variants = new Set(resolved.flatMap((r) => r.decl.map((d) => `${d.number}/${d.protocol}`)));
        if (variants.size > 1) {
          ctx.report({
            at,
            message: `${ctx.object.label} ${label} targets the port named "${target}", which resolves to different ports across the selected pods (${[...variants].join(', ')}): the same Service port reaches different listeners.`,
            related: resolved
              .slice(0, 5)
              .map((r) => related(r.pod.ref, r.decl[0].node, `"${target}" is ${r.decl[0].number}/${r.decl[0].protocol} in ${r.pod.ref.object.label}`)),
          });
          continue;
        }
        const protocols = new Set(resolved.flatMap((r) => r.decl.map((d) => d.protocol)));
        if (!protocols.has(sp.protocol))
          mismatch(
            ctx.report,
            at,
            `${ctx.object.label} ${label} is ${sp.protocol} but "${target}" is ${[...protocols].join('/')} in ${podsText}: the traffic never reaches the listener.`,
            portsRelated(pods),
          );
        continue;
      }
      const declared = pods.map((p) => ({ pod: p, decl: p.ports.filter((c) => c.number === target) }));
      const missing = declared.filter((d) => !d.decl.length).map((d) => d.pod);
      if (missing.length === pods.length) {
        ctx.report({
          at,
          message: `${ctx.object.label} ${label} targets ${target}, which no selected pod declares (they declare ${describePorts(pods.flatMap((p) => p.ports))}: ${podsText}). ${DOCUMENTATION_NOTE}`,
          related: portsRelated(pods),
          fixes: fixTo(ctx, sp.targetPortNode, pods),
        });
        continue;
      }
      const protocols = new Set(declared.flatMap((d) => d.decl.map((c) => c.protocol)));
      if (!protocols.has(sp.protocol))
        mismatch(
          ctx.report,
          at,
          `${ctx.object.label} ${label} is ${sp.protocol} but port ${target} is declared ${[...protocols].join('/')} in ${podsText}: the traffic never reaches the listener.`,
          portsRelated(pods),
        );
    }
  },
};

function mismatch(report: (r: Report) => void, at: Report['at'], message: string, rel: Report['related']): void {
  report({ at, message, related: rel });
}

function describePorts(ports: readonly ContainerPort[]): string {
  const seen = new Set<string>();
  for (const p of ports) seen.add(`${p.number ?? '?'}${p.name ? ` (${p.name})` : ''}${p.protocol !== 'TCP' ? `/${p.protocol}` : ''}`);
  return [...seen].join(', ') || 'no ports';
}

/** The fix when every selected pod declares exactly one and the same port. */
function fixTo(ctx: Parameters<KubernetesRule['check']>[0], node: import('yaml').Node | undefined, pods: readonly PodTemplate[]): Report['fixes'] {
  if (!node || !pods.length) return [];
  const numbers = new Set(pods.flatMap((p) => p.ports.map((c) => c.number)));
  if (numbers.size !== 1 || pods.some((p) => p.ports.length !== 1)) return [];
  const [only] = [...numbers];
  if (only === undefined) return [];
  return [
    { title: `Change targetPort to ${only}, the only port the pods declare`, applicability: 'unsafe', edits: () => [ctx.edit.replace(node, String(only))] },
  ];
}
