import { RuleTester } from '../../../rules/tester';
import { KUBERNETES_RULES } from '../../../rules/kubernetes';
import type { KubernetesRule } from '../../../server/src/engine/rule';

const rejects = KUBERNETES_RULES.find((r) => r.id === 'pod-security-admission-rejects') as KubernetesRule;
const warns = KUBERNETES_RULES.find((r) => r.id === 'pod-security-admission-warns') as KubernetesRule;

const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${labels}`;
const RESTRICTED = ns('    pod-security.kubernetes.io/enforce: restricted\n');
const BASELINE_WARN_RESTRICTED = ns(
  '    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/warn-version: v1.30\n',
);
const DEPLOYMENT =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n';
const HARDENED_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n  namespace: shop\nspec:\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - name: c\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n';

RuleTester.run(rejects, {
  valid: [
    { name: 'no Namespace object in the workspace', code: DEPLOYMENT },
    { name: 'a pod that meets restricted', code: HARDENED_POD, files: { 'ns.yaml': RESTRICTED } },
    { name: 'another namespace', code: DEPLOYMENT.replace('namespace: shop', 'namespace: other'), files: { 'ns.yaml': RESTRICTED } },
    { name: 'privileged level allows everything', code: DEPLOYMENT, files: { 'ns.yaml': ns('    pod-security.kubernetes.io/enforce: privileged\n') } },
    { name: 'only warn, not enforce', code: DEPLOYMENT, files: { 'ns.yaml': BASELINE_WARN_RESTRICTED } },
  ],
  invalid: [
    {
      name: 'a Deployment in a restricted namespace defined in another file',
      code: DEPLOYMENT,
      files: { 'ns.yaml': RESTRICTED },
      errors: [
        {
          text: 'shop',
          line: 4,
          message:
            'Pods of Deployment/web will be rejected at admission (the Deployment itself is accepted): namespace "shop" enforces Pod Security "restricted" (latest) and the pod violates allowPrivilegeEscalation, runAsNonRoot, seccompProfile_restricted, capabilities_restricted.',
        },
      ],
    },
    {
      name: 'a Pod and its Namespace in one file; baseline level',
      code: `${ns('    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/enforce-version: v1.29\n')}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  hostNetwork: true\n  containers: [{name: c}]\n`,
      errors: [
        {
          text: 'shop',
          line: 12,
          message: /^Pod\/p will be rejected at admission: namespace "shop" enforces Pod Security "baseline" \(v1.29\) and the pod violates hostNamespaces\.$/,
        },
      ],
    },
  ],
});

RuleTester.run(warns, {
  valid: [
    { name: 'enforce already rejects it: one finding, from the other rule', code: DEPLOYMENT, files: { 'ns.yaml': RESTRICTED } },
    { name: 'meets the warn level', code: HARDENED_POD, files: { 'ns.yaml': BASELINE_WARN_RESTRICTED } },
  ],
  invalid: [
    {
      code: DEPLOYMENT,
      files: { 'ns.yaml': BASELINE_WARN_RESTRICTED },
      errors: [
        {
          text: 'shop',
          line: 4,
          message: /^Namespace "shop" warns on Pod Security "restricted" \(v1.30\): Deployment\/web violates .*; kubectl apply will print warnings\.$/,
        },
      ],
    },
  ],
});
