/** The Helm template renderer: Go template semantics as charts use them, and the map back to the template. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Renderer, toTemplateOffset } from '../../server/src/documents/helm/render';
import { TemplateError } from '../../server/src/documents/helm/parse';

function render(template: string, values: Record<string, unknown> = {}, helpers = ''): string {
  const { renderer, errors } = Renderer.forChart([
    { file: 't.yaml', text: template },
    { file: '_helpers.tpl', text: helpers },
  ]);
  assert.deepEqual(errors, []);
  return renderer.render('t.yaml', { Values: values, Release: { Name: 'rel', Namespace: 'ns' }, Chart: { Name: 'c' } }).text;
}

describe('helm template rendering', () => {
  it('values, trim markers, if/else, with, range, variables', () => {
    const t =
      'a: {{ .Values.a }}\n{{- if .Values.on }}\nb: yes\n{{- else }}\nb: no\n{{- end }}\n{{- with .Values.m }}\nm: {{ .x }}/{{ $.Release.Name }}\n{{- end }}\n{{- range $i, $v := .Values.list }}\n- {{ $i }}={{ $v }}\n{{- end }}\n{{- $n := "N" }}\nn: {{ $n }}\n';
    assert.equal(render(t, { a: 1, on: false, m: { x: 'X' }, list: ['p', 'q'] }), 'a: 1\nb: no\nm: X/rel\n- 0=p\n- 1=q\nn: N\n');
  });

  it('include of helpers, toYaml | nindent, default, quote, printf, ternary, and/or/not', () => {
    const helpers = '{{- define "c.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end }}';
    const t =
      'name: {{ include "c.name" . }}\nsc:\n  {{- toYaml .Values.sc | nindent 2 }}\nimg: {{ .Values.tag | default "latest" | quote }}\np: {{ printf "%s:%d" "h" 80 }}\nt: {{ ternary "a" "b" (and .Values.x (not .Values.y)) }}\n';
    assert.equal(
      render(t, { sc: { runAsNonRoot: true, capabilities: { drop: ['ALL'] } }, x: true }, helpers),
      'name: c-rel\nsc:\n  capabilities:\n    drop:\n    - ALL\n  runAsNonRoot: true\nimg: "latest"\np: h:80\nt: a\n',
    );
  });

  it('a parenthesised pipeline followed by another argument is two arguments', () => {
    assert.equal(render('{{ if and (not .Values.a) .Values.b }}yes{{ end }}', { a: false, b: true }), 'yes');
  });

  it('maps literal text exactly and generated text to its action', () => {
    const t = 'kind: Pod\nspec:\n  hostNetwork: {{ .Values.hostNetwork }}\n  privileged: true\n';
    const { renderer } = Renderer.forChart([{ file: 't.yaml', text: t }]);
    const r = renderer.render('t.yaml', { Values: { hostNetwork: true } });
    assert.equal(r.text, 'kind: Pod\nspec:\n  hostNetwork: true\n  privileged: true\n');
    const out = r.text.indexOf('privileged');
    assert.equal(toTemplateOffset(r.segments, out, 't.yaml', 'start'), t.indexOf('privileged'));
    const value = r.text.indexOf('true');
    assert.equal(toTemplateOffset(r.segments, value, 't.yaml', 'start'), t.indexOf('{{'));
    assert.equal(toTemplateOffset(r.segments, value + 4, 't.yaml', 'end'), t.indexOf('}}') + 2);
  });

  it('regex functions follow Go regexp (RE2) semantics', () => {
    assert.equal(render('{{ regexReplaceAll "a*" "baac" "-" }}'), '-b-c-');
    assert.equal(render('{{ regexReplaceAll `(?P<k>\\w+)=(\\w+)` "a=1 b=2" "${2}=$k" }}'), '1=a 2=b');
    assert.equal(render('{{ regexReplaceAll "(a)" "a" "[$1x][$$]" }}'), '[][$]', '$1x names a group "1x", as in Go');
    assert.equal(render('{{ regexReplaceAllLiteral "a" "aa" "$1" }}'), '$1$1');
    assert.equal(render('{{ regexFind "[0-9]+" "ab12cd34" }}|{{ regexFind "z" "ab" }}'), '12|');
    assert.equal(render('{{ regexMatch "^v[0-9]+$" "v12" }}|{{ mustRegexMatch "^v[0-9]+$" "x" }}'), 'true|false');
    assert.throws(() => render('{{ regexMatch "(" "x" }}'), TemplateError);
    assert.equal(render('{{ trimAll "-$" "$-x-$" }}|{{ trimAll "]^" "]^a^]" }}'), 'x|a');
  });

  it('printf honours flags, width and precision as Go does', () => {
    assert.equal(
      render('{{ printf "%5s|%-5s|%05d|%.2f|%f|%x|%x|%3d|%+d|%.1s|%05s|%%" "ab" "ab" 42 3.14159 1.5 "q" 255 7 5 "xyz" "ab" }}'),
      '   ab|ab   |00042|3.14|1.500000|71|ff|  7|+5|x|000ab|%',
    );
  });

  it('fromYaml and fromJson give data, or an Error key as Helm does for bad YAML', () => {
    assert.equal(
      render('{{ (fromYaml "a: 1\\nb: [x, z]").b }}|{{ (fromYaml "a: 1\\na: 2").Error }}|{{ (fromYaml "a: [").Error }}'),
      '[x z]|invalid YAML|invalid YAML',
    );
    assert.equal(render('{{ (fromJson "{\\"a\\": {\\"b\\": 2}}").a.b }}|{{ len (fromJson "nope") }}'), '2|0');
  });

  it('character constants are code points', () => {
    assert.equal(render("{{ 'a' }} {{ '\\n' }} {{ '\\'' }} {{ '\\x41' }} {{ 'é' }}"), '97 10 39 65 233');
  });

  it('refuses what it cannot evaluate instead of guessing', () => {
    const { renderer } = Renderer.forChart([{ file: 't.yaml', text: '{{ someUnknownFunction .Values.x }}' }]);
    assert.throws(() => renderer.render('t.yaml', { Values: {} }), TemplateError);
    const bad = Renderer.forChart([{ file: 'u.yaml', text: '{{ if .Values.x }}unclosed' }]);
    assert.equal(bad.errors.length, 1);
  });
});
