// Layer 2 runner, offline: runs suite/index.js inside code-server's Node extension host, the way
// @vscode/test-electron's runTests({ extensionDevelopmentPath, extensionTestsPath }) does in desktop VS Code.
//
// How: code-server started with `--vscode-option enable-smoke-test-driver` honours the workbench URL's
// `?payload=[["extensionDevelopmentPath", URI], ["extensionTestsPath", URI]]`; with vscode-remote:// URIs the suite
// runs in the remote (Node) extension host, its console output reaches the page console, and when mocha finishes
// the workbench calls window.codeAutomationExit(code), which Playwright exposes to us.
//
// The extension under test is the VSIX's content (unpacked by check-vsix.mjs), not the source tree.
// One session per mode (see suite/bulkhead.e2e.js); Restricted Mode runs on a second code-server with workspace
// trust on. On failure: the mocha output, a screenshot of the workbench, the Bulkhead output channel and the
// extension-host log; then the session runs once more, and only a second failure fails the layer.
//
// env: E2E_OUT, E2E_EXT_DEV (extension folder; default <out>/vsix/extension), E2E_MODES (comma list), E2E_PORT
import fs from 'node:fs';
import path from 'node:path';
import { E2E_DIR, editorLogs, launchChromium, logger, OUT, REPO, startCodeServer, tail } from '../lib/common.mjs';
import { prepareSessions } from './expectations.mjs';

const log = logger('ext-host');
const started = Date.now();
const EXT_DEV = path.resolve(process.env.E2E_EXT_DEV || path.join(OUT, 'vsix', 'extension'));
const SUITE = path.join(E2E_DIR, 'ext-host', 'suite', 'index.js');
const PORT = Number(process.env.E2E_PORT || 18091);
const TIMEOUT = Number(process.env.E2E_SESSION_TIMEOUT_MS || 300000);
const modes = (process.env.E2E_MODES || 'main,restricted,activation-dockerfile').split(',');
const logDir = path.join(OUT, 'ext-host');
const shots = path.join(OUT, 'screenshots');
fs.mkdirSync(logDir, { recursive: true });
fs.mkdirSync(shots, { recursive: true });
if (!fs.existsSync(path.join(EXT_DEV, 'package.json'))) throw new Error(`no extension at ${EXT_DEV}: run check-vsix.mjs first (or set E2E_EXT_DEV)`);

// Formats console messages forwarded from the extension host: ('%c INFO', css, fmt, ...args).
function format(args) {
  if (!args.length) return '';
  let [f, ...rest] = args;
  if (typeof f !== 'string') return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  f = f.replace(/%[csdifoO%]/g, (x) => (x === '%%' ? '%' : !rest.length ? x : x === '%c' ? (rest.shift(), '') : String(rest.shift())));
  return rest.length ? `${f} ${format(rest)}` : f;
}

async function runSession(cs, session, browser) {
  const remote = (p) => `vscode-remote://${cs.host}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(EXT_DEV)],
    ['extensionTestsPath', remote(SUITE)],
  ]);
  const url = `${cs.url}/?folder=${encodeURIComponent(session.workspace)}&payload=${encodeURIComponent(payload)}`;
  const page = await browser.ctx.newPage();
  const lines = [];
  let echo = false;
  const out = fs.createWriteStream(path.join(logDir, `${session.file ?? session.mode}.log`));
  page.on('console', async (m) => {
    let args;
    try {
      args = await Promise.all(m.args().map((a) => a.jsonValue()));
    } catch {
      args = [m.text()];
    }
    const text = format(args).replace(/^ ?INFO\s/, '');
    if (!out.writableEnded) out.write(`${text}\n`);
    // Echo the suite's own output (mocha's spec reporter, our console.log lines), not the workbench's.
    if (/Bulkhead in a real extension host/.test(text)) echo = true;
    if (echo && !/workbench\.js|^\s*$/.test(text)) {
      lines.push(text);
      console.log(`  [${session.mode}] ${text}`);
    }
    if (/MOCHA_DONE/.test(text)) {
      echo = false;
      lines.push(text);
    }
  });
  let resolveExit;
  const exited = new Promise((r) => {
    resolveExit = r;
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code)); // before the workbench loads
  const t0 = Date.now();
  // Only the navigation itself is awaited, not the page's `load` event (Playwright's 30 s default can run out on a
  // loaded machine while the workbench's code downloads): the session's end is codeAutomationExit, within TIMEOUT.
  await page.goto(url, { waitUntil: 'commit', timeout: 60000 });
  let timer;
  const code = await Promise.race([
    exited,
    new Promise((r) => {
      timer = setTimeout(() => r('timeout'), TIMEOUT);
    }),
  ]);
  clearTimeout(timer);
  const shot = path.join(shots, `ext-host-${session.file ?? session.mode}.png`);
  await page.screenshot({ path: shot }).catch(() => {});
  await page.close().catch(() => {});
  out.end();
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const ok = code === 0 && lines.some((l) => /MOCHA_DONE failures=0/.test(l));
  log(`${session.mode}: exit code ${code} (${seconds}s)${ok ? '' : ' FAILED'}`);
  if (!ok) {
    console.error(`ext-host session "${session.mode}" failed (exit ${code}). Workspace ${session.workspace}, expectations ${session.expected}`);
    console.error(`  screenshot: ${shot}\n  full console: ${path.join(logDir, `${session.file ?? session.mode}.log`)}`);
    for (const f of editorLogs(cs.dataDir, /Bulkhead\.log$|remoteexthost\.log$/)) console.error(`--- ${f}\n${tail(f, 4000)}`);
  }
  return ok;
}

const sessions = prepareSessions(modes);
let trusted;
let untrusted;
let browser;
let failed = 0;
try {
  browser = await launchChromium();
  for (const session of sessions) {
    let cs;
    if (session.mode === 'restricted') {
      untrusted ??= await startCodeServer({
        name: 'ext-host-untrusted',
        port: PORT + 1,
        trust: true,
        extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
        settings: {
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.banner': 'always',
          'security.workspace.trust.emptyWindow': false,
        },
      });
      cs = untrusted;
    } else {
      trusted ??= await startCodeServer({ name: 'ext-host', port: PORT, extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
      cs = trusted;
    }
    log(`${session.mode}: ${path.relative(REPO, session.workspace)} on ${cs.url} (extension: ${path.relative(REPO, EXT_DEV) || EXT_DEV})`);
    if (await runSession(cs, session, browser)) continue;
    // One more try on a fresh copy of the workspace (the failed run may have left edits and settings behind). A
    // session that passes only then still shows: its failure above, and the RETRY line in run.mjs's summary.
    log(`RETRY ${session.mode}: failed once (see above); running it again on a fresh copy of its workspace`);
    const [again] = prepareSessions([session.mode]);
    if (await runSession(cs, { ...again, file: `${again.mode}-retry` }, browser))
      log(`RETRY ${session.mode}: passed on the second run (flaky: the first failure is above)`);
    else failed++;
  }
} finally {
  await browser?.close();
  await trusted?.stop();
  await untrusted?.stop();
}
log(
  failed
    ? `EXT-HOST E2E FAIL (${failed} of ${sessions.length} sessions)`
    : `EXT-HOST E2E PASS (${sessions.length} sessions, ${((Date.now() - started) / 1000).toFixed(1)}s)`,
);
process.exit(failed ? 1 : 0);
