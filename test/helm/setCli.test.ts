/** `--set`, `--set-string` and `settings.helm.set` through the CLI: what the chart renders with changes the findings. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'chart/values.yaml': 'hostNetwork: true\nsecurityContext:\n  runAsNonRoot: true\n',
  'chart/templates/pod.yaml': [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    'spec:',
    '  hostNetwork: {{ .Values.hostNetwork }}',
    '  containers:',
    '    - name: web',
    '      image: "nginx:{{ .Values.tag | default "1.27" }}"',
    '      securityContext:',
    '        {{- toYaml .Values.securityContext | nindent 8 }}',
    '',
  ].join('\n'),
  '.bulkhead.yaml': 'profile: pss-baseline\n',
};

interface Out {
  findings: { ruleId: string; file: string; message: string; range: { start: { line: number } } }[];
}

describe('Helm --set overrides', () => {
  const root = tempWorkspace(CHART);
  after(() => removeWorkspace(root));
  const run = (args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'bulkhead.js'), ...args], { cwd: root, encoding: 'utf8' });
  const scan = (...args: string[]) => {
    const r = run(['scan', 'chart/templates', '--format', 'json', ...args]);
    assert.equal(r.stderr, '');
    return (JSON.parse(r.stdout) as Out).findings;
  };

  it('renders with the defaults when nothing is set', () => {
    assert.deepEqual(
      scan().map((f) => f.ruleId),
      ['host-network'],
    );
  });

  it('--set turns a finding off and another on, and names itself as the source', () => {
    const found = scan('--set', 'hostNetwork=false', '--set', 'securityContext.privileged=true');
    assert.deepEqual(
      found.map((f) => f.ruleId),
      ['privileged-container'],
    );
    assert.match(found[0].message, /\(the value comes from --set securityContext\.privileged\)$/);
  });

  it('--set-string keeps "true" a string (then the rule sees no boolean)', () => {
    assert.deepEqual(
      scan('--set-string', 'securityContext.privileged=true', '--set', 'hostNetwork=false').map((f) => f.ruleId),
      [],
    );
  });

  it('--set null removes a default', () => {
    assert.deepEqual(
      scan('--set', 'hostNetwork=null').map((f) => f.ruleId),
      [],
    );
  });

  it('refuses a line helm refuses, before scanning', () => {
    const r = run(['scan', 'chart', '--set', 'a,b=1']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--set a,b=1: key "a" has no value \(cannot end with ,\)/);
  });

  it('settings.helm.set in the config, with --set applied after it', () => {
    fs.writeFileSync(
      path.join(root, '.bulkhead.yaml'),
      'profile: pss-baseline\nsettings:\n  helm:\n    set:\n      hostNetwork: false\n      securityContext.allowPrivilegeEscalation: true\n      securityContext.privileged: true\n',
    );
    try {
      assert.deepEqual(
        scan().map((f) => f.ruleId),
        ['privileged-container'],
      );
      assert.match(scan()[0].message, /the value comes from settings\.helm\.set securityContext\.privileged\)$/);
      assert.deepEqual(
        scan('--set', 'securityContext.privileged=false').map((f) => f.ruleId),
        [],
      );
      fs.writeFileSync(path.join(root, '.bulkhead.yaml'), 'settings:\n  helm:\n    set:\n      "a[x]": 1\n');
      const r = run(['scan', 'chart']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /settings\.helm: set key "a\[x\]": error parsing index/);
    } finally {
      fs.writeFileSync(path.join(root, '.bulkhead.yaml'), CHART['.bulkhead.yaml']);
    }
  });
});
