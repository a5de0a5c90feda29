/** The Dockerfile model caches dockerfile-ast's accessors: a cached answer must never depend on call order. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Instruction } from 'dockerfile-ast';
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
});
