/** The browser bundle's `node:crypto` shim hashes exactly as Node does (Helm's sha256sum/sha1sum). */
import assert from 'node:assert/strict';
import { createHash as nodeHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { createHash } from '../../server/src/browser/shims/crypto';

describe('browser crypto shim', () => {
  const inputs = [
    '',
    'abc',
    'a'.repeat(55),
    'a'.repeat(56),
    'a'.repeat(64),
    'x'.repeat(1000),
    'héllo wörld ✓ 𝄞',
    'The quick brown fox jumps over the lazy dog',
  ];
  for (const algorithm of ['sha256', 'sha1'] as const) {
    it(`${algorithm} matches node:crypto (hex and base64, block boundaries, UTF-8)`, () => {
      for (const text of inputs) {
        assert.equal(createHash(algorithm).update(text).digest('hex'), nodeHash(algorithm).update(text).digest('hex'), JSON.stringify(text.slice(0, 20)));
        assert.equal(createHash(algorithm).update(text).update('tail').digest('base64'), nodeHash(algorithm).update(text).update('tail').digest('base64'));
      }
    });
  }
  it('refuses other algorithms instead of hashing wrongly', () => {
    assert.throws(() => createHash('md5'), /not available/);
  });
});
