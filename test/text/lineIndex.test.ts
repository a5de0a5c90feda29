/**
 * LineIndex against a reference built the obvious way (a split on CRLF, CR and LF): line starts,
 * positions and offsets for texts with LF only (the indexOf path), CRLF, lone CR, mixed breaks,
 * no break at all, and breaks at either end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex } from '../../server/src/text/lineIndex';

const TEXTS = ['', 'a', '\n', 'a\nb\n', '\n\na', 'a\r\nb\r\n', 'a\rb\rc', 'a\r\n\rb\n\r\nc\r', '\r', '\r\n', 'FROM a\nRUN b \\\n  c\n', 'é\n😀\r\nx'];

function referenceStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  return starts;
}

describe('LineIndex', () => {
  for (const text of TEXTS) {
    it(`agrees with the reference on ${JSON.stringify(text)}`, () => {
      const index = new LineIndex(text);
      const starts = referenceStarts(text);
      assert.equal(index.lineCount, starts.length);
      starts.forEach((start, line) => assert.equal(index.lineStart(line), start));
      for (let offset = 0; offset <= text.length; offset++) {
        const line = starts.filter((s) => s <= offset).length - 1;
        assert.deepEqual(index.positionAt(offset), { line, character: offset - starts[line] });
        // Between the CR and the LF of a CRLF is no position of its own (LSP clamps it to the line's end).
        if (!(text[offset - 1] === '\r' && text[offset] === '\n')) assert.equal(index.offsetAt(index.positionAt(offset)), offset);
      }
    });
  }
});
