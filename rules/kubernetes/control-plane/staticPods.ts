/**
 * kube-apiserver, kube-controller-manager, kube-scheduler and etcd run as static pods that need the
 * node's network and read their certificates, keys and kubeconfigs from the node: the kubelet starts
 * them before any pod network or API exists, and a static pod cannot mount Secrets or ConfigMaps.
 * Workload rules are right that hostNetwork and hostPath are dangerous, and KubeLinter or Checkov
 * report them on these pods too; but an error the user cannot act on, and a fix that empties the
 * volumes of the API server, are worse than useless.
 *
 * Decision: on a pod recognised as a control-plane static pod (a container running one of the four
 * binaries, namespace kube-system, and a file under a `manifests/` folder or kubeadm's
 * `tier: control-plane` label), findings inherent to the component (hostNetwork, hostPath volumes
 * under the component's own folders, probes aimed at the node address, the attack path through
 * those mounts) are reported at info, with the reason, and without fixes; findings that cannot
 * apply to a static pod (it gets no service account token) are not reported; the "harden" fix that
 * rewrites the whole pod is not offered on any finding of such a pod. Everything else (running as
 * root, capabilities, seccomp, limits) is reported as usual: kubeadm's RootlessControlPlane shows
 * those can be changed. But not by a one-line fix for the user it runs as: the certificates and keys
 * it reads from the node are root's, mode 0600, so `runAsNonRoot: true` (the images run as root) or
 * another UID/GID stops the component from starting, and on the API server that locks every user
 * out. Those findings keep their severity and say so, without the fix.
 */
import { isMap, isNode, isPair } from 'yaml';
import type { KubeObject } from '../../../server/src/documents/kube';
import { getMap, getSeq, getString, seqItems, spanOf } from '../../../server/src/documents/yamlNodes';
import type { Span } from '../../../server/src/documents/yamlNodes';
import type { Fix, KubeRuleContext, KubernetesRule, Report } from '../../../server/src/engine/rule';
import { HARDEN_TITLE } from '../pss/harden';
import { containerArgv } from './args';
import { Component, componentOf } from './sources';

/** Findings on the pod's own nature: info, with the reason, without fixes. */
const INHERENT: Record<string, (component: Component) => string> = {
  'host-network': (c) => `${c} is a control-plane static pod: the kubelet starts it on the node's network before any pod network exists`,
  'host-probe-or-lifecycle': (c) => `${c} is a control-plane static pod on the node's network: its probes reach it at the node address it binds to`,
  'host-path-volume': (c) =>
    `${c} is a control-plane static pod, which cannot mount Secrets or ConfigMaps: its certificates, keys and configuration come from the node`,
  'sensitive-host-path': (c) =>
    `${c} is a control-plane static pod, which cannot mount Secrets or ConfigMaps: its certificates, keys and configuration come from the node`,
  'attack-path': (c) => `${c} is a control-plane static pod: it holds the cluster's credentials by design`,
};

/** Rules whose fixes change the user or group the pod runs as. */
const IDENTITY_RULES: ReadonlySet<string> = new Set(['may-run-as-root', 'runs-as-root-user', 'root-group', 'low-uid']);

const identityNote = (c: Component) =>
  ` (No fix offered: ${c} reads the node's certificates and keys, which belong to root with mode 0600, so running it as another user stops it from starting; kubeadm's RootlessControlPlane feature gate changes both together.)`;

/** Rules whose findings need a host path: only paths under the component's own folders are inherent. */
const PATH_RULES: ReadonlySet<string> = new Set(['host-path-volume', 'sensitive-host-path']);

/** What a static pod never has: the kubelet runs it without the API, so no service account token. */
const NOT_APPLICABLE: ReadonlySet<string> = new Set(['automount-service-account-token', 'default-service-account']);

/** Host folders kubeadm, kubespray, k3s-like and hand-written control planes mount. */
const CONTROL_PLANE_DIRS: readonly string[] = [
  '/etc/kubernetes',
  '/etc/ssl/certs',
  '/etc/pki',
  '/etc/ca-certificates',
  '/usr/share/ca-certificates',
  '/usr/local/share/ca-certificates',
  '/var/lib/etcd',
  '/var/lib/kubernetes',
  '/var/log/kubernetes',
  '/srv/kubernetes',
  '/usr/libexec/kubernetes/kubelet-plugins/volume/exec',
  '/etc/localtime',
];

function underControlPlaneDir(path: string): boolean {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47 /* / */) end--;
  const p = path.slice(0, end);
  return CONTROL_PLANE_DIRS.some((d) => p === d || p.startsWith(`${d}/`));
}

const memo = new WeakMap<object, { path: string; component: Component | null }>();

/** The control-plane component a static pod runs, when the object is one. */
export function controlPlaneStaticPod(object: KubeObject, filePath: string, text: string): Component | undefined {
  const hit = memo.get(object.node);
  if (hit && hit.path === filePath) return hit.component ?? undefined;
  const component = recognise(object, filePath, text);
  memo.set(object.node, { path: filePath, component: component ?? null });
  return component;
}

function recognise(object: KubeObject, filePath: string, text: string): Component | undefined {
  if (object.kind !== 'Pod' || object.namespace !== 'kube-system') return undefined;
  const inManifests = /(?:^|\/)manifests\//.test(filePath.replace(/\\/g, '/'));
  if (!inManifests && object.labels().get('tier')?.value !== 'control-plane') return undefined;
  const pod = object.podSpec();
  if (!pod) return undefined;
  for (const container of pod.containers(['containers'])) {
    const hasCommand = !!getSeq(container.node, 'command', object.doc);
    const component = componentOf(containerArgv(container, object.doc, text), container.image, hasCommand);
    if (component && component !== 'kubelet') return component;
  }
  return undefined;
}

/** The hostPath of the volume a finding points into, if it points into one. */
function hostPathAt(object: KubeObject, at: Report['at']): string | undefined {
  const span: Span | undefined = isNode(at) || isPair(at) ? spanOf(at) : (at as Span);
  if (!span) return undefined;
  const pod = object.podSpec();
  for (const volume of seqItems(getSeq(pod?.node, 'volumes', object.doc), object.doc)) {
    const v = spanOf(volume);
    if (!isMap(volume) || !v || span.start < v.start || span.end > v.end) continue;
    return getString(getMap(volume, 'hostPath', object.doc), 'path', object.doc);
  }
  return undefined;
}

function withoutHarden(fixes: Fix[] | undefined): Fix[] | undefined {
  // The fix that rewrites the whole pod would drop hostNetwork and empty its volumes.
  return fixes?.filter((f) => f.title !== HARDEN_TITLE);
}

/** Wraps workload rules so that their findings on control-plane static pods follow the decision above. */
export function forControlPlaneStaticPods(rules: readonly KubernetesRule[]): KubernetesRule[] {
  return rules.map((rule) => {
    if (rule.category === 'control-plane' || (rule.kinds !== 'workloads' && !rule.kinds.includes('Pod'))) return rule;
    const original = rule.check.bind(rule);
    return {
      ...rule,
      check(ctx: KubeRuleContext) {
        const component = controlPlaneStaticPod(ctx.object, ctx.filePath, ctx.text);
        if (!component) return original(ctx);
        if (NOT_APPLICABLE.has(rule.id)) return;
        const inherent = Object.hasOwn(INHERENT, rule.id) ? INHERENT[rule.id] : undefined;
        original({
          ...ctx,
          report: (r: Report) => {
            const path = PATH_RULES.has(rule.id) ? hostPathAt(ctx.object, r.at) : undefined;
            if (inherent && (!PATH_RULES.has(rule.id) || (path !== undefined && underControlPlaneDir(path)))) {
              ctx.report({ ...r, message: `${r.message} (Reported as info: ${inherent(component)}.)`, severity: 'info', fixes: [] });
              return;
            }
            if (IDENTITY_RULES.has(rule.id)) {
              ctx.report({ ...r, message: `${r.message}${identityNote(component)}`, fixes: [] });
              return;
            }
            ctx.report({ ...r, fixes: withoutHarden(r.fixes) });
          },
        });
      },
    };
  });
}
