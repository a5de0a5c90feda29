/**
 * The YAML file layer on hostile input: blank-chunk detection and the duplicate-key check are linear
 * (the regex and the library check they replace were exponential and quadratic), and agree with
 * what they replace on ordinary input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { duplicateKeysOf, isBlankChunk, parseChunk } from '../../server/src/documents/yamlFile';
import { runIsolated } from '../support/isolated';

/** The regex isBlankChunk replaced: the reference for what "blank" means. */
const OLD_BLANK = /^(?:\s|#[^\n]*|---|\.\.\.)*$/;

describe('isBlankChunk', () => {
  it('agrees with the definition on ordinary chunks', () => {
    const cases = [
      '',
      '\n',
      '# only a comment\n',
      '---\n# c\n',
      '--- # c\n',
      '...\n',
      '  \t\r\n#x\r\n',
      '\u00a0\n',
      '---\nkind: Pod\n',
      '# c\nkind: Pod',
      '----\n',
      '--\n',
      '#',
      'a',
      ' -',
      '.. .\n',
      '--- ---\n',
      '\ufeff# bom\n',
    ];
    for (const c of cases) assert.equal(isBlankChunk(c), OLD_BLANK.test(c), JSON.stringify(c));
  });

  it('stays linear on comment lines before a document (exponential before)', () => {
    const crlfComments = `${'# a comment\r\n'.repeat(40)}kind: Pod\r\n`;
    const hashes = `${'#'.repeat(60)}\nkind: Pod\n`;
    for (const text of [crlfComments, hashes]) {
      const r = runIsolated(`return load('server/src/documents/yamlFile').isBlankChunk(input);`, text, 10_000);
      assert.ok(r.finished, `isBlankChunk did not finish within 10 s (${r.ms} ms)`);
      assert.equal(r.value, false);
    }
  });
});

describe('duplicate keys', () => {
  it('reports what the yaml library reports, at the same places', () => {
    const cases = [
      'a: 1\nb: 2\na: 3\n',
      'a: {x: 1, x: 2}\n',
      'yes: 1\ntrue: 2\n',
      '1: a\n1.0: b\n"1": c\n',
      '<<: {c: 1}\n<<: {d: 1}\n',
      '? [1]\n: 2\n? [1]\n: 3\n',
      'a:\n  b: 1\n  c:\n    b: 2\n  b: 3\n',
      '~: 1\nnull: 2\n',
      'a: &x 1\n*x : 2\n',
      '- {k: 1}\n- {k: 2, k: 3}\n',
    ];
    for (const text of cases) {
      const library = parseDocument(text, { version: '1.1', prettyErrors: false })
        .errors.filter((e) => e.code === 'DUPLICATE_KEY')
        .map((e) => e.pos[0]);
      const ours = duplicateKeysOf(parseDocument(text, { version: '1.1', uniqueKeys: false })).map((p) => p.start);
      assert.deepEqual(ours, library, text);
    }
  });

  it('checks a mapping of 100,000 keys in linear time (quadratic before: minutes)', () => {
    const text = `metadata:\n  labels:\n${Array.from({ length: 100_000 }, (_, i) => `    k${i}: v\n`).join('')}    k7: again\n`;
    const r = runIsolated(`return load('server/src/documents/yamlFile').parseChunk(input).duplicateKeys.map((d) => d.start);`, text, 20_000);
    assert.ok(r.finished, `parsing did not finish within 20 s (${r.ms} ms) ${r.stderr ?? ''}`);
    const starts = r.value as number[];
    assert.equal(starts.length, 1);
    assert.equal(text.slice(starts[0], starts[0] + 9), 'k7: again');
  });
});

describe('directives', () => {
  it('reports a repeated %YAML directive as a syntax error', () => {
    const parsed = parseChunk('%YAML 1.1\n# why not\n%YAML 1.2\n---\nkind: Pod\n');
    assert.ok(parsed.syntaxError);
    assert.match(parsed.syntaxError.message, /%YAML directive is repeated/);
    assert.equal(parsed.syntaxError.start, '%YAML 1.1\n# why not\n'.length);
  });

  it('accepts one %YAML directive and other directives', () => {
    assert.equal(parseChunk('%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\nkind: Pod\n').syntaxError, undefined);
    assert.equal(parseChunk('kind: Pod\ndata: |\n  %YAML 1.1\n  %YAML 1.1\n').syntaxError, undefined);
  });
});
