/**
 * The `bulkhead` command as CI runs it: the real bin script over the built bundle, checking the
 * JSON contract, SARIF, text output, --fix, exit codes and bad input.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { EXAMPLES, REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

function bulkhead(args: string[], cwd = REPO_ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PRIVILEGED_POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n';
const DEPRECATED_SA =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sa\nspec:\n  serviceAccount: app # the old name\n  containers:\n    - name: c\n      image: nginx:1.27\n';

const workspaces: string[] = [];
function workspace(files: Record<string, string | Buffer>): string {
  const root = tempWorkspace(files);
  workspaces.push(root);
  return root;
}
after(() => workspaces.forEach(removeWorkspace));

describe('bulkhead scan --format json', () => {
  const r = bulkhead(['scan', 'examples', '--format', 'json']);
  const out = JSON.parse(r.stdout) as { findings: Record<string, unknown>[]; errors: unknown[] };

  it('prints exactly the documented contract', () => {
    assert.deepEqual(Object.keys(out), ['findings', 'errors']);
    assert.ok(out.findings.length >= 4);
    for (const f of out.findings) {
      // `related` (the other objects of a cross-object finding) is the one optional key, added last.
      const keys = Object.keys(f);
      assert.deepEqual(keys, ['ruleId', 'severity', 'file', 'range', 'message', 'references', 'fix', ...(keys.length === 8 ? ['related'] : [])]);
      for (const r of (f.related as { file: string; range: { start: { line: number } }; message: string }[] | undefined) ?? []) {
        assert.deepEqual(Object.keys(r), ['file', 'range', 'message']);
        assert.ok(!r.file.startsWith('/'), 'related paths are relative too');
      }
      assert.ok(['error', 'warning', 'info'].includes(f.severity as string));
      const range = f.range as { start: { line: number; character: number }; end: { line: number; character: number } };
      assert.deepEqual(Object.keys(range), ['start', 'end']);
      assert.deepEqual(Object.keys(range.start), ['line', 'character']);
      assert.ok(Array.isArray(f.references));
      assert.ok(f.fix === null || ['safe', 'unsafe'].includes((f.fix as { applicability: string }).applicability));
      assert.ok(!(f.file as string).startsWith('/'), 'paths are relative to the working directory');
    }
    assert.deepEqual(out.errors, []);
    assert.ok(
      out.findings.some((f) => Array.isArray(f.related)),
      'cross-object findings of examples/shop carry related locations',
    );
  });

  it('points at the offending key with 0-based positions', () => {
    const privileged = out.findings.find((f) => f.ruleId === 'privileged-container' && f.file === 'examples/kubernetes/web.yaml')!;
    assert.equal(privileged.file, 'examples/kubernetes/web.yaml');
    const text = fs.readFileSync(path.join(EXAMPLES, 'kubernetes/web.yaml'), 'utf8').split('\n');
    const range = privileged.range as { start: { line: number; character: number }; end: { line: number; character: number } };
    assert.equal(text[range.start.line].slice(range.start.character, range.end.character), 'privileged: true');
    assert.deepEqual(privileged.fix, { title: 'Set privileged: false', applicability: 'unsafe' });
  });

  it('exits 1 when there are errors', () => assert.equal(r.status, 1));
});

describe('bulkhead scan --format sarif', () => {
  it('is SARIF 2.1.0 with rules, results and 1-based regions', () => {
    const r = bulkhead(['scan', 'examples', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif/);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'Bulkhead');
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    const json = JSON.parse(bulkhead(['scan', 'examples', '--format', 'json']).stdout);
    assert.equal(run.results.length, json.findings.length);
    for (const result of run.results) {
      assert.equal(ids[result.ruleIndex], result.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(result.level));
      const region = result.locations[0].physicalLocation.region;
      assert.ok(region.startLine >= 1 && region.startColumn >= 1);
      assert.equal(result.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    }
    const privileged = run.results.find((x: { ruleId: string }) => x.ruleId === 'privileged-container');
    const jsonPrivileged = json.findings.find((x: { ruleId: string }) => x.ruleId === 'privileged-container');
    assert.equal(privileged.locations[0].physicalLocation.region.startLine, jsonPrivileged.range.start.line + 1);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text && rule.help.text);
      assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
    }
  });
});

describe('bulkhead scan (text)', () => {
  it('groups findings by file with a summary line', () => {
    const r = bulkhead(['scan', 'examples']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^examples\/docker\/Dockerfile$/m);
    assert.match(r.stdout, /^ {2}26:13 +error +container "web" of Deployment\/web runs privileged.* privileged-container \[unsafe fix\]$/m);
    assert.match(r.stdout, /^examples\/kubernetes\/web.yaml$/m);
    const json = JSON.parse(bulkhead(['scan', 'examples', '--format', 'json']).stdout) as {
      findings: { severity: string; file: string; fix: { applicability: string } | null }[];
    };
    const count = (sev: string) => json.findings.filter((f) => f.severity === sev).length;
    const files = new Set(json.findings.map((f) => f.file)).size;
    const fixable = json.findings.filter((f) => f.fix?.applicability === 'safe').length;
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    // Every example is a manifest, a chart file (template, Chart.yaml, values file), a kubeconfig (`*.conf`), a
    // `.env` file (one a kustomization's generator reads) or a Dockerfile.
    const lintable = fs
      .readdirSync(EXAMPLES, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /(\.ya?ml|\.tpl|Dockerfile|\.conf|\.env)$/.test(e.name)).length;
    const summary = `✖ ${plural(json.findings.length, 'problem')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info) in ${plural(files, 'file')} of ${plural(lintable, 'file')} checked · ${fixable} fixable with --fix`;
    assert.ok(r.stdout.trimEnd().endsWith(summary), `summary line:\n${r.stdout.split('\n').slice(-2).join('\n')}\nexpected:\n${summary}`);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour codes with NO_COLOR');
  });

  it('says so when there is nothing to report, and exits 0', () => {
    const root = workspace({ 'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n' });
    const r = bulkhead(['scan', '.'], root);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /No problems in 1 file\./);
  });

  it('colours on request', () => {
    const r = bulkhead(['scan', 'examples', '--color']);
    assert.match(r.stdout, /\u001b\[31merror/);
  });
});

describe('exit codes and --fail-on', () => {
  it('fails on warnings only when asked', () => {
    const root = workspace({ Dockerfile: 'FROM python:3.12\nCMD ["python"]\n' });
    assert.equal(bulkhead(['scan', '.'], root).status, 0, 'a warning does not fail the default --fail-on error');
    assert.equal(bulkhead(['scan', '.', '--fail-on', 'warning'], root).status, 1);
    assert.equal(bulkhead(['scan', 'examples', '--fail-on', 'never']).status, 0);
  });

  it('exits 2 on usage errors, with the usage on stderr', () => {
    for (const args of [['scan', '--format', 'xml'], ['scan', '--bogus'], ['lint'], ['scan', '--fail-on', 'fatal'], ['scan', '--unsafe-fixes']]) {
      const r = bulkhead(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /Usage:/);
      assert.equal(r.stdout, '');
    }
  });

  it('exits 2 for a path that does not exist, after linting the others', () => {
    const r = bulkhead(['scan', 'examples/kubernetes', 'no/such/dir', '--format', 'json']);
    assert.equal(r.status, 2);
    const out = JSON.parse(r.stdout);
    assert.ok(out.findings.length > 0);
    assert.deepEqual(out.errors, [{ file: 'no/such/dir', message: 'no such file or directory' }]);
  });

  it('hands the whole report to a reader that is slow to take it, then exits with its code', () => {
    // main() exits as soon as the output is written (it does not wait for V8's background work): a
    // report larger than a pipe's buffer, read only after a pause, must still arrive whole.
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`svc${i}/Dockerfile`] = 'FROM python:3.12\nUSER root\nRUN curl -k https://example.com/x | sh\nCMD ["python"]\n';
    const root = workspace(files);
    const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
    const r = spawnSync(
      'bash',
      ['-c', `set -o pipefail; ${quote(process.execPath)} ${quote(BIN)} scan . --format json --fail-on warning | { sleep 1.5; cat; }`],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 30000,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    assert.ok(r.stdout.length > 128 * 1024, `a report larger than a pipe's buffer (${r.stdout.length} bytes)`);
    const out = JSON.parse(r.stdout) as { findings: { file: string }[] };
    assert.equal(new Set(out.findings.map((f) => f.file)).size, 60, 'findings of every file');
    assert.equal(r.status, 1, 'the exit code of the scan (pipefail)');
  });

  it('prints help and version', () => {
    assert.match(bulkhead(['--help']).stdout, /bulkhead scan/);
    assert.match(bulkhead(['--version']).stdout, /^\d+\.\d+\.\d+/);
  });
});

describe('configuration', () => {
  it('reads the nearest .bulkhead.yaml: rules off, severities, excludes', () => {
    const root = workspace({
      '.bulkhead.yaml': 'profile: pss-baseline\nrules:\n  privileged-container: warning\n  host-pid: off\nexclude:\n  - vendor/\n',
      'app/pod.yaml': PRIVILEGED_POD,
      'app/pid.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n  containers: [{name: c}]\n',
      'vendor/pod.yaml': PRIVILEGED_POD,
    });
    const r = bulkhead(['scan', '.', '--format', 'json'], root);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(
      out.findings.map((f: { ruleId: string; severity: string; file: string }) => `${f.file} ${f.ruleId} ${f.severity}`),
      ['app/pod.yaml privileged-container warning'],
    );
    assert.equal(r.status, 0);
  });

  it('--config and --profile override the defaults', () => {
    const root = workspace({ 'custom.yaml': 'profile: pss-baseline\nrules:\n  privileged-container: off\n', 'pod.yaml': PRIVILEGED_POD });
    const withConfig = JSON.parse(bulkhead(['scan', 'pod.yaml', '--config', 'custom.yaml', '--format', 'json'], root).stdout);
    assert.deepEqual(withConfig.findings, []);
    const all = JSON.parse(bulkhead(['scan', 'pod.yaml', '--profile', 'all', '--format', 'json'], root).stdout);
    assert.ok(all.findings.some((f: { ruleId: string }) => f.ruleId === 'privileged-container'));
  });

  it('rejects an invalid config with exit 2 and says what is wrong', () => {
    const root = workspace({ '.bulkhead.yaml': 'profile: strictest\nrule: {}\n', 'pod.yaml': PRIVILEGED_POD });
    const r = bulkhead(['scan', '.'], root);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /profile must be one of/);
    assert.match(r.stderr, /unknown key "rule"/);
  });

  it('warns about unknown rule ids in the config', () => {
    const root = workspace({ '.bulkhead.yaml': 'rules:\n  no-such-rule: off\n', 'pod.yaml': PRIVILEGED_POD });
    assert.match(bulkhead(['scan', '.'], root).stderr, /unknown rule "no-such-rule"/);
  });
});

describe('bulkhead scan --fix', () => {
  it('applies safe fixes in place, keeps comments, CRLF and the BOM, and reports what remains', () => {
    const crlf = DEPRECATED_SA.replace(/\n/g, '\r\n');
    const bomBytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]);
    const root = workspace({ 'sa.yaml': bomBytes, 'pod.yaml': PRIVILEGED_POD });
    const r = bulkhead(['scan', '.', '--fix'], root);
    const fixed = fs.readFileSync(path.join(root, 'sa.yaml'));
    assert.deepEqual([...fixed.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'BOM kept');
    assert.equal(fixed.subarray(3).toString(), crlf.replace('serviceAccount: app', 'serviceAccountName: app'));
    assert.equal(fs.readFileSync(path.join(root, 'pod.yaml'), 'utf8'), PRIVILEGED_POD, 'unsafe fixes need --unsafe-fixes');
    assert.match(r.stdout, /Fixed 1 problem in 1 file\./);
    assert.match(r.stdout, /privileged-container/);
    assert.equal(r.status, 1, 'the privileged container remains');
  });

  it('applies unsafe fixes with --unsafe-fixes, and the result lints clean', () => {
    const root = workspace({ 'pod.yaml': PRIVILEGED_POD, '.bulkhead.yaml': 'profile: pss-baseline\n' });
    const r = bulkhead(['scan', '.', '--fix', '--unsafe-fixes'], root);
    assert.equal(fs.readFileSync(path.join(root, 'pod.yaml'), 'utf8'), PRIVILEGED_POD.replace('privileged: true', 'privileged: false'));
    assert.equal(r.status, 0);
    assert.equal(bulkhead(['scan', '.'], root).status, 0);
  });
});

describe('bad input', () => {
  const aliasBomb = ['apiVersion: v1', 'kind: Pod', 'metadata: {name: bomb}', 'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++)
    aliasBomb.push(
      `x${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  aliasBomb.push('spec:', '  containers: *a9', '');
  const root = workspace({
    'malformed.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\nspec: {\n---\n' + PRIVILEGED_POD,
    'x.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    'empty.yaml': '',
    'only-comments.yaml': '# nothing here\n---\n# or here\n',
    'crlf-bom.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PRIVILEGED_POD.replace(/\n/g, '\r\n'))]),
    'utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PRIVILEGED_POD, 'utf16le')]),
    'bomb.yaml': aliasBomb.join('\n'),
    'tabs.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n',
    'valid.yaml': PRIVILEGED_POD,
    // The restricted-level checks would add findings to every pod here; these tests are about input handling.
    '.bulkhead.yaml': 'profile: pss-baseline\n',
  });
  const started = Date.now();
  const r = bulkhead(['scan', '.', '--format', 'json'], root);
  const elapsed = Date.now() - started;
  const out = JSON.parse(r.stdout) as {
    findings: { file: string; ruleId: string; range: { start: { line: number; character: number } } }[];
    errors: { file: string; message: string }[];
  };
  const rulesOf = (file: string) =>
    out.findings
      .filter((f) => f.file === file)
      .map((f) => f.ruleId)
      .sort();

  it('finishes without hanging or crashing', () => {
    assert.notEqual(r.status, null, `killed after ${elapsed} ms`);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1);
  });
  it('malformed YAML: one syntax error, and the next document is still linted', () => {
    assert.deepEqual(rulesOf('malformed.yaml'), ['privileged-container', 'yaml-syntax-error']);
  });
  it('binary x.yaml: reported as skipped', () => {
    assert.deepEqual(
      out.errors.map((e) => e.file),
      ['x.yaml'],
    );
    assert.match(out.errors[0].message, /binary/);
  });
  it('empty and comment-only files: no findings', () => {
    assert.deepEqual(rulesOf('empty.yaml'), []);
    assert.deepEqual(rulesOf('only-comments.yaml'), []);
  });
  it('CRLF + BOM and UTF-16: linted with the same positions as the plain file', () => {
    const plain = out.findings.find((f) => f.file === 'valid.yaml')!;
    for (const file of ['crlf-bom.yaml', 'utf16.yaml']) {
      const f = out.findings.find((x) => x.file === file);
      assert.ok(f, file);
      assert.deepEqual(f.range, (plain as unknown as { range: unknown }).range, file);
    }
  });
  it('alias bomb: bounded work, reported rather than expanded', () => {
    assert.ok(out.findings.filter((f) => f.file === 'bomb.yaml').length <= 1);
  });
  it('tabs for indentation: a syntax error, not a crash', () => {
    assert.deepEqual(rulesOf('tabs.yaml'), ['yaml-syntax-error']);
  });
  it('the valid file beside them is linted', () => {
    assert.deepEqual(rulesOf('valid.yaml'), ['privileged-container']);
  });
});

describe('bulkhead rules', () => {
  it('lists every rule as JSON with its metadata', () => {
    const r = bulkhead(['rules', '--format', 'json']);
    assert.equal(r.status, 0);
    const rules = JSON.parse(r.stdout) as Record<string, unknown>[];
    const ids = rules.map((x) => x.id);
    assert.ok(ids.includes('privileged-container') && ids.includes('dockerfile-runs-as-root'));
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const rule of rules) {
      for (const key of ['id', 'title', 'category', 'severity', 'references', 'fixes']) assert.ok(key in rule, `${rule.id} lacks ${key}`);
      for (const fix of rule.fixes as { title: string; applicability: string }[]) assert.ok(['safe', 'unsafe'].includes(fix.applicability));
    }
  });
  it('renders markdown and text', () => {
    assert.match(bulkhead(['rules', '--format', 'markdown']).stdout, /^## privileged-container$/m);
    assert.match(bulkhead(['rules']).stdout, /● privileged-container +error/);
  });
});
