/** Service account tokens and namespaces of workloads. */
import type { Node } from 'yaml';
import { findPair, getString, scalarValue } from '../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../server/src/engine/rule';

export const automountServiceAccountToken: KubernetesRule = {
  id: 'automount-service-account-token',
  language: 'kubernetes',
  title: 'Service account token mounted into the pod',
  category: 'service-accounts',
  severity: 'info',
  description:
    'Unless `automountServiceAccountToken: false`, every container gets a token for the pod\'s service account ' +
    'at /var/run/secrets/kubernetes.io/serviceaccount. An intruder in any container uses it to talk to the API ' +
    'server with that account\'s rights. Most applications never call the API. Off by default, since controllers ' +
    'and operators need the token.',
  remediation: 'Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount) for workloads that do not call the Kubernetes API.',
  references: ['checkov:CKV_K8S_38', 'kubescape:C-0034', 'cis-k8s:5.1.6'],
  fixes: [{ title: 'Set automountServiceAccountToken: false', applicability: 'unsafe' }],
  recommended: false,
  kinds: 'workloads',
  check(ctx) {
    const pod = ctx.object.podSpec();
    if (!pod) return;
    const doc = ctx.object.doc;
    const pair = findPair(pod.node, 'automountServiceAccountToken', doc);
    if (pair && scalarValue(pair.value, doc) === false) return;
    ctx.report({
      at: pair ?? findPair(pod.node, 'serviceAccountName', doc) ?? pod.containers()[0]?.anchor ?? ctx.object.anchor,
      message: `${ctx.object.label} mounts a service account token into its containers.`,
      fixes: [{ title: 'Set automountServiceAccountToken: false', applicability: 'unsafe', edits: () => [pair ? ctx.edit.replace(pair.value as Node, 'false') : ctx.edit.insertPair(pod.node, 'automountServiceAccountToken', false)] }],
    });
  },
};

export const defaultServiceAccount: KubernetesRule = {
  id: 'default-service-account',
  language: 'kubernetes',
  title: 'Pod runs as the namespace\'s default service account',
  category: 'service-accounts',
  severity: 'info',
  description:
    'Pods that name no service account run as `default`, which every other such pod in the namespace shares: ' +
    'any role bound to it is granted to all of them. A dedicated service account per workload keeps rights ' +
    'separate. Off by default.',
  remediation: 'Create a ServiceAccount for the workload and set `serviceAccountName`.',
  references: ['kube-linter:default-service-account', 'checkov:CKV_K8S_41', 'kubescape:C-0189', 'cis-k8s:5.1.5'],
  fixes: [],
  recommended: false,
  kinds: 'workloads',
  check(ctx) {
    const pod = ctx.object.podSpec();
    if (!pod) return;
    const doc = ctx.object.doc;
    const name = getString(pod.node, 'serviceAccountName', doc) ?? getString(pod.node, 'serviceAccount', doc);
    if (name && name !== 'default') return;
    const pair = findPair(pod.node, 'serviceAccountName', doc) ?? findPair(pod.node, 'serviceAccount', doc);
    ctx.report({ at: pair ?? pod.containers()[0]?.anchor ?? ctx.object.anchor, message: `${ctx.object.label} runs as the default service account.` });
  },
};

export const defaultNamespace: KubernetesRule = {
  id: 'default-namespace',
  language: 'kubernetes',
  title: 'Workload placed in the default namespace',
  category: 'reliability',
  severity: 'info',
  description:
    'The `default` namespace usually has no Pod Security labels, quotas or NetworkPolicies, and everything dumped ' +
    'there shares them. Only an explicit `namespace: default` is reported: manifests without a namespace get one ' +
    'at deploy time. Off by default.',
  remediation: 'Deploy into a dedicated namespace.',
  references: ['checkov:CKV_K8S_21', 'kubescape:C-0061'],
  fixes: [],
  recommended: false,
  kinds: 'workloads',
  check(ctx) {
    const pair = findPair(ctx.object.metadata, 'namespace', ctx.object.doc);
    if (pair && scalarValue(pair.value, ctx.object.doc) === 'default') ctx.report({ at: pair, message: `${ctx.object.label} is in the default namespace.` });
  },
};
