import type { Node, Pair } from 'yaml';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { findPair, stringItems } from '../../../../server/src/documents/yamlNodes';
import { SERVICE_DOCS, isExternalType, servicePorts, serviceType, spec, valueNode } from './common';
import { CONTROL_PLANE, DATABASES, REMOTE_ACCESS, nameService } from './ports';

type Hit = { at: Node; what: string; port: string; kind: 'remote' | 'control-plane' | 'database' };

function byNumber(n: number | string | undefined): { what: string; kind: Hit['kind'] } | undefined {
  if (typeof n !== 'number') return undefined;
  if (REMOTE_ACCESS[n]) return { what: REMOTE_ACCESS[n], kind: 'remote' };
  if (CONTROL_PLANE[n]) return { what: CONTROL_PLANE[n], kind: 'control-plane' };
  if (DATABASES[n]) return { what: DATABASES[n], kind: 'database' };
  return undefined;
}

export const serviceAdminPort: KubernetesRule = {
  id: 'service-exposes-admin-port',
  language: 'kubernetes',
  title: 'Service exposes a remote-access, control-plane or database port',
  category: 'network',
  severity: 'warning',
  description:
    'A Service port (its `port`, its `targetPort`, or its name) of a remote-administration service (SSH 22 or 2222, ' +
    'Telnet 23, the Docker API 2375/2376, RDP 3389, VNC 5900/5901, WinRM 5985/5986) gives whoever reaches it a ' +
    'shell, a desktop or the container runtime: reported on any Service, since every pod of the cluster reaches a ' +
    'ClusterIP. Control-plane ports (etcd 2379/2380, the Kubernetes API 6443, the kubelet 10250/10255) and ' +
    'database and cache ports (MySQL 3306, PostgreSQL 5432, Redis 6379, MongoDB 27017, Elasticsearch 9200...) ' +
    'are reported only when the Service is a `NodePort` or `LoadBalancer` or sets `externalIPs`, i.e. reachable ' +
    'from outside the cluster, where they are brute-forced and scraped within hours. Inside the cluster they ' +
    'are normal: webhooks and aggregated API servers (metrics-server, prometheus-adapter, cert-manager) listen on ' +
    '6443 or 10250 on purpose, and databases serve their clients. Ports named like the service (`ssh`, ' +
    "`tcp-postgresql`, `redis`...) count too. A container's `hostPort` exposes a port on the node directly: see " +
    '`host-port`; a container declaring SSH itself: `container-remote-access-port`.',
  remediation:
    'Do not publish administration ports: reach containers with `kubectl exec` or `kubectl port-forward`. Keep ' +
    'databases on `ClusterIP` Services and let only their clients reach them (NetworkPolicy); if outside clients ' +
    'need them, use a private load balancer with `loadBalancerSourceRanges`.',
  references: ['kubescape:C-0042'],
  fixes: [],
  recommended: true,
  docsUrl: SERVICE_DOCS,
  kinds: ['Service'],
  check(ctx) {
    const { object } = ctx;
    const type = serviceType(object).value;
    if (type === 'ExternalName') return;
    const externalIps = stringItems(findPair(spec(object), 'externalIPs', object.doc)?.value, object.doc).length > 0;
    const external = isExternalType(type) || externalIps;
    const how = isExternalType(type)
      ? `through a ${type}, reachable from outside the cluster`
      : externalIps
        ? 'on its externalIPs, reachable from outside the cluster'
        : 'to every pod of the cluster';
    for (const p of servicePorts(object)) {
      const hits: Hit[] = [];
      const add = (pair: Pair | undefined, value: number | string | undefined, hit: { what: string; kind: Hit['kind'] } | undefined) => {
        if (pair && hit && (hit.kind === 'remote' || external)) hits.push({ at: valueNode(pair), what: hit.what, port: String(value), kind: hit.kind });
      };
      add(p.portPair, p.port, byNumber(p.port));
      if (!hits.length) add(p.targetPortPair, p.targetPort, byNumber(p.targetPort));
      if (!hits.length && typeof p.targetPort === 'string') add(p.targetPortPair, p.targetPort, nameService(p.targetPort));
      if (!hits.length) add(p.namePair, p.name, nameService(p.name));
      const hit = hits[0];
      if (!hit) continue;
      const which = /^\d+$/.test(hit.port) ? `port ${hit.port}` : `port "${hit.port}"`;
      ctx.report({ at: hit.at, message: `${object.label} exposes ${hit.what} (${which}) ${how}.` });
    }
  },
};
