/**
 * The RBAC pack through the language server: a workload in app.yaml, its binding in binding.yaml and
 * the role in role.yaml. Editing the binding or the role changes the workload's diagnostics, which
 * carry relatedInformation pointing at the binding and the role.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST } from '../support/paths';
import { LspClient, PublishedDiagnostics } from '../support/lspClient';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const APP =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bot\n  namespace: ops\nspec:\n  selector:\n    matchLabels: {app: bot}\n  template:\n    metadata:\n      labels: {app: bot}\n    spec:\n      serviceAccountName: bot\n      containers:\n      - name: bot\n        image: example/bot:1\n';
const BINDING = (role: string, kind = 'ClusterRole') =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind === 'Role' ? 'RoleBinding' : 'ClusterRoleBinding'}\nmetadata:\n  name: bot\n${kind === 'Role' ? '  namespace: ops\n' : ''}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ${kind}\n  name: ${role}\nsubjects:\n- kind: ServiceAccount\n  name: bot\n  namespace: ops\n`;
const ROLE = (verbs: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: bot\n  namespace: ops\nrules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: ${verbs}\n`;

interface Related {
  location: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
  message: string;
}
type Diagnostic = PublishedDiagnostics['diagnostics'][number] & { relatedInformation?: Related[] };

describe('RBAC chains and attack paths through the language server', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  const uriOf = (name: string) => pathToFileURL(path.join(root, name)).href;

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
  const find = (d: Diagnostic[], code: string) => d.find((x) => x.code === code);

  before(async () => {
    root = tempWorkspace({ 'k8s/app.yaml': APP, 'k8s/binding.yaml': BINDING('view'), 'k8s/role.yaml': ROLE('[get, list]') });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 20, profile: 'all' });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  it('a harmless binding: no chain, no path', async () => {
    const app = uriOf('k8s/app.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: app, languageId: 'yaml', version: 1, text: APP } });
    const d = await until(app, (x) => x.some((y) => y.code === 'automount-service-account-token'));
    assert.equal(find(d, 'attack-path'), undefined);
    assert.equal(find(d, 'workload-rbac-rights'), undefined);
  });

  it('editing the binding to cluster-admin gives the workload a two-step path, related to the binding', async () => {
    const app = uriOf('k8s/app.yaml');
    const binding = uriOf('k8s/binding.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: binding, languageId: 'yaml', version: 1, text: BINDING('view') } });
    client.notify('textDocument/didChange', { textDocument: { uri: binding, version: 2 }, contentChanges: [{ text: BINDING('cluster-admin') }] });
    const d = await until(app, (x) => !!find(x, 'attack-path'));
    const f = find(d, 'attack-path')!;
    assert.match(f.message, /2 steps from cluster-admin .*IDENTITY_ASSUME.*PERMISSION_DISCOVER.*ClusterRoleBinding\/bot/);
    // On `serviceAccountName: bot` (line 12), where the first step starts.
    assert.deepEqual(f.range, { start: { line: 12, character: 26 }, end: { line: 12, character: 29 } });
    const rel = f.relatedInformation!.find((r) => r.location.uri === binding)!;
    assert.ok(rel, 'related location in binding.yaml');
    // The roleRef name in binding.yaml: line 7, `  name: cluster-admin`.
    assert.deepEqual(rel.location.range, { start: { line: 7, character: 8 }, end: { line: 7, character: 21 } });
    // The binding's own finding names the workload of the other file.
    const b = await until(binding, (x) => !!find(x, 'rbac-cluster-admin-binding'));
    assert.match(find(b, 'rbac-cluster-admin-binding')!.message, /run by Deployment\/bot \(app\.yaml\)/);
  });

  it('hovering the binding, or the workload, shows the paths through it', async () => {
    type HoverResult = { contents: { kind: string; value: string } } | null;
    // `metadata:` of the binding: no finding there, only the paths.
    const onBinding = await client.request<HoverResult>('textDocument/hover', {
      textDocument: { uri: uriOf('k8s/binding.yaml') },
      position: { line: 2, character: 2 },
    });
    assert.match(onBinding!.contents.value, /\*\*Attack paths\*\* through ClusterRoleBinding\/bot/);
    assert.match(onBinding!.contents.value, /Deployment\/bot → cluster-admin in 2 steps: `IDENTITY_ASSUME` → `PERMISSION_DISCOVER`/);
    const onWorkload = await client.request<HoverResult>('textDocument/hover', {
      textDocument: { uri: uriOf('k8s/app.yaml') },
      position: { line: 0, character: 2 },
    });
    assert.match(onWorkload!.contents.value, /\*\*Attack paths\*\* from Deployment\/bot/);
    assert.match(onWorkload!.contents.value, /PERMISSION_DISCOVER: holds every verb on every resource/);
  });

  it('pointing the binding at a Role of role.yaml, then editing the role, updates the workload', async () => {
    const app = uriOf('k8s/app.yaml');
    const binding = uriOf('k8s/binding.yaml');
    const role = uriOf('k8s/role.yaml');
    client.notify('textDocument/didChange', { textDocument: { uri: binding, version: 3 }, contentChanges: [{ text: BINDING('bot', 'Role') }] });
    await until(app, (x) => !find(x, 'attack-path') && !find(x, 'workload-rbac-rights'));
    client.notify('textDocument/didOpen', { textDocument: { uri: role, languageId: 'yaml', version: 1, text: ROLE('[get, list]') } });
    client.notify('textDocument/didChange', { textDocument: { uri: role, version: 2 }, contentChanges: [{ text: ROLE('[get, create]') }] });
    const d = await until(app, (x) => !!find(x, 'attack-path') && !!find(x, 'workload-rbac-rights'));
    assert.match(find(d, 'attack-path')!.message, /2 steps from root on a node .*POD_CREATE.*RoleBinding\/bot → Role\/bot/);
    const rights = find(d, 'workload-rbac-rights')!;
    assert.match(rights.message, /can create pods or pod controllers in namespace ops/);
    assert.deepEqual(
      rights.relatedInformation!.map((r) => r.location.uri),
      [binding, role],
    );
    // The role's rule: `  verbs: [get, create]` on line 8.
    assert.equal(rights.relatedInformation![1].location.range.start.line, 8);
    client.notify('textDocument/didChange', { textDocument: { uri: role, version: 3 }, contentChanges: [{ text: ROLE('[get]') }] });
    await until(app, (x) => !find(x, 'attack-path') && !find(x, 'workload-rbac-rights'));
  });
});
