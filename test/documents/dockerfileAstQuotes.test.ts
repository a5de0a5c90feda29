/**
 * The property patches (server/src/documents/dockerfileAstProperties.ts) read quoted values and
 * arguments (`ENV A="b c"`, `ENV LANG='x' LC='y'`) and the `ENV name value...` form without the
 * library's character loops when they are on one line. These texts mix quotes of both kinds,
 * blanks, tabs, `=`, `#`, `$` and the escape characters into ENV, ARG and LABEL instructions, and
 * every accessor must give the library's answer (values, ranges, properties).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSameParse } from './dockerfileAstSnapshot';
import { seededRandom } from '../support/loadWorkload';

const HAND_WRITTEN = [
  // Quoted values: closed, never closed, lone quotes, empty, the other quote inside, quotes then text.
  'FROM a\nENV A="b c" D=\'e f\' G="" H=\'\' I=" J=\'\nENV K="x\'y" L=\'x"y\' M="a"b N=a"b c"d O="a""b c"\n',
  'FROM a\nENV P="unclosed value\nENV Q=\'unclosed value\nENV "R"=1 \'S\'=2 "T=3" U"=4\nARG V="1 2"\nLABEL w="x y" z=\'#1\'\n',
  // A tab after a closing quote (the library goes on to the tab, a space ends it at the quote).
  'FROM a\nENV A="b"\tC=d\nENV E="f" G=h\nENV I="j"\t\nENV K=\'l\'  \t M=n\n',
  // `ENV name value...`: two and more arguments, quoted, tabs, trailing blanks, a lone quote.
  'FROM a\nENV A b\nENV A b c  d\t\te\nENV A "b c" d\nENV "A" \'b\'\nENV A " b\nENV A \'\nENV A \t"b"\t\n',
  // The same over continuation lines, with `${` and with escape characters: the library answers.
  'FROM a\nENV A b \\\n  c\nENV A="b \\\n c"\nENV A ${B:-"c d"} e\nENV A="b\\"c"\nENV A \\"b\\"\n',
  '# escape=`\nFROM a\nENV A "b\\c" d\nENV A="b`"c"\nENV A \'b` c\'\n',
  // CRLF and lone-CR line ends.
  'FROM a\r\nENV A "b c"\r\nENV D=\'e\'\rENV F g h\r\nARG I="j"\r\n',
];

describe('quoted and spaced properties read without the library loops', () => {
  it("give the library's parse on hand-written texts", () => {
    for (const text of HAND_WRITTEN) assertSameParse(text);
  });

  it("give the library's parse on random one-line and multi-line property instructions", () => {
    const rnd = seededRandom(33);
    const keywords = ['ENV ', 'ARG ', 'LABEL ', 'ENV\t', 'env '];
    const pieces = [' ', ' ', '\t', '"', '"', "'", "'", '=', '=', 'a', 'b', 'cd', '#', '$', '${x}', '\\', '`', '\n', '\r\n', 'x y'];
    let compared = 0;
    for (let n = 0; n < 6000; n++) {
      let text = (rnd() < 0.1 ? '# escape=`\n' : '') + 'FROM a\n';
      for (let k = 0; k < 3; k++) {
        text += keywords[Math.floor(rnd() * keywords.length)];
        const length = 1 + Math.floor(rnd() * 14);
        // Most instructions stay on one line (the patched path): line breaks only in one text of four.
        const multiline = rnd() < 0.25;
        for (let i = 0; i < length; i++) {
          const piece = pieces[Math.floor(rnd() * pieces.length)];
          if (!multiline && (piece === '\n' || piece === '\r\n' || piece === '\\' || piece === '`')) continue;
          text += piece;
        }
        text += '\n';
      }
      try {
        assertSameParse(text);
      } catch (err) {
        throw new Error(`random text ${n} ${JSON.stringify(text)} parses differently: ${(err as Error).message.slice(0, 2000)}`);
      }
      compared++;
    }
    assert.equal(compared, 6000);
  });
});
