/** How the engine reports Helm templates the renderer gives up on. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import type { ChartFiles } from '../../server/src/documents/helm/chart';
import { applyEdits } from '../../server/src/engine/yamlEditor';

function lint(template: string) {
  const file = '/c/templates/t.yaml';
  const chart: ChartFiles = { root: '/c', chartYaml: 'name: c\n', valuesYaml: 'hostNetwork: true\n', templates: new Map([[file, template]]) };
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

  it('templates the renderer does not support are still skipped quietly', () => {
    assert.deepEqual(lint('kind: Pod\n{{ someUnknownFunction .Values.x }}\n').findings, []);
    assert.deepEqual(lint('{{ .Values.constructor.constructor "return 1" }}\n').findings, []);
  });

  it('templates within the budget are linted as before', () => {
    const t = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: {{ .Values.hostNetwork }}\n  containers: [{name: c, image: "nginx:1"}]\n';
    assert.ok(lint(t).findings.some((f) => f.ruleId === 'host-network'));
  });
});

describe('helm template fixes hold under every values file of the chart', () => {
  const file = '/c/templates/pod.yaml';
  // The container map ends where the `if` ends: a line added after it lands outside the `if`.
  const template = '{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1\n{{- end }}\n';
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
