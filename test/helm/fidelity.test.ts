/** Renderer functions fixed or added for fidelity to helm (the differential test checks whole charts). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ChartFiles, renderChartTemplate } from '../../server/src/documents/helm/chart';
import { globMatch } from '../../server/src/documents/helm/files';
import { splitLikeHelm } from '../../server/src/documents/helm/render';

const FILES: Record<string, string> = { 'conf/a.conf': 'x=1\n', 'conf/b.conf': 'y=2\n', 'conf/sub/c.conf': 'z', 'crds/one.yaml': 'metadata: {name: one}\n', 'README.md': 'hi' };

function render(template: string, values = '', extra: Record<string, string> = {}): string {
  const file = '/c/templates/t.yaml';
  const chart: ChartFiles = {
    root: '/c',
    chartYaml: 'name: c\nversion: 1.0.0\n',
    valuesYaml: values,
    templates: new Map([[file, template], ...Object.entries(extra)]),
    files: { names: Object.keys(FILES).sort(), read: (n) => (Object.hasOwn(FILES, n) ? FILES[n] : undefined) },
  };
  return renderChartTemplate(chart, file, template)!.text;
}

describe('helm fidelity', () => {
  it('.Files: Get, Lines, Glob with AsConfig/AsSecrets, range over a Glob', () => {
    assert.equal(render('{{ .Files.Get "conf/a.conf" }}|{{ .Files.Get "missing" }}|{{ len (.Files.Lines "conf/b.conf") }}'), 'x=1\n||2');
    assert.equal(render('{{ (.Files.Glob "conf/*.conf").AsConfig }}'), 'a.conf: |\n  x=1\nb.conf: |\n  y=2\n');
    assert.equal(render('{{ (.Files.Glob "conf/**").AsSecrets }}'), `a.conf: ${Buffer.from('x=1\n').toString('base64')}\nb.conf: ${Buffer.from('y=2\n').toString('base64')}\nc.conf: ${Buffer.from('z').toString('base64')}\n`);
    assert.equal(render('{{ range $p, $_ := .Files.Glob "crds/*.yaml" }}{{ ($.Files.Get $p | fromYaml).metadata.name }}{{ end }}'), 'one');
    assert.equal(render('{{ (.Files.Glob "nothing/*").AsConfig }}'), '');
  });

  it('glob: * within a segment, ** across, ?, classes, braces', () => {
    assert.ok(globMatch('conf/*.conf', 'conf/a.conf'));
    assert.ok(!globMatch('conf/*.conf', 'conf/sub/c.conf'));
    assert.ok(globMatch('conf/**.conf', 'conf/sub/c.conf'));
    assert.ok(globMatch('conf/?.conf', 'conf/a.conf') && !globMatch('conf/?.conf', 'conf/ab.conf'));
    assert.ok(globMatch('conf/[a-b].conf', 'conf/b.conf') && !globMatch('conf/[!a-b].conf', 'conf/b.conf'));
    assert.ok(globMatch('{conf,crds}/*', 'crds/one.yaml'));
    assert.ok(!globMatch('*'.repeat(2000), 'x'), 'overlong patterns match nothing');
  });

  it('fromYamlArray, fromJsonArray, sha256sum, sha1sum', () => {
    assert.equal(render('{{ range fromYamlArray "- a\\n- b" }}{{ . }}{{ end }}|{{ len (fromJsonArray "[1,2,3]") }}'), 'ab|3');
    assert.match(render('{{ index (fromYamlArray "a: 1") 0 }}'), /^error unmarshaling YAML/);
    assert.equal(render('{{ "abc" | sha256sum }}|{{ "abc" | sha1sum }}'), `${createHash('sha256').update('abc').digest('hex')}|${createHash('sha1').update('abc').digest('hex')}`);
  });

  it('include of a template file by its path (checksum annotations)', () => {
    const cm = '/c/templates/configmap.yaml';
    const out = render('{{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}', 'v: 1\n', { [cm]: 'data: {{ .Values.v }}\n' });
    assert.equal(out, createHash('sha256').update('data: 1\n').digest('hex'));
  });

  it('--- followed by text on the same line starts a document, as helm splits it', () => {
    const out = render('a: 1\n---\n\n{{- if true -}}\n\n# comment\nb: 2\n{{- end }}\n');
    assert.equal(out, 'a: 1\n---\n# comment\nb: 2\n');
    const r = splitLikeHelm({ text: 'a\n---x', segments: [{ out: 0, text: 'a\n---x', src: 0, srcEnd: 6, literal: true, file: 'f' }] });
    assert.deepEqual(r.segments.map((s) => [s.out, s.text, s.src, s.srcEnd, s.literal]), [[0, 'a\n---', 0, 5, true], [5, '\n', 5, 5, false], [6, 'x', 5, 6, true]]);
  });
});
