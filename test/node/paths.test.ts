/**
 * The path helpers of `server/src/node/files.ts` skip `path`'s normalising loops for paths that are
 * already resolved: they must answer exactly as `path.resolve`, `path.relative`, `path.dirname` and `path.join` do.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { childPath, parentPath, pathBelow, relativePath, resolvePath } from '../../server/src/node/files';

const PATHS = [
  '/',
  '/a',
  '/a/b',
  '/a/b/',
  '/a//b',
  '/a/./b',
  '/a/../b',
  '/a/b/.',
  '/a/b/..',
  '/a/..b',
  '/a/b..',
  '/a/.b',
  '/..a',
  '//a',
  '/a/b/c.d',
  '/w/repo/src/Dockerfile',
  '/w/repo',
  '/w/repo2/x',
  '/w/repo/..x/y',
  '/w',
  '/w/rep',
  '/w/repo/src/a/b/c',
  '/x/y/z',
  '/a/bc',
  '/...',
  '/a/...',
  '/a/.../b',
  '/.x/.',
  '/.x/..',
  '/a/.b/./c',
  '/a/..',
  '/.',
  '/..',
  'a/b',
  './a',
  '../a',
  '.',
  '',
  'a\\b',
  '/a\\b/c',
];

describe('path helpers', () => {
  it('resolvePath is path.resolve', () => {
    for (const p of PATHS) {
      assert.equal(resolvePath(p), path.resolve(p), p);
      for (const base of ['/w/repo', '/', '/w/repo/']) assert.equal(resolvePath(p, base), path.resolve(base, p), `${base} ${p}`);
    }
  });

  it('relativePath is path.relative', () => {
    for (const from of PATHS) for (const to of PATHS) assert.equal(relativePath(from, to), path.relative(from, to), `${from} -> ${to}`);
  });

  it('pathBelow is path.relative for a path inside, undefined or path.relative for one outside', () => {
    for (const from of PATHS) {
      for (const to of PATHS) {
        const rel = path.relative(from, to);
        const inside = rel === '' || (!rel.startsWith('../') && rel !== '..' && !path.isAbsolute(rel));
        const below = pathBelow(from, to);
        if (inside) assert.equal(below, rel, `${from} -> ${to}`);
        else assert.ok(below === undefined || below === rel, `${from} -> ${to}: ${below}`);
      }
    }
  });

  it('parentPath is path.dirname of path.resolve', () => {
    for (const p of PATHS) assert.equal(parentPath(p), path.dirname(path.resolve(p)), p);
  });

  it('childPath is path.join', () => {
    for (const dir of PATHS) {
      for (const name of ['x', 'Dockerfile', '.bulkhead.yaml', '..x', 'x..', '.', '..', '', 'a/b', 'a\\b']) {
        assert.equal(childPath(dir, name), path.join(dir, name), `${dir} + ${name}`);
      }
    }
  });
});
