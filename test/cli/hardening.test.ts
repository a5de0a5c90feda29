/**
 * The CLI on a hostile checkout, as CI runs it on a pull request: special files never block it,
 * links never carry a file from outside the scanned folders into a report or take a write, `--fix`
 * never loses a byte, file content cannot forge terminal output, and bad options are config errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import { ConfigResolver } from '../../server/src/service/configResolver';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');
const canMakeFifo = process.platform !== 'win32' && spawnSync('mkfifo', ['--help']).status === 0;

function bulkhead(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.error !== undefined || r.signal !== null };
}

const dirs: string[] = [];
function workspace(files: Record<string, string | Buffer>): string {
  const root = tempWorkspace(files);
  dirs.push(root);
  return root;
}
after(() => dirs.forEach(removeWorkspace));

const CHART_YAML = 'apiVersion: v2\nname: shop\nversion: 1.0.0\n';
const TEMPLATE = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: {{ .Values.image | quote }}\n';
const PRIVILEGED =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n';

describe('special files', { skip: !canMakeFifo && 'mkfifo is not available' }, () => {
  it('a FIFO named values.yaml, a FIFO named on the command line and a FIFO in a scanned folder never block the scan', () => {
    const root = workspace({ 'chart/Chart.yaml': CHART_YAML, 'chart/templates/pod.yaml': TEMPLATE, 'pod.yaml': PRIVILEGED });
    for (const fifo of ['chart/values.yaml', 'pipe.yaml', 'chart/templates/more.yaml']) assert.equal(spawnSync('mkfifo', [path.join(root, fifo)]).status, 0);
    const r = bulkhead(['scan', '.', 'pipe.yaml', '--format', 'json'], root);
    assert.equal(r.timedOut, false, 'the scan blocked on a FIFO');
    const out = JSON.parse(r.stdout) as { findings: { file: string; ruleId: string }[]; errors: { file: string; message: string }[] };
    assert.ok(
      out.findings.some((f) => f.file === 'pod.yaml' && f.ruleId === 'privileged-container'),
      'the other files were still linted',
    );
    assert.ok(out.errors.some((e) => e.file === 'pipe.yaml' && /not a regular file/.test(e.message)));
  });

  it('a FIFO named .bulkhead.yaml is a clear config error, not a hang', () => {
    const root = workspace({ 'pod.yaml': PRIVILEGED });
    assert.equal(spawnSync('mkfifo', [path.join(root, '.bulkhead.yaml')]).status, 0);
    const r = bulkhead(['scan', '.'], root);
    assert.equal(r.timedOut, false, 'the scan blocked on a FIFO');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read config .*not a regular file/);
  });
});

describe('symbolic links', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-outside-'));
  dirs.push(outside);
  fs.writeFileSync(path.join(outside, 'runner-secrets.yaml'), 'image: "leaked-RUNNER-TOKEN-1234"\n');
  fs.writeFileSync(path.join(outside, 'passwd.yaml'), PRIVILEGED.replace('name: p', 'name: RUNNER-FILE'));

  it('chart values reached through a link out of the scanned folders never reach the output', () => {
    const root = workspace({ 'chart/Chart.yaml': CHART_YAML, 'chart/templates/pod.yaml': TEMPLATE });
    // Control: the same values as a regular file do show up (the image has no tag).
    fs.writeFileSync(path.join(root, 'chart/values.yaml'), 'image: "visible-in-workspace"\n');
    assert.match(bulkhead(['scan', '.', '--format', 'sarif'], root).stdout, /visible-in-workspace/);
    fs.rmSync(path.join(root, 'chart/values.yaml'));
    fs.symlinkSync(path.join(outside, 'runner-secrets.yaml'), path.join(root, 'chart/values.yaml'));
    for (const format of ['sarif', 'json', 'text']) {
      const r = bulkhead(['scan', '.', '--format', format], root);
      assert.doesNotMatch(r.stdout + r.stderr, /RUNNER-TOKEN/, format);
    }
  });

  it('a template folder linked out of the chart is not read', () => {
    const root = workspace({ 'chart/Chart.yaml': CHART_YAML, 'chart/values.yaml': 'image: nginx\n', 'chart/templates/pod.yaml': TEMPLATE });
    fs.writeFileSync(path.join(outside, '_helpers.tpl'), '{{ define "leak" }}RUNNER-HELPER-SECRET{{ end }}\n');
    fs.symlinkSync(outside, path.join(root, 'chart/templates/lib'));
    fs.writeFileSync(path.join(root, 'chart/templates/pod.yaml'), TEMPLATE.replace('name: web\nspec', 'name: {{ include "leak" . }}\nspec'));
    const r = bulkhead(['scan', '.', '--format', 'json'], root);
    assert.doesNotMatch(r.stdout, /RUNNER-HELPER-SECRET/);
  });

  it('a link named on the command line is read only when it points inside the scanned folders, and never written through', () => {
    const root = workspace({ 'real.yaml': PRIVILEGED });
    fs.symlinkSync(path.join(root, 'real.yaml'), path.join(root, 'inside.yaml'));
    fs.symlinkSync(path.join(outside, 'passwd.yaml'), path.join(root, 'outside.yaml'));
    const r = bulkhead(['scan', 'inside.yaml', 'outside.yaml', '--fix', '--unsafe-fixes', '--format', 'json'], root);
    const out = JSON.parse(r.stdout) as { findings: { file: string }[]; errors: { file: string; message: string }[] };
    assert.ok(out.errors.some((e) => e.file === 'outside.yaml' && /outside the scanned folders/.test(e.message)));
    assert.ok(!out.findings.some((f) => f.file === 'outside.yaml'));
    assert.ok(
      out.errors.some((e) => e.file === 'inside.yaml' && /symbolic link/.test(e.message)),
      JSON.stringify(out.errors),
    );
    assert.equal(fs.readFileSync(path.join(root, 'real.yaml'), 'utf8'), PRIVILEGED, 'the fix went through the link');
    assert.ok(fs.lstatSync(path.join(root, 'inside.yaml')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(outside, 'passwd.yaml'), 'utf8'), PRIVILEGED.replace('name: p', 'name: RUNNER-FILE'));
  });

  it('with many files named one by one (many roots), a link is still judged by where it points', () => {
    // The check walks the real path's folders up against a set of roots. The scan
    // runs in `a/` (the working directory is a root too) and names files of the folders beside it.
    const files: Record<string, string> = { 'a/own.yaml': PRIVILEGED, 'ab/real.yaml': PRIVILEGED };
    for (let i = 0; i < 12; i++) files[`d${i}/pod.yaml`] = PRIVILEGED;
    const root = workspace(files);
    // `a/` is a root and `ab/` is not: a prefix of a root's name is not inside it.
    fs.symlinkSync(path.join(root, 'ab', 'real.yaml'), path.join(root, 'a', 'sibling.yaml'));
    fs.symlinkSync(path.join(outside, 'passwd.yaml'), path.join(root, 'd3', 'outside.yaml'));
    fs.symlinkSync(path.join(root, 'd1', 'pod.yaml'), path.join(root, 'd2', 'inside.yaml'));
    const named = ['own.yaml', 'sibling.yaml', '../d2/inside.yaml', '../d3/outside.yaml'];
    for (let i = 0; i < 12; i++) named.push(`../d${i}/pod.yaml`);
    const r = bulkhead(['scan', ...named, '--format', 'json'], path.join(root, 'a'));
    const out = JSON.parse(r.stdout) as { findings: { file: string }[]; errors: { file: string; message: string }[] };
    const refused = out.errors.filter((e) => /outside the scanned folders/.test(e.message)).map((e) => e.file.split('/').slice(-2).join('/'));
    assert.deepEqual(refused.sort(), ['d3/outside.yaml', 'sibling.yaml']);
    assert.doesNotMatch(r.stdout + r.stderr, /RUNNER-FILE/);
    const linted = new Set(out.findings.map((f) => f.file.split('/').slice(-2).join('/')));
    assert.ok(linted.has('d2/inside.yaml'), 'a link to a file inside another named folder is read');
    for (let i = 0; i < 12; i++) assert.ok(linted.has(`d${i}/pod.yaml`), `d${i}/pod.yaml`);
    assert.ok(out.findings.some((f) => f.file === 'own.yaml'));
  });

  it('a discovered .bulkhead.yaml linked out of its folder is not read (its keys would be echoed)', () => {
    const root = workspace({ 'pod.yaml': PRIVILEGED });
    fs.writeFileSync(path.join(outside, 'config.yaml'), 'RUNNER-CONFIG-SECRET: 1\n');
    fs.symlinkSync(path.join(outside, 'config.yaml'), path.join(root, '.bulkhead.yaml'));
    const r = bulkhead(['scan', '.'], root);
    assert.equal(r.status, 2);
    assert.doesNotMatch(r.stdout + r.stderr, /RUNNER-CONFIG-SECRET/);
    assert.match(r.stderr, /outside the scanned folders/);
  });
});

describe('--fix keeps every byte it does not fix', () => {
  it('refuses to rewrite a file that is not valid UTF-8, saying so, and leaves its bytes alone', () => {
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(` (Latin-1)\n${PRIVILEGED}`)]);
    const root = workspace({ 'pod.yaml': latin1 });
    const r = bulkhead(['scan', 'pod.yaml', '--fix', '--unsafe-fixes'], root);
    assert.ok(fs.readFileSync(path.join(root, 'pod.yaml')).equals(latin1), 'the file changed');
    assert.match(r.stdout, /not fixed: the file is not valid UTF-8/);
    assert.match(r.stdout, /privileged-container/, 'the findings are still reported');
  });

  it('still fixes valid UTF-8 with a BOM and CRLF, byte for byte outside the fix', () => {
    const text = `\ufeff# café\r\n${PRIVILEGED.replace(/\n/g, '\r\n')}`;
    const root = workspace({ 'pod.yaml': text });
    bulkhead(['scan', 'pod.yaml', '--fix', '--unsafe-fixes'], root);
    const fixed = fs.readFileSync(path.join(root, 'pod.yaml'));
    const head = Buffer.from('\ufeff# café\r\n');
    assert.ok(fixed.subarray(0, head.length).equals(head), 'the BOM or the first line changed');
    const lines = fixed.toString('utf8').split('\n');
    assert.ok(
      lines.slice(0, -1).every((l) => l.endsWith('\r')),
      'a line lost its CRLF',
    );
    assert.ok(lines.includes('        privileged: false\r'));
  });
});

describe('human-readable output', () => {
  it('shows control characters from file names and values as escapes', () => {
    const evil =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "p\\e[2J\\rforged: all clear\\u202e"\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n';
    const root = workspace({ 'pod.yaml': evil });
    if (process.platform !== 'win32') fs.writeFileSync(path.join(root, 'name\u001b[31m.yaml'), PRIVILEGED);
    const r = bulkhead(['scan', '.'], root);
    assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/, 'a control character reached the terminal');
    assert.match(r.stdout, /p\\x1b\[2J\\rforged/);
    if (process.platform !== 'win32') assert.match(r.stdout, /name\\x1b\[31m\.yaml/);
  });
});

describe('config errors', () => {
  it('a wrong-typed rule option is a config error naming the option (the rule threw before)', () => {
    const root = workspace({
      '.bulkhead.yaml': 'rules:\n  dockerfile-runs-as-root:\n    options:\n      nonRootBaseImages: python\n',
      Dockerfile: 'FROM python:3.12\n',
    });
    const r = bulkhead(['scan', '.'], root);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /rules\.dockerfile-runs-as-root\.options\.nonRootBaseImages must be a list of strings/);
    assert.doesNotMatch(r.stdout + r.stderr, /bulkhead: internal error|failed \(a Bulkhead bug/);
  });
});

describe('each file gets its nearest config', () => {
  const files = {
    'a/.bulkhead.yaml': 'rules:\n  privileged-container: off\nexclude:\n  - skipped.yaml\n',
    'a/x.yaml': PRIVILEGED,
    'a/skipped.yaml': PRIVILEGED,
    'b/y.yaml': PRIVILEGED,
  };
  const privilegedFiles = (stdout: string) =>
    (JSON.parse(stdout) as { findings: { file: string; ruleId: string }[] }).findings
      .filter((f) => f.ruleId === 'privileged-container')
      .map((f) => f.file)
      .sort();

  it('whatever the order of the paths, and when a folder above both is scanned', () => {
    const root = workspace(files);
    for (const args of [['a/x.yaml', 'b/y.yaml'], ['b/y.yaml', 'a/x.yaml'], ['.'], ['b', 'a']]) {
      const r = bulkhead(['scan', ...args, '--format', 'json'], root);
      assert.deepEqual(privilegedFiles(r.stdout), ['b/y.yaml'], args.join(' '));
    }
  });

  it("a folder's config excludes its own files from a walk above it", () => {
    const root = workspace(files);
    const out = JSON.parse(bulkhead(['scan', '.', '--format', 'json'], root).stdout) as { findings: { file: string }[] };
    assert.ok(!out.findings.some((f) => f.file === 'a/skipped.yaml'));
  });

  it('text output says which config applied when more than one did', () => {
    const root = workspace(files);
    const r = bulkhead(['scan', '.'], root);
    assert.match(
      r.stdout,
      /Configs: (built-in defaults \(1 file\), a\/\.bulkhead\.yaml \(1 file\)|a\/\.bulkhead\.yaml \(1 file\), built-in defaults \(1 file\))/,
    );
    assert.doesNotMatch(bulkhead(['scan', 'b'], root).stdout, /Configs:/);
  });

  it('the language server resolves the same config for every file as the CLI', () => {
    const root = workspace(files);
    const cli = (JSON.parse(bulkhead(['scan', '.', '--format', 'json'], root).stdout) as { findings: { file: string; ruleId: string }[] }).findings;
    const resolver = new ConfigResolver(ALL_RULES, () => [root]);
    // Workspace rules need the index, which this direct engine call does not have (some, like attack-path,
    // still report what the file alone shows): compare per-file rules on both sides.
    const perFile = new Set(ALL_RULES.filter((r) => (r as { scope?: string }).scope !== 'workspace').map((r) => r.id));
    for (const name of ['a/x.yaml', 'b/y.yaml']) {
      const file = path.join(root, name);
      const editor = resolver
        .resolve(file)
        .engine.lint(file, fs.readFileSync(file, 'utf8'))
        .findings.map((f) => f.ruleId)
        .filter((id) => perFile.has(id))
        .sort();
      assert.deepEqual(
        editor,
        cli
          .filter((f) => f.file === name && perFile.has(f.ruleId))
          .map((f) => f.ruleId)
          .sort(),
        name,
      );
    }
  });

  it('--config applies to every file and no discovered config does', () => {
    const root = workspace({ ...files, 'ci.yaml': 'profile: recommended\n' });
    const r = bulkhead(['scan', '.', '--config', 'ci.yaml', '--format', 'json'], root);
    assert.deepEqual(privilegedFiles(r.stdout), ['a/skipped.yaml', 'a/x.yaml', 'b/y.yaml']);
  });

  it('an invalid config in a subfolder is a config error', () => {
    const root = workspace({ ...files, 'b/.bulkhead.yaml': 'profile: strictest\n' });
    const r = bulkhead(['scan', '.'], root);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /invalid config: .*b\/\.bulkhead\.yaml: profile must be one of/);
  });
});

describe('a reader that goes away', () => {
  it('`bulkhead scan | head` ends quietly when the pipe closes (no EPIPE stack trace)', async () => {
    const { spawn } = await import('node:child_process');
    const root = workspace(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`p${i}.yaml`, PRIVILEGED])));
    const child = spawn(process.execPath, [BIN, 'scan', '.'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read one chunk, then close our end, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.doesNotMatch(stderr, /EPIPE|Error|at /, stderr);
    assert.ok(code === 0 || code === 1, `exit code ${code}`);
  });
});
