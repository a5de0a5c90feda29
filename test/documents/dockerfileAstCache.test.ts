/**
 * The argument cache installed on dockerfile-ast's prototypes must change nothing but speed: every
 * Dockerfile of the corpus (and a few hand-written odd ones) is parsed with the library's own
 * accessors and with the cache, and everything the parse exposes is compared: every instruction
 * (ONBUILD triggers included), every zero-argument getter on it and on what those return
 * (arguments, flags and their options, heredocs, variables, properties, JSON strings, ranges).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { From, Instruction } from 'dockerfile-ast';
import { Dockerfile } from 'dockerfile-ast/lib/dockerfile';
import { ImageTemplate } from 'dockerfile-ast/lib/imageTemplate';
import { Parser } from 'dockerfile-ast/lib/parser';
import { Util } from 'dockerfile-ast/lib/util';
import { Property } from 'dockerfile-ast/lib/property';
import { PropertyInstruction } from 'dockerfile-ast/lib/propertyInstruction';
import { Range } from 'vscode-languageserver-types';
import { argumentCacheInstalled, withoutArgumentCache } from '../../server/src/documents/dockerfileAstCache';
import { walk } from '../../server/src/node/files';
import { CORPUS } from '../support/paths';
import { assertSameParse } from './dockerfileAstSnapshot';

const ODD = [
  'FROM alpine\nCOPY --from=build --chown=1 /a /b\nRUN --mount=type=secret,id=t cat /run/secrets/t\n',
  '# escape=`\nFROM windows\nRUN echo a `\n  b `\n# comment\n  c\nCMD ["a", "b`"c"]\n',
  'FROM a\nRUN <<EOF cat\nhello\nEOF\nCOPY <<-X /f\n\tbody\n\tX\nONBUILD RUN --network=none echo $HOME ${A:-b}\n',
  'FROM a\nHEALTHCHECK --interval=5s CMD ["true"]\nENV A=1 B="2 3" \\\n  C=4\nLABEL a=b\nARG X=1\nEXPOSE 80/tcp 443\n',
  'FROM a\nRUN a \\ \n b\\\t\n\nCMD []\nENTRYPOINT [ "x" , \nUSER 1:1\n',
  // Properties: plain ones (read without the library's character loop) and the cases that need it
  // (a keyword over a continuation line leaves the loop in its escaped state, where `#` starts a comment).
  'FROM a\nEN\\\nV #a=b c=d\nEN\\\nV a=b c=d\nENV\ta=1\t\tb=2\t\nENV a b c\nLABEL #x=1 y=#\nENV a=$b c=${d} e="f g"\nARG\nENV   \nARG x=\n',
  // Plain properties' positions are computed from the first argument's: CRLF and lone-CR line
  // ends, a byte-order mark, indented keywords and tabs between arguments.
  '\ufeffENV a=1  b=2\r\nFROM a\r\n  LABEL x=y\tz=w \rARG q\r\n\tENV r=1\t s=2  \r\nENV\r\nENV t=1',
  // RUN, CMD, COPY... built from their tokens unless flags or a bracket or backslash start their
  // arguments (the library's exec-form scan starts there; `]` first is skipped by it).
  'FROM a\nRUN ] ["a"]\nCMD \\[x]\nRUN a--b --c d\nRUN --c d\nCOPY --from=a b c\nRUN\nSHELL ["a"]\nVOLUME /a /b\nENTRYPOINT , x\nADD "a" b\nCMD []\nCMD [ ]\nRUN [ "a" ]\n',
  '# escape=`\nFROM a\nRUN \\[ a `\n  b\nCMD `[x]\nRUN ``a\nCOPY --chown=1 `\n  a b\n',
];

describe('dockerfile-ast argument cache', () => {
  it('is installed when the Dockerfile model loads', () => {
    assert.ok(new DockerfileModel('FROM a\n').instructions().length === 1 && argumentCacheInstalled());
  });

  it('is removed entirely by withoutArgumentCache (the bench times the library as published)', () => {
    const owners: [Record<string, unknown>, string[]][] = [
      [
        Parser.prototype as unknown as Record<string, unknown>,
        ['processArguments', 'createInstruction', 'processComment', 'getParserDirectives', 'processInstruction'],
      ],
      [Util as unknown as Record<string, unknown>, ['isUTF8BOM']],
      [ImageTemplate.prototype as unknown as Record<string, unknown>, ['getRange']],
      [Dockerfile.prototype as unknown as Record<string, unknown>, ['organizeComments']],
      [Instruction.prototype as unknown as Record<string, unknown>, ['getRawArguments']],
      [From.prototype as unknown as Record<string, unknown>, ['getImageRange']],
      [Range as unknown as Record<string, unknown>, ['create']],
      [Property as unknown as Record<string, unknown>, ['getValue']],
      [PropertyInstruction.prototype as unknown as Record<string, unknown>, ['getPropertyArguments', 'getProperties']],
    ];
    const installed = owners.flatMap(([owner, names]) => names.map((name) => owner[name]));
    const library = withoutArgumentCache(() => owners.flatMap(([owner, names]) => names.map((name) => owner[name])));
    library.forEach((fn, i) => assert.notEqual(fn, installed[i], `patch ${i} still in place without the cache`));
    assert.deepEqual(
      owners.flatMap(([owner, names]) => names.map((name) => owner[name])),
      installed,
    );
    assert.ok(String(library[0]).includes('processHeredocs(this.createInstruction('), "the library's processArguments is back");
  });

  it('gives the same parse as the library on odd hand-written Dockerfiles', () => {
    for (const text of ODD) assertSameParse(text);
  });

  it('gives the same parse as the library on every corpus Dockerfile', { skip: !fs.existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
    let compared = 0;
    for (const file of walk(CORPUS)) {
      const base = path.basename(file).toLowerCase();
      if (!base.includes('dockerfile')) continue;
      const text = fs.readFileSync(file, 'utf8');
      try {
        assertSameParse(text);
      } catch (err) {
        throw new Error(`${file} parses differently with the cache: ${(err as Error).message}`);
      }
      compared++;
    }
    assert.ok(compared > 200, `only ${compared} corpus Dockerfiles compared`);
  });
});
