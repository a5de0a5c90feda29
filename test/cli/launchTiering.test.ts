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

/** `process.versions.v8` of Node 20, 21, 22, 24 and of a V8 nobody measured. */
const V8_OF_NODE_20 = '11.3.244.8-node.19';
const V8_OF_NODE_21 = '11.8.172.17-node.16';
const V8_OF_NODE_22 = '12.4.254.21-node.33';
const V8_OF_NODE_24 = '13.6.233.10-node.18';
const V8_UNMEASURED = '14.2.10';

describe('launcher V8 tiering', () => {
  it('asks V8 to wait longer before optimising, unless the user keeps V8 defaults', () => {
    assert.equal(tieringFlag({}, [], V8_OF_NODE_20), '--ticks-before-optimization=12');
    assert.equal(tieringFlag({ BULKHEAD_V8_DEFAULT_TIERING: '' }, ['--max-old-space-size=4096'], V8_OF_NODE_20), '--ticks-before-optimization=12');
    assert.equal(tieringFlag({ BULKHEAD_V8_DEFAULT_TIERING: '1' }, [], V8_OF_NODE_20), undefined);
    assert.equal(tieringFlag({}, ['--ticks-before-optimization=5'], V8_OF_NODE_20), undefined);
    assert.equal(tieringFlag({}, ['--ticks_before_optimization=5'], V8_OF_NODE_20), undefined);
  });

  it('spells the flag as each V8 knows it, and gives none to a V8 it was not measured on', () => {
    // V8 12 replaced the ticks with invocation counts: the old flag made V8 print "unrecognized flag" on every run.
    for (const v8 of [V8_OF_NODE_22, V8_OF_NODE_24]) {
      assert.equal(tieringFlag({}, [], v8), '--invocation-count-for-turbofan=12000', v8);
      assert.equal(tieringFlag({ BULKHEAD_V8_DEFAULT_TIERING: '1' }, [], v8), undefined, v8);
      assert.equal(tieringFlag({}, ['--invocation_count_for_turbofan=100'], v8), undefined, v8);
      // The other V8's flag given to node is not this one: the launcher still sets its own.
      assert.equal(tieringFlag({}, ['--ticks-before-optimization=5'], v8), '--invocation-count-for-turbofan=12000', v8);
    }
    assert.equal(tieringFlag({}, [], V8_OF_NODE_21), undefined);
    assert.equal(tieringFlag({}, [], V8_UNMEASURED), undefined);
    assert.equal(tieringFlag({}, [], 'not a version'), undefined);
  });

  it("sets only a flag the running V8 lists, and a run prints nothing of V8's on stderr", () => {
    const flag = tieringFlag({}, []);
    if (flag !== undefined) {
      const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8', timeout: 60_000 }).stdout;
      const name = flag.slice(0, flag.indexOf('='));
      assert.ok(options.includes(`  ${name} `), `${process.versions.v8} does not list ${name}`);
    }
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'bulkhead.js'), '--version'], {
      encoding: 'utf8',
      env: { ...process.env, BULKHEAD_NO_COMPILE_CACHE: '1', BULKHEAD_V8_DEFAULT_TIERING: '', BULKHEAD_V8_DEFAULT_GC: '' },
      timeout: 60_000,
    });
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
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
