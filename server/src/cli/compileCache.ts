/**
 * Loads the CLI bundle through V8's code cache, so a repeated `bulkhead` run does not compile its
 * megabyte of JavaScript again. Without a cache, V8 parses the whole bundle at start and compiles
 * every function the first time it runs: on a scan of the 311 corpus Dockerfiles that was about a
 * tenth of the process. The cache holds the bytecode of every function the run that wrote it
 * compiled, so the next run of the same command skips those compilations too. It is what Node 22's
 * `module.enableCompileCache()` does (TypeScript's `tsc` turns that on); Node 20, which Bulkhead
 * supports, has only the `vm` primitives, so this does it with them, the same way on every version.
 *
 * The cache is code the process runs, so it is kept where only the user can write: a directory in
 * the user's cache folder, created 0700, used only when it is owned by the user and not writable by
 * group or others (a shared temporary folder would let another local user plant bytecode). Files
 * are opened without following links, checked the same way, bounded in size, and written to a
 * temporary name and renamed, so concurrent runs never read half a file. A cache is named by the
 * bundle's path and size, the Node version, the architecture and the command, and it holds a copy of
 * the bundle it was made from: it is used only when that copy is byte for byte the bundle being run
 * (V8's own check compares only the source's length). Comparing the copy costs a read and a memcmp;
 * the SHA-256 of the bundle this used to compute cost more than that, and loading node:crypto for it
 * more again (about a tenth of a one-file scan), which nothing else a scan does needs. V8 rejects a
 * cache built with other flags, and a rejected or unreadable cache only means compiling as usual.
 * `BULKHEAD_NO_COMPILE_CACHE=1` turns it off.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { hash64 } from './fingerprint';

/** Larger than any cache of the bundle (a copy of it and V8's data, about as big); a bigger file is not ours. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** A cache file: this, the bundle's length in bytes (32 bits, little-endian), the bundle, V8's data. */
const MAGIC = Buffer.from('bulkhead-v8cache-1\n');
const HEADER_BYTES = MAGIC.length + 4;
/** Caches kept in the folder (versions, commands); the oldest beyond this are removed. */
const MAX_CACHE_FILES = 16;
/** One cache per command: each compiles different functions (a scan's rules, the map's layout). */
const COMMANDS = new Set(['scan', 'sbom', 'connectivity', 'netpol', 'paths', 'map', 'rules']);

export interface LoadResult {
  readonly exports: unknown;
  /** What happened to the cache: for tests and `BULKHEAD_DEBUG_COMPILE_CACHE`. */
  readonly cache: 'off' | 'unusable-folder' | 'written' | 'used' | 'rejected' | 'missing';
}

/** The folder of the cache, or undefined when it is turned off or there is no home folder. */
export function compileCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.BULKHEAD_NO_COMPILE_CACHE) return undefined;
  let base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  if (!base && platform === 'win32') base = env.LOCALAPPDATA;
  if (!base) {
    const home = os.homedir();
    if (!home || !path.isAbsolute(home)) return undefined;
    base = path.join(home, '.cache');
  }
  return path.join(base, 'bulkhead', 'compile-cache');
}

/** The command a cache is kept for: `bulkhead scan …` → `scan`; anything else shares one. */
export function cacheTag(argv: readonly string[]): string {
  const command = argv[2];
  return command !== undefined && COMMANDS.has(command) ? command : 'other';
}

const isPosix = process.platform !== 'win32';

/** The folder exists (created private if not) and only this user can write in it. */
function privateFolder(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    return !isPosix || (st.uid === process.getuid?.() && (st.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

function readPrivateFile(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_CACHE_BYTES) return undefined;
    if (isPosix && (st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0)) return undefined;
    return fs.readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function writePrivateFile(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  const temporary = path.join(dir, `.${process.pid}-${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      fs.writeFileSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
    pruneOldest(dir);
  } catch {
    // A full disk or a read-only home: the next run compiles as this one did.
    fs.rmSync(temporary, { force: true });
  }
}

/** Keeps the newest caches, and removes temporary files a killed run left (older than an hour). */
function pruneOldest(dir: string): void {
  const caches: { file: string; mtime: number }[] = [];
  const staleBefore = Date.now() - 3600_000;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const mtime = fs.lstatSync(file).mtimeMs;
    if (name.endsWith('.v8cache')) caches.push({ file, mtime });
    else if (name.endsWith('.tmp') && mtime < staleBefore) fs.rmSync(file, { force: true });
  }
  if (caches.length <= MAX_CACHE_FILES) return;
  caches.sort((a, b) => b.mtime - a.mtime);
  for (const old of caches.slice(MAX_CACHE_FILES)) fs.rmSync(old.file, { force: true });
}

/**
 * Runs the CommonJS bundle `file` as `require(file)` would and returns its exports, compiling it
 * with the cache in `cacheDir` (none: plain compilation). When there was no usable cache, one is
 * written as the process exits, holding what this run compiled.
 */
export function loadBundle(file: string, cacheDir: string | undefined, tag: string): LoadResult {
  const bundle = fs.readFileSync(file);
  const source = bundle.toString('utf8');
  let status: LoadResult['cache'] = 'off';
  let cacheFile: string | undefined;
  let cachedData: Buffer | undefined;
  if (cacheDir !== undefined) {
    if (privateFolder(cacheDir)) {
      // Bundles of one size at one path share a name; the copy inside tells them apart.
      const key = hash64(`${path.resolve(file)}\0${process.version}\0${process.arch}`);
      cacheFile = path.join(cacheDir, `${key}-${bundle.length}-${tag}.v8cache`);
      cachedData = cacheFor(readPrivateFile(cacheFile), bundle);
      status = cachedData ? 'used' : 'missing';
    } else status = 'unusable-folder';
  }
  // The same wrapper Node's loader puts around a CommonJS module, so the bundle sees the usual
  // exports/require/module/__filename/__dirname (it finds its worker and viewer beside itself).
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (cachedData && script.cachedDataRejected) status = 'rejected';
  if (cacheFile !== undefined && status !== 'used') {
    const target = cacheFile;
    // At exit, so the cache holds the functions this run compiled (a fresh one holds only the top level).
    process.once('exit', () => writePrivateFile(target, withHeader(bundle, script.createCachedData())));
  }
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  const loaded = { exports: {} as unknown };
  wrapper.call(loaded.exports, loaded.exports, createRequire(file), loaded, file, path.dirname(file));
  return { exports: loaded.exports, cache: status };
}

/** V8's data in a cache file, when the file is one and holds a copy of exactly `bundle`. */
function cacheFor(cache: Buffer | undefined, bundle: Buffer): Buffer | undefined {
  if (cache === undefined || cache.length < HEADER_BYTES + bundle.length) return undefined;
  if (!cache.subarray(0, MAGIC.length).equals(MAGIC) || cache.readUInt32LE(MAGIC.length) !== bundle.length) return undefined;
  if (!cache.subarray(HEADER_BYTES, HEADER_BYTES + bundle.length).equals(bundle)) return undefined;
  return cache.subarray(HEADER_BYTES + bundle.length);
}

/** A cache file's content: the header, a copy of `bundle`, then V8's `data`. */
function withHeader(bundle: Buffer, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(bundle.length);
  return Buffer.concat([MAGIC, length, bundle, data]);
}
