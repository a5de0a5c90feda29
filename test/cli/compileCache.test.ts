/**
 * The CLI's compile cache (server/src/cli/compileCache.ts): a second run uses what the first wrote,
 * the cache follows the bundle's content, and a cache another user could have written (a shared
 * folder, a link, a group-writable file) is never run. Each case runs in a child process, because the
 * cache is written as a process exits.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheTag, compileCacheDir } from '../../server/src/cli/compileCache';
import { REPO_ROOT } from '../support/paths';

const MODULE = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'compileCache.js');
const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');
const posix = process.platform !== 'win32';

const temporaries: string[] = [];
after(() => {
  for (const dir of temporaries) fs.rmSync(dir, { recursive: true, force: true });
});
function temporary(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-compile-cache-'));
  temporaries.push(dir);
  return dir;
}

/** A bundle like dist/cli.js: CommonJS, requires a built-in, reads __dirname, exports `main`. */
function bundle(dir: string, greeting: string): string {
  const file = path.join(dir, 'cli.js');
  fs.writeFileSync(
    file,
    `'use strict';\nconst path = require('node:path');\nfunction greet(n) { return ${JSON.stringify(greeting)} + ' ' + n; }\nmodule.exports = { main() { return greet(path.basename(__dirname)) + ' ' + (this === module.exports); } };\n`,
  );
  return file;
}

/** Loads `file` with the cache in `cacheDir` in a fresh process; its status and what `main()` said. */
function load(file: string, cacheDir: string): { cache: string; said: string } {
  const script = `const { loadBundle } = require(${JSON.stringify(MODULE)});
const r = loadBundle(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)}, 'scan');
process.stdout.write(JSON.stringify({ cache: r.cache, said: r.exports.main() }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { cache: string; said: string };
}

const caches = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.v8cache')) : []);

describe('compile cache', () => {
  it('is written by the first run (private folder and file) and used by the next, with the same result', () => {
    const dir = temporary();
    const file = bundle(dir, 'hello');
    const cacheDir = path.join(dir, 'home', '.cache', 'bulkhead');
    assert.deepEqual(load(file, cacheDir), { cache: 'missing', said: `hello ${path.basename(dir)} true` });
    assert.equal(caches(cacheDir).length, 1);
    if (posix) {
      assert.equal(fs.statSync(cacheDir).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(cacheDir, caches(cacheDir)[0])).mode & 0o777, 0o600);
    }
    assert.deepEqual(load(file, cacheDir), { cache: 'used', said: `hello ${path.basename(dir)} true` });
    assert.deepEqual(fs.readdirSync(cacheDir), caches(cacheDir), 'no temporary file is left behind');
  });

  it('follows the content of the bundle, not only its length (which is all V8 compares)', () => {
    const dir = temporary();
    const cacheDir = path.join(dir, 'cache');
    const file = bundle(dir, 'hello');
    load(file, cacheDir);
    bundle(dir, 'HELLO');
    assert.deepEqual(load(file, cacheDir), { cache: 'missing', said: `HELLO ${path.basename(dir)} true` });
    // One bundle of one size at one path has one cache: the new content's replaced the old one's.
    assert.equal(caches(cacheDir).length, 1);
    assert.deepEqual(load(file, cacheDir), { cache: 'used', said: `HELLO ${path.basename(dir)} true` });
    bundle(dir, 'hello');
    assert.deepEqual(load(file, cacheDir), { cache: 'missing', said: `hello ${path.basename(dir)} true` });
  });

  it('is not used for a copy of the bundle damaged after the header, nor for a file cut short', () => {
    const dir = temporary();
    const cacheDir = path.join(dir, 'cache');
    const file = bundle(dir, 'hello');
    load(file, cacheDir);
    const cached = path.join(cacheDir, caches(cacheDir)[0]);
    const data = fs.readFileSync(cached);
    // The copy of the bundle starts after the header: change one of its bytes (the `'` of 'use strict').
    const at = data.indexOf(Buffer.from("'use strict'"));
    assert.ok(at > 0);
    const changed = Buffer.from(data);
    changed[at] = 0x22;
    fs.writeFileSync(cached, changed, { mode: 0o600 });
    assert.equal(load(file, cacheDir).cache, 'missing');
    fs.writeFileSync(cached, fs.readFileSync(cached).subarray(0, at + 5), { mode: 0o600 });
    assert.equal(load(file, cacheDir).cache, 'missing');
    assert.equal(load(file, cacheDir).cache, 'used');
  });

  it('a damaged cache is rejected, the bundle still runs, and a good cache replaces it', () => {
    const dir = temporary();
    const cacheDir = path.join(dir, 'cache');
    const file = bundle(dir, 'hello');
    load(file, cacheDir);
    const cached = path.join(cacheDir, caches(cacheDir)[0]);
    // V8's data comes last, after the header and the copy of the bundle: keep only its first 40 bytes.
    const v8Data = fs.statSync(cached).size - fs.statSync(file).size - 'bulkhead-v8cache-1\n'.length - 4;
    assert.ok(v8Data > 40);
    fs.writeFileSync(cached, fs.readFileSync(cached).subarray(0, fs.statSync(cached).size - v8Data + 40));
    assert.deepEqual(load(file, cacheDir), { cache: 'rejected', said: `hello ${path.basename(dir)} true` });
    assert.equal(load(file, cacheDir).cache, 'used');
  });

  it('a folder others can write to is not used, and nothing is written into it', { skip: !posix && 'POSIX modes' }, () => {
    const dir = temporary();
    const cacheDir = path.join(dir, 'cache');
    const file = bundle(dir, 'hello');
    fs.mkdirSync(cacheDir, { mode: 0o777 });
    fs.chmodSync(cacheDir, 0o777);
    assert.deepEqual(load(file, cacheDir), { cache: 'unusable-folder', said: `hello ${path.basename(dir)} true` });
    assert.deepEqual(caches(cacheDir), []);
  });

  it('a folder that is a link is not used', { skip: !posix && 'POSIX links' }, () => {
    const dir = temporary();
    const real = path.join(dir, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    const cacheDir = path.join(dir, 'cache');
    fs.symlinkSync(real, cacheDir);
    assert.equal(load(bundle(dir, 'hello'), cacheDir).cache, 'unusable-folder');
    assert.deepEqual(caches(real), []);
  });

  it('a cache file that is a link, or that group or others can write, is never read', { skip: !posix && 'POSIX modes' }, () => {
    const dir = temporary();
    const cacheDir = path.join(dir, 'cache');
    const file = bundle(dir, 'hello');
    load(file, cacheDir);
    const cached = path.join(cacheDir, caches(cacheDir)[0]);
    fs.chmodSync(cached, 0o666);
    assert.equal(load(file, cacheDir).cache, 'missing', 'a world-writable cache is ignored (and replaced)');
    assert.equal(fs.statSync(cached).mode & 0o777, 0o600);
    const elsewhere = path.join(dir, 'planted.v8cache');
    fs.renameSync(cached, elsewhere);
    fs.symlinkSync(elsewhere, cached);
    assert.equal(load(file, cacheDir).cache, 'missing', 'a link is not followed');
  });

  it('keeps a bounded number of caches, dropping the oldest, and clears what killed runs left', () => {
    const dir = temporary();
    const cacheDir = path.join(dir, 'cache');
    fs.mkdirSync(cacheDir, { mode: 0o700 });
    const old = Date.now() / 1000 - 3600;
    for (let i = 0; i < 20; i++) {
      const f = path.join(cacheDir, `old${i}-scan.v8cache`);
      fs.writeFileSync(f, 'x', { mode: 0o600 });
      fs.utimesSync(f, old + i, old + i);
    }
    fs.writeFileSync(path.join(cacheDir, '.1-2.tmp'), 'left by a killed run', { mode: 0o600 });
    fs.utimesSync(path.join(cacheDir, '.1-2.tmp'), old, old);
    fs.writeFileSync(path.join(cacheDir, '.3-4.tmp'), 'being written right now', { mode: 0o600 });
    load(bundle(dir, 'hello'), cacheDir);
    assert.deepEqual(
      fs.readdirSync(cacheDir).filter((n) => n.endsWith('.tmp')),
      ['.3-4.tmp'],
      'stale temporary files go, fresh ones stay',
    );
    const left = caches(cacheDir);
    assert.equal(left.length, 16);
    assert.ok(!left.includes('old0-scan.v8cache') && left.includes('old19-scan.v8cache'));
  });

  it('lives in the user cache folder, never a relative one, and BULKHEAD_NO_COMPILE_CACHE turns it off', () => {
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), path.join('/x/cache', 'bulkhead', 'compile-cache'));
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: 'relative', HOME: os.homedir() }, 'linux'), path.join(os.homedir(), '.cache', 'bulkhead', 'compile-cache'));
    assert.equal(compileCacheDir({ XDG_CACHE_HOME: '/x/cache', BULKHEAD_NO_COMPILE_CACHE: '1' }, 'linux'), undefined);
    assert.equal(cacheTag(['node', 'bulkhead', 'scan', '.']), 'scan');
    assert.equal(cacheTag(['node', 'bulkhead', '--version']), 'other');
    assert.equal(cacheTag(['node', 'bulkhead', 'constructor']), 'other');
  });

  it('bulkhead scan reports the same with and without the cache', () => {
    const dir = temporary();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM ubuntu:latest\nRUN curl -k https://x.example/i.sh | sh\n');
    const run = () => {
      const r = spawnSync(process.execPath, [BIN, 'scan', dir, '--format', 'json'], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, XDG_CACHE_HOME: path.join(dir, 'xdg'), BULKHEAD_DEBUG_COMPILE_CACHE: '1', BULKHEAD_NO_COMPILE_CACHE: '' },
      });
      return { status: r.status, stdout: r.stdout, cache: /compile cache (\S+)/.exec(r.stderr)?.[1] };
    };
    const first = run();
    const second = run();
    assert.equal(first.cache, 'missing');
    assert.equal(second.cache, 'used');
    assert.equal(first.status, 1);
    assert.ok(first.stdout.includes('dockerfile-'), first.stdout);
    assert.deepEqual({ ...second, cache: '' }, { ...first, cache: '' });
  });
});
