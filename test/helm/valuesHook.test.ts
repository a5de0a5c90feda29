/**
 * "This chart cannot set X from values": said where a finding's fix adds structure the template
 * never prints from values, not where a values block could take the fix; the template fix stays
 * inside the `{{ if }}`/`{{ with }}` around the object and is offered only when it works.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import type { ChartFiles } from '../../server/src/documents/helm/chart';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { addedPath, controlContext } from '../../server/src/engine/helmValuesHook';
import { applyEdits } from '../../server/src/engine/yamlEditor';

const FILE = '/c/templates/deploy.yaml';

function lint(template: string, values: string, valuesFiles: Record<string, string> = {}) {
  const chart: ChartFiles = {
    root: '/c',
    chartYaml: 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
    valuesYaml: values,
    templates: new Map([[FILE, template]]),
    valuesFileNames: Object.keys(valuesFiles),
    readFile: (rel) => (Object.hasOwn(valuesFiles, rel) ? valuesFiles[rel] : undefined),
  };
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
  return { chart, findings: engine.lint(FILE, template, { kind: 'helm-template', helmChart: () => chart }).findings };
}

const GUARDED = [
  '{{- with .Values.web }}',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  selector:',
  '    matchLabels: {app: web}',
  '  template:',
  '    metadata:',
  '      labels: {app: web}',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: "nginx:{{ .tag }}"',
  '{{- end }}',
  '',
].join('\n');

describe('a chart that cannot set a setting from values', () => {
  it('says so on the template, and adds the lines inside the `with`', () => {
    const { findings } = lint(GUARDED, 'web:\n  tag: "1.27"\n', { 'ci/off.yaml': 'web: null\n' });
    const seccomp = findings.find((f) => f.ruleId === 'missing-seccomp-profile')!;
    assert.match(seccomp.message, /\(this chart cannot set securityContext\.seccompProfile\.type from values: add it to the template\)$/);
    const fix = seccomp.fixes.find((f) => f.title === 'Add seccompProfile RuntimeDefault to the pod in the template')!;
    const fixed = applyEdits(GUARDED, fix.edits());
    assert.ok(fixed.indexOf('seccompProfile') < fixed.indexOf('{{- end }}'), 'inside the with');
    assert.ok(fixed.endsWith('{{- end }}\n'), 'nothing after the end');
    const again = lint(fixed, 'web:\n  tag: "1.27"\n', { 'ci/off.yaml': 'web: null\n' });
    assert.ok(!again.findings.some((f) => f.ruleId === 'missing-seccomp-profile'), 'the finding is gone after the fix');
  });

  it('says nothing of the kind where a values block could take the fix', () => {
    const template = GUARDED.replace('    spec:\n', '    spec:\n      securityContext:\n        {{- toYaml .podSecurityContext | nindent 8 }}\n');
    const { findings } = lint(template, 'web:\n  tag: "1.27"\n  podSecurityContext:\n    runAsUser: 1000\n');
    const seccomp = findings.find((f) => f.ruleId === 'missing-seccomp-profile')!;
    assert.doesNotMatch(seccomp.message, /cannot set/);
    assert.ok(
      !findings.some(
        (f) => /cannot set/.test(f.message) && /^securityContext\./.test(f.message.split('cannot set ')[1] ?? '') && f.ruleId === 'missing-seccomp-profile',
      ),
    );
  });

  it('a values block printed as keys of the pod spec takes the pod-level fix, in the values file', () => {
    // `{{- toYaml .pod | nindent 6 }}` beside the literal `containers:`: the values map can hold securityContext.
    const template = GUARDED.replace('    spec:\n', '    spec:\n      {{- toYaml .pod | nindent 6 }}\n');
    const values = 'web:\n  tag: "1.27"\n  pod:\n    dnsPolicy: ClusterFirst\n';
    const { chart, findings } = lint(template, values);
    const seccomp = findings.find((f) => f.ruleId === 'missing-seccomp-profile')!;
    assert.doesNotMatch(seccomp.message, /cannot set/);
    // The template side links to the values block, as the values side links back.
    assert.match(seccomp.message, /\(values\.yaml line 3 can set it: the template prints that block\)$/);
    assert.deepEqual(
      seccomp.related?.map((r) => [r.path, r.range.start.line]),
      [['/c/values.yaml', 2]],
    );
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const onValues = engine
      .lint('/c/values.yaml', values, { kind: 'helm-values', helmChart: () => chart })
      .findings.find((f) => f.ruleId === 'missing-seccomp-profile')!;
    assert.equal(values.slice(onValues.start, onValues.end), 'pod');
    const fix = onValues.fixes.find((f) => f.title === 'Add seccompProfile RuntimeDefault to the pod in values.yaml')!;
    const fixed = applyEdits(values, fix.edits());
    assert.equal(fixed, `${values}    securityContext:\n      seccompProfile:\n        type: RuntimeDefault\n`);
    assert.ok(!lint(template, fixed).findings.some((f) => f.ruleId === 'missing-seccomp-profile'), 'gone after the values fix');
  });

  it('a values block of another mapping is no hook for the pod', () => {
    // The block prints the container's env entries' keys, not keys of the pod spec.
    const template = GUARDED.replace(
      '          image: "nginx:{{ .tag }}"\n',
      '          image: "nginx:{{ .tag }}"\n          resources:\n            {{- toYaml .resources | nindent 12 }}\n',
    );
    const values = 'web:\n  tag: "1.27"\n  resources:\n    limits: {cpu: 100m}\n';
    const { chart, findings } = lint(template, values);
    const seccomp = findings.find((f) => f.ruleId === 'missing-seccomp-profile')!;
    assert.match(seccomp.message, /cannot set securityContext\.seccompProfile\.type from values/);
    assert.equal(seccomp.related, undefined);
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const onValues = engine.lint('/c/values.yaml', values, { kind: 'helm-values', helmChart: () => chart }).findings;
    assert.ok(!onValues.some((f) => f.ruleId === 'missing-seccomp-profile'));
  });

  it('says nothing of the kind where the chart has a hook the defaults leave off', () => {
    const template = GUARDED.replace(
      '    spec:\n',
      '    spec:\n      {{- if .seccomp }}\n      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n      {{- end }}\n',
    );
    const { findings } = lint(template, 'web:\n  tag: "1.27"\n  seccomp: false\n');
    const seccomp = findings.find((f) => f.ruleId === 'missing-seccomp-profile')!;
    assert.doesNotMatch(seccomp.message, /cannot set/);
  });

  it('adds the lines after an action that ends the object', () => {
    const template = GUARDED.replace('          image: "nginx:{{ .tag }}"\n', '          image: {{ .image | quote }}\n');
    const { findings } = lint(template, 'web:\n  image: nginx:1.27\n', { 'ci/off.yaml': 'web: null\n' });
    const fix = findings.find((f) => f.ruleId === 'missing-seccomp-profile')!.fixes[0];
    assert.match(
      applyEdits(template, fix.edits()),
      /image: \{\{ \.image \| quote \}\}\n {6}securityContext:\n {8}seccompProfile:\n {10}type: RuntimeDefault\n\{\{- end \}\}\n$/,
    );
  });

  it('offers no fix when the lines cannot be placed inside the block that holds the object', () => {
    // The object ends inside a `range` of its own: lines added there would repeat, after it they fall outside the `with`.
    const template = GUARDED.replace(
      '          image: "nginx:{{ .tag }}"\n',
      '          image: nginx:1.27\n          args:\n          {{- range .args }}\n            - {{ . }}\n          {{- end }}\n',
    );
    const { findings } = lint(template, 'web:\n  args: [a, b]\n');
    const seccomp = findings.find((f) => f.ruleId === 'missing-seccomp-profile')!;
    assert.match(seccomp.message, /cannot set securityContext\.seccompProfile\.type from values/);
    assert.deepEqual(seccomp.fixes, []);
  });

  it('tells blocks apart: branches of one if, nested withs, strings and comments holding braces', () => {
    const t = '{{ if .a }}A{{ else }}B{{ end }}C{{ with .b }}{{ "}}" }}{{/* {{ if }} */}}D{{ end }}';
    const at = (s: string) => controlContext(t, t.indexOf(s));
    assert.notEqual(at('A'), at('B'));
    assert.equal(at('C'), '');
    assert.notEqual(at('D'), '');
    assert.equal(at('D').split(' ').length, 1, 'the comment and the string open nothing');
  });

  it('names the added key from the pod or container it belongs to', () => {
    const output =
      'spec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: x\n          securityContext:\n            runAsUser: 1\n';
    assert.equal(
      addedPath(output, [{ start: output.length, end: output.length, newText: '            capabilities:\n              drop: [ALL]\n' }]),
      'securityContext.capabilities.drop',
    );
    assert.equal(
      addedPath(output, [{ start: output.length, end: output.length, newText: '      automountServiceAccountToken: false\n' }]),
      'automountServiceAccountToken',
    );
    assert.equal(addedPath(output, [{ start: 0, end: 4, newText: 'x' }]), undefined, 'a replacement is not an addition');
  });
});
