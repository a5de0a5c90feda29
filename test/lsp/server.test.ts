/**
 * The bundled language server (dist/server.js), spawned over stdio and spoken to in LSP, as an
 * editor would: open, type, get diagnostics, ask for code actions, apply them, scan the workspace.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST } from '../support/paths';
import { LspClient, PublishedDiagnostics } from '../support/lspClient';
import { applyLspEdits, LspEdit } from '../support/lspEdits';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: { changes?: Record<string, LspEdit[]> };
}

const DEPLOYMENT = [
  '# a comment that must survive fixes',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      serviceAccount: web # keep me',
  '      containers:',
  '        - name: web',
  '          image: nginx:1.27',
  '          securityContext:',
  '            privileged: true',
  '',
].join('\n');

function codes(d: PublishedDiagnostics): string[] {
  return d.diagnostics.map((x) => String(x.code)).sort();
}

describe('language server over stdio', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  const uriOf = (name: string) => pathToFileURL(path.join(root, name)).href;
  let version = 1;

  before(async () => {
    root = tempWorkspace({
      'k8s/other.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: other}\nspec:\n  hostPID: true\n  containers: [{name: c, image: busybox:1.36}]\n',
      'k8s/ignored/skip.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: skip}\nspec:\n  hostIPC: true\n  containers: [{name: c}]\n',
      'k8s/binary.yaml': Buffer.from([0x61, 0x3a, 0x00, 0x01, 0x02]),
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      '.bulkhead.yaml': 'rules:\n  host-ipc: warning\nexclude:\n  - k8s/ignored/\n',
    });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    // The baseline profile keeps these expectations about the server, not about the restricted-level rules.
    await client.initialize(root, {
      debounceMs: 20,
      profile: 'pss-baseline',
      rules: { 'deprecated-service-account-field': 'on', 'dockerfile-runs-as-root': 'on' },
    });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  it('publishes diagnostics on open, at the offending key', async () => {
    const uri = uriOf('k8s/web.yaml');
    const published = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: DEPLOYMENT } });
    const d = await published;
    assert.deepEqual(codes(d), ['deprecated-service-account-field', 'privileged-container']);
    const privileged = d.diagnostics.find((x) => x.code === 'privileged-container')!;
    assert.deepEqual(privileged.range, { start: { line: 13, character: 12 }, end: { line: 13, character: 28 } });
    assert.equal(privileged.severity, 1);
    assert.equal(privileged.source, 'bulkhead');
  });

  it('re-lints on change, and only the latest version is published', async () => {
    const uri = uriOf('k8s/web.yaml');
    const final = client.waitForDiagnostics(uri, 5);
    for (version = 2; version <= 5; version++) {
      const text = version === 5 ? DEPLOYMENT.replace('privileged: true', 'privileged: false') : DEPLOYMENT.replace('name: web', `name: web${version}`);
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    }
    version = 5;
    const d = await final;
    assert.deepEqual(codes(d), ['deprecated-service-account-field']);
    await new Promise((r) => setTimeout(r, 100));
    // Versions 2-4 were typed in quick succession: at most one of them may be linted.
    const stale = client.notifications.filter(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' &&
        (m.params as PublishedDiagnostics).uri === uri &&
        ((m.params as PublishedDiagnostics).version ?? 0) > 1 &&
        ((m.params as PublishedDiagnostics).version ?? 0) < 5,
    );
    const afterFinal = client.notifications.slice(
      client.notifications.findIndex((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as PublishedDiagnostics).version === 5),
    );
    assert.ok(!afterFinal.some((m) => stale.includes(m)), 'a stale version was published after the latest one');
    assert.ok(stale.length <= 1, `debounce should coalesce quick edits; got ${stale.length} stale publications`);
  });

  it('offers a preferred quick-fix whose edit removes the finding and keeps comments', async () => {
    const uri = uriOf('k8s/web.yaml');
    const current = DEPLOYMENT.replace('privileged: true', 'privileged: false');
    const range = { start: { line: 8, character: 6 }, end: { line: 8, character: 6 } };
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } });
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(preferred[0].kind, 'quickfix');
    const fixed = applyLspEdits(current, preferred[0].edit!.changes![uri]);
    assert.match(fixed, /serviceAccountName: web # keep me/);
    assert.match(fixed, /^# a comment that must survive fixes/);
    version++;
    const published = client.waitForDiagnostics(uri, version);
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: fixed }] });
    assert.deepEqual(codes(await published), []);
  });

  it('offers "ignore here" and "ignore in file" actions that silence the rule', async () => {
    const uri = uriOf('k8s/ignore.yaml');
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c}]\n';
    const opened = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const d = await opened;
    assert.deepEqual(codes(d), ['host-network']);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.diagnostics[0].range,
      context: { diagnostics: d.diagnostics },
    });
    const titles = actions.map((a) => a.title);
    assert.ok(
      titles.some((t) => /may change behaviour/.test(t)),
      `unsafe fix is labelled: ${titles}`,
    );
    assert.ok(!actions.some((a) => a.isPreferred), 'an unsafe fix is never preferred');
    const here = actions.find((a) => a.title === 'Ignore "host-network" here')!;
    const ignored = applyLspEdits(text, here.edit!.changes![uri]);
    assert.equal(
      ignored,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  # bulkhead-ignore host-network\n  hostNetwork: true\n  containers: [{name: c}]\n',
    );
    const inFile = actions.find((a) => a.title === 'Ignore "host-network" in this file')!;
    assert.equal(applyLspEdits(text, inFile.edit!.changes![uri]), `# bulkhead-ignore-file host-network\n${text}`);
    const republished = client.waitForDiagnostics(uri, 2);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: ignored }] });
    assert.deepEqual(codes(await republished), []);
  });

  it('answers hovers over a finding with the rule documentation', async () => {
    const uri = uriOf('k8s/ignore.yaml');
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers: [{name: c}]\n';
    const published = client.waitForDiagnostics(uri, 3);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
    await published;
    const hover = await client.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 4, character: 4 },
    });
    assert.ok(hover);
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /`host-network`/);
    assert.match(hover.contents.value, /pss:baseline/);
    const nothing = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.equal(nothing, null);
  });

  it('reports a YAML syntax error at its position and still lints the other documents', async () => {
    const uri = uriOf('k8s/broken.yaml');
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a\nspec: [\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  hostPID: true\n  containers: [{name: c}]\n';
    const published = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const d = await published;
    assert.deepEqual(codes(d), ['host-pid', 'yaml-syntax-error']);
    const syntax = d.diagnostics.find((x) => x.code === 'yaml-syntax-error')!;
    assert.ok(syntax.range.start.line >= 2 && syntax.range.start.line <= 4, JSON.stringify(syntax.range));
  });

  it('lints Dockerfiles by language id', async () => {
    const uri = uriOf('build/app.df');
    const published = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM python:3.12\r\nRUN pip install flask\r\n' },
    });
    assert.deepEqual(codes(await published), ['dockerfile-runs-as-root']);
  });

  it('ignores YAML that is not Kubernetes, quietly', async () => {
    const uri = uriOf('.github/workflows/ci.yml');
    const published = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: 'on: push\njobs:\n  a: {runs-on: x, privileged: true}\n' },
    });
    assert.deepEqual((await published).diagnostics, []);
  });

  it('scans the workspace: publishes for unopened files, honours .bulkhead.yaml, reports skipped files', async () => {
    const other = client.waitForDiagnostics(uriOf('k8s/other.yaml'));
    const result = await client.request<{ files: number; findings: number; errors: { file: string; message: string }[]; cancelled: boolean }>(
      'bulkhead/scanWorkspace',
      {},
    );
    assert.equal(result.cancelled, false);
    assert.deepEqual(codes(await other), ['host-pid']);
    assert.ok(
      result.errors.some((e) => e.file.endsWith('binary.yaml') && /binary/.test(e.message)),
      JSON.stringify(result.errors),
    );
    const published = client.notifications.filter((m) => m.method === 'textDocument/publishDiagnostics').map((m) => (m.params as PublishedDiagnostics).uri);
    assert.ok(!published.includes(uriOf('k8s/ignored/skip.yaml')), 'excluded by .bulkhead.yaml');
    const progress = client.notifications.filter((m) => m.method === 'bulkhead/scanProgress');
    assert.ok(progress.length > 0, 'progress notifications');
    assert.equal(result.files, 1, 'only other.yaml is on disk, lintable and not excluded');
  });

  it('applies .bulkhead.yaml over settings (host-ipc lowered to warning)', async () => {
    const uri = uriOf('k8s/ipc.yaml');
    const published = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: 'apiVersion: v1\nkind: Pod\nspec:\n  hostIPC: true\n  containers: [{name: c}]\n' },
    });
    const d = await published;
    assert.deepEqual(codes(d), ['host-ipc']);
    assert.equal(d.diagnostics[0].severity, 2);
  });

  it('keeps serving after a file changes on disk and the config is deleted', async () => {
    fs.rmSync(path.join(root, '.bulkhead.yaml'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.bulkhead.yaml'), type: 3 }] });
    const republished = client.waitForDiagnostics(uriOf('k8s/ipc.yaml'));
    const d = await republished;
    assert.equal(d.diagnostics[0].severity, 1, 'back to its default severity, error');
    const hover = await client.request('textDocument/hover', { textDocument: { uri: uriOf('k8s/ipc.yaml') }, position: { line: 3, character: 3 } });
    assert.ok(hover);
  });
});

describe('language server: files the user has not opened', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;

  before(async () => {
    root = tempWorkspace({
      'cluster/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n',
      'images/api/Dockerfile': 'FROM alpine:3.20\nEXPOSE 8080 6060\nUSER 65532\n',
      'deploy/api.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: registry.example.com/api:1\n        ports: [{containerPort: 8080}]\n',
    });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 20 });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  async function diagnosticsWith(uri: string, code: string): Promise<PublishedDiagnostics> {
    const has = (m: { method?: string; params?: unknown }) =>
      m.method === 'textDocument/publishDiagnostics' &&
      (m.params as PublishedDiagnostics).uri === uri &&
      (m.params as PublishedDiagnostics).diagnostics.some((d) => d.code === code);
    const seen = client.notifications.find(has);
    if (seen) return seen.params as PublishedDiagnostics;
    return (await client.waitFor(has, 20000)).params as PublishedDiagnostics;
  }

  it('indexes the workspace in the background: the admission preview sees a Namespace on disk', async () => {
    const uri = pathToFileURL(path.join(root, 'deploy/privileged.yaml')).href;
    client.notify('textDocument/didOpen', {
      textDocument: {
        uri,
        languageId: 'yaml',
        version: 1,
        text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  hostPID: true\n  containers: [{name: c, image: busybox:1.36}]\n',
      },
    });
    const d = await diagnosticsWith(uri, 'pod-security-admission-rejects');
    const admission = d.diagnostics.find((x) => x.code === 'pod-security-admission-rejects')!;
    assert.match(admission.message, /namespace "shop" enforces Pod Security "baseline"/);
    assert.equal(admission.range.start.line, 2);
  });

  it('an opened Dockerfile sees the Deployment on disk that runs its image (EXPOSE-only port)', async () => {
    const uri = pathToFileURL(path.join(root, 'images/api/Dockerfile')).href;
    client.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM alpine:3.20\nEXPOSE 8080 6060\nUSER 65532\n' },
    });
    const d = await diagnosticsWith(uri, 'dockerfile-expose-only-port');
    assert.deepEqual(
      d.diagnostics.filter((x) => x.code === 'dockerfile-expose-only-port').map((x) => x.range.start),
      [{ line: 1, character: 12 }],
    );
  });

  it('does not keep re-linting open documents that look across files', async () => {
    await new Promise((r) => setTimeout(r, 400));
    const count = () => client.notifications.filter((m) => m.method === 'textDocument/publishDiagnostics').length;
    const before = count();
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(count(), before, 'diagnostics keep being republished with nothing changing');
  });
});

describe('language server: closing a document that was edited and not saved', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  const uriOf = (name: string) => pathToFileURL(path.join(root, name)).href;
  const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n';
  const POD = (ns: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ${ns}}\nspec:\n  hostPID: true\n  containers: [{name: c, image: busybox:1.36}]\n`;

  before(async () => {
    root = tempWorkspace({ 'cluster/namespace.yaml': NAMESPACE });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 20 });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  /** The next diagnostics for `uri` whose admission finding is present (or absent), counting ones already published. */
  async function admission(uri: string, present: boolean): Promise<PublishedDiagnostics> {
    const matches = (p: PublishedDiagnostics | undefined) =>
      !!p && p.uri === uri && p.diagnostics.some((d) => d.code === 'pod-security-admission-rejects') === present;
    const latest = client.latest.get(uri);
    if (matches(latest)) return latest!;
    const m = await client.waitFor((x) => x.method === 'textDocument/publishDiagnostics' && matches(x.params as PublishedDiagnostics), 10000);
    return m.params as PublishedDiagnostics;
  }

  it('puts the text on disk back into the index: other files see the saved Namespace again', async () => {
    const pod = uriOf('deploy/pod.yaml');
    const ns = uriOf('cluster/namespace.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: ns, languageId: 'yaml', version: 1, text: NAMESPACE } });
    client.notify('textDocument/didOpen', { textDocument: { uri: pod, languageId: 'yaml', version: 1, text: POD('shop') } });
    await admission(pod, true);
    // Rename the namespace in the editor, unsaved: the pod's namespace no longer enforces anything.
    client.notify('textDocument/didChange', {
      textDocument: { uri: ns, version: 2 },
      contentChanges: [{ text: NAMESPACE.replace('name: shop', 'name: elsewhere') }],
    });
    await admission(pod, false);
    // Close without saving: the file on disk still says "shop".
    client.notify('textDocument/didClose', { textDocument: { uri: ns } });
    const d = await admission(pod, true);
    assert.match(d.diagnostics.find((x) => x.code === 'pod-security-admission-rejects')!.message, /namespace "shop" enforces/);
  });

  it('drops a never-saved file from the index when it is closed', async () => {
    const pod = uriOf('deploy/pod2.yaml');
    const ns = uriOf('cluster/unsaved.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: ns, languageId: 'yaml', version: 1, text: NAMESPACE.replace('name: shop', 'name: draft') } });
    client.notify('textDocument/didOpen', { textDocument: { uri: pod, languageId: 'yaml', version: 1, text: POD('draft') } });
    await admission(pod, true);
    client.notify('textDocument/didClose', { textDocument: { uri: ns } });
    await admission(pod, false);
  });
});
