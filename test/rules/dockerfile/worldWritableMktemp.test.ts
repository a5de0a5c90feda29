import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mktempNames } from '../../../rules/dockerfile/worldWritable';

/** What world-writable read before: every name the regex captures. */
function byRegex(text: string): Set<string> {
  return new Set([...text.matchAll(/\b(\w+)=["']?\$\(\s*mktemp\b/g)].map((m) => m[1]));
}

test('mktempNames finds the names the regex captures', () => {
  const cases = [
    'GNUPGHOME="$(mktemp -d)"; export GNUPGHOME',
    "dir=$(mktemp -d) && tmp='$(mktemp)' x=$( \t mktemp) y=$(mktempx) z=$(mktemp_x)",
    'a=$(mktemp)b=$(mktemp) c-d=$(mktemp) =$(mktemp) e="$(mktemp',
    'mktemp_dir=$(mktemp -d) f=$(  mktemp) g=\'$(mktemp) h=""$(mktemp) i=$((mktemp)) j=$(mktemp',
    'x=$(mktemp)mktemp=$(mktemp) k =$(mktemp) l= $(mktemp) é=$(mktemp) _=$(mktemp)',
  ];
  for (const text of cases) assert.deepEqual(mktempNames(text), byRegex(text), text);
  // Random texts over the characters that matter.
  const alphabet = ['a', 'b', '_', '1', '=', '"', "'", '$', '(', ')', ' ', '\t', '\n', 'mktemp', '-', 'é'];
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let n = 0; n < 20000; n++) {
    let text = '';
    const length = next() % 24;
    for (let k = 0; k < length; k++) text += alphabet[next() % alphabet.length];
    assert.deepEqual(mktempNames(text), byRegex(text), JSON.stringify(text));
  }
});
