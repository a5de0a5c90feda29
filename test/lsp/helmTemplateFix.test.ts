/**
 * A Helm template fix where the chart has no values hook, through the language server: the
 * diagnostic says the chart cannot set the setting from values, the quick-fix adds the lines inside
 * the `{{ with }}` that wraps the Deployment, and after it the finding is gone.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST } from '../support/paths';
import { LspClient, PublishedDiagnostics } from '../support/lspClient';
import { applyLspEdits, LspEdit } from '../support/lspEdits';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

type Diagnostic = PublishedDiagnostics['diagnostics'][number];
interface CodeAction {
  title: string;
  edit?: { changes?: Record<string, LspEdit[]> };
}

const TEMPLATE = [
  '{{- with .Values.web }}',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  selector:',
  '    matchLabels: {app: web}',
  '  template:',
  '    metadata:',
  '      labels: {app: web}',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: "nginx:{{ .tag }}"',
  '{{- end }}',
  '',
].join('\n');

const FILES = {
  'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'web/values.yaml': 'web:\n  tag: "1.27"\n',
  'web/ci/off-values.yaml': 'web: null\n',
  'web/templates/deployment.yaml': TEMPLATE,
};

describe('helm template fix without a values hook, through the language server', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;

  before(async () => {
    root = tempWorkspace(FILES);
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 20, profile: 'all' });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  function until(uri: string, ok: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const latest = client.latest.get(uri);
    if (latest && ok(latest.diagnostics)) return Promise.resolve(latest.diagnostics);
    return client
      .waitFor(
        (m) =>
          m.method === 'textDocument/publishDiagnostics' &&
          (m.params as PublishedDiagnostics).uri === uri &&
          ok((m.params as PublishedDiagnostics).diagnostics),
      )
      .then((m) => (m.params as PublishedDiagnostics).diagnostics);
  }

  it('says the chart cannot set it from values, and the fix adds it inside the with', async () => {
    const uri = pathToFileURL(path.join(root, 'web/templates/deployment.yaml')).href;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'helm', version: 1, text: TEMPLATE } });
    const d = await until(uri, (x) => x.some((y) => y.code === 'missing-seccomp-profile'));
    const f = d.find((x) => x.code === 'missing-seccomp-profile')!;
    assert.match(f.message, /\(this chart cannot set securityContext\.seccompProfile\.type from values: add it to the template\)$/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: f.range, context: { diagnostics: [f] } });
    const fix = actions.find((a) => a.title.startsWith('Add seccompProfile RuntimeDefault to the pod in the template'));
    assert.ok(fix, `a template fix: ${actions.map((a) => a.title).join('; ')}`);
    const text = applyLspEdits(TEMPLATE, fix.edit!.changes![uri]);
    assert.match(text, /image: "nginx:\{\{ \.tag \}\}"\n {6}securityContext:\n {8}seccompProfile:\n {10}type: RuntimeDefault\n\{\{- end \}\}\n$/);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text }] });
    await until(uri, (x) => !x.some((y) => y.code === 'missing-seccomp-profile'));
  });
});
