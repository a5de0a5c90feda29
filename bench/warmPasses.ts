/**
 * Bulkhead and dockerfilelint linting the same Dockerfiles pass after pass in one process: where the
 * whole-process ratio to dockerfilelint comes from. A whole-process scan is over in a third of a
 * second, and most of that time V8 runs each tool's code in its interpreter and baseline tiers while
 * it gathers type feedback; a warmed process shows what the linting itself costs. No cache or
 * snapshot of V8 keeps type feedback or optimised code from one process to the next (the CLI's
 * compile cache keeps bytecode only), so the first pass is what every `bulkhead scan` pays.
 *
 * Each tool runs in a process of its own (dist/bench.js again, told by the environment which tool to
 * run), so that neither warms or collects for the other; Bulkhead with the V8 flags its launcher sets.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_RULES } from '../rules';
import { tieringFlag, youngGenerationFlag } from '../server/src/cli/launch';
import { ResolvedConfig } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/engine';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import { median } from './median';

const TOOL_VARIABLE = 'BULKHEAD_BENCH_WARM_TOOL';
const FILES_VARIABLE = 'BULKHEAD_BENCH_WARM_FILES';
type Tool = 'bulkhead' | 'dockerfilelint';

/** Passes over the files in each process, processes per tool, and the passes that count as warm. */
const PASSES = 12;
const PROCESSES = 3;
const WARM_FROM = 6;

/**
 * In a child started by `warmPassesComparison`: lints the files PASSES times with the tool named in
 * the environment, prints each pass's milliseconds as JSON and returns true. Anywhere else: false.
 */
export function runWarmPassesChild(): boolean {
  const tool = process.env[TOOL_VARIABLE] as Tool | undefined;
  const listFile = process.env[FILES_VARIABLE];
  if (tool === undefined || listFile === undefined) return false;
  const files = (JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[]).map((p) => ({ path: p, text: fs.readFileSync(p, 'utf8') }));
  let lintOne: (file: { path: string; text: string }) => void;
  if (tool === 'bulkhead') {
    // What `bulkhead scan` runs on them: the recommended rules, with a workspace index.
    const engine = new Engine(new ResolvedConfig(ALL_RULES));
    const index = new WorkspaceIndex();
    lintOne = (f) => void engine.lint(f.path, f.text, { index });
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dockerfilelint = require('dockerfilelint') as { run(configDir: string, content: string): unknown };
    lintOne = (f) => void dockerfilelint.run(path.dirname(f.path), f.text);
  }
  const passes: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const t0 = performance.now();
    for (const f of files) lintOne(f);
    passes.push(performance.now() - t0);
  }
  process.stdout.write(JSON.stringify(passes));
  return true;
}

/** Per-pass times of `tool` in a fresh process, or undefined when the child failed. */
function passesIn(tool: Tool, listFile: string): number[] | undefined {
  const flags = tool === 'bulkhead' ? [tieringFlag(process.env, []), youngGenerationFlag(process.env, [])].filter((f): f is string => f !== undefined) : [];
  const r = spawnSync(process.execPath, [...flags, process.argv[1]], {
    env: { ...process.env, [TOOL_VARIABLE]: tool, [FILES_VARIABLE]: listFile },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1024 * 1024,
  });
  if (r.status !== 0) return undefined;
  try {
    const passes = JSON.parse(r.stdout) as unknown;
    return Array.isArray(passes) && passes.length === PASSES && passes.every((t) => typeof t === 'number') ? (passes as number[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Prints the first pass and the warm passes of both tools over `paths` (the files dockerfilelint reads). */
export function warmPassesComparison(paths: readonly string[]): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-bench-warm-'));
  const listFile = path.join(dir, 'files.json');
  fs.writeFileSync(listFile, JSON.stringify(paths));
  const runs: Record<Tool, number[][]> = { bulkhead: [], dockerfilelint: [] };
  try {
    for (let round = 0; round < PROCESSES; round++) {
      // Alternating, so drift in machine load hits both alike.
      for (const tool of round % 2 === 0 ? (['bulkhead', 'dockerfilelint'] as const) : (['dockerfilelint', 'bulkhead'] as const)) {
        const passes = passesIn(tool, listFile);
        if (passes === undefined) {
          console.log(`    in one process: the ${tool} child failed; comparison skipped`);
          return;
        }
        runs[tool].push(passes);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const first = (tool: Tool): number => median(runs[tool].map((p) => p[0]));
  const warm = (tool: Tool): number => median(runs[tool].map((p) => median(p.slice(WARM_FROM))));
  const [ours0, theirs0, ours, theirs] = [first('bulkhead'), first('dockerfilelint'), warm('bulkhead'), warm('dockerfilelint')];
  console.log(
    `    in one process, ${PASSES} passes over the same files (median of ${PROCESSES} processes per tool): first pass (compiling as it goes: no compile cache here) bulkhead ${ours0.toFixed(0)} ms, dockerfilelint ${theirs0.toFixed(0)} ms: ratio ${(ours0 / theirs0).toFixed(2)}; warmed (passes ${WARM_FROM + 1}-${PASSES}) bulkhead ${ours.toFixed(0)} ms, dockerfilelint ${theirs.toFixed(0)} ms: ratio ${(ours / theirs).toFixed(2)}`,
  );
}
