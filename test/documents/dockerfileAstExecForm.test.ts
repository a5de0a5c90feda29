/**
 * JSONInstruction's constructor (the class of CMD, ENTRYPOINT, SHELL, RUN, COPY, ADD, VOLUME) is
 * replaced for instructions with flags or an exec form (server/src/documents/dockerfileAstParser.ts,
 * `jsonInstruction`): its exec-form scan takes each run of a quoted string's ordinary characters in
 * one slice. It must give the library's brackets and JSON strings (values, ranges, JSON ranges) on
 * every text: quotes left open or doubled, commas and brackets inside and outside strings, escaped
 * quotes and backslashes, escapes before blanks and line breaks (CRLF, lone CR), `[]` and `[ ]`,
 * flags, both escape characters. Hand-written texts first, then seeded random texts.
 */
import { describe, it } from 'node:test';
import { assertSameParse } from './dockerfileAstSnapshot';
import { seededRandom } from '../support/loadWorkload';

const ODD = [
  'FROM a\nCMD ["a", "b c", "d,e", "[f]"]\nENTRYPOINT ["x"]\nSHELL ["/bin/sh", "-c"]\n',
  'FROM a\nCMD []\nCMD [ ]\nCMD [\nCMD ]\nCMD [,]\nCMD ["a",]\nCMD ["a" "b"]\nCMD ["a"]]\n',
  'FROM a\nCMD ["a\\"b", "c\\\\d", "e\\f", "g\\\rh", "i\\\r\nj"]\n',
  'FROM a\nCMD ["a \\ \n b", "c\\  x", "d"]\nCMD [ \\\n "a", \\ \r\n "b" ]\nCMD ["a" \\ x]\n',
  'FROM a\nCMD ["a\tb  c"]\nCMD ["unterminated\nRUN ["a", \'b\']\nVOLUME ["/a", "/b"]\n',
  'FROM a\nRUN --mount=type=cache ["a"]\nCOPY --from=x ["a", "b"]\nADD --chown=1 a b\nRUN ["é😀", "\u00a0"]\n',
  '# escape=`\nFROM a\nCMD ["a\\"b", `\n "c"]\nCMD ["x` y"]\n',
  'FROM a\r\nCMD ["a",\r\n "b"]\r\nCMD ["c\\',
  'FROM a\nCMD ["a"\\',
  'FROM a\nCMD "a"]\nCMD a, ["b"]\nCMD [[ "a"]\nCMD ["a"[]\n',
];

/** Pieces of the random texts, weighted by repetition. */
const PIECES = [
  'CMD ',
  'CMD ',
  'ENTRYPOINT ',
  'RUN ',
  'COPY --f ',
  'FROM a',
  '[',
  '[',
  ']',
  ']',
  '"',
  '"',
  '"',
  ',',
  ',',
  ' ',
  ' ',
  '\t',
  '\\',
  '\\',
  '\\"',
  '\\\\',
  '\\\n',
  '\\ \n',
  '\\\r\n',
  '`',
  '\n',
  '\n',
  '\r\n',
  '\r',
  'a',
  'bc',
  'é',
  '😀',
  '#',
];

function randomTexts(count: number, seed: number): string[] {
  const next = seededRandom(seed);
  const texts: string[] = [];
  for (let n = 0; n < count; n++) {
    let text = next() < 0.1 ? '# escape=`\n' : '';
    text += next() < 0.5 ? 'CMD [' : '';
    const pieces = 1 + Math.floor(next() * 24);
    for (let p = 0; p < pieces; p++) text += PIECES[Math.floor(next() * PIECES.length)];
    texts.push(text);
  }
  return texts;
}

describe('dockerfile-ast exec-form scan by slices', () => {
  it("gives the library's brackets and JSON strings on odd hand-written texts", () => {
    for (const text of ODD) assertSameParse(text);
  });

  it("gives the library's brackets and JSON strings on seeded random texts", () => {
    for (const text of randomTexts(4000, 30)) {
      try {
        assertSameParse(text);
      } catch (err) {
        throw new Error(`${JSON.stringify(text)}: ${(err as Error).message.slice(0, 2000)}`);
      }
    }
  });
});
