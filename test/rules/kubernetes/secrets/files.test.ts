import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../../rules/tester';
import { kubeconfigEmbeddedCredentials, kubeconfigExecPlugin, kubeconfigInsecureTls } from '../../../../rules/kubernetes/secrets/kubeconfig';
import { dotenvSecret, helmValuesSecret } from '../../../../rules/kubernetes/secrets/textFiles';
import { classify } from '../../../../server/src/documents/classify';
import * as path from 'node:path';
import { isCandidate, walk } from '../../../../server/src/node/files';
import { removeWorkspace, tempWorkspace } from '../../../support/tempWorkspace';
import { API_KEY, b64, DB_PASSWORD, GITHUB_TOKEN, JWT, PEM_KEY, STRIPE_KEY } from './fixtures';

const kubeconfig = (
  user: string,
  cluster = '    server: https://10.0.0.1:6443\n    certificate-authority-data: ' +
    b64('-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n') +
    '\n',
) => `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
${cluster}contexts:
- name: prod
  context: {cluster: prod, user: admin}
current-context: prod
users:
- name: admin
  user:
${user}`;

RuleTester.run(kubeconfigEmbeddedCredentials, {
  valid: [
    {
      name: 'certificates, file paths and a token file',
      path: 'admin.conf',
      code: kubeconfig(
        `    client-certificate-data: ${b64('-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n')}\n    client-key: /home/me/.kube/admin.key\n    tokenFile: /var/run/secrets/token\n`,
      ),
    },
    {
      name: 'exec plugin and placeholders',
      path: 'kubeconfig',
      code: kubeconfig(
        '    token: <token>\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n',
      ),
    },
  ],
  invalid: [
    {
      name: 'an inline client key, token and password, in a file named without .yaml',
      path: 'clusters/prod-kubeconfig',
      code: kubeconfig(`    client-key-data: ${b64(PEM_KEY)}\n    token: ${JWT}\n    password: ${DB_PASSWORD}\n`),
      errors: [
        { line: 14, message: /^kubeconfig user "admin" holds its client private key inline/ },
        { text: JWT, line: 15, message: /bearer token/ },
        { text: DB_PASSWORD, line: 16, message: /password inline \("Pl4t…" \(17 characters\)\)/ },
      ],
    },
    {
      name: 'auth-provider secrets',
      path: '.kube/config',
      code: kubeconfig(
        '    auth-provider:\n      name: oidc\n      config:\n        client-id: kubernetes\n        client-secret: Zq8rT2vLx5mNw4Kp\n        idp-issuer-url: https://login.example.com\n',
      ),
      errors: [{ text: 'Zq8rT2vLx5mNw4Kp', message: /auth-provider client-secret/ }],
    },
  ],
});

RuleTester.run(kubeconfigExecPlugin, {
  valid: [{ name: 'no exec', path: 'kubeconfig', code: kubeconfig('    token: <token>\n') }],
  invalid: [
    {
      name: 'the command is named, never its arguments',
      path: 'kubeconfig',
      code: kubeconfig(
        '    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: ./hack/get-token.sh\n      args: [--secret, Zq8rT2vLx5mN]\n',
      ),
      errors: [{ text: './hack/get-token.sh', message: /^kubeconfig user "admin" authenticates by running "get-token\.sh"/ }],
    },
  ],
});

RuleTester.run(kubeconfigInsecureTls, {
  valid: [
    {
      name: 'verified',
      path: 'kubeconfig',
      code: kubeconfig('    token: <token>\n', '    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: false\n'),
    },
  ],
  invalid: [
    {
      name: 'skip verification; fix sets it false',
      path: 'kubeconfig',
      code: kubeconfig('    token: <token>\n', '    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: true # lab\n'),
      errors: [{ text: 'insecure-skip-tls-verify: true', line: 6 }],
      output: kubeconfig('    token: <token>\n', '    server: https://10.0.0.1:6443\n    insecure-skip-tls-verify: false # lab\n'),
    },
  ],
});

RuleTester.run(helmValuesSecret, {
  valid: [
    {
      name: 'empty values, nulls, references to existing Secrets, templates and placeholders',
      code: `postgresql:
  auth:
    password: ""
    postgresPassword: ~
    existingSecret: pg-credentials
    secretKeys:
      adminPasswordKey: admin-password
redis:
  password: "{{ .Values.global.redisPassword }}"
  existingSecretPasswordKey: redis-password
extraEnv: []
apiKey: changeme
annotations: {}
image: {digest: "sha256:3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed"}
`,
    },
    {
      name: 'names of the Secret and of the key that hold a password; a Jasypt-encrypted value',
      code: `grafana:
  adminPasswordSecret: grafana-admin-credentials
  passwordSecret: grafana-admin
mysql:
  secretKeys:
    userPasswordKey: user-pass
    replicationPasswordKey: repl-pwd
app:
  password: ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)
`,
    },
  ],
  invalid: [
    {
      name: 'nested keys, an extraEnv list and a token under any name',
      code: `postgresql:
  auth:
    password: ${DB_PASSWORD}
extraEnv:
- name: STRIPE_API_KEY
  value: ${STRIPE_KEY}
- name: LOG_LEVEL
  value: debug
webhook:
  url: "https://x-access-token:${GITHUB_TOKEN}@github.com/org/repo"
`,
      errors: [
        { text: DB_PASSWORD, line: 2, message: /^Helm value postgresql\.auth\.password holds a password "Pl4t…"/ },
        {
          text: STRIPE_KEY,
          line: 5,
          message: /^Helm value extraEnv\[1\]\[STRIPE_API_KEY\]|^Helm value extraEnv\[0\]\[STRIPE_API_KEY\] holds a Stripe live key/,
        },
        { text: GITHUB_TOKEN, line: 9, message: /GitHub token/ },
      ],
    },
    {
      name: 'a generated value under a name that usually names a Secret is still a credential',
      code: 'smtp:\n  passwordSecret: Kx8Lq2Vz9Tm4\n  userPasswordKey: Zq8rT2vLx5mN\n',
      errors: [
        { text: 'Kx8Lq2Vz9Tm4', line: 1, message: /^Helm value smtp\.passwordSecret holds a credential/ },
        { text: 'Zq8rT2vLx5mN', line: 2 },
      ],
    },
  ],
});

RuleTester.run(dotenvSecret, {
  valid: [{ name: 'placeholders and settings', code: '# local defaults\nDEBUG=true\nDB_PASSWORD=\nAPI_KEY=<your-key>\nTOKEN=${CI_TOKEN}\nPORT=8080\n' }],
  invalid: [
    {
      name: 'variables named like credentials, quoted or exported; a token under any name',
      path: 'deploy/prod.env',
      code: `DB_PASSWORD=${DB_PASSWORD}\nexport API_KEY="${API_KEY}"\nREMOTE=${GITHUB_TOKEN}  # ci\n`,
      errors: [
        { text: DB_PASSWORD, line: 0, message: /^DB_PASSWORD holds a password "Pl4t…" \(17 characters\) in a \.env file/ },
        { text: API_KEY, line: 1 },
        { text: GITHUB_TOKEN, line: 2, message: /GitHub token/ },
      ],
    },
  ],
});

describe('secret file kinds', () => {
  it('recognises kubeconfigs by content whatever their name, and .env files by name', () => {
    const kc = kubeconfig('    token: <token>\n');
    assert.equal(classify('ops/admin.conf', kc), 'kubeconfig');
    assert.equal(classify('ops/prod-kubeconfig', kc), 'kubeconfig');
    assert.equal(classify('ops/admin.conf', '[core]\n  bare = false\n'), 'other');
    assert.equal(classify('app/.env', 'A=1'), 'dotenv');
    assert.equal(classify('app/.env.production', 'A=1'), 'dotenv');
    assert.equal(classify('app/prod.env', 'A=1'), 'dotenv');
    assert.equal(classify('app/.env.example', 'A=1'), 'other');
    assert.equal(classify('app/.env.sample', 'A=1'), 'other');
    assert.ok(isCandidate('app/.env') && isCandidate('ops/admin.conf') && !isCandidate('app/.env.example'));
    // Names that say nothing: the content decides.
    for (const name of ['ops/prodcluster', 'ops/admin.cfg', 'ops/kube.config', 'ops/lab.kube']) assert.equal(classify(name, kc), 'kubeconfig', name);
    for (const name of ['LICENSE', 'ops/admin.cfg', 'bin/run']) assert.equal(classify(name, '[core]\nkind: Config\n'), 'other', name);
  });

  it('a folder walk takes a vaguely named file only when it holds a kubeconfig, quietly skipping the rest', () => {
    const kc = kubeconfig(`    token: ${JWT}\n`);
    const root = tempWorkspace({
      'ops/prodcluster': kc,
      'ops/admin.cfg': kc,
      'ops/kube.config': kc,
      'ops/notes.cfg': '[core]\nbare = false\n',
      LICENSE: 'Apache License\nkind: of a licence\n',
      'bin/tool': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0x6b, 0x69, 0x6e, 0x64]),
      'ops/notes.txt': kc,
    });
    try {
      const found = [...walk(root)].map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
      // `.txt` is not a name a kubeconfig is known by (nor a YAML file): not read.
      assert.deepEqual(found, ['ops/admin.cfg', 'ops/kube.config', 'ops/prodcluster']);
    } finally {
      removeWorkspace(root);
    }
  });
});
