/**
 * Every fix Bulkhead offers on the real-world corpus (../shared/corpus), applied one at a time: the
 * file must still parse and the finding must go (Helm templates included, rendered with their chart's
 * values). Also: no rule may throw on any corpus file.
 * Skipped when the corpus is not there.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { applyEdits } from '../../server/src/engine/yamlEditor';
import { chartDetector, helmChartLoader, readForLint, walk } from '../../server/src/node/files';
import { CORPUS } from '../support/paths';

describe('fixes on the real-world corpus', { skip: !fs.existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
  it('every fix keeps the file parsing and removes its finding; no rule throws', () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const index = new WorkspaceIndex();
    const options = { index, isInChart: chartDetector(), helmChart: helmChartLoader() };
    const problems: string[] = [];
    let templates = 0;
    let fixes = 0;
    let withdrawn = 0;
    for (const file of walk(CORPUS)) {
      const read = readForLint(file);
      if (!read.ok || read.decoded.kind !== 'text') continue;
      const text = read.decoded.text;
      const result = engine.lint(file, text, options);
      if (result.kind === 'helm-template' && result.findings.length) templates++;
      for (const e of result.internalErrors) problems.push(`${file}: rule ${e.ruleId} threw: ${e.message.split('\n')[0]}`);
      const syntaxBefore = result.findings.filter((f) => f.ruleId === 'yaml-syntax-error').length;
      for (const finding of result.findings) {
        for (const fix of finding.fixes) {
          let edits;
          try {
            edits = fix.edits();
          } catch (err) {
            // A Helm template fix that would break the chart under one of its values files is
            // withdrawn this way (the editor and --fix skip it); any other throw is a bug.
            if (/^the fix (breaks the chart rendered with |does not remove the finding)/.test((err as Error).message)) withdrawn++;
            else problems.push(`${file}: "${fix.title}" (${finding.ruleId}) threw: ${(err as Error).message}`);
            continue;
          }
          fixes++;
          const fixed = applyEdits(text, edits);
          const after = engine.lint(file, fixed, { ...options, index: undefined }).findings;
          if (after.filter((f) => f.ruleId === 'yaml-syntax-error').length > syntaxBefore)
            problems.push(`${file}: "${fix.title}" (${finding.ruleId}) breaks the YAML`);
          const count = (list: { ruleId: string }[]) => list.filter((f) => f.ruleId === finding.ruleId).length;
          if (count(after) >= count(result.findings)) problems.push(`${file}: "${fix.title}" does not remove ${finding.ruleId}`);
        }
      }
    }
    assert.ok(fixes > 500, `only ${fixes} fixes offered on the corpus`);
    assert.ok(templates > 3, `Helm templates with findings: ${templates}`);
    assert.deepEqual(problems, []);
    console.log(`corpus: ${fixes} fixes checked, ${withdrawn} Helm template fixes withdrawn (they break the chart under one of its values files)`);
  });
});
