/** Running as root and gaining privileges: the restricted level's user checks. */
import type { Node, Pair } from 'yaml';
import { findPair, scalarValue } from '../../../server/src/documents/yamlNodes';
import type { Report } from '../../../server/src/engine/rule';
import type { Container } from '../../../server/src/documents/kube';
import { containerSets, effectiveValue, everyContainerOverrides, isWindowsPod, pssAtLeast, pssRule, PssContext, usesUserNamespace } from './common';

const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted';

/** Sets `allowPrivilegeEscalation: false` in a container, creating its securityContext if needed. */
export function noEscalationEdit(ctx: PssContext, container: Container) {
  if (container.securityContext) return ctx.edit.setIn(container.securityContext, ['allowPrivilegeEscalation'], false);
  return ctx.edit.setIn(container.node, ['securityContext', 'allowPrivilegeEscalation'], false);
}

export const privilegeEscalationAllowed = pssRule(
  {
    id: 'privilege-escalation-allowed',
    title: 'Container may gain privileges (allowPrivilegeEscalation)',
    category: 'workload-privileges',
    severity: 'warning',
    description:
      'Unless `allowPrivilegeEscalation: false` is set, a process in the container can gain privileges through ' +
      "setuid binaries or file capabilities (the kernel's no_new_privs flag stays off). It is on by default. " +
      'The Pod Security Standards restricted level requires it to be false on every container; Windows pods ' +
      'are exempt.',
    remediation:
      'Set `securityContext.allowPrivilegeEscalation: false` on each container. Programs that rely on setuid binaries (sudo, ping on old images) stop working.',
    references: [
      'pss:restricted/allowPrivilegeEscalation',
      'kube-linter:privilege-escalation-container',
      'checkov:CKV_K8S_20',
      'trivy:KSV-0001',
      'kubescape:C-0016',
      'polaris:privilegeEscalationAllowed',
      'kubesec:AllowPrivilegeEscalation',
      'cis-k8s:5.2.6',
    ],
    fixes: [{ title: 'Set allowPrivilegeEscalation: false', applicability: 'unsafe' }],
    docsUrl: PSS_DOCS,
  },
  { level: 'restricted', check: 'allowPrivilegeEscalation' },
  (ctx) => {
    if (isWindowsPod(ctx.pod, ctx.doc)) return [];
    const reports: Report[] = [];
    for (const c of ctx.pod.containers()) {
      const pair = findPair(c.securityContext, 'allowPrivilegeEscalation', ctx.doc);
      if (pair && scalarValue(pair.value, ctx.doc) === false) continue;
      reports.push({
        at: pair ?? c.anchor,
        message: pair
          ? `${c.label} of ${ctx.object.label} sets allowPrivilegeEscalation: ${String(scalarValue(pair.value, ctx.doc))}.`
          : `${c.label} of ${ctx.object.label} does not set allowPrivilegeEscalation: false.`,
        fixes: [{ title: 'Set allowPrivilegeEscalation: false', applicability: 'unsafe', edits: () => [noEscalationEdit(ctx, c)] }],
      });
    }
    return reports;
  },
);

/** Sets `runAsNonRoot: true` at pod level (creating the pod securityContext if needed). */
export function podRunAsNonRootEdit(ctx: PssContext) {
  const sc = ctx.pod.securityContext;
  if (sc) return ctx.edit.setIn(sc, ['runAsNonRoot'], true);
  return ctx.edit.setIn(ctx.pod.node, ['securityContext', 'runAsNonRoot'], true);
}

export const mayRunAsRoot = pssRule(
  {
    id: 'may-run-as-root',
    title: 'Containers may run as root (runAsNonRoot not set)',
    category: 'workload-privileges',
    severity: 'warning',
    description:
      'Without `runAsNonRoot: true` the kubelet starts a container as whatever user its image says, which for ' +
      'most images is root. Root in a container is one kernel bug or one misconfigured mount away from root ' +
      'on the node. The Pod Security Standards restricted level requires `runAsNonRoot: true` at pod level or ' +
      'on every container, and forbids `false` anywhere. Since v1.35 pods with `hostUsers: false` are exempt.',
    remediation: 'Set `securityContext.runAsNonRoot: true` in the pod spec (and `runAsUser` to a non-zero UID if the image has no non-root USER).',
    references: [
      'pss:restricted/runAsNonRoot',
      'kube-linter:run-as-non-root',
      'checkov:CKV_K8S_23',
      'trivy:KSV-0012',
      'kubescape:C-0013',
      'polaris:runAsRootAllowed',
      'kubesec:RunAsNonRoot',
      'cis-k8s:5.2.7',
    ],
    fixes: [{ title: 'Set runAsNonRoot: true', applicability: 'unsafe' }],
    docsUrl: PSS_DOCS,
  },
  { level: 'restricted', check: 'runAsNonRoot' },
  (ctx) => {
    if (pssAtLeast(ctx.settings, 35) && usesUserNamespace(ctx.pod, ctx.doc)) return [];
    const reports: Report[] = [];
    const podPair = findPair(ctx.pod.securityContext, 'runAsNonRoot', ctx.doc);
    const podValue = podPair ? scalarValue(podPair.value, ctx.doc) : undefined;
    const explicitFalse: { pair: Pair; where: string; overridden?: boolean }[] = [];
    if (podPair && podValue === false) {
      // Containers that set runAsNonRoot: true themselves do not inherit the pod's false.
      const overridden = everyContainerOverrides(ctx.pod, (c) => scalarValue(findPair(c.securityContext, 'runAsNonRoot', ctx.doc)?.value, ctx.doc) === true);
      explicitFalse.push({ pair: podPair, where: `the pod of ${ctx.object.label}`, overridden });
    }
    const unset: Container[] = [];
    for (const c of ctx.pod.containers()) {
      const pair = findPair(c.securityContext, 'runAsNonRoot', ctx.doc);
      const value = pair ? scalarValue(pair.value, ctx.doc) : undefined;
      if (pair && value === false) explicitFalse.push({ pair, where: `${c.label} of ${ctx.object.label}` });
      else if (value !== true && podValue !== true) unset.push(c);
    }
    for (const f of explicitFalse) {
      reports.push({
        at: f.pair,
        message: f.overridden
          ? `${f.where} sets runAsNonRoot: false. Every container sets runAsNonRoot: true, so none inherits it, but the Pod Security Standards restricted level forbids false at pod level too.`
          : `${f.where} sets runAsNonRoot: false.`,
        fixes: [{ title: 'Set runAsNonRoot: true', applicability: 'unsafe', edits: () => [ctx.edit.replace(f.pair.value as Node, 'true')] }],
      });
    }
    if (unset.length) {
      const podScPair = findPair(ctx.pod.node, 'securityContext', ctx.doc);
      // A container with a non-zero runAsUser does not run as root; the standard wants runAsNonRoot anyway.
      const uid = (c: Container) => effectiveValue(c, ctx.pod, 'runAsUser', ctx.doc).value;
      const nonRootUid = unset.filter((c) => typeof uid(c) === 'number' && (uid(c) as number) > 0);
      const mayBeRoot = unset.filter((c) => !nonRootUid.includes(c));
      const uids = nonRootUid.map((c) => `${c.label} runs as UID ${String(uid(c))}`).join(', ');
      const because = !mayBeRoot.length
        ? `which the Pod Security Standards restricted level requires even though ${uids}`
        : `so ${mayBeRoot.map((c) => c.label).join(', ')} may run as root${nonRootUid.length ? ` (${uids}, but the restricted level requires runAsNonRoot all the same)` : ''}`;
      reports.push({
        at: podPair && podValue !== false ? podPair : podScPair ? (podScPair.key as Node) : unset[0].anchor,
        message: `${ctx.object.label} does not set runAsNonRoot: true, ${because}.`,
        fixes: explicitFalse.some((f) => f.where.startsWith('the pod'))
          ? []
          : [{ title: 'Set runAsNonRoot: true', applicability: 'unsafe', edits: () => [podRunAsNonRootEdit(ctx)] }],
      });
    }
    return reports;
  },
);

export function rootUserPairs(ctx: PssContext): { pair: Pair; where: string }[] {
  const out: { pair: Pair; where: string }[] = [];
  const check = (sc: unknown, where: string) => {
    const pair = findPair(sc, 'runAsUser', ctx.doc);
    const value = pair ? scalarValue(pair.value, ctx.doc) : undefined;
    if (pair && (value === 0 || value === '0')) out.push({ pair, where });
  };
  check(ctx.pod.securityContext, `the pod of ${ctx.object.label}`);
  for (const c of ctx.pod.containers()) check(c.securityContext, `${c.label} of ${ctx.object.label}`);
  return out;
}

export const runsAsRootUser = pssRule(
  {
    id: 'runs-as-root-user',
    title: 'Runs as UID 0',
    category: 'workload-privileges',
    severity: 'error',
    description:
      '`runAsUser: 0` runs the container as root whatever its image says. The Pod Security Standards restricted ' +
      'level forbids it at pod and container level; since v1.35 pods with `hostUsers: false` are exempt (UID 0 ' +
      'there maps to an unprivileged user on the node).',
    remediation: "Set `runAsUser` to a non-zero UID the image can run as (for example 65532), or remove it and rely on the image's USER.",
    // Checks that want a UID above 10000 fail UID 0 as well.
    references: [
      'pss:restricted/runAsUser',
      'trivy:KSV-0105',
      'checkov:CKV_K8S_40',
      'trivy:KSV-0020',
      'kube-score:container-security-context-user-group-id',
      'kubesec:RunAsUser',
    ],
    fixes: [{ title: 'Run as UID 65532', applicability: 'unsafe' }],
    docsUrl: PSS_DOCS,
  },
  { level: 'restricted', check: 'runAsUser' },
  (ctx) => {
    if (pssAtLeast(ctx.settings, 35) && usesUserNamespace(ctx.pod, ctx.doc)) return [];
    // A pod-level 0 that every container overrides starts no process as root, yet admission rejects it.
    const podOverridden = everyContainerOverrides(ctx.pod, (c) => containerSets(c, 'runAsUser', ctx.doc));
    return rootUserPairs(ctx).map(({ pair, where }) => ({
      at: pair,
      message:
        podOverridden && where.startsWith('the pod')
          ? `${where} sets runAsUser: 0. Every container sets its own runAsUser, so none inherits it, but the Pod Security Standards restricted level forbids 0 at pod level too.`
          : `${where} sets runAsUser: 0 (root).`,
      fixes: [{ title: 'Run as UID 65532', applicability: 'unsafe' as const, edits: () => [ctx.edit.replace(pair.value as Node, '65532')] }],
    }));
  },
);
