import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import type { DockerfileRule, DockerfileRuleContext } from '../../server/src/engine/rule';

/** A Dockerfile rule for these tests: reports each instruction (or throws after reporting some). */
function rule(id: string, check: (ctx: DockerfileRuleContext) => void, extra: Partial<DockerfileRule> = {}): DockerfileRule {
  return {
    id,
    language: 'dockerfile',
    title: id,
    category: 'reliability',
    severity: 'warning',
    description: 'd',
    remediation: 'r',
    references: [],
    fixes: [],
    recommended: true,
    check,
    ...extra,
  };
}

const TEXT = 'FROM alpine:3.20\nRUN echo a\nRUN echo b\n';

describe('Dockerfile rule dispatch', () => {
  it('gives each rule its own options, also when the config sets them', () => {
    const seen: [string, unknown][] = [];
    const a = rule('rule-a', (ctx) => seen.push(['rule-a', ctx.options.limit]), { defaultOptions: { limit: 1 } });
    const b = rule('rule-b', (ctx) => seen.push(['rule-b', ctx.options.names]), { defaultOptions: { names: [] as string[] } });
    const c = rule('rule-c', (ctx) => seen.push(['rule-c', Object.keys(ctx.options).length]));
    const engine = new Engine(new ResolvedConfig([a, b, c], { rules: { 'rule-b': { options: { names: ['x'] } } } }));
    engine.lint('Dockerfile', TEXT);
    engine.lint('other/Dockerfile', `${TEXT}# another file\n`);
    const once: [string, unknown][] = [
      ['rule-a', 1],
      ['rule-b', ['x']],
      ['rule-c', 0],
    ];
    assert.deepEqual(seen, [...once, ...once]);
  });

  it('gives each rule the file it lints', () => {
    const files: string[] = [];
    const engine = new Engine(new ResolvedConfig([rule('rule-a', (ctx) => files.push(`${ctx.filePath}:${ctx.dockerfile.instructions().length}`))]));
    engine.lint('one/Dockerfile', TEXT);
    engine.lint('two/Dockerfile', 'FROM alpine:3.20\n');
    assert.deepEqual(files, ['one/Dockerfile:3', 'two/Dockerfile:1']);
  });

  it('drops what a throwing rule reported before it threw; the rules after it still report', () => {
    const reportAll = (ctx: DockerfileRuleContext): void => {
      for (const i of ctx.dockerfile.instructions()) ctx.report({ at: ctx.spanOf(i), message: 'seen' });
    };
    const before = rule('rule-a', reportAll);
    const broken = rule('rule-b', (ctx) => {
      reportAll(ctx);
      throw new Error('boom');
    });
    const after = rule('rule-c', reportAll);
    const result = new Engine(new ResolvedConfig([before, broken, after])).lint('Dockerfile', TEXT);
    assert.deepEqual(
      result.internalErrors.map((e) => e.ruleId),
      ['rule-b'],
    );
    assert.match(result.internalErrors[0].message, /boom/);
    assert.deepEqual(
      result.findings.map((f) => `${f.ruleId}@${f.range.start.line}`),
      ['rule-a@0', 'rule-c@0', 'rule-a@1', 'rule-c@1', 'rule-a@2', 'rule-c@2'],
    );
  });

  it('runs workspace rules besides document rules', () => {
    const ran: string[] = [];
    const doc = rule('rule-a', () => ran.push('document'));
    const ws = rule('rule-b', () => ran.push('workspace'), { scope: 'workspace' });
    new Engine(new ResolvedConfig([doc, ws])).lint('Dockerfile', TEXT);
    new Engine(new ResolvedConfig([doc, ws]), { scope: 'document' }).lint('Dockerfile', TEXT);
    new Engine(new ResolvedConfig([doc, ws]), { scope: 'workspace' }).lint('Dockerfile', TEXT);
    assert.deepEqual(ran, ['document', 'workspace', 'document', 'workspace']);
  });
});
