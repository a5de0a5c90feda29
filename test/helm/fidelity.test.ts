/** Renderer functions fixed or added for fidelity to helm (the differential test checks whole charts). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ChartFiles, renderChartTemplate } from '../../server/src/documents/helm/chart';
import { globMatch } from '../../server/src/documents/helm/files';
import { splitLikeHelm } from '../../server/src/documents/helm/render';

const FILES: Record<string, string> = {
  'conf/a.conf': 'x=1\n',
  'conf/b.conf': 'y=2\n',
  'conf/sub/c.conf': 'z',
  'crds/one.yaml': 'metadata: {name: one}\n',
  'README.md': 'hi',
};

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
  it('quote and squote skip nil arguments, as sprig does; names of Object.prototype are missing values', () => {
    assert.equal(render('[{{ .Values.missing | quote }}][{{ squote .Values.missing }}][{{ quote .Values.missing "a" .Values.z }}]', 'z: 0\n'), '[][]["a" "0"]');
    assert.equal(render('[{{ .Values.constructor | quote }}][{{ .Values.__proto__ }}][{{ hasKey .Values "toString" }}]', 'a: 1\n'), '[][][false]');
  });

  it('quote and printf %q escape as Go strconv.Quote does (checked against helm v3.17.3)', () => {
    const values = 's: "a\\"b\\\\c\\td\\ne\\rf\\x07g\\x0bh\\x00i\\x1fj\\x7fk\\u00a0l\\u00e9m\\u2028n\\U0001F600o\\u200bp\\ufeffq\\u3000r\\u00adt"\n';
    const helm = String.raw`"a\"b\\c\td\ne\rf\ag\vh\x00i\x1fj\x7fk\u00a0lém\u2028n😀o\u200bp\ufeffq\u3000r\u00adt"`;
    assert.equal(render('{{ .Values.s | quote }}|{{ printf "%q" .Values.s }}', values), `${helm}|${helm}`);
    assert.equal(render('{{ quote "plain" 3 }}|{{ printf "%q" (list "x\\ty") }}'), '"plain" "3"|["x\\ty"]');
  });

  it('.Files: Get, Lines, Glob with AsConfig/AsSecrets, range over a Glob', () => {
    assert.equal(render('{{ .Files.Get "conf/a.conf" }}|{{ .Files.Get "missing" }}|{{ len (.Files.Lines "conf/b.conf") }}'), 'x=1\n||2');
    assert.equal(render('{{ (.Files.Glob "conf/*.conf").AsConfig }}'), 'a.conf: |\n  x=1\nb.conf: |\n  y=2\n');
    assert.equal(
      render('{{ (.Files.Glob "conf/**").AsSecrets }}'),
      `a.conf: ${Buffer.from('x=1\n').toString('base64')}\nb.conf: ${Buffer.from('y=2\n').toString('base64')}\nc.conf: ${Buffer.from('z').toString('base64')}\n`,
    );
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
    assert.equal(
      render('{{ "abc" | sha256sum }}|{{ "abc" | sha1sum }}'),
      `${createHash('sha256').update('abc').digest('hex')}|${createHash('sha1').update('abc').digest('hex')}`,
    );
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
    assert.deepEqual(
      r.segments.map((s) => [s.out, s.text, s.src, s.srcEnd, s.literal]),
      [
        [0, 'a\n---', 0, 5, true],
        [5, '\n', 5, 5, false],
        [6, 'x', 5, 6, true],
      ],
    );
  });
});

/** Each expected string below is what helm v3.17.3 `template` printed for the same template. */
describe('helm fidelity: sprig and Go template semantics checked against helm', () => {
  it('set changes the dict and returns it; unset removes a key', () => {
    assert.equal(render('{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }} {{ unset $d "a" }} {{ $d }}'), 'map[a:1 b:2] map[b:2] map[b:2]');
    assert.equal(render('{{ $_ := set .Values.d "new" 1 }}{{ .Values.d | toJson }}', 'd: {a: 1}\n'), '{"a":1,"new":1}');
  });

  it('a change to the values lasts for the render that made it only', () => {
    const values = 'd: {a: 1}\n';
    const file = '/c/templates/t.yaml';
    const chart: ChartFiles = {
      root: '/c',
      chartYaml: 'name: c\n',
      valuesYaml: values,
      templates: new Map([[file, '{{ $_ := set .Values.d "b" 2 }}{{ $_ := unset .Values.d "a" }}{{ .Values.d | toJson }}']]),
    };
    assert.equal(renderChartTemplate(chart, file, chart.templates.get(file)!)!.text, '{"b":2}');
    assert.equal(renderChartTemplate(chart, file, '{{ .Values.d | toJson }}')!.text, '{"a":1}');
  });

  it('else with, and else if chains', () => {
    assert.equal(render('{{ with .Values.nope }}A{{ else with .Values.a }}B{{ . }}{{ else }}C{{ end }}', 'a: x\n'), 'Bx');
    assert.equal(render('{{ with .Values.nope }}A{{ else with .Values.none }}B{{ else with .Values.no }}D{{ else }}C{{ end }}'), 'C');
    assert.equal(
      render('{{ if eq .Values.v "a" }}one{{ else if eq .Values.v "b" }}two{{ else if eq .Values.v "c" }}three{{ else }}many{{ end }}', 'v: c\n'),
      'three',
    );
  });

  it('merge and mergeOverwrite: deep, in place, lists replaced whole, empty values as mergo treats them', () => {
    const src = '(dict "a" (dict "y" 2 "x" 9 "l" (list 2 3)) "k" 2 "q" 3)';
    assert.equal(render(`{{ merge (dict "a" (dict "x" 1 "l" (list 1)) "k" 1) ${src} | toJson }}`), '{"a":{"l":[1],"x":1,"y":2},"k":1,"q":3}');
    assert.equal(render(`{{ mergeOverwrite (dict "a" (dict "x" 1 "l" (list 1)) "k" 1) ${src} | toJson }}`), '{"a":{"l":[2,3],"x":9,"y":2},"k":2,"q":3}');
    assert.equal(
      render(
        '{{ mergeOverwrite (dict "a" 1 "b" "x" "c" true "d" (list 1) "e" (dict "q" 1) "f" 5) (dict "a" 0 "b" "" "c" false "d" list "e" dict "f" .Values.nul) | toJson }}',
        'nul: ~\n',
      ),
      '{"a":0,"b":"","c":false,"d":[],"e":{"q":1},"f":null}',
    );
    assert.equal(
      render(
        '{{ merge (dict "a" 0 "b" "" "c" false "d" list "e" dict "f" .Values.nul) (dict "a" 1 "b" "x" "c" true "d" (list 1) "e" (dict "q" 1) "f" 5) | toJson }}',
        'nul: ~\n',
      ),
      '{"a":1,"b":"x","c":true,"d":[1],"e":{"q":1},"f":5}',
    );
    assert.equal(
      render(
        '{{ merge (dict "m" "scalar" "s" (dict "z" 1)) (dict "m" (dict "x" 1) "s" "str") | toJson }} {{ mergeOverwrite (dict "m" "scalar" "s" (dict "z" 1)) (dict "m" (dict "x" 1) "s" "str") | toJson }}',
      ),
      '{"m":"scalar","s":{"z":1}} {"m":{"x":1},"s":"str"}',
    );
    assert.equal(render('{{ $x := dict "a" (dict "b" 1) }}{{ $y := merge $x (dict "a" (dict "c" 2)) }}{{ $x | toJson }}'), '{"a":{"b":1,"c":2}}');
  });

  it('deepCopy copies: changing the copy leaves the values alone', () => {
    assert.equal(
      render('{{ $c := deepCopy .Values.d }}{{ $_ := set $c.m "y" 2 }}{{ .Values.d | toJson }} {{ $c | toJson }}', 'd: {a: 1, m: {x: 1}}\n'),
      '{"a":1,"m":{"x":1}} {"a":1,"m":{"x":1,"y":2}}',
    );
  });

  it('semverCompare: Masterminds constraints, pre-release rule included (1,404 cases agree with helm; a sample)', () => {
    const cases: [string, string, boolean][] = [
      ['>=1.21-0', 'v1.21.5-gke.1', true],
      ['>=1.21', 'v1.21.5-gke.1', false],
      ['^1.2.3', '1.9.0', true],
      ['~1.2.3', '1.3.0', false],
      ['1.x || >=3', '2.0.0', false],
      ['>1.0.0', '1.5.0-beta', false],
      ['>1.0.0-0', '1.5.0-beta', true],
      ['1.2 - 1.4', '1.4.9', true],
      ['!=1.2.3', '1.2.3', false],
      ['!=1.2.3', '1.2.3-beta', true],
      ['<1.20', 'v1.19.3-gke.1', false],
      ['>= 1.19, < 1.22', '1.21.0', true],
      ['^0.2.3', '0.2.9', true],
      ['^0.2.3', '0.3.0', false],
      ['*', '1.0.0-alpha', false],
      ['>1.2', '1.2.5', false],
      ['<=1.2', '1.2.5', true],
      ['=1.2', '1.2.0', true],
      ['^*', '1.0.0', false],
      ['^*', '0.0.0', true],
      ['1.2.3 - 2', '2.5.0', true],
      ['>=v1.19.0', '1.20.0', true],
    ];
    for (const [c, v, want] of cases) assert.equal(render(`{{ semverCompare ${JSON.stringify(c)} ${JSON.stringify(v)} }}`), String(want), `${c} ${v}`);
    assert.throws(() => render('{{ semverCompare ">=1.21" "garbage" }}'), /Invalid Semantic Version/);
    assert.throws(() => render('{{ semverCompare "garbage" "1.0.0" }}'), /improper constraint: garbage/);
  });

  it('.Capabilities as helm template reports it without a cluster', () => {
    assert.equal(
      render(
        '{{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Major }} {{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.KubeVersion.GitVersion }}',
      ),
      'v1.32.0 v1.32.0 1 32 v1.32.0',
    );
    assert.equal(render('{{ .Capabilities.HelmVersion.Version }}'), 'v3.17.3');
    assert.equal(
      render(
        '{{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }} {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }} {{ .Capabilities.APIVersions.Has "policy/v1beta1" }} {{ .Capabilities.APIVersions.Has "batch/v1/CronJob" }}',
      ),
      'true false false true false',
    );
    assert.equal(render('{{ len .Capabilities.APIVersions }} {{ index .Capabilities.APIVersions 0 }}'), '56 v1');
    assert.equal(render('{{ semverCompare ">=1.21-0" .Capabilities.KubeVersion.GitVersion }}'), 'true');
  });

  it('toJson and toPrettyJson: keys sorted as Go sorts them, HTML characters escaped', () => {
    assert.equal(
      render('{{ toJson .Values.nn }}', 'nn: {z: 1, a: {b: 3, "10": 1, "9": 2}, "B": [3, {q: 1, c: 2}]}\n'),
      '{"B":[3,{"c":2,"q":1}],"a":{"10":1,"9":2,"b":3},"z":1}',
    );
    assert.equal(render('{{ toPrettyJson .Values.nn }}', 'nn: {z: 1, a: [], b: {}}\n'), '{\n  "a": [],\n  "b": {},\n  "z": 1\n}');
    assert.equal(render('{{ toJson "<a&b>" }} {{ toRawJson "<a&b>" }}'), '"\\u003ca\\u0026b\\u003e" "<a&b>"');
  });

  it('values are read as YAML 1.1, as helm reads them', () => {
    const values = 'a: yes\nb: on\nc: off\nd: y\ne: 0x1F\nf: 0o17\ng: 017\nk: 1_000\nt: 2001-12-14\ns: 190:20:30\nn: {x: 1}\n';
    assert.equal(
      render(
        '{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ .Values.d }} {{ .Values.e }} {{ .Values.f }} {{ .Values.g }} {{ .Values.k }} {{ .Values.t }} {{ .Values.s }} {{ index .Values "false" | toJson }}',
        values,
      ),
      'true true false true 31 15 15 1000 2001-12-14 190:20:30 {"x":1}',
    );
  });
});

describe('helm fidelity: numbers as helm types them', () => {
  // Values files are read through JSON: every number in them is a float64. Template constants and
  // sprig's integer functions are ints. Each expected string is what helm v3.17.3 printed.
  const values = 'x: 3\nf: 1.5\ns: "08"\nbig: 1000000\nm: 12345678\nsm: 0.00001\nneg: -1000000\n';

  it('float64 values print as Go prints them', () => {
    assert.equal(
      render(
        '{{ .Values.big }} {{ .Values.m }} {{ .Values.sm }} {{ .Values.neg }} {{ .Values.x }} {{ .Values.big | toString }} {{ .Values.big | quote }}',
        values,
      ),
      '1e+06 1.2345678e+07 1e-05 -1e+06 3 1e+06 "1e+06"',
    );
    assert.equal(render('{{ 1000000 }} {{ 1e6 }} {{ 3.0 }} {{ 2.5 }} {{ 123456.5 }}'), '1000000 1e+06 3 2.5 123456.5');
    assert.equal(
      render('{{ .Values.big | toYaml }} {{ .Values.big | toJson }} {{ .Values.big | int }} {{ mul .Values.big 2 }}', values),
      '1000000 1000000 1000000 2000000',
    );
  });

  it('printf: %d of a float64 is an error string, %s of an int too', () => {
    assert.equal(
      render('{{ printf "%d" .Values.big }} {{ printf "%v|%s" .Values.big .Values.f }} {{ printf "%d" (int .Values.big) }}', values),
      '%!d(float64=1e+06) 1e+06|%!s(float64=1.5) 1000000',
    );
    assert.equal(
      render(
        '{{ printf "%d|%s|%v|%t|%f" "a" 1 nil 1 .Values.x }} {{ printf "%d" nil }} {{ printf "%s" (list 1 2) }} {{ printf "%d" (list 1 .Values.x) }}',
        values,
      ),
      '%!d(string=a)|%!s(int=1)|<nil>|%!t(int=1)|3.000000 %!d(<nil>) [%!s(int=1) %!s(int=2)] [1 %!d(float64=3)]',
    );
  });

  it('kindOf, kindIs, typeOf', () => {
    assert.equal(
      render(
        '{{ typeOf .Values.x }} {{ typeOf 1 }} {{ typeOf (len "a") }} {{ kindOf (until 2) }} {{ typeOf (int .Values.x) }} {{ typeOf (atoi "3") }} {{ typeOf .Values.s }} {{ typeOf (dict) }} {{ typeOf (list) }} {{ typeOf nil }} {{ typeOf true }}',
        values,
      ),
      'float64 int int slice int int string map[string]interface {} []interface {} <nil> bool',
    );
    assert.equal(render('{{ kindIs "float64" .Values.big }} {{ kindIs "int" .Values.big }} {{ kindIs "int" (int .Values.big) }}', values), 'true false true');
  });

  it('int, atoi, float64 and the integer arithmetic as sprig converts', () => {
    assert.equal(
      render(
        '{{ int .Values.s }} {{ int "0x1F" }} {{ int "3.7" }} {{ int .Values.f }} {{ atoi "3.7" }} {{ float64 "3.7" }} {{ int64 "12" }} {{ add "3" 1 }}',
        values,
      ),
      '0 31 0 1 0 3.7 12 4',
    );
    assert.equal(
      render('{{ div 7 2 }} {{ div .Values.neg 7 }} {{ mod 7 3 }} {{ max 1 .Values.neg }} {{ add 1.5 1 }} {{ mul 2 .Values.sm }} {{ add1 .Values.f }}', values),
      '3 -142857 1 1 2 0 2',
    );
    assert.throws(() => render('{{ div 7 0 }}'), /integer divide by zero/);
  });

  it('comparisons of a float64 value with an int constant fail as in helm', () => {
    assert.throws(() => render('{{ gt .Values.x 1 }}', values), /incompatible types for comparison/);
    assert.throws(() => render('{{ eq .Values.x 3 }}', values), /incompatible types for comparison/);
    assert.equal(render('{{ eq .Values.x 3.0 }} {{ gt (int .Values.x) 1 }} {{ eq .Values.missing "a" }} {{ eq 1 1 }}', values), 'true true false true');
    assert.throws(() => render('{{ range $i, $e := 3 }}{{ end }}'), /range can't iterate over 3/);
  });
});
