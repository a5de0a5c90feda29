/**
 * What `bin/bulkhead.js` runs: the CLI bundle (dist/cli.js, beside this file once built), loaded
 * through the compile cache (./compileCache). Its own small bundle, so that loading it costs
 * nothing next to what the cache saves.
 */
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { cacheTag, compileCacheDir, loadBundle } from './compileCache';

/**
 * How many times a function must use up V8's interrupt budget before V8 considers optimising it
 * (V8's default: 3, plus one per 150 bytes of bytecode). A `bulkhead` run is short: most of its
 * functions run a few hundred times, once per file or instruction, and with the default V8 compiled
 * about a hundred of them with TurboFan on another thread, threw some away when a rarer branch ran,
 * and compiled them again, for code the run barely used: a third of the instructions of a scan of the
 * 311 corpus Dockerfiles, and with two cores the compiler thread competes with the scan's own. At 12,
 * only the functions that run far more often than that (the YAML and Dockerfile tokenisers on large
 * inputs) are optimised. Measured in one sitting, 11 alternating rounds: the Dockerfile scan took
 * 830 ms of wall time and 1,270 ms of CPU with the default, 710 and 990 ms at 12 (6: 760 ms, 24 and
 * 48: about the same as 12); a scan of the whole corpus (24 MB, worker threads) and of argo-cd's
 * 10,000-document install.yaml were unchanged within noise. The flag only moves when V8 optimises,
 * never what the code does. `BULKHEAD_V8_DEFAULT_TIERING=1`, or the flag given to node, keeps V8's own.
 */
const TICKS_BEFORE_OPTIMIZATION = 12;

/**
 * `flag`, or undefined when the user keeps V8's own: by setting `variable`, or by giving node a flag
 * whose name holds `name` (V8 takes `-` and `_` alike in flag names, so both spellings count).
 */
function unlessKept(env: NodeJS.ProcessEnv, execArgv: readonly string[], variable: string, name: string, flag: string): string | undefined {
  if (env[variable]) return undefined;
  const underscored = name.replaceAll('-', '_');
  if (execArgv.some((a) => a.includes(name) || a.includes(underscored))) return undefined;
  return flag;
}

/** The tiering flag the launcher sets, or undefined when the user keeps V8's own (by the variable, or by giving the flag). */
export function tieringFlag(env: NodeJS.ProcessEnv, execArgv: readonly string[]): string | undefined {
  return unlessKept(env, execArgv, 'BULKHEAD_V8_DEFAULT_TIERING', 'ticks-before-optimization', `--ticks-before-optimization=${TICKS_BEFORE_OPTIMIZATION}`);
}

/**
 * How much V8 multiplies the young generation by when it grows (V8's default: 2). The young
 * generation starts at 1 MB and V8 doubles it after a collection in which much survived, up to its
 * usual 16 MB; a scan allocates tens of megabytes of short-lived tokens, words and findings, so with
 * the default it went through eleven young-generation collections on the way, each copying what was
 * alive, for a scan of the 311 corpus Dockerfiles. At 16 the first growth takes it to its usual
 * maximum at once: six collections. Measured in one sitting, 21 alternating rounds: 423 → 404 ms of
 * wall time and 582 → 531 ms of CPU (`--min-semi-space-size=16` given to node, which a launcher
 * cannot set after start, gave the same). The maximum is V8's own: the young generation gets no larger
 * than before, only sooner (peak RSS of that scan 105 → 116 MB; of the whole corpus, 308 → 293 MB).
 * `BULKHEAD_V8_DEFAULT_GC=1`, or a semi-space flag given to node, keeps V8's own.
 */
const SEMI_SPACE_GROWTH_FACTOR = 16;

/** The young-generation flag, or undefined when the user keeps V8's own (by the variable, or by giving any semi-space flag). */
export function youngGenerationFlag(env: NodeJS.ProcessEnv, execArgv: readonly string[]): string | undefined {
  return unlessKept(env, execArgv, 'BULKHEAD_V8_DEFAULT_GC', 'semi-space', `--semi-space-growth-factor=${SEMI_SPACE_GROWTH_FACTOR}`);
}

export function launch(): void {
  for (const flag of [tieringFlag(process.env, process.execArgv), youngGenerationFlag(process.env, process.execArgv)]) {
    if (flag !== undefined) setFlagsFromString(flag);
  }
  const loaded = loadBundle(path.join(__dirname, 'cli.js'), compileCacheDir(process.env), cacheTag(process.argv));
  if (process.env.BULKHEAD_DEBUG_COMPILE_CACHE) process.stderr.write(`bulkhead: compile cache ${loaded.cache}\n`);
  (loaded.exports as { main(): void }).main();
}
