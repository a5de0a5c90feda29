/**
 * commandsOf reads each command's words through the words cache (by command text), so equal
 * commands of different scripts share one frozen list. The lists must still be what the command
 * says, frozen, and placed by offsets relative to their own command.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandsOf, runScripts } from '../../../rules/dockerfile/shared';
import { DockerfileModel } from '../../../server/src/documents/dockerfile';

describe('dockerfile shared: words shared by equal commands', () => {
  const model = new DockerfileModel('FROM a\nRUN apt-get update && echo "a b" x\nRUN true; echo "a b" x\n');
  const [first, second] = runScripts(model).map(({ script }) => commandsOf(script));
  it('gives equal commands one frozen list, with offsets relative to the command', () => {
    const a = first.find((c) => c.text.trim() === 'echo "a b" x');
    const b = second.find((c) => c.text.trim() === 'echo "a b" x');
    assert.ok(a && b);
    assert.notEqual(a.start, b.start);
    assert.equal(a.words, b.words);
    assert.ok(Object.isFrozen(a.words) && a.words.every((w) => Object.isFrozen(w)));
    assert.deepEqual(
      a.words.map((w) => [w.value, w.raw, a.text.slice(w.start, w.end)]),
      [
        ['echo', 'echo', 'echo'],
        ['a b', '"a b"', '"a b"'],
        ['x', 'x', 'x'],
      ],
    );
    assert.equal(a.program, 0);
  });
});
