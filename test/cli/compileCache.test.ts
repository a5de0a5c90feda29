/**
 * The bin's V8 code cache: saved by a run that had none, used by the next, never changing what the
 * CLI prints, refused when damaged or when the folder is not the user's alone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');
const ARGS = ['scan', 'examples/docker', 'examples/kubernetes', '--format', 'json'];
const folders: string[] = [];
after(() => {
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

function cacheFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-cc-'));
  folders.push(dir);
  return path.join(dir, 'cache');
}

function run(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...ARGS], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.v8cache')) : []);

describe('bin: V8 code cache', () => {
  const plain = run({ BULKHEAD_COMPILE_CACHE: '0' });

  it('the first run saves a cache in a private folder, the second uses it, and both print what a plain run prints', () => {
    const dir = cacheFolder();
    const first = run({ BULKHEAD_CACHE_DIR: dir });
    assert.equal(first.status, plain.status);
    assert.equal(first.stdout, plain.stdout);
    const files = cacheFiles(dir);
    assert.equal(files.length, 1);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(dir, files[0])).mode & 0o777, 0o600);
    const saved = fs.readFileSync(path.join(dir, files[0]));
    assert.ok(saved.length > 100000, `a cache of the whole bundle, not ${saved.length} bytes`);

    const second = run({ BULKHEAD_CACHE_DIR: dir });
    assert.equal(second.stdout, plain.stdout);
    assert.equal(second.stderr, plain.stderr);
    // Accepted, so not written again.
    assert.deepEqual(fs.readFileSync(path.join(dir, files[0])), saved);
  });

  it('a damaged cache is refused by V8, the run is unchanged, and a good cache replaces it', () => {
    const dir = cacheFolder();
    run({ BULKHEAD_CACHE_DIR: dir });
    const [name] = cacheFiles(dir);
    const file = path.join(dir, name);
    const good = fs.readFileSync(file);
    const damaged = Buffer.from(good);
    for (let i = 0; i < damaged.length; i += 97) damaged[i] ^= 0x5a;
    fs.writeFileSync(file, damaged);
    const r = run({ BULKHEAD_CACHE_DIR: dir });
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.status, plain.status);
    const replaced = fs.readFileSync(file);
    assert.notDeepEqual(replaced, damaged);
    assert.ok(replaced.length > 100000);
  });

  it('caches of other bundles are removed when a new one is saved', () => {
    const dir = cacheFolder();
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.writeFileSync(path.join(dir, 'cli-0.0.1-1-2-3-v20.0.0-x64-linux.v8cache'), 'old');
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'kept');
    run({ BULKHEAD_CACHE_DIR: dir });
    assert.equal(cacheFiles(dir).length, 1);
    assert.ok(!cacheFiles(dir).includes('cli-0.0.1-1-2-3-v20.0.0-x64-linux.v8cache'));
    assert.ok(fs.existsSync(path.join(dir, 'unrelated.txt')));
  });

  it('a folder others can write is not used (code loaded from it would run as this program)', () => {
    const dir = cacheFolder();
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o777);
    const r = run({ BULKHEAD_CACHE_DIR: dir });
    assert.equal(r.stdout, plain.stdout);
    assert.deepEqual(cacheFiles(dir), []);
  });

  it('BULKHEAD_COMPILE_CACHE=0 neither reads nor writes a cache; an unusable folder is a plain run', () => {
    const dir = cacheFolder();
    const off = run({ BULKHEAD_CACHE_DIR: dir, BULKHEAD_COMPILE_CACHE: '0' });
    assert.equal(off.stdout, plain.stdout);
    assert.ok(!fs.existsSync(dir));
    const blocker = cacheFolder();
    fs.mkdirSync(path.dirname(blocker), { recursive: true });
    fs.writeFileSync(blocker, 'a file where the folder would be');
    const r = run({ BULKHEAD_CACHE_DIR: blocker });
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.status, plain.status);
  });
});
