/**
 * Helm values through the language server, on the example chart (examples/helm/node-agent):
 * hostNetwork and privileged turned on in values.yaml and passed through `toYaml | nindent` are
 * reported on the values lines (the template lines related) and on the template lines (the values
 * lines related); the quick-fix edits values.yaml, and once it is saved they are gone.
 */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DIST, REPO_ROOT } from '../support/paths';
import { LspClient, PublishedDiagnostics } from '../support/lspClient';
import { applyLspEdits, LspEdit } from '../support/lspEdits';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

interface Related {
  location: { uri: string; range: { start: { line: number; character: number } } };
  message: string;
}
type Diagnostic = PublishedDiagnostics['diagnostics'][number] & { relatedInformation?: Related[] };
interface CodeAction {
  title: string;
  edit?: { changes?: Record<string, LspEdit[]> };
}

/** The example chart's files, copied into a scratch workspace (the test edits values.yaml). */
function exampleChart(): Record<string, string> {
  const base = path.join(REPO_ROOT, 'examples', 'helm', 'node-agent');
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else files[path.join('node-agent', path.relative(base, full)).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(base);
  return files;
}

describe('helm values through the language server', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  const files = exampleChart();
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
  const has =
    (...codes: string[]) =>
    (d: Diagnostic[]) =>
      codes.every((c) => d.some((x) => x.code === c));

  before(async () => {
    root = tempWorkspace(files);
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 20, profile: 'recommended' });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  it('reports hostNetwork and privileged on the values lines, with the template lines related', async () => {
    const values = uriOf('node-agent/values.yaml');
    const text = files['node-agent/values.yaml'];
    client.notify('textDocument/didOpen', { textDocument: { uri: values, languageId: 'yaml', version: 1, text } });
    const d = await until(values, has('host-network', 'privileged-container'));
    const lineOf = (key: string) => text.split('\n').findIndex((l) => l.trimStart().startsWith(key));
    const host = d.find((x) => x.code === 'host-network')!;
    const priv = d.find((x) => x.code === 'privileged-container')!;
    assert.equal(host.range.start.line, lineOf('hostNetwork:'));
    assert.equal(priv.range.start.line, lineOf('privileged:'));
    const template = uriOf('node-agent/templates/daemonset.yaml');
    const templateLines = files['node-agent/templates/daemonset.yaml'].split('\n');
    assert.deepEqual(
      host.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
      [[template, templateLines.findIndex((l) => l.includes('toYaml .Values.pod'))]],
    );
    assert.deepEqual(
      priv.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
      [[template, templateLines.findIndex((l) => l.includes('toYaml .Values.securityContext'))]],
    );
  });

  it('reports them on the template lines too, with the values lines related', async () => {
    const template = uriOf('node-agent/templates/daemonset.yaml');
    const text = files['node-agent/templates/daemonset.yaml'];
    client.notify('textDocument/didOpen', { textDocument: { uri: template, languageId: 'helm', version: 1, text } });
    const d = await until(template, has('host-network', 'privileged-container'));
    const values = uriOf('node-agent/values.yaml');
    for (const code of ['host-network', 'privileged-container']) {
      const f = d.find((x) => x.code === code)!;
      assert.ok(
        f.relatedInformation?.some((r) => r.location.uri === values),
        `${code} names values.yaml`,
      );
      assert.match(f.message, /the value comes from values\.yaml line \d+/);
    }
  });

  it('hovering .Values.image.tag shows the value and the values line it comes from', async () => {
    const template = uriOf('node-agent/templates/daemonset.yaml');
    const lines = files['node-agent/templates/daemonset.yaml'].split('\n');
    const line = lines.findIndex((l) => l.includes('.Values.image.tag'));
    const character = lines[line].indexOf('.Values.image.tag') + '.Values.image.t'.length;
    const hover = await client.request<{ contents: { value: string }; range: { start: { character: number }; end: { character: number } } } | null>(
      'textDocument/hover',
      { textDocument: { uri: template }, position: { line, character } },
    );
    assert.ok(hover, 'a hover');
    assert.match(hover.contents.value, /\*\*\.Values\.image\.tag\*\*/);
    assert.match(hover.contents.value, /```yaml\n2\.3\.1\n```/);
    assert.match(hover.contents.value, /Set in values\.yaml, line 3\./);
    assert.equal(lines[line].slice(hover.range.start.character, hover.range.end.character), '.Values.image.tag');
  });

  it('the quick-fix edits values.yaml; saved, the findings are gone on both sides', async () => {
    const values = uriOf('node-agent/values.yaml');
    let text = files['node-agent/values.yaml'];
    let version = 1;
    for (const code of ['privileged-container', 'host-network']) {
      const d = await until(values, has(code));
      const f = d.find((x) => x.code === code)!;
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: values },
        range: f.range,
        context: { diagnostics: [f] },
      });
      const fix = actions.find((a) => a.title.endsWith('in values.yaml (may change behaviour)'));
      assert.ok(fix, `a values fix for ${code}: ${actions.map((a) => a.title).join('; ')}`);
      text = applyLspEdits(text, fix.edit!.changes![values]);
      client.notify('textDocument/didChange', { textDocument: { uri: values, version: ++version }, contentChanges: [{ text }] });
      await until(values, (x) => !x.some((y) => y.code === code));
    }
    assert.equal(text, files['node-agent/values.yaml'].replace('privileged: true', 'privileged: false').replace(/ {2}hostNetwork: true\n/, ''));
    // Saved: templates render with the file on disk, so the template's findings go too.
    fs.writeFileSync(path.join(root, 'node-agent/values.yaml'), text);
    client.notify('textDocument/didSave', { textDocument: { uri: values } });
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: values, type: 2 }] });
    const template = uriOf('node-agent/templates/daemonset.yaml');
    client.notify('textDocument/didChange', {
      textDocument: { uri: template, version: 2 },
      contentChanges: [{ text: files['node-agent/templates/daemonset.yaml'] + '\n' }],
    });
    await until(template, (x) => !x.some((y) => y.code === 'host-network' || y.code === 'privileged-container'));
  });

  it('a template that cannot be rendered: one diagnostic at the call, gone once it renders', async () => {
    const name = 'node-agent/templates/extra.yaml';
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name | someUnknownFunction }}\n';
    fs.writeFileSync(path.join(root, name), broken);
    const uri = uriOf(name);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'helm', version: 1, text: broken } });
    const d = await until(uri, has('helm-render-error'));
    assert.deepEqual(
      d.map((x) => [x.code, x.range.start.line, x.range.start.character, x.range.end.character]),
      [['helm-render-error', 3, 27, 46]],
    );
    assert.match(d[0].message, /does not support the function "someUnknownFunction"/);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: broken.replace(' | someUnknownFunction', ' | lower') }],
    });
    await until(uri, (x) => !x.some((y) => y.code === 'helm-render-error'));
  });
});
