// Shared helpers of the e2e layers: paths, the CLI oracle, workspace copies, code-server and Chromium.
// Plain ESM on purpose: nothing here is compiled, so `npm test` (which runs out/test/**/*.test.js) never sees it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO = path.resolve(E2E_DIR, '..', '..');
export const OUT = path.resolve(process.env.E2E_OUT || path.join(E2E_DIR, 'output'));
export const CACHE = process.env.E2E_CACHE || path.join(os.homedir(), '.cache', 'bulkhead-e2e');
export const NODE24 = path.join(CACHE, `node-${process.env.NODE24_VERSION || '24.21.0'}`);
export const CODE_SERVER = path.join(CACHE, `code-server-${process.env.CODE_SERVER_VERSION || '4.139.1'}`, 'bin', 'code-server');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const EXTENSION_ID = 'bulkhead.bulkhead';

const t0 = Date.now();
export const since = (start = t0) => `${((Date.now() - start) / 1000).toFixed(1)}s`;
export function logger(prefix) {
  const start = Date.now();
  return (msg) => console.log(`[${prefix} ${since(start)}] ${msg}`);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** The CLI's findings for `dir` (paths relative to `dir`), the oracle every editor layer is compared with. */
/** The CLI: the snapshot the runner took right after `npm run package` (same build as the VSIX), else bin/. */
export const CLI = process.env.E2E_CLI || path.join(REPO, 'bin', 'bulkhead.js');

export function cliFindings(dir, extraArgs = [], paths = ['.']) {
  const r = spawnSync(process.execPath, [CLI, 'scan', ...paths, '--format', 'json', '--fail-on', 'never', ...extraArgs], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bulkhead scan ${dir} failed (${r.status}): ${r.stderr}`);
  const json = JSON.parse(r.stdout);
  if (json.errors?.length) throw new Error(`bulkhead scan ${dir} reported errors: ${JSON.stringify(json.errors)}`);
  return json.findings.map((f) => ({ ...f, file: f.file.replace(/\\/g, '/').replace(/^\.\//, '') }));
}

export function countBy(findings, key) {
  const m = {};
  for (const f of findings) m[key(f)] = (m[key(f)] || 0) + 1;
  return m;
}

// Workspace copies live outside the repository: some rules read the file's path (a Dockerfile under `test/`,
// `e2e/`, `ci/` or `tools/` is a development image), so a copy under test/e2e/output would not lint like examples/.
export const WORKSPACES = path.resolve(process.env.E2E_WORKSPACES || path.join(os.tmpdir(), 'bulkhead-workspaces'));

/** A fresh copy of examples/ (tests edit files; the repo's examples are never touched). */
export function copyExamples(name, filter = () => true) {
  const dest = path.join(WORKSPACES, name);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(path.join(REPO, 'examples'), dest, { recursive: true, filter: (src) => filter(path.relative(path.join(REPO, 'examples'), src)) });
  // The copy must lint exactly like the original, file for file, or every comparison below is meaningless.
  const key = (f) => `${f.file}:${f.range.start.line}:${f.range.start.character}:${f.ruleId}:${f.message}`;
  const copied = new Set(lintableFiles(dest));
  const want = cliFindings(path.join(REPO, 'examples'), [], [...copied])
    .map(key)
    .sort();
  const got = copied.size
    ? cliFindings(dest, [], [...copied])
        .map(key)
        .sort()
    : [];
  if (JSON.stringify(want) !== JSON.stringify(got)) {
    throw new Error(
      `the copy ${dest} does not lint like examples/:\n  only in examples/: ${JSON.stringify(want.filter((k) => !got.includes(k)))}\n  only in the copy: ${JSON.stringify(got.filter((k) => !want.includes(k)))}`,
    );
  }
  return dest;
}

export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.hover.delay': 300,
  'files.autoSave': 'off',
};

/**
 * Starts code-server in its own process group (so every child, file watchers included, can be killed) and
 * waits for /healthz. Returns { url, dataDir, log, stop() }.
 */
// Process groups started here, killed whatever way this process ends (a crash included), so no code-server
// outlives its test and answers the next run's health check on the same port.
const groups = new Set();
const killGroups = (signal = 'SIGKILL') => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {}
  }
};
process.on('exit', () => killGroups());
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killGroups();
    process.exit(128 + { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig]);
  });
}

async function portAnswers(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

export async function startCodeServer({ name, port, trust = false, extraArgs = [], settings = {}, vsix }) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server not installed at ${CODE_SERVER}: run test/e2e/install.sh`);
  if (await portAnswers(port)) throw new Error(`port ${port} already answers: another code-server is running there (set E2E_PORT)`);
  const dataDir = path.join(OUT, 'code-server', name);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dataDir, 'user', 'User'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'user', 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  const env = {
    ...process.env,
    PATH: `${path.join(NODE24, 'bin')}:${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(dataDir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(dataDir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(dataDir, 'xdg', 'cache'),
  };
  delete env.NODE_OPTIONS;
  const common = ['--user-data-dir', path.join(dataDir, 'user'), '--extensions-dir', path.join(dataDir, 'ext')];
  if (vsix) {
    const r = spawnSync(CODE_SERVER, [...common, '--install-extension', vsix], { env, encoding: 'utf8' });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr))
      throw new Error(`--install-extension ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  }
  const log = path.join(dataDir, 'code-server.log');
  const fd = fs.openSync(log, 'w');
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(trust ? [] : ['--disable-workspace-trust']),
    ...extraArgs,
  ];
  const child = spawn(CODE_SERVER, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  groups.add(child.pid);
  let exited = null;
  child.on('exit', (code) => {
    exited = code;
  });
  const url = `http://127.0.0.1:${port}`;
  // A generous limit: on a loaded 2-core machine code-server is much slower to answer than the ~1 s it takes idle.
  const deadline = Date.now() + 120000;
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before it was ready:\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
    try {
      // Each try is bounded, so a server that accepts the connection but never answers still meets the deadline.
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`code-server not ready after 120s:\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
    await sleep(200);
  }
  const stop = async () => {
    if (exited !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    const end = Date.now() + 5000;
    while (exited === null && Date.now() < end) await sleep(100);
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
    groups.delete(child.pid);
  };
  return { url, dataDir, log, stop, host: `127.0.0.1:${port}` };
}

/** Extension-host and Bulkhead output-channel logs that code-server wrote under its user-data-dir. */
export function editorLogs(dataDir, pattern = /bulkhead|exthost|remoteexthost/i) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log') && pattern.test(p)) found.push(p);
    }
  };
  walk(dataDir);
  return found;
}

export function tail(file, chars = 4000) {
  try {
    const s = fs.readFileSync(file, 'utf8');
    return s.length > chars ? `…${s.slice(-chars)}` : s;
  } catch (e) {
    return `(cannot read ${file}: ${e.message})`;
  }
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-e2e-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const close = async () => {
    await ctx.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { ctx, close };
}

/** Files of `root` that Bulkhead lints (YAML and Dockerfiles), workspace-relative with '/', sorted. */
export function lintableFiles(root) {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.')) walk(p);
      } else if (isLintable(p)) out.push(p);
    }
  };
  walk('');
  return out.sort();
}

export const isDockerfile = (rel) => /(^|\/)(Dockerfile|Containerfile)([.-][^/]*)?$|\.([Dd]ocker|[Cc]ontainer)file$/.test(rel);
// YAML, Dockerfiles, and what Bulkhead recognises by content or name: kubeconfigs (`*.conf`, `config`) and .env files.
export const isLintable = (rel) =>
  /\.ya?ml$/i.test(rel) || isDockerfile(rel) || /(^|\/)([^/]*\.conf|config|[^/]*kubeconfig[^/]*|\.env(\.[-\w]+)?|[-\w]+\.env)$/.test(rel);

/** Manifests first, then Dockerfiles: the open order under which the editor equals the CLI (see neovim/). */
export const manifestsFirst = (files) => [...files.filter((f) => !isDockerfile(f)), ...files.filter(isDockerfile)];

/** The CLI's rule list (id → metadata). */
export function cliRules() {
  const r = spawnSync(process.execPath, [CLI, 'rules', '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bulkhead rules failed: ${r.stderr}`);
  const json = JSON.parse(r.stdout);
  return new Map((Array.isArray(json) ? json : json.rules).map((rule) => [rule.id, rule]));
}
