/**
 * A chart is untrusted input: no template or values file may reach a JavaScript function, an
 * inherited property or a global through any lookup the renderer offers.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ChartFiles, renderChartTemplate, templateRoot } from '../../server/src/documents/helm/chart';
import { attachedMethod, attachedMethodNames, TemplateMethod, toData } from '../../server/src/documents/helm/data';
import { TemplateError } from '../../server/src/documents/helm/parse';

const MARKER = '__bulkheadExecuted';
const globals = globalThis as Record<string, unknown>;

/** Renders `template` as templates/t.yaml of a chart with `values` (YAML text) and helpers. */
function render(template: string, values = '', helpers = ''): string {
  const chart: ChartFiles = {
    root: '/c',
    chartYaml: 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
    valuesYaml: values,
    templates: new Map([
      ['/c/templates/t.yaml', template],
      ['/c/templates/_helpers.tpl', helpers],
    ]),
  };
  return renderChartTemplate(chart, '/c/templates/t.yaml', template)!.text;
}

/** The rendering, or 'error' when the renderer refuses the template (also safe). */
function outcome(template: string, values = '', helpers = ''): string {
  try {
    return render(template, values, helpers);
  } catch (err) {
    if (err instanceof TemplateError) return 'error';
    throw err;
  }
}

/** JavaScript-only names: on plain data none of them may resolve to anything. */
const INHERITED = [
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
  'length',
  'call',
  'apply',
  'bind',
  'name',
  'map',
  'at',
];

describe('helm rendering is data only', () => {
  afterEach(() => delete globals[MARKER]);

  it('the Function constructor reached through values cannot run code', () => {
    // On the old renderer `index` read inherited properties and a variable holding a function was callable.
    const attacks = [
      `{{ $f := index .Values "constructor" "constructor" }}{{ $g := $f "globalThis.${MARKER} = 1" }}{{ $g "x" }}`,
      `{{ $g := .Values.constructor.constructor "globalThis.${MARKER} = 1" }}{{ $g 1 }}`,
      `{{ $v := .Values }}{{ $g := $v.constructor.constructor "globalThis.${MARKER} = 1" }}{{ $g 1 }}`,
      `{{ $f := get (get .Values "constructor") "constructor" }}{{ $g := $f "globalThis.${MARKER} = 1" }}{{ $g 1 }}`,
      `{{ $g := .Capabilities.APIVersions.Has.constructor "globalThis.${MARKER} = 1" }}{{ $g 1 }}`,
      `{{ $f := index "text" "constructor" "constructor" }}{{ $g := $f "globalThis.${MARKER} = 1" }}{{ $g 1 }}`,
      `{{ $f := index (list 1) "constructor" "constructor" }}{{ $g := $f "globalThis.${MARKER} = 1" }}{{ $g 1 }}`,
      `{{ include "run" (dict "v" .Values) }}`,
      `{{ tpl .Values.payload . }}`,
    ];
    const helpers = `{{ define "run" }}{{ $g := .v.constructor.constructor "globalThis.${MARKER} = 1" }}{{ $g 1 }}{{ end }}`;
    const values = `payload: '{{ $g := .Values.constructor.constructor "globalThis.${MARKER} = 1" }}{{ $g 1 }}'\n`;
    for (const t of attacks) {
      const out = outcome(t, values, helpers);
      assert.equal(globals[MARKER], undefined, `executed: ${t}`);
      assert.ok(out === '' || out === 'error', `${t} → ${out}`);
    }
  });

  it('inherited names resolve to nothing through every lookup form', () => {
    const values = 'm: {a: 1}\nl: [1, 2]\ns: text\npayload: "{{ .Values.m.NAME }}{{ index .Values.m \\"NAME\\" }}"\n';
    const helpers = '{{ define "look" }}{{ .NAME }}{{ index . "NAME" }}{{ get . "NAME" }}{{ end }}';
    const forms = [
      '{{ .Values.NAME }}',
      '{{ .Values.m.NAME }}',
      '{{ index .Values "NAME" }}',
      '{{ index .Values.m "NAME" }}',
      '{{ index .Values "m" "NAME" }}',
      '{{ get .Values.m "NAME" }}',
      '{{ dig "NAME" "" .Values.m }}',
      '{{ dig "m" "NAME" "" .Values }}',
      '{{ pluck "NAME" .Values.m .Values }}',
      '{{ $m := .Values.m }}{{ $m.NAME }}',
      '{{ $.Values.m.NAME }}',
      '{{ (dict "a" 1).NAME }}',
      '{{ (fromYaml "a: 1").NAME }}',
      '{{ (fromJson "{\\"a\\": 1}").NAME }}',
      '{{ (merge (dict "a" 1) .Values.m).NAME }}',
      '{{ (split "," "a,b").NAME }}',
      '{{ .Release.NAME }}{{ .Chart.NAME }}{{ .Capabilities.NAME }}{{ .Files.NAME }}{{ .Template.NAME }}',
      '{{ include "look" .Values.m }}',
      '{{ include "look" (dict "a" 1) }}',
      '{{ tpl .Values.payload . }}',
      '{{ toJson (index .Values "NAME") }}{{ hasKey .Values "NAME" }}',
    ];
    for (const name of INHERITED) {
      for (const form of forms) {
        const t = form.replace(/NAME/g, name);
        const out = outcome(t, values.replace(/NAME/g, name), helpers.replace(/NAME/g, name));
        // `pluck` gives an empty list, `toJson` null, `hasKey` false: all say "there is nothing".
        assert.ok(['', 'error', '[]', 'nullfalse'].includes(out), `${t} → ${out}`);
      }
    }
  });

  it('lists, strings and numbers have no fields, and index only reads elements', () => {
    const values = 'l: [a, b]\ns: text\n';
    assert.equal(outcome('{{ .Values.l.length }}', values), 'error');
    assert.equal(outcome('{{ .Values.s.length }}', values), 'error');
    assert.equal(outcome('{{ index .Values.l "length" }}', values), 'error');
    assert.equal(outcome('{{ index .Values.l 5 }}{{ index .Values.l -1 }}{{ index .Values.l 0.5 }}', values), '');
    assert.equal(outcome('{{ index .Values.l 1 }}', values), 'b');
    assert.equal(outcome('{{ index .Values.s 0 }}', values), '116', 'a byte, as in Go');
    assert.equal(outcome('{{ index .Values.s "constructor" }}', values), 'error');
  });

  it('only the built-in methods are callable', () => {
    assert.equal(render('{{ .Capabilities.APIVersions.Has "apps/v1" }}'), 'true');
    assert.equal(render('{{ if .Capabilities.APIVersions.Has "policy/v1" }}yes{{ end }}'), 'yes');
    assert.equal(render('{{ (.Files.Glob "x/*").AsConfig }}|{{ .Files.Get "f" }}'), '|');
    // A value that looks like a method is data: calling it is an error, not a call.
    assert.equal(outcome('{{ .Values.f "x" }}', 'f: {Has: true}\n'), 'error');
    assert.equal(outcome('{{ "x" | .Values.f }}', 'f: x\n'), 'error');
    // No name outside the function table is a function.
    for (const name of ['constructor', 'valueOf', 'eval', 'require', 'process', 'globalThis', 'Function', '__proto__']) {
      assert.equal(outcome(`{{ ${name} "globalThis.${MARKER} = 1" }}`), 'error', name);
    }
    assert.equal(globals[MARKER], undefined);
  });

  it('no global object is reachable', () => {
    // Lookups read own keys of maps and elements of lists, and call methods: walking exactly those
    // from `.` visits everything a template can reach. Each must be plain data or a built-in method.
    const chart: ChartFiles = { root: '/c', chartYaml: 'name: c\nannotations: {a: b}\n', valuesYaml: 'a: [1, {b: c}]\nconstructor: x\n', templates: new Map() };
    const seen: string[] = [];
    const walk = (v: unknown, where: string, depth: number): void => {
      assert.ok(depth < 20, where);
      if (v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v)) return;
      if (v instanceof TemplateMethod) {
        if (where.split('.Glob()').length > 3) return; // a Glob of a Glob answers the same methods again
        assert.deepEqual(Object.getOwnPropertyNames(v), [], `${where} exposes nothing`);
        seen.push(where);
        walk(TemplateMethod.invoke(v, []), `${where}()`, depth + 1);
        return;
      }
      // Methods attached to a list (`.Capabilities.APIVersions.Has`) are reachable too.
      if (Array.isArray(v)) {
        for (const k of attachedMethodNames(v)) walk(attachedMethod(v, k), `${where}.${k}`, depth + 1);
        return v.forEach((x, i) => walk(x, `${where}[${i}]`, depth + 1));
      }
      assert.equal(typeof v, 'object', `${where} is ${typeof v}`);
      assert.equal(Object.getPrototypeOf(v), null, `${where} has a prototype`);
      for (const k of Object.keys(v as object)) walk((v as Record<string, unknown>)[k], `${where}.${k}`, depth + 1);
      // Methods attached to a data map (`.Files.Glob` results answer `.AsConfig`) are reachable too.
      for (const k of attachedMethodNames(v as Record<string, unknown>)) walk(attachedMethod(v as Record<string, unknown>, k), `${where}.${k}`, depth + 1);
    };
    walk(templateRoot(chart, '/c/templates/t.yaml'), '', 0);
    assert.ok(seen.includes('.Capabilities.APIVersions.Has') && seen.includes('.Files.Glob().AsConfig'), seen.join(' '));
  });

  it('a __proto__ key is an ordinary key and pollutes nothing', () => {
    const values = '__proto__: {polluted: here}\nm:\n  __proto__: {x: 1}\n';
    assert.equal(render('{{ .Values.polluted }}|{{ index .Values "__proto__" "polluted" }}|{{ .Values.m.x }}', values), '|here|');
    assert.equal(render('{{ $d := dict "__proto__" (dict "x" 1) }}{{ $d.x }}|{{ index $d "__proto__" "x" }}|{{ keys $d }}'), '|1|[__proto__]');
    assert.equal(render('{{ $m := merge (dict) (fromJson "{\\"__proto__\\": {\\"x\\": 2}}") }}{{ $m.x }}|{{ len $m }}'), '|1');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('parsed values are null-prototype maps, whatever the YAML holds', () => {
    const v = toData(parse('%YAML 1.1\n---\na: {b: [1, {c: 2}]}\nd: 2001-12-14\ne: !!binary aGk=\nf: !!set {x}\n')) as Record<string, Record<string, unknown>>;
    assert.equal(Object.getPrototypeOf(v), null);
    assert.equal(Object.getPrototypeOf(v.a), null);
    assert.equal(Object.getPrototypeOf((v.a.b as unknown[])[1]), null);
    assert.equal(v.d, '2001-12-14T00:00:00.000Z');
    assert.equal(v.e, 'aGk=');
    assert.equal(Object.getPrototypeOf(v.f), null);
    // A cyclic alias cannot make the values infinite.
    assert.throws(() => toData(parse('a: &x [1, *x]\n')), TemplateError);
  });

  it('a values file with an alias bomb is refused, not expanded', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    assert.equal(render('{{ len .Values }}', bomb), '1', 'only `global`: the bomb is treated as an unparsable values file');
    assert.equal(render(`{{ (fromYaml .Values.yy).Error }}`, `yy: ${JSON.stringify(bomb)}\n`), 'invalid YAML');
  });
});
