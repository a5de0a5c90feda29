// `npm run test:e2e`: Bulkhead end to end in real editors, offline. Stages, each timed:
//   install   the editors (test/e2e/install.sh: apt chromium/neovim/libkrb5-dev, Node 24 + code-server from npm,
//             into ~/.cache/bulkhead-e2e; a no-op when already there)
//   package   `npm run package` -> bulkhead.vsix, and a snapshot of the CLI of the same build (the oracle)
//   vsix      size and content check of bulkhead.vsix, unpacked for the layers below
//   neovim    layer 3: Neovim 0.7's LSP client, the VSIX's server over --stdio
//   ext-host  layer 2: mocha suite in code-server's extension host through the vscode API
//   ui        layer 1: code-server + Chromium, the VSIX installed with --install-extension
// Every layer runs even when an earlier one failed; the summary lists them all (also in <out>/summary.txt).
//
// env: E2E_OUT (default test/e2e/output), E2E_SKIP_INSTALL=1, E2E_VSIX (use this VSIX, skip `npm run package`),
//      E2E_LAYERS (comma list of neovim,ext-host,ui), E2E_TEST_ELECTRON=1 (also run the suite under
//      @vscode/test-electron: needs to download VS Code, so not offline)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { E2E_DIR, OUT, REPO } from './lib/common.mjs';

const t0 = Date.now();
const results = [];
const layers = (process.env.E2E_LAYERS || 'neovim,ext-host,ui').split(',');
fs.mkdirSync(OUT, { recursive: true });
const BUILD = path.join(OUT, 'build');
const VSIX = path.resolve(process.env.E2E_VSIX || path.join(REPO, 'bulkhead.vsix'));
const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', E2E_OUT: OUT, E2E_VSIX: VSIX, E2E_CLI: path.join(BUILD, 'bulkhead.js') };

// What each layer printed about failures and retries, repeated in the summary: CI shows the end of the output, and a
// layer's failing test scrolls out of it behind the layers that run after it.
const NOTEWORTHY = /FAIL|failing|AssertionError|Error:|timed out|^\s*\d+\) |RETRY|not ok/;
const noteworthy = new Map();

function keepNoteworthy(layer, chunk, state) {
  const kept = noteworthy.get(layer) ?? [];
  noteworthy.set(layer, kept);
  const parts = (state.rest + chunk).split('\n');
  state.rest = parts.pop();
  for (const line of parts) {
    // A failing mocha test prints its error on the lines after its number: keep a few of them too.
    if (NOTEWORTHY.test(line)) state.after = 3;
    else if (state.after > 0) state.after--;
    else continue;
    if (kept.length < 60) kept.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
  }
}

function run(cmd, args, opts = {}, layer = undefined) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: layer ? ['inherit', 'pipe', 'pipe'] : 'inherit', ...opts });
    if (layer) {
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ]) {
        const state = { rest: '', after: 0 };
        from.setEncoding('utf8');
        from.on('data', (chunk) => {
          to.write(chunk);
          keepNoteworthy(layer, chunk, state);
        });
        from.on('end', () => keepNoteworthy(layer, '\n', state));
      }
    }
    // 'exit', then the pipes' end, but no more than 2 s: a process the layer left behind may hold them open.
    child.on('exit', (code, signal) => {
      const status = code ?? (signal ? 128 : 1);
      if (!layer) return resolve(status);
      const timer = setTimeout(() => resolve(status), 2000);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(status);
      });
    });
    child.on('error', (e) => {
      console.error(e.message);
      resolve(1);
    });
  });
}

async function stage(name, fn, { fatal = false } = {}) {
  const start = Date.now();
  console.log(`\n=== ${name}`);
  let ok;
  try {
    ok = await fn();
  } catch (e) {
    console.error(`${name}: ${e?.stack || e}`);
    ok = false;
  }
  const seconds = (Date.now() - start) / 1000;
  results.push({ name, ok, seconds });
  console.log(`=== ${name}: ${ok ? 'PASS' : 'FAIL'} (${seconds.toFixed(1)}s)`);
  if (!ok && fatal) finish();
  return ok;
}

function finish() {
  const total = (Date.now() - t0) / 1000;
  const failed = results.filter((r) => !r.ok);
  const lines = [
    'Bulkhead e2e summary',
    ...results.map((r) => `  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(10)} ${r.seconds.toFixed(1).padStart(7)}s`),
    `  total            ${total.toFixed(1).padStart(7)}s`,
    `  screenshots and logs: ${path.relative(REPO, OUT) || OUT}`,
    failed.length ? `E2E FAILED: ${failed.map((r) => r.name).join(', ')}` : 'E2E PASSED',
  ];
  for (const r of results) {
    const kept = noteworthy.get(r.name) ?? [];
    // A passing layer's lines matter only when it retried something (a flaky session is still news).
    if (!kept.length || (r.ok && !kept.some((l) => l.includes('RETRY')))) continue;
    lines.push('', `What ${r.name} printed about ${r.ok ? 'its retries' : 'its failure'} (whole output above):`, ...kept.map((l) => `  | ${l}`));
  }
  fs.writeFileSync(path.join(OUT, 'summary.txt'), `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(OUT, 'summary.json'), JSON.stringify({ total, results }, null, 2));
  console.log(`\n${lines.join('\n')}`);
  process.exit(failed.length ? 1 : 0);
}

if (process.env.E2E_SKIP_INSTALL !== '1') {
  await stage('install', async () => (await run('bash', [path.join(E2E_DIR, 'install.sh')])) === 0, { fatal: true });
}

await stage(
  'package',
  async () => {
    // The oracle must be the CLI of the very build that produced the VSIX. In a working tree someone else may rebuild
    // dist/ meanwhile: the server bundle in dist/ must still be the VSIX's after the CLI is copied, else build again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (!process.env.E2E_VSIX && (await run('npm', ['run', '-s', 'package'])) !== 0) return false;
      // Unpacks the VSIX (its verdict is the `vsix` stage's).
      await run(process.execPath, [path.join(E2E_DIR, 'check-vsix.mjs'), VSIX], { stdio: 'ignore' });
      fs.rmSync(BUILD, { recursive: true, force: true });
      fs.mkdirSync(BUILD, { recursive: true });
      fs.copyFileSync(path.join(REPO, 'dist', 'cli.js'), path.join(BUILD, 'cli.js'));
      fs.copyFileSync(path.join(REPO, 'dist', 'mapViewer.js'), path.join(BUILD, 'mapViewer.js')); // `bulkhead map` inlines it
      fs.writeFileSync(path.join(BUILD, 'bulkhead.js'), "#!/usr/bin/env node\n'use strict';\nrequire('./cli.js').main();\n");
      const shipped = path.join(OUT, 'vsix', 'extension', 'dist', 'server.js');
      if (fs.existsSync(shipped) && fs.readFileSync(shipped).equals(fs.readFileSync(path.join(REPO, 'dist', 'server.js')))) return true;
      if (process.env.E2E_VSIX) {
        console.log('E2E_VSIX was given: the CLI oracle is dist/cli.js as it is (not checked against the VSIX build)');
        return true;
      }
      console.log(`dist/ changed while packaging (attempt ${attempt}): packaging again`);
    }
    return false;
  },
  { fatal: true },
);

await stage('vsix', async () => (await run(process.execPath, [path.join(E2E_DIR, 'check-vsix.mjs'), VSIX])) === 0);

const LAYERS = {
  neovim: ['neovim', 'run-neovim.mjs'],
  'ext-host': ['ext-host', 'run-code-server.mjs'],
  ui: ['ui', 'vscode-ui.mjs'],
};
for (const name of layers) {
  const [dir, file] = LAYERS[name] ?? [];
  if (!file) throw new Error(`unknown layer ${name} (E2E_LAYERS)`);
  await stage(name, async () => (await run(process.execPath, [path.join(E2E_DIR, dir, file)], {}, name)) === 0);
}
if (process.env.E2E_TEST_ELECTRON === '1') {
  await stage('test-electron', async () => (await run(process.execPath, [path.join(E2E_DIR, 'ext-host', 'run-test-electron.mjs')])) === 0);
}
finish();
