/** Shared reading of Services, Ingresses and ports for the exposure rules. */
import { isMap, isScalar, Node, Pair, YAMLMap } from 'yaml';
import type { KubeObject } from '../../../../server/src/documents/kube';
import { findPair, getMap, getSeq, getString, scalarValue, seqItems } from '../../../../server/src/documents/yamlNodes';

export const SERVICE_DOCS = 'https://kubernetes.io/docs/concepts/services-networking/service/';
export const INGRESS_DOCS = 'https://kubernetes.io/docs/concepts/services-networking/ingress/';

export function spec(object: KubeObject): YAMLMap | undefined {
  return getMap(object.node, 'spec', object.doc);
}

/** `spec.type` of a Service: the pair (to point at) and its value, `ClusterIP` when unset. */
export function serviceType(object: KubeObject): { value: string; pair: Pair | undefined } {
  const pair = findPair(spec(object), 'type', object.doc);
  const v = pair ? scalarValue(pair.value, object.doc) : undefined;
  return { value: typeof v === 'string' && v ? v : 'ClusterIP', pair };
}

/** Whether a Service opens ports outside the cluster network: NodePort and LoadBalancer (which also allocates node ports). */
export function isExternalType(type: string): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

export interface ServicePort {
  node: YAMLMap;
  index: number;
  name?: string;
  port?: number;
  targetPort?: number | string;
  portPair?: Pair;
  targetPortPair?: Pair;
  namePair?: Pair;
}

export function servicePorts(object: KubeObject): ServicePort[] {
  const doc = object.doc;
  const out: ServicePort[] = [];
  seqItems(getSeq(spec(object), 'ports', doc), doc).forEach((node, index) => {
    if (!isMap(node)) return;
    const portPair = findPair(node, 'port', doc);
    const targetPortPair = findPair(node, 'targetPort', doc);
    const namePair = findPair(node, 'name', doc);
    out.push({
      node,
      index,
      name: getString(node, 'name', doc),
      port: toPort(portPair ? scalarValue(portPair.value, doc) : undefined) as number | undefined,
      targetPort: targetPortPair ? toPort(scalarValue(targetPortPair.value, doc), true) : undefined,
      portPair,
      targetPortPair,
      namePair,
    });
  });
  return out;
}

/** A port number (also written as a string of digits), or with `names` a port name. */
export function toPort(value: unknown, names = false): number | string | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,5}$/.test(value)) return Number(value);
  if (names && typeof value === 'string' && value) return value;
  return undefined;
}

/** The value node of a pair, for underlining just the value. */
export function valueNode(pair: Pair): Node {
  const v = pair.value;
  return (isScalar(v) || isMap(v) ? v : (v as Node | null)) ?? (pair.key as Node);
}

// ---- hosts ------------------------------------------------------------------------------------

/**
 * Whether a TLS host (from `spec.tls[].hosts`) covers an Ingress rule host, the way certificates
 * and ingress controllers match names: exactly (case-insensitive), or `*.example.com` for exactly
 * one more label (`a.example.com`, not `a.b.example.com` nor `example.com`). A wildcard rule host
 * is covered only by the same wildcard.
 */
export function tlsHostCovers(tlsHost: string, ruleHost: string): boolean {
  const t = tlsHost.toLowerCase().replace(/\.$/, '');
  const r = ruleHost.toLowerCase().replace(/\.$/, '');
  if (t === r) return true;
  if (!t.startsWith('*.') || r.startsWith('*.')) return false;
  const suffix = t.slice(1); // ".example.com"
  if (!r.endsWith(suffix)) return false;
  const label = r.slice(0, r.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

// ---- Ingress ----------------------------------------------------------------------------------

export interface IngressRule {
  node: YAMLMap;
  host?: string;
  hostPair?: Pair;
}

export function ingressRules(object: KubeObject): IngressRule[] {
  const doc = object.doc;
  const out: IngressRule[] = [];
  for (const node of seqItems(getSeq(spec(object), 'rules', doc), doc)) {
    if (!isMap(node)) continue;
    const hostPair = findPair(node, 'host', doc);
    const host = hostPair ? scalarValue(hostPair.value, doc) : undefined;
    out.push({ node, host: typeof host === 'string' && host ? host : undefined, hostPair });
  }
  return out;
}

/** `spec.tls` entries: their hosts, or `all` for an entry without hosts (the controller's default certificate for every host). */
export function ingressTls(object: KubeObject): { entries: number; hosts: string[]; all: boolean } {
  const doc = object.doc;
  let entries = 0;
  let all = false;
  const hosts: string[] = [];
  for (const node of seqItems(getSeq(spec(object), 'tls', doc), doc)) {
    if (!isMap(node)) continue;
    entries++;
    const list = seqItems(getSeq(node, 'hosts', doc), doc);
    const names = list.map((h) => scalarValue(h, doc)).filter((h): h is string => typeof h === 'string' && h !== '');
    if (!names.length) all = true;
    hosts.push(...names);
  }
  return { entries, hosts, all };
}

/** Cloud Ingress controllers that terminate TLS from an annotation rather than `spec.tls`. */
export const TLS_ANNOTATIONS: readonly { key: string; tls: (value: string) => boolean }[] = [
  { key: 'alb.ingress.kubernetes.io/certificate-arn', tls: (v) => v.trim() !== '' },
  // An HTTPS listener with certificates discovered from the rule hosts (AWS Load Balancer Controller).
  { key: 'alb.ingress.kubernetes.io/listen-ports', tls: (v) => /HTTPS/i.test(v) },
  { key: 'networking.gke.io/managed-certificates', tls: (v) => v.trim() !== '' },
  { key: 'ingress.gcp.kubernetes.io/pre-shared-cert', tls: (v) => v.trim() !== '' },
  { key: 'appgw.ingress.kubernetes.io/appgw-ssl-certificate', tls: (v) => v.trim() !== '' },
];

export function tlsByAnnotation(object: KubeObject): string | undefined {
  const annotations = object.annotations();
  return TLS_ANNOTATIONS.find(({ key, tls }) => tls(annotations.get(key)?.value ?? ''))?.key;
}
