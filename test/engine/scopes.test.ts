/**
 * The split lint a parallel scan runs: a file's document half (no index, as on a worker thread) and
 * its workspace half (with the index, on the main thread), merged by `mergeScopes`, equal what one
 * whole engine reports, finding for finding and in order, fixes included; and an index-only pass
 * indexes the same objects as a whole engine. Over every file of examples/, Helm charts included.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { SPLIT_KINDS } from '../../server/src/cli/parallelLint';
import { classify } from '../../server/src/documents/classify';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine, type LintResult, mergeScopes } from '../../server/src/engine/engine';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { chartDetector, helmChartLoader, walk } from '../../server/src/node/files';
import { ALL_RULES } from '../../rules';
import { EXAMPLES } from '../support/paths';

const config = new ResolvedConfig(ALL_RULES, {}, 'all');
const files = [...walk(EXAMPLES)].map((path) => ({ path, text: fs.readFileSync(path, 'utf8') }));
const isInChart = chartDetector();
const helmChart = helmChartLoader(() => [EXAMPLES]);

function build(engine: Engine): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const f of files) engine.lint(f.path, f.text, { index, isInChart, helmChart });
  return index;
}

const shape = (r: LintResult) =>
  JSON.stringify({
    kind: r.kind,
    errors: r.internalErrors,
    findings: r.findings.map((f) => ({ id: f.ruleId, start: f.start, end: f.end, message: f.message, related: f.related, fixes: f.fixes.map((x) => x.title) })),
  });

describe('engine scopes', () => {
  it('document half + workspace half = the whole engine, for every example file', () => {
    const whole = new Engine(config);
    const index = build(new Engine(config, { indexOnly: true }));
    const documentHalf = new Engine(config, { scope: 'document' });
    const workspaceHalf = new Engine(config, { scope: 'workspace' });
    let split = 0;
    let crossFile = 0;
    for (const f of files) {
      const kind = classify(f.path, f.text, isInChart);
      if (!SPLIT_KINDS.has(kind)) continue;
      split++;
      const expected = whole.lint(f.path, f.text, { index, isInChart, helmChart });
      const merged = mergeScopes(
        documentHalf.lint(f.path, f.text, { kind, helmChart }),
        workspaceHalf.lint(f.path, f.text, { index, isInChart, helmChart, kind }),
        index,
      );
      assert.equal(shape(merged), shape(expected), f.path);
      crossFile += expected.findings.filter((x) => (x.rule as { scope?: string }).scope === 'workspace').length;
    }
    assert.ok(split > 20 && crossFile > 5, `${split} files split, ${crossFile} workspace findings: the examples should exercise both halves`);
  });

  it('an index-only engine indexes what a whole engine does (values files and Chart.yaml add nothing)', () => {
    const objects = (index: WorkspaceIndex) =>
      files.map((f) => JSON.stringify((index.get(f.path)?.objects ?? []).map((o) => [o.documentStart, o.object.kind, o.object.name])));
    assert.deepEqual(objects(build(new Engine(config, { indexOnly: true }))), objects(build(new Engine(config))));
  });
});
