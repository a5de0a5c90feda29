/**
 * Container escapes and host access implied by a pod spec, in KubeHound's vocabulary: what lets a
 * process in a container become root on the node it runs on (or read its credentials), and what
 * lets it reach its sibling containers. Only the pod spec is read.
 */
import { isMap, type Node } from 'yaml';
import type { Container, KubeObject } from '../documents/kube';
import { findPair, getMap, getSeq, getString, scalarValue, seqItems, stringItems } from '../documents/yamlNodes';

export type EscapeType =
  | 'CE_PRIV_MOUNT'
  | 'CE_NSENTER'
  | 'CE_MODULE_LOAD'
  | 'CE_SYS_PTRACE'
  | 'CE_UMH_CORE_PATTERN'
  | 'CE_VAR_LOG_SYMLINK'
  | 'EXPLOIT_CONTAINERD_SOCK'
  | 'EXPLOIT_HOST_WRITE'
  | 'EXPLOIT_HOST_READ';

export interface Escape {
  readonly type: EscapeType;
  readonly container: Container;
  /** The YAML node that creates the escape (`privileged: true`, the mount, the capability). */
  readonly at: Node;
  readonly reason: string;
  /** CE_VAR_LOG_SYMLINK also needs the pod's account to read pod logs; the graph checks it. */
  readonly needsPodLogs?: boolean;
}

/** Container runtime sockets (and the directories holding them). */
const RUNTIME_SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/k3s/containerd/containerd.sock',
];
const RUNTIME_SOCKET_DIRS = ['/var/run', '/run', '/var/run/containerd', '/run/containerd', '/var/run/crio', '/run/crio', '/var/run/docker', '/run/docker'];
/** Host paths whose write access is root on the node (binaries, configuration, kubelet state, cron). */
const WRITE_IS_ROOT = [
  '/',
  '/etc',
  '/root',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/boot',
  '/var/lib/kubelet',
  '/etc/kubernetes',
  '/var/spool/cron',
  '/home',
  '/var/lib/docker',
  '/var/lib/containerd',
];
/** Host paths whose read access yields node credentials (kubelet client certificates, kubeconfigs, SSH keys, shadow). */
const READ_IS_ROOT = ['/', '/etc', '/root', '/home', '/var/lib/kubelet', '/var/lib/kubelet/pki', '/etc/kubernetes', '/etc/kubernetes/pki'];

function normalize(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

/** Whether `path` is `base` or lies under it. */
function within(path: string, base: string): boolean {
  return path === base || (base === '/' ? path.startsWith('/') : path.startsWith(`${base}/`));
}

interface HostMount {
  readonly hostPath: string;
  readonly readOnly: boolean;
  readonly at: Node;
}

function hostMounts(object: KubeObject, container: Container): HostMount[] {
  const doc = object.doc;
  const pod = object.podSpec();
  if (!pod) return [];
  const volumes = new Map<string, string>();
  for (const v of seqItems(getSeq(pod.node, 'volumes', doc), doc)) {
    const name = getString(v, 'name', doc);
    const path = getString(getMap(v, 'hostPath', doc), 'path', doc);
    if (name && path && !volumes.has(name)) volumes.set(name, normalize(path));
  }
  if (!volumes.size) return [];
  const out: HostMount[] = [];
  for (const m of seqItems(getSeq(container.node, 'volumeMounts', doc), doc)) {
    if (!isMap(m)) continue;
    const name = getString(m, 'name', doc);
    const host = name ? volumes.get(name) : undefined;
    if (host === undefined) continue;
    const sub = getString(m, 'subPath', doc);
    const hostPath = sub ? normalize(`${host === '/' ? '' : host}/${sub}`) : host;
    out.push({ hostPath, readOnly: scalarValue(findPair(m, 'readOnly', doc)?.value, doc) === true, at: m });
  }
  return out;
}

function capabilitiesAdded(container: Container, object: KubeObject): { value: string; node: Node }[] {
  const doc = object.doc;
  return stringItems(getSeq(getMap(container.securityContext, 'capabilities', doc), 'add', doc), doc).map((c) => ({
    value: c.value.toUpperCase().replace(/^CAP_/, ''),
    node: c.node,
  }));
}

/** Every escape of every container (regular, init and ephemeral) of a workload. */
export function escapesOf(object: KubeObject): Escape[] {
  const pod = object.podSpec();
  if (!pod) return [];
  const doc = object.doc;
  const hostPidPair = findPair(pod.node, 'hostPID', doc);
  const hostPid = scalarValue(hostPidPair?.value, doc) === true;
  const out: Escape[] = [];
  for (const c of pod.containers()) {
    const privilegedPair = findPair(c.securityContext, 'privileged', doc);
    const privileged = scalarValue(privilegedPair?.value, doc) === true;
    const caps = capabilitiesAdded(c, object);
    const cap = (name: string) => caps.find((x) => x.value === name || x.value === 'ALL');
    const label = c.label;
    if (privileged && privilegedPair) {
      out.push({ type: 'CE_PRIV_MOUNT', container: c, at: privilegedPair.value as Node, reason: `${label} runs privileged: it can mount the node's disk` });
      if (hostPid)
        out.push({
          type: 'CE_NSENTER',
          container: c,
          at: privilegedPair.value as Node,
          reason: `${label} runs privileged with hostPID: nsenter into PID 1 is a root shell on the node`,
        });
    } else if (cap('SYS_ADMIN')) {
      out.push({ type: 'CE_PRIV_MOUNT', container: c, at: cap('SYS_ADMIN')!.node, reason: `${label} adds SYS_ADMIN: it can mount the node's disk` });
    }
    if (!privileged && cap('SYS_MODULE'))
      out.push({ type: 'CE_MODULE_LOAD', container: c, at: cap('SYS_MODULE')!.node, reason: `${label} adds SYS_MODULE: it can load a kernel module` });
    if (!privileged && hostPid && cap('SYS_PTRACE'))
      out.push({
        type: 'CE_SYS_PTRACE',
        container: c,
        at: cap('SYS_PTRACE')!.node,
        reason: `${label} adds SYS_PTRACE with hostPID: it can inject code into root processes of the node`,
      });
    for (const m of hostMounts(object, c)) {
      const path = m.hostPath;
      const mode = m.readOnly ? 'read-only' : 'writable';
      if (RUNTIME_SOCKETS.includes(path) || RUNTIME_SOCKET_DIRS.includes(path)) {
        out.push({
          type: 'EXPLOIT_CONTAINERD_SOCK',
          container: c,
          at: m.at,
          reason: `${label} mounts the container runtime socket (${path}): it can start a privileged container on the node`,
        });
        continue;
      }
      if (!m.readOnly && (within(path, '/proc/sys/kernel') || path === '/proc' || path === '/proc/sys')) {
        out.push({
          type: 'CE_UMH_CORE_PATTERN',
          container: c,
          at: m.at,
          reason: `${label} mounts ${path} writable from the host: rewriting core_pattern runs a command as root on the node`,
        });
        continue;
      }
      if (!m.readOnly && within(path, '/var/log')) {
        out.push({
          type: 'CE_VAR_LOG_SYMLINK',
          container: c,
          at: m.at,
          reason: `${label} mounts ${path} writable from the host: a symlink in a pod log directory makes the kubelet read any host file`,
          needsPodLogs: true,
        });
        continue;
      }
      if (!m.readOnly && WRITE_IS_ROOT.some((p) => within(p, path) || path === p)) {
        out.push({
          type: 'EXPLOIT_HOST_WRITE',
          container: c,
          at: m.at,
          reason: `${label} mounts ${path} ${mode} from the host: writing there is root on the node`,
        });
        continue;
      }
      if (READ_IS_ROOT.includes(path))
        out.push({
          type: 'EXPLOIT_HOST_READ',
          container: c,
          at: m.at,
          reason: `${label} mounts ${path} ${mode} from the host: it holds the node's credentials`,
        });
    }
  }
  return out;
}

/** Host directories holding every pod's projected service account token on the node. */
const POD_VOLUMES = ['/var/lib/kubelet/pods'];

/** Mounts of the kubelet's pod volumes: the tokens of every pod on the node can be read there. */
export function tokenDirectoryMounts(object: KubeObject): { container: Container; at: Node; path: string }[] {
  const pod = object.podSpec();
  if (!pod) return [];
  const out: { container: Container; at: Node; path: string }[] = [];
  for (const c of pod.containers())
    for (const m of hostMounts(object, c)) if (POD_VOLUMES.some((p) => within(m.hostPath, p))) out.push({ container: c, at: m.at, path: m.hostPath });
  return out;
}

/** `shareProcessNamespace: true`: every container sees (and, as the same user, can ptrace) the others. */
export function sharesProcessNamespace(object: KubeObject): Node | undefined {
  const pod = object.podSpec();
  if (!pod) return undefined;
  const pair = findPair(pod.node, 'shareProcessNamespace', object.doc);
  return pair && scalarValue(pair.value, object.doc) === true ? (pair.value as Node) : undefined;
}
