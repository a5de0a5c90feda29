/**
 * `.bulkhead.yaml` on hostile or mistaken input: rule options and settings are checked against
 * what the rules read (a wrong-typed option used to throw inside its rule), big files parse in
 * linear time, and duplicate keys are an error rather than a silent last-one-wins.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import { ConfigError, parseConfig, ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { ConfigResolver } from '../../server/src/service/configResolver';
import { runIsolated } from '../support/isolated';

const DOCKERFILE = 'FROM python:3.12\nCMD ["python"]\n';

describe('rule options', () => {
  it('a wrong-typed option is reported and ignored: the rule keeps its default and does not throw', () => {
    for (const wrong of ['registry.example.com/', 42, { a: 1 }, [1, 2]]) {
      const config = new ResolvedConfig(ALL_RULES, { rules: { 'dockerfile-runs-as-root': { options: { nonRootBaseImages: wrong } } } });
      assert.equal(config.problems.length, 1, JSON.stringify(wrong));
      assert.match(config.problems[0], /rules\.dockerfile-runs-as-root\.options\.nonRootBaseImages must be a list of strings/);
      assert.deepEqual(config.state('dockerfile-runs-as-root').options, { nonRootBaseImages: [] });
      const result = new Engine(config).lint('/w/Dockerfile', DOCKERFILE);
      assert.deepEqual(result.internalErrors, []);
      assert.ok(result.findings.some((f) => f.ruleId === 'dockerfile-runs-as-root'));
    }
  });

  it('an unknown option name is reported, naming the known ones', () => {
    const config = new ResolvedConfig(ALL_RULES, { rules: { 'dockerfile-runs-as-root': { options: { nonRootImages: ['x/'] } } } });
    assert.deepEqual(config.problems, ['rules.dockerfile-runs-as-root.options.nonRootImages: unknown option (known: nonRootBaseImages)']);
  });

  it('a well-typed option applies and reports nothing', () => {
    const config = new ResolvedConfig(ALL_RULES, { rules: { 'dockerfile-runs-as-root': { options: { nonRootBaseImages: ['python:'] } } } });
    assert.deepEqual(config.problems, []);
    assert.ok(!new Engine(config).lint('/w/Dockerfile', DOCKERFILE).findings.some((f) => f.ruleId === 'dockerfile-runs-as-root'));
  });

  it('a rule id that names an Object.prototype member is just an unknown rule', () => {
    const config = new ResolvedConfig(ALL_RULES, parseConfig('rules:\n  constructor: off\n  __proto__: off\n  toString: error\n'));
    assert.deepEqual([...config.unknownRules].sort(), ['__proto__', 'constructor', 'toString']);
    assert.ok(config.enabledRules().length > 10);
  });

  it('the editor reports the problem for the settings that carry it', () => {
    const resolver = new ConfigResolver(ALL_RULES);
    resolver.setSettings({ rules: { 'dockerfile-runs-as-root': { options: { nonRootBaseImages: 'x' } } } });
    resolver.resolve(undefined);
    const problems = [...resolver.problems.values()].map((p) => p.message);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /nonRootBaseImages must be a list of strings/);
  });
});

describe('settings', () => {
  it('checks the shape of the settings rules read', () => {
    assert.throws(() => parseConfig('settings:\n  allowedRegistries: docker.io\n'), /settings\.allowedRegistries must be a list of registries/);
    assert.throws(() => parseConfig('settings:\n  pssVersion: 1.30.1\n'), /settings\.pssVersion must be latest or a version/);
    assert.throws(() => parseConfig('settings:\n  dockerfileImages:\n    Dockerfile: 3\n'), /settings\.dockerfileImages must be a mapping/);
    assert.doesNotThrow(() =>
      parseConfig(
        'settings:\n  pssVersion: v1.30\n  allowedRegistries: [ghcr.io]\n  dockerfileImages: {Dockerfile: [app], api/Dockerfile: api}\n  somethingNew: 1\n',
      ),
    );
  });
});

describe('config file parsing', () => {
  it('rejects a repeated key', () => {
    assert.throws(
      () => parseConfig('profile: all\nrules: {}\nprofile: recommended\n'),
      (e: unknown) => e instanceof ConfigError && /repeated at line 3/.test(e.message),
    );
  });

  it('parses 100,000 keys in linear time (minutes before)', () => {
    const text = `rules:\n${Array.from({ length: 100_000 }, (_, i) => `  rule-${i}: off\n`).join('')}`;
    const r = runIsolated(
      `return new (load('server/src/engine/config').ResolvedConfig)([], load('server/src/engine/config').parseConfig(input)).unknownRules.length;`,
      text,
      20_000,
    );
    assert.ok(r.finished, `parsing did not finish within 20 s (${r.ms} ms) ${r.stderr ?? ''}`);
    assert.equal(r.value, 100_000);
  });
});

describe('renamed rules', () => {
  it('a config entry for missing-resources applies to the rules it was split into', () => {
    const config = new ResolvedConfig(ALL_RULES, parseConfig('rules:\n  missing-resources: warning\n  missing-memory-limit: off\n'));
    assert.deepEqual(config.unknownRules, []);
    assert.equal(config.state('missing-cpu-request').enabled, true);
    assert.equal(config.state('missing-cpu-request').severity, 'warning');
    assert.equal(config.state('missing-memory-request').severity, 'warning');
    assert.equal(config.state('missing-memory-limit').enabled, false, 'the new id named itself wins');
  });
});
