/**
 * A Helm chart with a template the renderer cannot evaluate may hold the pods a Service selects or the
 * NetworkPolicy a namespace needs: rules that report something missing stay silent in that chart, and
 * speak again once every template renders. Run through the CLI, which indexes charts as users scan them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../../../support/paths';
import { removeWorkspace, tempWorkspace } from '../../../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');
const dirs: string[] = [];
after(() => dirs.forEach(removeWorkspace));

function ruleIds(files: Record<string, string>): string[] {
  const root = tempWorkspace(files);
  dirs.push(root);
  const r = spawnSync(process.execPath, [BIN, 'scan', '.', '--profile', 'all', '--format', 'json'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return (JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[] }).findings.map((f) => `${f.file}:${f.ruleId}`);
}

const CHART = 'apiVersion: v2\nname: shop\nversion: 1.0.0\n';
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
const deploymentTemplate = (labels: string, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: ${labels}\n  template:\n    metadata:\n      labels: ${labels}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n${extra}`;
// A Sprig function Bulkhead's renderer does not implement (a DNS lookup at render time): the template
// is skipped, its objects unknown.
const UNSUPPORTED = `        env: [{name: DB_IP, value: {{ getHostByName "db.example.com" | quote }}}]\n`;

describe('rules about missing objects in a chart with an unrendered template', () => {
  it('are silent while a template cannot be rendered', () => {
    const ids = ruleIds({
      'chart/Chart.yaml': CHART,
      'chart/values.yaml': 'args: []\n',
      'chart/templates/service.yaml': SERVICE,
      'chart/templates/deployment.yaml': deploymentTemplate('{app: other}', UNSUPPORTED),
      'chart/templates/job.yaml': deploymentTemplate('{app: job}').replace('name: web', 'name: job'),
    });
    assert.ok(!ids.some((id) => id.endsWith(':service-selects-no-pods')), ids.join('\n'));
    assert.ok(!ids.some((id) => id.endsWith(':namespace-without-networkpolicy')), ids.join('\n'));
  });

  it('report again once every template renders', () => {
    const ids = ruleIds({
      'chart/Chart.yaml': CHART,
      'chart/values.yaml': 'args: []\n',
      'chart/templates/service.yaml': SERVICE,
      'chart/templates/deployment.yaml': deploymentTemplate('{app: other}'),
    });
    assert.ok(ids.includes('chart/templates/service.yaml:service-selects-no-pods'), ids.join('\n'));
  });

  it('an unrendered template in another chart changes nothing', () => {
    const ids = ruleIds({
      'chart/Chart.yaml': CHART,
      'chart/templates/service.yaml': SERVICE,
      'chart/templates/deployment.yaml': deploymentTemplate('{app: other}'),
      'other/Chart.yaml': CHART.replace('shop', 'other'),
      'other/values.yaml': 'args: []\n',
      'other/templates/deployment.yaml': deploymentTemplate('{app: web}', UNSUPPORTED),
    });
    assert.ok(ids.includes('chart/templates/service.yaml:service-selects-no-pods'), ids.join('\n'));
  });
});
