/**
 * Subcharts as helm renders them: `import-values` (both forms, the parent's own values winning),
 * a library chart (helpers only), one chart under two aliases, a `.tgz` in charts/. The fixture's
 * expected output is `helm template test/fixtures/helm/deps` of helm v3.17.3, compared as data.
 * Archives helm (and this loader) must refuse are built here byte by byte.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ChartFiles, renderChartTemplate } from '../../server/src/documents/helm/chart';
import { ChartArchiveError, MAX_ENTRIES, readChartArchive } from '../../server/src/node/chartArchive';
import { helmChartLoader } from '../../server/src/node/files';
import { Engine } from '../../server/src/engine/engine';
import { ResolvedConfig } from '../../server/src/engine/config';
import { ALL_RULES } from '../../rules';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'helm', 'deps');

/** Every manifest the chart tree renders, by helm's `# Source:` name. */
function renderTree(top: ChartFiles): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (c: ChartFiles, depth: number) => {
    for (const [file, text] of c.templates) {
      const r = renderChartTemplate(c, file, text);
      if (!r) continue;
      const docs = parseAllDocuments(r.text)
        .map((d) => d.toJS())
        .filter((d) => d !== null);
      if (docs.length) out.set(docs.length === 1 ? nameOf(docs[0]) : file, docs.length === 1 ? docs[0] : docs);
    }
    if (depth < 4) for (const s of c.subcharts ?? []) walk(s, depth + 1);
  };
  walk(top, 0);
  return out;
}

function nameOf(doc: { kind?: string; metadata?: { name?: string } }): string {
  return `${doc.kind}/${doc.metadata?.name}`;
}

function helmOutput(): Map<string, unknown> {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'helm', 'deps.helm-template.yaml'), 'utf8');
  return new Map(
    parseAllDocuments(text)
      .map((d) => d.toJS())
      .filter((d) => d !== null)
      .map((d) => [nameOf(d), d]),
  );
}

// ---- a minimal tar writer, for archives no packager would make -----------------------------------

function header(name: string, size: number, type: string, linkname = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function tgz(entries: { name: string; text?: string; type?: string; link?: string }[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.text ?? '');
    parts.push(header(e.name, body.length, e.type ?? '0', e.link), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(parts));
}

const CHART_YAML = 'apiVersion: v2\nname: boxed\nversion: 1.0.0\n';

describe('Helm dependencies', () => {
  it('renders the fixture as helm template does (import-values, library, aliases, .tgz)', () => {
    const top = helmChartLoader()(path.join(FIXTURE, 'templates', 'config.yaml'));
    assert.ok(top);
    assert.deepEqual(Object.fromEntries(renderTree(top)), Object.fromEntries(helmOutput()));
  });

  it('import-values: the parent wins over what it imports, the first import over later ones', () => {
    const top = helmChartLoader()(path.join(FIXTURE, 'templates', 'config.yaml'))!;
    const r = renderChartTemplate(top, path.join(FIXTURE, 'templates', 'config.yaml'), top.templates.get(path.join(FIXTURE, 'templates', 'config.yaml'))!)!;
    assert.match(r.text, /replicas: "2"/, "the parent's own replicas, not the exported 9");
    assert.match(r.text, /mode: "exported"/);
    assert.match(r.text, /probe: "\{\\"path\\":\\"\/parent\\",\\"port\\":8081\}"/, "the child table as the parent sees it, under the parent's own keys");
  });

  it("lints a library chart's non-helper file as nothing, and the aliased and packaged subcharts with the parent values", () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const helmChart = helmChartLoader();
    const lib = path.join(FIXTURE, 'charts', 'lib', 'templates', 'pod.yaml');
    assert.deepEqual(engine.lint(lib, fs.readFileSync(lib, 'utf8'), { helmChart, isInChart: () => true }).findings, []);
    const values = path.join(FIXTURE, 'values.yaml');
    const found = engine.lint(values, fs.readFileSync(values, 'utf8'), { helmChart, isInChart: () => true }).findings;
    const lines = found.filter((f) => f.ruleId === 'host-network' || f.ruleId === 'host-pid').map((f) => `${f.ruleId}:${f.range.start.line + 1}`);
    assert.deepEqual(lines.sort(), ['host-network:11', 'host-pid:16'], 'cache.hostNetwork (queue is disabled) and packed.hostPID, on the parent values lines');
    const pid = found.find((f) => f.ruleId === 'host-pid')!;
    assert.match(pid.message, /charts\/packed-1\.0\.0\.tgz\/templates\/pod\.yaml/);
  });
});

describe('packaged subcharts on Chart.yaml', () => {
  it('reports what a .tgz template renders at its dependency entry, and leaves values-caused findings to the values line', () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const file = path.join(FIXTURE, 'Chart.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const found = engine
      .lint(file, text, { helmChart: helmChartLoader(), isInChart: () => true })
      .findings.filter((f) => /packaged dependency/.test(f.message));
    assert.ok(found.length > 0);
    const entry = text.split('\n').findIndex((l) => l.includes('- name: packed'));
    assert.ok(
      found.every((f) => f.range.start.line === entry),
      'at the packed entry',
    );
    assert.ok(
      found.some(
        (f) => f.ruleId === 'image-not-pinned-by-digest' && /in templates\/pod\.yaml of the packaged dependency charts\/packed-1\.0\.0\.tgz/.test(f.message),
      ),
    );
    assert.ok(!found.some((f) => f.ruleId === 'host-pid'), 'hostPID comes from values.yaml: reported there');
    assert.ok(!found.some((f) => f.fixes.length), 'nothing in an archive can be edited');
  });
});

describe('Chart archives', () => {
  it('reads a packaged chart without its top folder', () => {
    const files = readChartArchive(
      tgz([
        { name: 'boxed/', type: '5' },
        { name: 'boxed/Chart.yaml', text: CHART_YAML },
        { name: 'boxed/templates/a.yaml', text: 'kind: A\n' },
      ]),
    );
    assert.deepEqual(
      files.map((f) => f.name),
      ['Chart.yaml', 'templates/a.yaml'],
    );
  });

  it('follows no link: a symlink or hard link is an empty file, as helm makes it', () => {
    const files = readChartArchive(
      tgz([
        { name: 'boxed/Chart.yaml', text: CHART_YAML },
        { name: 'boxed/values.yaml', type: '2', link: '/etc/passwd' },
        { name: 'boxed/x.yaml', type: '1', link: 'boxed/Chart.yaml' },
      ]),
    );
    assert.deepEqual(
      files.map((f) => [f.name, f.data.length]),
      [
        ['Chart.yaml', CHART_YAML.length],
        ['values.yaml', 0],
        ['x.yaml', 0],
      ],
    );
  });

  it('refuses what helm refuses, with its words', () => {
    const refused = (entries: Parameters<typeof tgz>[0], message: RegExp) =>
      assert.throws(
        () => readChartArchive(tgz(entries)),
        (err: unknown) => err instanceof ChartArchiveError && message.test(err.message),
      );
    refused([{ name: 'boxed/../../etc/x', text: 'x' }], /illegally references parent directory/);
    refused([{ name: 'boxed//etc/x', text: 'x' }], /illegally contains absolute paths/);
    refused([{ name: 'Chart.yaml', text: CHART_YAML }], /chart yaml not in base directory/);
    refused([{ name: 'boxed/', type: '5' }], /no files in chart archive/);
    refused(
      Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => ({ name: `boxed/f${i}`, text: '' })),
      /more than 5000 entries/,
    );
  });

  it('gives one clear problem for a corrupt or truncated archive', () => {
    assert.throws(() => readChartArchive(Buffer.from('not gzip at all')), /not a gzip archive/);
    const good = zlib.gunzipSync(tgz([{ name: 'boxed/Chart.yaml', text: CHART_YAML }]));
    const flipped = Buffer.from(good);
    flipped[10] ^= 0xff;
    assert.throws(() => readChartArchive(zlib.gzipSync(flipped)), /corrupt \(checksum\)/);
    assert.throws(() => readChartArchive(zlib.gzipSync(good.subarray(0, 520))), /cut short/);
  });

  it('refuses an archive that unpacks past the budget (a gzip bomb)', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(40 * 1024 * 1024));
    assert.throws(() => readChartArchive(bomb), /larger than 32 MiB/);
  });

  describe('on Chart.yaml', () => {
    const root = tempWorkspace({
      'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n  - name: broken\n    version: 1.0.0\n',
      'c/Chart.lock': 'dependencies: []\ndigest: sha256:0\ngenerated: "2024-01-01T00:00:00Z"\n',
      'c/charts/broken-1.0.0.tgz': Buffer.from('garbage'),
      'c/charts/ok-1.0.0.tgz': tgz([{ name: 'ok/Chart.yaml', text: 'apiVersion: v2\nname: ok\nversion: 1.0.0\n' }]),
    });
    after(() => removeWorkspace(root));

    it('reports an unreadable archive once, at its dependency entry; a good one not at all', () => {
      const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
      const file = path.join(root, 'c', 'Chart.yaml');
      const found = engine
        .lint(file, fs.readFileSync(file, 'utf8'), { helmChart: helmChartLoader(), isInChart: () => true })
        .findings.filter((f) => f.ruleId === 'helm-dependency-archive-unreadable');
      assert.equal(found.length, 1);
      assert.equal(found[0].range.start.line, 4);
      assert.match(found[0].message, /^charts\/broken-1\.0\.0\.tgz cannot be read as a chart: not a gzip archive/);
    });
  });
});
