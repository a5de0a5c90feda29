/**
 * The network pack through the language server: a Service in svc.yaml and its Deployment in
 * app.yaml see each other, editing one file updates the other's diagnostics, and cross-object
 * findings carry relatedInformation pointing into the other file.
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

const APP = (port: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: example/web:1\n        ports:\n        - containerPort: ${port}\n`;
const SVC =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 8080\n';
const POLICY =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  ingress:\n  - ports:\n    - port: 80\n';

interface Related {
  location: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
  message: string;
}
type Diagnostic = PublishedDiagnostics['diagnostics'][number] & { relatedInformation?: Related[] };

describe('network rules through the language server', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  const uriOf = (name: string) => pathToFileURL(path.join(root, name)).href;

  /** The first published diagnostics of `uri` (already received or coming) that satisfy `ok`. */
  function until(uri: string, ok: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const latest = client.latest.get(uri);
    if (latest && ok(latest.diagnostics as Diagnostic[])) return Promise.resolve(latest.diagnostics as Diagnostic[]);
    return client
      .waitFor(
        (m) =>
          m.method === 'textDocument/publishDiagnostics' &&
          (m.params as PublishedDiagnostics).uri === uri &&
          ok((m.params as PublishedDiagnostics).diagnostics as Diagnostic[]),
      )
      .then((m) => (m.params as PublishedDiagnostics).diagnostics as Diagnostic[]);
  }
  const has = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);
  const lacks = (code: string) => (d: Diagnostic[]) => !d.some((x) => x.code === code);

  before(async () => {
    root = tempWorkspace({ 'k8s/app.yaml': APP(7070), 'k8s/svc.yaml': SVC, 'k8s/policy.yaml': POLICY });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 20, profile: 'all' });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  it('a Service sees the Deployment of another file, with relatedInformation into it', async () => {
    const svc = uriOf('k8s/svc.yaml');
    const app = uriOf('k8s/app.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: svc, languageId: 'yaml', version: 1, text: SVC } });
    const d = await until(svc, has('service-target-port-undeclared'));
    const f = d.find((x) => x.code === 'service-target-port-undeclared')!;
    assert.deepEqual(f.range, { start: { line: 9, character: 16 }, end: { line: 9, character: 20 } });
    assert.match(f.message, /Deployment\/web \(app\.yaml\)/);
    assert.equal(f.relatedInformation?.length, 1);
    assert.equal(f.relatedInformation![0].location.uri, app);
    // The containerPort value in app.yaml: line 16, `        - containerPort: 7070`.
    assert.deepEqual(f.relatedInformation![0].location.range, { start: { line: 16, character: 25 }, end: { line: 16, character: 29 } });
  });

  it('editing the Deployment in app.yaml updates the Service diagnostics in svc.yaml', async () => {
    const svc = uriOf('k8s/svc.yaml');
    const app = uriOf('k8s/app.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: app, languageId: 'yaml', version: 1, text: APP(7070) } });
    await until(app, () => true);
    client.notify('textDocument/didChange', { textDocument: { uri: app, version: 2 }, contentChanges: [{ text: APP(8080) }] });
    await until(svc, lacks('service-target-port-undeclared'));
    client.notify('textDocument/didChange', { textDocument: { uri: app, version: 3 }, contentChanges: [{ text: APP(9090) }] });
    const d = await until(svc, has('service-target-port-undeclared'));
    assert.match(d.find((x) => x.code === 'service-target-port-undeclared')!.message, /they declare 9090/);
  });

  it('a policy on the Service port: the safe fix through code actions, and the Service edit that resolves it', async () => {
    const policy = uriOf('k8s/policy.yaml');
    const svc = uriOf('k8s/svc.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: policy, languageId: 'yaml', version: 1, text: POLICY } });
    const d = await until(policy, has('networkpolicy-port-mismatch'));
    const f = d.find((x) => x.code === 'networkpolicy-port-mismatch')!;
    assert.match(f.message, /the Service port of Service\/web \(svc\.yaml\).*forwards to 8080/);
    assert.equal(f.relatedInformation![0].location.uri, svc);
    const actions = await client.request<{ title: string; isPreferred?: boolean; edit?: { changes?: Record<string, LspEdit[]> } }[]>(
      'textDocument/codeAction',
      { textDocument: { uri: policy }, range: f.range, context: { diagnostics: [f] } },
    );
    const preferred = actions.find((a) => a.isPreferred)!;
    assert.equal(preferred.title, 'Change port 80 to 8080, the port the pods receive on');
    assert.equal(applyLspEdits(POLICY, preferred.edit!.changes![policy]), POLICY.replace('- port: 80', '- port: 8080'));
    // The Service now forwards 80 → 9090 (the Deployment declares 9090): the finding follows the Service edit.
    client.notify('textDocument/didChange', {
      textDocument: { uri: svc, version: 2 },
      contentChanges: [{ text: SVC.replace('targetPort: 8080', 'targetPort: 9090') }],
    });
    const after = await until(policy, (x) => x.some((y) => y.code === 'networkpolicy-port-mismatch' && /forwards to 9090/.test(y.message)));
    assert.ok(after.length > 0);
    await until(svc, lacks('service-target-port-undeclared'));
  });
});
