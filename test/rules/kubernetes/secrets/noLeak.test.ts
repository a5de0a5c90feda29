/**
 * No secret value appears in any output. A workspace of every file kind Bulkhead reads, each with
 * planted credentials, is scanned by the built CLI in every format, with fixes listed, and opened in
 * the language server (diagnostics, hovers, code actions, its log); the planted values are then
 * searched for in everything printed. The findings must be there (or the test proves nothing), and
 * the values must not.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST, REPO_ROOT } from '../../../support/paths';
import { LspClient } from '../../../support/lspClient';
import { removeWorkspace, tempWorkspace } from '../../../support/tempWorkspace';
import { API_KEY, AWS_KEY_ID, AWS_SECRET, b64, DB_PASSWORD, GITHUB_TOKEN, JWT, NPM_TOKEN, PEM_KEY, PLANTED, SLACK_TOKEN, STRIPE_KEY } from './fixtures';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

const FILES: Record<string, string> = {
  'k8s/deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  annotations:\n    ci/deploy-token: ${NPM_TOKEN}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api:1\n        args: ["--db-password=${DB_PASSWORD}"]\n        env:\n        - name: AWS_SECRET_ACCESS_KEY\n          value: ${AWS_SECRET}\n        - name: AWS_ACCESS_KEY_ID\n          value: ${AWS_KEY_ID}\n`,
  'k8s/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  .env: |\n    SLACK_BOT_TOKEN=${SLACK_TOKEN}\n    STRIPE_KEY=${STRIPE_KEY}\n`,
  'k8s/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  api-key: ${API_KEY}\ndata:\n  tls.key: ${b64(PEM_KEY)}\n  token: ${b64(JWT)}\n`,
  'ops/admin.conf': `apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: admin\n  user:\n    token: ${JWT}\n    password: ${DB_PASSWORD}\n`,
  'chart/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 1.0.0\n',
  'chart/values.yaml': `auth:\n  password: ${DB_PASSWORD}\ngithubToken: ${GITHUB_TOKEN}\n`,
  'app/.env': `API_KEY=${API_KEY}\nGITHUB_TOKEN=${GITHUB_TOKEN}\n`,
  'docker/Dockerfile': `FROM alpine:3.20\nENV NPM_TOKEN=${NPM_TOKEN}\nRUN curl -H "Authorization: token ${GITHUB_TOKEN}" https://api.github.com/\nLABEL api.token=${API_KEY}\nRUN curl -u deploy:${DB_PASSWORD} https://repo.internal/a.tgz -o /a.tgz\nUSER 10001\n`,
  // Registry credentials (decoded twice), an auth-provider secret, a literal in a Helm template.
  'k8s/regcred.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'registry.example.io': { auth: b64(`deploy:${DB_PASSWORD}`) } } }))}\n`,
  'ops/oidc.conf': `apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: oidc\n  user:\n    auth-provider:\n      name: oidc\n      config:\n        client-secret: ${API_KEY}\n`,
  'chart/templates/deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api:1\n        env:\n        - name: AWS_SECRET_ACCESS_KEY\n          value: ${AWS_SECRET}\n`,
  'kustomize/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n- name: db\n  literals: [DB_PASSWORD=${DB_PASSWORD}]\n`,
  // A kustomization known by its name only, and the files its generators read whatever their name.
  'overlay/kustomization.yaml': `secretGenerator:\n- name: api\n  literals: [SLACK_TOKEN=${SLACK_TOKEN}]\n  envs: [api.properties]\n  files: [stripe-key=stripe.txt]\n`,
  'overlay/api.properties': `AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\n`,
  'overlay/stripe.txt': `${STRIPE_KEY}\n`,
  // A kubeconfig naming a key file and a token file committed beside it.
  'ops/keyed.conf': 'apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: admin\n  user:\n    client-key: keys/admin.key\n    tokenFile: keys/token\n',
  'ops/keys/admin.key': `${PEM_KEY}\n`,
  'ops/keys/token': `${JWT}\n`,
};

/** Files that hold a credential without being linted themselves (they are read for another file's finding). */
const READ_ONLY = new Set(['ops/keys/admin.key', 'ops/keys/token']);

/** Each planted value, and its base64, which would be just as much a leak. */
const NEEDLES = PLANTED.flatMap((v) => [v, b64(v)]);

function assertNoSecret(output: string, where: string): void {
  for (const needle of NEEDLES) assert.ok(!output.includes(needle), `${where} prints a planted secret (${needle.slice(0, 4)}…)`);
  // Redacted forms show a prefix at most: never the middle of a value.
  for (const v of PLANTED) assert.ok(!output.includes(v.slice(4, 12)), `${where} prints part of a planted secret`);
}

const roots: string[] = [];
after(() => roots.forEach(removeWorkspace));

describe('no secret value in any output', () => {
  const root = tempWorkspace(FILES);
  roots.push(root);

  for (const format of ['text', 'json', 'sarif', 'github', 'gitlab', 'junit']) {
    it(`bulkhead scan --format ${format} --stats`, () => {
      const r = spawnSync(process.execPath, [BIN, 'scan', '.', '--profile', 'all', '--format', format, '--stats'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60000,
        env: { ...process.env, NO_COLOR: '1' },
      });
      assert.equal(r.status, 1, r.stderr);
      const out = r.stdout + r.stderr;
      for (const id of [
        'secret-in-env',
        'secret-in-command-args',
        'secret-in-configmap',
        'secret-in-annotation',
        'secret-object-committed',
        'kubeconfig-embedded-credentials',
        'helm-values-secret',
        'dotenv-secret',
        'dockerfile-hardcoded-token',
        'dockerfile-secret-in-arg-env',
        'kustomize-secret-literal',
        'kubeconfig-committed-key-file',
        'dockerfile-secret-in-label',
        'dockerfile-secret-in-run',
      ]) {
        assert.ok(out.includes(id), `${format}: expected a ${id} finding`);
      }
      assertNoSecret(out, `--format ${format}`);
      // The new kinds are each reported (so that their absence from the output proves something).
      for (const file of [
        'overlay/kustomization.yaml',
        'overlay/api.properties',
        'overlay/stripe.txt',
        'ops/keyed.conf',
        'k8s/regcred.yaml',
        'ops/oidc.conf',
        'chart/templates/deploy.yaml',
      ])
        assert.ok(out.includes(file), `${format}: expected a finding in ${file}`);
    });
  }

  it('bulkhead scan --write-baseline: the baseline file', () => {
    const r = spawnSync(process.execPath, [BIN, 'scan', '.', '--profile', 'all', '--write-baseline', 'baseline.json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const written = fs.readFileSync(path.join(root, 'baseline.json'), 'utf8');
    fs.rmSync(path.join(root, 'baseline.json'));
    assert.ok(written.includes('secret-object-committed') && written.includes('dotenv-secret'), 'the baseline records the secret findings');
    assertNoSecret(r.stdout + r.stderr + written, '--write-baseline');
  });

  it('bulkhead scan --fix --unsafe-fixes output (and what it wrote keeps no planted value where it fixed)', () => {
    const copy = tempWorkspace(FILES);
    roots.push(copy);
    const r = spawnSync(process.execPath, [BIN, 'scan', '.', '--profile', 'all', '--fix', '--unsafe-fixes'], {
      cwd: copy,
      encoding: 'utf8',
      timeout: 60000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assertNoSecret(r.stdout + r.stderr, '--fix');
    assert.ok(!fs.readFileSync(path.join(copy, 'k8s/secret.yaml'), 'utf8').includes(API_KEY), 'the placeholder fix replaced the stringData value');
  });

  it('the language server: diagnostics, hovers, code actions and its log', async () => {
    const server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let log = '';
    server.stderr!.on('data', (c: Buffer) => (log += c.toString('utf8')));
    const client = new LspClient(server);
    try {
      await client.initialize(root, { debounceMs: 10, profile: 'all' });
      let seen = 0;
      const reported = new Set<string>();
      for (const [name, text] of Object.entries(FILES)) {
        if (READ_ONLY.has(name)) continue;
        const uri = pathToFileURL(path.join(root, name)).href;
        const published = client.waitForDiagnostics(uri, 1);
        client.notify('textDocument/didOpen', { textDocument: { uri, languageId: name.endsWith('Dockerfile') ? 'dockerfile' : 'yaml', version: 1, text } });
        const d = await published;
        assertNoSecret(JSON.stringify(d), `diagnostics of ${name}`);
        if (d.diagnostics.length) reported.add(name);
        for (const diag of d.diagnostics) {
          seen++;
          const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: diag.range.start });
          assertNoSecret(JSON.stringify(hover), `hover in ${name}`);
          const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
          // Edits may write placeholders, never print values: only titles are shown.
          assertNoSecret(JSON.stringify((actions as { title: string }[]).map((a) => a.title)), `code action titles in ${name}`);
        }
      }
      for (const file of [
        'overlay/kustomization.yaml',
        'overlay/api.properties',
        'overlay/stripe.txt',
        'ops/keyed.conf',
        'k8s/regcred.yaml',
        'ops/oidc.conf',
        'chart/templates/deploy.yaml',
      ])
        assert.ok(reported.has(file), `the server reports ${file}`);
      assert.ok(seen >= 20, `expected the planted secrets to be reported, saw ${seen} diagnostics`);
      const logs = client.notifications.filter((m) => m.method === 'window/logMessage' || m.method === 'window/showMessage');
      assertNoSecret(JSON.stringify(logs) + log, 'the server log');
    } finally {
      await client.shutdown().catch(() => undefined);
      server.kill();
    }
  });
});
