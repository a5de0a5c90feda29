/**
 * The language server process: wires LSP messages to the language service. Everything that
 * decides what to report lives in the service and the engine; when to lint is the scheduler's
 * (debounce, latest version wins, slices); this file handles configuration pulls, file watching
 * and the workspace scan.
 */
import * as path from 'node:path';
import {
  CancellationToken,
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { chartDetector, helmChartLoader } from '../node/files';
import { workspaceFileReader } from '../node/workspaceFiles';
import { CONFIG_FILE_NAMES } from '../engine/config';
import { BulkheadLanguageService, FIX_ALL_KIND, networkPolicyFile } from '../service/languageService';
import { pathToFileURL } from 'node:url';
import { loadNetworkWorkspace } from '../node/networkWorkspace';
import { ConfigResolver } from '../service/configResolver';
import { URI } from '../service/uri';
import type { Diagnostic } from 'vscode-languageserver';
import { BaselineHints } from './baselineHints';
import { WorkspaceScanner } from './workspaceScan';
import { securityMap } from '../map/workspaceMap';
import { LintScheduler } from './lintScheduler';
import { DockerfileModel } from '../documents/dockerfile';
import { buildSbomJson } from '../sbom/editor';
import { contextReader } from '../node/buildContext';
import { realRoots } from '../node/files';
import {
  BulkheadSettings,
  GENERATE_NETWORK_POLICIES_COMMAND,
  MAP_DATA_REQUEST,
  SCAN_PROGRESS_NOTIFICATION,
  SCAN_WORKSPACE_REQUEST,
  BUILD_SBOM_REQUEST,
  BuildSbomParams,
  BuildSbomResult,
  ScanWorkspaceParams,
  ScanWorkspaceResult,
  SETTINGS_SECTION,
} from './protocol';

// Every incoming message is noted so queued lints wait until the messages before them are handled.
const connection = createConnection(ProposedFeatures.all, {
  messageStrategy: {
    handleMessage: (message, next) => {
      scheduler.noteMessage();
      return next(message);
    },
  },
});
const documents = new TextDocuments(TextDocument);
let workspaceFolders: string[] = [];
let canPullConfiguration = false;
let settings: BulkheadSettings = { enable: true, debounceMs: 150 };

const resolver = new ConfigResolver(undefined, () => workspaceFolders);
const index = new WorkspaceIndex();
let isInChart = chartDetector();
// Chart files are read only inside the workspace folders: a link out of them is not followed.
const helmChart = helmChartLoader(() => workspaceFolders);
// Files rules read besides the linted one (a kubeconfig's key file): inside the workspace folders only.
const service = new BulkheadLanguageService(
  resolver,
  index,
  (p) => isInChart(p),
  helmChart,
  workspaceFileReader(() => workspaceFolders),
);
const baselineHints = new BaselineHints(
  () => workspaceFolders,
  () => settings.baseline,
);
/** Findings a project's baseline records are hints (files on disk only: a baseline names files). */
const withBaseline = <D extends Diagnostic>(uri: string, diagnostics: D[]): D[] => {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? (baselineHints.apply(parsed.fsPath, diagnostics) as D[]) : diagnostics;
};
const scanner = new WorkspaceScanner(
  service,
  resolver,
  index,
  (uri, diagnostics) => connection.sendDiagnostics({ uri, diagnostics: withBaseline(uri, diagnostics) }),
  (uri) => documents.get(uri),
);

const scheduler = new LintScheduler({ run: (uri) => validate(uri) });
/** What was last published per open document: the lint id and version, so a result is sent once. */
const published = new Map<string, { id: number; version: number }>();
const reportedInternalErrors = new Set<string>();

// Whatever changed the index (an edit, a file on disk, a closed document, background indexing),
// re-lint the open documents whose last lint read a fact that changed, through the queue.
index.onChange((facts) => {
  for (const uri of service.readersOf(facts)) if (documents.get(uri)) scheduler.schedule(uri, 'dependency');
});

connection.onInitialize((params) => {
  const caps = params.capabilities;
  canPullConfiguration = !!caps.workspace?.configuration;
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
  if (!workspaceFolders.length && params.rootUri) workspaceFolders = [URI.parse(params.rootUri).fsPath];
  const initOptions = params.initializationOptions as Partial<BulkheadSettings> | undefined;
  if (initOptions) applySettings({ ...settings, ...initOptions });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      hoverProvider: true,
      executeCommandProvider: { commands: [GENERATE_NETWORK_POLICIES_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'bulkhead', version: typeof BULKHEAD_VERSION === 'string' ? BULKHEAD_VERSION : undefined },
  };
});
declare const BULKHEAD_VERSION: string | undefined;

connection.onInitialized(async () => {
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
    await pullSettings();
  }
  // Start after the editor's first documents: they are what the user looks at (measured: indexing
  // argo-cd's manifests while install.yaml opens makes its first diagnostics 30% slower).
  setTimeout(() => void indexWorkspace(), INDEX_DELAY_MS);
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const removed = new Set(e.removed.map((f) => URI.parse(f.uri).fsPath));
    workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...e.added.map((f) => URI.parse(f.uri).fsPath)];
    resolver.invalidate();
  });
});

const INDEX_DELAY_MS = 1500;
let indexing = false;
let shuttingDown = false;

/** Background indexing at startup: cross-file rules then know files the user has not opened. */
async function indexWorkspace(): Promise<void> {
  if (indexing || !workspaceFolders.length || !settings.enable) return;
  indexing = true;
  const started = Date.now();
  try {
    const count = await scanner.indexInBackground(workspaceFolders, () => shuttingDown);
    connection.console.info(`Bulkhead indexed ${count} files in ${Date.now() - started} ms`);
  } catch (err) {
    connection.console.error(`Bulkhead: indexing the workspace failed: ${(err as Error)?.stack ?? String(err)}`);
  } finally {
    indexing = false;
  }
}

function applySettings(next: BulkheadSettings): void {
  settings = { ...next, debounceMs: typeof next.debounceMs === 'number' && next.debounceMs >= 0 ? next.debounceMs : 150, enable: next.enable !== false };
  resolver.setSettings(settings);
  const problem = resolver.problems.get('settings');
  if (problem) connection.window.showWarningMessage(`Bulkhead: ${problem.message}. Those settings are ignored.`);
}

async function pullSettings(): Promise<void> {
  try {
    const pulled = (await connection.workspace.getConfiguration(SETTINGS_SECTION)) as BulkheadSettings | undefined;
    if (pulled) applySettings(pulled);
  } catch {
    // A client without configuration support: keep defaults.
  }
}

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await pullSettings();
  else if (change.settings?.[SETTINGS_SECTION]) applySettings(change.settings[SETTINGS_SECTION]);
  service.reset();
  relintOpenDocuments();
});

/** Config or chart files changed: every open document is linted again, through the queue. */
/** Config problems already shown, by message: each is shown once, when a lint first meets it. */
const shownConfigProblems = new Set<string>();

/** A broken `.bulkhead.yaml` or a wrong rule option must not fail silently: tell the user once. */
function reportConfigProblems(): void {
  for (const [key, problem] of resolver.problems) {
    if (key === 'settings' || shownConfigProblems.has(problem.message)) continue;
    shownConfigProblems.add(problem.message);
    const consequence = key.startsWith('options:') ? 'Those options are ignored' : 'Files under it are linted with the editor settings';
    // A notification, not showWarningMessage (a request that waits for an answer): there is nothing to choose.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Bulkhead: ${problem.message}. ${consequence}.` });
  }
}

function relintOpenDocuments(): void {
  for (const doc of documents.all()) scheduler.schedule(doc.uri, 'edit');
}

/**
 * The scheduler's lint of one open document: its current text, published unless this exact result
 * (same lint, same version) already was. Documents no longer open are skipped.
 */
function validate(uri: string): void {
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  if (!settings.enable) {
    if (published.get(uri)?.id !== -1) void connection.sendDiagnostics({ uri, diagnostics: [] });
    published.set(uri, { id: -1, version });
    return;
  }
  let outcome;
  try {
    outcome = service.lint(doc);
  } catch (err) {
    // The engine isolates rules; this is a bug in the engine itself. Never take the server down.
    connection.console.error(`Bulkhead failed on ${uri}: ${(err as Error)?.stack ?? String(err)}`);
    return;
  }
  reportConfigProblems();
  const last = published.get(uri);
  if (last && last.id === outcome.id && last.version === version) return;
  published.set(uri, { id: outcome.id, version });
  void connection.sendDiagnostics({ uri, version, diagnostics: withBaseline(uri, outcome.diagnostics) });
  for (const e of outcome.result?.internalErrors ?? []) {
    const key = `${e.ruleId}\u0000${uri}`;
    if (reportedInternalErrors.has(key)) continue;
    reportedInternalErrors.add(key);
    connection.console.error(`Rule ${e.ruleId} failed on ${uri} (other rules still ran): ${e.message}`);
  }
}

const openedVersions = new Map<string, number>();
documents.onDidOpen((e) => {
  openedVersions.set(e.document.uri, e.document.version);
  scheduler.touch(e.document.uri);
  scheduler.schedule(e.document.uri, 'edit');
});
documents.onDidChangeContent((e) => {
  // didOpen fires a content change too: keep its immediate lint rather than delaying it.
  if (e.document.version === openedVersions.get(e.document.uri)) return;
  openedVersions.delete(e.document.uri);
  scheduler.touch(e.document.uri);
  scheduler.schedule(e.document.uri, 'edit', settings.debounceMs);
});
documents.onDidClose((e) => {
  const uri = e.document.uri;
  scheduler.forget(uri);
  service.close(uri);
  openedVersions.delete(uri);
  published.delete(uri);
  // The index held the editor's text, which may never have been saved: put the disk's back (or
  // drop the file), so other documents stop seeing objects that no longer exist. Documents that
  // read them are re-linted through the index's change notification.
  const keepsDiagnostics = scanner.closed(e.document);
  // A closed file keeps diagnostics only if a workspace scan put them there.
  if (!keepsDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
});

// Requests answer from the last lint results and never wait for the queue (see `forRequest` in
// the language service): only a document whose text is newer than its last lint is linted first.
connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || !settings.enable) return [];
  scheduler.touch(doc.uri);
  try {
    return service.codeActions(doc, params.range, params.context.only);
  } catch (err) {
    connection.console.error(`Bulkhead code actions failed: ${(err as Error)?.stack ?? String(err)}`);
    return [];
  }
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || !settings.enable) return null;
  scheduler.touch(doc.uri);
  try {
    return service.hover(doc, params.position);
  } catch {
    return null;
  }
});

connection.onDidChangeWatchedFiles((params) => {
  let configChanged = false;
  let chartChanged = false;
  for (const change of params.changes) {
    const uri = URI.parse(change.uri);
    if (uri.scheme !== 'file') continue;
    const file = uri.fsPath;
    const name = path.basename(file);
    if (CONFIG_FILE_NAMES.includes(name)) {
      configChanged = true;
      continue;
    }
    if (name === 'Chart.yaml' || name === 'Chart.yml') isInChart = chartDetector();
    // Values, chart metadata, the lock, .helmignore, packaged subcharts and helpers change what every
    // open template renders to (and `ci/` values files which template fixes must survive).
    if (/^(values[\w.-]*\.ya?ml|Chart\.ya?ml|Chart\.lock|\.helmignore|[^\\/]*\.tgz)$/.test(name) || /[\\/](templates|ci)[\\/]/.test(file)) chartChanged = true;
    if (documents.get(change.uri)) continue; // the editor's text is the truth for open files
    if (change.type === FileChangeType.Deleted) {
      index.remove(file);
      scanner.forget(file);
      void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
    } else if (scanner.scanned.has(file) || index.get(file)) {
      scanner.relintFromDisk(file);
    }
  }
  if (chartChanged && !configChanged) {
    service.reset();
    relintOpenDocuments();
  }
  if (configChanged) {
    resolver.invalidate();
    service.reset();
    relintOpenDocuments();
    void scanner.relintAllFromDisk(() => shuttingDown);
  }
});

connection.onRequest(SCAN_WORKSPACE_REQUEST, async (params: ScanWorkspaceParams | undefined, token: CancellationToken): Promise<ScanWorkspaceResult> => {
  const folders = params?.folders?.length ? params.folders.map((f) => URI.parse(f).fsPath) : workspaceFolders;
  return scanner.scan(folders, token, (done, total, file) => connection.sendNotification(SCAN_PROGRESS_NOTIFICATION, { done, total, file }));
});

connection.onRequest(MAP_DATA_REQUEST, () => securityMap(workspaceFolders));
// "Bulkhead: Show Build SBOM": the open Dockerfile's build-time SBOM; dependency files beside it on disk are read.
connection.onRequest(BUILD_SBOM_REQUEST, (params: BuildSbomParams | undefined): BuildSbomResult | null => {
  const doc = params?.uri ? documents.get(params.uri) : undefined;
  if (!doc) return null;
  const dockerfile = service.dockerfileText(doc);
  if (!dockerfile) return null;
  const dir = path.dirname(dockerfile.path);
  const subject = path.basename(dockerfile.path);
  const options = dockerfile.onDisk ? { readContext: contextReader(dir, realRoots([dir])) } : {};
  const version = typeof BULKHEAD_VERSION === 'string' ? BULKHEAD_VERSION : '0.0.0-dev';
  return { content: buildSbomJson(new DockerfileModel(dockerfile.text), subject, version, options), subject };
});

// "Bulkhead: Generate NetworkPolicies": a new file beside the folder's manifests, for the user to review.
connection.onExecuteCommand(async (params) => {
  if (params.command !== GENERATE_NETWORK_POLICIES_COMMAND) return;
  const folder = typeof params.arguments?.[0] === 'string' ? params.arguments[0] : workspaceFolders[0];
  if (!folder) {
    connection.window.showWarningMessage('Bulkhead: open a folder to generate NetworkPolicies for it.');
    return;
  }
  try {
    // Read from disk like the CLI: the editor's index holds only the kinds its rules read (no ConfigMaps,
    // RoleBindings or Routes), and Helm output is placed in its release namespace there.
    const loaded = loadNetworkWorkspace([folder], folder);
    const file = networkPolicyFile(loaded.index, folder, { namespaceOf: loaded.namespaceOf, chartOf: loaded.chartOf });
    const uri = pathToFileURL(file.path).href;
    const applied = await connection.workspace.applyEdit({
      label: 'Generate NetworkPolicies',
      edit: {
        documentChanges: [
          { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } },
          {
            textDocument: { uri, version: null },
            edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.text }],
          },
        ],
      },
    });
    if (applied?.applied) connection.window.showInformationMessage(`Bulkhead: wrote ${path.basename(file.path)}: ${file.summary}`);
    else
      connection.window.showWarningMessage(
        `Bulkhead: could not create ${file.path}${applied?.failureReason ? ` (${applied.failureReason})` : ''}; remove the previous one first.`,
      );
  } catch (err) {
    connection.console.error(`Bulkhead: generating NetworkPolicies failed: ${(err as Error)?.stack ?? String(err)}`);
  }
});

connection.onShutdown(() => {
  shuttingDown = true;
  scheduler.dispose();
});

// Keep the process alive on an unexpected error: losing the server loses every diagnostic.
process.on('uncaughtException', (err) => connection.console.error(`Bulkhead: uncaught error: ${err?.stack ?? String(err)}`));

documents.listen(connection);
connection.listen();
