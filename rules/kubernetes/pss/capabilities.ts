/**
 * Linux capabilities: PSS baseline allows adding only the container runtime's default set;
 * restricted requires dropping ALL and adding nothing but NET_BIND_SERVICE.
 */
import type { Node, YAMLSeq } from 'yaml';
import { stringItems } from '../../../server/src/documents/yamlNodes';
import type { Fix, Report } from '../../../server/src/engine/rule';
import type { Container } from '../../../server/src/documents/kube';
import { isWindowsPod, mapOf, pssRule, PssContext, seqOf } from './common';

const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** The baseline's allowed additions: the default capabilities of container runtimes. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Why some additions are worse than others, for the message. */
const DANGEROUS: Record<string, string> = {
  ALL: 'every capability: as good as privileged',
  SYS_ADMIN: 'mount, BPF, namespaces: root on the node in a few steps',
  SYS_MODULE: 'loads kernel modules: owns the node kernel',
  SYS_PTRACE: 'reads and injects into other processes',
  NET_ADMIN: 'reconfigures the pod network, sniffs and redirects traffic',
  NET_RAW: 'forges packets (ARP and DNS spoofing inside the cluster network)',
  DAC_READ_SEARCH: 'reads any file it can reach (the "shocker" container escape)',
  SYS_RAWIO: 'raw device and I/O port access',
  BPF: 'loads BPF programs into the kernel',
  PERFMON: 'kernel performance monitoring, side channels',
  SYS_TIME: 'changes the node clock',
};

export function capabilityLists(container: Container, doc: PssContext['doc']): { add?: YAMLSeq; drop?: YAMLSeq } {
  const caps = mapOf(container.securityContext, 'capabilities', doc);
  return { add: seqOf(caps, 'add', doc), drop: seqOf(caps, 'drop', doc) };
}

/** Removes one capability from `add`; the last one leaves `add: []`. */
function removeItem(ctx: PssContext, container: Container, seq: YAMLSeq, item: Node): Fix['edits'] {
  return () => {
    const caps = mapOf(container.securityContext, 'capabilities', ctx.doc);
    if (seq.items.length === 1 && caps) return [ctx.edit.setIn(caps, ['add'], [])];
    return [ctx.edit.removeSeqItem(seq, item)];
  };
}

export const disallowedCapabilities = pssRule(
  {
    id: 'disallowed-capabilities',
    title: 'Container adds a capability the baseline forbids',
    category: 'capabilities',
    severity: 'error',
    description:
      "Capabilities split root's powers; a container gets a default set from its runtime. Adding anything " +
      'beyond that set (`SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `ALL`, ...) hands the container kernel powers ' +
      'that make escaping to the node or attacking its neighbours easy. The Pod Security Standards baseline ' +
      'allows adding only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, ' +
      'SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT.',
    remediation: 'Remove the capability from `securityContext.capabilities.add`; if a feature needs it, move that feature to a node-level component.',
    references: [
      'pss:baseline/capabilities_baseline',
      'checkov:CKV_K8S_25',
      'checkov:CKV_K8S_39',
      'trivy:KSV-0022',
      'trivy:KSV-0005',
      'trivy:KSV-0120',
      'kubescape:C-0046',
      // C-0057 ("Privileged container") also fails a container that adds SYS_ADMIN.
      'kubescape:C-0057',
      'polaris:dangerousCapabilities',
      'kubesec:CapSysAdmin',
    ],
    fixes: [{ title: 'Remove the capability', applicability: 'unsafe' }],
    docsUrl: `${PSS_DOCS}#baseline`,
  },
  { level: 'baseline', check: 'capabilities_baseline' },
  (ctx) => {
    const reports: Report[] = [];
    for (const container of ctx.pod.containers()) {
      const { add } = capabilityLists(container, ctx.doc);
      if (!add) continue;
      // One finding per capability, on its own list item, so each can be fixed or suppressed alone.
      for (const item of stringItems(add, ctx.doc).filter((i) => !BASELINE_CAPABILITIES.has(i.value))) {
        const danger = DANGEROUS[item.value.toUpperCase().replace(/^CAP_/, '')];
        reports.push({
          at: item.node,
          message: `${container.label} of ${ctx.object.label} adds ${item.value}${danger ? ` (${danger})` : ''}, beyond what the Pod Security Standards baseline allows.`,
          fixes: [{ title: `Remove ${item.value}`, applicability: 'unsafe', edits: removeItem(ctx, container, add, item.node) }],
        });
      }
    }
    return reports;
  },
);

export const capabilitiesNotDropped = pssRule(
  {
    id: 'capabilities-not-dropped',
    title: 'Container does not drop ALL capabilities',
    category: 'capabilities',
    severity: 'warning',
    description:
      "Even the runtime's default capabilities (NET_RAW, CHOWN, SETUID, ...) let a compromised process forge " +
      'packets or change file ownership. Dropping `ALL` and adding back only what the program needs (usually ' +
      'nothing, sometimes NET_BIND_SERVICE) removes them. Required by the Pod Security Standards restricted ' +
      'level for every container; Windows pods are exempt.',
    remediation: 'Add `ALL` (upper case: the admission check compares the exact string) to `securityContext.capabilities.drop`.',
    references: [
      'pss:restricted/capabilities_restricted',
      'checkov:CKV_K8S_37',
      'checkov:CKV_K8S_28',
      'trivy:KSV-0003',
      'trivy:KSV-0004',
      'trivy:KSV-0119',
      'kube-linter:drop-net-raw-capability',
      'polaris:insecureCapabilities',
      'kubesec:CapDropAll',
      // KSV106 fails a container without drop ALL too (and one adding more than NET_BIND_SERVICE).
      'trivy:KSV-0106',
    ],
    fixes: [
      { title: 'Drop ALL capabilities', applicability: 'unsafe' },
      { title: 'Write ALL in upper case', applicability: 'safe' },
    ],
    docsUrl: `${PSS_DOCS}#restricted`,
  },
  { level: 'restricted', check: 'capabilities_restricted' },
  (ctx) => {
    if (isWindowsPod(ctx.pod, ctx.doc)) return [];
    const reports: Report[] = [];
    for (const container of ctx.pod.containers()) {
      const { drop } = capabilityLists(container, ctx.doc);
      const items = stringItems(drop, ctx.doc);
      if (items.some((i) => i.value === 'ALL')) continue;
      // Runtimes match capability names case-insensitively, so `all` does drop everything; the
      // admission check compares with the exact string ALL and rejects the pod all the same.
      const spelled = items.find((i) => i.value.toUpperCase() === 'ALL');
      if (spelled) {
        reports.push({
          at: spelled.node,
          message: `${container.label} of ${ctx.object.label} drops "${spelled.value}": the runtime drops every capability, but the Pod Security Standards restricted level accepts only the exact upper-case ALL.`,
          // Same capabilities dropped either way: only the spelling the admission check wants changes.
          fixes: [{ title: 'Write ALL in upper case', applicability: 'safe', edits: () => [ctx.edit.replace(spelled.node, 'ALL')] }],
        });
        continue;
      }
      reports.push({
        at: drop ?? container.anchor,
        message: `${container.label} of ${ctx.object.label} does not drop ALL capabilities.`,
        fixes: [{ title: 'Drop ALL capabilities', applicability: 'unsafe', edits: () => [dropAllEdit(ctx, container)] }],
      });
    }
    return reports;
  },
);

/** Adds `ALL` to the drop list (merging with an existing one), creating the structure if missing. */
export function dropAllEdit(ctx: PssContext, container: Container) {
  const { drop } = capabilityLists(container, ctx.doc);
  if (drop) return ctx.edit.appendToSeq(drop, 'ALL');
  if (container.securityContext) return ctx.edit.setIn(container.securityContext, ['capabilities', 'drop'], ['ALL']);
  return ctx.edit.setIn(container.node, ['securityContext', 'capabilities', 'drop'], ['ALL']);
}

export const capabilitiesAddedRestricted = pssRule(
  {
    id: 'capabilities-added-restricted',
    title: 'Container adds a capability other than NET_BIND_SERVICE',
    category: 'capabilities',
    severity: 'warning',
    description:
      'The Pod Security Standards restricted level allows adding back only NET_BIND_SERVICE (to bind ports ' +
      'below 1024) after dropping ALL. Additions outside the baseline set are reported by ' +
      '`disallowed-capabilities`; this rule reports the baseline-allowed ones that restricted forbids.',
    remediation: 'Remove the capability from `capabilities.add`, or listen on a port above 1024.',
    references: ['pss:restricted/capabilities_restricted', 'trivy:KSV-0106'],
    fixes: [{ title: 'Remove the capability', applicability: 'unsafe' }],
    docsUrl: `${PSS_DOCS}#restricted`,
  },
  { level: 'restricted', check: 'capabilities_restricted' },
  (ctx) => {
    if (isWindowsPod(ctx.pod, ctx.doc)) return [];
    const reports: Report[] = [];
    for (const container of ctx.pod.containers()) {
      const { add } = capabilityLists(container, ctx.doc);
      if (!add) continue;
      // One finding per capability, as in disallowed-capabilities.
      for (const item of stringItems(add, ctx.doc).filter((i) => i.value !== 'NET_BIND_SERVICE' && BASELINE_CAPABILITIES.has(i.value))) {
        reports.push({
          at: item.node,
          message: `${container.label} of ${ctx.object.label} adds ${item.value}; the restricted level allows only NET_BIND_SERVICE.`,
          fixes: [{ title: `Remove ${item.value}`, applicability: 'unsafe', edits: removeItem(ctx, container, add, item.node) }],
        });
      }
    }
    return reports;
  },
);
