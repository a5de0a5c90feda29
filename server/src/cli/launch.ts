/**
 * What `bin/bulkhead.js` runs: the CLI bundle (dist/cli.js, beside this file once built), loaded
 * through the compile cache (./compileCache). Its own small bundle, so that loading it costs
 * nothing next to what the cache saves.
 */
import * as path from 'node:path';
import { cacheTag, compileCacheDir, loadBundle } from './compileCache';

export function launch(): void {
  const loaded = loadBundle(path.join(__dirname, 'cli.js'), compileCacheDir(process.env), cacheTag(process.argv));
  if (process.env.BULKHEAD_DEBUG_COMPILE_CACHE) process.stderr.write(`bulkhead: compile cache ${loaded.cache}\n`);
  (loaded.exports as { main(): void }).main();
}
