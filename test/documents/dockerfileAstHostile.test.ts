/**
 * Bulkhead's patches on dockerfile-ast (server/src/documents/dockerfileAstCache.ts and
 * ./dockerfileAstTokens) must give the library's answers to every accessor, values and ranges,
 * on any text: the repository's Dockerfiles, the Dockerfile texts of the tests, and thousands of
 * seeded hostile mutations of corpus and test Dockerfiles. A difference is a bug in a patch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { lineOffsets } from '../../server/src/documents/dockerfileAstParser';
import { LineIndex } from '../../server/src/text/lineIndex';
import { assertSameParse } from './dockerfileAstSnapshot';
import { corpusDockerfiles, repositoryDockerfiles, testDockerfileTexts } from './dockerfileAstSources';
import { seededRandom } from '../support/loadWorkload';
import { hostileVariants, longLine } from './dockerfileAstVariants';

const SEED = 16;
const VARIANTS = 4000;

function compareAll(texts: Iterable<[string, string]>): number {
  let compared = 0;
  for (const [name, text] of texts) {
    try {
      assertSameParse(text);
    } catch (err) {
      throw new Error(`${name} parses differently with the patches (text ${JSON.stringify(text.slice(0, 2000))}): ${(err as Error).message.slice(0, 4000)}`);
    }
    compared++;
  }
  return compared;
}

describe('dockerfile-ast patches on hostile and hand-written Dockerfiles', () => {
  const testTexts = testDockerfileTexts();

  it("gives the library's parse on the repository's Dockerfiles and the tests' Dockerfile texts", () => {
    const compared = compareAll([...repositoryDockerfiles(), ...testTexts.map((t, i): [string, string] => [`test text ${i}`, t])]);
    assert.ok(compared > 200, `only ${compared} repository and test Dockerfile texts found`);
  });

  it(`gives the library's parse on ${VARIANTS} seeded hostile variants`, () => {
    const sources = [...corpusDockerfiles().values(), ...testTexts];
    const variants = hostileVariants(sources, VARIANTS, SEED);
    assert.equal(compareAll(variants.map((t, i): [string, string] => [`variant ${i} of seed ${SEED}`, t])), VARIANTS);
  });

  it("gives the library's parse on short random texts of the scanner's special characters", () => {
    // Hostile variants start from real Dockerfiles; these mix the characters that change the
    // tokeniser's state (blanks, line breaks, both escape characters, `#`, `$`, heredoc and JSON
    // punctuation) at random, which reaches its rare combinations: an escape character on a comment
    // line of a continuation after blanks, an escaped escape, a comment after an escaped character.
    const rnd = seededRandom(SEED + 2);
    const keywords = ['RUN ', 'FROM ', 'ENV ', 'CMD ', 'COPY ', 'LABEL ', 'ARG ', 'ONBUILD RUN ', 'HEALTHCHECK ', 'ADD '];
    const pieces = [' ', ' ', '\t', '\\', '\\', '\n', '\n', '\r', '#', '#', 'a', 'b', '$', '`', '"', '<<E', 'E', '[', ']', ',', '--f=1', '=', 'RUN ', 'ENV '];
    const texts: [string, string][] = [];
    for (let n = 0; n < 6000; n++) {
      let text = (rnd() < 0.2 ? '# escape=`\n' : '') + keywords[Math.floor(rnd() * keywords.length)];
      const length = 1 + Math.floor(rnd() * 30);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(rnd() * pieces.length)];
      texts.push([`random text ${n}`, text]);
    }
    assert.equal(compareAll(texts), texts.length);
  });

  it("gives the library's parse on instructions thousands of words long", () => {
    const rnd = seededRandom(SEED);
    const texts: [string, string][] = [];
    for (let i = 0; i < 3; i++) texts.push([`long line ${i}`, `FROM a\n${longLine(rnd, 3000)}CMD ["b"]\n`]);
    texts.push(['long CRLF line', texts[0][1].replace(/\n/g, '\r\n')]);
    assert.equal(compareAll(texts), 4);
  });
});

describe('line table of the patched parse', () => {
  it("is vscode-languageserver-textdocument's on line-break odd texts", () => {
    const texts = ['', '\r', '\n', '\r\n', '\n\r', 'a\r\rb\r\n\nc\r', '\r\n\r\n', 'x', 'a\nb', 'a\rb\r'];
    texts.push(...hostileVariants([...corpusDockerfiles().values(), ...texts], 500, SEED + 1));
    for (const text of texts) {
      const document = TextDocument.create('', '', 0, text) as unknown as { getLineOffsets(): number[] };
      assert.deepStrictEqual(lineOffsets(text), document.getLineOffsets(), JSON.stringify(text.slice(0, 200)));
    }
  });

  it("is the table of the model's LineIndex, which answers as one built from the text", () => {
    const texts = ['', '\r', '\n', '\r\n', '\n\r', 'FROM a\r\rRUN b\r\n\nCMD c\r', 'FROM a\nRUN b \\\r\n  c\r\n'];
    texts.push(...hostileVariants([...corpusDockerfiles().values(), ...texts], 300, SEED + 3));
    for (const text of texts) {
      const model = new DockerfileModel(text);
      const fresh = new LineIndex(text);
      const label = JSON.stringify(text.slice(0, 200));
      assert.equal(model.lines.lineCount, fresh.lineCount, label);
      for (let line = 0; line < fresh.lineCount; line++) assert.equal(model.lines.lineStart(line), fresh.lineStart(line), label);
      for (let offset = 0; offset <= text.length; offset += 1 + (offset % 7)) {
        assert.deepStrictEqual(model.lines.positionAt(offset), fresh.positionAt(offset), label);
      }
    }
    // Taken from the parse, not scanned again: the document's own array.
    const text = 'FROM a\nRUN b\n';
    const model = new DockerfileModel(text);
    const parsedTable = (model.ast as unknown as { document: { getLineOffsets(): number[] } }).document.getLineOffsets();
    assert.equal((model.lines as unknown as { lineStarts: number[] }).lineStarts, parsedTable);
  });
});
