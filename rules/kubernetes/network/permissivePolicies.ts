/**
 * NetworkPolicies that allow everything, as data rows over one template: a rule that admits every
 * source on every port; egress to everywhere; egress to the cloud metadata address.
 */
import type { KubernetesRule, KubeRuleContext } from '../../../server/src/engine/rule';
import { isEmpty } from '../../../server/src/model/selectors';
import { WorkspaceModel, type NetworkPolicyInfo, type PolicyPeer, type PolicyRule } from '../../../server/src/model/workspaceModel';
import { NETWORK } from './common';

/** Whether a CIDR (v4 or v6 text) covers all addresses. */
function isAnyAddress(cidr: string): boolean {
  return /^0\.0\.0\.0\/0$/.test(cidr.trim()) || /^::\/0$/.test(cidr.trim());
}

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** Whether an IPv4 CIDR contains an address. */
function cidrContains(cidr: string, address: string): boolean {
  const [base, bits] = cidr.trim().split('/');
  const b = ipv4(base);
  const a = ipv4(address);
  const n = bits === undefined ? 32 : Number(bits);
  if (b === undefined || a === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
  if (n === 0) return true;
  const mask = (~0 << (32 - n)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

const METADATA = '169.254.169.254';

/** A peer that admits every pod of every namespace (or every address). */
function everyone(peer: PolicyPeer): boolean {
  if (peer.ipBlock) return isAnyAddress(peer.ipBlock.cidr) && !peer.ipBlock.except.length;
  return !!peer.namespaceSelector && isEmpty(peer.namespaceSelector) && (!peer.podSelector || isEmpty(peer.podSelector));
}

function allPeers(rule: PolicyRule): boolean {
  return rule.peers === undefined || rule.peers.length === 0 || rule.peers.some(everyone);
}

function allowsPort(rule: PolicyRule, port: number): boolean {
  if (rule.ports === undefined || rule.ports.length === 0) return true;
  return rule.ports.some(
    (p) =>
      p.protocol === 'TCP' &&
      (p.port === undefined || p.port === port || (typeof p.port === 'number' && p.endPort !== undefined && p.port <= port && port <= p.endPort)),
  );
}

interface Row {
  id: string;
  title: string;
  severity: 'warning' | 'info';
  recommended: boolean;
  description: string;
  remediation: string;
  /** The node to report and the message, for each offending rule of the policy. */
  find(policy: NetworkPolicyInfo, label: string): { at: PolicyRule['node']; message: string }[];
}

const ROWS: Row[] = [
  {
    id: 'networkpolicy-ingress-allows-all',
    title: 'NetworkPolicy ingress rule allows everything',
    severity: 'warning',
    recommended: true,
    description:
      'An ingress rule with no `from` (or an empty one), a peer `namespaceSelector: {}` (every pod of every namespace), ' +
      'or an ipBlock `0.0.0.0/0` / `::/0`, and no `ports`, admits every source on every port: the selected pods are ' +
      'as open as without the policy. A rule that opens specific ports to everyone (an ingress controller on 80/443) ' +
      'is not reported.',
    remediation: 'List the peers that need access (`podSelector`, `namespaceSelector`), and the `ports` they need.',
    find: (policy, label) =>
      policy.ingress
        ? policy.ingressRules
            .filter((r) => allPeers(r) && (r.ports === undefined || r.ports.length === 0))
            .map((r) => ({ at: r.node, message: `${label} admits every source on every port: the pods it selects are as open as without it.` }))
        : [],
  },
  {
    id: 'networkpolicy-egress-unrestricted',
    title: 'NetworkPolicy egress rule allows everything',
    severity: 'info',
    recommended: false,
    description:
      'An egress rule with no `to` (or a peer `namespaceSelector: {}`, or an ipBlock `0.0.0.0/0` / `::/0`) and no `ports` ' +
      'lets the selected pods connect anywhere: to every pod of the cluster and to the Internet (data exfiltration, ' +
      'command and control). Common for operators and monitoring, so informational and off by default.',
    remediation: 'Allow DNS and the destinations the workload needs; keep the Internet behind an egress gateway or proxy.',
    find: (policy, label) =>
      policy.egress
        ? policy.egressRules
            .filter((r) => allPeers(r) && (r.ports === undefined || r.ports.length === 0))
            .map((r) => ({ at: r.node, message: `${label} lets its pods connect anywhere: every pod of the cluster and the Internet, on every port.` }))
        : [],
  },
  {
    id: 'networkpolicy-egress-metadata',
    title: 'NetworkPolicy allows egress to the cloud metadata address',
    severity: 'warning',
    recommended: true,
    description:
      `An egress rule whose destinations include ${METADATA} (no \`to\`, or an ipBlock containing it without an ` +
      "`except` for it) on port 80 lets the pods read the node's cloud credentials from the instance metadata " +
      'service: the usual step from a compromised container to the cloud account.',
    remediation: `Add \`except: [${METADATA}/32]\` to the ipBlock, or narrow \`to\`.`,
    find: (policy, label) =>
      policy.egress
        ? policy.egressRules
            .filter((r) => {
              if (!allowsPort(r, 80)) return false;
              if (r.peers === undefined || r.peers.length === 0) return true;
              return r.peers.some((p) => p.ipBlock && cidrContains(p.ipBlock.cidr, METADATA) && !p.ipBlock.except.some((e) => cidrContains(e, METADATA)));
            })
            .map((r) => ({
              at: r.node,
              message: `${label} allows egress to ${METADATA}, the cloud metadata service: pods can read the node's cloud credentials.`,
            }))
        : [],
  },
];

function policyOf(ctx: KubeRuleContext): NetworkPolicyInfo | undefined {
  return WorkspaceModel.policyOf(ctx.object, ctx.filePath);
}

export const PERMISSIVE_POLICY_RULES: readonly KubernetesRule[] = ROWS.map(
  (row): KubernetesRule => ({
    ...NETWORK,
    id: row.id,
    language: 'kubernetes',
    title: row.title,
    severity: row.severity,
    description: row.description,
    remediation: row.remediation,
    references: [],
    fixes: [],
    recommended: row.recommended,
    kinds: ['NetworkPolicy'],
    check(ctx) {
      const policy = policyOf(ctx);
      if (!policy) return;
      for (const f of row.find(policy, ctx.object.label)) ctx.report(f);
    },
  }),
);

export { allowsPort, cidrContains };
