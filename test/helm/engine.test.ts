/** How the engine reports Helm templates the renderer gives up on. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import type { ChartFiles } from '../../server/src/documents/helm/chart';
import { applyEdits } from '../../server/src/engine/yamlEditor';

function lint(template: string, helpers = '') {
  const file = '/c/templates/t.yaml';
  const chart: ChartFiles = {
    root: '/c',
    chartYaml: 'name: c\n',
    valuesYaml: 'hostNetwork: true\n',
    templates: new Map([
      [file, template],
      ['/c/templates/_helpers.tpl', helpers],
    ]),
  };
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'recommended'));
  return engine.lint(file, template, { kind: 'helm-template', helmChart: () => chart });
}

describe('helm templates over the render budget', () => {
  it('are reported once, on the first line', () => {
    const t = 'kind: Pod\n{{- range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}\nspec: {}\n';
    const r = lint(t);
    assert.deepEqual(
      r.findings.map((f) => [f.ruleId, f.severity, f.range.start.line, f.range.end.line, f.range.end.character]),
      [['helm-render-budget', 'warning', 0, 0, 9]],
    );
    assert.match(r.findings[0].message, /^Helm template not checked: rendering needs more than 100000 steps\.$/);
    assert.deepEqual(r.internalErrors, []);
  });

  it('can be silenced like any finding', () => {
    const t = '# bulkhead-ignore-file helm-render-budget -- generated\n{{ range until 1000000 }}{{ end }}\n';
    assert.deepEqual(lint(t).findings, []);
  });

  it('templates within the budget are linted as before', () => {
    const t = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: {{ .Values.hostNetwork }}\n  containers: [{name: c, image: "nginx:1"}]\n';
    assert.ok(lint(t).findings.some((f) => f.ruleId === 'host-network'));
  });
});

describe('helm template fixes hold under every values file of the chart', () => {
  const file = '/c/templates/pod.yaml';
  // The container map ends where the `if` ends: a line added after it lands outside the `if`.
  const template =
    '{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1\n{{- end }}\n';
  const lintWith = (valuesFiles: Record<string, string>) => {
    const chart: ChartFiles = {
      root: '/c',
      chartYaml: 'name: c\n',
      valuesYaml: 'enabled: true\n',
      templates: new Map([[file, template]]),
      valuesFileNames: Object.keys(valuesFiles),
      readFile: (rel) => (Object.hasOwn(valuesFiles, rel) ? valuesFiles[rel] : undefined),
    };
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    return engine.lint(file, template, { kind: 'helm-template', helmChart: () => chart }).findings.find((f) => f.ruleId === 'capabilities-not-dropped')!;
  };

  it('a fix that works for the defaults is applied', () => {
    const f = lintWith({ 'ci/on.yaml': 'enabled: true\n' });
    assert.match(applyEdits(template, f.fixes[0].edits()), /capabilities:/);
  });

  it('the lines a fix adds go inside the `if` that wraps the object, so the chart holds under ci/off.yaml', () => {
    const f = lintWith({ 'ci/on.yaml': 'enabled: true\n', 'ci/off.yaml': 'enabled: false\n' });
    const fixed = applyEdits(template, f.fixes[0].edits());
    assert.match(fixed, /image: nginx:1\n {4}securityContext:\n {6}capabilities:\n {8}drop:\n {8}- ALL\n\{\{- end \}\}\n$/);
    assert.match(f.message, /\(this chart cannot set securityContext\.capabilities\.drop from values: add it to the template\)$/);
    assert.equal(f.fixes[0].title, 'Drop ALL capabilities in the template');
  });
});

describe('helm templates that cannot be rendered', () => {
  const shape = (template: string, helpers = '') =>
    lint(template, helpers).findings.map((f) => [f.ruleId, f.range.start.line, f.range.start.character, f.range.end.character, f.message]);

  it('an unsupported function: one finding at its call, not a skipped template', () => {
    assert.deepEqual(shape('kind: Pod\nmetadata:\n  name: {{ .Values.x | someUnknownFunction }}\n'), [
      [
        'helm-render-error',
        2,
        23,
        42,
        'Helm template not checked: Bulkhead\'s renderer does not support the function "someUnknownFunction" (helm may render it).',
      ],
    ]);
    assert.match(shape('a: {{ mustNoSuchThing 1 }}\n')[0][4] as string, /"mustNoSuchThing"/);
  });

  it("inside a helper: at the include in the template, the helper's call related", () => {
    const helpers = '{{- define "c.x" -}}\n{{ nope . }}\n{{- end }}\n';
    const r = lint('a: 1\nb: {{ include "c.x" . }}\n', helpers);
    assert.equal(r.findings.length, 1);
    const f = r.findings[0];
    assert.deepEqual([f.range.start.line, f.range.start.character, f.range.end.character], [1, 6, 13]);
    assert.deepEqual(
      f.related?.map((x) => [x.path, x.range.start.line, x.range.start.character, x.range.end.character]),
      [['/c/templates/_helpers.tpl', 1, 3, 7]],
    );
  });

  it("the chart's own fail/required, and templates that do not parse, at their action", () => {
    assert.deepEqual(
      shape('a: 1\nb: {{ required "set b" .Values.b }}\n').map((x) => x.slice(0, 4)),
      [['helm-render-error', 1, 6, 14]],
    );
    assert.match(shape('b: {{ fail "no" }}\n')[0][4] as string, /stops rendering with these values \(helm fails too\): fail: no/);
    const broken = shape('a: 1\nb: {{ if .Values.x }}\n');
    assert.deepEqual(
      broken.map((x) => x.slice(0, 3)),
      [['helm-render-error', 1, 3]],
    );
    assert.match(broken[0][4] as string, /does not parse: missing \{\{ end \}\}/);
    assert.match(shape('a: {{ .Values.x\n')[0][4] as string, /does not parse: unclosed action/);
  });

  it('a field of a string: at the action', () => {
    assert.deepEqual(
      shape('a: 1\nb: {{ .Values.constructor.constructor "return 1" }}\n').map((x) => x.slice(0, 3)),
      [['helm-render-error', 1, 3]],
    );
  });

  it('can be silenced like any finding', () => {
    assert.deepEqual(shape('# bulkhead-ignore-file helm-render-error -- uses a plugin function\na: {{ nope }}\n'), []);
  });
});
