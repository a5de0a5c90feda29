// Layer 2: Bulkhead through the `vscode` API, inside a real extension host (code-server's Node extension host
// offline, desktop VS Code under @vscode/test-electron). Every expectation comes from the CLI, computed by the
// runner for this workspace and written next to it, as `<workspace folder>.e2e.json` (or the file named by
// BULKHEAD_E2E_EXPECTED): no environment has to reach the extension host.
//
// Modes (`mode` in that file, one workbench session each):
//   main                  trusted examples/ copy: activation, scan command, diagnostics per file, hover, code
//                         actions, settings (rules, profile, enable) taking effect
//   restricted            Restricted Mode: workspace trust on, folder not trusted, no Dockerfile in it (nothing
//                         activates Bulkhead but a YAML file): onLanguage:yaml activation, diagnostics, quick-fix, scan
//   activation-dockerfile trusted folder holding only a *.Dockerfile: onLanguage:dockerfile activation, diagnostics
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXTENSION_ID = 'bulkhead.bulkhead';
const root = () => vscode.workspace.workspaceFolders[0].uri;
const expected = JSON.parse(fs.readFileSync(process.env.BULKHEAD_E2E_EXPECTED || `${root().fsPath}.e2e.json`, 'utf8'));
const MODE = expected.mode;
const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information };

const uriOf = (rel) => vscode.Uri.joinPath(root(), ...rel.split('/'));
const relOf = (uri) => path.relative(root().fsPath, uri.fsPath).split(path.sep).join('/');
const codeOf = (d) => (typeof d.code === 'object' && d.code !== null ? d.code.value : d.code);
const bulkhead = (diags) => diags.filter((d) => d.source === 'bulkhead');

// After a first timeout the session is broken (a server that publishes nothing fails every test): the remaining
// waits get 5 s, so a broken build still reports every failing test, in minutes rather than a quarter of an hour.
let degraded = false;

/** Waits for a condition on the editor's state; on timeout, fails with what the state was. */
async function waitFor(what, fn, describe = () => '', timeoutMs = 20000) {
  const limit = degraded ? Math.min(timeoutMs, 5000) : timeoutMs;
  const end = Date.now() + limit;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) {
      degraded = true;
      throw new Error(`timed out after ${limit} ms waiting for ${what}\n${describe()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `line:rule:severity:message` of each finding, sorted: what the CLI and the editor are compared on. */
function keysOfExpected(list) {
  return list.map((f) => `${f.line}:${f.character}:${f.rule}:${SEVERITY[f.severity]}:${f.message}`).sort();
}
function keysOfDiagnostics(diags) {
  return bulkhead(diags)
    .map((d) => `${d.range.start.line}:${d.range.start.character}:${codeOf(d)}:${d.severity}:${d.message}`)
    .sort();
}

function diff(files, actualOf) {
  const lines = [];
  for (const [rel, want] of Object.entries(files)) {
    const got = actualOf(rel);
    const w = keysOfExpected(want);
    if (JSON.stringify(got) !== JSON.stringify(w)) {
      const missing = w.filter((k) => !got.includes(k));
      const extra = got.filter((k) => !w.includes(k));
      const show = (list) =>
        `${list.length}${
          list.length
            ? `: ${list
                .slice(0, 3)
                .map((k) => k.slice(0, 140))
                .join(' | ')}${list.length > 3 ? ' | …' : ''}`
            : ''
        }`;
      lines.push(`${rel}: missing ${show(missing)}; extra ${show(extra)}`);
    }
  }
  return lines.join('\n');
}

async function waitForFiles(what, files, timeoutMs = 30000) {
  const actualOf = (rel) => keysOfDiagnostics(vscode.languages.getDiagnostics(uriOf(rel)));
  await waitFor(
    what,
    () => !diff(files, actualOf),
    () => diff(files, actualOf),
    timeoutMs,
  );
}

async function open(rel, languageId) {
  const doc = await vscode.workspace.openTextDocument(uriOf(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  if (languageId) assert.strictEqual(doc.languageId, languageId, `${rel} opens as ${doc.languageId}, expected ${languageId}`);
  return doc;
}

// Files Bulkhead recognises by content (a kubeconfig named `*.conf`, `.env` files) open in whatever language
// VS Code gives them (properties, plaintext, dotenv...): no language is asserted for them.
const languageOf = (rel) => (/(^|\/)(Dockerfile|Containerfile)[^/]*$|\.[Dd]ockerfile$/.test(rel) ? 'dockerfile' : /\.ya?ml$/i.test(rel) ? 'yaml' : undefined);

/** Applies the code action titled `title` (the CLI's fix title; unsafe fixes carry a suffix) at the finding. */
async function applyFix(fix) {
  const uri = uriOf(fix.file);
  const doc = await open(fix.file);
  const diag = await waitFor(`${fix.rule} on ${fix.file}:${fix.line + 1}`, () =>
    bulkhead(vscode.languages.getDiagnostics(uri)).find((d) => codeOf(d) === fix.rule && d.range.start.line === fix.line),
  );
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
  const action = actions.find((a) => a.title.startsWith(fix.title));
  assert.ok(action, `no "${fix.title}" among the code actions: ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind), `"${action.title}" is not a quick-fix`);
  // (vscode.executeCodeActionProvider does not hand back the actions' `diagnostics`, so their link is not checked here.)
  assert.ok(action.edit, `"${action.title}" has no edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), 'applyEdit refused the edit');
  assert.ok(doc.getText().includes(fix.fixedText), `after "${action.title}" ${fix.file} does not contain "${fix.fixedText}":\n${doc.getText()}`);
  await waitFor(
    `${fix.rule} to clear after "${action.title}"`,
    () => !bulkhead(vscode.languages.getDiagnostics(uri)).some((d) => codeOf(d) === fix.rule),
    () => JSON.stringify(keysOfDiagnostics(vscode.languages.getDiagnostics(uri))),
  );
  return { doc, action };
}

async function revert(rel) {
  await open(rel);
  await vscode.commands.executeCommand('workbench.action.files.revert');
  const doc = await open(rel);
  assert.ok(!doc.isDirty, `${rel} still dirty after revert`);
}

async function setting(key, value) {
  await vscode.workspace.getConfiguration('bulkhead').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** Sum of Bulkhead's diagnostics over all files, and per file. */
function allBulkheadDiagnostics() {
  const files = {};
  let total = 0;
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    const n = bulkhead(diags).length;
    if (!n) continue;
    files[relOf(uri)] = n;
    total += n;
  }
  return { total, files };
}

async function scanAndCompare() {
  // The command awaits the summary message (it offers "Show Problems"), so it is not awaited here: the test waits
  // for what the user sees, the diagnostics, to equal the CLI's scan of the folder.
  const before = allBulkheadDiagnostics();
  void vscode.commands.executeCommand('bulkhead.scanWorkspace');
  const want = JSON.stringify(sortKeys(expected.scan.files));
  await waitFor(
    `the scan's diagnostics to equal the CLI (${expected.scan.total} findings)`,
    () => {
      const now = allBulkheadDiagnostics();
      return now.total === expected.scan.total && JSON.stringify(sortKeys(now.files)) === want;
    },
    () => `editor: ${JSON.stringify(sortKeys(allBulkheadDiagnostics().files))}\nCLI:    ${want}`,
    45000,
  );
  console.log(`    scan: ${before.total} Bulkhead diagnostics before, ${expected.scan.total} after (CLI: ${expected.scan.total})`);
  await vscode.commands.executeCommand('notifications.clearAll').then(undefined, () => undefined);
}

function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const extension = () => vscode.extensions.getExtension(EXTENSION_ID);

suite(`Bulkhead in a real extension host (${MODE})`, function () {
  suiteSetup(() => {
    console.log(
      `ext host: node ${process.versions.node}, vscode ${vscode.version}, remoteName=${vscode.env.remoteName}, uiKind=${vscode.env.uiKind}, trusted=${vscode.workspace.isTrusted}, workspace=${root().fsPath}`,
    );
    assert.ok(extension(), `${EXTENSION_ID} is not loaded (extensionDevelopmentPath)`);
  });

  if (MODE === 'main') {
    test('activates in a folder with a Dockerfile and registers its commands', async () => {
      await waitFor('activation (workspaceContains:**/Dockerfile)', () => extension().isActive);
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['bulkhead.scanWorkspace', 'bulkhead.restartServer', 'bulkhead.showOutput', 'bulkhead.showBuildSbom'])
        assert.ok(commands.includes(c), `${c} not registered`);
    });

    test('"Bulkhead: Scan Workspace" publishes what the CLI finds in the folder, file by file', async () => {
      assert.strictEqual(allBulkheadDiagnostics().total, 0, 'diagnostics before any file was opened or scanned');
      await scanAndCompare();
    });

    test("each file opened in the editor gets the CLI's diagnostics (message, rule, severity, position)", async () => {
      for (const rel of expected.open) await open(rel, languageOf(rel));
      await waitForFiles("the open files' diagnostics to equal the CLI", expected.files);
    });

    test("hover on a finding shows the rule's docs", async () => {
      const h = expected.hover;
      await open(h.file);
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uriOf(h.file), new vscode.Position(h.line, h.character));
      const text = hovers.flatMap((x) => x.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      for (const part of [h.title, h.rule, 'How to fix']) assert.ok(text.includes(part), `hover lacks "${part}":\n${text}`);
    });

    for (const fix of expected.fixes) {
      test(`quick-fix "${fix.title}" rewrites ${fix.file} and clears ${fix.rule}; revert brings it back`, async () => {
        await applyFix(fix);
        await revert(fix.file);
        await waitForFiles(`${fix.file} back to the CLI's diagnostics after revert`, { [fix.file]: expected.files[fix.file] });
      });
    }

    test('setting bulkhead.rules turns a rule off and back on', async () => {
      const { file, rule } = expected.ruleOff;
      const without = { [file]: expected.files[file].filter((f) => f.rule !== rule) };
      try {
        await setting('rules', { [rule]: 'off' });
        await waitForFiles(`${rule} gone from ${file} with "bulkhead.rules": {"${rule}": "off"}`, without);
      } finally {
        await setting('rules', undefined);
      }
      await waitForFiles(`${rule} back in ${file}`, { [file]: expected.files[file] });
    });

    test(`setting bulkhead.profile to ${expected.profile.name} gives the CLI's --profile ${expected.profile.name} findings`, async () => {
      try {
        await setting('profile', expected.profile.name);
        await waitForFiles(`the ${expected.profile.name} findings`, expected.profile.files);
      } finally {
        await setting('profile', undefined);
      }
      await waitForFiles('the recommended findings again', expected.files);
    });

    test('setting bulkhead.enable to false clears every diagnostic; true brings them back', async () => {
      try {
        await setting('enable', false);
        await waitFor(
          'no Bulkhead diagnostics on open files',
          () => expected.open.every((rel) => bulkhead(vscode.languages.getDiagnostics(uriOf(rel))).length === 0),
          () => JSON.stringify(allBulkheadDiagnostics()),
        );
      } finally {
        await setting('enable', undefined);
      }
      await waitForFiles('the diagnostics to come back', expected.files);
    });
  }

  if (MODE === 'restricted') {
    test('the folder is not trusted (Restricted Mode)', () => {
      assert.strictEqual(vscode.workspace.isTrusted, false, 'workspace trust is granted: this session must run untrusted');
    });

    test('declares Restricted Mode support and is not active before a YAML file opens', () => {
      const caps = extension().packageJSON.capabilities;
      assert.strictEqual(caps?.untrustedWorkspaces?.supported, true);
      assert.strictEqual(extension().isActive, false, 'already active: something other than onLanguage:yaml activated it');
    });

    test('opening a manifest activates it (onLanguage:yaml) and its diagnostics equal the CLI', async () => {
      const rel = expected.open[0];
      await open(rel, 'yaml');
      await waitFor('activation on a YAML file', () => extension().isActive);
      await waitForFiles(`${rel}'s diagnostics`, { [rel]: expected.files[rel] });
    });

    for (const fix of expected.fixes) {
      test(`quick-fix "${fix.title}" works in Restricted Mode`, async () => {
        await applyFix(fix);
        await revert(fix.file);
      });
    }

    test('"Bulkhead: Scan Workspace" works in Restricted Mode', async () => {
      await scanAndCompare();
    });
  }

  if (MODE === 'activation-dockerfile') {
    test('is not active before a Dockerfile opens', () => {
      assert.strictEqual(extension().isActive, false, 'already active: something other than onLanguage:dockerfile activated it');
    });

    test('opening a *.Dockerfile activates it (onLanguage:dockerfile) and its diagnostics equal the CLI', async () => {
      const rel = expected.open[0];
      await open(rel, 'dockerfile');
      await waitFor('activation on a Dockerfile', () => extension().isActive);
      await waitForFiles(`${rel}'s diagnostics`, { [rel]: expected.files[rel] });
    });
  }
});
