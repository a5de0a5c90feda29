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
    "Unless `automountServiceAccountToken: false`, every container gets a token for the pod's service account " +
    'at /var/run/secrets/kubernetes.io/serviceaccount. An intruder in any container uses it to talk to the API ' +
    "server with that account's rights. Most applications never call the API. Off by default, since controllers " +
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
      fixes: [
        {
          title: 'Set automountServiceAccountToken: false',
          applicability: 'unsafe',
          edits: () => [pair ? ctx.edit.replace(pair.value as Node, 'false') : ctx.edit.insertPair(pod.node, 'automountServiceAccountToken', false)],
        },
      ],
    });
  },
};

export const defaultServiceAccount: KubernetesRule = {
  id: 'default-service-account',
  language: 'kubernetes',
  title: "Pod runs as the namespace's default service account",
  category: 'service-accounts',
  severity: 'info',
  description:
    'Pods that name no service account run as `default`, which every other such pod in the namespace shares: ' +
    'any role bound to it is granted to all of them. A dedicated service account per workload keeps rights ' +
    'separate. Off by default.',
  remediation: 'Create a ServiceAccount for the workload and set `serviceAccountName`.',
  // Checkov CKV_K8S_41 and Kubescape C-0189 look at the `default` ServiceAccount object itself:
  // default-service-account-automount.
  references: ['kube-linter:default-service-account', 'cis-k8s:5.1.5'],
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

export const defaultServiceAccountAutomount: KubernetesRule = {
  id: 'default-service-account-automount',
  language: 'kubernetes',
  title: 'The default ServiceAccount mounts its token into pods',
  category: 'service-accounts',
  severity: 'info',
  description:
    'Every namespace has a `default` ServiceAccount, and every pod that names no other runs as it. Unless the ' +
    'ServiceAccount sets `automountServiceAccountToken: false`, each of those pods gets its token mounted, so ' +
    'an intruder in any of them can call the API server with whatever rights someone later binds to ' +
    '`default`. Reported on a `default` ServiceAccount object (in any namespace) that does not set it to false; ' +
    'pods that need a token should run as their own ServiceAccount.',
  remediation: 'Set `automountServiceAccountToken: false` on the `default` ServiceAccount, and give workloads that call the API their own ServiceAccount.',
  references: ['checkov:CKV_K8S_41', 'kubescape:C-0189', 'cis-k8s:5.1.5'],
  // Unsafe: a pod that runs as `default` and calls the API loses its token unless its spec asks for one.
  fixes: [{ title: 'Set automountServiceAccountToken: false', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
  kinds: ['ServiceAccount'],
  check(ctx) {
    const doc = ctx.object.doc;
    // Only the name the API server uses: a generateName never yields `default`.
    const namePair = findPair(ctx.object.metadata, 'name', doc);
    if (!namePair || scalarValue(namePair.value, doc) !== 'default') return;
    const pair = findPair(ctx.object.node, 'automountServiceAccountToken', doc);
    if (pair && scalarValue(pair.value, doc) === false) return;
    const node = ctx.object.node;
    ctx.report({
      at: pair ?? namePair,
      message: pair
        ? `ServiceAccount/default sets automountServiceAccountToken: ${String(scalarValue(pair.value, doc))}, so every pod in its namespace that names no service account gets a token.`
        : 'ServiceAccount/default does not set automountServiceAccountToken: false, so every pod in its namespace that names no service account gets a token.',
      fixes: [
        {
          title: 'Set automountServiceAccountToken: false',
          applicability: 'unsafe',
          edits: () => [pair ? ctx.edit.replace(pair.value as Node, 'false') : ctx.edit.insertPair(node, 'automountServiceAccountToken', false)],
        },
      ],
    });
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
