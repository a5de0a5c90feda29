/**
 * `npm run bench`: how fast Bulkhead lints, as ratios to bare parsing measured in the same run
 * (these machines are shared and noisy; absolute times are printed for context only).
 *
 * 1. Corpus: every file of ../shared/corpus (or $BULKHEAD_CORPUS) that Bulkhead lints. Prints
 *    files/s, MB/s, p50/p95 per-file lint time, peak RSS, and the ratio of total lint time to a bare
 *    `yaml` parseAllDocuments + `dockerfile-ast` parse of the same files.
 * 2. Editor: argo-cd's install.yaml opened in the real language server (spawned over stdio), then one
 *    character typed into a small document of it; both latencies, as ratios to its bare parse.
 *    Then the same corpus through `bulkhead scan` on 1, 2 and all cores (bench/parallelScan.ts).
 * 3. Many small documents: 10,000 one-Pod documents in one file (bench/manySmallDocuments.ts).
 * 4. Load: 500 open files linked by cross-file rules (Namespaces, Deployments, Dockerfiles with
 *    EXPOSE), 3,000 rapid edits, hovers and code actions throughout: request latency percentiles,
 *    time to open everything, time to settle to a fresh lint's diagnostics. Set
 *    BULKHEAD_BASELINE_SERVER to another build's dist/server.js to run the same load against it in
 *    the same run and print ratios (a phase that takes too long is cut off and shown as "> cap": a
 *    server still opening files after a minute gets the edits anyway, as in an editor).
 *    BULKHEAD_LOAD_FILES / BULKHEAD_LOAD_EDITS change the size; the load case needs no corpus.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import { ALL_RULES } from '../rules';
import { ResolvedConfig } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/engine';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import { classify } from '../server/src/documents/classify';
import { chartDetector, readForLint, walk } from '../server/src/node/files';
import { LspClient } from '../test/support/lspClient';
import { manySmallDocumentsBench } from './manySmallDocuments';
import { networkWorkspaceBench } from './networkWorkspace';
import { ruleCostBench } from './ruleCosts';
import { withoutArgumentCache } from '../server/src/documents/dockerfileAstCache';
import { sbomBench } from './sbomBench';
import { reachabilityBench } from './reachability';
import { controlPlaneBench } from './controlPlane';
import { rbacWorkspaceBench } from './rbacWorkspace';
import { secretsCorpusBench } from './secretsCorpus';
import { parallelScanBench } from './parallelScan';
import { helmChartsBench } from './helmCharts';
import { securityMapBench } from './securityMap';
import { runWarmPassesChild } from './warmPasses';
import { LoadWorkload } from '../test/support/loadWorkload';
import { LoadDriver, RequestStats } from '../test/support/loadDriver';
import { removeWorkspace, tempWorkspace } from '../test/support/tempWorkspace';

const ROOT = path.resolve(__dirname, '..');
const CORPUS = process.env.BULKHEAD_CORPUS ?? path.resolve(ROOT, '../shared/corpus');

function ms(ns: bigint): number {
  return Number(ns) / 1e6;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

interface CorpusFile {
  path: string;
  text: string;
  bytes: number;
  kind: 'kubernetes' | 'kubeconfig' | 'dockerfile';
}

function loadCorpus(): CorpusFile[] {
  const isInChart = chartDetector();
  const files: CorpusFile[] = [];
  for (const file of walk(CORPUS)) {
    const read = readForLint(file);
    if (!read.ok || read.decoded.kind !== 'text') continue;
    const kind = classify(file, read.decoded.text, isInChart);
    if (kind === 'kubernetes' || kind === 'kubeconfig' || kind === 'dockerfile') {
      files.push({ path: file, text: read.decoded.text, bytes: Buffer.byteLength(read.decoded.text), kind });
    }
  }
  return files;
}

function bareParse(f: CorpusFile): void {
  // dockerfile-ast as published, without the argument cache Bulkhead installs on it.
  if (f.kind === 'dockerfile') withoutArgumentCache(() => DockerfileParser.parse(f.text));
  else for (const doc of parseAllDocuments(f.text)) void doc;
}

function corpusBench(files: CorpusFile[]): void {
  const engine = new Engine(new ResolvedConfig(ALL_RULES));
  const totalBytes = files.reduce((n, f) => n + f.bytes, 0);
  // Warm up both paths (JIT) on a slice, so neither side pays compilation in the measurement.
  for (const f of files.slice(0, 40)) {
    bareParse(f);
    engine.lint(f.path, f.text);
  }
  const rounds = 3;
  const lintTotals: number[] = [];
  const bareTotals: number[] = [];
  const dockerLintTotals: number[] = [];
  const dockerBareTotals: number[] = [];
  let perFile: number[] = [];
  let findings = 0;
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so drift in machine load hits both sides alike.
    const index = new WorkspaceIndex();
    const times: number[] = [];
    let bare = 0;
    let lint = 0;
    let found = 0;
    let dockerBare = 0;
    let dockerLint = 0;
    for (const f of files) {
      const t0 = process.hrtime.bigint();
      bareParse(f);
      const t1 = process.hrtime.bigint();
      const result = engine.lint(f.path, f.text, { index });
      const t2 = process.hrtime.bigint();
      bare += ms(t1 - t0);
      const l = ms(t2 - t1);
      lint += l;
      if (f.kind === 'dockerfile') {
        dockerBare += ms(t1 - t0);
        dockerLint += l;
      }
      times.push(l);
      found += result.findings.length;
    }
    lintTotals.push(lint);
    bareTotals.push(bare);
    dockerLintTotals.push(dockerLint);
    dockerBareTotals.push(dockerBare);
    if (round === 0) {
      perFile = times.sort((a, b) => a - b);
      findings = found;
    }
  }
  const lint = median(lintTotals);
  const bare = median(bareTotals);
  const yamlFiles = files.filter((f) => f.kind !== 'dockerfile').length;
  console.log(
    `Corpus: ${files.length} files (${yamlFiles} YAML manifests, ${files.length - yamlFiles} Dockerfiles), ${(totalBytes / 1048576).toFixed(2)} MB, ${findings} findings (profile recommended)`,
  );
  console.log(
    `  lint, median of ${rounds} rounds: ${lint.toFixed(0)} ms   ${(files.length / (lint / 1000)).toFixed(0)} files/s   ${(totalBytes / 1048576 / (lint / 1000)).toFixed(2)} MB/s`,
  );
  console.log(
    `  per-file lint time: p50 ${percentile(perFile, 50).toFixed(2)} ms   p95 ${percentile(perFile, 95).toFixed(2)} ms   max ${perFile[perFile.length - 1]?.toFixed(1)} ms`,
  );
  console.log(`  bare parse (yaml parseAllDocuments + dockerfile-ast), same files, same run: ${bare.toFixed(0)} ms`);
  console.log(`  ratio lint / bare parse: ${(lint / bare).toFixed(3)}   (target <= 1.0)`);
  const dockerLint = median(dockerLintTotals);
  const dockerBare = median(dockerBareTotals);
  dockerfileBench(engine, files, dockerLint / dockerBare);
}

/**
 * The Dockerfiles' lint time over a bare dockerfile-ast parse (the library as published) of the same
 * files, in a pass of their own: the whole corpus indexed first (as a scan or the editor has it, so the
 * cross-file rules read every manifest), then each Dockerfile parsed bare and linted in turn, rounds
 * alternating which goes first. Inside the mixed pass above, collections of the YAML lints' garbage
 * land in the Dockerfiles' time too; that figure is printed beside it.
 */
function dockerfileBench(engine: Engine, files: CorpusFile[], mixedRatio: number): void {
  const dockerfiles = files.filter((f) => f.kind === 'dockerfile');
  if (!dockerfiles.length) return;
  const index = new WorkspaceIndex();
  for (const f of files) engine.lint(f.path, f.text, { index });
  const rounds = 5;
  const lintTotals: number[] = [];
  const bareTotals: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let lint = 0;
    let bare = 0;
    for (const f of dockerfiles) {
      const lintFirst = round % 2 === 1;
      const t0 = process.hrtime.bigint();
      if (lintFirst) engine.lint(f.path, f.text, { index });
      else bareParse(f);
      const t1 = process.hrtime.bigint();
      if (lintFirst) bareParse(f);
      else engine.lint(f.path, f.text, { index });
      const t2 = process.hrtime.bigint();
      lint += ms(lintFirst ? t1 - t0 : t2 - t1);
      bare += ms(lintFirst ? t2 - t1 : t1 - t0);
    }
    lintTotals.push(lint);
    bareTotals.push(bare);
  }
  const lint = median(lintTotals);
  const bare = median(bareTotals);
  console.log(
    `  Dockerfiles only (${dockerfiles.length}, their own pass against the whole corpus's index, median of ${rounds}): lint ${lint.toFixed(0)} ms vs bare dockerfile-ast parse ${bare.toFixed(0)} ms: ratio ${(lint / bare).toFixed(2)}   (target <= 1.0; inside the mixed pass above: ${mixedRatio.toFixed(2)})`,
  );
}

async function editorBench(): Promise<void> {
  const file = path.join(CORPUS, 'argoproj__argo-cd/manifests/install.yaml');
  if (!fs.existsSync(file)) {
    console.log('Editor case: argo-cd install.yaml not in the corpus; skipped.');
    return;
  }
  const text = fs.readFileSync(file, 'utf8');
  const bareTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    parseAllDocuments(text);
    bareTimes.push(ms(process.hrtime.bigint() - t0));
  }
  const bare = median(bareTimes);
  const docs = text.split(/^---$/m).length;
  const server = spawn(process.execPath, [path.join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const client = new LspClient(server);
  try {
    await client.initialize(path.dirname(file), { debounceMs: 0 });
    const uri = `file://${file}`;
    const openStart = process.hrtime.bigint();
    const opened = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const first = await opened;
    const open = ms(process.hrtime.bigint() - openStart);

    // Type one character into the value of a small document's label (a ServiceAccount near the top).
    const lines = text.split('\n');
    const line = lines.findIndex((l, i) => i > 0 && /^kind: ServiceAccount/.test(l));
    const nameLine = lines.findIndex((l, i) => i > line && /^\s+name:/.test(l));
    const character = lines[nameLine].length;
    const keystrokes: number[] = [];
    for (let version = 2; version < 7; version++) {
      const changeStart = process.hrtime.bigint();
      const changed = client.waitForDiagnostics(uri, version);
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          { range: { start: { line: nameLine, character: character + version - 2 }, end: { line: nameLine, character: character + version - 2 } }, text: 'x' },
        ],
      });
      await changed;
      keystrokes.push(ms(process.hrtime.bigint() - changeStart));
    }
    const keystroke = median(keystrokes);
    console.log(
      `Editor: argo-cd install.yaml (${lines.length} lines, ~${docs} documents, ${(text.length / 1048576).toFixed(2)} MB) in the language server over stdio`,
    );
    console.log(`  bare parseAllDocuments: ${bare.toFixed(0)} ms (median of 3)`);
    console.log(`  didOpen -> diagnostics (${first.diagnostics.length}): ${open.toFixed(0)} ms   ratio ${(open / bare).toFixed(3)}   (target <= 0.5)`);
    console.log(
      `  one keystroke -> diagnostics, median of ${keystrokes.length}: ${keystroke.toFixed(1)} ms   ratio ${(keystroke / bare).toFixed(4)}   (target < 0.05)`,
    );
    await client.shutdown();
  } finally {
    server.kill();
  }
}

interface LoadFigures {
  label: string;
  openMs: number;
  burstMs: number;
  settleMs: number;
  settled: boolean;
  requests: RequestStats;
  /** Whether a phase hit its cap (so figures are lower bounds). */
  capped: string[];
}

/** One server through the load case: open everything, a burst of edits, settle; requests all along. */
async function loadRun(serverJs: string, label: string, fileCount: number, edits: number): Promise<LoadFigures> {
  const OPEN_CAP_MS = 60000;
  const SETTLE_CAP_MS = 300000;
  const workload = new LoadWorkload(fileCount, 11);
  const root = tempWorkspace(Object.fromEntries(workload.files.map((f) => [f.rel, workload.text(f.rel)])));
  const server = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const client = new LspClient(server);
  client.keepNotifications = false;
  const capped: string[] = [];
  try {
    await client.initialize(root, { debounceMs: 150 });
    const driver = new LoadDriver(client, workload, (rel) => `file://${path.join(root, rel)}`);
    const requests = driver.startRequests(50, 60000);
    let openMs = OPEN_CAP_MS;
    try {
      openMs = await driver.openAll(OPEN_CAP_MS);
    } catch {
      // Still opening: the edits start anyway, as they would in an editor.
      capped.push('open');
    }
    const burstMs = await driver.burst(edits, 2);
    const settle = await driver.settle(SETTLE_CAP_MS);
    if (!settle.converged) capped.push('settle');
    const stats = await requests.stop();
    if (stats.unanswered) capped.push(`${stats.unanswered} requests unanswered after 60 s`);
    return { label, openMs, burstMs, settleMs: settle.settleMs, settled: settle.converged, requests: stats, capped };
  } finally {
    await Promise.race([client.shutdown().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    server.kill();
    removeWorkspace(root);
  }
}

function printLoad(f: LoadFigures, fileCount: number, edits: number): void {
  const r = f.requests;
  const cap = (what: string, v: number) => (f.capped.includes(what) ? `> ${(v / 1000).toFixed(0)} s (cap)` : `${v.toFixed(0)} ms`);
  console.log(`Load (${f.label}): ${fileCount} open files, ${edits} edits, ${r.latencies.length} hovers/code actions`);
  console.log(`  open every file -> first diagnostics of all: ${cap('open', f.openMs)}`);
  console.log(`  edit burst: ${f.burstMs.toFixed(0)} ms   end of burst -> diagnostics equal a fresh lint: ${cap('settle', f.settleMs)}`);
  console.log(
    `  request latency: p50 ${r.percentile(50).toFixed(0)} ms   p95 ${r.percentile(95).toFixed(0)} ms   p99 ${r.percentile(99).toFixed(0)} ms   max ${r.max.toFixed(0)} ms${f.capped.length ? `   (capped: ${f.capped.join(', ')})` : ''}`,
  );
}

async function loadBench(): Promise<void> {
  const fileCount = Number(process.env.BULKHEAD_LOAD_FILES ?? 500);
  const edits = Number(process.env.BULKHEAD_LOAD_EDITS ?? 3000);
  const current = await loadRun(path.join(ROOT, 'dist/server.js'), 'this build', fileCount, edits);
  printLoad(current, fileCount, edits);
  const baselineJs = process.env.BULKHEAD_BASELINE_SERVER;
  if (!baselineJs) return;
  const baseline = await loadRun(path.resolve(baselineJs), `baseline ${baselineJs}`, fileCount, edits);
  printLoad(baseline, fileCount, edits);
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(1) : 'n/a');
  const lower = (what: string) => (baseline.capped.includes(what) ? '>= ' : '');
  console.log(
    `  baseline / this build: open ${lower('open')}${ratio(baseline.openMs, current.openMs)}x   settle ${lower('settle')}${ratio(baseline.settleMs, current.settleMs)}x   ` +
      `p95 latency ${ratio(baseline.requests.percentile(95), current.requests.percentile(95))}x   max latency ${ratio(baseline.requests.max, current.requests.max)}x`,
  );
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist/server.js'))) {
    console.log('dist/server.js missing: run `npm run build` first.');
    return;
  }
  if (!fs.existsSync(CORPUS)) {
    console.log(`No corpus at ${CORPUS}: corpus and editor cases skipped. Set BULKHEAD_CORPUS to a folder of manifests and Dockerfiles.`);
  } else {
    const files = loadCorpus();
    corpusBench(files);
    await ruleCostBench(ROOT, files);
    secretsCorpusBench(CORPUS);
    parallelScanBench(ROOT, CORPUS);
    helmChartsBench(CORPUS);
    await editorBench();
  }
  manySmallDocumentsBench(ROOT);
  networkWorkspaceBench();
  sbomBench(CORPUS);
  reachabilityBench(CORPUS);
  controlPlaneBench();
  rbacWorkspaceBench();
  securityMapBench(CORPUS);
  if (process.env.BULKHEAD_BENCH_LOAD !== '0') await loadBench();
  console.log(`Peak RSS of the benchmark process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

// dist/bench.js is also the child process of the warmed-pass comparison (./warmPasses).
if (!runWarmPassesChild()) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
