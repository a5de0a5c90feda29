/**
 * CIS 2.7: etcd must not trust the CA the API server trusts for client certificates. Two settings of
 * two components are compared: within one object (a kubeadm ClusterConfiguration, Cluster API, a
 * k3s/RKE2 config.yaml), or an etcd static pod against the kube-apiserver static pods of the
 * workspace (those in the same folder when there are any, as in /etc/kubernetes/manifests).
 */
import * as pathLib from 'node:path';
import { getSeq, spanOf, type Span } from '../../../server/src/documents/yamlNodes';
import type { KubeRuleContext, KubernetesRule, RelatedLocation, Target } from '../../../server/src/engine/rule';
import type { IndexedObject } from '../../../server/src/engine/workspaceIndex';
import { containerArgv, flagOccurrences } from './args';
import { CONTROL_PLANE_KINDS } from './flagRule';
import { ComponentSource, componentOf, componentSources, kubeadmCertificatesDir } from './sources';

const DOCS = 'https://etcd.io/docs/latest/op-guide/security/';

/** etcd's flags naming the CA it trusts, and what trusting the cluster CA there lets in. */
const ETCD_CA_FLAGS: readonly { flag: string; kubeadmFile: string; lets: string }[] = [
  {
    flag: 'trusted-ca-file',
    kubeadmFile: 'etcd/ca.crt',
    lets: "etcd accepts every client certificate that CA signs (each kubelet's, each user's), and any such client can read and write the whole cluster state, Secrets included.",
  },
  {
    flag: 'peer-trusted-ca-file',
    kubeadmFile: 'etcd/ca.crt',
    lets: 'etcd accepts as a peer anyone holding a certificate that CA signs (each kubelet, each user), who can then join the etcd cluster and receive its data.',
  },
];

/** A path as the components open it: `./`, `//`, `..` and a trailing slash do not make another file. */
export function normaliseCaPath(path: string): string {
  const trimmed = path.trim();
  if (!trimmed) return '';
  const n = pathLib.posix.normalize(trimmed);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** The API server's `--client-ca-file` as one source states it (or kubeadm writes it). */
interface ClientCa {
  readonly value: string;
  /** `sets --client-ca-file=…` or `leaves --client-ca-file at kubeadm's default, …`. */
  readonly state: string;
  readonly label: string;
  readonly file: string;
  readonly related?: RelatedLocation;
}

function effectiveSetting(source: ComponentSource, flag: string, kubeadmDir: string | undefined, kubeadmFile: string) {
  const occ = source.read({ flag, type: 'string' });
  if (occ.length) {
    const last = occ[occ.length - 1];
    return { value: last.value, at: last.at, state: `sets --${flag}=${last.value}` };
  }
  // Unset: only kubeadm writes a value of its own; a component's own default is no CA at all.
  if (source.form === 'kubeadm' && source.absent === 'kubeadm' && kubeadmDir !== undefined) {
    const value = pathLib.posix.join(kubeadmDir, kubeadmFile);
    return { value, at: source.anchor, state: `leaves --${flag} at kubeadm's default, ${value}` };
  }
  return undefined;
}

/** The kube-apiserver static pods of other documents, with their `--client-ca-file`. */
function apiServerPods(ctx: KubeRuleContext): ClientCa[] {
  const apiServers = ctx.workspace.objects('Pod').filter(isApiServerPod);
  const dir = pathLib.dirname(ctx.filePath);
  const near = apiServers.filter((o) => pathLib.dirname(o.path) === dir);
  const out: ClientCa[] = [];
  const texts = new Map<string, string | undefined>();
  for (const indexed of near.length ? near : apiServers) {
    const object = indexed.object;
    const pod = object.podSpec();
    if (!pod) continue;
    if (!texts.has(indexed.path)) texts.set(indexed.path, ctx.readFile?.(indexed.path));
    // The document's own text places words of `sh -c` scripts; without it they go unplaced.
    const docText = texts.get(indexed.path)?.slice(indexed.documentStart) ?? '';
    for (const container of pod.containers(['containers', 'initContainers'])) {
      const argv = containerArgv(container, object.doc, docText);
      if (componentOf(argv, container.image, !!getSeq(container.node, 'command', object.doc)) !== 'kube-apiserver') continue;
      const occ = flagOccurrences(argv, 'client-ca-file', 'string', false);
      if (!occ.length) continue;
      const last = occ[occ.length - 1];
      const file = pathLib.basename(indexed.path);
      const state = `sets --client-ca-file=${last.value}`;
      out.push({
        value: last.value,
        state,
        label: `kube-apiserver in ${object.label}`,
        file,
        related: relatedAt(indexed, last.span ?? spanOf(last.fallback), `kube-apiserver in ${object.label} ${state}`),
      });
    }
  }
  return out;
}

function isApiServerPod(indexed: IndexedObject): boolean {
  const pod = indexed.object.podSpec();
  if (!pod) return false;
  return pod.containers(['containers', 'initContainers']).some((c) => {
    const argv = containerArgv(c, indexed.object.doc, '');
    return componentOf(argv, c.image, !!getSeq(c.node, 'command', indexed.object.doc)) === 'kube-apiserver';
  });
}

function relatedAt(indexed: IndexedObject, span: Span | undefined, message: string): RelatedLocation {
  const s = span ?? spanOf(indexed.object.anchor) ?? { start: 0, end: 0 };
  return { path: indexed.path, start: indexed.documentStart + s.start, end: indexed.documentStart + Math.max(s.start, s.end), message };
}

function isClusterEtcd(source: ComponentSource): boolean {
  // An application's etcd (a StatefulSet outside kube-system) has nothing to do with the API server.
  return source.component === 'etcd' && source.absent !== 'ignore';
}

export const etcdUniqueCa: KubernetesRule = {
  id: 'etcd-unique-ca',
  title: 'etcd trusts the cluster CA for clients',
  category: 'control-plane',
  severity: 'warning',
  description:
    "etcd's `--trusted-ca-file` (clients) and `--peer-trusted-ca-file` (peers) are compared with the API server's " +
    '`--client-ca-file`. When they name the same file, every certificate the cluster CA signs (each kubelet, each ' +
    'user, each controller) is accepted by etcd, which holds the whole cluster state, Secrets included: etcd needs a CA ' +
    'of its own. Compared within one kubeadm `ClusterConfiguration` (map and v1beta4 list forms, Cluster API included; ' +
    "a side left out has kubeadm's default, `<certificatesDir>/etcd/ca.crt` for etcd and `<certificatesDir>/ca.crt` " +
    'for the API server, which differ) or one k3s/RKE2 `config.yaml`, and between an etcd static pod and the ' +
    'kube-apiserver static pods of the workspace (those of the same folder when it has any). Paths are compared ' +
    'normalised (`./`, `//`, a trailing slash); a static pod that does not set the flag is not judged. Not reported for an ' +
    "application's etcd (outside kube-system). The file names are compared, not the certificates: two copies of one CA " +
    'under different names are not seen.',
  remediation:
    "Issue a separate CA for etcd (kubeadm's `etcd/ca.crt`), sign etcd's server, peer and client certificates with it, " +
    "and point `--trusted-ca-file`, `--peer-trusted-ca-file` and the API server's `--etcd-cafile` at it.",
  references: ['cis-k8s:2.7', 'kubescape:C-0159'],
  fixes: [],
  recommended: true,
  docsUrl: DOCS,
  language: 'kubernetes',
  kinds: CONTROL_PLANE_KINDS,
  scope: 'workspace',
  reads: ['Pod'],
  check(ctx) {
    const sources = componentSources(ctx.object, ctx.text, ctx.edit, { filePath: ctx.filePath });
    const etcds = sources.filter(isClusterEtcd);
    if (!etcds.length) return;
    const kubeadmDir = kubeadmCertificatesDir(ctx.object);
    const file = pathLib.basename(ctx.filePath);
    const inObject = sources.filter((s) => s.component === 'kube-apiserver');
    let clientCas: ClientCa[] = [];
    for (const api of inObject) {
      const setting = effectiveSetting(api, 'client-ca-file', kubeadmDir, 'ca.crt');
      if (setting) clientCas.push({ value: setting.value, state: setting.state, label: api.label, file });
    }
    // A static pod's API server is another static pod, in another document.
    if (!inObject.length && etcds.some((s) => s.form === 'static-pod')) clientCas = apiServerPods(ctx);
    if (!clientCas.length) return;
    for (const etcd of etcds) {
      for (const { flag, kubeadmFile, lets } of ETCD_CA_FLAGS) {
        const setting = effectiveSetting(etcd, flag, kubeadmDir, kubeadmFile);
        if (!setting) continue;
        const path = normaliseCaPath(setting.value);
        if (!path) continue;
        const same = clientCas.filter((c) => normaliseCaPath(c.value) === path);
        if (!same.length) continue;
        const api = same[0];
        const others = same.length > 1 ? ` (and ${same.length - 1} more API server${same.length > 2 ? 's' : ''})` : '';
        ctx.report({
          at: setting.at as Target,
          message:
            `${etcd.label} ${setting.state}, the CA kube-apiserver trusts for client certificates: ${api.label} (${api.file}) ` +
            `${api.state}${others}. ${lets}`,
          related: same.flatMap((c) => (c.related ? [c.related] : [])).slice(0, 5),
        });
      }
    }
  },
};
