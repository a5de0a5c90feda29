// The browser build of the language server (dist/browserServer.js) in Chromium, offline: Debian's
// /usr/bin/chromium driven by playwright-core (no browser download), the bundle served to the page
// by request interception (no network), the server started as a Web Worker, and LSP spoken to it
// with postMessage, as VS Code for the Web does. The same documents go to the Node server
// (dist/server.js over stdio): every document's diagnostics and the quick-fixes of chosen findings
// must be equal. Then the browser client's side: the server in a worker has no disk and asks the client
// for the workspace's files (bulkhead/listWorkspaceFiles, bulkhead/readWorkspaceFiles); the page answers
// with the client's own handlers (client/src/workspaceFiles.ts, bundled here by esbuild) over a file
// system of the examples, as the browser extension answers through vscode.workspace.fs. With only the
// documents that have cross-file findings open, their diagnostics must equal the Node server's (which
// reads the rest from disk), "Scan Workspace" must publish the same diagnostics for every file, and after a
// chart's values.yaml and a .bulkhead.yaml change (file events) both servers must publish the same again.
// Plain ESM, not part of `npm test`; run by .ci/run after the e2e layers (which install Chromium), or
// alone: `node build.mjs && node test/browser/run.mjs`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BUNDLE = path.join(REPO, 'dist', 'browserServer.js');
const SETTLE_MS = 1500;
const TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS || 120000);
const start = Date.now();
const log = (m) => console.log(`[browser ${((Date.now() - start) / 1000).toFixed(1)}s] ${m}`);

// The examples, Helm charts included (the browser server renders templates with the chart files it reads
// through the client), a chart with a packaged subchart, and a project config the examples do not have: rbac/.bulkhead.yaml turns one rule off
// and raises another's severity for that folder only, as the nearest .bulkhead.yaml does on Node.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-browser-'));
fs.cpSync(path.join(REPO, 'examples'), root, { recursive: true });
// A chart with folder subcharts, a library chart and a packaged one (charts/*.tgz), which the browser unpacks too.
fs.cpSync(path.join(REPO, 'test', 'fixtures', 'helm', 'deps'), path.join(root, 'helm', 'deps'), { recursive: true });
const CONFIG_CASE = { folder: 'rbac', off: 'missing-seccomp-profile', raised: 'rbac-wildcard', broken: 'control-plane' };
// A config with a mistake: the files under it are linted with the settings, and the user is told.
fs.writeFileSync(path.join(root, CONFIG_CASE.broken, '.bulkhead.yaml'), 'rules: 5\n');
fs.writeFileSync(
  path.join(root, CONFIG_CASE.folder, '.bulkhead.yaml'),
  `# The browser test's project config: the nearest one applies to the files under it.\nrules:\n  ${CONFIG_CASE.off}: off\n  ${CONFIG_CASE.raised}: error\n`,
);
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else files.push(p);
  }
})(root);
files.sort();
const docs = files.map((f, i) => ({
  uri: pathToFileURL(f).href,
  languageId: /dockerfile/i.test(path.basename(f)) ? 'dockerfile' : 'yaml',
  version: 1,
  text: fs.readFileSync(f, 'utf8'),
  order: i,
}));
const initialize = {
  processId: null,
  rootUri: pathToFileURL(root).href,
  workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'examples' }],
  capabilities: {
    workspace: { workspaceFolders: true },
    textDocument: {
      publishDiagnostics: { relatedInformation: true },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
    },
  },
  initializationOptions: { debounceMs: 0 },
};
// The browser extension's initialization options: it answers the server's file requests.
const browserInitialize = { ...initialize, initializationOptions: { ...initialize.initializationOptions, workspaceFiles: true } };
const LIST = 'bulkhead/listWorkspaceFiles';
const READ = 'bulkhead/readWorkspaceFiles';

/** An LSP session over some transport: requests by id, the last diagnostics per document. */
class Session {
  constructor(name, send, init = initialize) {
    this.init = init;
    this.name = name;
    this.send = send;
    this.nextId = 1;
    this.pending = new Map();
    this.diagnostics = new Map();
    this.lastPublish = Date.now();
    /** Errors the server logged (a lint that threw). */
    this.errors = [];
    /** What the server showed the user (window/showMessage). */
    this.shown = [];
  }
  receive(msg) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`${this.name}: ${msg.error.message}`));
      else p?.resolve(msg.result);
    } else if (msg.method === 'textDocument/publishDiagnostics') {
      this.diagnostics.set(msg.params.uri, msg.params.diagnostics);
      this.lastPublish = Date.now();
    } else if (msg.method === 'window/showMessage') {
      this.shown.push(msg.params.message);
    } else if (msg.method === 'window/logMessage' && msg.params.type === 1) {
      this.errors.push(msg.params.message);
    } else if (msg.id !== undefined) {
      // A request from the server (configuration, progress, registration): answer it neutrally.
      this.send({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? (msg.params?.items ?? []).map(() => null) : null });
    }
  }
  request(method, params) {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }
  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }
  async open(opened = docs) {
    await this.request('initialize', this.init);
    this.notify('initialized', {});
    for (const d of opened) this.notify('textDocument/didOpen', { textDocument: { uri: d.uri, languageId: d.languageId, version: d.version, text: d.text } });
  }
  /** Until every document of `expected` has diagnostics and none arrived for a while (`quietMs`). */
  async settle(expected = docs, quietMs = SETTLE_MS) {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const all = expected.every((d) => this.diagnostics.has(d.uri));
      if (all && Date.now() - this.lastPublish > quietMs) return;
      if (Date.now() > deadline)
        throw new Error(
          `${this.name}: diagnostics did not settle (${this.diagnostics.size}/${expected.length} documents; none for ${expected
            .filter((d) => !this.diagnostics.has(d.uri))
            .map((d) => path.basename(fileURLToPath(d.uri)))
            .join(', ')})`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The Node server over stdio (Content-Length framing). */
function nodeSession() {
  const child = spawn(process.execPath, [path.join(REPO, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const session = new Session('node', (msg) => {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  });
  let buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())?.[1]);
      if (buffer.length < end + 4 + length) return;
      session.receive(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')));
      buffer = buffer.subarray(end + 4 + length);
    }
  });
  session.close = () => child.kill();
  return session;
}

/** The client's file handlers (client/src/workspaceFiles.ts) as a page script: `window.bulkheadClientFiles`. */
const clientFilesScript = (
  await build({
    entryPoints: [path.join(REPO, 'client/src/workspaceFiles.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'bulkheadClientFiles',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  })
).outputFiles[0].text;

/**
 * The browser bundle as a Web Worker in a Chromium page; messages cross with postMessage. The page plays
 * the browser extension's part for the server's file requests: the client's handlers over a file system
 * holding the examples' bytes (what vscode.workspace.fs would return), answered inside the page.
 */
async function browserSession(name = 'browser') {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  // Everything the page asks for is answered here; nothing reaches a network.
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/browserServer.js') return route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(BUNDLE, 'utf8') });
    if (url.pathname === '/workspaceFiles.js') return route.fulfill({ contentType: 'text/javascript', body: clientFilesScript });
    if (url.pathname === '/')
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>bulkhead browser server</title><script src="/workspaceFiles.js"></script>',
      });
    return route.abort();
  });
  await page.goto('http://bulkhead.invalid/');
  let session;
  await page.exposeFunction('bulkheadFromServer', (json) => session.receive(JSON.parse(json)));
  const workspaceFiles = Object.fromEntries(files.map((f) => [pathToFileURL(f).href, fs.readFileSync(f).toString('base64')]));
  await page.evaluate(
    ({ workspaceFiles, methods }) => {
      const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      window.bulkheadFileRequests = { list: 0, read: 0, files: 0 };
      // A file saved in the editor or changed by another tab: what vscode.workspace.fs returns from now on.
      window.bulkheadWriteFile = (uri, b64) => {
        workspaceFiles[uri] = b64;
      };
      const handlers = window.bulkheadClientFiles.workspaceFileHandlers({
        findFiles: async (_exclude, max) => Object.keys(workspaceFiles).slice(0, max),
        readFile: async (uri) => {
          if (!Object.hasOwn(workspaceFiles, uri)) throw new Error(`no such file: ${uri}`);
          window.bulkheadFileRequests.files++;
          return bytes(workspaceFiles[uri]);
        },
      });
      const worker = new Worker('/browserServer.js');
      worker.onmessage = (e) => {
        const msg = e.data;
        if (msg.id !== undefined && (msg.method === methods.list || msg.method === methods.read)) {
          window.bulkheadFileRequests[msg.method === methods.list ? 'list' : 'read']++;
          (msg.method === methods.list ? handlers.list : handlers.read)(msg.params).then(
            (result) => worker.postMessage({ jsonrpc: '2.0', id: msg.id, result }),
            (err) => worker.postMessage({ jsonrpc: '2.0', id: msg.id, error: { code: -32603, message: String(err) } }),
          );
          return;
        }
        window.bulkheadFromServer(JSON.stringify(msg));
      };
      worker.onerror = (e) => console.error(`worker error: ${e.message}`);
      window.bulkheadWorker = worker;
    },
    { workspaceFiles, methods: { list: LIST, read: READ } },
  );
  session = new Session(name, (msg) => void page.evaluate((m) => window.bulkheadWorker.postMessage(m), msg), browserInitialize);
  session.close = () => browser.close();
  session.pageErrors = pageErrors;
  session.fileRequests = () => page.evaluate(() => window.bulkheadFileRequests);
  session.writeFile = (uri, text) => page.evaluate(({ uri, b64 }) => window.bulkheadWriteFile(uri, b64), { uri, b64: Buffer.from(text).toString('base64') });
  return session;
}

const comparable = (diags) =>
  diags
    .map((d) =>
      JSON.stringify({
        range: d.range,
        severity: d.severity,
        code: d.code,
        source: d.source,
        message: d.message,
        related: (d.relatedInformation ?? []).map((r) => [r.location.uri, r.location.range, r.message]),
      }),
    )
    .sort();

const failures = [];
const node = nodeSession();
const web = await browserSession();
try {
  log(`${docs.length} documents from examples/ (Helm charts, a packaged subchart and a .bulkhead.yaml included) to both servers`);
  await Promise.all([node.open(), web.open()]);
  await Promise.all([node.settle(), web.settle()]);
  let total = 0;
  for (const d of docs) {
    const a = comparable(node.diagnostics.get(d.uri));
    const b = comparable(web.diagnostics.get(d.uri));
    total += b.length;
    const rel = path.relative(root, fileURLToPath(d.uri));
    if (JSON.stringify(a) !== JSON.stringify(b))
      failures.push(
        `${rel}: node ${a.length} diagnostics, browser ${b.length}:\n  node only: ${a.filter((x) => !b.includes(x)).join('\n             ')}\n  browser only: ${b.filter((x) => !a.includes(x)).join('\n                ')}`,
      );
  }
  log(`diagnostics: ${total} in ${docs.length} documents, ${failures.length ? 'DIFFERENT' : 'equal'} to the Node server's`);
  if (total < 20) failures.push(`only ${total} diagnostics: the examples have more; is the browser server linting?`);

  // Equal is not enough: both servers must have rendered the charts and applied the project config.
  const inFolder = (d, folder) => path.relative(root, fileURLToPath(d.uri)).split(path.sep)[0] === folder;
  const helmTemplates = docs.filter((d) => /[\\/]templates[\\/][^\\/]+\.ya?ml$/.test(d.uri) && (web.diagnostics.get(d.uri) ?? []).length);
  log(`${helmTemplates.length} Helm templates with diagnostics in the browser`);
  if (helmTemplates.length < 3) failures.push(`only ${helmTemplates.length} Helm templates have diagnostics in the browser: are charts rendered?`);
  const packaged = (web.diagnostics.get(pathToFileURL(path.join(root, 'helm', 'deps', 'Chart.yaml')).href) ?? []).filter((x) =>
    x.message.includes('of the packaged dependency'),
  );
  if (!packaged.length) failures.push('helm/deps/Chart.yaml: no finding from the packaged subchart in the browser: charts/*.tgz not unpacked?');
  else log(`helm/deps: ${packaged.length} findings from the packaged subchart (charts/packed-1.0.0.tgz) in the browser`);
  const valuesFindings = docs.filter((d) => /[\\/]values\.ya?ml$/.test(d.uri) && (web.diagnostics.get(d.uri) ?? []).length);
  if (!valuesFindings.length) failures.push('no values.yaml has a diagnostic in the browser: values files are not linted with their chart');
  const configured = docs.filter((d) => inFolder(d, CONFIG_CASE.folder)).flatMap((d) => web.diagnostics.get(d.uri) ?? []);
  const elsewhere = docs.filter((d) => !inFolder(d, CONFIG_CASE.folder)).flatMap((d) => web.diagnostics.get(d.uri) ?? []);
  if (configured.some((x) => x.code === CONFIG_CASE.off))
    failures.push(`${CONFIG_CASE.folder}/.bulkhead.yaml turns ${CONFIG_CASE.off} off, yet the browser reports it there`);
  if (!elsewhere.some((x) => x.code === CONFIG_CASE.off)) failures.push(`${CONFIG_CASE.off} fires nowhere else: the config case checks nothing`);
  const raised = configured.filter((x) => x.code === CONFIG_CASE.raised);
  if (!raised.length || raised.some((x) => x.severity !== 1))
    failures.push(
      `${CONFIG_CASE.folder}/.bulkhead.yaml makes ${CONFIG_CASE.raised} an error; the browser reports ${JSON.stringify(raised.map((x) => x.severity))}`,
    );
  else log(`${CONFIG_CASE.folder}/.bulkhead.yaml applied: ${CONFIG_CASE.off} off there, ${raised.length} ${CONFIG_CASE.raised} as errors`);
  const brokenConfig = path.join(root, CONFIG_CASE.broken, '.bulkhead.yaml');
  const told = (s) => s.shown.filter((m) => m.includes(brokenConfig));
  if (!told(web).length || JSON.stringify(told(web)) !== JSON.stringify(told(node)))
    failures.push(`the broken ${CONFIG_CASE.broken}/.bulkhead.yaml: node showed ${JSON.stringify(told(node))}, browser ${JSON.stringify(told(web))}`);
  else log(`the broken ${CONFIG_CASE.broken}/.bulkhead.yaml is shown to the user as on Node: "${told(web)[0]}"`);

  // Quick-fixes: the same code actions (titles and edits) for manifest, Dockerfile and Helm template findings.
  for (const [file, code] of [
    ['kubernetes/web.yaml', 'privileged-container'],
    ['kubernetes/web.yaml', 'deprecated-service-account-field'],
    ['docker/Dockerfile', 'dockerfile-runs-as-root'],
    // A Helm template's fix is mapped from the rendered output back to the template text.
    ['helm/shop/templates/deployment.yaml', 'writable-root-filesystem'],
    ['helm/storefront/charts/cache/templates/deployment.yaml', 'may-run-as-root'],
  ]) {
    const uri = pathToFileURL(path.join(root, file)).href;
    const diag = web.diagnostics.get(uri)?.find((x) => x.code === code);
    if (!diag) {
      failures.push(`${file}: no ${code} diagnostic in the browser`);
      continue;
    }
    const params = { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag], only: ['quickfix'] } };
    const [a, b] = await Promise.all([node.request('textDocument/codeAction', params), web.request('textDocument/codeAction', params)]);
    const fix = (actions) => JSON.stringify((actions ?? []).map((x) => ({ title: x.title, kind: x.kind, edit: x.edit })));
    const edits = (b ?? []).filter((x) => x.edit).length;
    if (!edits) failures.push(`${file} ${code}: the browser offers no quick-fix with an edit`);
    else if (fix(a) !== fix(b)) failures.push(`${file} ${code}: code actions differ:\n  node ${fix(a)}\n  browser ${fix(b)}`);
    else log(`${file} ${code}: ${b.length} code actions equal (first: "${b[0].title}")`);
  }
  for (const s of [node, web]) if (s.errors.length) failures.push(`${s.name} server logged errors:\n  ${s.errors.join('\n  ')}`);
  if (web.pageErrors.length) failures.push(`errors in the page or worker: ${web.pageErrors.join('; ')}`);
} catch (err) {
  failures.push(String(err?.stack ?? err));
  for (const s of [node, web]) if (s.errors.length) failures.push(`${s.name} server logged errors:\n  ${s.errors.join('\n  ')}`);
} finally {
  node.close();
  await web.close();
}
const allOpen = new Map(node.diagnostics);

// Files nobody opened, read through the client: fresh servers, only documents with cross-file findings
// open, and none of the files those findings name. The Node server reads the rest from disk.
const linksOut = (d) => [
  ...new Set((allOpen.get(d.uri) ?? []).flatMap((x) => (x.relatedInformation ?? []).map((r) => r.location.uri)).filter((u) => u !== d.uri)),
];
const opened = [];
for (const d of docs) {
  const targets = linksOut(d);
  if (targets.length && !targets.some((t) => opened.some((o) => o.uri === t)) && !opened.some((o) => linksOut(o).includes(d.uri))) opened.push(d);
}
const node2 = nodeSession();
const web2 = await browserSession('browser (files through the client)');
try {
  if (!opened.length) throw new Error('no example document has a finding that names another file: nothing to check cross-file with');
  log(`${opened.length} documents open whose findings name ${new Set(opened.flatMap(linksOut)).size} files nobody opened`);
  await Promise.all([node2.open(opened), web2.open(opened)]);
  // Both index the workspace 1.5 s after start, then re-lint what read the index: wait past that.
  await new Promise((r) => setTimeout(r, 2500));
  await Promise.all([node2.settle(opened), web2.settle(opened)]);
  let crossFile = 0;
  for (const d of opened) {
    const rel = path.relative(root, fileURLToPath(d.uri));
    const [a, b, all] = [node2, web2].map((x) => comparable(x.diagnostics.get(d.uri))).concat([comparable(allOpen.get(d.uri))]);
    crossFile += (web2.diagnostics.get(d.uri) ?? []).filter((x) => (x.relatedInformation ?? []).some((r) => r.location.uri !== d.uri)).length;
    if (JSON.stringify(b) !== JSON.stringify(a))
      failures.push(
        `${rel} (others unopened): node ${a.length} diagnostics, browser ${b.length}:\n  node only: ${a.filter((x) => !b.includes(x)).join('\n             ')}\n  browser only: ${b.filter((x) => !a.includes(x)).join('\n                ')}`,
      );
    else if (JSON.stringify(b) !== JSON.stringify(all))
      failures.push(`${rel}: with the other files unopened, ${b.length} diagnostics; with all open ${all.length}`);
  }
  if (!crossFile) failures.push('no cross-file diagnostic in the browser with the named files unopened: the server did not read them through the client');
  const requests = await web2.fileRequests();
  log(
    `diagnostics of the open documents equal (${crossFile} name unopened files); the server asked the client ${requests.list} list and ${requests.read} read requests (${requests.files} files)`,
  );
  if (!requests.read || !requests.files) failures.push('the browser server never asked the client for file contents');

  // "Scan Workspace": every file, through the client in the browser, from disk in Node.
  const [scanA, scanB] = await Promise.all([node2.request('bulkhead/scanWorkspace', {}), web2.request('bulkhead/scanWorkspace', {})]);
  const summary = (r) => JSON.stringify({ files: r.files, findings: r.findings, bySeverity: r.bySeverity, errors: r.errors.length });
  if (summary(scanA) !== summary(scanB)) failures.push(`Scan Workspace differs: node ${summary(scanA)}, browser ${summary(scanB)}`);
  await Promise.all([node2.settle(opened, 500), web2.settle(opened, 500)]);
  let published = 0;
  for (const uri of new Set([...node2.diagnostics.keys(), ...web2.diagnostics.keys()])) {
    const [a, b] = [node2, web2].map((x) => comparable(x.diagnostics.get(uri) ?? []));
    published++;
    if (JSON.stringify(a) !== JSON.stringify(b))
      failures.push(`scan, ${path.relative(root, fileURLToPath(uri))}: node ${a.length} diagnostics, browser ${b.length}`);
  }
  log(
    `Scan Workspace: ${scanB.findings} findings in ${scanB.files} files, ${published} documents published, ${failures.length ? 'see failures' : 'equal to the Node server'}`,
  );
  if (scanB.files < 10) failures.push(`the browser scan linted only ${scanB.files} files`);

  // Files change after the scan: a chart's values turn hostNetwork off, and the project config turns its
  // rule back on. Node reads the disk; the browser gets the file events and fetches the files again.
  const values = path.join(root, 'helm/shop/values.yaml');
  const config = path.join(root, CONFIG_CASE.folder, '.bulkhead.yaml');
  const template = pathToFileURL(path.join(root, 'helm/shop/templates/deployment.yaml')).href;
  const hostNetworkBefore = (web2.diagnostics.get(template) ?? []).filter((x) => x.code === 'host-network').length;
  const edits = [
    [values, fs.readFileSync(values, 'utf8').replace('hostNetwork: true', 'hostNetwork: false')],
    [config, `rules:\n  ${CONFIG_CASE.raised}: error\n`],
  ];
  for (const [file, text] of edits) {
    fs.writeFileSync(file, text);
    await web2.writeFile(pathToFileURL(file).href, text);
  }
  const event = { changes: edits.map(([file]) => ({ uri: pathToFileURL(file).href, type: 2 })) };
  for (const s of [node2, web2]) s.notify('workspace/didChangeWatchedFiles', event);
  await new Promise((r) => setTimeout(r, 1000));
  await Promise.all([node2.settle(opened), web2.settle(opened)]);
  let afterChange = 0;
  for (const uri of new Set([...node2.diagnostics.keys(), ...web2.diagnostics.keys()])) {
    const [a, b] = [node2, web2].map((x) => comparable(x.diagnostics.get(uri) ?? []));
    afterChange += b.length;
    if (JSON.stringify(a) !== JSON.stringify(b))
      failures.push(
        `after the file changes, ${path.relative(root, fileURLToPath(uri))}: node ${a.length} diagnostics, browser ${b.length}:\n  node only: ${a.filter((x) => !b.includes(x)).join('\n             ')}\n  browser only: ${b.filter((x) => !a.includes(x)).join('\n                ')}`,
      );
  }
  const hostNetworkAfter = (web2.diagnostics.get(template) ?? []).filter((x) => x.code === 'host-network').length;
  if (!hostNetworkBefore || hostNetworkAfter)
    failures.push(
      `helm/shop: host-network in the template before the values change ${hostNetworkBefore}, after ${hostNetworkAfter} (expected some, then none)`,
    );
  const seccompBack = [...web2.diagnostics]
    .filter(([uri]) => uri.includes(`/${CONFIG_CASE.folder}/`))
    .flatMap(([, d]) => d)
    .filter((x) => x.code === CONFIG_CASE.off).length;
  if (!seccompBack)
    failures.push(`${CONFIG_CASE.folder}/.bulkhead.yaml no longer turns ${CONFIG_CASE.off} off, yet the browser does not report it after the change`);
  log(
    `after changing helm/shop/values.yaml and ${CONFIG_CASE.folder}/.bulkhead.yaml: ${afterChange} diagnostics published, host-network in the template ${hostNetworkBefore} → ${hostNetworkAfter}, ${seccompBack} ${CONFIG_CASE.off} back`,
  );
  for (const s of [node2, web2]) if (s.errors.length) failures.push(`${s.name} server logged errors:\n  ${s.errors.join('\n  ')}`);
  if (web2.pageErrors.length) failures.push(`errors in the page or worker: ${web2.pageErrors.join('; ')}`);
} catch (err) {
  failures.push(String(err?.stack ?? err));
} finally {
  node2.close();
  await web2.close();
  fs.rmSync(root, { recursive: true, force: true });
}
if (failures.length) {
  console.error(`BROWSER SERVER FAILED:\n${failures.join('\n')}`);
  process.exit(1);
}
log('BROWSER SERVER PASS: diagnostics, quick-fixes, files read through the client and Scan Workspace equal to the Node server');
