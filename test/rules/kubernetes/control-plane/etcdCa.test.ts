/**
 * `etcd-unique-ca` (CIS 2.7): etcd's trusted CA compared with the API server's client CA, within one
 * kubeadm ClusterConfiguration (both extraArgs forms, kubeadm's defaults for a side left out) and
 * between an etcd static pod and the kube-apiserver static pods of other files.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lintWith, RuleTester } from '../../../../rules/tester';
import { etcdUniqueCa, normaliseCaPath } from '../../../../rules/kubernetes/control-plane/etcdCa';
import { REPO_ROOT } from '../../../support/paths';
import { podInline, podScript, podSeparate } from './forms';

const DEFAULTS = path.join(REPO_ROOT, 'test', 'rules', 'kubernetes', 'control-plane', 'kubeadm-defaults');
const generated = (file: string) => fs.readFileSync(path.join(DEFAULTS, file), 'utf8');

/** A v1beta3 ClusterConfiguration with extraArgs maps for etcd and the API server (none when empty). */
function kubeadmMapBoth(etcd: Record<string, string>, api: Record<string, string>, extra = ''): string {
  const map = (args: Record<string, string>, indent: string) =>
    Object.keys(args).length
      ? `${indent}extraArgs:\n${Object.entries(args)
          .map(([k, v]) => `${indent}  ${k}: ${v}\n`)
          .join('')}`
      : `${indent}dataDir: /var/lib/etcd\n`;
  return (
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.30.0\n' +
    extra +
    'etcd:\n  local:\n' +
    map(etcd, '    ') +
    'apiServer:\n' +
    (Object.keys(api).length ? map(api, '  ') : '  certSANs: [cp.example.com]\n')
  );
}

/** The same in v1beta4's list of name/value. */
function kubeadmListBoth(etcd: Record<string, string>, api: Record<string, string>): string {
  const list = (args: Record<string, string>, indent: string) =>
    `${indent}extraArgs:\n${Object.entries(args)
      .map(([k, v]) => `${indent}- name: ${k}\n${indent}  value: ${v}\n`)
      .join('')}`;
  return (
    'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.31.0\n' +
    'etcd:\n  local:\n' +
    list(etcd, '    ') +
    'apiServer:\n' +
    list(api, '  ')
  );
}

const CA = '/etc/kubernetes/pki/ca.crt';
const ETCD_CA = '/etc/kubernetes/pki/etcd/ca.crt';
const APISERVER = (ca = CA) =>
  podInline('kube-apiserver', [
    ['authorization-mode', 'Node,RBAC'],
    ['client-ca-file', ca],
  ]);
const MANIFESTS = '/etc/kubernetes/manifests';
const ETCD_PATH = `${MANIFESTS}/etcd.yaml`;
const API_FILES = (ca = CA) => ({ [`${MANIFESTS}/kube-apiserver.yaml`]: APISERVER(ca) });

/** An application's etcd (vitess, apisix): a StatefulSet outside kube-system. */
const APP_ETCD = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: etcd, namespace: vitess}\nspec:\n  serviceName: etcd\n  template:\n    spec:\n      containers:\n      - name: etcd\n        image: quay.io/coreos/etcd:v3.5.9\n        command: [etcd, --trusted-ca-file=${CA}]\n`;

RuleTester.run(etcdUniqueCa, {
  valid: [
    { name: "kubeadm's defaults: etcd/ca.crt and ca.crt differ", code: kubeadmMapBoth({}, {}) },
    { name: 'kubeadm: etcd set to its own CA, API server at the default', code: kubeadmMapBoth({ 'trusted-ca-file': ETCD_CA }, {}) },
    {
      name: 'kubeadm: both set, different files',
      code: kubeadmMapBoth({ 'trusted-ca-file': '/pki/etcd-ca.crt', 'peer-trusted-ca-file': '/pki/etcd-ca.crt' }, { 'client-ca-file': '/pki/ca.crt' }),
    },
    {
      name: 'kubeadm: a custom certificatesDir moves both defaults',
      code: kubeadmMapBoth({ 'trusted-ca-file': CA }, {}, 'certificatesDir: /srv/pki\n'),
    },
    {
      name: 'static pods: kubeadm-generated files (distinct CAs)',
      path: ETCD_PATH,
      code: podInline('etcd', [
        ['trusted-ca-file', ETCD_CA],
        ['peer-trusted-ca-file', ETCD_CA],
      ]),
      files: API_FILES(),
    },
    {
      name: "kubeadm's generated etcd.yaml beside its kube-apiserver.yaml (kubeadm-defaults/)",
      path: ETCD_PATH,
      code: generated('etcd.yaml'),
      files: { [`${MANIFESTS}/kube-apiserver.yaml`]: generated('kube-apiserver.yaml') },
    },
    {
      name: 'k3s/RKE2 config.yaml: etcd-arg and kube-apiserver-arg name different files',
      path: 'rancher/rke2/config.yaml',
      code: `etcd-arg:\n  - trusted-ca-file=/pki/etcd-ca.crt\nkube-apiserver-arg:\n  - client-ca-file=${CA}\n`,
    },
    { name: 'only etcd present, no API server in the workspace', path: ETCD_PATH, code: podInline('etcd', [['trusted-ca-file', CA]]) },
    {
      name: 'the API server sets no --client-ca-file (its default is none)',
      path: ETCD_PATH,
      code: podInline('etcd', [['trusted-ca-file', CA]]),
      files: { [`${MANIFESTS}/kube-apiserver.yaml`]: podInline('kube-apiserver', [['authorization-mode', 'Node,RBAC']]) },
    },
    {
      name: 'etcd sets no --trusted-ca-file (its default is none)',
      path: ETCD_PATH,
      code: podInline('etcd', [['client-cert-auth', 'true']]),
      files: API_FILES(),
    },
    {
      name: 'the API server alone is not judged',
      path: `${MANIFESTS}/kube-apiserver.yaml`,
      code: APISERVER(),
      files: { [ETCD_PATH]: podInline('etcd', [['trusted-ca-file', CA]]) },
    },
    { name: "an application's etcd outside kube-system", path: 'vitess/etcd.yaml', code: APP_ETCD, files: { 'cp/kube-apiserver.yaml': APISERVER() } },
    {
      name: 'the API server of the same folder wins over one elsewhere',
      path: ETCD_PATH,
      code: podInline('etcd', [['trusted-ca-file', CA]]),
      files: { [`${MANIFESTS}/kube-apiserver.yaml`]: APISERVER('/etc/kubernetes/pki/client-ca.crt'), 'other-cluster/kube-apiserver.yaml': APISERVER() },
    },
  ],
  invalid: [
    {
      name: 'kubeadm map form: both extraArgs name the same file',
      code: kubeadmMapBoth({ 'trusted-ca-file': CA }, { 'client-ca-file': CA }),
      errors: [
        {
          text: `trusted-ca-file: ${CA}`,
          message:
            `etcd in ClusterConfiguration (etcd.local.extraArgs) sets --trusted-ca-file=${CA}, the CA kube-apiserver trusts for client certificates: ` +
            `kube-apiserver in ClusterConfiguration (apiServer.extraArgs) (manifest.yaml) sets --client-ca-file=${CA}. ` +
            "etcd accepts every client certificate that CA signs (each kubelet's, each user's), and any such client can read and write the whole cluster state, Secrets included.",
        },
      ],
    },
    {
      name: "kubeadm map form: etcd set to the cluster CA, the API server at kubeadm's default",
      code: kubeadmMapBoth({ 'peer-trusted-ca-file': CA }, {}),
      errors: [
        {
          text: `peer-trusted-ca-file: ${CA}`,
          message: /leaves --client-ca-file at kubeadm's default, \/etc\/kubernetes\/pki\/ca\.crt\. etcd accepts as a peer/,
        },
      ],
    },
    {
      name: "kubeadm: etcd at kubeadm's default, the API server trusting etcd's CA for clients (both etcd flags)",
      code: kubeadmMapBoth({}, { 'client-ca-file': ETCD_CA }),
      errors: [
        {
          text: 'local:\n    dataDir: /var/lib/etcd',
          message:
            /^etcd in ClusterConfiguration \(etcd\.local\.extraArgs\) leaves --trusted-ca-file at kubeadm's default, \/etc\/kubernetes\/pki\/etcd\/ca\.crt, the CA/,
        },
        { text: 'local:\n    dataDir: /var/lib/etcd', message: /leaves --peer-trusted-ca-file at kubeadm's default/ },
      ],
    },
    {
      name: "kubeadm: the API server's default follows certificatesDir",
      code: kubeadmMapBoth({ 'trusted-ca-file': '/srv/pki/ca.crt' }, {}, 'certificatesDir: /srv/pki/\n'),
      errors: [{ text: 'trusted-ca-file: /srv/pki/ca.crt', message: /leaves --client-ca-file at kubeadm's default, \/srv\/pki\/ca\.crt\. etcd accepts/ }],
    },
    {
      name: 'Cluster API KubeadmControlPlane',
      code:
        'apiVersion: controlplane.cluster.x-k8s.io/v1beta1\nkind: KubeadmControlPlane\nmetadata: {name: cp}\nspec:\n  version: v1.30.0\n  kubeadmConfigSpec:\n' +
        `    clusterConfiguration:\n      etcd:\n        local:\n          extraArgs:\n            trusted-ca-file: ${CA}\n`,
      errors: [
        {
          text: `trusted-ca-file: ${CA}`,
          message: /KubeadmControlPlane\/cp .* leaves --client-ca-file at kubeadm's default, \/etc\/kubernetes\/pki\/ca\.crt\./,
        },
      ],
    },
    {
      name: 'kubeadm v1beta4 list form, paths written differently',
      code: kubeadmListBoth({ 'trusted-ca-file': '/etc/kubernetes//pki/./ca.crt', 'peer-trusted-ca-file': CA }, { 'client-ca-file': CA }),
      errors: [
        {
          text: 'name: trusted-ca-file\n      value: /etc/kubernetes//pki/./ca.crt',
          message: /sets --trusted-ca-file=\/etc\/kubernetes\/\/pki\/\.\/ca\.crt, the CA/,
        },
        { text: `name: peer-trusted-ca-file\n      value: ${CA}`, message: /sets --peer-trusted-ca-file=/ },
      ],
    },
    {
      name: 'k3s/RKE2 config.yaml: etcd-arg and kube-apiserver-arg name the same file',
      path: 'rancher/rke2/config.yaml',
      code: `etcd-arg:\n  - trusted-ca-file=${CA}\nkube-apiserver-arg:\n  - client-ca-file=${CA}\n`,
      errors: [{ message: /^etcd in .* sets --trusted-ca-file=\/etc\/kubernetes\/pki\/ca\.crt, the CA kube-apiserver trusts/ }],
    },
    {
      name: 'static pods in two files: --flag=value',
      path: ETCD_PATH,
      code: podInline('etcd', [
        ['cert-file', '/etc/kubernetes/pki/etcd/server.crt'],
        ['trusted-ca-file', CA],
      ]),
      files: API_FILES(),
      errors: [
        {
          text: `--trusted-ca-file=${CA}`,
          message:
            `etcd in Pod/etcd sets --trusted-ca-file=${CA}, the CA kube-apiserver trusts for client certificates: ` +
            `kube-apiserver in Pod/kube-apiserver (kube-apiserver.yaml) sets --client-ca-file=${CA}. ` +
            "etcd accepts every client certificate that CA signs (each kubelet's, each user's), and any such client can read and write the whole cluster state, Secrets included.",
        },
      ],
    },
    {
      name: 'static pods: --flag value form, trailing slash on the other side',
      path: ETCD_PATH,
      code: podSeparate('etcd', [['trusted-ca-file', CA]]),
      files: API_FILES(`${CA}/`),
      errors: [{ text: `--trusted-ca-file\n    - ${CA}` }],
    },
    {
      name: 'static pods: sh -c form on both sides',
      path: ETCD_PATH,
      code: podScript('etcd', [
        ['data-dir', '/var/lib/etcd'],
        ['trusted-ca-file', CA],
      ]),
      files: { [`${MANIFESTS}/kube-apiserver.yaml`]: podScript('kube-apiserver', [['client-ca-file', CA]]) },
      errors: [{ text: `--trusted-ca-file=${CA}` }],
    },
    {
      name: 'static pods: --peer-trusted-ca-file the same',
      path: ETCD_PATH,
      code: podInline('etcd', [
        ['trusted-ca-file', ETCD_CA],
        ['peer-trusted-ca-file', CA],
      ]),
      files: API_FILES(),
      errors: [{ text: `--peer-trusted-ca-file=${CA}`, message: /etcd accepts as a peer anyone holding a certificate that CA signs/ }],
    },
  ],
});

describe('etcd-unique-ca details', () => {
  it('the finding points at the API server flag in the other file', () => {
    const api = podScript('kube-apiserver', [['client-ca-file', CA]]);
    const [finding] = lintWith(etcdUniqueCa, {
      path: ETCD_PATH,
      code: podInline('etcd', [['trusted-ca-file', CA]]),
      files: { [`${MANIFESTS}/kube-apiserver.yaml`]: `# generated\n---\n${api}` },
    }).filter((f) => f.ruleId === 'etcd-unique-ca');
    assert.ok(finding, 'a finding');
    assert.equal(finding.related?.length, 1);
    const rel = finding.related![0];
    assert.equal(rel.path, `${MANIFESTS}/kube-apiserver.yaml`);
    const text = `# generated\n---\n${api}`;
    assert.equal(text.slice(rel.start, rel.end), `--client-ca-file=${CA}`);
    assert.equal(rel.message, `kube-apiserver in Pod/kube-apiserver sets --client-ca-file=${CA}`);
  });
  it('normalises paths as the components open them', () => {
    assert.equal(normaliseCaPath('./pki//ca.crt'), 'pki/ca.crt');
    assert.equal(normaliseCaPath('/etc/kubernetes/pki/'), '/etc/kubernetes/pki');
    assert.equal(normaliseCaPath(' /a/../b/ca.crt '), '/b/ca.crt');
    assert.equal(normaliseCaPath(''), '');
    assert.equal(normaliseCaPath('/'), '/');
  });
});
