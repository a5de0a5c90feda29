/**
 * ASSIGNMENT (server/src/secrets/shell.ts) finds `NAME=value` words from each `=`, reading the name back
 * with a lookbehind. It must find exactly what the regex it replaced found: the same names and values,
 * at the same offsets, in the same order (overlaps included: a later `=` inside a value is not a match).
 * Compared on every corpus file and on generated command lines.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { walk } from '../../server/src/node/files';
import { ASSIGNMENT } from '../../server/src/secrets/shell';
import { CORPUS } from '../support/paths';
import { seededRandom } from '../support/loadWorkload';

/** The regex ASSIGNMENT replaced (tried at every blank). */
const OLD_ASSIGNMENT = /(?:^|[\s;&|(])(?:export\s+)?([A-Za-z_][\w]*)=(["']?)([^\s'";&|]+)/g;

/** What the secrets scan reads of each match: the name, the value and the value's offset. */
function matches(re: RegExp, text: string): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(`${m[1]}|${m[3]}|${m.index + m[0].length - m[3].length}`);
  return out;
}

const PIECES = [
  'A',
  'a_b',
  '_x',
  '9',
  'PASS',
  'export',
  'export ',
  'exportX',
  '=',
  '==',
  ' K=',
  'B=v',
  ';C="w"',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\u2028',
  ';',
  '&',
  '&&',
  '|',
  '(',
  ')',
  '$(',
  '"',
  "'",
  '-',
  '--opt=',
  'x.y',
  '/',
  'é',
  '$V',
  '${V}',
];

describe('ASSIGNMENT', () => {
  it('finds what the old regex found on every corpus file', { skip: fs.existsSync(CORPUS) ? false : `no corpus at ${CORPUS}` }, () => {
    let compared = 0;
    for (const file of walk(CORPUS)) {
      const text = fs.readFileSync(file, 'utf8');
      assert.deepEqual(matches(ASSIGNMENT, text), matches(OLD_ASSIGNMENT, text), file);
      compared++;
    }
    assert.ok(compared > 300);
  });

  it('finds what the old regex found on generated command lines', () => {
    const random = seededRandom(31);
    let found = 0;
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 24);
      for (let k = 0; k < length; k++) text += PIECES[Math.floor(random() * PIECES.length)];
      const expected = matches(OLD_ASSIGNMENT, text);
      found += expected.length;
      assert.deepEqual(matches(ASSIGNMENT, text), expected, JSON.stringify(text));
    }
    assert.ok(found > 10_000, `${found}`);
  });
});
