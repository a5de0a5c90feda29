/**
 * The GitHub Action and the pre-commit hook as their hosts run them: the Action's script executed by
 * bash with the inputs GitHub would pass (the local build standing in for the npm package), and the
 * hook's file pattern applied to the file names pre-commit would hand it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const workspaces: string[] = [];
after(() => workspaces.forEach(removeWorkspace));

const PRIVILEGED =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n';

interface ActionYaml {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: { id: string; shell: string; env: Record<string, string>; run: string }[] };
}
const action = parse(fs.readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionYaml;

/** Runs the Action's step as GitHub would: each `${{ inputs.x }}` env var set from `with` or the default. */
function runAction(cwd: string, withInputs: Record<string, string>) {
  const step = action.runs.steps[0];
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' };
  for (const [name, value] of Object.entries(step.env)) {
    const input = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value)![1];
    env[name] = withInputs[input] ?? action.inputs[input].default;
  }
  env.GITHUB_OUTPUT = path.join(cwd, '.github-output');
  env.GITHUB_ACTION_PATH = REPO_ROOT;
  env.BULKHEAD_COMMAND = `${process.execPath} ${path.join(REPO_ROOT, 'bin', 'bulkhead.js')}`;
  fs.writeFileSync(env.GITHUB_OUTPUT, '');
  const r = spawnSync('bash', ['-c', step.run], { cwd, env, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs: fs.readFileSync(env.GITHUB_OUTPUT, 'utf8') };
}

describe('action.yml', () => {
  it('is a composite action whose every input reaches the script through the environment', () => {
    assert.equal(action.runs.using, 'composite');
    const step = action.runs.steps[0];
    assert.ok(!/\$\{\{/.test(step.run), 'no ${{ }} expression is pasted into the script (shell injection)');
    for (const input of Object.keys(action.inputs)) assert.ok(Object.values(step.env).includes(`\${{ inputs.${input} }}`), input);
  });

  it('writes SARIF, prints annotations and fails on errors', () => {
    const root = tempWorkspace({ 'k8s/pod.yaml': PRIVILEGED, 'other/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' });
    workspaces.push(root);
    const r = runAction(root, { paths: 'k8s\nother' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^::error file=k8s\/pod\.yaml,line=10,endLine=10,col=9,endColumn=\d+,title=Bulkhead privileged-container/m);
    const sarif = JSON.parse(fs.readFileSync(path.join(root, 'bulkhead.sarif'), 'utf8'));
    assert.ok(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'privileged-container'));
    assert.match(r.outputs, /^sarif-file=bulkhead\.sarif$/m);
  });

  it('passes profile, fail-on, format, output and baseline through', () => {
    const root = tempWorkspace({ 'pod.yaml': PRIVILEGED });
    workspaces.push(root);
    const never = runAction(root, { 'fail-on': 'never', format: 'junit', output: 'reports/junit.xml', 'sarif-file': '' });
    assert.equal(never.status, 0, never.stderr);
    assert.match(fs.readFileSync(path.join(root, 'reports/junit.xml'), 'utf8'), /<testsuites name="bulkhead"/);
    assert.ok(!fs.existsSync(path.join(root, 'bulkhead.sarif')));
    const restricted = runAction(root, { profile: 'pss-restricted', format: 'json' });
    const rules = new Set((JSON.parse(restricted.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId));
    assert.ok(rules.has('privileged-container') && !rules.has('image-tag-latest'));
    spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'bulkhead.js'), 'scan', '.', '--write-baseline', 'baseline.json'], { cwd: root });
    const baselined = runAction(root, { baseline: 'baseline.json' });
    assert.equal(baselined.status, 0, baselined.stdout + baselined.stderr);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    files: string;
    require_serial: boolean;
  }[];
  const hook = hooks.find((h) => h.id === 'bulkhead')!;
  // pre-commit applies `files` with Python's re.search; this pattern uses nothing JS reads differently.
  const files = new RegExp(hook.files);

  it('runs the package bin with language node, all files in one run', () => {
    assert.equal(hook.language, 'node');
    assert.match(hook.entry, /^bulkhead scan\b/);
    assert.equal(hook.require_serial, true);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.ok(pkg.bin.bulkhead);
  });

  it('selects the files Bulkhead reads, and not others', () => {
    for (const f of [
      'k8s/deploy.yaml',
      'a.yml',
      'CHART/templates/svc.YAML',
      'Dockerfile',
      'svc/Dockerfile.prod',
      'build/Containerfile',
      'api.dockerfile',
      'kubeconfig',
      'home/.kube/config',
      'docker-compose.yml',
      // Kubeconfigs are recognised by content whatever their name; .env files are linted for secrets.
      'ops/staging.conf',
      'deploy/prod-kubeconfig',
      'config',
      '.env',
      'app/.env.production',
      'app/prod.env',
    ]) {
      assert.ok(files.test(f), f);
    }
    for (const f of ['README.md', 'src/index.ts', 'Dockerfile.md/x.txt', 'yaml/notes.txt', 'configs/notes.txt', 'mydockerfile.sh', 'environment.ts'])
      assert.ok(!files.test(f), f);
  });

  it('every file of examples/ that Bulkhead lints is selected', () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'bulkhead.js'), 'scan', 'examples', '--format', 'junit', '--fail-on', 'never'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const linted = [...r.stdout.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(linted.length > 10);
    for (const f of linted) assert.ok(files.test(f), f);
  });
});
