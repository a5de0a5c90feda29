/**
 * The language server on a hostile or broken workspace: a config error is told to the user instead of
 * failing silently, and chart values linked from outside the workspace never reach a diagnostic.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST } from '../support/paths';
import { LspClient } from '../support/lspClient';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const TEMPLATE = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: {{ .Values.image | quote }}\n';

describe('language server on a hostile workspace', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  let outside: string;

  before(async () => {
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-outside-'));
    fs.writeFileSync(path.join(outside, 'values.yaml'), 'image: "leaked-RUNNER-TOKEN-5678"\n');
    root = tempWorkspace({
      'app/.bulkhead.yaml': 'rules:\n  dockerfile-runs-as-root:\n    severity: warning\n    options:\n      nonRootBaseImages: python\n',
      'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
      'app/Dockerfile': 'FROM python:3.12\nCMD ["python"]\n',
      'chart/templates/pod.yaml': TEMPLATE,
    });
    fs.symlinkSync(path.join(outside, 'values.yaml'), path.join(root, 'chart/values.yaml'));
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 10 });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
    removeWorkspace(outside);
  });

  it('tells the user about a wrong-typed rule option, once', async () => {
    const uri = pathToFileURL(path.join(root, 'app/Dockerfile')).href;
    const shown = client.waitFor((m) => m.method === 'window/showMessage' && /nonRootBaseImages must be a list of strings/.test(JSON.stringify(m.params)));
    const published = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM python:3.12\nCMD ["python"]\n' } });
    const message = await shown;
    assert.match(JSON.stringify(message.params), /Those options are ignored/);
    const d = await published;
    assert.ok(
      d.diagnostics.some((x) => x.code === 'dockerfile-runs-as-root' && x.severity === 2),
      'the rest of the config still applies',
    );
  });

  it('does not read chart values through a link out of the workspace', async () => {
    const uri = pathToFileURL(path.join(root, 'chart/templates/pod.yaml')).href;
    const published = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'helm', version: 1, text: TEMPLATE } });
    const d = await published;
    assert.doesNotMatch(JSON.stringify(d), /RUNNER-TOKEN/);
  });
});
