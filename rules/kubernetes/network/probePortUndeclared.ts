/** Probe ports (`livenessProbe`/`readinessProbe`/`startupProbe`) that the container does not declare. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { isMap, type Node } from 'yaml';
import { findPair, getMap, getSeq, getString, scalarValue, seqItems } from '../../../server/src/documents/yamlNodes';
import { PROBES, toNumber } from '../../../server/src/model/workspaceModel';
import { DOCUMENTATION_NOTE, NETWORK } from './common';

export const probePortUndeclared: KubernetesRule = {
  ...NETWORK,
  id: 'probe-port-undeclared',
  language: 'kubernetes',
  title: 'Probe port not declared by the container',
  severity: 'warning',
  description:
    'A probe by port name (`port: http`) only works if the container declares a port of that name: otherwise the ' +
    'kubelet cannot resolve it and the probe fails, so the pod restarts or never becomes ready. A probe by number ' +
    'on a port the container does not declare, while it declares others, usually means the probe and the ports ' +
    'disagree (the probe checks a listener nobody planned, or a stale port). Containers that declare no ports are ' +
    'not reported for numeric probes.',
  remediation: 'Point the probe at a declared port (by name or number), or declare the port the probe checks in `ports`.',
  references: ['kube-linter:liveness-port', 'kube-linter:readiness-port', 'kube-linter:startup-port'],
  fixes: [],
  recommended: true,
  kinds: 'workloads',
  check(ctx) {
    const pod = ctx.object.podSpec();
    if (!pod) return;
    const doc = ctx.object.doc;
    for (const c of pod.containers(['containers', 'initContainers'])) {
      const names = new Set<string>();
      const numbers = new Set<number>();
      for (const p of seqItems(getSeq(c.node, 'ports', doc), doc)) {
        if (!isMap(p)) continue;
        const name = getString(p, 'name', doc);
        if (name) names.add(name);
        const n = toNumber(scalarValue(findPair(p, 'containerPort', doc)?.value, doc));
        if (n !== undefined) numbers.add(n);
      }
      for (const probe of PROBES) {
        for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
          const node = findPair(getMap(getMap(c.node, probe, doc), handler, doc), 'port', doc)?.value as Node | undefined;
          const value = scalarValue(node, doc);
          if (!node || value === undefined || value === null || value === '') continue;
          const n = toNumber(value);
          if (n === undefined) {
            if (!names.has(String(value))) {
              ctx.report({
                at: node,
                message: `${probe} of ${c.label} in ${ctx.object.label} uses the port named "${value}", which the container does not declare: the probe cannot resolve it and fails.`,
              });
            }
          } else if (numbers.size && !numbers.has(n)) {
            ctx.report({
              at: node,
              message: `${probe} of ${c.label} in ${ctx.object.label} checks port ${n}, which the container does not declare (it declares ${[...numbers].join(', ')}). ${DOCUMENTATION_NOTE}`,
            });
          }
        }
      }
    }
  },
};
