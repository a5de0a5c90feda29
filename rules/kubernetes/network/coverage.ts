/** NetworkPolicy coverage: namespaces with workloads and no policy; pods no policy isolates. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import type { NetworkPolicyInfo, PodTemplate } from '../../../server/src/model/workspaceModel';
import { sameObject, WorkspaceModel } from '../../../server/src/model/workspaceModel';
import { WORKLOAD_KINDS } from '../../../server/src/documents/kube';
import { incompleteChart, modelOf, namespaceName, NETWORK, related, where, whereAll } from './common';

function defaultDeny(namespace: string): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: default-deny',
    ...(namespace ? [`  namespace: ${/^[a-z0-9-]+$/.test(namespace) ? namespace : JSON.stringify(namespace)}`] : []),
    'spec:',
    '  podSelector: {}',
    '  policyTypes:',
    '  - Ingress',
    '  - Egress',
    '',
  ].join('\n');
}

export const namespaceWithoutNetworkPolicy: KubernetesRule = {
  ...NETWORK,
  id: 'namespace-without-networkpolicy',
  language: 'kubernetes',
  title: 'Namespace with workloads and no NetworkPolicy',
  severity: 'warning',
  description:
    'Kubernetes is a flat network until NetworkPolicies say otherwise: in a namespace without any, every pod accepts ' +
    'connections from every pod of the cluster and reaches every other, so one compromised container reaches ' +
    'everything sideways. Reported once per namespace of the workspace that holds workloads and no NetworkPolicy: on ' +
    'its Namespace object when the workspace has one (with a fix that adds a default-deny policy after it), ' +
    "otherwise on each workload of the namespace (a workload's lint then depends only on Namespaces and " +
    'NetworkPolicies, not on every other workload). Documents without `metadata.namespace` form one unnamed namespace. ' +
    'Pods on the host network (`hostNetwork: true`) do not count: NetworkPolicies do not apply to them.',
  remediation:
    'Add a default-deny NetworkPolicy (`podSelector: {}`, `policyTypes: [Ingress, Egress]`) to the namespace, then ' +
    'policies that allow what each workload needs (DNS egress included).',
  references: ['kubescape:C-0049', 'kubescape:C-0054', 'kubescape:C-0206'],
  fixes: [{ title: 'Add a default-deny NetworkPolicy for the namespace', applicability: 'unsafe' }],
  recommended: true,
  // Not `all`: that would parse every document of every file (CRD schemas included) for one rule.
  kinds: [...WORKLOAD_KINDS, 'Namespace'],
  scope: 'workspace',
  reads: ['workloads', 'NetworkPolicy', 'Namespace'],
  check(ctx) {
    const model = modelOf(ctx);
    if (incompleteChart(ctx)) return;
    const nsObject = WorkspaceModel.namespaceOf(ctx.object, ctx.filePath);
    if (!nsObject) {
      // A workload: reported here only when its namespace has no Namespace object to carry the finding.
      // Reads Namespaces and NetworkPolicies only, so editing another workload does not re-lint this one.
      const pod = WorkspaceModel.podOf(ctx.object, ctx.filePath);
      // A hostNetwork pod is the node's network: no NetworkPolicy selects it (static control-plane pods).
      if (!pod || pod.hostNetwork) return;
      const ns = pod.ref.namespace;
      // Linted outside any workspace (stdin, a lone file): nothing is known about the namespace.
      if (!model.hasPods(ns)) return;
      if ((ns && model.namespaceObject(ns)) || model.policies(ns).length) return;
      ctx.report({
        at: ctx.object.anchor,
        message: `${namespaceName(ns)} has no NetworkPolicy in the workspace: ${ctx.object.label} accepts connections from, and reaches, every pod of the cluster.`,
      });
      return;
    }
    const ns = nsObject.name;
    const first = model.namespaceObject(ns);
    if (!first || !sameObject(first.ref, ctx.filePath, ctx.object)) return;
    const pods = model.pods(ns).filter((p) => !p.hostNetwork);
    if (!pods.length || model.policies(ns).length) return;
    const text = ctx.text;
    ctx.report({
      at: ctx.object.anchor,
      message: `${namespaceName(ns)} holds ${pods.length === 1 ? 'a workload' : `${pods.length} workloads`} (${whereAll(pods.map((p) => p.ref))}) and no NetworkPolicy: every pod in it accepts connections from, and reaches, every pod of the cluster.`,
      related: pods.slice(0, 3).map((p) => related(p.ref, p.ref.object.anchor, `${p.ref.object.label} is not isolated`)),
      fixes: [
        {
          title: `Add a default-deny NetworkPolicy for ${ns ? `namespace "${ns}"` : 'the namespace'} (after this document)`,
          applicability: 'unsafe',
          edits: () => {
            // Chunks of a multi-document file end with the next `---` line; the last one may lack a line break.
            const endsWithSeparator = /(^|\n)---[ \t]*\r?\n?$/.test(text);
            const eol = text.includes('\r\n') ? '\r\n' : '\n';
            const policy = defaultDeny(ns).split('\n').join(eol);
            if (endsWithSeparator) return [{ start: text.length, end: text.length, newText: `${policy}---${eol}` }];
            const lead = text.length === 0 || text.endsWith('\n') ? '' : eol;
            return [{ start: text.length, end: text.length, newText: `${lead}---${eol}${policy}` }];
          },
        },
      ],
    });
  },
};

function isolation(direction: 'ingress' | 'egress'): KubernetesRule {
  const ingress = direction === 'ingress';
  return {
    ...NETWORK,
    id: `pod-not-isolated-${direction}`,
    language: 'kubernetes',
    title: `Workload selected by no ${direction} NetworkPolicy`,
    severity: ingress ? 'warning' : 'info',
    description:
      `In a namespace that has NetworkPolicies, a pod that no policy of type \`${ingress ? 'Ingress' : 'Egress'}\` selects is ` +
      `not isolated for ${direction}: ${ingress ? 'every pod of the cluster can connect to it' : 'it can connect anywhere, including the cloud metadata address'}, ` +
      "whatever the other policies say. Usually a label that drifted from the policy's `podSelector`. Pods with " +
      '`hostNetwork` are not reported (policies do not apply to them). A namespace without any policy is reported ' +
      `once by \`namespace-without-networkpolicy\` instead.${ingress ? '' : ' Egress isolation is rarer and off by default.'}`,
    remediation: `Add the pod's labels to a policy's \`podSelector\`, or add a default-deny ${ingress ? 'ingress' : 'egress'} policy (\`podSelector: {}\`).`,
    references: ingress
      ? [
          'kube-linter:non-isolated-pod',
          'checkov:CKV2_K8S_6',
          'kubescape:C-0260',
          'polaris:missingNetworkPolicy',
          'kube-score:pod-networkpolicy',
          'kubescape:C-0030',
        ]
      : ['kubescape:C-0030', 'polaris:missingNetworkPolicy'],
    fixes: [],
    recommended: ingress,
    kinds: 'workloads',
    scope: 'workspace',
    reads: ['workloads', 'NetworkPolicy'],
    check(ctx) {
      const model = modelOf(ctx);
      if (incompleteChart(ctx)) return;
      const pod = WorkspaceModel.podOf(ctx.object, ctx.filePath);
      if (!pod || pod.hostNetwork) return;
      const policies = model.policies(pod.ref.namespace);
      if (!policies.length) return;
      const selecting = model.policiesSelecting(pod);
      if (selecting.some((p) => (ingress ? p.ingress : p.egress))) return;
      const others = policies.slice(0, 3);
      ctx.report({
        at: pod.labelsNode ?? ctx.object.anchor,
        message: `${ctx.object.label} is selected by no ${ingress ? 'Ingress' : 'Egress'} NetworkPolicy of ${namespaceName(pod.ref.namespace)} (${describe(selecting, others)}): ${ingress ? 'any pod of the cluster can connect to it' : 'it can connect anywhere'}.`,
        related: others.map((p) => related(p.ref, p.podSelectorNode, `podSelector of NetworkPolicy/${p.name}`)),
      });
    },
  };
}

function describe(selecting: NetworkPolicyInfo[], others: NetworkPolicyInfo[]): string {
  if (selecting.length) return `it is selected only by ${whereAll(selecting.map((p) => p.ref))}`;
  return `the namespace has ${whereAll(others.map((p) => p.ref))}`;
}

export const podNotIsolatedIngress = isolation('ingress');
export const podNotIsolatedEgress = isolation('egress');

export type { PodTemplate };
export { where };
