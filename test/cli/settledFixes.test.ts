/**
 * A scan's report keeps its fixes as data (server/src/cli/settledFixes.ts): the edits of safe fixes,
 * computed when the file is linted, and no closure over the file's parse, so that no Dockerfile
 * model outlives its file's lint.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import { runScan } from '../../server/src/cli/scan';
import { settle, settleFixes, unsettle } from '../../server/src/cli/settledFixes';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { MemoSlot } from '../../server/src/documents/memo';
import type { LintResult } from '../../server/src/engine/engine';
import type { Fix } from '../../server/src/engine/rule';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

/** `ADD` of a local file (a safe fix: COPY) in an image that never sets USER (an unsafe fix: a USER line). */
const DOCKERFILE = 'FROM alpine:3.20\nADD app.tar.gz /app/\nADD config.json /etc/app/\nCMD ["/app/run"]\n';

describe('settled fixes', () => {
  it('a safe fix keeps its edits, an unsafe one its title only, a failing one its error', () => {
    let calls = 0;
    const safe: Fix = { title: 'Use COPY', applicability: 'safe', edits: () => (calls++, [{ start: 1, end: 4, newText: 'COPY' }]) };
    const unsafe: Fix = { title: 'Add USER', applicability: 'unsafe', edits: () => [{ start: 0, end: 0, newText: 'USER 1000\n' }] };
    const broken: Fix = {
      title: 'Broken',
      applicability: 'safe',
      edits: () => {
        throw new Error('no range');
      },
    };
    const settledSafe = settle(safe);
    assert.deepEqual(settledSafe, { title: 'Use COPY', applicability: 'safe', edits: [{ start: 1, end: 4, newText: 'COPY' }] });
    assert.equal(calls, 1, 'computed once, when settled');
    assert.deepEqual(unsettle(settledSafe, 'x').edits(), [{ start: 1, end: 4, newText: 'COPY' }]);
    assert.equal(calls, 1);
    assert.deepEqual(settle(unsafe), { title: 'Add USER', applicability: 'unsafe' });
    assert.throws(() => unsettle(settle(unsafe), 'are not kept here').edits(), /the edits of unsafe fix "Add USER" are not kept here/);
    assert.deepEqual(settle(broken), { title: 'Broken', applicability: 'safe', error: 'no range' });
    assert.throws(() => unsettle(settle(broken), 'x').edits(), /no range/);
  });

  it('a result without fixes is returned as it is', () => {
    const result = { findings: [], internalErrors: [], kind: 'dockerfile' } as unknown as LintResult;
    assert.equal(settleFixes(result), result);
  });

  it('a scan report holds the safe edits the engine computes, and keeps no Dockerfile model alive', async () => {
    const root = tempWorkspace({ Dockerfile: DOCKERFILE });
    // Every model the scan builds, seen when a rule lists its instructions.
    const models: WeakRef<DockerfileModel>[] = [];
    const instructions = DockerfileModel.prototype.instructions;
    DockerfileModel.prototype.instructions = function (this: DockerfileModel) {
      if (!models.some((m) => m.deref() === this)) models.push(new WeakRef(this));
      return instructions.call(this);
    };
    let report: ReturnType<typeof runScan>;
    try {
      report = runScan({ paths: [root], cwd: root, jobs: 1 });
    } finally {
      DockerfileModel.prototype.instructions = instructions;
      removeWorkspace(root);
    }
    const findings = report.files.flatMap((f) => f.result.findings);
    const add = findings.find((f) => f.ruleId === 'dockerfile-add-instead-of-copy');
    const root_ = findings.find((f) => f.ruleId === 'dockerfile-runs-as-root');
    assert.ok(add && root_, `the two findings: ${findings.map((f) => f.ruleId).join(', ')}`);
    const safe = add.fixes.find((f) => f.applicability === 'safe');
    assert.ok(safe);
    const copyAt = DOCKERFILE.indexOf('ADD config.json');
    assert.deepEqual(safe.edits(), [{ start: copyAt, end: copyAt + 3, newText: 'COPY' }]);
    assert.throws(() => root_.fixes[0].edits(), /are not kept in a scan report; --fix computes them/);
    assert.ok(models.length > 0, 'the scan built a model');
    // WeakRef targets stay alive until the current job ends; then a full collection must free them all.
    await new Promise((resolve) => setImmediate(resolve));
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    assert.deepEqual(
      models.map((m) => m.deref() === undefined),
      models.map(() => true),
      'the report (still held here) keeps no model alive',
    );
    assert.ok(findings.length > 0, 'the report was still held');
  });

  it('a memo slot keeps one answer per owner', () => {
    const slot = new MemoSlot<DockerfileModel, string>();
    const a = new DockerfileModel('FROM a\n');
    const b = new DockerfileModel('FROM b\n');
    slot.set(a, 'a');
    assert.equal(slot.get(a), 'a');
    assert.equal(slot.get(b), undefined);
    assert.equal(new MemoSlot<DockerfileModel, string>().get(a), undefined, 'another slot');
  });
});
