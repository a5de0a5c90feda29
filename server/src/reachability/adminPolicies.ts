/**
 * `policy.networking.k8s.io` AdminNetworkPolicy and BaselineAdminNetworkPolicy, read into the shape
 * the reachability engine evaluates: subjects, and per direction the rules in order with their
 * action (Allow, Deny, Pass; Pass only in admin policies), peers and ports.
 */
import { isMap, type YAMLMap } from 'yaml';
import type { KubeObject } from '../documents/kube';
import { AnyDoc, getMap, getNode, getSeq, getString, scalarValue, seqItems, stringItems } from '../documents/yamlNodes';
import type { ObjectRef } from '../model/workspaceModel';
import { toNumber } from '../model/workspaceModel';
import { parseLabelSelector, Selector } from '../model/selectors';
import { IpRange, parseCidr } from './ipRanges';

export type AdminAction = 'Allow' | 'Deny' | 'Pass';

/** Pods in namespaces matching `namespaces`; with `pods`, only pods matching it there. */
export interface AdminPodSet {
  readonly namespaces: Selector;
  readonly pods?: Selector;
}

export interface AdminPeer {
  readonly podSet?: AdminPodSet;
  /** `networks` (egress only). */
  readonly networks?: readonly IpRange[];
}

export type AdminPort =
  | { kind: 'number'; protocol: string; port: number }
  | { kind: 'named'; name: string }
  | { kind: 'range'; protocol: string; start: number; end: number };

export interface AdminRule {
  readonly name: string;
  readonly action: AdminAction;
  readonly peers: readonly AdminPeer[];
  /** Undefined: every port. */
  readonly ports?: readonly AdminPort[];
}

export interface AdminPolicy {
  readonly ref: ObjectRef;
  readonly kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
  readonly name: string;
  /** Lower is evaluated first; baseline policies come after every NetworkPolicy. */
  readonly priority: number;
  readonly subject: AdminPodSet;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
}

function podSet(node: unknown, doc: AnyDoc): AdminPodSet | undefined {
  const namespaces = getNode(node, 'namespaces', doc);
  if (namespaces) return { namespaces: parseLabelSelector(namespaces, doc) };
  const pods = getMap(node, 'pods', doc);
  if (pods)
    return { namespaces: parseLabelSelector(getNode(pods, 'namespaceSelector', doc), doc), pods: parseLabelSelector(getNode(pods, 'podSelector', doc), doc) };
  return undefined;
}

function ports(rule: YAMLMap, doc: AnyDoc): AdminPort[] | undefined {
  const seq = getSeq(rule, 'ports', doc);
  if (!seq) return undefined;
  return seqItems(seq, doc).flatMap((p): AdminPort[] => {
    const number = getMap(p, 'portNumber', doc);
    if (number) {
      const port = toNumber(scalarValue(getNode(number, 'port', doc), doc));
      return port === undefined ? [] : [{ kind: 'number', protocol: (getString(number, 'protocol', doc) ?? 'TCP').toUpperCase(), port }];
    }
    const named = getString(p, 'namedPort', doc);
    if (named) return [{ kind: 'named', name: named }];
    const range = getMap(p, 'portRange', doc);
    if (range) {
      const start = toNumber(scalarValue(getNode(range, 'start', doc), doc));
      const end = toNumber(scalarValue(getNode(range, 'end', doc), doc));
      return start === undefined || end === undefined
        ? []
        : [{ kind: 'range', protocol: (getString(range, 'protocol', doc) ?? 'TCP').toUpperCase(), start, end }];
    }
    return [];
  });
}

function rules(spec: unknown, key: 'ingress' | 'egress', peerKey: 'from' | 'to', doc: AnyDoc, baseline: boolean): AdminRule[] {
  return seqItems(getSeq(spec, key, doc), doc).flatMap((rule, i): AdminRule[] => {
    if (!isMap(rule)) return [];
    const action = getString(rule, 'action', doc);
    if (action !== 'Allow' && action !== 'Deny' && !(action === 'Pass' && !baseline)) return [];
    const peers = seqItems(getSeq(rule, peerKey, doc), doc).flatMap((peer): AdminPeer[] => {
      const set = podSet(peer, doc);
      if (set) return [{ podSet: set }];
      const networks = getSeq(peer, 'networks', doc);
      if (networks) return [{ networks: stringItems(networks, doc).flatMap((n) => parseCidr(n.value) ?? []) }];
      // `nodes` peers select node IPs, which no workload of the workspace has: they match nothing here.
      return [];
    });
    return [{ name: getString(rule, 'name', doc) ?? `${key}[${i}]`, action, peers, ports: ports(rule, doc) }];
  });
}

/** The policy an AdminNetworkPolicy or BaselineAdminNetworkPolicy object declares, or undefined if malformed. */
export function readAdminPolicy(object: KubeObject, ref: ObjectRef): AdminPolicy | undefined {
  const kind = object.kind;
  if (kind !== 'AdminNetworkPolicy' && kind !== 'BaselineAdminNetworkPolicy') return undefined;
  const doc = object.doc;
  const spec = getMap(object.node, 'spec', doc);
  const subject = podSet(getMap(spec, 'subject', doc), doc);
  if (!subject) return undefined;
  const baseline = kind === 'BaselineAdminNetworkPolicy';
  const priority = baseline ? 0 : toNumber(scalarValue(getNode(spec, 'priority', doc), doc));
  if (priority === undefined) return undefined;
  return {
    ref,
    kind,
    name: object.name ?? '',
    priority,
    subject,
    ingress: rules(spec, 'ingress', 'from', doc, baseline),
    egress: rules(spec, 'egress', 'to', doc, baseline),
  };
}
