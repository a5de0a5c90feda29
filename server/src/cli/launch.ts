/**
 * What `bin/bulkhead.js` runs: the CLI bundle (dist/cli.js, beside this file once built), loaded
 * through the compile cache (./compileCache). Its own small bundle, so that loading it costs
 * nothing next to what the cache saves.
 */
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { cacheTag, compileCacheDir, loadBundle } from './compileCache';

/**
 * How long V8 waits before optimising a function with TurboFan: four times its default, spelled as the
 * running V8 spells it. A `bulkhead` run is short: most of its functions run a few hundred times, once
 * per file or instruction, and with V8's default TurboFan compiled about a hundred of them on another
 * thread, threw some away when a rarer branch ran, and compiled them again, for code the run barely
 * used; with two cores the compiler thread competes with the scan's own. Waiting four times as long,
 * only the functions that run far more often than that (the YAML and Dockerfile tokenisers on large
 * inputs) are optimised. The flag only moves when V8 optimises, never what the code does.
 * `BULKHEAD_V8_DEFAULT_TIERING=1`, or the flag given to node, keeps V8's own.
 *
 * Measured in alternating rounds on one machine, each V8 with its own flag:
 * - V8 11.3 (Node 20) counts "ticks" of its interrupt budget (default 3, plus one per 150 bytes of
 *   bytecode): at 12, the scan of the 311 corpus Dockerfiles took 710 ms of wall time and 990 ms of
 *   CPU instead of 830 and 1,270 (6: 760 ms; 24 and 48: about 12's); the whole corpus (24 MB) and
 *   argo-cd's 10,000-document install.yaml were unchanged within noise.
 * - V8 12 and 13 (Node 22, 24) count invocations (`--invocation-count-for-turbofan`, default 3000)
 *   and no longer know `--ticks-before-optimization`: given it, V8 printed "unrecognized flag" on
 *   every run. At 12,000, on Node 22: the Dockerfile scan 380 → 296 ms (CPU 606 → 358), argo-cd's
 *   install.yaml 214 → 185 ms, the whole corpus 3.80 → 3.66 s; on Node 24 all three within 1 % of
 *   V8's own (6,000 was as good on Node 22 and 10 % slower on Node 24; turning TurboFan off,
 *   `--max-opt=2`, slowed argo-cd's install.yaml by 7 % on both).
 * - Other V8 versions get no flag: one their V8 does not know is printed on every run, and a known
 *   one was never measured there.
 */
const TIERING: readonly { readonly v8: (major: number, minor: number) => boolean; readonly name: string; readonly value: number }[] = [
  { v8: (major, minor) => major === 11 && minor <= 3, name: 'ticks-before-optimization', value: 12 },
  { v8: (major) => major === 12 || major === 13, name: 'invocation-count-for-turbofan', value: 12_000 },
];

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

/**
 * The tiering flag the launcher sets on V8 `v8Version` (`process.versions.v8`), or undefined when that
 * V8 gets none (see TIERING) or the user keeps V8's own (by the variable, or by giving the flag).
 */
export function tieringFlag(env: NodeJS.ProcessEnv, execArgv: readonly string[], v8Version: string = process.versions.v8): string | undefined {
  const [major, minor] = v8Version.split('.').map((part) => Number.parseInt(part, 10));
  const tiering = TIERING.find((t) => t.v8(major, minor));
  if (tiering === undefined) return undefined;
  return unlessKept(env, execArgv, 'BULKHEAD_V8_DEFAULT_TIERING', tiering.name, `--${tiering.name}=${tiering.value}`);
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
