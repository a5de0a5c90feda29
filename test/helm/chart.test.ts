/** Helm templates linted through the CLI: findings on template lines, fixes only where the text is literal. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { helmChartLoader } from '../../server/src/node/files';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'chart/values.yaml': 'hostNetwork: true\nimage: {repository: nginx, tag: "1.27"}\npodSecurityContext: {}\n',
  'chart/templates/_helpers.tpl': '{{- define "web.fullname" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end }}\n',
  'chart/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ include "web.fullname" . }}',
    'spec:',
    '  template:',
    '    spec:',
    '      hostNetwork: {{ .Values.hostNetwork }}',
    '      securityContext:',
    '        {{- toYaml .Values.podSecurityContext | nindent 8 }}',
    '      containers:',
    '        - name: web',
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    '          securityContext:',
    '            privileged: true # literal in the template',
    '',
  ].join('\n'),
  'chart/templates/NOTES.txt': 'Thanks for installing {{ .Chart.Name }}\n',
  'chart/templates/broken.yaml': '{{ if .Values.x }}\nkind: Pod\n',
  '.bulkhead.yaml': 'profile: pss-baseline\n',
};

describe('Helm charts', () => {
  const root = tempWorkspace(CHART);
  after(() => removeWorkspace(root));
  const run = (args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'bulkhead.js'), ...args], { cwd: root, encoding: 'utf8' });

  it('renders templates with the chart values and reports on template lines', () => {
    const out = JSON.parse(run(['scan', '.', '--format', 'json']).stdout) as {
      findings: { ruleId: string; file: string; range: { start: { line: number; character: number } }; fix: unknown; message: string }[];
      errors: unknown[];
    };
    const found = out.findings.map((f) => `${f.file}:${f.range.start.line}:${f.range.start.character} ${f.ruleId} ${f.fix ? 'fix' : 'nofix'}`);
    assert.deepEqual(found, [
      'chart/values.yaml:0:0 host-network fix',
      'chart/templates/broken.yaml:0:0 helm-render-error nofix',
      'chart/templates/deployment.yaml:7:6 host-network nofix',
      'chart/templates/deployment.yaml:14:12 privileged-container fix',
    ]);
    assert.match(out.findings[0].message, /Deployment\/release-name-web sets hostNetwork: true.*\(set here, rendered by templates\/deployment\.yaml line 8\)$/);
    assert.match(out.findings[2].message, /\(the value comes from values\.yaml line 1\)$/);
    // A template the renderer cannot render is one finding at the action where it stopped, not a silent skip.
    assert.match(out.findings[1].message, /^Helm template not checked: it does not parse: missing \{\{ end \}\}\.$/);
    assert.deepEqual(out.errors, [], 'helpers and NOTES.txt are not linted');
  });

  it('--values renders the chart with a values file on top', () => {
    fs.mkdirSync(path.join(root, 'chart/ci'), { recursive: true });
    fs.writeFileSync(path.join(root, 'chart/ci/safe.yaml'), 'hostNetwork: false\n');
    const out = JSON.parse(run(['scan', 'chart/templates', '--format', 'json', '--values', 'chart/ci/safe.yaml']).stdout) as { findings: { ruleId: string }[] };
    assert.deepEqual(
      out.findings.map((f) => f.ruleId),
      ['helm-render-error', 'privileged-container'],
    );
    assert.equal(run(['scan', '.', '--values']).status, 2);
  });

  it('--fix edits the template where the finding is literal text, and the values file where it came from there', () => {
    const r = run(['scan', '.', '--fix', '--unsafe-fixes', '--format', 'json']);
    const text = fs.readFileSync(path.join(root, 'chart/templates/deployment.yaml'), 'utf8');
    assert.match(text, /privileged: false # literal in the template/);
    assert.match(text, /hostNetwork: \{\{ \.Values\.hostNetwork \}\}/);
    assert.equal(fs.readFileSync(path.join(root, 'chart/values.yaml'), 'utf8'), CHART['chart/values.yaml'].replace('hostNetwork: true', 'hostNetwork: false'));
    assert.deepEqual(
      JSON.parse(r.stdout).findings.map((f: { ruleId: string }) => f.ruleId),
      ['helm-render-error'],
      'only the template that does not parse is left',
    );
  });
});

describe('Helm charts: .helmignore and dependency tags', () => {
  const POD = (name: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n`;
  const files = (helmignore: string | undefined, monitoring: boolean) => ({
    'top/Chart.yaml':
      'apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n  - name: agent\n    version: 1.0.0\n    repository: file://charts/agent\n    tags: [monitoring]\n',
    'top/values.yaml': `tags:\n  monitoring: ${monitoring}\n`,
    'top/templates/pod.yaml': POD('top'),
    'top/templates/tests/test-connection.yaml': POD('test-connection'),
    'top/charts/agent/Chart.yaml': 'apiVersion: v2\nname: agent\nversion: 1.0.0\n',
    'top/charts/agent/templates/pod.yaml': POD('agent'),
    // A subchart's own .helmignore is not read by helm (only the top chart's, for the whole tree).
    'top/charts/agent/.helmignore': 'templates/\n',
    ...(helmignore === undefined ? {} : { 'top/.helmignore': helmignore }),
  });
  const scan = (root: string) => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'bulkhead.js'), 'scan', '.', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[] };
    return [...new Set(out.findings.filter((f) => f.ruleId === 'privileged-container').map((f) => f.file))].sort();
  };

  it('templates the top .helmignore names are not linted; a subchart off by its tag neither', () => {
    const ignored = tempWorkspace(files('# chart tests\ntemplates/tests/\n', false));
    const plain = tempWorkspace(files(undefined, true));
    try {
      assert.deepEqual(scan(ignored), ['top/templates/pod.yaml']);
      assert.deepEqual(scan(plain), ['top/charts/agent/templates/pod.yaml', 'top/templates/pod.yaml', 'top/templates/tests/test-connection.yaml']);
    } finally {
      removeWorkspace(ignored);
      removeWorkspace(plain);
    }
  });
});

describe('Helm chart loader', () => {
  it('re-reads a changed chart, unless it was made for a scan that writes nothing (snapshot)', () => {
    const root = tempWorkspace({ 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'c/values.yaml': 'a: 1\n', 'c/templates/t.yaml': 'kind: x\n' });
    try {
      const template = path.join(root, 'c/templates/t.yaml');
      const live = helmChartLoader(() => [root]);
      const snapshot = helmChartLoader(() => [root], { snapshot: true });
      assert.equal(live(template)?.valuesYaml, 'a: 1\n');
      assert.equal(snapshot(template)?.valuesYaml, 'a: 1\n');
      fs.writeFileSync(path.join(root, 'c/values.yaml'), 'a: 22\n');
      const later = new Date(Date.now() + 5000);
      fs.utimesSync(path.join(root, 'c/values.yaml'), later, later);
      assert.equal(live(template)?.valuesYaml, 'a: 22\n');
      assert.equal(snapshot(template)?.valuesYaml, 'a: 1\n');
      assert.equal(snapshot(template), snapshot(path.join(root, 'c/values.yaml')), 'one chart object for the whole scan');
    } finally {
      removeWorkspace(root);
    }
  });
});
