/** The reachability hover and the Generate NetworkPolicies command through the real language server. */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST } from '../support/paths';
import { LspClient } from '../support/lspClient';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';
import { deploy, policy } from './support';

const WEB = deploy('web', 'shop', { app: 'web' }, ['http:8080']);
const API = deploy('api', 'shop', { app: 'api' });
const POLICY = policy(
  'web-in',
  'shop',
  'podSelector: {matchLabels: {app: web}}\ningress:\n- from: [{podSelector: {matchLabels: {app: api}}}]\n  ports: [{port: http}]',
);

describe('reachability through the language server', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  const uriOf = (name: string) => pathToFileURL(path.join(root, name)).href;

  before(async () => {
    root = tempWorkspace({ 'k8s/web.yaml': WEB, 'k8s/api.yaml': API, 'k8s/policy.yaml': POLICY });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    const init = (await client.initialize(root, { debounceMs: 20 })) as { capabilities: { executeCommandProvider?: { commands: string[] } } };
    assert.deepEqual(init.capabilities.executeCommandProvider?.commands, ['bulkhead.generateNetworkPolicies']);
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  it("hovering a workload's kind shows who reaches it, across the open files", async () => {
    for (const [name, text] of [
      ['k8s/api.yaml', API],
      ['k8s/policy.yaml', POLICY],
      ['k8s/web.yaml', WEB],
    ]) {
      const published = client.waitForDiagnostics(uriOf(name));
      client.notify('textDocument/didOpen', { textDocument: { uri: uriOf(name), languageId: 'yaml', version: 1, text } });
      await published;
    }
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: uriOf('k8s/web.yaml') },
      position: { line: 1, character: 2 },
    });
    assert.ok(hover);
    assert.match(hover.contents.value, /shop\/api\[Deployment\] => shop\/web\[Deployment\] : TCP 8080  \(NetworkPolicy shop\/web-in\)/);
  });
});
