/** Secrets in Helm charts: values lines, template literals, and values copied by templates reported once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../../../rules';
import { ResolvedConfig } from '../../../../server/src/engine/config';
import { Engine } from '../../../../server/src/engine/engine';
import type { ChartFiles } from '../../../../server/src/documents/helm/chart';

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: x
spec:
  template:
    spec:
      containers:
      - name: c
        image: "x:1"
        env:
        - name: DB_PASSWORD
          value: {{ .Values.db.password | quote }}
        - name: OTHER_PASSWORD
          value: {{ .Values.db.pw | quote }}
        - name: API_TOKEN
          value: "Hx7Lp2Qz9Wm4VrKd"
        - name: EMPTY_PASSWORD
          value: {{ .Values.db.empty | quote }}
`;
const VALUES = 'db:\n  password: Vq7rLx2Tz9mWp4\n  pw: Zq8rT2vLx5mN\n  empty: ""\n';

describe('secrets in a Helm chart', () => {
  const file = '/c/templates/d.yaml';
  const chart: ChartFiles = { root: '/c', chartYaml: 'name: c\n', valuesYaml: VALUES, templates: new Map([[file, TEMPLATE]]) };
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'recommended'));
  const secretsOf = (r: ReturnType<Engine['lint']>, text: string) => r.findings.filter((f) => f.rule.category === 'secrets').map((f) => [f.ruleId, f.range.start.line, text.slice(f.start, f.end)]);

  it('reports a literal value of values.yaml on its values line', () => {
    const r = engine.lint('/c/values.yaml', VALUES, { isInChart: () => true });
    assert.equal(r.kind, 'helm-values');
    assert.deepEqual(secretsOf(r, VALUES), [['helm-values-secret', 1, 'Vq7rLx2Tz9mWp4']]);
  });

  it('does not report it again where a template copies it; reports what only the rendering reveals, and template literals', () => {
    const r = engine.lint(file, TEMPLATE, { kind: 'helm-template', helmChart: () => chart });
    assert.deepEqual(secretsOf(r, TEMPLATE), [
      // `pw` alone is not a credential name in values.yaml; the env var it lands in is.
      ['secret-in-env', 14, '{{ .Values.db.pw | quote }}'],
      ['secret-in-env', 16, 'Hx7Lp2Qz9Wm4VrKd'],
    ]);
    // The literal one keeps its fix (it is template text); the generated one has none.
    assert.equal(r.findings.find((f) => f.range.start.line === 16)?.fixes.length, 1);
    assert.equal(r.findings.find((f) => f.range.start.line === 14)?.fixes.length, 0);
  });
});
