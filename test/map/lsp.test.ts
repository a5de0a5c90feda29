/** The editor's security map request through the real language server: the files of the workspace, absolute paths. */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { MapData } from '../../client/map/mapData';
import { MAP_DATA_REQUEST } from '../../server/src/lsp/protocol';
import { LspClient } from '../support/lspClient';
import { DIST } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';
import { deploy } from '../reachability/support';

const WEB = `${deploy('web', 'shop', { app: 'web' }, ['8080'])}---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n`;

describe('security map through the language server', () => {
  let server: ChildProcess;
  let client: LspClient;
  let root: string;

  before(async () => {
    root = tempWorkspace({ 'k8s/web.yaml': WEB });
    server = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    client = new LspClient(server);
    await client.initialize(root, { debounceMs: 20 });
  });

  after(async () => {
    await client.shutdown().catch(() => undefined);
    server.kill();
    removeWorkspace(root);
  });

  it("answers bulkhead/mapData with the workspace folder's map, files as absolute paths", async () => {
    const data = (await client.request(MAP_DATA_REQUEST, {})) as MapData;
    const web = data.nodes.find((n) => n.id === 'workload:shop/Deployment/web');
    assert.ok(web, JSON.stringify(data.nodes.map((n) => n.id)));
    assert.equal(web.file, path.join(root, 'k8s/web.yaml'));
    assert.equal(web.line, 2);
    const entry = data.paths.find((p) => p.from === 'internet');
    assert.ok(entry, 'the LoadBalancer is an entry point');
    assert.deepEqual(
      entry.edges.map((i) => data.edges[i].type),
      ['EXPOSED_LOADBALANCER', 'NETWORK_SERVICE'],
    );
  });
});
