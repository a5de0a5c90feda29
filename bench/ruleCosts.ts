/**
 * Where lint time goes, so the next slow rule is found by the bench and not by a user:
 * - the 10 most expensive rules (profile `all`) on the corpus Dockerfiles and on the corpus manifests,
 *   summed over every file, with the Dockerfile model's own build time as one more row;
 * - the whole-process scan of the corpus Dockerfiles by `bulkhead scan` against `dockerfilelint`
 *   (one Node process, regex-based; a devDependency used only here), timed in the same run;
 * - a keystroke in the largest corpus Dockerfile (buildkit's, 20 KB) through the language server.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_RULES } from '../rules';
import { ResolvedConfig } from '../server/src/engine/config';
import { DOCKERFILE_MODEL_TIME, Engine } from '../server/src/engine/engine';
import { dockerfileKeystrokeBench } from './dockerfileKeystroke';
import { warmPassesComparison } from './warmPasses';
import { median } from './median';

export interface BenchFile {
  path: string;
  text: string;
  kind: 'kubernetes' | 'kubeconfig' | 'dockerfile';
}

const ROUNDS = 3;
/**
 * Whole-process timings swing more than in-process ones (a shared machine's load moves them by a third
 * between sittings): more rounds for their medians, and the spread of the rounds' own ratios is printed.
 */
const PROCESS_ROUNDS = 9;

function ruleTable(label: string, files: readonly BenchFile[]): void {
  if (!files.length) return;
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
  for (const f of files.slice(0, 20)) engine.lint(f.path, f.text);
  engine.ruleTimes = new Map();
  let total = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    for (const f of files) engine.lint(f.path, f.text);
    total += performance.now() - t0;
  }
  const rows = [...engine.ruleTimes].map(([id, t]) => ({ id, ms: t / ROUNDS })).sort((a, b) => b.ms - a.ms);
  const perRound = total / ROUNDS;
  console.log(`  ${label}: ${files.length} files, lint ${perRound.toFixed(0)} ms per round (profile all, mean of ${ROUNDS}); most expensive:`);
  for (const r of rows.slice(0, 10)) {
    console.log(`    ${r.ms.toFixed(1).padStart(8)} ms  ${((100 * r.ms) / perRound).toFixed(1).padStart(5)} %  ${r.id}`);
  }
  const model = engine.ruleTimes.get(DOCKERFILE_MODEL_TIME);
  if (model !== undefined && !rows.slice(0, 10).some((r) => r.id === DOCKERFILE_MODEL_TIME)) {
    console.log(`    ${(model / ROUNDS).toFixed(1).padStart(8)} ms  ${((100 * model) / ROUNDS / perRound).toFixed(1).padStart(5)} %  ${DOCKERFILE_MODEL_TIME}`);
  }
}

/**
 * The node flag that keeps a process in V8's interpreter and baseline code (no Maglev, no TurboFan):
 * with it, the bench compares the two tools' work in the same tiers.
 */
const UNOPTIMISED = '--max-opt=1';

function timeProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const took = performance.now() - t0;
  if (r.error) throw r.error;
  return took;
}

/**
 * The files dockerfilelint's CLI gets through. It stops at the first file its checks throw on (a
 * HEALTHCHECK without options: `options.reduce` of null) or that is empty ("Invalid input", exit 1),
 * and every later file goes unread: timing it on all of them measured a fraction of the corpus.
 * Both tools are timed on the files it can read, and the others are named.
 */
function filesDockerfilelintReads(dockerfiles: readonly BenchFile[]): { ok: BenchFile[]; skipped: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lint = require('dockerfilelint') as { run(configDir: string, content: string): unknown };
  const ok: BenchFile[] = [];
  const skipped: string[] = [];
  for (const f of dockerfiles) {
    let reads = f.text.length > 0;
    if (reads) {
      try {
        lint.run(path.dirname(f.path), f.text);
      } catch {
        reads = false;
      }
    }
    if (reads) ok.push(f);
    else skipped.push(f.path);
  }
  return { ok, skipped };
}

function versusDockerfilelint(root: string, dockerfiles: readonly BenchFile[]): void {
  let lintBin: string;
  try {
    lintBin = path.join(path.dirname(require.resolve('dockerfilelint/package.json')), 'bin', 'dockerfilelint');
  } catch {
    console.log('  dockerfilelint is not installed (npm ci installs the devDependency): comparison skipped');
    return;
  }
  const { ok, skipped } = filesDockerfilelintReads(dockerfiles);
  const paths = ok.map((f) => f.path);
  const bulkhead = path.join(root, 'bin', 'bulkhead.js');
  // Bulkhead keeps V8's compiled code between runs (server/src/cli/compileCache.ts): timed both ways,
  // with a cache of its own (written by an untimed first run) and without one, as a first run pays.
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-bench-cache-'));
  const tuned = { BULKHEAD_V8_DEFAULT_TIERING: '', BULKHEAD_V8_DEFAULT_GC: '' };
  const cached = { ...process.env, ...tuned, XDG_CACHE_HOME: cacheHome, BULKHEAD_NO_COMPILE_CACHE: '' };
  const uncached = { ...process.env, ...tuned, BULKHEAD_NO_COMPILE_CACHE: '1' };
  // The launcher's V8 tiering (server/src/cli/launch.ts) against V8's own, each with its own cache
  // (V8 rejects a cache written under other flags).
  const defaultTieringHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-bench-cache-'));
  const defaultTiering = { ...process.env, ...tuned, XDG_CACHE_HOME: defaultTieringHome, BULKHEAD_NO_COMPILE_CACHE: '', BULKHEAD_V8_DEFAULT_TIERING: '1' };
  // The launcher's young-generation growth (launch.ts) against V8's own, likewise with its own cache.
  const defaultGcHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-bench-cache-'));
  const defaultGc = { ...process.env, ...tuned, XDG_CACHE_HOME: defaultGcHome, BULKHEAD_NO_COMPILE_CACHE: '', BULKHEAD_V8_DEFAULT_GC: '1' };
  // Both tools without V8's optimising compiler (`node --max-opt=1`: interpreter and baseline code
  // only), Bulkhead with a cache of its own (the flag is part of what a cache is valid for): what the
  // ratio is when neither tool's hot code is optimised within the run.
  const unoptimisedHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-bench-cache-'));
  const unoptimised = { ...process.env, ...tuned, XDG_CACHE_HOME: unoptimisedHome, BULKHEAD_NO_COMPILE_CACHE: '' };
  const scanArgs = [bulkhead, 'scan', ...paths, '--format', 'json'];
  const lintArgs = [lintBin, ...paths, '--json'];
  timeProcess(scanArgs, root, cached);
  timeProcess(scanArgs, root, defaultTiering);
  timeProcess(scanArgs, root, defaultGc);
  timeProcess([UNOPTIMISED, ...scanArgs], root, unoptimised);
  const ours: number[] = [];
  const oursFirst: number[] = [];
  const oursDefaultTiering: number[] = [];
  const oursDefaultGc: number[] = [];
  const theirs: number[] = [];
  const oursUnoptimised: number[] = [];
  const theirsUnoptimised: number[] = [];
  try {
    for (let round = 0; round < PROCESS_ROUNDS; round++) {
      // Rotate which runs first, so drift in machine load hits all alike.
      const runs = [
        () => ours.push(timeProcess(scanArgs, root, cached)),
        () => oursFirst.push(timeProcess(scanArgs, root, uncached)),
        () => theirs.push(timeProcess(lintArgs, root)),
        () => oursDefaultTiering.push(timeProcess(scanArgs, root, defaultTiering)),
        () => oursDefaultGc.push(timeProcess(scanArgs, root, defaultGc)),
        () => oursUnoptimised.push(timeProcess([UNOPTIMISED, ...scanArgs], root, unoptimised)),
        () => theirsUnoptimised.push(timeProcess([UNOPTIMISED, ...lintArgs], root)),
      ];
      for (let i = 0; i < runs.length; i++) runs[(round + i) % runs.length]();
    }
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
    fs.rmSync(defaultTieringHome, { recursive: true, force: true });
    fs.rmSync(defaultGcHome, { recursive: true, force: true });
    fs.rmSync(unoptimisedHome, { recursive: true, force: true });
  }
  const a = median(ours);
  const first = median(oursFirst);
  const b = median(theirs);
  console.log(
    `  whole process on ${paths.length} of the ${dockerfiles.length} corpus Dockerfiles, median of ${PROCESS_ROUNDS} (node ${process.version}): bulkhead scan ${a.toFixed(0)} ms, dockerfilelint ${b.toFixed(0)} ms: ratio ${(a / b).toFixed(2)}   (target <= 1.0)`,
  );
  // Each round's ratio pairs runs made seconds apart, so load that drifts over the bench cancels out in it.
  const roundRatios = ours.map((t, i) => t / theirs[i]).sort((x, y) => x - y);
  console.log(
    `    ratio of each round: median ${median(roundRatios).toFixed(2)}, from ${roundRatios[0].toFixed(2)} to ${roundRatios[roundRatios.length - 1].toFixed(2)}`,
  );
  console.log(
    `    without the compile cache (a first run, or BULKHEAD_NO_COMPILE_CACHE=1): bulkhead scan ${first.toFixed(0)} ms: ratio ${(first / b).toFixed(2)}`,
  );
  const tiering = median(oursDefaultTiering);
  console.log(
    `    with V8's default tiering (BULKHEAD_V8_DEFAULT_TIERING=1; see server/src/cli/launch.ts): bulkhead scan ${tiering.toFixed(0)} ms: ratio ${(tiering / b).toFixed(2)}`,
  );
  const gc = median(oursDefaultGc);
  console.log(
    `    with V8's default young generation (BULKHEAD_V8_DEFAULT_GC=1; see server/src/cli/launch.ts): bulkhead scan ${gc.toFixed(0)} ms: ratio ${(gc / b).toFixed(2)}`,
  );
  const oursPlain = median(oursUnoptimised);
  const theirsPlain = median(theirsUnoptimised);
  console.log(
    `    both without V8's optimising compiler (node ${UNOPTIMISED}): bulkhead scan ${oursPlain.toFixed(0)} ms, dockerfilelint ${theirsPlain.toFixed(0)} ms: ratio ${(oursPlain / theirsPlain).toFixed(2)}; what optimising saves: bulkhead ${(100 * (1 - a / oursPlain)).toFixed(0)} %, dockerfilelint ${(100 * (1 - b / theirsPlain)).toFixed(0)} %`,
  );
  if (skipped.length) {
    const shown = skipped.map((p) => path.relative(path.dirname(root), p));
    console.log(`    left out of both: ${skipped.length} file(s) dockerfilelint stops at (its CLI reads no file after them): ${shown.join(', ')}`);
  }
  warmPassesComparison(paths);
  coldTiming(scanArgs, root);
}

/** Rows of `--timing` shown: its phases, then this many rules. */
const COLD_RULES_SHOWN = 10;

/**
 * The same whole-process scan once more with `--timing`: where a cold process's time goes. The table
 * above measures warmed rounds; in one process the first pass over these files costs several times a
 * warmed one (V8 runs most of the code in its interpreter and baseline tiers), so the cold order of
 * the rules is the one the ratio to dockerfilelint depends on.
 */
function coldTiming(scanArgs: readonly string[], root: string): void {
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-bench-cache-'));
  try {
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome, BULKHEAD_NO_COMPILE_CACHE: '' };
    // An untimed first run writes the compile cache, as for the figures above.
    spawnSync(process.execPath, scanArgs, { cwd: root, env, stdio: 'ignore' });
    const r = spawnSync(process.execPath, [...scanArgs, '--timing'], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = (r.stderr ?? '').split('\n').filter((l) => l.trim() !== '');
    const rulesAt = lines.findIndex((l) => l.startsWith('Slowest rules'));
    if (r.status === null || rulesAt < 0) {
      console.log(`    bulkhead scan --timing gave no table (status ${r.status}): ${lines.slice(0, 3).join(' | ')}`);
      return;
    }
    console.log('    one more run with --timing (with the compile cache):');
    for (const l of lines.slice(0, rulesAt + 1 + COLD_RULES_SHOWN)) console.log(`      ${l.trimStart()}`);
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
}

export async function ruleCostBench(root: string, files: readonly BenchFile[]): Promise<void> {
  console.log('Rule costs and Dockerfile whole-process speed');
  const dockerfiles = files.filter((f) => f.kind === 'dockerfile');
  ruleTable('Dockerfiles', dockerfiles);
  ruleTable(
    'manifests',
    files.filter((f) => f.kind !== 'dockerfile'),
  );
  versusDockerfilelint(root, dockerfiles);
  await dockerfileKeystrokeBench(root, dockerfiles);
}
