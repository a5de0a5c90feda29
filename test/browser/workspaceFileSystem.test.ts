/**
 * The browser server's chart and config file system (server/src/browser/workspaceFileSystem.ts), in Node:
 * its folders and files from a file list, what it fetches and holds, the chart loader over it against the
 * same loader over the disk (examples/helm), and a virtual workspace (`vscode-vfs:`) whose templates render
 * with their chart and whose `.bulkhead.yaml` applies, then change on file events.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { workspaceFileHandlers } from '../../client/src/workspaceFiles';
import { BrowserWorkspace, clientFileFetcher, type FilesChange } from '../../server/src/browser/workspaceFiles';
import { type FetchFiles, WorkspaceFileSystem } from '../../server/src/browser/workspaceFileSystem';
import type { ChartFiles } from '../../server/src/documents/helm/chart';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { chartDetector, helmChartLoader } from '../../server/src/fs/charts';
import { nodeFileSystem } from '../../server/src/node/files';
import { ConfigResolver } from '../../server/src/service/configResolver';
import { BulkheadLanguageService } from '../../server/src/service/languageService';

const REPO = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(REPO, 'examples');

/** A fetcher over files in memory that records what it was asked for. */
function memoryFetcher(files: Map<string, string | Uint8Array>) {
  const asked: string[] = [];
  const fetch: FetchFiles = async (uris, maxBytes) => {
    const out = new Map<string, { bytes: Uint8Array } | { error: string }>();
    for (const uri of uris) {
      asked.push(uri);
      const f = files.get(uri);
      if (f === undefined) out.set(uri, { error: 'cannot read: no such file' });
      else {
        const bytes = typeof f === 'string' ? new TextEncoder().encode(f) : f;
        out.set(uri, bytes.length > maxBytes ? { error: 'over the limit' } : { bytes });
      }
    }
    return out;
  };
  return { asked, fetch };
}

describe('browser chart and config file system', () => {
  it('has the folders and files of the list, and forgets deleted ones and the folders they leave empty', () => {
    const wfs = new WorkspaceFileSystem(memoryFetcher(new Map()).fetch);
    wfs.setFiles(['x:/w/chart/Chart.yaml', 'x:/w/chart/templates/a.yaml', 'x:/w/chart/templates/sub/b.tpl', 'x:/w/other.yaml']);
    assert.ok(wfs.exists('/w/chart/templates') && !wfs.isFile('/w/chart/templates') && wfs.isFile('/w/chart/Chart.yaml'));
    assert.deepEqual(wfs.readDir('/w/chart/templates'), [
      { name: 'a.yaml', kind: 'file' },
      { name: 'sub', kind: 'directory' },
    ]);
    assert.equal(wfs.readDir('/w/nothing'), undefined);
    assert.equal(wfs.version('/w/missing.yaml'), -1);
    const before = wfs.version('/w/chart/templates/a.yaml');
    wfs.add('x:/w/chart/templates/a.yaml');
    assert.notEqual(wfs.version('/w/chart/templates/a.yaml'), before, 'a changed file has a new version');
    wfs.remove('/w/chart/templates/sub/b.tpl');
    assert.equal(wfs.exists('/w/chart/templates/sub'), false);
    assert.ok(wfs.exists('/w/chart/templates'));
    wfs.setFiles(['x:/w/other.yaml']);
    assert.equal(wfs.exists('/w/chart'), false);
    assert.deepEqual(wfs.listed(), ['/w/other.yaml']);
  });

  it('fetches configs and every file of every chart (not other files), once', async () => {
    const files = new Map<string, string | Uint8Array>([
      ['x:/w/.bulkhead.yaml', 'rules: {}\n'],
      ['x:/w/chart/Chart.yaml', 'apiVersion: v2\nname: c\nversion: 1.0.0\n'],
      ['x:/w/chart/values.yaml', 'a: 1\n'],
      ['x:/w/chart/templates/cm.yaml', 'kind: ConfigMap\n'],
      ['x:/w/chart/files/big.json', 'x'.repeat(3 * 1024 * 1024)],
      ['x:/w/chart/charts/dep-1.0.0.tgz', Uint8Array.of(0x1f, 0x8b)],
      ['x:/w/deploy.yaml', 'kind: Pod\n'],
    ]);
    const fetcher = memoryFetcher(files);
    const wfs = new WorkspaceFileSystem(fetcher.fetch);
    wfs.setFiles([...files.keys()]);
    await wfs.prefetch();
    assert.deepEqual(fetcher.asked.sort(), [
      'x:/w/.bulkhead.yaml',
      'x:/w/chart/Chart.yaml',
      'x:/w/chart/charts/dep-1.0.0.tgz',
      'x:/w/chart/files/big.json',
      'x:/w/chart/templates/cm.yaml',
      'x:/w/chart/values.yaml',
    ]);
    const reader = wfs.confined(['/w/chart']);
    assert.equal(reader.text('/w/chart/values.yaml', 1024), 'a: 1\n');
    assert.equal(reader.text('/w/chart/values.yaml', 2), undefined, 'over the caller’s limit');
    assert.equal(reader.text('/w/chart/files/big.json', 8 * 1024 * 1024), undefined, 'over the 2 MB chart file limit when fetched');
    assert.equal(reader.text('/w/deploy.yaml', 1024), undefined, 'outside the roots');
    assert.deepEqual(reader.bytes('/w/chart/charts/dep-1.0.0.tgz', 1 << 24), { ok: true, bytes: Uint8Array.of(0x1f, 0x8b) });
    assert.equal(wfs.configFiles().find('/w/chart/templates/cm.yaml'), '/w/.bulkhead.yaml');
    assert.deepEqual(wfs.configFiles().load('/w/.bulkhead.yaml'), { rules: {} });
    await wfs.prefetch();
    assert.equal(fetcher.asked.length, 6, 'nothing fetched twice');
    wfs.add('x:/w/chart/values.yaml');
    await wfs.prefetch();
    assert.deepEqual(fetcher.asked.slice(6), ['x:/w/chart/values.yaml'], 'a changed file is fetched again');
  });

  it('stops fetching chart files past its byte budget, metadata, values and templates first', async () => {
    const files = new Map<string, string>([
      ['x:/w/c/Chart.yaml', 'name: c\n'],
      ['x:/w/c/templates/t.yaml', 't'.repeat(100)],
      ['x:/w/c/aaa/one.txt', 'o'.repeat(100)],
      ['x:/w/c/aab/two.txt', 'w'.repeat(100)],
    ]);
    const fetcher = memoryFetcher(files);
    const wfs = new WorkspaceFileSystem(fetcher.fetch, { maxPrefetchBytes: 50, batch: 1 });
    wfs.setFiles([...files.keys()]);
    await wfs.prefetch();
    assert.deepEqual(fetcher.asked, ['x:/w/c/Chart.yaml', 'x:/w/c/templates/t.yaml']);
    assert.equal(wfs.overBudget, true);
  });

  /** Every field of a loaded chart the renderer reads, in a form to compare. */
  function shape(chart: ChartFiles | undefined, base: string): unknown {
    if (!chart) return undefined;
    const rel = (p: string) => path.relative(base, p);
    return {
      root: rel(chart.root),
      chartYaml: chart.chartYaml,
      valuesYaml: chart.valuesYaml,
      templates: [...chart.templates].map(([f, t]) => [rel(f), t]),
      files: chart.files?.names.map((n) => [n, chart.files?.read(n)]),
      valuesFileNames: chart.valuesFileNames,
      lockYaml: chart.lockYaml,
      readValues: chart.readFile?.('values.yaml'),
      archiveProblems: chart.archiveProblems,
      subcharts: chart.subcharts?.map((s) => shape(s, base)),
    };
  }

  for (const [name, tree, minTemplates] of [
    ['the examples’ charts', EXAMPLES, 8],
    ['a chart with a packaged subchart', path.join(REPO, 'test', 'fixtures', 'helm', 'deps'), 1],
  ] as const)
    it(`loads ${name} as the Node loader loads them from disk`, async () => {
      const all: string[] = [];
      (function walk(dir: string) {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else all.push(p);
        }
      })(tree);
      const uris = all.map((f) => pathToFileURL(f).href);
      const wfs = new WorkspaceFileSystem(memoryFetcher(new Map(all.map((f, i) => [uris[i], fs.readFileSync(f)]))).fetch);
      wfs.setFiles(uris);
      await wfs.prefetch();
      const [onDisk, inMemory] = [nodeFileSystem, wfs].map((fsys) => ({ load: helmChartLoader(fsys, () => [tree]), inChart: chartDetector(fsys) }));
      let templates = 0;
      for (const f of all) {
        assert.equal(inMemory.inChart(f), onDisk.inChart(f), f);
        const expected = shape(onDisk.load(f), tree);
        assert.deepEqual(shape(inMemory.load(f), tree), expected, f);
        if (expected && /templates/.test(f)) templates++;
      }
      assert.ok(templates >= minTemplates, `the charts have templates (${templates})`);
    });
});

describe('browser workspace: charts and configs of a virtual workspace', () => {
  const CHART = 'apiVersion: v2\nname: web\nversion: 1.0.0\n';
  const TEMPLATE =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: {{ .Values.hostNetwork }}\n  containers:\n    - name: c\n      image: nginx:1.27\n';
  const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      image: nginx:1.27\n';
  const ROOT = 'vscode-vfs://github/o/r';

  function setup() {
    const files = new Map<string, string>([
      [`${ROOT}/chart/Chart.yaml`, CHART],
      [`${ROOT}/chart/values.yaml`, 'hostNetwork: true\n'],
      [`${ROOT}/chart/templates/pod.yaml`, TEMPLATE],
      [`${ROOT}/quiet/.bulkhead.yaml`, 'rules:\n  host-network: off\n'],
      [`${ROOT}/quiet/pod.yaml`, POD],
      [`${ROOT}/loud/pod.yaml`, POD],
    ]);
    const reads: string[] = [];
    const h = workspaceFileHandlers({
      findFiles: async (_exclude, max) => [...files.keys()].slice(0, max),
      readFile: async (uri) => {
        reads.push(uri);
        return new TextEncoder().encode(files.get(uri) ?? '');
      },
    });
    const client = {
      sendRequest: async <R>(method: string, params: unknown): Promise<R> =>
        (method === 'bulkhead/listWorkspaceFiles' ? h.list(params as never) : h.read(params as never)) as Promise<R>,
    };
    const changes: FilesChange[] = [];
    const wfs = new WorkspaceFileSystem(clientFileFetcher(client));
    const resolver = new ConfigResolver(undefined, () => ['/o/r'], wfs.configFiles());
    let isInChart = chartDetector(wfs);
    const index = new WorkspaceIndex();
    const service = new BulkheadLanguageService(
      resolver,
      index,
      (p) => isInChart(p),
      helmChartLoader(wfs, () => ['/o/r']),
      undefined,
      (uri) => uri.startsWith(`${ROOT}/`),
    );
    const ws = new BrowserWorkspace(
      client,
      service,
      index,
      () => undefined,
      () => undefined,
      wfs,
      (change) => {
        changes.push(change);
        if (change.config) resolver.invalidate();
        isInChart = chartDetector(wfs);
        service.reset();
      },
    );
    const codes = (uri: string) =>
      service
        .lint({ uri, languageId: 'yaml', version: 1, getText: () => files.get(uri) ?? '' })
        .diagnostics.map((d) => d.code)
        .sort();
    return { ws, files, codes, changes, reads };
  }

  it('renders templates with their chart and applies the nearest .bulkhead.yaml once the workspace is prepared', async () => {
    const { ws, codes } = setup();
    await ws.prepare();
    assert.ok(codes(`${ROOT}/chart/templates/pod.yaml`).includes('host-network'), 'the template rendered with values.yaml');
    assert.ok(codes(`${ROOT}/chart/values.yaml`).includes('host-network'), 'the values file has the finding of what it renders');
    assert.ok(codes(`${ROOT}/loud/pod.yaml`).includes('host-network'));
    assert.ok(!codes(`${ROOT}/quiet/pod.yaml`).includes('host-network'), 'quiet/.bulkhead.yaml turns the rule off there');
  });

  it('indexes the chart files it holds without reading them again', async () => {
    const { ws, reads } = setup();
    await ws.prepare();
    assert.equal(reads.filter((uri) => uri.includes('/chart/')).length, 3);
    assert.equal(await ws.indexInBackground(() => false), 5);
    assert.equal(reads.filter((uri) => uri.includes('/chart/')).length, 3, 'Chart.yaml, values.yaml and the template read once');
    assert.deepEqual(reads.filter((uri) => !uri.includes('/chart/')).sort(), [
      `${ROOT}/loud/pod.yaml`,
      `${ROOT}/quiet/.bulkhead.yaml`,
      `${ROOT}/quiet/pod.yaml`,
    ]);
  });

  it('reads chart and config files again on file events, and says what changed', async () => {
    const { ws, files, codes, changes } = setup();
    await ws.prepare();
    files.set(`${ROOT}/chart/values.yaml`, 'hostNetwork: false\n');
    files.set(`${ROOT}/quiet/.bulkhead.yaml`, 'rules: {}\n');
    await ws.filesChanged([`${ROOT}/chart/values.yaml`], []);
    assert.deepEqual(changes, [{ config: false, charts: true }]);
    assert.ok(!codes(`${ROOT}/chart/templates/pod.yaml`).includes('host-network'), 'the saved values render');
    await ws.filesChanged([`${ROOT}/quiet/.bulkhead.yaml`], []);
    assert.deepEqual(changes[1], { config: true, charts: false });
    assert.ok(codes(`${ROOT}/quiet/pod.yaml`).includes('host-network'), 'the changed config applies');
    await ws.filesChanged([], [`${ROOT}/chart/Chart.yaml`]);
    assert.deepEqual(changes[2], { config: false, charts: true }, 'a deleted Chart.yaml changes the charts');
  });
});
