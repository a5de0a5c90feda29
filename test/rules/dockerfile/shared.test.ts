import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitCommands, words, programIndex } from '../../../rules/dockerfile/shared';

const texts = (s: string): string[] => splitCommands(s).map((c) => c.text.trim());

describe('dockerfile shared: splitCommands', () => {
  it('splits on operators and keeps quotes together', () => {
    assert.deepEqual(texts('a && b || c; d | e'), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(texts('echo "a | b; c" && d'), ['echo "a | b; c"', 'd']);
  });
  it('treats case patterns as patterns, not pipes', () => {
    const cmds = splitCommands('case "$arch" in x86_64 | amd64) a=1 ;; arm64|aarch64) b | c ;; *) exit 1 ;; esac');
    assert.deepEqual(
      cmds.filter((c) => c.next === '|').map((c) => c.text.trim()),
      ['b'],
    );
  });
  it('keeps redirections with & in one command', () => {
    assert.deepEqual(texts('make 2>&1 | tee log'), ['make 2>&1', 'tee log']);
  });
  it('finds the program after assignments, wrappers and keywords', () => {
    const ws = words('if DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y x');
    assert.equal(ws[programIndex(ws)].value, 'apt-get');
  });
});
