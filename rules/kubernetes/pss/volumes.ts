/** Volumes: hostPath (baseline), sensitive host paths, and the restricted level's volume-type list. */
import { isMap, Node, Pair, YAMLMap } from 'yaml';
import { findPair, getString, mapEntries, scalarValue, seqItems } from '../../../server/src/documents/yamlNodes';
import type { Report } from '../../../server/src/engine/rule';
import { pssRule, PssContext, seqOf } from './common';
import { withoutTrailingSlashes } from '../../text';

const PSS_DOCS = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** Volume types the restricted level allows (v1.33+ adds `image`). */
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image'];

export interface VolumeInfo {
  name: string | undefined;
  node: YAMLMap;
  /** The pair naming the volume's type (`hostPath: {...}`), if any. */
  typePair: Pair | undefined;
  type: string | undefined;
}

export function volumesOf(ctx: PssContext): VolumeInfo[] {
  const out: VolumeInfo[] = [];
  for (const item of seqItems(seqOf(ctx.pod.node, 'volumes', ctx.doc), ctx.doc)) {
    if (!isMap(item)) continue;
    const typeEntry = mapEntries(item, ctx.doc).find((e) => e.key !== 'name');
    out.push({ name: getString(item, 'name', ctx.doc), node: item, typePair: typeEntry?.pair, type: typeEntry?.key });
  }
  return out;
}

/** Host paths whose mount hands over the node (sockets, credentials, system folders). */
const SENSITIVE_HOST_PATHS: { re: RegExp; why: string }[] = [
  { re: /^\/$/, why: 'the whole node file system' },
  {
    re: /^\/(var\/)?run\/(docker|containerd\/containerd|crio\/crio|podman\/podman|cri-dockerd)\.sock$|^\/var\/run\/?$|^\/run\/?$|^\/(var\/)?run\/(containerd|crio|docker)\/?$/,
    why: 'the container runtime socket: starting a privileged container on the node takes one API call',
  },
  { re: /^\/etc(\/|$)/, why: 'node configuration, including credentials and /etc/shadow' },
  { re: /^\/proc(\/|$)|^\/sys(\/|$)|^\/dev\/?$/, why: 'kernel interfaces of the node' },
  { re: /^\/root(\/|$)|^\/home\/?$/, why: 'home folders of node users, with their keys' },
  { re: /^\/var\/lib\/kubelet(\/|$)|^\/etc\/kubernetes(\/|$)|^\/var\/lib\/etcd(\/|$)/, why: 'kubelet or control-plane credentials and data' },
  { re: /^\/var\/lib\/(docker|containerd)(\/|$)/, why: "the container runtime's storage (every image and container of the node)" },
  { re: /^\/boot(\/|$)|^\/lib\/modules(\/|$)/, why: 'the node kernel and its modules' },
  { re: /\.aws(\/|$)|\.config\/gcloud|\.azure(\/|$)/, why: 'cloud credentials of the node' },
];

/** Read-mostly node files that pods commonly need and that hold no secrets (CA bundles, time zone). */
const BENIGN_HOST_PATHS = /^\/etc\/(ssl(\/certs)?|pki(\/.*)?|ca-certificates(\/.*)?|localtime|timezone|machine-id)$/;

export function sensitiveHostPath(path: string): string | undefined {
  const normalized = path.length > 1 ? withoutTrailingSlashes(path) : path;
  if (BENIGN_HOST_PATHS.test(normalized)) return undefined;
  return SENSITIVE_HOST_PATHS.find((s) => s.re.test(normalized) || s.re.test(`${normalized}/`))?.why;
}

function hostPathOf(v: VolumeInfo, ctx: PssContext): { path: string | undefined; pathNode: Node | undefined } {
  if (v.type !== 'hostPath' || !v.typePair) return { path: undefined, pathNode: undefined };
  const pair = findPair(v.typePair.value, 'path', ctx.doc);
  const value = pair ? scalarValue(pair.value, ctx.doc) : undefined;
  return { path: typeof value === 'string' ? value : undefined, pathNode: (pair?.value as Node) ?? undefined };
}

export const hostPathVolume = pssRule(
  {
    id: 'host-path-volume',
    title: 'Pod mounts a hostPath volume',
    category: 'host-namespaces',
    severity: 'warning',
    description:
      'A hostPath volume gives the pod a folder of the node. Containers writing there can plant files the node ' +
      "executes or reads; reading can leak other pods' data. Forbidden by the Pod Security Standards baseline. " +
      'Paths that hand over the node outright (`/`, the runtime socket, `/etc`, kubelet credentials) are ' +
      'reported by `sensitive-host-path` instead, as errors.',
    remediation:
      'Use an `emptyDir`, a ConfigMap/Secret or a PersistentVolumeClaim. Node agents that need the host belong in a namespace that allows privileged pods.',
    references: [
      'pss:baseline/hostPathVolumes',
      'trivy:KSV-0023',
      'kubescape:C-0048',
      'polaris:hostPathSet',
      'kube-linter:writable-host-mount',
      'kubescape:C-0045',
    ],
    fixes: [],
    docsUrl: `${PSS_DOCS}#baseline`,
  },
  { level: 'baseline', check: 'hostPathVolumes' },
  (ctx) => {
    const reports: Report[] = [];
    for (const v of volumesOf(ctx)) {
      if (v.type !== 'hostPath') continue;
      const { path } = hostPathOf(v, ctx);
      if (path !== undefined && sensitiveHostPath(path)) continue;
      reports.push({ at: v.typePair!, message: `${ctx.object.label} mounts the node folder ${path ?? '(no path)'} as hostPath volume "${v.name ?? '?'}".` });
    }
    return reports;
  },
);

export const sensitiveHostPathRule = pssRule(
  {
    id: 'sensitive-host-path',
    title: 'Pod mounts a sensitive node path',
    category: 'host-namespaces',
    severity: 'error',
    description:
      'Mounting `/`, the container runtime socket (`/var/run/docker.sock`, containerd, CRI-O), `/etc`, `/proc`, ' +
      'kubelet or etcd data, or cloud credential folders of the node gives the pod control of the node: with the ' +
      'runtime socket, starting a privileged container is one API call. Forbidden by the Pod Security Standards ' +
      'baseline (as any hostPath).',
    remediation: 'Remove the volume. A tool that must talk to the runtime belongs in a dedicated, privileged namespace with its own review.',
    references: [
      'pss:baseline/hostPathVolumes',
      'kube-linter:sensitive-host-mounts',
      'kube-linter:docker-sock',
      'checkov:CKV_K8S_27',
      'trivy:KSV-0006',
      'trivy:KSV-0121',
      'kubescape:C-0074',
      'kubescape:C-0020',
      'kubesec:DockerSock',
      'kubesec:ProcMount',
    ],
    fixes: [],
    docsUrl: 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
  },
  { level: 'baseline', check: 'hostPathVolumes' },
  (ctx) => {
    const reports: Report[] = [];
    for (const v of volumesOf(ctx)) {
      const { path, pathNode } = hostPathOf(v, ctx);
      const why = path !== undefined ? sensitiveHostPath(path) : undefined;
      if (!why) continue;
      reports.push({ at: pathNode ?? v.typePair!, message: `${ctx.object.label} mounts ${path} from the node (${why}).` });
    }
    return reports;
  },
);

export const restrictedVolumeType = pssRule(
  {
    id: 'restricted-volume-type',
    title: 'Pod uses a volume type the restricted level forbids',
    category: 'workload-privileges',
    severity: 'warning',
    description:
      'The Pod Security Standards restricted level allows only configMap, csi, downwardAPI, emptyDir, ephemeral, ' +
      'image, persistentVolumeClaim, projected and secret volumes. Other in-tree types (nfs, iscsi, rbd, ' +
      "gitRepo, ...) mount storage with the node's credentials and bypass the cluster's storage policies; " +
      '`gitRepo` also runs git on the node. hostPath is reported by `host-path-volume`.',
    remediation: 'Use a PersistentVolumeClaim (the storage then goes through a StorageClass an admin controls).',
    references: ['pss:restricted/restrictedVolumes', 'trivy:KSV-0028'],
    fixes: [],
    docsUrl: `${PSS_DOCS}#restricted`,
  },
  { level: 'restricted', check: 'restrictedVolumes' },
  (ctx) =>
    volumesOf(ctx)
      .filter((v) => v.type && v.type !== 'hostPath' && !RESTRICTED_VOLUME_TYPES.includes(v.type))
      .map((v) => ({
        at: v.typePair!,
        message: `${ctx.object.label} uses a ${v.type} volume ("${v.name ?? '?'}"), which the restricted level does not allow.`,
      })),
);
