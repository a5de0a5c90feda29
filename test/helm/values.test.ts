/**
 * Findings that come from a chart's values: reported on the values line (template line related)
 * and on the template line (values line related), fixed in the values file, re-linted after.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine, Finding } from '../../server/src/engine/engine';
import { applyEdits } from '../../server/src/engine/yamlEditor';
import type { ChartFiles } from '../../server/src/documents/helm/chart';

const ROOT = '/c';
const VALUES = `${ROOT}/values.yaml`;
const TEMPLATE = `${ROOT}/templates/deploy.yaml`;

const POD = (spec: string, container: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web, namespace: shop}',
    'spec:',
    '  template:',
    '    spec:',
    spec,
    '      containers:',
    '        - name: web',
    '          image: "nginx:1.27"',
    container,
    '',
  ].join('\n');

function chartOf(values: string, templates: Record<string, string>, extra: Partial<ChartFiles> = {}): ChartFiles {
  return { root: ROOT, chartYaml: 'apiVersion: v2\nname: web\nversion: 1.0.0\n', valuesYaml: values, templates: new Map(Object.entries(templates)), ...extra };
}

const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));

function lintValues(chart: ChartFiles, file = VALUES, text = chart.valuesYaml ?? '') {
  return engine.lint(file, text, { kind: 'helm-values', helmChart: () => chart }).findings;
}

function lintTemplate(chart: ChartFiles, file = TEMPLATE) {
  return engine.lint(file, chart.templates.get(file)!, { kind: 'helm-template', helmChart: () => chart }).findings;
}

const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

/** Applies a values finding's first fix, then lints the fixed values file again. */
function fixValues(chart: ChartFiles, f: Finding, file = VALUES, text = chart.valuesYaml ?? '') {
  assert.ok(f.fixes.length, `${f.ruleId} offers a values fix`);
  const fixed = applyEdits(text, f.fixes[0].edits());
  const again = file === VALUES ? chartOf(fixed, Object.fromEntries(chart.templates)) : chart;
  return { fixed, findings: lintValues(again, file, fixed) };
}

describe('helm values as the source of findings', () => {
  it('a scalar printed by the template: finding on the values line, template line related, fix sets it false', () => {
    const values = '# shares the node network\nhostNetwork: true # on purpose\nreplicas: 1\n';
    const chart = chartOf(values, { [TEMPLATE]: POD('      hostNetwork: {{ .Values.hostNetwork }}', '') });
    const [f] = of(lintValues(chart), 'host-network');
    assert.deepEqual(
      [f.range.start, f.range.end],
      [
        { line: 1, character: 0 },
        { line: 1, character: 17 },
      ],
    );
    assert.match(f.message, /\(set here, rendered by templates\/deploy\.yaml line 7\)$/);
    assert.deepEqual(
      f.related?.map((r) => [r.path, r.range.start.line, r.range.start.character]),
      [[TEMPLATE, 6, 6]],
    );
    assert.equal(f.fixes[0].applicability, 'unsafe');
    const { fixed, findings } = fixValues(chart, f);
    assert.equal(fixed, '# shares the node network\nhostNetwork: false # on purpose\nreplicas: 1\n');
    assert.deepEqual(of(findings, 'host-network'), []);

    const [t] = of(lintTemplate(chart), 'host-network');
    assert.equal(t.range.start.line, 6);
    assert.match(t.message, /\(the value comes from values\.yaml line 2\)$/);
    assert.deepEqual(
      t.related?.map((r) => [r.path, r.range.start.line, r.range.end.character]),
      [[VALUES, 1, 17]],
    );
  });

  it('a block through toYaml | nindent: the key inside it, fixed in the values file in its style', () => {
    const values = 'securityContext:\n    # the agent needs the devices\n    privileged: true\n    readOnlyRootFilesystem: true\n';
    const chart = chartOf(values, { [TEMPLATE]: POD('', '          securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}') });
    const findings = lintValues(chart);
    const [f] = of(findings, 'privileged-container');
    assert.deepEqual(f.range.start, { line: 2, character: 4 });
    assert.deepEqual(
      f.related?.map((r) => r.range.start.line),
      [11],
    );
    const { fixed, findings: after } = fixValues(chart, f);
    assert.equal(fixed, values.replace('privileged: true', 'privileged: false'));
    assert.deepEqual(of(after, 'privileged-container'), []);
    // A setting the block lacks: reported on the block's key, added under it.
    const [caps] = of(findings, 'capabilities-not-dropped');
    assert.deepEqual(
      [caps.range.start, caps.range.end],
      [
        { line: 0, character: 0 },
        { line: 0, character: 15 },
      ],
    );
    const added = fixValues(chart, caps);
    assert.equal(added.fixed, `${values}    capabilities:\n        drop:\n            - ALL\n`);
    assert.deepEqual(of(added.findings, 'capabilities-not-dropped'), []);
    // The template line shows the finding too, with the values key related.
    const [t] = of(lintTemplate(chart), 'privileged-container');
    assert.deepEqual(
      t.related?.map((r) => [r.path, r.range.start.line]),
      [[VALUES, 2]],
    );
  });

  it('a block merged into a map with literal keys: the fix drops the key from the values', () => {
    const values = 'pod:\n  hostNetwork: true\n  dnsPolicy: ClusterFirstWithHostNet\n';
    const chart = chartOf(values, { [TEMPLATE]: POD('      {{- toYaml .Values.pod | nindent 6 }}', '') });
    const [f] = of(lintValues(chart), 'host-network');
    assert.equal(f.range.start.line, 1);
    const { fixed, findings } = fixValues(chart, f);
    assert.equal(fixed, 'pod:\n  dnsPolicy: ClusterFirstWithHostNet\n');
    assert.deepEqual(of(findings, 'host-network'), []);
  });

  it('follows values through with, range, default, index and include', () => {
    const values = 'sc:\n  privileged: true\npods:\n  - hostPID: true\nnet: {enabled: true}\n';
    const helpers = '{{- define "sc" -}}{{ toYaml . }}{{- end -}}';
    const t1 = POD('', '          {{- with .Values.sc }}\n          securityContext:\n            {{- include "sc" . | nindent 12 }}\n          {{- end }}');
    const t2 = POD(
      '      {{- range .Values.pods }}\n      hostPID: {{ .hostPID }}\n      {{- end }}\n      hostNetwork: {{ default false (index .Values "net" "enabled") }}',
      '',
    );
    const chart = chartOf(values, { [TEMPLATE]: t1, [`${ROOT}/templates/two.yaml`]: t2, [`${ROOT}/templates/_h.tpl`]: helpers });
    const found = lintValues(chart)
      .filter((f) => ['privileged-container', 'host-pid', 'host-network'].includes(f.ruleId))
      .map((f) => `${f.ruleId}@${f.range.start.line}`);
    assert.deepEqual(found.sort(), ['host-network@4', 'host-pid@3', 'privileged-container@1']);
  });

  it('does not report what the values do not explain', () => {
    // Literal in the template; a value that is not printed; a computed value.
    const values = 'hostNetwork: true\nmode: host\n';
    const chart = chartOf(values, {
      [TEMPLATE]: POD('      hostNetwork: true\n      hostPID: {{ eq .Values.mode "host" }}', '          securityContext: {privileged: true}'),
    });
    assert.deepEqual(lintValues(chart), []);
    const t = lintTemplate(chart);
    assert.ok(of(t, 'host-pid').length && of(t, 'privileged-container').length);
    assert.ok(t.every((f) => !f.related?.some((r) => r.path === VALUES)));
  });

  it("a pair a rule only uses as the place of a missing setting is not the value's fault", () => {
    // automount-service-account-token underlines serviceAccountName; its fix inserts a key elsewhere.
    const chart = chartOf('sa: web\n', { [TEMPLATE]: POD('      serviceAccountName: {{ .Values.sa }}', '') });
    const t = of(lintTemplate(chart), 'automount-service-account-token');
    assert.equal(t.length, 1);
    assert.equal(t[0].related, undefined);
    assert.deepEqual(of(lintValues(chart), 'automount-service-account-token'), []);
  });

  it('a values file on top of the defaults reports only the keys it sets', () => {
    const ci = `${ROOT}/ci/host-values.yaml`;
    const ciText = 'hostPID: true\n';
    const chart = chartOf('hostNetwork: true\nhostPID: false\n', {
      [TEMPLATE]: POD('      hostNetwork: {{ .Values.hostNetwork }}\n      hostPID: {{ .Values.hostPID }}', ''),
    });
    const found = lintValues(chart, ci, ciText);
    assert.deepEqual(
      found.map((f) => `${f.ruleId}@${f.range.start.line}`),
      ['host-pid@0'],
    );
    const fixed = applyEdits(ciText, found[0].fixes[0].edits());
    assert.equal(fixed, 'hostPID: false\n');
  });

  it('settings.helm.valuesFiles: templates render with those files on top, findings show on their lines', () => {
    const prodText = '# production\nhostNetwork: true\n';
    const chart = chartOf(
      'hostNetwork: false\n',
      { [TEMPLATE]: POD('      hostNetwork: {{ .Values.hostNetwork }}', '') },
      { readFile: (rel) => (rel === 'ci/prod.yaml' ? prodText : undefined) },
    );
    const withProd = new Engine(
      new ResolvedConfig(ALL_RULES, { settings: { helm: { valuesFiles: ['ci/prod.yaml', 'ci/missing.yaml', '../elsewhere.yaml'] } } }, 'all'),
    );
    const t = withProd.lint(TEMPLATE, chart.templates.get(TEMPLATE)!, { kind: 'helm-template', helmChart: () => chart }).findings;
    const [f] = of(t, 'host-network');
    assert.match(f.message, /\(the value comes from ci\/prod\.yaml line 2\)$/);
    assert.deepEqual(
      f.related?.map((r) => [r.path, r.range.start.line]),
      [[`${ROOT}/ci/prod.yaml`, 1]],
    );
    assert.deepEqual(of(lintTemplate(chart), 'host-network'), [], 'without the setting, the defaults turn it off');
    // The values file itself, as the editor lints it: its findings and a fix of it.
    const inProd = withProd.lint(`${ROOT}/ci/prod.yaml`, prodText, { kind: 'helm-values', helmChart: () => chart }).findings;
    assert.deepEqual(
      inProd.map((x) => `${x.ruleId}@${x.range.start.line}`),
      ['host-network@1'],
    );
    assert.equal(applyEdits(prodText, inProd[0].fixes[0].edits()), '# production\nhostNetwork: false\n');
  });

  it('subcharts: parent values and global reach them, a false condition disables them', () => {
    const subRoot = `${ROOT}/charts/agent`;
    const subTemplate = `${subRoot}/templates/ds.yaml`;
    const parentValues = (enabled: boolean) => `global:\n  net: true\nagent:\n  enabled: ${enabled}\n  hostPID: true\n`;
    const build = (enabled: boolean) => {
      const parent = chartOf(
        parentValues(enabled),
        {},
        { chartYaml: 'apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: agent\n    version: 1.0.0\n    condition: agent.enabled\n' },
      );
      const sub: ChartFiles = {
        root: subRoot,
        chartYaml: 'apiVersion: v2\nname: agent\nversion: 1.0.0\n',
        valuesYaml: 'hostPID: false\n',
        templates: new Map([[subTemplate, POD('      hostPID: {{ .Values.hostPID }}\n      hostNetwork: {{ .Values.global.net }}', '')]]),
        parent,
      };
      parent.subcharts = [sub];
      return { parent, sub };
    };
    const on = build(true);
    const fromParent = lintValues(on.parent);
    assert.deepEqual(fromParent.map((f) => `${f.ruleId}@${f.range.start.line}`).sort(), ['host-network@1', 'host-pid@4']);
    assert.deepEqual(
      fromParent.find((f) => f.ruleId === 'host-pid')?.related?.map((r) => r.path),
      [subTemplate],
    );
    assert.deepEqual(of(lintTemplate(on.sub, subTemplate), 'host-pid').length, 1);
    const off = build(false);
    assert.deepEqual(lintValues(off.parent), []);
    assert.deepEqual(lintTemplate(off.sub, subTemplate), [], 'helm does not render a disabled subchart');
  });

  it('odd values files never throw', () => {
    for (const values of ['', '[1, 2]', '__proto__: {hostNetwork: true}\nconstructor: 1\n', 'a: &x [*x]\n', 'hostNetwork: [true]\n', '{{ bad']) {
      const chart = chartOf(values, {
        [TEMPLATE]: POD(
          '      hostNetwork: {{ .Values.hostNetwork }}',
          '          securityContext:\n            {{- toYaml .Values.constructor | nindent 12 }}',
        ),
      });
      assert.doesNotThrow(() => lintValues(chart));
      assert.doesNotThrow(() => lintTemplate(chart));
    }
  });
});
