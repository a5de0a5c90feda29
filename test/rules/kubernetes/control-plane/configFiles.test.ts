/**
 * The configuration files the API server reads: EncryptionConfiguration, audit Policy and the
 * PodSecurity admission configuration.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../../rules/tester';
import {
  base64Length,
  encryptionIdentityFirst,
  encryptionKeyInFile,
  encryptionKeyInvalid,
  encryptionSecretsNotCovered,
  encryptionWeakProvider,
  isPlaceholder,
  redact,
} from '../../../../rules/kubernetes/control-plane/encryption';
import { auditPolicyLogsNothing, auditPolicyLogsSecrets } from '../../../../rules/kubernetes/control-plane/audit';
import { podSecurityDefaultPrivileged, podSecurityExemptions } from '../../../../rules/kubernetes/control-plane/podSecurityAdmission';

const KEY32 = 'c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/IDEyMzQ='; // 32 bytes
const KEY16 = 'MDEyMzQ1Njc4OWFiY2RlZg=='; // 16 bytes

const enc = (providers: string, resources = '[secrets]') =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: ${resources}\n    providers:\n${providers}`;
const IDENTITY = '      - identity: {}\n';
const AESCBC = (key = '${ENCRYPTION_KEY}') => `      - aescbc:\n          keys:\n            - name: key1\n              secret: ${key}\n`;
const SECRETBOX = (key = '${ENCRYPTION_KEY}') => `      - secretbox:\n          keys:\n            - name: key1\n              secret: ${key}\n`;
const KMS2 = '      - kms:\n          apiVersion: v2\n          name: vault\n          endpoint: unix:///var/run/kms.sock\n';

RuleTester.run(encryptionIdentityFirst, {
  valid: [
    enc(AESCBC() + IDENTITY),
    enc(KMS2),
    { name: 'another kind', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {providers: identity}\n' },
  ],
  invalid: [
    {
      name: 'identity first, aescbc after: identity moves to the end',
      code: enc(IDENTITY + AESCBC()),
      errors: [
        {
          text: 'identity: {}',
          message:
            'EncryptionConfiguration lists identity first for secrets: they are written to etcd unencrypted (aescbc only decrypts what was written before).',
        },
      ],
      output: enc(AESCBC() + IDENTITY),
    },
    {
      name: 'the pre-1.13 kind EncryptionConfig',
      code: 'kind: EncryptionConfig\napiVersion: v1\nresources:\n  - resources:\n      - secrets\n    providers:\n      - identity: {}\n',
      errors: [{ text: 'identity: {}' }],
    },
    {
      name: 'identity alone: no fix',
      code: enc(IDENTITY, '[secrets, configmaps]'),
      errors: [{ message: 'EncryptionConfiguration lists identity first for secrets, configmaps: they are written to etcd unencrypted.' }],
    },
    {
      name: 'file without a final line break',
      code: enc(IDENTITY + KMS2).replace(/\n$/, ''),
      errors: [{}],
      output: enc(KMS2 + IDENTITY).replace(/\n$/, ''),
    },
  ],
});

RuleTester.run(encryptionSecretsNotCovered, {
  valid: [enc(KMS2), enc(KMS2, '[configmaps, secrets.]'), enc(KMS2, "['*.*']")],
  invalid: [{ name: 'only configmaps', code: enc(KMS2, '[configmaps]'), errors: [{ line: 2, message: /does not list secrets/ }] }],
});

RuleTester.run(encryptionWeakProvider, {
  valid: [enc(KMS2), enc(SECRETBOX()), { name: 'aescbc only to decrypt', code: enc(SECRETBOX() + AESCBC()) }],
  invalid: [
    { name: 'aescbc first', code: enc(AESCBC()), errors: [{ text: 'aescbc', message: /padding-oracle/ }] },
    { name: 'KMS v1 (no apiVersion)', code: enc('      - kms:\n          name: vault\n'), errors: [{ text: 'kms', message: /KMS v1, deprecated/ }] },
  ],
});

RuleTester.run(encryptionKeyInvalid, {
  valid: [enc(SECRETBOX(KEY32)), enc(AESCBC('${KEY}')), enc(AESCBC('"<base64-encoded 32-byte key>"'))],
  invalid: [
    {
      name: 'not base64',
      code: enc(AESCBC('not-base64!')),
      errors: [{ text: 'secret: not-base64!', message: 'EncryptionConfiguration key "key1" of aescbc is not valid base64: the API server will not start.' }],
    },
    { name: '16-byte AES key works but is not AES-256', code: enc(AESCBC(KEY16)), errors: [{ message: /decodes to 16 bytes, not 32 \(AES-256 is advised\)/ }] },
    { name: 'secretbox needs 32', code: enc(SECRETBOX(KEY16)), errors: [{ message: /decodes to 16 bytes, not 32: the API server will not start/ }] },
  ],
});

RuleTester.run(encryptionKeyInFile, {
  valid: [enc(AESCBC()), enc(KMS2), enc(AESCBC('"{{ .Values.key }}"'))],
  invalid: [
    {
      name: 'a literal key, redacted in the message',
      code: enc(SECRETBOX(KEY32)),
      errors: [
        {
          text: KEY32,
          message: `EncryptionConfiguration key "key1" of secretbox is written in the file, "c2Vj…" (44 characters): whoever reads it can decrypt the Secrets in etcd.`,
        },
      ],
    },
  ],
});

describe('encryption key helpers', () => {
  it('base64 lengths', () => {
    assert.equal(base64Length(KEY32), 32);
    assert.equal(base64Length(KEY16), 16);
    assert.equal(base64Length('abc'), undefined);
    assert.equal(base64Length('ab=c'), undefined);
  });
  it('placeholders and redaction', () => {
    assert.ok(isPlaceholder('${KEY}'));
    assert.ok(isPlaceholder('<your key>'));
    assert.ok(!isPlaceholder(KEY32));
    assert.ok(!redact(KEY32).includes(KEY32.slice(4, 10)));
  });
});

const policy = (rules: string) => `apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata: {name: audit}\n${rules}`;

RuleTester.run(auditPolicyLogsNothing, {
  valid: [
    policy('rules:\n  - level: Metadata\n'),
    policy('rules:\n  - level: None\n    users: [system:kube-proxy]\n  - level: Metadata\n'),
    { name: 'Kyverno Policy is another kind', code: 'apiVersion: kyverno.io/v1\nkind: Policy\nmetadata: {name: p}\nspec: {rules: []}\n' },
  ],
  invalid: [
    { name: 'no rules', code: policy('rules: []\n'), errors: [{ text: 'rules: []', message: 'audit Policy audit has no rules: no request is logged.' }] },
    { name: 'rules key missing', code: policy('omitStages: [RequestReceived]\n'), errors: [{ text: 'kind: Policy' }] },
    {
      name: 'all None',
      code: policy('rules:\n  - level: None\n'),
      errors: [{ message: 'every rule of the audit Policy has level None: no request is logged.' }],
    },
  ],
});

RuleTester.run(auditPolicyLogsSecrets, {
  valid: [
    policy(
      'rules:\n  - level: Metadata\n    resources:\n    - group: ""\n      resources: [secrets, configmaps]\n    - group: authentication.k8s.io\n      resources: [tokenreviews]\n  - level: RequestResponse\n',
    ),
    policy('rules:\n  - level: RequestResponse\n    resources:\n    - group: apps\n      resources: [deployments]\n  - level: Metadata\n'),
    policy('rules:\n  - level: RequestResponse\n    nonResourceURLs: ["/api*"]\n  - level: Metadata\n'),
    {
      name: 'a named Metadata entry beside an unnamed one settles the resource',
      code: policy(
        'rules:\n  - level: Metadata\n    resources:\n    - group: ""\n      resources: [configmaps]\n      resourceNames: [a]\n    - group: ""\n      resources: [secrets, configmaps]\n    - group: authentication.k8s.io\n      resources: [tokenreviews]\n  - level: RequestResponse\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'a catch-all RequestResponse rule',
      code: policy('rules:\n  - level: RequestResponse\n'),
      errors: [
        {
          text: 'level: RequestResponse',
          message:
            'audit rule at level RequestResponse matches Secret values, ConfigMap contents, often credentials, the bearer tokens being reviewed: their bodies are written to the audit log.',
        },
      ],
    },
    {
      name: 'secrets explicitly at Request',
      code: policy('rules:\n  - level: Request\n    resources:\n    - group: ""\n      resources: [secrets]\n  - level: Metadata\n'),
      errors: [{ message: /matches Secret values:/ }],
    },
    {
      name: 'a filtered Metadata rule does not settle it: the catch-all after it leaks for everyone else',
      code: policy(
        'rules:\n  - level: Metadata\n    users: [admin]\n    resources:\n    - group: ""\n      resources: [secrets]\n  - level: RequestResponse\n    resources:\n    - group: ""\n',
      ),
      errors: [{ line: 9, message: /matches Secret values, ConfigMap contents/ }],
    },
    {
      // The audit example of the Kubernetes documentation (content/en/examples/audit/audit-policy.yaml):
      // the None rule names one ConfigMap, so the Request rule after it logs the others in kube-system.
      name: 'resourceNames narrows a rule: a later Request rule still logs the other ConfigMaps',
      code: policy(
        'rules:\n  - level: None\n    resources:\n    - group: ""\n      resources: ["configmaps"]\n      resourceNames: ["controller-leader"]\n  - level: Request\n    resources:\n    - group: ""\n      resources: ["configmaps"]\n    namespaces: ["kube-system"]\n  - level: Metadata\n    resources:\n    - group: ""\n      resources: ["secrets", "configmaps"]\n',
      ),
      errors: [{ line: 9, message: /level Request matches ConfigMap contents, often credentials:/ }],
    },
  ],
});

const admission = (config: string) =>
  `apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n${config}`;

RuleTester.run(podSecurityDefaultPrivileged, {
  valid: [
    admission('    defaults:\n      enforce: baseline\n'),
    'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: restricted\n',
    {
      name: 'other plugins only',
      code: 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: EventRateLimit\n  path: /etc/kubernetes/eventconfig.yaml\n',
    },
  ],
  invalid: [
    {
      name: 'privileged default',
      code: admission('    defaults:\n      enforce: privileged\n      audit: restricted\n'),
      errors: [
        {
          text: 'enforce: privileged',
          message:
            'AdmissionConfiguration (PodSecurity) enforces privileged in every namespace without a pod-security.kubernetes.io/enforce label: privileged pods are admitted there.',
        },
      ],
      output: admission('    defaults:\n      enforce: baseline\n      audit: restricted\n'),
    },
    {
      name: 'no defaults at all (standalone file)',
      code: 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions:\n  namespaces: [kube-system]\n',
      errors: [{ message: /sets no defaults\.enforce, so privileged applies/ }],
      output:
        'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\nexemptions:\n  namespaces: [kube-system]\ndefaults:\n  enforce: baseline\n',
    },
  ],
});

RuleTester.run(podSecurityExemptions, {
  valid: [admission('    defaults: {enforce: baseline}\n    exemptions:\n      namespaces: [kube-system]\n      usernames: []\n')],
  invalid: [
    {
      name: 'users and namespaces',
      code: admission('    defaults: {enforce: baseline}\n    exemptions:\n      usernames: [alice]\n      namespaces: [kube-system, ci]\n'),
      errors: [
        { text: 'usernames: [alice]', message: 'AdmissionConfiguration (PodSecurity) exempts usernames alice from every Pod Security level.' },
        { message: /exempts namespaces ci from/ },
      ],
    },
  ],
});
