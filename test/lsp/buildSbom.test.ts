/** The build-time SBOM in the editor, through the real language server: the hover on install lines and the request behind "Bulkhead: Show Build SBOM". */
import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BUILD_SBOM_REQUEST, BuildSbomResult } from '../../server/src/lsp/protocol';
import { DIST } from '../support/paths';
import { LspClient } from '../support/lspClient';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';
import { cycloneDx16, describeErrors } from '../sbom/validators';

const DOCKERFILE = [
  'FROM python:3.12-slim',
  'COPY requirements.txt /app/',
  'RUN apt-get update \\',
  ' && apt-get install -y --no-install-recommends curl=7.88.1-10 libpq5 \\',
  ' && rm -rf /var/lib/apt/lists/*',
  'RUN pip install --no-cache-dir -r /app/requirements.txt',
  'USER 1000',
  '',
].join('\n');

interface Hover {
  contents: { value: string };
}

describe('build-time SBOM through the language server', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;
  const uriOf = (name: string) => pathToFileURL(path.join(root, name)).href;

  before(async () => {
    root = tempWorkspace({
      'app/Dockerfile': DOCKERFILE,
      'app/requirements.txt': 'flask==3.0.3\n',
      'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.27}]\n',
    });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 20 });
    for (const [name, languageId, text] of [
      ['app/Dockerfile', 'dockerfile', DOCKERFILE],
      ['k8s/pod.yaml', 'yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.27}]\n'],
    ]) {
      const published = client.waitForDiagnostics(uriOf(name));
      client.notify('textDocument/didOpen', { textDocument: { uri: uriOf(name), languageId, version: 1, text } });
      await published;
    }
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  it('hovering any line of an install lists the components it adds', async () => {
    for (const line of [2, 3, 4]) {
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: uriOf('app/Dockerfile') },
        position: { line, character: 3 },
      });
      assert.ok(hover, `a hover on line ${line}`);
      assert.match(hover.contents.value, /\*\*Build SBOM:\*\* this RUN adds 2 components/);
      assert.match(hover.contents.value, /- OS package \*\*curl\*\* 7\.88\.1-10 via apt-get — `pkg:deb\/debian\/curl@7\.88\.1-10`/);
      assert.match(hover.contents.value, /- OS package \*\*libpq5\*\* via apt-get/);
    }
  });

  it('has no SBOM hover on lines that install nothing', async () => {
    for (const line of [1, 6]) {
      const hover = await client.request<Hover | null>('textDocument/hover', {
        textDocument: { uri: uriOf('app/Dockerfile') },
        position: { line, character: 1 },
      });
      assert.ok(!hover || !/Build SBOM/.test(hover.contents.value), `line ${line}: ${hover?.contents.value}`);
    }
  });

  it('answers the Show Build SBOM request with a valid CycloneDX 1.6 document, reading requirements.txt beside the Dockerfile', async () => {
    const result = await client.request<BuildSbomResult | null>(BUILD_SBOM_REQUEST, { uri: uriOf('app/Dockerfile') });
    assert.ok(result);
    assert.equal(result.subject, 'Dockerfile');
    const doc = JSON.parse(result.content) as { specVersion: string; components: { name: string; purl?: string }[] };
    assert.equal(doc.specVersion, '1.6');
    const errors = cycloneDx16()(doc);
    assert.equal(errors, null, describeErrors(errors));
    const purls = doc.components.map((c) => c.purl).filter(Boolean);
    assert.ok(purls.includes('pkg:deb/debian/curl@7.88.1-10'), purls.join(' '));
    assert.ok(purls.includes('pkg:pypi/flask@3.0.3'), purls.join(' '));
  });

  it('answers null for a document that is not a Dockerfile, or not open', async () => {
    assert.equal(await client.request(BUILD_SBOM_REQUEST, { uri: uriOf('k8s/pod.yaml') }), null);
    assert.equal(await client.request(BUILD_SBOM_REQUEST, { uri: uriOf('nope/Dockerfile') }), null);
  });
});
