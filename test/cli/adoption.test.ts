/**
 * Running Bulkhead in CI and adopting it on an existing repository, through the real bin script:
 * the CI report formats (GitHub annotations, GitLab Code Quality, JUnit, SARIF checked against the
 * 2.1.0 schema), `--output`, `--stats`, and the baseline flow end to end.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');

function bulkhead(args: string[], cwd = REPO_ROOT): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const workspaces: string[] = [];
function workspace(files: Record<string, string>): string {
  const root = tempWorkspace(files);
  workspaces.push(root);
  return root;
}
after(() => workspaces.forEach(removeWorkspace));

const pod = (name: string, privileged: boolean) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      securityContext:\n        privileged: ${privileged}\n`;

interface JsonOut {
  findings: { ruleId: string; file: string; message: string; range: { start: { line: number } } }[];
}

/**
 * Ajv for the SARIF schema: its one `pattern` with a stray `]` is valid only without the `u` flag,
 * and string formats (uri, date-time) are not checked (that needs another package; the URIs are
 * checked by the tests that read them).
 */
function sarifValidator(schema: object) {
  return new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(schema);
}

describe('--format sarif', () => {
  const r = bulkhead(['scan', 'examples', '--format', 'sarif']);
  const sarif = JSON.parse(r.stdout);
  const results = sarif.runs[0].results as Record<string, any>[];

  it('is valid SARIF 2.1.0 (the OASIS schema, test/cli/sarif-schema-2.1.0.json)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/cli/sarif-schema-2.1.0.json'), 'utf8'));
    // The schema is written in draft-04, whose only keyword Ajv's default draft spells differently is `id`.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const validate = sarifValidator(schema);
    const ok = validate(sarif);
    assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  it('the schema check fails on a broken log (the validator is really applied)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/cli/sarif-schema-2.1.0.json'), 'utf8'));
    delete schema.$schema;
    delete schema.id;
    const validate = sarifValidator(schema);
    const broken = structuredClone(sarif);
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(broken), false);
  });

  it('carries relatedLocations for cross-file findings and the safe fixes', () => {
    assert.ok(
      results.some((x) => x.relatedLocations?.length),
      'examples/shop has cross-file findings',
    );
    const withFix = results.filter((x) => x.fixes);
    assert.ok(withFix.length > 0, 'examples have safe fixes');
    const deprecated = results.find((x) => x.ruleId === 'deprecated-service-account-field');
    assert.ok(deprecated?.fixes, 'the safe serviceAccountName fix is in SARIF');
    const change = deprecated.fixes[0].artifactChanges[0];
    assert.equal(change.artifactLocation.uri, 'examples/kubernetes/web.yaml');
    // Applying the replacements to the file gives the fixed text.
    let text = fs.readFileSync(path.join(REPO_ROOT, 'examples/kubernetes/web.yaml'), 'utf8');
    const reps = [...change.replacements].sort((a: any, b: any) => b.deletedRegion.charOffset - a.deletedRegion.charOffset);
    for (const rep of reps)
      text = text.slice(0, rep.deletedRegion.charOffset) + rep.insertedContent.text + text.slice(rep.deletedRegion.charOffset + rep.deletedRegion.charLength);
    assert.match(text, /serviceAccountName:/);
    // Unsafe fixes are never in SARIF `fixes`.
    const privileged = results.find((x) => x.ruleId === 'privileged-container');
    assert.equal(privileged?.fixes, undefined);
  });
});

describe('--format github', () => {
  it('prints one workflow command per finding, with file, line, column and title', () => {
    const r = bulkhead(['scan', 'examples/kubernetes/web.yaml', '--format', 'github']);
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    const privileged = lines.find((l) => l.includes('privileged-container'));
    assert.match(
      privileged!,
      /^::error file=examples\/kubernetes\/web\.yaml,line=26,endLine=26,col=13,endColumn=\d+,title=Bulkhead privileged-container%3A [^:]+::container "web" of Deployment\/web runs privileged/,
    );
    const json = JSON.parse(bulkhead(['scan', 'examples/kubernetes/web.yaml', '--format', 'json']).stdout) as JsonOut;
    assert.equal(lines.filter((l) => l.startsWith('::')).length, json.findings.length);
    assert.ok(
      lines.some((l) => l.startsWith('::notice ')),
      'info findings are notices',
    );
    assert.match(lines[lines.length - 1], /^Bulkhead: \d+ findings in 1 file checked$/);
  });

  it('escapes what comes from files, so a name cannot forge another command', () => {
    const root = workspace({ 'a,b:c%.yaml': pod('x', true) });
    const r = bulkhead(['scan', '.', '--format', 'github'], root);
    const line = r.stdout.split('\n').find((l) => l.includes('privileged-container'))!;
    assert.match(line, /file=a%2Cb%3Ac%25\.yaml,/);
  });
});

describe('--format gitlab', () => {
  it('is a Code Quality report with unique fingerprints and 1-based lines', () => {
    const root = workspace({ 'pods.yaml': `${pod('a', true)}---\n${pod('a', true)}` });
    const r = bulkhead(['scan', '.', '--format', 'gitlab'], root);
    const issues = JSON.parse(r.stdout) as {
      description: string;
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; positions: { begin: { line: number } } };
    }[];
    const privileged = issues.filter((i) => i.check_name === 'privileged-container');
    assert.equal(privileged.length, 2, 'the same problem twice in one file');
    assert.notEqual(privileged[0].fingerprint, privileged[1].fingerprint, 'GitLab needs unique fingerprints');
    assert.equal(privileged[0].severity, 'critical');
    assert.equal(privileged[0].location.path, 'pods.yaml');
    assert.equal(privileged[0].location.positions.begin.line, 10);
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
    for (const i of issues) assert.deepEqual(Object.keys(i), ['description', 'check_name', 'fingerprint', 'severity', 'location']);
  });
});

describe('--format junit', () => {
  it('one suite per file; failures follow --fail-on', () => {
    const root = workspace({ 'bad.yaml': pod('bad', true), 'fine.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {}\n' });
    const errorsOnly = bulkhead(['scan', '.', '--format', 'junit'], root).stdout;
    assert.match(errorsOnly, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="bulkhead" tests="\d+" failures="\d+" errors="0">/);
    assert.match(
      errorsOnly,
      /<testsuite name="fine\.yaml" tests="1" failures="0"[^>]*>\n {4}<testcase classname="fine\.yaml" name="no findings" file="fine\.yaml"\/>/,
    );
    assert.match(
      errorsOnly,
      /<testcase classname="bad\.yaml" name="privileged-container at 10:9"[^>]*>\n {6}<failure type="error" message="container &quot;c&quot; of Pod\/bad runs privileged/,
    );
    const failuresAt = (xml: string) => Number(/<testsuites [^>]*failures="(\d+)"/.exec(xml)![1]);
    const all = bulkhead(['scan', '.', '--format', 'junit', '--fail-on', 'info'], root).stdout;
    assert.ok(failuresAt(all) > failuresAt(errorsOnly), 'warnings become failures with --fail-on info');
    assert.equal(failuresAt(bulkhead(['scan', '.', '--format', 'junit', '--fail-on', 'never'], root).stdout), 0);
  });
});

describe('--output and --stats', () => {
  it('writes the report to a file (creating its folder), leaving stdout empty; stats go to stderr', () => {
    const root = workspace({ 'bad.yaml': pod('bad', true) });
    const r = bulkhead(['scan', '.', '--format', 'sarif', '--output', 'reports/bulkhead.sarif', '--stats'], root);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const sarif = JSON.parse(fs.readFileSync(path.join(root, 'reports/bulkhead.sarif'), 'utf8'));
    assert.ok(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'privileged-container'));
    assert.match(r.stderr, /Findings per rule \(1 files checked\):\n(.*\n)*\s+privileged-container\s+1\s+in\s+1 file /);
  });

  it('flags for scan only are refused by rules, and --baseline with --write-baseline is a usage error', () => {
    assert.equal(bulkhead(['rules', '--output', 'x']).status, 2);
    assert.equal(bulkhead(['scan', '--baseline', 'a', '--write-baseline', 'b']).status, 2);
    assert.equal(bulkhead(['scan', '--output']).status, 2);
  });
});

describe('baselines, end to end', () => {
  it('write, move code, add a problem: only the new finding is reported and fails', () => {
    const root = workspace({ 'apps/a.yaml': pod('a', true), 'apps/b.yaml': pod('b', true) });
    const before = JSON.parse(bulkhead(['scan', '.', '--format', 'json'], root).stdout) as JsonOut;
    assert.ok(before.findings.length >= 4);

    // 1. Record today's findings: the scan still prints them, and exits 0.
    const written = bulkhead(['scan', '.', '--write-baseline', '.bulkhead-baseline.json'], root);
    assert.equal(written.status, 0, written.stderr);
    assert.match(written.stderr, new RegExp(`recorded ${before.findings.length} findings`));
    const baseline = JSON.parse(fs.readFileSync(path.join(root, '.bulkhead-baseline.json'), 'utf8'));
    assert.equal(baseline.bulkheadBaseline, 1);
    assert.equal(baseline.findings.length, before.findings.length);
    assert.deepEqual(Object.keys(baseline.findings[0]), ['ruleId', 'file', 'fingerprint', 'message']);

    // Its fingerprints are the ones SARIF carries.
    const sarif = JSON.parse(bulkhead(['scan', '.', '--format', 'sarif'], root).stdout);
    const sarifPrints = new Set(sarif.runs[0].results.map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['bulkheadFinding/v1']));
    for (const e of baseline.findings) assert.ok(sarifPrints.has(e.fingerprint), `${e.ruleId} ${e.file}`);

    // 2. Nothing new: clean, exit 0.
    const clean = bulkhead(['scan', '.', '--baseline', '.bulkhead-baseline.json', '--format', 'json'], root);
    assert.equal(clean.status, 0);
    assert.deepEqual((JSON.parse(clean.stdout) as JsonOut).findings, []);
    assert.match(clean.stderr, new RegExp(`${before.findings.length} known findings not reported`));

    // 3. Lines move (a comment and a label added above): still nothing new.
    fs.writeFileSync(path.join(root, 'apps/a.yaml'), `# owned by team a\n${pod('a', true).replace('  name: a\n', '  name: a\n  labels:\n    team: a\n')}`);
    const moved = bulkhead(['scan', '.', '--baseline', '.bulkhead-baseline.json', '--format', 'json'], root);
    assert.equal(moved.status, 0, moved.stdout);

    // 4. A new problem in a changed file: only it is reported, and the scan fails.
    fs.appendFileSync(path.join(root, 'apps/b.yaml'), `---\n${pod('c', true)}`);
    const changed = bulkhead(['scan', '.', '--baseline', '.bulkhead-baseline.json', '--format', 'json'], root);
    assert.equal(changed.status, 1);
    const found = (JSON.parse(changed.stdout) as JsonOut).findings;
    assert.ok(found.length > 0);
    assert.ok(
      found.every((f) => f.file === 'apps/b.yaml' && f.message.includes('Pod/c')),
      JSON.stringify(found.map((f) => f.message)),
    );
    assert.ok(found.some((f) => f.ruleId === 'privileged-container'));

    // 5. From another working directory the same baseline still applies (paths are relative to it).
    const fromApps = bulkhead(['scan', '.', '--baseline', '../.bulkhead-baseline.json', '--format', 'json'], path.join(root, 'apps'));
    assert.deepEqual(
      (JSON.parse(fromApps.stdout) as JsonOut).findings.map((f) => f.message),
      found.map((f) => f.message),
    );

    // 6. Fixing a recorded problem is reported as a stale entry, not an error.
    fs.writeFileSync(path.join(root, 'apps/a.yaml'), pod('a', false));
    const fixed = bulkhead(['scan', 'apps/a.yaml', '--baseline', '.bulkhead-baseline.json'], root);
    assert.match(fixed.stderr, /recorded findings are gone/);
  });

  it('a second copy of a recorded problem in the same file is new', () => {
    const root = workspace({ 'p.yaml': pod('a', true) });
    bulkhead(['scan', '.', '--write-baseline', 'b.json'], root);
    fs.appendFileSync(path.join(root, 'p.yaml'), `---\n${pod('a', true)}`);
    const r = bulkhead(['scan', '.', '--baseline', 'b.json', '--format', 'json'], root);
    assert.equal(r.status, 1);
    assert.equal((JSON.parse(r.stdout) as JsonOut).findings.filter((f) => f.ruleId === 'privileged-container').length, 1);
  });

  it('a file that is not a baseline is a usage error', () => {
    const root = workspace({ 'p.yaml': pod('a', true), 'b.json': '{"findings": 3}' });
    const r = bulkhead(['scan', '.', '--baseline', 'b.json'], root);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not a Bulkhead baseline/);
    assert.equal(bulkhead(['scan', '.', '--baseline', 'missing.json'], root).status, 2);
  });
});
