/**
 * Every Helm template fix Bulkhead offers on the corpus (../shared/corpus), applied and rendered
 * again under the chart's defaults and under each of its values files (`values*.yaml`, `ci/*.yaml`),
 * as `helm template -f FILE` would: the fixed template must render, its output must not have more
 * documents that fail to parse, hold a duplicate key or lack apiVersion/kind than before the fix,
 * and the finding must be gone wherever it was there before (one fewer where several share its message). Checked here on the rendered text
 * itself, not through the engine's own withdrawal of unsafe fixes. Skipped without the corpus.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ALL_RULES } from '../../rules';
import { type ChartFiles, renderChartTemplate, type ValuesOverride } from '../../server/src/documents/helm/chart';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { applyEdits } from '../../server/src/engine/yamlEditor';
import { helmChartLoader, readForLint, walk } from '../../server/src/node/files';
import { CORPUS } from '../support/paths';

/** Documents of a rendering that are not a manifest: unparseable, a duplicate key, no apiVersion/kind. */
function brokenDocuments(text: string): number {
  let n = 0;
  for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
    if (doc.errors.length) {
      n++;
      continue;
    }
    const v = doc.toJS();
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v) || !v.apiVersion || !v.kind) n++;
  }
  return n;
}

describe('helm template fixes on the corpus, under every values file', { skip: !fs.existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
  it('keep every rendering a valid manifest and remove the finding wherever it was', () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const load = helmChartLoader();
    const problems: string[] = [];
    let fixes = 0;
    let renderings = 0;
    let valuesFiles = 0;
    for (const file of walk(CORPUS)) {
      const read = readForLint(file);
      if (!read.ok || read.decoded.kind !== 'text') continue;
      const text = read.decoded.text;
      const result = engine.lint(file, text, { helmChart: load });
      if (result.kind !== 'helm-template') continue;
      const offered = result.findings.flatMap((f) =>
        f.fixes.flatMap((fix) => {
          try {
            return [{ finding: f, title: fix.title, edits: fix.edits() }];
          } catch {
            return []; // withdrawn by the engine (fixes.test.ts tells withdrawals from bugs)
          }
        }),
      );
      if (!offered.length) continue;
      const chart = load(file) as ChartFiles;
      let top = chart;
      while (top.parent) top = top.parent;
      const sets: { name: string; file?: string; overrides: ValuesOverride[] }[] = [{ name: 'values.yaml', overrides: [] }];
      for (const name of top.valuesFileNames ?? []) {
        const full = path.join(top.root, name);
        sets.push({ name, file: full, overrides: [{ file: full, text: fs.readFileSync(full, 'utf8') }] });
      }
      valuesFiles += sets.length - 1;
      const before = sets.map((set) => {
        let rendered: string | undefined;
        try {
          rendered = renderChartTemplate(chart, file, text, set.overrides)?.text;
        } catch {
          rendered = undefined; // not renderable with this file before the fix either
        }
        const findings = engine.lint(file, text, { helmChart: load, helmValues: set.file ? [set.file] : [] }).findings;
        return { rendered, findings };
      });
      for (const { finding, title, edits } of offered) {
        fixes++;
        const fixed = applyEdits(text, edits);
        const where = `${path.relative(CORPUS, file)}: "${title}" (${finding.ruleId})`;
        sets.forEach((set, i) => {
          const was = before[i];
          if (was.rendered === undefined) return;
          renderings++;
          let after: string | undefined;
          try {
            after = renderChartTemplate(chart, file, fixed, set.overrides)?.text;
          } catch (err) {
            problems.push(`${where} no longer renders with ${set.name}: ${(err as Error).message}`);
            return;
          }
          if (after === undefined) return;
          if (brokenDocuments(after) > brokenDocuments(was.rendered)) problems.push(`${where} breaks the rendering with ${set.name}`);
          const same = (f: { ruleId: string; message: string }) => f.ruleId === finding.ruleId && f.message === finding.message;
          // Several findings may share a message (one per rule of a ClusterRole): one fewer of them.
          const count = was.findings.filter(same).length;
          if (count) {
            const again = engine.lint(file, fixed, { helmChart: load, helmValues: set.file ? [set.file] : [] }).findings;
            if (again.filter(same).length >= count) problems.push(`${where} leaves the finding with ${set.name}`);
          }
        });
      }
    }
    assert.ok(fixes > 30, `only ${fixes} Helm template fixes offered on the corpus`);
    assert.ok(valuesFiles > 20, `only ${valuesFiles} values files met`);
    assert.deepEqual(problems, []);
    console.log(`corpus: ${fixes} Helm template fixes, each rendered under the defaults and the chart's values files: ${renderings} renderings checked`);
  });
});
