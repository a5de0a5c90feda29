/**
 * The browser bundle's stand-ins for Node built-ins behave as Node's own on the inputs the engine
 * gives them: POSIX paths (against node:path's posix functions) and Buffer's encodings.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import * as nodePath from 'node:path';
import { describe, it } from 'node:test';
import * as shim from '../../server/src/browser/shims/path';
import { type BufferLike, Buffer as BufferShim } from '../../server/src/browser/shims/buffer';
import { fileURLToPath, pathToFileURL } from '../../server/src/browser/shims/url';
import * as zlibShim from '../../server/src/browser/shims/zlib';
import { inflateAhead } from '../../server/src/browser/shims/zlib';

const PACKED = nodePath.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'helm', 'deps', 'charts', 'packed-1.0.0.tgz');

const PATHS = [
  '/',
  '/a',
  '/a/',
  '/a/b/c.yaml',
  '/a//b/../c/./d.Dockerfile',
  'rel/x.yml',
  'x',
  '',
  '.',
  '..',
  '../a/b',
  '/a/b/',
  '/a/b.tar.gz',
  '/.hidden',
  '//double//',
  'a/../../b',
];

describe('browser path shim', () => {
  const unary: [string, (p: string) => unknown, (p: string) => unknown][] = [
    ['dirname', shim.dirname, nodePath.posix.dirname],
    ['basename', (p) => shim.basename(p), (p) => nodePath.posix.basename(p)],
    ['extname', shim.extname, nodePath.posix.extname],
    ['normalize', shim.normalize, nodePath.posix.normalize],
    ['isAbsolute', shim.isAbsolute, nodePath.posix.isAbsolute],
  ];
  for (const [name, ours, node] of unary) {
    it(`${name} as node:path.posix`, () => {
      for (const p of PATHS) assert.deepEqual(ours(p), node(p), `${name}(${JSON.stringify(p)})`);
    });
  }
  it('join, resolve (from /) and relative as node:path.posix', () => {
    for (const a of PATHS) {
      for (const b of ['c', '../d', '/abs/e', '']) {
        assert.equal(shim.join(a, b), nodePath.posix.join(a, b), `join(${a}, ${b})`);
        assert.equal(shim.resolve('/', a, b), nodePath.posix.resolve('/', a, b), `resolve(/, ${a}, ${b})`);
      }
      assert.equal(
        shim.relative('/x/y', nodePath.posix.resolve('/', a)),
        nodePath.posix.relative('/x/y', nodePath.posix.resolve('/', a)),
        `relative(/x/y, ${a})`,
      );
    }
    assert.equal(shim.basename('/a/b.yaml', '.yaml'), 'b');
  });
  it('trailing slashes are trimmed in linear time', () => {
    const long = `/a${'/'.repeat(200000)}`;
    const t0 = process.hrtime.bigint();
    assert.equal(shim.dirname(long), '/');
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 200);
  });
});

describe('browser url and Buffer shims', () => {
  it('file URLs round-trip with spaces and non-ASCII', () => {
    for (const p of ['/a b/c.yaml', '/ü/%/x#y.yaml']) assert.equal(fileURLToPath(pathToFileURL(p).href), p);
  });
  it('Buffer.from and toString as Node', () => {
    for (const s of ['', 'abc', 'é€😀', '\uFEFF']) {
      assert.deepEqual([...BufferShim.from(s, 'UTF-8')], [...Buffer.from(s, 'utf8')]);
      assert.equal(BufferShim.from(s).toString('base64'), Buffer.from(s).toString('base64'));
      assert.equal(BufferShim.from(s).toString('hex'), Buffer.from(s).toString('hex'));
      assert.equal(BufferShim.from(Buffer.from(s).toString('base64'), 'base64').toString(), s);
      assert.equal(BufferShim.from(s).toString('latin1'), Buffer.from(s).toString('latin1'));
      assert.equal((BufferShim.from(s).subarray(1) as BufferLike).toString('hex'), Buffer.from(s).subarray(1).toString('hex'), 'a slice decodes as Buffer');
    }
    assert.deepEqual([...BufferShim.alloc(3)], [0, 0, 0]);
  });

  it('gunzipSync answers from what inflateAhead unpacked, bounded as Node', async () => {
    const gz = new Uint8Array(fs.readFileSync(PACKED));
    const other = Uint8Array.from(gz);
    await inflateAhead(gz, 32 * 1024 * 1024);
    const tar = zlibShim.gunzipSync(gz, { maxOutputLength: 32 * 1024 * 1024 });
    assert.deepEqual(Buffer.from(tar), zlib.gunzipSync(gz));
    assert.equal((tar.subarray(0, 5) as BufferLike).toString('latin1'), zlib.gunzipSync(gz).subarray(0, 5).toString('latin1'));
    assert.throws(() => zlibShim.gunzipSync(gz, { maxOutputLength: 10 }), RangeError);
    assert.throws(() => zlibShim.gunzipSync(other), /not unpacked in the browser/, 'bytes nobody inflated');
    await inflateAhead(other, 100);
    assert.throws(() => zlibShim.gunzipSync(other), RangeError, 'a bomb stops at the bound');
    const notGzip = Uint8Array.of(1, 2, 3);
    await inflateAhead(notGzip, 100);
    assert.throws(() => zlibShim.gunzipSync(notGzip));
  });
});
