// Layer 3 runner: Neovim 0.7 headless with its built-in LSP client (a second, independent LSP client: its own
// sync, position-encoding and diagnostics code) against the server bundle shipped in the VSIX, over --stdio.
// Sessions (one nvim each): every file of examples/ open, Dockerfiles first, then hover and a quick-fix; every file
// open, manifests first; one file alone whose findings need files never opened. In each, once the state settles,
// each buffer's diagnostics must equal what `bulkhead scan examples` reports for that file, cross-file rules included.
//
// env: E2E_SERVER_JS (default: the unpacked VSIX's server, else dist/server.js), E2E_OUT, NVIM (default nvim)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cliFindings, cliRules, copyExamples, E2E_DIR, isDockerfile, lintableFiles, logger, OUT, REPO } from '../lib/common.mjs';

const log = logger('neovim');
const started = Date.now();
const unpacked = path.join(OUT, 'vsix', 'extension', 'dist', 'server.js');
const SERVER_JS = process.env.E2E_SERVER_JS || (fs.existsSync(unpacked) ? unpacked : path.join(REPO, 'dist', 'server.js'));
const NVIM = process.env.NVIM || 'nvim';

const ws = copyExamples('neovim');
const findings = cliFindings(ws);
const files = {};
for (const rel of lintableFiles(ws)) files[rel] = [];
for (const f of findings) files[f.file].push(`${f.range.start.line}:${f.ruleId}`);

const rules = cliRules();
const fixTarget = findings.find((f) => f.file === 'kubernetes/web.yaml' && f.ruleId === 'privileged-container');
if (!fixTarget) throw new Error('the CLI no longer reports privileged-container in examples/kubernetes/web.yaml: update run-neovim.mjs');
const expected = {
  files,
  hover: {
    file: fixTarget.file,
    line: fixTarget.range.start.line,
    character: fixTarget.range.start.character,
    rule: fixTarget.ruleId,
    title: rules.get(fixTarget.ruleId).title,
  },
  fix: { file: fixTarget.file, line: fixTarget.range.start.line, rule: fixTarget.ruleId, title: fixTarget.fix.title, fixedText: 'privileged: false' },
};
const dir = path.join(OUT, 'neovim');
fs.mkdirSync(dir, { recursive: true });

const version = spawnSync(NVIM, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
log(`${version}; server ${path.relative(REPO, SERVER_JS)}; ${Object.keys(files).length} files, ${findings.length} findings expected (CLI)`);

let failedOnce = false;
const brief = (list) => `${list.length ? JSON.stringify(list.slice(0, 6)).slice(0, -1) : '['}${list.length > 6 ? `, … ${list.length - 6} more` : ''}]`;

/** One headless Neovim session; returns true when every check passed. */
function session(name, order, env = {}) {
  const resultFile = path.join(dir, `result-${name}.json`);
  const expectedFile = path.join(dir, `expected-${name}.json`);
  const sessionFiles = Object.fromEntries(order.map((rel) => [rel, files[rel]]));
  fs.writeFileSync(expectedFile, JSON.stringify({ ...expected, files: sessionFiles, order }, null, 2));
  fs.rmSync(resultFile, { force: true });
  const r = spawnSync(NVIM, ['--headless', '--clean', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(E2E_DIR, 'neovim', 'lsp_e2e.lua')}`], {
    // After a failed session, the others wait 5 s instead of 20: a broken server fails fast in every session.
    env: {
      ...process.env,
      NODE: process.execPath,
      SERVER_JS,
      WS: ws,
      EXPECTED: expectedFile,
      RESULT: resultFile,
      ...(failedOnce ? { TIMEOUT_MS: '5000' } : {}),
      ...env,
    },
    encoding: 'utf8',
    timeout: 120000,
  });
  let result;
  try {
    result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  } catch {
    result = { ok: false, failures: [`no result file (nvim exit ${r.status}, signal ${r.signal})`] };
  }
  for (const s of result.steps ?? []) log(`${name}: ok: ${s}`);
  const ok = r.status === 0 && result.ok === true;
  if (!ok) failedOnce = true;
  if (!ok) {
    console.error(
      `${name}: FAILED (nvim exit ${r.status}${r.signal ? `, ${r.signal}` : ''}); files opened in this order: ${JSON.stringify(result.order ?? [])}`,
    );
    for (const f of result.failures ?? []) console.error(`  ${f}`);
    for (const [rel, want] of Object.entries(sessionFiles)) {
      const got = result.files?.[rel]?.got ?? [];
      const sorted = [...want].sort();
      if (JSON.stringify(got) !== JSON.stringify(sorted)) {
        console.error(
          `  ${rel} (publishDiagnostics received ${result.files?.[rel]?.published ?? 0}x):\n    CLI:    ${brief(sorted)}\n    Neovim: ${brief(got)}`,
        );
      }
    }
    if (result.actions) console.error(`  code actions offered: ${JSON.stringify(result.actions)}`);
    if (result.hover !== undefined) console.error(`  hover: ${JSON.stringify(result.hover)}`);
    if (r.stderr?.trim()) console.error(`  nvim stderr: ${r.stderr.trim().slice(-2000)}`);
    console.error(`  result: ${resultFile}`);
  }
  return ok;
}

const all = Object.keys(files);
const byKind = (dockerFirst) => [...all.filter((f) => isDockerfile(f) === dockerFirst), ...all.filter((f) => isDockerfile(f) !== dockerFirst)];
// Every file open; Dockerfiles first, so the cross-file findings that need manifests opened later (EXPOSE-only
// ports) must come from the server's workspace index and its refresh of the other open files.
let pass = session('all-files', byKind(true));
// Manifests first, diagnostics only: the same end state whatever the order.
pass = session('manifests-first', byKind(false), { CHECKS: 'diagnostics' }) && pass;
// A single file whose findings depend on files never opened: the background index alone must supply them.
// (The file whose findings in the folder differ from the CLI's on that file alone.)
const key = (f) => `${f.range.start.line}:${f.ruleId}`;
const crossFile = all.find((rel) => JSON.stringify(cliFindings(ws, [], [rel]).map(key).sort()) !== JSON.stringify([...files[rel]].sort()));
if (crossFile) {
  log(`one-file: ${crossFile} alone`);
  pass = session('one-file', [crossFile], { CHECKS: 'diagnostics' }) && pass;
} else log('one-file: skipped (the CLI reports no cross-file finding in examples/)');
log(pass ? `NEOVIM E2E PASS (${((Date.now() - started) / 1000).toFixed(1)}s)` : 'NEOVIM E2E FAIL');
process.exit(pass ? 0 : 1);
