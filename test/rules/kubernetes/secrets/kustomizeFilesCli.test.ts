/**
 * Through the built CLI: a kind-less kustomization.yaml is read by its name, the files its generators
 * read are scanned whatever their name, a kubeconfig's committed key file is found; and nothing is read
 * through a link that leaves the scanned folder, nor beyond the size cap.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST, REPO_ROOT } from '../../../support/paths';
import { LspClient, PublishedDiagnostics } from '../../../support/lspClient';
import { removeWorkspace, tempWorkspace } from '../../../support/tempWorkspace';
import { API_KEY, DB_PASSWORD, PEM_KEY } from './fixtures';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

interface JsonFinding {
  ruleId: string;
  file: string;
  range: { start: { line: number } };
  related?: { file: string }[];
}

function scan(root: string): JsonFinding[] {
  const r = spawnSync(process.execPath, [BIN, 'scan', '.', '--profile', 'all', '--format', 'json'], { cwd: root, encoding: 'utf8', timeout: 60000 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter(
    (f) => f.ruleId === 'kustomize-secret-literal' || f.ruleId === 'dotenv-secret' || f.ruleId === 'kubeconfig-committed-key-file',
  );
}

const roots: string[] = [];
after(() => roots.forEach(removeWorkspace));

describe('CLI: kustomizations by name, generator inputs, kubeconfig key files', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-outside-'));
  roots.push(outside);
  fs.writeFileSync(path.join(outside, 'prod.env'), `DB_PASSWORD=${DB_PASSWORD}\n`);
  fs.writeFileSync(path.join(outside, 'admin.key'), PEM_KEY);
  const root = tempWorkspace({
    'base/kustomization.yaml': `resources: []\nsecretGenerator:\n- name: db\n  literals: [DB_PASSWORD=${DB_PASSWORD}]\n  envs: [db.properties, linked.env]\n  files: [big.txt, missing.txt]\n`,
    'base/db.properties': `DB_USER=app\nAPI_PASSWORD=${API_KEY}\n`,
    'base/big.txt': `API_PASSWORD=${API_KEY}\n${'#'.repeat(300 * 1024)}\n`,
    'other/generators.yaml': `secretGenerator:\n- name: db\n  literals: [DB_PASSWORD=${DB_PASSWORD}]\n  envs: [db2.properties]\n`,
    'other/db2.properties': `API_PASSWORD=${API_KEY}\n`,
    'ops/admin.conf':
      'apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: admin\n  user:\n    client-key: keys/admin.key\n- name: linked\n  user:\n    client-key: keys/linked.key\n',
    'ops/keys/admin.key': PEM_KEY,
  });
  roots.push(root);
  // Links out of the scanned folder: never read, whatever names them.
  fs.symlinkSync(path.join(outside, 'prod.env'), path.join(root, 'base/linked.env'));
  fs.symlinkSync(path.join(outside, 'admin.key'), path.join(root, 'ops/keys/linked.key'));

  const findings = scan(root);
  const where = (f: JsonFinding) => `${f.ruleId} ${f.file}:${f.range.start.line}`;

  it('reports the kind-less kustomization, its .properties input and the committed key file, and nothing else', () => {
    assert.deepEqual(findings.map(where).sort(), [
      'dotenv-secret base/db.properties:1',
      'kubeconfig-committed-key-file ops/admin.conf:6',
      'kustomize-secret-literal base/kustomization.yaml:3',
    ]);
  });

  it('related information names the kustomization and the key file', () => {
    assert.deepEqual(
      findings.find((f) => f.ruleId === 'dotenv-secret')?.related?.map((r) => r.file),
      ['base/kustomization.yaml'],
    );
    assert.deepEqual(
      findings.find((f) => f.ruleId === 'kubeconfig-committed-key-file')?.related?.map((r) => r.file),
      ['ops/keys/admin.key'],
    );
  });
});

describe('language server: the workspace scan lints generator inputs of any name', () => {
  it('publishes the .properties input of a kind-less kustomization, and nothing for an unreferenced one', async () => {
    const root = tempWorkspace({
      'base/kustomization.yaml': 'secretGenerator:\n- name: db\n  envs: [db.properties]\n',
      'base/db.properties': `DB_USER=app\nDB_PASSWORD=${DB_PASSWORD}\n`,
      'base/unused.properties': `DB_PASSWORD=${DB_PASSWORD}\n`,
    });
    roots.push(root);
    const server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new LspClient(server);
    try {
      await client.initialize(root, { debounceMs: 10, profile: 'all' });
      const input = pathToFileURL(path.join(root, 'base/db.properties')).href;
      const published = client.waitForDiagnostics(input);
      const result = await client.request<{ files: number; cancelled: boolean }>('bulkhead/scanWorkspace', {});
      assert.equal(result.cancelled, false);
      const d = await published;
      assert.deepEqual(
        d.diagnostics.map((x) => [x.code, x.range.start.line]),
        [['dotenv-secret', 1]],
      );
      assert.match(JSON.stringify(d.diagnostics[0]), /"relatedInformation".*kustomization\.yaml/);
      const uris = client.notifications.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => (m.params as PublishedDiagnostics).uri);
      assert.ok(!uris.includes(pathToFileURL(path.join(root, 'base/unused.properties')).href), 'an unreferenced .properties file is not scanned');
    } finally {
      await client.shutdown().catch(() => undefined);
      server.kill();
    }
  });
});
