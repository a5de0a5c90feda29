/**
 * What the Dockerfile rules compute once per model or per stage is kept on the model or the stage
 * (`MemoSlot`, server/src/documents/memo.ts), never in a module-level WeakMap keyed by them: V8's
 * young-generation collector keeps every value of an old WeakMap alive whether or not its key still
 * is, so each cached answer of a scan was copied and promoted instead of dying with its file (in a
 * scan of the 311 corpus Dockerfiles, 6–9 MB per collection).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

// Run from out/test/rules/dockerfile: the sources are three levels up from out/.
const RULES = path.resolve(__dirname, '../../../../rules/dockerfile');

/** The module-level WeakMaps of `source` keyed by a model or a stage. */
function perModelWeakMaps(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const found: string[] = [];
  for (const line of code.split('\n')) {
    const m = /^(?:export )?const (\w+)\s*(?::[^=]*)?=\s*new WeakMap<\s*(DockerfileModel|Stage)\b/.exec(line);
    if (m) found.push(`${m[1]} (by ${m[2]})`);
  }
  return found;
}

describe('Dockerfile rules keep per-model answers on the model', () => {
  it('finds such a WeakMap (the check can fail)', () => {
    assert.deepEqual(perModelWeakMaps('const refs = new WeakMap<DockerfileModel, string[]>();'), ['refs (by DockerfileModel)']);
    assert.deepEqual(perModelWeakMaps('export const users: X = new WeakMap<Stage, number>();'), ['users (by Stage)']);
    assert.deepEqual(perModelWeakMaps('// const refs = new WeakMap<DockerfileModel, string[]>();\nconst m = new MemoSlot<DockerfileModel, string>();'), []);
  });

  it('no rule module has one', () => {
    const files = fs.readdirSync(RULES).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 20, `only ${files.length} rule files found in ${RULES}`);
    const offenders = files.flatMap((f) => perModelWeakMaps(fs.readFileSync(path.join(RULES, f), 'utf8')).map((w) => `${f}: ${w}`));
    assert.deepEqual(offenders, [], 'use MemoSlot (server/src/documents/memo.ts) instead');
  });
});
