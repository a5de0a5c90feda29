/**
 * The parser's line scan is patched to advance by searches (server/src/documents/dockerfileAstParser.ts:
 * a keyword's end, the next line break or escape character, the blanks after a line continuation,
 * a comment's line break) and the tokenisation takes a whole argument in one slice
 * (dockerfileAstTokens.ts). Each must give the library's parse on the texts where a search could
 * stop somewhere the library's character loop would not: keywords interrupted by an escape or
 * ending the text, continuations with trailing blanks, empty and comment lines inside them, both
 * escape characters, CRLF and lone CR, heredocs, unicode, unterminated quotes. Hand-written texts
 * first, then seeded random texts built from those pieces.
 */
import { describe, it } from 'node:test';
import { assertSameParse } from './dockerfileAstSnapshot';
import { seededRandom } from '../support/loadWorkload';

const ODD = [
  // keywords: ending the text, ending a line, interrupted by an escape (with and without blanks
  // before the line break), holding `#`, lower case, followed by a tab
  'RUN',
  'FROM a\nRUN',
  'FROM a\nRUN\n',
  'FROM a\r\nRUN\r\nCMD\r',
  'FROM a\nRU\\\nN echo\nEN\\  \nV a=b\nRU\\N x\nR\\ x\nRUN\\',
  'FROM a\nRU#N x\n#RUN y\nrun\tz\n  \tCMD\ta\n',
  '# escape=`\nFROM a\nRU`\nN echo `\n b\nEN` \nV a=b\nCM`D x\nRUN`',
  // continuations: trailing blanks after the escape, empty lines, comment lines, indentation,
  // an escape at the very end, escapes inside words, before a blank, doubled
  'FROM a\nRUN a \\  \n  b \\\t\n\n\n  c \\\n  # comment \\\n  d\\\n  e\\ f \\\\ g\\\nh',
  'FROM a\nRUN a \\\n\t\t\n  \n  b\nRUN x\\',
  'FROM a\nRUN a \\\n# c1\n# c2 \\\n   # c3\n  b\nRUN c\\\n#d\ne',
  'FROM a\r\nRUN a \\\r\n  b \\ \r\n  c\r\nRUN d \\\r\n\r\n  # x\r\n  e\r\n',
  'FROM a\rRUN a \\\r  b\rRUN c \\\r# x\r d\r',
  '# escape=`\nFROM a\nRUN a `\n  b ` \n  c `\n  # x `\n  d`\n e `` f\\g\nRUN x`',
  // words ending at an escape, escapes of `$`, quotes left open, brackets, flags
  'FROM a\nRUN a\\b c\\$d "e f \'g\nCMD ["a", "b\nRUN --mount=x \\\n  --y z\nCOPY --from=a b\\\n c\n',
  // heredocs
  'FROM a\nRUN <<EOF cat\nx \\\nEOF\nRUN <<-A <<B\n\tx\n\tA\ny\nB\nCOPY <<X\\\n /f\nX\n',
  // unicode, byte-order mark, comments before and between instructions
  '\ufeff# c\nFROM a\n  # c \\\nRUN é ü 𝄞 \\\n  😀 a\u00a0b\n#\n',
  'FROM a\nRUN a\\\n\n',
];

/** Pieces of the random texts, weighted by repetition. */
const PIECES = [
  'RUN ',
  'RUN',
  'ENV ',
  'FROM a',
  'CMD ',
  'COPY ',
  'R',
  'N',
  ' ',
  ' ',
  '  ',
  '\t',
  '\\',
  '\\',
  '\\\n',
  '\\ \n',
  '`',
  '`\n',
  '\n',
  '\n',
  '\n',
  '\r\n',
  '\r',
  '#',
  '# c',
  'a',
  'b',
  'x=y',
  '$',
  '<<EOF',
  'EOF',
  '"',
  "'",
  '[',
  ']',
  '--f',
  'é',
  '😀',
];

function randomTexts(count: number, seed: number): string[] {
  const next = seededRandom(seed);
  const texts: string[] = [];
  for (let n = 0; n < count; n++) {
    let text = next() < 0.2 ? '# escape=`\n' : '';
    const pieces = 1 + Math.floor(next() * 24);
    for (let p = 0; p < pieces; p++) text += PIECES[Math.floor(next() * PIECES.length)];
    texts.push(text);
  }
  return texts;
}

describe('dockerfile-ast line scan by searches', () => {
  it("gives the library's parse on odd hand-written texts", () => {
    for (const text of ODD) assertSameParse(text);
  });

  it("gives the library's parse on seeded random texts of keywords, escapes, blanks and line breaks", () => {
    for (const text of randomTexts(4000, 29)) {
      try {
        assertSameParse(text);
      } catch (err) {
        throw new Error(`${JSON.stringify(text)}: ${(err as Error).message.slice(0, 2000)}`);
      }
    }
  });
});
