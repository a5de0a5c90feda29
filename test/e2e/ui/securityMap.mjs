// The security map, as a user sees it (issue 18), driven from the UI layer:
//   - in code-server: "Bulkhead: Show Security Map" from the command palette opens the webview; the drawn graph
//     (queried through the viewer's `window.bulkheadMap`, not from pixels) has the CLI's entry points, paths and
//     crown jewels; a real mouse click on a workload's node opens its file at its line in the editor;
//   - the HTML report (`bulkhead map --out`) opened from file:// in Chromium with the network off: no console
//     error, no request that is not file: or data:, the same graph drawn; on examples/ and on the corpus project
//     with the most workloads (skipped when the corpus is absent).
// Screenshots go to <out>/screenshots/ui-NN-security-map*.png and ui-map-report-*.png.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, launchChromium, WORKSPACES } from '../lib/common.mjs';

const CORPUS = process.env.E2E_CORPUS || '/work/shared/corpus';
/** A workload the examples' map must draw, and whose node the test clicks. */
const CLICKED = 'workload:shop/Deployment/frontend';
const LB_PATH = 'Internet → Service/frontend (LoadBalancer) → Deployment/frontend';

/** `bulkhead map` of `dir` as JSON (files relative to `dir`), or an HTML report written to `out`. */
export function cliMap(dir, out) {
  const args = out ? ['map', '.', '--out', out] : ['map', '.', '--format', 'json'];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bulkhead ${args.join(' ')} in ${dir} exited ${r.status}: ${r.stderr}`);
  return out ? undefined : JSON.parse(r.stdout);
}

/** The frame (at any depth) whose page runs the map viewer with a drawn graph. */
async function mapFrame(page, timeout) {
  const end = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      const n = await f.evaluate(() => (window.bulkheadMap ? window.bulkheadMap.nodes().length : 0)).catch(() => 0);
      if (n > 0) return f;
    }
    if (Date.now() > end)
      throw new Error(
        `no frame draws the security map after ${timeout / 1000}s (frames: ${page
          .frames()
          .map((f) => f.url().slice(0, 80))
          .join(', ')})`,
      );
    await page.waitForTimeout(200); // polling interval of a wait on state
  }
}

const drawn = (frame) => frame.evaluate(() => ({ nodes: window.bulkheadMap.nodes(), edges: window.bulkheadMap.edges(), paths: window.bulkheadMap.paths() }));

/** What the drawn graph must hold, from the CLI's JSON of the same files. */
function checkDrawn(what, shown, expected) {
  const problems = [];
  if (shown.paths.length !== expected.paths.length) problems.push(`${shown.paths.length} paths listed, the CLI finds ${expected.paths.length}`);
  const ids = new Set(shown.nodes.map((n) => n.id));
  const aggregated = shown.nodes.some((n) => n.classes.includes('aggregate'));
  for (const n of expected.nodes) {
    // Entry points and jewels stay drawn even when namespaces are collapsed.
    if ((n.jewel || n.type === 'Internet' || !aggregated) && !ids.has(n.id)) problems.push(`${n.type} ${n.id} is not drawn`);
  }
  // Edges of one kind between the same two nodes are drawn as one (two escapes of one container to its node).
  const kind = (type) =>
    /^(CE_|EXPLOIT_|CONTAINER_ATTACH$|SHARE_PS_NAMESPACE$)/.test(type)
      ? 'escape'
      : /^(IDENTITY_|TOKEN_)/.test(type)
        ? 'identity'
        : /^(ENDPOINT_|NETWORK_|EXPOSED_|REACHES$)/.test(type)
          ? 'network'
          : 'rbac';
  const distinct = new Set(expected.edges.map((e) => `${e.from} ${e.to} ${kind(e.type)}`)).size;
  if (!aggregated && shown.edges.length !== distinct) problems.push(`${shown.edges.length} edges drawn, the CLI has ${distinct} (by ends and kind)`);
  if (!shown.nodes.some((n) => n.id === 'internet' && n.classes.includes('entry'))) problems.push('the Internet entry point is not drawn as one');
  if (!shown.nodes.some((n) => n.classes.includes('jewel'))) problems.push('no crown jewel drawn');
  if (problems.length) throw new Error(`${what}: ${problems.join('; ')}`);
}

/** Steps inside code-server; `ui` gives the UI layer's helpers. */
export async function securityMapSteps(ui) {
  const { page, step, shot, runCommand, waitUntil, activeEditorIs, goTo, ws, log } = ui;
  const expected = cliMap(ws);
  const target = expected.nodes.find((n) => n.id === CLICKED);
  if (!target) throw new Error(`the CLI's map of examples/ has no ${CLICKED}: update test/e2e/ui/securityMap.mjs`);
  let frame;
  await step('"Bulkhead: Show Security Map" draws the CLI\'s entry points, paths and crown jewels', async () => {
    // The map gets the whole editor area: the Problems panel the scan opened is closed first.
    // (Named "Hide Panel" in current VS Code; the map is checked either way, only the screenshot is smaller.)
    await runCommand('View: Hide Panel').catch(async (e) => {
      log(`could not hide the panel (${e.message.split('\n')[0]})`);
      await page.keyboard.press('Escape');
    });
    await runCommand('Bulkhead: Show Security Map');
    frame = await mapFrame(page, 120000);
    const shown = await drawn(frame);
    checkDrawn('the webview', shown, expected);
    if (!shown.paths.some((p) => p.startsWith(LB_PATH))) throw new Error(`no path "${LB_PATH} …" listed: ${JSON.stringify(shown.paths.slice(0, 5))}`);
    log(
      `map: ${shown.nodes.length} nodes, ${shown.edges.length} edges, ${shown.paths.length} paths drawn (CLI: ${expected.nodes.length}/${expected.edges.length}/${expected.paths.length})`,
    );
    await shot('security-map');
  });
  await step(`clicking ${target.name} in the map opens ${target.file}:${target.line}`, async () => {
    const box = await frame.locator('#map').boundingBox();
    const at = await frame.evaluate((id) => window.bulkheadMap.position(id), CLICKED);
    if (!box || !at) throw new Error(`cannot place ${CLICKED} on screen (map box ${JSON.stringify(box)}, node ${JSON.stringify(at)})`);
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await waitUntil(
      () => activeEditorIs(target.file),
      30000,
      async () => `${target.file} did not open after a click on its node`,
    );
    await page
      .locator('#status\\.editor\\.selection')
      .filter({ hasText: `Ln ${target.line}, Col 1` })
      .waitFor({ timeout: 30000 });
    await shot('security-map-opened-file');
  });
  await step('the map follows an edit: saving frontend.yaml with a ClusterIP Service removes the LoadBalancer path, restoring it brings it back', async () => {
    // shop/frontend.yaml, opened by the click above: line 29 is `  type: LoadBalancer`.
    const lbListed = () => frame.evaluate((p) => window.bulkheadMap.paths().some((x) => x.startsWith(p)), LB_PATH).catch(() => null);
    const retype = async (word) => {
      await goTo(29, 9);
      await page.keyboard.press('Shift+End');
      await page.keyboard.type(word);
      await page.keyboard.press('Control+S');
    };
    await retype('ClusterIP');
    await waitUntil(
      async () => (await lbListed()) === false,
      60000,
      async () => `after saving type: ClusterIP the map still lists "${LB_PATH} …"`,
    );
    await shot('security-map-after-edit');
    await retype('LoadBalancer');
    await waitUntil(
      async () => (await lbListed()) === true,
      60000,
      async () => `after restoring type: LoadBalancer the map does not list "${LB_PATH} …" again`,
    );
    const shown = await drawn(frame);
    checkDrawn('the webview after the edit was undone', shown, cliMap(ws));
  });
}

/**
 * The webview on the largest corpus project: code-server reopens on a copy of it, the map draws what the CLI
 * computes for the same files, and a click on a workload's node opens its file at its line.
 */
export async function corpusWebviewSteps(ui, corpus) {
  const { page, step, shot, runCommand, waitUntil, activeEditorIs, log, url } = ui;
  const name = path.basename(corpus);
  const dir = path.join(WORKSPACES, `map-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(corpus, dir, { recursive: true });
  const expected = cliMap(dir);
  // The first workload (by id) with a file: the node clicked below.
  const target = expected.nodes.filter((n) => n.type === 'Workload' && n.file && n.line).sort((a, b) => a.id.localeCompare(b.id))[0];
  if (!target) throw new Error(`the CLI's map of ${name} has no workload with a file`);
  let frame;
  await step(`"Bulkhead: Show Security Map" on ${name} (the corpus project with the most workloads) draws the CLI's map`, async () => {
    await page.goto(`${url}/?folder=${encodeURIComponent(dir)}`, { waitUntil: 'commit', timeout: 60000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 120000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90000 });
    await runCommand('Bulkhead: Show Security Map');
    frame = await mapFrame(page, 180000);
    const shown = await drawn(frame);
    checkDrawn(`the webview of ${name}`, shown, expected);
    log(
      `map of ${name}: ${shown.nodes.length} nodes, ${shown.edges.length} edges, ${shown.paths.length} paths drawn (CLI: ${expected.nodes.length}/${expected.edges.length}/${expected.paths.length})`,
    );
    await shot(`security-map-${name}`);
  });
  await step(`clicking ${target.name} in the map of ${name} opens ${target.file}:${target.line}`, async () => {
    const box = await frame.locator('#map').boundingBox();
    const at = await frame.evaluate((id) => window.bulkheadMap.position(id), target.id);
    if (!box || !at) throw new Error(`cannot place ${target.id} on screen (map box ${JSON.stringify(box)}, node ${JSON.stringify(at)})`);
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await waitUntil(
      () => activeEditorIs(target.file),
      30000,
      async () => `${target.file} did not open after a click on its node`,
    );
    await page
      .locator('#status\\.editor\\.selection')
      .filter({ hasText: `Ln ${target.line}, Col 1` })
      .waitFor({ timeout: 30000 });
    await shot(`security-map-${name}-opened-file`);
  });
}

/** The corpus project with the most workload documents (a cheap count of `kind:` lines), or undefined. */
export function largestCorpusProject(root = CORPUS) {
  if (!fs.existsSync(root)) return undefined;
  const WORKLOAD = /^kind:\s*(Deployment|StatefulSet|DaemonSet|Job|CronJob|Pod|ReplicaSet)\s*$/gm;
  let best;
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    let count = 0;
    const walk = (dir) => {
      for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, f.name);
        if (f.isDirectory() && !f.name.startsWith('.')) walk(p);
        else if (f.isFile() && /\.ya?ml$/i.test(f.name)) count += (fs.readFileSync(p, 'utf8').match(WORKLOAD) ?? []).length;
      }
    };
    walk(path.join(root, e.name));
    if (!best || count > best.count) best = { dir: path.join(root, e.name), count };
  }
  return best?.count ? best.dir : undefined;
}

/**
 * The report without a mouse: Tab reaches the drawing, the arrow keys walk from the Internet to the clicked
 * workload's neighbours and the live region names each node, Enter selects one (its paths listed, its file and
 * line shown), Escape clears; then the same page in the dark colour scheme redraws in the dark palette.
 */
async function keyboardAndThemes(page, expected, shots) {
  const map = page.locator('#map');
  await map.focus();
  const status = () => page.locator('#focus-status').innerText();
  const focused = () => page.evaluate(() => window.bulkheadMap.focused());
  if ((await focused()) !== 'internet') throw new Error(`Tab onto the map focuses ${await focused()}, not the Internet (the top-left node)`);
  if (!/^Internet/.test(await status())) throw new Error(`the live region says "${await status()}" for the Internet`);
  // Walk right until a workload is reached: each step announced, every node reached is a drawn node.
  const drawnIds = new Set((await drawn(page.mainFrame())).nodes.map((n) => n.id));
  let id = 'internet';
  for (let k = 0; k < 6 && !id.startsWith('workload:'); k++) {
    await page.keyboard.press('ArrowRight');
    id = await focused();
    if (!drawnIds.has(id)) throw new Error(`ArrowRight moved to ${id}, which is not drawn`);
  }
  if (!id.startsWith('workload:')) throw new Error(`six ArrowRight presses from the Internet never reach a workload (at ${id})`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  id = await focused();
  const node = expected.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`the focused node ${id} is not in the CLI's map`);
  if (!(await status()).includes(node.name.split('/').pop())) throw new Error(`the live region says "${await status()}" on ${node.id}`);
  await page.keyboard.press('Enter');
  const through = expected.paths.filter(
    (p) =>
      p.workload === node.id ||
      p.from === node.id ||
      p.to === node.id ||
      p.edges.some((e) => expected.edges[e].from === node.id || expected.edges[e].to === node.id),
  ).length;
  const title = await page.locator('#paths-title').innerText();
  if (!title.includes('through')) throw new Error(`Enter on ${node.id} did not select it: the list is titled "${title}"`);
  if (!title.startsWith(`${through} path`)) throw new Error(`Enter on ${node.id}: "${title}", the CLI has ${through} paths through it`);
  const details = await page.locator('#details').innerText();
  if (!details.includes(`${node.file}:${node.line}`)) throw new Error(`Enter on ${node.id} shows "${details}", not ${node.file}:${node.line}`);
  await page.screenshot({ path: path.join(shots, 'ui-map-report-keyboard.png') });
  await page.keyboard.press('Escape');
  if ((await page.locator('#paths-title').innerText()).includes('through')) throw new Error('Escape did not clear the selection');
  // A path step is a button the keyboard reaches.
  if (!(await page.locator('#paths button.step').count())) throw new Error('the path steps are not buttons');
  // Themes: the drawing takes the dark palette when the colour scheme changes, without a reload.
  const light = await page.evaluate(() => window.bulkheadMap.colour('internet'));
  await page.emulateMedia({ colorScheme: 'dark' });
  const end = Date.now() + 10000;
  let dark = light;
  while (dark === light && Date.now() < end) {
    await page.waitForTimeout(100); // polling interval of a wait on state
    dark = await page.evaluate(() => window.bulkheadMap.colour('internet'));
  }
  if (dark !== 'rgb(92,77,26)') throw new Error(`in the dark scheme the Internet is drawn ${dark} (light: ${light}), not the dark entry colour #5c4d1a`);
  await page.screenshot({ path: path.join(shots, 'ui-map-report-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The HTML report from file://, offline: drawn like the CLI's JSON, no console error, no request. */
export async function reportSteps({ step, log, shots, workDir, projects }) {
  const browser = await launchChromium();
  try {
    await browser.ctx.setOffline(true);
    for (const { name, dir } of projects) {
      await step(`the HTML report of ${name} opens from file:// offline, with no error and no request`, async () => {
        const report = path.join(workDir, `map-${name}.html`);
        cliMap(dir, report);
        const expected = cliMap(dir);
        const page = await browser.ctx.newPage();
        const errors = [];
        const requests = [];
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => !/^(file|data):/.test(r.url()) && requests.push(r.url()));
        await page.goto(`file://${report}`);
        const frame = await mapFrame(page, 60000);
        checkDrawn(`the report of ${name}`, await drawn(frame), expected);
        if (errors.length) throw new Error(`console errors: ${errors.join(' | ')}`);
        if (requests.length) throw new Error(`network requests: ${requests.join(', ')}`);
        const p = path.join(shots, `ui-map-report-${name}.png`);
        await page.screenshot({ path: p });
        if (name === 'examples') await keyboardAndThemes(page, expected, shots);
        log(
          `report ${name}: ${expected.nodes.length} nodes, ${expected.paths.length} paths, ${(fs.statSync(report).size / 1024).toFixed(0)} KB; screenshot ${p}`,
        );
        await page.close();
      });
    }
  } finally {
    await browser.close();
  }
}
