/**
 * The launcher's V8 flags (server/src/cli/launch.ts), tiering and young generation: set for a plain run,
 * left to V8 when the user asks for V8's own, with the variable or by giving the flag to node in either
 * spelling.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tieringFlag, youngGenerationFlag } from '../../server/src/cli/launch';
import { REPO_ROOT } from '../support/paths';

describe('launcher V8 tiering', () => {
  it('asks V8 to wait longer before optimising, unless the user keeps V8 defaults', () => {
    assert.equal(tieringFlag({}, []), '--ticks-before-optimization=12');
    assert.equal(tieringFlag({ BULKHEAD_V8_DEFAULT_TIERING: '' }, ['--max-old-space-size=4096']), '--ticks-before-optimization=12');
    assert.equal(tieringFlag({ BULKHEAD_V8_DEFAULT_TIERING: '1' }, []), undefined);
    assert.equal(tieringFlag({}, ['--ticks-before-optimization=5']), undefined);
    assert.equal(tieringFlag({}, ['--ticks_before_optimization=5']), undefined);
  });

  it('grows the young generation to its maximum at once, unless the user keeps V8 defaults', () => {
    assert.equal(youngGenerationFlag({}, []), '--semi-space-growth-factor=16');
    assert.equal(youngGenerationFlag({ BULKHEAD_V8_DEFAULT_GC: '' }, ['--ticks-before-optimization=5']), '--semi-space-growth-factor=16');
    assert.equal(youngGenerationFlag({ BULKHEAD_V8_DEFAULT_GC: '1' }, []), undefined);
    assert.equal(youngGenerationFlag({}, ['--max-semi-space-size=64']), undefined);
    assert.equal(youngGenerationFlag({}, ['--min_semi_space_size=8']), undefined);
  });

  it('the CLI runs the same with either tiering and young generation', () => {
    const bin = path.join(REPO_ROOT, 'bin', 'bulkhead.js');
    const dockerfile = path.join(REPO_ROOT, 'examples', 'docker', 'Dockerfile');
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [bin, 'scan', dockerfile, '--format', 'json', '--no-color'], {
        encoding: 'utf8',
        env: { ...process.env, BULKHEAD_NO_COMPILE_CACHE: '1', ...env },
        timeout: 60_000,
      });
    const tuned = run({ BULKHEAD_V8_DEFAULT_TIERING: '', BULKHEAD_V8_DEFAULT_GC: '' });
    const plain = run({ BULKHEAD_V8_DEFAULT_TIERING: '1', BULKHEAD_V8_DEFAULT_GC: '1' });
    assert.equal(tuned.status, plain.status, tuned.stderr);
    assert.ok(tuned.stdout.length > 0);
    assert.equal(tuned.stdout, plain.stdout);
  });
});
