/** The Dockerfile model caches dockerfile-ast's accessors: a cached answer must never depend on call order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Instruction } from 'dockerfile-ast';
import { DockerfileParser } from 'dockerfile-ast';
import { DockerfileModel } from '../../server/src/documents/dockerfile';

/** getRawArguments is private in the typings, but dockerfile-ast's own methods (toString...) call it. */
type Raw = Pick<Instruction, 'getArguments' | 'getRawArgumentsContent' | 'toString'> & { getRawArguments(): { getValue(): string }[] };
const values = (args: { getValue(): string }[]) => args.map((a) => a.getValue());

describe('DockerfileModel accessor cache', () => {
  const TEXT = 'FROM alpine\nCOPY --from=build --chown=1 /a /b\nRUN --mount=type=secret,id=t cat /run/secrets/t\n';

  it('raw arguments keep their flags after getArguments has been asked (it shifts flags off a list)', () => {
    for (const index of [1, 2]) {
      const first = new DockerfileModel(TEXT).instructions()[index] as unknown as Raw;
      const args = values(first.getArguments());
      const raw = values(first.getRawArguments());
      const fresh = new DockerfileModel(TEXT).instructions()[index] as unknown as Raw;
      assert.deepEqual(raw, values(fresh.getRawArguments()), 'same raw arguments whatever was asked first');
      assert.ok(raw.length > args.length && raw[0].startsWith('--'));
      assert.equal(first.toString(), fresh.toString());
      assert.equal(first.getRawArgumentsContent(), fresh.getRawArgumentsContent());
    }
  });

  it('a caller changing a returned list does not change the next answer', () => {
    const run = new DockerfileModel(TEXT).instructions()[2];
    run.getArguments().length = 0;
    assert.deepEqual(values(run.getArguments()), ['cat', '/run/secrets/t']);
  });

  it("flags asked first or arguments asked first: both answers equal the library's own", () => {
    const text =
      'FROM --platform=linux/amd64 alpine AS a\nHEALTHCHECK --interval=5s --timeout=3s CMD true\nADD --chmod=644 x /y\nCOPY --link a b\nRUN --network=none echo\nWORKDIR --odd /w\n';
    type Flagged = Instruction & { getFlags?: () => { getName(): string }[] };
    const library = DockerfileParser.parse(text).getInstructions() as Flagged[];
    for (const flagsFirst of [true, false]) {
      const model = new DockerfileModel(text).instructions() as Flagged[];
      model.forEach((instr, i) => {
        const flagNames = () => instr.getFlags?.().map((f) => f.getName());
        const argValues = () => values(instr.getArguments());
        let flags: string[] | undefined;
        let args: string[];
        if (flagsFirst) {
          flags = flagNames();
          args = argValues();
        } else {
          args = argValues();
          flags = flagNames();
        }
        assert.deepEqual(
          flags,
          library[i].getFlags?.().map((f) => f.getName()),
          `${text.split('\n')[i]}: flags`,
        );
        assert.deepEqual(args, values(library[i].getArguments()), `${text.split('\n')[i]}: arguments`);
        assert.deepEqual(values(instr.getArguments()), args, 'the cached answer is the same');
      });
    }
  });
});
