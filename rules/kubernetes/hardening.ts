/** Container hardening beyond the Pod Security Standards. */
import { isMap, isSeq, Node, Pair } from 'yaml';
import { findPair, scalarValue, seqItems, stringItems } from '../../server/src/documents/yamlNodes';
import type { KubernetesRule, Report } from '../../server/src/engine/rule';
import { containerSets, everyContainerOverrides, isWindowsPod } from './pss/common';

export const readOnlyRootFilesystem: KubernetesRule = {
  id: 'writable-root-filesystem',
  language: 'kubernetes',
  title: 'Container root filesystem is writable',
  category: 'workload-privileges',
  severity: 'info',
  description:
    'With a writable root filesystem an intruder can drop tools, modify binaries the container runs and persist ' +
    'until the pod restarts. `readOnlyRootFilesystem: true` stops that; the program then writes only to ' +
    'mounted volumes (an `emptyDir` for /tmp).',
  remediation: 'Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the program must write.',
  references: [
    'kube-linter:no-read-only-root-fs',
    'checkov:CKV_K8S_22',
    'trivy:KSV-0014',
    'kubescape:C-0017',
    'polaris:notReadOnlyRootFilesystem',
    'kube-score:container-security-context-readonlyrootfilesystem',
    'kubesec:ReadOnlyRootFilesystem',
  ],
  fixes: [{ title: 'Set readOnlyRootFilesystem: true', applicability: 'unsafe' }],
  recommended: true,
  kinds: 'workloads',
  check(ctx) {
    const pod = ctx.object.podSpec();
    if (!pod || isWindowsPod(pod, ctx.object.doc)) return;
    for (const c of pod.containers(['containers', 'initContainers'])) {
      const pair = findPair(c.securityContext, 'readOnlyRootFilesystem', ctx.object.doc);
      if (pair && scalarValue(pair.value, ctx.object.doc) === true) continue;
      const sc = c.securityContext;
      ctx.report({
        at: pair ?? c.anchor,
        message: `${c.label} of ${ctx.object.label} can write to its root filesystem.`,
        fixes: [
          {
            title: 'Set readOnlyRootFilesystem: true',
            applicability: 'unsafe',
            edits: () => [
              sc ? ctx.edit.setIn(sc, ['readOnlyRootFilesystem'], true) : ctx.edit.setIn(c.node, ['securityContext', 'readOnlyRootFilesystem'], true),
            ],
          },
        ],
      });
    }
  },
};

export const rootGroup: KubernetesRule = {
  id: 'root-group',
  language: 'kubernetes',
  title: 'Runs with the root group (GID 0)',
  category: 'workload-privileges',
  severity: 'info',
  description:
    '`runAsGroup: 0`, `fsGroup: 0` or a supplemental group 0 gives the process the root group, which owns many ' +
    'files in images and on mounted volumes that root group members may write. A pod-level `runAsGroup` that ' +
    'every container replaces with its own is not reported: no process runs with it.',
  remediation: 'Use a non-zero group ID.',
  // KSV021, kube-score's check and kubesec's RunAsGroup want a GID above 10000, so they fail runAsGroup 0 as well.
  references: ['trivy:KSV-0116', 'trivy:KSV-0021', 'kube-score:container-security-context-user-group-id', 'kubesec:RunAsGroup'],
  fixes: [],
  recommended: true,
  kinds: 'workloads',
  check(ctx) {
    const pod = ctx.object.podSpec();
    if (!pod) return;
    const doc = ctx.object.doc;
    const reports: Report[] = [];
    const zero = (v: unknown) => v === 0 || v === '0';
    for (const key of ['runAsGroup', 'fsGroup']) {
      // A pod-level runAsGroup every container replaces with its own applies to no process.
      if (key === 'runAsGroup' && everyContainerOverrides(pod, (c) => containerSets(c, 'runAsGroup', doc))) continue;
      const pair = findPair(pod.securityContext, key, doc);
      if (pair && zero(scalarValue(pair.value, doc))) reports.push({ at: pair, message: `The pod of ${ctx.object.label} sets ${key}: 0 (the root group).` });
    }
    const groups = findPair(pod.securityContext, 'supplementalGroups', doc);
    if (groups && isSeq(groups.value))
      for (const item of seqItems(groups.value, doc))
        if (zero(scalarValue(item, doc))) reports.push({ at: item, message: `The pod of ${ctx.object.label} adds supplemental group 0 (root).` });
    for (const c of pod.containers()) {
      const pair = findPair(c.securityContext, 'runAsGroup', doc);
      if (pair && zero(scalarValue(pair.value, doc)))
        reports.push({ at: pair, message: `${c.label} of ${ctx.object.label} sets runAsGroup: 0 (the root group).` });
    }
    reports.forEach((r) => ctx.report(r));
  },
};

export const lowUid: KubernetesRule = {
  id: 'low-uid',
  language: 'kubernetes',
  title: 'Runs with a UID below 10000',
  category: 'workload-privileges',
  severity: 'info',
  description:
    'Low UIDs overlap with users of the node (and of the image). If a container escapes, a high, unique UID has ' +
    "no rights on the node's files. UID 0 is reported by `runs-as-root-user`; a pod-level `runAsUser` that " +
    'every container replaces with its own is not reported (no process runs with it), and an unset UID is ' +
    'not either (the image decides it).',
  remediation: 'Run as a UID above 10000 (distroless and Chainguard images use 65532).',
  // Not trivy:KSV-0021: that one is about the GID (root-group reports GID 0).
  references: ['checkov:CKV_K8S_40', 'trivy:KSV-0020', 'kube-score:container-security-context-user-group-id', 'kubesec:RunAsUser'],
  fixes: [],
  recommended: false,
  kinds: 'workloads',
  check(ctx) {
    const pod = ctx.object.podSpec();
    if (!pod) return;
    const doc = ctx.object.doc;
    const low = (v: unknown) => typeof v === 'number' && v > 0 && v < 10000;
    // A pod-level runAsUser every container replaces with its own runs no process.
    const podPair = everyContainerOverrides(pod, (c) => containerSets(c, 'runAsUser', doc)) ? undefined : findPair(pod.securityContext, 'runAsUser', doc);
    if (podPair && low(scalarValue(podPair.value, doc)))
      ctx.report({ at: podPair, message: `The pod of ${ctx.object.label} runs as UID ${String(scalarValue(podPair.value, doc))}, below 10000.` });
    for (const c of pod.containers()) {
      const pair = findPair(c.securityContext, 'runAsUser', doc);
      if (pair && low(scalarValue(pair.value, doc)))
        ctx.report({ at: pair, message: `${c.label} of ${ctx.object.label} runs as UID ${String(scalarValue(pair.value, doc))}, below 10000.` });
    }
  },
};

export const sudoInCommand: KubernetesRule = {
  id: 'sudo-in-command',
  language: 'kubernetes',
  title: 'Container command uses sudo',
  category: 'workload-privileges',
  severity: 'warning',
  description:
    'A container that runs `sudo` expects to gain root at run time: the image ships a setuid sudo and a ' + 'sudoers entry an intruder can use just as well.',
  remediation: 'Run the command as the user it needs (`securityContext.runAsUser`), or do the privileged part at build time.',
  references: ['kubescape:C-0062'],
  fixes: [],
  recommended: true,
  kinds: 'workloads',
  check(ctx) {
    const doc = ctx.object.doc;
    for (const c of ctx.object.podSpec()?.containers() ?? []) {
      for (const key of ['command', 'args']) {
        const pair = findPair(c.node, key, doc);
        for (const { value, node } of stringItems(pair?.value, doc)) {
          if (/(^|[\s;&|(`])sudo(\s|$)/.test(value)) {
            ctx.report({ at: node, message: `${c.label} of ${ctx.object.label} runs sudo in its ${key}.` });
            break;
          }
        }
      }
    }
  },
};

export const privilegedPort: KubernetesRule = {
  id: 'privileged-container-port',
  language: 'kubernetes',
  title: 'Container listens on a port below 1024',
  category: 'network',
  severity: 'info',
  description:
    'Binding a port below 1024 needs root or NET_BIND_SERVICE, so a container declaring one usually runs with more ' +
    'privilege than it needs. Listen on a high port and let the Service map the well-known one.',
  remediation: 'Listen on a port above 1024 (e.g. 8080) and set the Service `port: 80`, `targetPort: 8080`.',
  references: ['kube-linter:privileged-ports', 'trivy:KSV-0117'],
  fixes: [],
  recommended: false,
  kinds: 'workloads',
  check(ctx) {
    const doc = ctx.object.doc;
    const pod = ctx.object.podSpec();
    if (!pod) return;
    const hostNetwork = findPair(pod.node, 'hostNetwork', doc);
    for (const c of pod.containers()) {
      const ports = findPair(c.node, 'ports', doc);
      for (const port of seqItems(ports?.value, doc)) {
        if (!isMap(port)) continue;
        const pair = findPair(port, 'containerPort', doc) as Pair | undefined;
        const value = pair ? scalarValue(pair.value, doc) : undefined;
        if (typeof value === 'number' && value > 0 && value < 1024 && !(hostNetwork && scalarValue(hostNetwork.value, doc) === true)) {
          ctx.report({ at: pair!.value as Node, message: `${c.label} of ${ctx.object.label} listens on port ${value}, below 1024.` });
        }
      }
    }
  },
};
