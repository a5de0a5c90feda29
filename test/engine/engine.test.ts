import assert from 'node:assert/strict';
import { SPINE_RULES } from '../support/rules';
import { describe, it } from 'node:test';
import { PROFILES, ResolvedConfig, parseConfig, ConfigError } from '../../server/src/engine/config';
import { Engine, FileState } from '../../server/src/engine/engine';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { classify } from '../../server/src/documents/classify';
import { splitYamlDocuments } from '../../server/src/documents/yamlFile';
import { ALL_RULES } from '../../rules';
import type { KubernetesRule } from '../../server/src/engine/rule';

const PRIVILEGED_POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    securityContext: {privileged: true}\n';

describe('classification', () => {
  const cases: [string, string, string][] = [
    ['Dockerfile', '', 'dockerfile'],
    ['build/api.Dockerfile', '', 'dockerfile'],
    ['Containerfile', '', 'dockerfile'],
    ['Dockerfile.dev', '', 'dockerfile'],
    ['k8s/app.yaml', 'apiVersion: v1\nkind: Pod\n', 'kubernetes'],
    ['k8s/app.yml', '# c\n---\napiVersion: apps/v1\nkind: Deployment\n', 'kubernetes'],
    ['.github/workflows/ci.yml', 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n', 'other'],
    ['compose.yaml', 'services:\n  web:\n    image: nginx\n', 'compose'],
    ['chart/Chart.yaml', 'apiVersion: v2\nname: c\n', 'helm-chart'],
    ['chart/values.yaml', 'image:\n  tag: 1\n', 'helm-values'],
    ['chart/templates/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n', 'helm-template'],
    ['chart/templates/_helpers.tpl', '{{- define "x" -}}{{- end }}', 'helm-template'],
    // A kubeconfig is recognised by its content whatever its name (the secrets pack reads them).
    ['config', 'apiVersion: v1\nkind: Config\nclusters: []\n', 'kubeconfig'],
    ['config', '[core]\n  bare = false\n', 'other'],
    ['home/.kube/config', 'apiVersion: v1\nkind: Config\nclusters: []\n', 'kubeconfig'],
    ['admin.yaml', 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\n', 'kubeconfig'],
    ['.bulkhead.yaml', 'profile: all\n', 'bulkhead-config'],
  ];
  for (const [path, text, kind] of cases) {
    it(`${path} → ${kind}`, () => assert.equal(classify(path, text), kind));
  }
});

describe('document splitting', () => {
  it('splits on --- and ... lines only at column 0', () => {
    const text = 'a: 1\n---\nb: |\n  ---\n  text\n...\nc: 3\n--- # comment\nd: 4\n';
    const chunks = splitYamlDocuments(text);
    assert.deepEqual(
      chunks.map((c) => c.text),
      ['a: 1\n', '---\nb: |\n  ---\n  text\n...\n', 'c: 3\n', '--- # comment\nd: 4\n'],
    );
    assert.equal(chunks.map((c) => c.text).join(''), text);
  });

  it('keeps a %YAML directive with its document', () => {
    const chunks = splitYamlDocuments('a: 1\n...\n%YAML 1.1\n---\nb: 2\n');
    assert.deepEqual(
      chunks.map((c) => c.text),
      ['a: 1\n...\n', '%YAML 1.1\n---\nb: 2\n'],
    );
  });
});

describe('profiles and config', () => {
  it('pss profiles are derived from references', () => {
    const baseline = new ResolvedConfig(ALL_RULES, {}, 'pss-baseline');
    for (const rule of ALL_RULES) {
      const isPss = rule.references.some((r) => r.startsWith('pss:baseline/'));
      if (rule.language === 'yaml' || rule.language === 'engine') continue; // built-ins run in every profile
      assert.equal(baseline.state(rule.id).enabled, isPss, rule.id);
    }
  });

  it('rule settings override the profile', () => {
    const config = new ResolvedConfig(ALL_RULES, { rules: { 'host-network': 'off', 'deprecated-service-account-field': 'error' } });
    assert.equal(config.state('host-network').enabled, false);
    assert.deepEqual(config.state('deprecated-service-account-field'), { enabled: true, severity: 'error', options: {} });
  });

  it('rejects invalid configs with every problem named', () => {
    assert.throws(
      () => parseConfig('profile: strict\nrulez: {}\n'),
      (e: unknown) => e instanceof ConfigError && /profile must be one of/.test(e.message) && /unknown key "rulez"/.test(e.message),
    );
    assert.throws(() => parseConfig('rules: {a: loud}\n'), ConfigError);
    assert.throws(() => parseConfig('profile: [\n'), ConfigError);
    assert.deepEqual(parseConfig('profile: all\nexclude: [vendor/]\n'), { profile: 'all', exclude: ['vendor/'] });
  });

  it('knows every profile', () => {
    for (const p of PROFILES) assert.ok(new ResolvedConfig(ALL_RULES, {}, p).enabledRules().length > 0, p);
  });
});

describe('engine', () => {
  const engine = new Engine(new ResolvedConfig(SPINE_RULES));

  it('points at the offending key and value', () => {
    const [f] = engine.lint('p.yaml', PRIVILEGED_POD).findings;
    assert.equal(f.ruleId, 'privileged-container');
    assert.deepEqual(f.range, { start: { line: 6, character: 22 }, end: { line: 6, character: 38 } });
  });

  it('reports a syntax error once, at its position, and lints the other documents', () => {
    const text = `a: [1, 2\nb: 3\n---\n${PRIVILEGED_POD}`;
    const ids = engine.lint('p.yaml', text).findings.map((f) => `${f.ruleId}@${f.range.start.line}`);
    assert.deepEqual(ids, ['yaml-syntax-error@1', 'privileged-container@9']);
  });

  it('never parses documents of kinds no enabled rule wants', () => {
    const state = new FileState();
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec: {oops: [}\n';
    const result = engine.lint('all.yaml', `${crd}---\n${PRIVILEGED_POD}`, { state });
    // The CRD's syntax error is not even seen: it was never parsed.
    assert.deepEqual(
      result.findings.map((f) => f.ruleId),
      ['privileged-container'],
    );
  });

  it('reuses unchanged documents between lints and reports shifted positions', () => {
    const state = new FileState();
    const first = engine.lint('p.yaml', `${PRIVILEGED_POD}---\n${PRIVILEGED_POD}`, { state });
    const second = engine.lint('p.yaml', `# a new first line\n${PRIVILEGED_POD}---\n${PRIVILEGED_POD}`, { state });
    assert.deepEqual(
      first.findings.map((f) => f.range.start.line),
      [6, 14],
    );
    assert.deepEqual(
      second.findings.map((f) => f.range.start.line),
      [7, 15],
    );
    assert.equal(second.findings[1].start, first.findings[1].start + '# a new first line\n'.length);
  });

  it('isolates a rule that throws: reported once, other rules still run', () => {
    const broken: KubernetesRule = {
      id: 'broken-rule',
      language: 'kubernetes',
      title: 'Broken',
      category: 'reliability',
      severity: 'error',
      description: 'd',
      remediation: 'r',
      references: [],
      fixes: [],
      recommended: true,
      kinds: 'all',
      check() {
        throw new Error('boom');
      },
    };
    const e = new Engine(new ResolvedConfig([...SPINE_RULES, broken]));
    const result = e.lint('p.yaml', `${PRIVILEGED_POD}---\n${PRIVILEGED_POD}`);
    assert.deepEqual(
      result.internalErrors.map((x) => x.ruleId),
      ['broken-rule'],
    );
    assert.match(result.internalErrors[0].message, /boom/);
    assert.equal(result.findings.filter((f) => f.ruleId === 'privileged-container').length, 2);
  });

  it('keeps the workspace index current', () => {
    const index = new WorkspaceIndex();
    engine.lint('a.yaml', PRIVILEGED_POD, { index });
    engine.lint('Dockerfile', 'FROM alpine:3.20\n', { index });
    assert.deepEqual(
      index.objects('Pod').map((o) => o.path),
      ['a.yaml'],
    );
    assert.equal(index.dockerfiles().length, 1);
    engine.lint('a.yaml', 'apiVersion: v1\nkind: ConfigMap\n', { index });
    assert.deepEqual(index.objects('Pod'), []);
    index.remove('Dockerfile');
    assert.equal(index.dockerfiles().length, 0);
  });

  it('skips non-Kubernetes YAML quietly', () => {
    const result = engine.lint('.github/workflows/ci.yml', 'on: [push\n');
    assert.equal(result.kind, 'other');
    assert.deepEqual(result.findings, []);
  });
});
