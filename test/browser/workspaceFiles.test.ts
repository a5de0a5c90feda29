/**
 * The browser build's file requests, both ends in Node: the client's handlers (client/src/workspaceFiles.ts)
 * over a file system in memory, and the server's BrowserWorkspace asking them, with a language service
 * behind it. The Chromium run (test/browser/run.mjs) compares the whole path with the Node server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64, workspaceFileHandlers } from '../../client/src/workspaceFiles';
import { BrowserWorkspace } from '../../server/src/browser/workspaceFiles';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { ConfigResolver } from '../../server/src/service/configResolver';
import { BulkheadLanguageService } from '../../server/src/service/languageService';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n';

function memoryFiles(files: Record<string, Uint8Array | string>) {
  const reads: string[] = [];
  return {
    reads,
    fs: {
      findFiles: async (_exclude: string, max: number) => Object.keys(files).slice(0, max),
      readFile: async (uri: string) => {
        reads.push(uri);
        if (!Object.hasOwn(files, uri)) throw new Error(`no such file ${uri}`);
        const f = files[uri];
        return typeof f === 'string' ? new TextEncoder().encode(f) : f;
      },
    },
  };
}

describe('browser workspace files: the client handlers', () => {
  it('lists sorted URIs and says when the list was cut', async () => {
    const h = workspaceFileHandlers(memoryFiles({ 'vscode-vfs://g/r/b.yaml': '', 'vscode-vfs://g/r/a.yaml': '', 'vscode-vfs://g/r/c.yaml': '' }).fs);
    assert.deepEqual(await h.list({ exclude: '', maxFiles: 5 }), {
      uris: ['vscode-vfs://g/r/a.yaml', 'vscode-vfs://g/r/b.yaml', 'vscode-vfs://g/r/c.yaml'],
      truncated: false,
    });
    assert.deepEqual(await h.list({ exclude: '', maxFiles: 2 }), { uris: ['vscode-vfs://g/r/a.yaml', 'vscode-vfs://g/r/b.yaml'], truncated: true });
  });

  it('reads bytes as base64, refuses files over the limit and reports unreadable ones', async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
    const h = workspaceFileHandlers(memoryFiles({ 'x:/big.bin': bytes, 'x:/a.yaml': POD }).fs);
    const { files } = await h.read({ uris: ['x:/a.yaml', 'x:/big.bin', 'x:/missing.yaml'], maxBytes: 60_000 });
    assert.deepEqual(files[0], { uri: 'x:/a.yaml', base64: Buffer.from(POD).toString('base64') });
    assert.match('error' in files[1] ? files[1].error : '', /over the .* limit/);
    assert.match('error' in files[2] ? files[2].error : '', /cannot read: no such file/);
    assert.equal(toBase64(bytes), Buffer.from(bytes).toString('base64'));
  });
});

describe('browser workspace files: the server side', () => {
  function setup(files: Record<string, Uint8Array | string>, open: Record<string, string> = {}) {
    const memory = memoryFiles(files);
    const h = workspaceFileHandlers(memory.fs);
    const client = {
      sendRequest: async <R>(method: string, params: unknown): Promise<R> =>
        (method === 'bulkhead/listWorkspaceFiles' ? h.list(params as never) : h.read(params as never)) as Promise<R>,
    };
    const index = new WorkspaceIndex();
    const service = new BulkheadLanguageService(new ConfigResolver(), index);
    const published = new Map<string, number>();
    const openDocs = new Map(Object.entries(open).map(([uri, text]) => [uri, { uri, languageId: 'yaml', version: 1, getText: () => text }]));
    const ws = new BrowserWorkspace(
      client,
      service,
      index,
      (uri) => openDocs.get(uri),
      (uri, d) => published.set(uri, d.length),
    );
    return { ws, index, memory, published };
  }

  it('reads only names Bulkhead lints, keeps folders apart, and indexes what is not open', async () => {
    const { ws, index, memory } = setup(
      {
        'vscode-vfs://github/o/r/a/pod.yaml': POD,
        'vscode-vfs://github/o/r/b/pod.yaml': POD.replace('name: p', 'name: q'),
        'vscode-vfs://github/o/r/README.md': '# readme',
        'vscode-vfs://github/o/r/open.yaml': POD,
      },
      { 'vscode-vfs://github/o/r/open.yaml': POD },
    );
    assert.equal(await ws.indexInBackground(() => false), 2);
    assert.deepEqual(memory.reads.sort(), ['vscode-vfs://github/o/r/a/pod.yaml', 'vscode-vfs://github/o/r/b/pod.yaml']);
    assert.ok(index.get('/o/r/a/pod.yaml') && index.get('/o/r/b/pod.yaml'), 'two files of one name in two folders are two index entries');
  });

  it('scans every file, skips binary ones with a reason, and drops deleted files', async () => {
    const { ws, index, published } = setup({ 'x:/w/pod.yaml': POD, 'x:/w/bin.yaml': Uint8Array.of(1, 0, 2) });
    const never = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
    const result = await ws.scan(never, () => undefined);
    assert.equal(result.files, 1);
    assert.ok((published.get('x:/w/pod.yaml') ?? 0) > 0, 'the privileged Pod has findings');
    assert.deepEqual(result.errors, [{ file: 'x:/w/bin.yaml', message: 'file looks binary (it contains NUL bytes); not linted' }]);
    await ws.refresh([], ['x:/w/pod.yaml']);
    assert.equal(published.get('x:/w/pod.yaml'), 0);
    assert.equal(index.get('/w/pod.yaml'), undefined);
  });
});
