#!/usr/bin/env node
'use strict';
// The CLI lives in the bundle so that `npx bulkhead` starts as fast as the editor's server does.
//
// Compiling the 1 MB bundle is about a fifth of a small scan's time, and the functions compiled
// lazily while it runs cost as much again. V8 can save that work (a code cache) and load it on the
// next run, as Node 22's `module.enableCompileCache()` does; this machine's Node 20 lacks that, so
// the bin does it: the bundle is compiled with the cache of the previous run and, when there was
// none (or V8 refused it), the code compiled during this run is saved at exit for the next one.
//
// Where: a folder of the user's own (`$BULKHEAD_CACHE_DIR`, else `$XDG_CACHE_HOME/bulkhead`, else
// `~/.cache/bulkhead`), created 0700 and used only when it is owned by this user and writable by
// nobody else: code loaded from a cache runs as this program, so nobody else may write it. The
// file is named after the bundle (size, mtime, inode), Bulkhead's and Node's versions and the
// platform; V8 also checks its own version and flags and refuses a cache that does not match.
// Anything that fails (no home, read-only disk, a refused cache) falls back to a plain require.
// `BULKHEAD_COMPILE_CACHE=0` turns it off.
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'cli.js');

function cacheFolder() {
  if (process.env.BULKHEAD_CACHE_DIR) return path.resolve(process.env.BULKHEAD_CACHE_DIR);
  if (process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME)) {
    return path.join(process.env.XDG_CACHE_HOME, 'bulkhead');
  }
  const home = require('node:os').homedir();
  return home ? path.join(home, '.cache', 'bulkhead') : undefined;
}

/** The cache folder, created if missing; undefined unless it is this user's alone. */
function privateFolder(dir) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return undefined;
    if (typeof process.getuid === 'function' && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/** The bundle compiled with the cache of an earlier run, ready to run; undefined when not possible. */
function compileWithCache() {
  const vm = require('node:vm');
  const Module = require('node:module');
  const dir = privateFolder(cacheFolder());
  if (!dir) return undefined;
  const source = fs.readFileSync(bundle, 'utf8');
  const st = fs.statSync(bundle);
  let version = '';
  try {
    version = require('../package.json').version;
  } catch {}
  const key = [version, st.size, Math.trunc(st.mtimeMs), st.ino, process.version, process.arch, process.platform].join('-').replace(/[^\w.-]/g, '_');
  const cacheFile = path.join(dir, `cli-${key}.v8cache`);
  let cachedData;
  try {
    const fd = fs.openSync(cacheFile, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    try {
      cachedData = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {}
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const wrapper = script.runInThisContext();
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => saveCache(script, dir, cacheFile));
  }
  return () => {
    // What `require(bundle)` would do with the compiled wrapper.
    const mod = new Module(bundle, module);
    mod.filename = bundle;
    mod.paths = Module._nodeModulePaths(path.dirname(bundle));
    wrapper.call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
    mod.loaded = true;
    return mod.exports;
  };
}

/** Writes the code compiled during this run, replacing older caches of other bundles. */
function saveCache(script, dir, cacheFile) {
  try {
    const data = script.createCachedData();
    const temp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, cacheFile);
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith('cli-') && name.endsWith('.v8cache') && path.join(dir, name) !== cacheFile) {
        fs.rmSync(path.join(dir, name), { force: true });
      }
    }
  } catch {}
}

let load;
if (process.env.BULKHEAD_COMPILE_CACHE !== '0') {
  try {
    load = compileWithCache();
  } catch {
    load = undefined;
  }
}
(load ? load() : require(bundle)).main();
