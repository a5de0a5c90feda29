/** seccomp, AppArmor and SELinux: the kernel confinement of containers (PSS baseline and restricted). */
import type { Node, Pair, YAMLMap } from 'yaml';
import { findPair, getString, scalarValue } from '../../../server/src/documents/yamlNodes';
import type { Report } from '../../../server/src/engine/rule';
import type { Container } from '../../../server/src/documents/kube';
import { isWindowsPod, mapOf, pssAtLeast, pssRule, PssContext } from './common';

const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

interface ProfileSite {
  /** `pod` or a container label. */
  where: string;
  owner: YAMLMap;
  profile: YAMLMap | undefined;
  typePair: Pair | undefined;
  type: string | undefined;
}

/** seccompProfile / appArmorProfile at the pod level and in every container. */
function profileSites(
  ctx: PssContext,
  field: 'seccompProfile' | 'appArmorProfile',
): { pod: ProfileSite | undefined; containers: (ProfileSite & { containerLabel: string; container?: Container })[] } {
  const site = (owner: YAMLMap | undefined, where: string): ProfileSite | undefined => {
    if (!owner) return undefined;
    const profile = mapOf(owner, field, ctx.doc);
    const typePair = findPair(profile, 'type', ctx.doc);
    return { where, owner, profile, typePair, type: getString(profile, 'type', ctx.doc) };
  };
  const podSc = ctx.pod.securityContext;
  return {
    pod: site(podSc, 'pod'),
    containers: ctx.pod.containers().map((c) => ({
      ...(site(c.securityContext, c.label) ?? { where: c.label, owner: c.node, profile: undefined, typePair: undefined, type: undefined }),
      containerLabel: c.label,
      container: c,
    })),
  };
}

export const seccompUnconfined = pssRule(
  {
    id: 'seccomp-unconfined',
    title: 'seccomp explicitly disabled',
    category: 'seccomp-apparmor',
    severity: 'error',
    description:
      '`seccompProfile.type: Unconfined` turns off the syscall filter, exposing the full kernel attack surface ' +
      '(hundreds of syscalls, many with container escapes in their history). Forbidden by the Pod Security ' +
      'Standards baseline at pod and container level.',
    remediation: 'Set `seccompProfile.type: RuntimeDefault` (or `Localhost` with a reviewed profile).',
    // kubesec's SeccompAny counts only a profile other than Unconfined.
    references: ['pss:baseline/seccompProfile_baseline', 'trivy:KSV-0104', 'kubesec:SeccompUnconfined', 'kubesec:SeccompAny'],
    fixes: [{ title: 'Use RuntimeDefault', applicability: 'unsafe' }],
    docsUrl: `${PSS_DOCS}#baseline`,
  },
  { level: 'baseline', check: 'seccompProfile_baseline' },
  (ctx) => {
    const { pod, containers } = profileSites(ctx, 'seccompProfile');
    const reports: Report[] = [];
    for (const s of [pod, ...containers]) {
      if (!s || s.type !== 'Unconfined' || !s.typePair) continue;
      const value = s.typePair.value as Node;
      let message = `${s.where} of ${ctx.object.label} runs without seccomp (Unconfined).`;
      if (s.where === 'pod') {
        // Only containers without a profile of their own inherit the pod's.
        const inheriting = containers.filter((c) => c.type === undefined).map((c) => c.containerLabel);
        message =
          inheriting.length || !containers.length
            ? `The pod of ${ctx.object.label} sets seccomp Unconfined${inheriting.length ? `, so ${inheriting.join(', ')} run${inheriting.length === 1 ? 's' : ''} without seccomp` : ''}.`
            : `The pod of ${ctx.object.label} sets seccomp Unconfined. Every container sets its own profile, so none inherits it, but the Pod Security Standards baseline forbids Unconfined at pod level too.`;
      }
      reports.push({
        at: s.typePair,
        message,
        fixes: [{ title: 'Use RuntimeDefault', applicability: 'unsafe', edits: () => [ctx.edit.replace(value, 'RuntimeDefault')] }],
      });
    }
    return reports;
  },
);

/** Adds `seccompProfile: {type: RuntimeDefault}` at pod level (or fixes the type there). */
export function podSeccompEdit(ctx: PssContext) {
  const sc = ctx.pod.securityContext;
  if (sc) return ctx.edit.setIn(sc, ['seccompProfile', 'type'], 'RuntimeDefault');
  return ctx.edit.setIn(ctx.pod.node, ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault');
}

export const missingSeccompProfile = pssRule(
  {
    id: 'missing-seccomp-profile',
    title: 'No seccomp profile',
    category: 'seccomp-apparmor',
    severity: 'warning',
    description:
      'Without a seccomp profile most runtimes run containers Unconfined. `RuntimeDefault` blocks the syscalls ' +
      'containers never need (and that many kernel exploits use) at no cost to normal programs. The Pod ' +
      'Security Standards restricted level requires `RuntimeDefault` or `Localhost` at pod level, or on every ' +
      'container. Windows pods are exempt.',
    remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec; it applies to every container.',
    // KSV104 fails a container with no profile type as well as one set to Unconfined.
    references: [
      'pss:restricted/seccompProfile_restricted',
      'checkov:CKV_K8S_31',
      'trivy:KSV-0030',
      'trivy:KSV-0104',
      'kubescape:C-0210',
      'kube-score:container-seccomp-profile',
      'kubesec:SeccompAny',
      'cis-k8s:5.7.2',
    ],
    fixes: [{ title: 'Add seccompProfile RuntimeDefault to the pod', applicability: 'unsafe' }],
    docsUrl: 'https://kubernetes.io/docs/tutorials/security/seccomp/',
  },
  { level: 'restricted', check: 'seccompProfile_restricted' },
  (ctx) => {
    if (isWindowsPod(ctx.pod, ctx.doc)) return [];
    const { pod, containers } = profileSites(ctx, 'seccompProfile');
    const ok = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
    const podOk = ok(pod?.type);
    const missing = containers.filter((c) => (c.type === undefined ? !podOk : !ok(c.type) && c.type !== 'Unconfined'));
    // Unconfined is reported by seccomp-unconfined; the pod-level fix covers containers that set nothing.
    if (!missing.length) return [];
    if (!podOk && pod?.type === 'Unconfined') return [];
    const fix = { title: 'Add seccompProfile RuntimeDefault to the pod', applicability: 'unsafe' as const, edits: () => [podSeccompEdit(ctx)] };
    return [
      {
        at: ctx.pod.securityContext
          ? ((findPair(ctx.pod.node, 'securityContext', ctx.doc) as Pair).key as Node)
          : (missing[0].container?.anchor ?? ctx.object.anchor),
        message: `${ctx.object.label} sets no seccomp profile for ${missing.map((m) => m.containerLabel).join(', ')}; set RuntimeDefault at pod level.`,
        fixes: missing.some((m) => m.type !== undefined) ? [] : [fix],
      },
    ];
  },
);

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

export const apparmorUnconfined = pssRule(
  {
    id: 'apparmor-unconfined',
    title: 'AppArmor disabled or set to an unknown profile',
    category: 'seccomp-apparmor',
    severity: 'error',
    description:
      'An AppArmor profile of `Unconfined` (field `appArmorProfile.type` or the older ' +
      '`container.apparmor.security.beta.kubernetes.io/<container>: unconfined` annotation) removes the mandatory ' +
      'access control that stops a container from writing to /proc and /sys or mounting file systems. The Pod ' +
      'Security Standards baseline allows only the runtime default or a Localhost profile.',
    remediation: 'Use `appArmorProfile: {type: RuntimeDefault}` (or remove the override), or a reviewed `Localhost` profile.',
    references: ['pss:baseline/appArmorProfile', 'kubesec:ApparmorUnconfined', 'trivy:KSV-0002'],
    fixes: [{ title: 'Use the runtime default AppArmor profile', applicability: 'unsafe' }],
    docsUrl: 'https://kubernetes.io/docs/tutorials/security/apparmor/',
  },
  { level: 'baseline', check: 'appArmorProfile' },
  (ctx) => {
    const reports: Report[] = [];
    const { pod, containers } = profileSites(ctx, 'appArmorProfile');
    for (const s of [pod, ...containers]) {
      if (!s?.typePair || s.type === undefined || s.type === 'RuntimeDefault' || s.type === 'Localhost') continue;
      const value = s.typePair.value as Node;
      reports.push({
        at: s.typePair,
        message: `${s.where === 'pod' ? `The pod of ${ctx.object.label}` : `${s.where} of ${ctx.object.label}`} sets AppArmor profile type ${s.type}.`,
        fixes: [{ title: 'Use the runtime default AppArmor profile', applicability: 'unsafe', edits: () => [ctx.edit.replace(value, 'RuntimeDefault')] }],
      });
    }
    const metadata = ctx.pod.metadata;
    const annotations = mapOf(metadata, 'annotations', ctx.doc);
    if (annotations) {
      for (const item of annotations.items) {
        const key = String((item.key as { value?: unknown })?.value ?? '');
        if (!key.startsWith(APPARMOR_ANNOTATION)) continue;
        const value = scalarValue(item.value, ctx.doc);
        if (typeof value !== 'string' || value === 'runtime/default' || value.startsWith('localhost/') || value === '') continue;
        const node = item.value as Node;
        reports.push({
          at: item,
          message: `${ctx.object.label} sets AppArmor profile "${value}" for container "${key.slice(APPARMOR_ANNOTATION.length)}".`,
          fixes: [{ title: 'Use the runtime default AppArmor profile', applicability: 'unsafe', edits: () => [ctx.edit.replace(node, 'runtime/default')] }],
        });
      }
    }
    return reports;
  },
);

const SELINUX_TYPES = ['container_t', 'container_init_t', 'container_kvm_t'];

export const seLinuxCustomOptions = pssRule(
  {
    id: 'selinux-custom-options',
    title: 'Custom SELinux user, role or type',
    category: 'seccomp-apparmor',
    severity: 'error',
    description:
      'SELinux options choose the label a container runs with. Setting a `user` or `role`, or a `type` other ' +
      'than container_t, container_init_t or container_kvm_t (and container_engine_t from v1.31), can run the ' +
      'container as an unconfined or host domain. Forbidden by the Pod Security Standards baseline.',
    remediation: 'Remove `seLinuxOptions` (or keep only `level` and an allowed `type`).',
    references: ['pss:baseline/seLinuxOptions', 'trivy:KSV-0025'],
    fixes: [],
    docsUrl: `${PSS_DOCS}#baseline`,
  },
  { level: 'baseline', check: 'seLinuxOptions' },
  (ctx) => {
    const allowed = pssAtLeast(ctx.settings, 31) ? [...SELINUX_TYPES, 'container_engine_t'] : SELINUX_TYPES;
    const reports: Report[] = [];
    const owners: { where: string; sc: YAMLMap | undefined }[] = [
      { where: `the pod of ${ctx.object.label}`, sc: ctx.pod.securityContext },
      ...ctx.pod.containers().map((c) => ({ where: `${c.label} of ${ctx.object.label}`, sc: c.securityContext })),
    ];
    for (const { where, sc } of owners) {
      const options = mapOf(sc, 'seLinuxOptions', ctx.doc);
      if (!options) continue;
      for (const key of ['type', 'user', 'role']) {
        const pair = findPair(options, key, ctx.doc);
        const value = pair ? scalarValue(pair.value, ctx.doc) : undefined;
        if (!pair || value === null || value === undefined || value === '') continue;
        if (key === 'type' && allowed.includes(String(value))) continue;
        reports.push({ at: pair, message: `${where} sets SELinux ${key} "${String(value)}".` });
      }
    }
    return reports;
  },
);
