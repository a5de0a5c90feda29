/**
 * The Dockerfile model caches the argument accessors of its instructions (server/src/documents/
 * dockerfile.ts) and reads them through Bulkhead's patches of dockerfile-ast: every cached accessor
 * must answer what the library as published answers for the same instruction, on the first call
 * (computed) and the second (cached), and getHeredocs must answer the library's heredocs or none
 * where the library throws (the model's documented handling). Compared on the corpus, the tests'
 * Dockerfile texts and seeded hostile variants.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { withoutArgumentCache } from '../../server/src/documents/dockerfileAstCache';
import { corpusDockerfiles, testDockerfileTexts } from './dockerfileAstSources';
import { snapshot } from './dockerfileAstSnapshot';
import { hostileVariants } from './dockerfileAstVariants';

const ACCESSORS = ['getArguments', 'getArgumentsRange', 'getArgumentsRanges', 'getArgumentsContent', 'getRawArgumentsContent', 'getFlags', 'getHeredocs'];
/**
 * The rules' usual first questions first: a RUN, CMD, COPY... of the shell form keeps its tokens
 * without Argument objects, and answers these two from them until somebody asks for the list.
 */
const TOKEN_FIRST = [
  'getRawArgumentsContent',
  'getArgumentsRange',
  'getFlags',
  'getArgumentsRange',
  'getHeredocs',
  'getArgumentsContent',
  'getArgumentsRanges',
  'getArguments',
];

function answer(instruction: Instruction, name: string): unknown {
  const method = (instruction as unknown as Record<string, unknown>)[name];
  if (typeof method !== 'function') return 'absent';
  try {
    return snapshot(method.call(instruction), 1);
  } catch (err) {
    // The model reads heredocs the library cannot read as none.
    return name === 'getHeredocs' ? [] : `threw: ${(err as Error).message}`;
  }
}

function compareModel(text: string, order: string[]): void {
  const library = withoutArgumentCache(() =>
    DockerfileParser.parse(text)
      .getInstructions()
      .map((i) => order.map((name) => answer(i, name))),
  );
  const model = new DockerfileModel(text);
  const instructions = model.instructions();
  assert.equal(instructions.length, library.length);
  instructions.forEach((instruction, index) => {
    for (const [k, name] of order.entries()) {
      assert.deepStrictEqual(answer(instruction, name), library[index][k], `${name} of instruction ${index}, computed`);
      assert.deepStrictEqual(answer(instruction, name), library[index][k], `${name} of instruction ${index}, cached`);
    }
  });
}

describe('Dockerfile model accessors', () => {
  it("answer the library's accessors on the corpus, the tests' texts and hostile variants", () => {
    const corpus = [...corpusDockerfiles().values()];
    const testTexts = testDockerfileTexts();
    const texts = [...corpus, ...testTexts, ...hostileVariants([...corpus, ...testTexts], 1500, 1616)];
    for (const [i, text] of texts.entries()) {
      try {
        compareModel(text, ACCESSORS);
        compareModel(text, TOKEN_FIRST);
      } catch (err) {
        throw new Error(`text ${i} (${JSON.stringify(text.slice(0, 300))}): ${(err as Error).message.slice(0, 3000)}`);
      }
    }
  });
});
