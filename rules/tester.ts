/**
 * Runs one rule over `valid` and `invalid` cases, ESLint-style. Beyond what each case states, every
 * fix a finding offers is applied and checked: the text must still parse and that finding must be
 * gone. A rule cannot ship a fix that breaks a file.
 */
import assert from 'node:assert/strict';
import * as pathLib from 'node:path';
import { describe, it } from 'node:test';
import type { Rule } from '../server/src/engine/rule';
import { ResolvedConfig } from '../server/src/engine/config';
import { DUPLICATE_KEY_RULE_ID, Engine, Finding, SYNTAX_RULE_ID } from '../server/src/engine/engine';
import { applyEdits } from '../server/src/engine/yamlEditor';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import { yamlSyntaxError } from './syntax/yamlSyntaxError';
import { yamlDuplicateKey } from './syntax/yamlDuplicateKey';

export interface ValidCase {
  name?: string;
  code: string;
  path?: string;
  options?: Record<string, unknown>;
  /** Engine settings, e.g. `{ pssVersion: 'v1.30' }`. */
  settings?: Record<string, unknown>;
  /** Other files of the workspace, for rules that look across files. */
  files?: Record<string, string>;
}

export interface ExpectedFinding {
  /** Exactly the source text the finding underlines. */
  text?: string;
  /** 0-based line of the start. */
  line?: number;
  message?: string | RegExp;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** The text after applying the preferred fix of every finding (one pass). */
  output?: string;
}

function defaultPath(rule: Rule): string {
  if (rule.language === 'text') return rule.fileKinds.includes('dotenv') ? '.env' : 'values.yaml';
  if (rule.language === 'helm-chart') return 'chart/Chart.yaml';
  return rule.language === 'dockerfile' ? 'Dockerfile' : 'manifest.yaml';
}

export function lintWith(rule: Rule, c: ValidCase): Finding[] {
  // The syntax rules ride along, so that a case (or a fixed text) that does not parse, or has a
  // duplicate key (which kubectl rejects), is seen.
  const rules = [rule, ...[yamlSyntaxError, yamlDuplicateKey].filter((r) => r.id !== rule.id)];
  const config = new ResolvedConfig(rules, { rules: { [rule.id]: { severity: rule.severity, options: c.options } }, settings: c.settings }, 'all');
  const engine = new Engine(config);
  const index = new WorkspaceIndex();
  // Rules that read other files (`ctx.readFile`) read them from `files`, by normalised path.
  const files = new Map(Object.entries(c.files ?? {}).map(([p, t]) => [pathLib.normalize(p), t]));
  const readFile = (p: string) => files.get(pathLib.normalize(p));
  for (const [path, text] of Object.entries(c.files ?? {})) engine.lint(path, text, { index, readFile });
  // Chart.yaml rules read the chart's Chart.lock: `files['Chart.lock']`, else the chart has none.
  const helmChart = () => ({
    root: 'chart',
    chartYaml: c.code,
    valuesYaml: undefined,
    templates: new Map<string, string>(),
    lockYaml: c.files?.['Chart.lock'] ?? null,
  });
  const result = engine.lint(c.path ?? defaultPath(rule), c.code, { index, readFile, ...(rule.language === 'helm-chart' ? { helmChart } : {}) });
  if (result.internalErrors.length) throw new Error(`rule threw: ${result.internalErrors[0].message}`);
  return result.findings;
}

function ofRule(findings: Finding[], rule: Rule): Finding[] {
  return findings.filter((f) => f.ruleId === rule.id);
}

function describeFindings(findings: Finding[], code: string): string {
  return findings.map((f) => `  line ${f.range.start.line}: ${JSON.stringify(code.slice(f.start, f.end))} — ${f.message}`).join('\n') || '  (none)';
}

export class RuleTester {
  static run(rule: Rule, cases: { valid: (ValidCase | string)[]; invalid: InvalidCase[] }): void {
    describe(rule.id, () => {
      cases.valid.forEach((raw, i) => {
        const c = typeof raw === 'string' ? { code: raw } : raw;
        it(`valid: ${c.name ?? `#${i + 1}`}`, () => {
          const findings = lintWith(rule, c);
          const syntax = findings.filter((f) => f.ruleId === SYNTAX_RULE_ID && rule.id !== SYNTAX_RULE_ID);
          assert.equal(syntax.length, 0, `test case does not parse:\n${describeFindings(syntax, c.code)}`);
          const own = ofRule(findings, rule);
          assert.equal(own.length, 0, `expected no findings, got:\n${describeFindings(own, c.code)}`);
        });
      });
      cases.invalid.forEach((c, i) => {
        it(`invalid: ${c.name ?? `#${i + 1}`}`, () => {
          const own = ofRule(lintWith(rule, c), rule);
          assert.equal(own.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${describeFindings(own, c.code)}`);
          c.errors.forEach((expected, j) => {
            const f = own[j];
            if (expected.text !== undefined) assert.equal(c.code.slice(f.start, f.end), expected.text, `finding ${j + 1}: underlined text`);
            if (expected.line !== undefined) assert.equal(f.range.start.line, expected.line, `finding ${j + 1}: line`);
            if (typeof expected.message === 'string') assert.equal(f.message, expected.message);
            else if (expected.message) assert.match(f.message, expected.message);
            assert.ok(f.end > f.start, `finding ${j + 1} has an empty range`);
          });
          for (const f of own) checkEveryFix(rule, c, f, own.length);
          if (c.output !== undefined) {
            const edits = own.flatMap((f) => (f.fixes[0] ? f.fixes[0].edits() : []));
            assert.equal(applyEdits(c.code, edits), c.output, 'output after applying the preferred fixes');
          }
        });
      });
    });
  }
}

/**
 * Lints `c` and checks every fix of every finding of `rule` as the invalid cases do (the fixed text
 * parses, has no duplicate key, and has fewer findings). For sweeping many shapes of a file
 * without stating each one's findings. Returns how many fixes were checked.
 */
export function checkAllFixes(rule: Rule, c: ValidCase): number {
  const own = ofRule(lintWith(rule, c), rule);
  for (const f of own) checkEveryFix(rule, { ...c, errors: [] }, f, own.length);
  return own.reduce((n, f) => n + f.fixes.length, 0);
}

function checkEveryFix(rule: Rule, c: InvalidCase, finding: Finding, before: number): void {
  for (const fix of finding.fixes) {
    const fixed = applyEdits(c.code, fix.edits());
    assert.notEqual(fixed, c.code, `fix "${fix.title}" changes nothing`);
    const after = lintWith(rule, { ...c, code: fixed });
    const broken = after.filter((f) => (f.ruleId === SYNTAX_RULE_ID || f.ruleId === DUPLICATE_KEY_RULE_ID) && f.ruleId !== rule.id);
    assert.equal(
      broken.length,
      0,
      `fix "${fix.title}" leaves a file that does not parse or has a duplicate key:\n${describeFindings(broken, fixed)}\n${fixed}`,
    );
    assert.ok(ofRule(after, rule).length < before, `fix "${fix.title}" does not remove the finding:\n${fixed}`);
  }
}
