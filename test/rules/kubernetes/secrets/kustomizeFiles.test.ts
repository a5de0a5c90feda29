/**
 * Kustomizations by file name (no `apiVersion`/`kind`), the files their generators read whatever their
 * name, and kubeconfigs whose key files are committed with them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../../rules/tester';
import { ALL_RULES } from '../../../../rules';
import { kustomizeSecretLiteral } from '../../../../rules/kubernetes/secrets/kustomize';
import { dotenvSecret } from '../../../../rules/kubernetes/secrets/textFiles';
import { kubeconfigCommittedKeyFile } from '../../../../rules/kubernetes/secrets/kubeconfigKeyFile';
import { classify } from '../../../../server/src/documents/classify';
import { ResolvedConfig } from '../../../../server/src/engine/config';
import { Engine, FileState } from '../../../../server/src/engine/engine';
import { WorkspaceIndex } from '../../../../server/src/engine/workspaceIndex';
import { BulkheadLanguageService } from '../../../../server/src/service/languageService';
import { ConfigResolver } from '../../../../server/src/service/configResolver';
import { API_KEY, DB_PASSWORD, GITHUB_TOKEN, JWT, PEM_KEY } from './fixtures';

const KINDLESS = `resources: [deploy.yaml]\nsecretGenerator:\n- name: db\n  literals:\n  - DB_PASSWORD=${DB_PASSWORD}\n  - DB_USER=app\n`;

RuleTester.run(kustomizeSecretLiteral, {
  valid: [
    { name: 'the same text under another name is no Kustomization', path: 'overlays/prod/generators.yaml', code: KINDLESS },
    {
      name: 'a kind-less kustomization with placeholders only',
      path: 'kustomization.yaml',
      code: 'secretGenerator:\n- name: db\n  literals:\n  - DB_PASSWORD=changeme\n  - TOKEN=${TOKEN}\n',
    },
    { name: 'a kind-less values-like file named kustomization.yaml.bak', path: 'kustomization.yaml.bak', code: KINDLESS },
  ],
  invalid: [
    {
      name: 'kustomization.yaml without apiVersion/kind',
      path: 'overlays/prod/kustomization.yaml',
      code: KINDLESS,
      errors: [{ text: DB_PASSWORD, line: 4, message: /^secretGenerator literal DB_PASSWORD holds a password/ }],
    },
    { name: 'kustomization.yml', path: 'kustomization.yml', code: KINDLESS, errors: [{ text: DB_PASSWORD }] },
    { name: 'Kustomization (no extension)', path: 'base/Kustomization', code: KINDLESS, errors: [{ text: DB_PASSWORD }] },
    {
      name: 'a kustomize Component',
      path: 'components/db/kustomization.yaml',
      code: `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n- name: app\n  literals: ["GITHUB_TOKEN=${GITHUB_TOKEN}"]\n`,
      errors: [{ text: GITHUB_TOKEN, message: /configMapGenerator literal GITHUB_TOKEN holds a GitHub token/ }],
    },
  ],
});

describe('kustomization files by name', () => {
  it('are classified as manifests; other kind-less YAML is not', () => {
    assert.equal(classify('a/kustomization.yaml', KINDLESS), 'kubernetes');
    assert.equal(classify('a/Kustomization', KINDLESS), 'kubernetes');
    assert.equal(classify('a/other.yaml', KINDLESS), 'other');
    assert.equal(classify('a/Kustomization.txt', KINDLESS), 'other');
  });

  it('one file state reused under two names: the cached parse does not carry the implied kind over', () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const state = new FileState();
    const ids = (path: string) => engine.lint(path, KINDLESS, { state, kind: 'kubernetes' }).findings.map((f) => f.ruleId);
    assert.deepEqual(ids('a/generators.yaml'), []);
    assert.deepEqual(ids('a/kustomization.yaml'), ['kustomize-secret-literal']);
    assert.deepEqual(ids('a/generators.yaml'), []);
  });

  it('the language service reports it, and stays quiet on the same text under another name', () => {
    const s = new BulkheadLanguageService(new ConfigResolver(ALL_RULES), new WorkspaceIndex());
    const lint = (uri: string) => s.lint({ uri, languageId: 'yaml', version: 1, getText: () => KINDLESS }).diagnostics.map((d) => d.code);
    assert.deepEqual(lint('file:///w/overlays/prod/kustomization.yaml'), ['kustomize-secret-literal']);
    assert.deepEqual(lint('file:///w/overlays/prod/generators.yaml'), []);
  });
});

const KUSTOMIZATION = `secretGenerator:
- name: db
  envs: [secrets/db.properties]
  files:
  - api-token=secrets/token.txt
  - secrets/id_rsa
  - notes.txt
  - ../../elsewhere/leak.env
configMapGenerator:
- name: app
  env: app.config
`;

RuleTester.run(dotenvSecret, {
  valid: [
    { name: 'a properties file no kustomization reads is not linted', path: 'k/secrets/db.properties', code: `DB_PASSWORD=${DB_PASSWORD}\n` },
    {
      name: 'an input with placeholders only',
      path: 'k/app.config',
      code: 'LOG_LEVEL=debug\nAPI_PASSWORD=changeme\n',
      files: { 'k/kustomization.yaml': KUSTOMIZATION },
    },
    { name: 'a `files` input with prose', path: 'k/notes.txt', code: 'Rotate the password every quarter.\n', files: { 'k/kustomization.yaml': KUSTOMIZATION } },
    {
      name: 'a path that climbs out of the kustomization folder is not an input',
      path: 'elsewhere/leak.env.txt',
      code: `DB_PASSWORD=${DB_PASSWORD}\n`,
      files: { 'a/b/kustomization.yaml': 'secretGenerator:\n- name: x\n  envs: [../../elsewhere/leak.env.txt]\n' },
    },
    {
      name: 'an absolute path is not an input',
      path: '/etc/app.env.txt',
      code: `DB_PASSWORD=${DB_PASSWORD}\n`,
      files: { 'k/kustomization.yaml': 'secretGenerator:\n- name: x\n  envs: [/etc/app.env.txt]\n' },
    },
  ],
  invalid: [
    {
      name: '`envs` file with a .properties name, the kustomization entry as related information',
      path: 'k/secrets/db.properties',
      code: `DB_USER=app\nDB_PASSWORD=${DB_PASSWORD}\n`,
      files: { 'k/kustomization.yaml': KUSTOMIZATION },
      errors: [
        {
          text: DB_PASSWORD,
          line: 1,
          message: /^DB_PASSWORD holds a password "Pl4t…" \(17 characters\) in db\.properties, which secretGenerator "db" of kustomization\.yaml \(k\) reads/,
        },
      ],
    },
    {
      name: 'the legacy single `env` of a configMapGenerator',
      path: 'k/app.config',
      code: `STRIPE_PASSWORD=${API_KEY}\n`,
      files: { 'k/kustomization.yaml': KUSTOMIZATION },
      errors: [{ text: API_KEY, message: /which configMapGenerator "app" of kustomization\.yaml/ }],
    },
    {
      name: '`files: [key=path]`: one value, named by its key',
      path: 'k/secrets/token.txt',
      code: `${API_KEY}\n`,
      files: { 'k/kustomization.yaml': KUSTOMIZATION },
      errors: [{ text: API_KEY, line: 0, message: /^Key api-token holds a credential/ }],
    },
    {
      name: '`files`: a private key stored whole',
      path: 'k/secrets/id_rsa',
      code: `${PEM_KEY}\n`,
      files: { 'k/kustomization.yaml': KUSTOMIZATION },
      errors: [{ line: 0, message: /^The file holds a private key/ }],
    },
    {
      name: '`files`: a JSON service-account key and a YAML config, read key by key by their format',
      path: 'k/sa.json',
      code: JSON.stringify({ type: 'service_account', private_key: `${PEM_KEY}\n`, client_email: 'ci@p.iam.gserviceaccount.com' }, null, 2),
      files: { 'k/kustomization.yaml': 'secretGenerator:\n- name: gcp\n  files: [sa.json, app.yaml]\n' },
      errors: [{ line: 2, message: /^private_key holds a private key .* in sa\.json, which secretGenerator "gcp"/ }],
    },
    {
      name: '`files`: a YAML config',
      path: 'k/app.yaml',
      code: `database:\n  host: db\n  password: ${DB_PASSWORD}\n`,
      files: { 'k/kustomization.yaml': 'secretGenerator:\n- name: gcp\n  files: [sa.json, app.yaml]\n' },
      errors: [{ text: DB_PASSWORD, line: 2, message: /^database\.password holds a password/ }],
    },
    {
      name: 'a .env input is reported once, with the kustomization named',
      path: 'k/.env',
      code: `GITHUB_TOKEN=${GITHUB_TOKEN}\n`,
      files: { 'k/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n- name: gh\n  envs: [.env]\n' },
      errors: [{ text: GITHUB_TOKEN, message: /in \.env, which secretGenerator "gh" of kustomization\.yaml \(k\) reads/ }],
    },
  ],
});

describe('generator inputs: related information', () => {
  it('points at the kustomization entry that reads the file', () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const index = new WorkspaceIndex();
    engine.lint('/w/k/kustomization.yaml', KUSTOMIZATION, { index });
    const [f] = engine.lint('/w/k/secrets/db.properties', `DB_PASSWORD=${DB_PASSWORD}\n`, { index }).findings;
    assert.equal(f.ruleId, 'dotenv-secret');
    assert.equal(f.related?.length, 1);
    const r = f.related![0];
    assert.equal(r.path, '/w/k/kustomization.yaml');
    assert.equal(KUSTOMIZATION.slice(r.start, r.end), 'secrets/db.properties');
    assert.deepEqual(r.range.start, { line: 2, character: 9 });
  });
});

const kubeconfig = (user: string) => `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: "https://10.0.0.1:6443"}
users:
- name: admin
  user:
${user}`;
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';

RuleTester.run(kubeconfigCommittedKeyFile, {
  valid: [
    {
      name: 'key paths outside the workspace',
      path: 'ops/admin.conf',
      code: kubeconfig('    client-key: /etc/kubernetes/pki/admin.key\n    tokenFile: ~/.kube/token\n'),
    },
    {
      name: 'a key file that is absent',
      path: 'ops/admin.conf',
      code: kubeconfig('    client-key: keys/admin.key\n'),
      files: { 'ops/keys/other.key': PEM_KEY },
    },
    {
      name: 'a certificate file without a key',
      path: 'ops/admin.conf',
      code: kubeconfig('    client-certificate: keys/admin.crt\n'),
      files: { 'ops/keys/admin.crt': CERT },
    },
    {
      name: 'a token file with a placeholder',
      path: 'ops/admin.conf',
      code: kubeconfig('    tokenFile: keys/token\n'),
      files: { 'ops/keys/token': '<paste the token here>\n' },
    },
    {
      name: 'a client-key file that holds no key',
      path: 'ops/admin.conf',
      code: kubeconfig('    client-key: keys/README\n'),
      files: { 'ops/keys/README': 'Put admin.key here; it is in .gitignore.\n' },
    },
  ],
  invalid: [
    {
      name: 'client-key and tokenFile in the workspace, relative to the kubeconfig folder',
      path: 'ops/admin.conf',
      code: kubeconfig('    client-key: keys/admin.key\n    tokenFile: ./keys/bot.token\n'),
      files: { 'ops/keys/admin.key': PEM_KEY, 'ops/keys/bot.token': `${JWT}\n` },
      errors: [
        {
          text: 'keys/admin.key',
          line: 8,
          message: /^kubeconfig user "admin" takes its client-key from admin\.key, which is in the workspace and holds a private key/,
        },
        { text: './keys/bot.token', line: 9, message: /tokenFile from bot\.token, which is in the workspace and holds a JSON Web Token/ },
      ],
    },
    {
      name: 'a combined certificate and key file named as client-certificate',
      path: 'kubeconfig',
      code: kubeconfig('    client-certificate: admin.pem\n'),
      files: { 'admin.pem': `${CERT}${PEM_KEY}\n` },
      errors: [{ text: 'admin.pem', message: /client-certificate from admin\.pem/ }],
    },
  ],
});

describe('kubeconfig key file: related information', () => {
  it("names the key file with the key's range", () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const files = new Map([['/w/ops/keys/admin.key', `\n${PEM_KEY}\n`]]);
    const [f] = engine
      .lint('/w/ops/admin.conf', kubeconfig('    client-key: keys/admin.key\n'), { index: new WorkspaceIndex(), readFile: (p) => files.get(p) })
      .findings.filter((x) => x.ruleId === 'kubeconfig-committed-key-file');
    assert.equal(f.related?.[0].path, '/w/ops/keys/admin.key');
    assert.deepEqual(f.related?.[0].range.start, { line: 1, character: 0 });
  });

  it('without a host that reads files, says nothing', () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const ids = engine.lint('/w/ops/admin.conf', kubeconfig('    client-key: keys/admin.key\n')).findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('kubeconfig-committed-key-file'));
  });
});
