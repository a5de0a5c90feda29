/** Bytes to text: BOMs, UTF-16, and the binary test (a NUL in the first 8 KB, as git decides). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBytes } from '../../server/src/text/decode';
import { baseName, kindImpliedByPath } from '../../server/src/documents/classify';

describe('decodeBytes', () => {
  it('reads UTF-8 with and without a BOM, and UTF-16 with one', () => {
    assert.deepEqual(decodeBytes(Buffer.from('FROM a\n')), { kind: 'text', text: 'FROM a\n', bom: false, encoding: 'utf-8' });
    assert.deepEqual(decodeBytes(Buffer.from('\uFEFFFROM a\n')), { kind: 'text', text: 'FROM a\n', bom: true, encoding: 'utf-8' });
    assert.deepEqual(decodeBytes(Buffer.from('\uFEFFFROM é\n', 'utf16le')), { kind: 'text', text: 'FROM é\n', bom: true, encoding: 'utf-16le' });
    // Each call starts afresh: a cut multi-byte character does not carry over to the next file.
    assert.equal((decodeBytes(Buffer.from([0x61, 0xc3])) as { text: string }).text, 'a\uFFFD');
    assert.equal((decodeBytes(Buffer.from([0xa9, 0x62])) as { text: string }).text, '\uFFFDb');
  });

  it('skips a file with a NUL in its first 8 KB, and only then', () => {
    const at = (offset: number, length = 10000) => {
      const bytes = Buffer.alloc(length, 0x61);
      if (offset >= 0) bytes[offset] = 0;
      return decodeBytes(bytes).kind;
    };
    assert.equal(at(0), 'skipped');
    assert.equal(at(8191), 'skipped');
    assert.equal(at(8192), 'text');
    assert.equal(at(-1), 'text');
    assert.equal(at(4, 5), 'skipped');
    assert.equal(decodeBytes(Buffer.alloc(0)).kind, 'text');
    // After a BOM, the 8 KB are counted from the text.
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.alloc(8192, 0x61), Buffer.from([0])]);
    assert.equal(decodeBytes(bom).kind, 'text');
  });
});

describe('file names', () => {
  it('baseName is what follows the last slash or backslash', () => {
    assert.equal(baseName('/a/b/Dockerfile'), 'Dockerfile');
    assert.equal(baseName('C:\\a\\b\\Dockerfile'), 'Dockerfile');
    assert.equal(baseName('a\\b/c'), 'c');
    assert.equal(baseName('a/b\\c'), 'c');
    assert.equal(baseName('Dockerfile'), 'Dockerfile');
    assert.equal(baseName('/a/b/'), '');
    assert.equal(baseName(''), '');
  });

  it('kindImpliedByPath reads the base name', () => {
    assert.equal(kindImpliedByPath('/x/kustomization.yaml'), 'Kustomization');
    assert.equal(kindImpliedByPath('x\\Kustomization'), 'Kustomization');
    assert.equal(kindImpliedByPath('/x/kustomization.yaml/y'), undefined);
  });
});
