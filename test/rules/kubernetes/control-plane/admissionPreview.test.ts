/**
 * The admission preview with a PodSecurity AdmissionConfiguration in the workspace: its cluster-wide
 * `defaults` apply to namespaces without the mode's label, its `exemptions` take namespaces and
 * runtime classes out, and the finding points at the configuration as related information.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintWith, RuleTester } from '../../../../rules/tester';
import { KUBERNETES_RULES } from '../../../../rules/kubernetes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';

const rejects = KUBERNETES_RULES.find((r) => r.id === 'pod-security-admission-rejects') as KubernetesRule;
const warns = KUBERNETES_RULES.find((r) => r.id === 'pod-security-admission-warns') as KubernetesRule;

const admissionConfig = (defaults: string, exemptions = '') =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults:\n${defaults}    exemptions:\n${exemptions || '      namespaces: [kube-system]\n'}`;
const BASELINE = admissionConfig('      enforce: baseline\n      enforce-version: v1.30\n      warn: restricted\n');
const PRIVILEGED_POD = (namespace: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: ${namespace}\nspec:\n${extra}  hostNetwork: true\n  containers:\n  - name: c\n    image: busybox:1.36\n`;
const ns = (name: string, labels = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${labels ? `  labels:\n${labels}` : ''}`;

RuleTester.run(rejects, {
  valid: [
    { name: 'no AdmissionConfiguration: no default', code: PRIVILEGED_POD('shop') },
    {
      name: 'the namespace label wins over the default',
      code: PRIVILEGED_POD('shop'),
      files: { 'psa.yaml': BASELINE, 'ns.yaml': ns('shop', '    pod-security.kubernetes.io/enforce: privileged\n') },
    },
    {
      name: 'an exempted namespace',
      code: PRIVILEGED_POD('monitoring'),
      files: { 'psa.yaml': admissionConfig('      enforce: baseline\n', '      namespaces: [kube-system, monitoring]\n') },
    },
    {
      name: 'an exemption overrides the namespace label too',
      code: PRIVILEGED_POD('monitoring'),
      files: {
        'psa.yaml': admissionConfig('      enforce: baseline\n', '      namespaces: [monitoring]\n'),
        'ns.yaml': ns('monitoring', '    pod-security.kubernetes.io/enforce: restricted\n'),
      },
    },
    {
      name: 'an exempted runtime class',
      code: PRIVILEGED_POD('shop', '  runtimeClassName: kata\n'),
      files: { 'psa.yaml': admissionConfig('      enforce: baseline\n', '      runtimeClasses: [kata]\n') },
    },
    { name: 'the default is privileged', code: PRIVILEGED_POD('shop'), files: { 'psa.yaml': admissionConfig('      enforce: privileged\n') } },
    {
      name: 'two configurations (two clusters): which applies is unknown',
      code: PRIVILEGED_POD('shop'),
      files: { 'prod/psa.yaml': BASELINE, 'dev/psa.yaml': admissionConfig('      enforce: privileged\n') },
    },
  ],
  invalid: [
    {
      name: 'a namespace without labels gets the cluster default',
      code: PRIVILEGED_POD('shop'),
      files: { 'cluster/psa.yaml': BASELINE, 'ns.yaml': ns('shop') },
      errors: [
        {
          text: 'shop',
          message:
            'Pod/debug will be rejected at admission: namespace "shop" has no pod-security.kubernetes.io/enforce label in the workspace, so the cluster default of AdmissionConfiguration (cluster/psa.yaml) applies: it enforces Pod Security "baseline" (v1.30) and the pod violates hostNamespaces.',
        },
      ],
    },
    {
      name: 'labels for another mode only: enforce still comes from the default',
      code: PRIVILEGED_POD('shop'),
      files: { 'psa.yaml': BASELINE, 'ns.yaml': ns('shop', '    pod-security.kubernetes.io/warn: restricted\n') },
      errors: [{ message: /cluster default of AdmissionConfiguration \(psa\.yaml\) applies: it enforces Pod Security "baseline"/ }],
    },
    {
      name: 'a standalone PodSecurityConfiguration',
      code: PRIVILEGED_POD('shop'),
      files: { 'psa.yaml': 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\n' },
      errors: [{ message: /cluster default of PodSecurityConfiguration \(psa\.yaml\) applies/ }],
    },
  ],
});

const HOSTLESS_ROOT_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n';

RuleTester.run(warns, {
  valid: [
    {
      name: 'restricted-compliant pods get no warning',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n  namespace: shop\nspec:\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - name: c\n    securityContext:\n      allowPrivilegeEscalation: false\n      capabilities: {drop: [ALL]}\n',
      files: { 'psa.yaml': BASELINE },
    },
  ],
  invalid: [
    {
      name: 'warn default',
      code: HOSTLESS_ROOT_POD,
      files: { 'psa.yaml': BASELINE },
      errors: [
        {
          message:
            /^Namespace "shop" has no pod-security\.kubernetes\.io\/warn label in the workspace, so the cluster default of AdmissionConfiguration \(psa\.yaml\) applies: it warns on Pod Security "restricted" \(latest\): Pod\/app violates .*; kubectl apply will print warnings\.$/,
        },
      ],
    },
  ],
});

describe('admission preview: the AdmissionConfiguration as related information', () => {
  it('points at defaults.enforce in the configuration file', () => {
    const findings = lintWith(rejects, { code: PRIVILEGED_POD('shop'), files: { 'cluster/psa.yaml': BASELINE } });
    assert.equal(findings.length, 1);
    const related = findings[0].related ?? [];
    assert.equal(related.length, 1);
    assert.equal(related[0].path, 'cluster/psa.yaml');
    assert.equal(related[0].message, 'The cluster-wide default: defaults.enforce: baseline');
    assert.equal(BASELINE.slice(related[0].start, related[0].end), 'enforce: baseline');
  });
});
