/**
 * Baselines in the editor: the real server (dist/server.js over stdio) shows the findings the
 * project's baseline records as hints, and everything else at its severity.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspClient, type PublishedDiagnostics } from '../support/lspClient';
import { DIST, REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n`;

describe('baselined findings in the editor', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  const uriOf = (name: string) => pathToFileURL(path.join(root, name)).href;

  before(async () => {
    root = tempWorkspace({ 'old.yaml': pod('old'), 'new.yaml': pod('old') });
    // The baseline records old.yaml only (new.yaml arrives after it).
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'bulkhead.js'), 'scan', 'old.yaml', '--write-baseline', '.bulkhead-baseline.json'], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 0 });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  async function open(name: string): Promise<PublishedDiagnostics['diagnostics']> {
    const uri = uriOf(name);
    const published = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(path.join(root, name), 'utf8') } });
    return (await published).diagnostics;
  }

  it('a recorded finding is a hint; the same problem in a file the baseline does not record is an error', async () => {
    const old = await open('old.yaml');
    const fresh = await open('new.yaml');
    const privileged = (d: PublishedDiagnostics['diagnostics']) => d.find((x) => x.code === 'privileged-container')!;
    assert.equal(privileged(old).severity, 4, 'baselined: hint');
    assert.equal(privileged(fresh).severity, 1, 'new: error');
    assert.ok(
      old.every((x) => x.severity === 4),
      'every finding of old.yaml is recorded',
    );
    assert.deepEqual(
      old.map((x) => [x.code, x.message, x.range]),
      fresh.map((x) => [x.code, x.message, x.range]),
      'same findings otherwise',
    );
  });
});
