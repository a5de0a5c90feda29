/** The lint queue on its own: coalescing, debounce, tiers, recency, slices. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LintScheduler } from '../../server/src/lsp/lintScheduler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // a lint that takes `ms`
  }
}

describe('lint scheduler', () => {
  it('coalesces: one lint per document however often it is queued', async () => {
    const runs: string[] = [];
    const s = new LintScheduler({ run: (uri) => runs.push(uri) });
    for (let i = 0; i < 5; i++) s.schedule('a', 'dependency');
    s.schedule('b', 'edit');
    s.schedule('a', 'edit');
    await s.idle();
    assert.deepEqual(runs.sort(), ['a', 'b']);
  });

  it('debounces edits: a new edit pushes the lint back; a dependency re-lint does not pull it forward', async () => {
    const runs: { uri: string; at: number }[] = [];
    const start = Date.now();
    const s = new LintScheduler({ run: (uri) => runs.push({ uri, at: Date.now() - start }) });
    s.schedule('a', 'edit', 60);
    await sleep(30);
    s.schedule('a', 'edit', 60);
    s.schedule('a', 'dependency');
    await s.idle();
    assert.equal(runs.length, 1);
    assert.ok(runs[0].at >= 85, `linted ${runs[0].at} ms after the first edit, before the second edit's debounce ended`);
  });

  it('runs edited documents first, then dependency re-lints, each by most recent activity', async () => {
    const runs: string[] = [];
    const s = new LintScheduler({ run: (uri) => runs.push(uri) });
    for (const uri of ['old', 'mid', 'new', 'typed', 'other-typed']) s.touch(uri);
    s.schedule('old', 'dependency');
    s.schedule('new', 'dependency');
    s.schedule('mid', 'dependency');
    s.schedule('other-typed', 'edit');
    s.schedule('typed', 'edit');
    s.touch('typed');
    await s.idle();
    assert.deepEqual(runs, ['typed', 'other-typed', 'new', 'mid', 'old']);
  });

  it('drops the queued lint of a closed document', async () => {
    const runs: string[] = [];
    const s = new LintScheduler({ run: (uri) => runs.push(uri) });
    s.schedule('a', 'edit', 20);
    s.schedule('b', 'edit', 20);
    s.forget('a');
    await s.idle();
    assert.deepEqual(runs, ['b']);
  });

  it('works in slices: other callbacks run between lints', async () => {
    const events: string[] = [];
    const s = new LintScheduler({ run: (uri) => (busy(4), events.push(uri)), sliceMs: 5 });
    for (let i = 0; i < 10; i++) s.schedule(`doc${i}`, 'dependency');
    // Something arriving while the queue works, like a hover request.
    setImmediate(() => events.push('request'));
    await s.idle();
    const at = events.indexOf('request');
    assert.ok(at > 0 && at < 4, `the request waited for ${at} lints: ${events.join(' ')}`);
  });

  it('lets pending messages be handled before the next slice', async () => {
    const events: string[] = [];
    const s = new LintScheduler({ run: (uri) => events.push(uri), sliceMs: 0 });
    s.schedule('a', 'dependency');
    s.schedule('b', 'dependency');
    // Messages handled one per event-loop turn, as the JSON-RPC layer does.
    let left = 5;
    const message = () => {
      s.noteMessage();
      events.push('message');
      if (--left) setImmediate(message);
    };
    message();
    await s.idle();
    const firstLint = events.findIndex((e) => e !== 'message');
    assert.equal(firstLint, 5, events.join(' '));
  });

  it('a lint that throws does not stop the queue', async () => {
    const runs: string[] = [];
    const s = new LintScheduler({
      run: (uri) => {
        runs.push(uri);
        if (uri === 'bad') throw new Error('boom');
      },
    });
    s.touch('bad');
    s.schedule('good', 'dependency');
    s.schedule('bad', 'dependency');
    await s.idle();
    assert.deepEqual(runs, ['bad', 'good']);
  });
});
