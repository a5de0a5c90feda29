/**
 * The language server process: wires LSP messages to the language service. Everything that
 * decides what to report lives in the service and the engine; this file handles timing (debounce,
 * latest version wins), configuration pulls, file watching and the workspace scan.
 */
import * as path from 'node:path';
import {
  CancellationToken,
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { chartDetector, helmChartLoader } from '../node/files';
import { CONFIG_FILE_NAMES } from '../engine/config';
import { BulkheadLanguageService, FIX_ALL_KIND, TextDocumentLike } from '../service/languageService';
import { ConfigResolver } from '../service/configResolver';
import { URI } from '../service/uri';
import { WorkspaceScanner } from './workspaceScan';
import {
  BulkheadSettings,
  SCAN_PROGRESS_NOTIFICATION,
  SCAN_WORKSPACE_REQUEST,
  ScanWorkspaceParams,
  ScanWorkspaceResult,
  SETTINGS_SECTION,
} from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let workspaceFolders: string[] = [];
let canPullConfiguration = false;
let settings: BulkheadSettings = { enable: true, debounceMs: 150 };

const resolver = new ConfigResolver(undefined, () => workspaceFolders);
const index = new WorkspaceIndex();
let isInChart = chartDetector();
const helmChart = helmChartLoader();
const service = new BulkheadLanguageService(resolver, index, (p) => isInChart(p), helmChart);
const scanner = new WorkspaceScanner(service, resolver, index, (uri, diagnostics) => connection.sendDiagnostics({ uri, diagnostics }), (uri) => documents.get(uri));

const timers = new Map<string, NodeJS.Timeout>();
const reportedInternalErrors = new Set<string>();

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
    const before = index.generation;
    const count = await scanner.indexInBackground(workspaceFolders, () => shuttingDown);
    connection.console.info(`Bulkhead indexed ${count} files in ${Date.now() - started} ms`);
    if (index.generation !== before && hasWorkspaceRules()) relintOpenDocuments();
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

function relintOpenDocuments(): void {
  for (const doc of documents.all()) schedule(doc, 0);
}

function schedule(doc: TextDocumentLike, delay: number): void {
  const pending = timers.get(doc.uri);
  if (pending) clearTimeout(pending);
  timers.set(
    doc.uri,
    setTimeout(() => {
      timers.delete(doc.uri);
      validate(doc.uri, doc.version);
    }, delay),
  );
}

/** Lints the open document if `version` is still its latest; stale requests do nothing. */
function validate(uri: string, version: number): void {
  const doc = documents.get(uri);
  if (!doc || doc.version !== version) return;
  if (!settings.enable) {
    connection.sendDiagnostics({ uri, diagnostics: [] });
    return;
  }
  const before = index.generation;
  let outcome;
  try {
    outcome = service.lint(doc);
  } catch (err) {
    // The engine isolates rules; this is a bug in the engine itself. Never take the server down.
    connection.console.error(`Bulkhead failed on ${uri}: ${(err as Error)?.stack ?? String(err)}`);
    return;
  }
  if (documents.get(uri)?.version !== version) return;
  connection.sendDiagnostics({ uri, version, diagnostics: outcome.diagnostics });
  for (const e of outcome.result?.internalErrors ?? []) {
    const key = `${e.ruleId}\u0000${uri}`;
    if (reportedInternalErrors.has(key)) continue;
    reportedInternalErrors.add(key);
    connection.console.error(`Rule ${e.ruleId} failed on ${uri} (other rules still ran): ${e.message}`);
  }
  // Objects of this file changed: rules that look across files may now see something else elsewhere.
  if (index.generation !== before && hasWorkspaceRules()) {
    for (const other of documents.all()) if (other.uri !== uri) schedule(other, settings.debounceMs);
  }
}

function hasWorkspaceRules(): boolean {
  return resolver.resolve(undefined).engine.rules.some((r) => 'scope' in r && r.scope === 'workspace');
}

const openedVersions = new Map<string, number>();
documents.onDidOpen((e) => {
  openedVersions.set(e.document.uri, e.document.version);
  schedule(e.document, 0);
});
documents.onDidChangeContent((e) => {
  // didOpen fires a content change too: keep its immediate lint rather than delaying it.
  if (!timers.has(e.document.uri) || e.document.version !== openedVersions.get(e.document.uri)) schedule(e.document, settings.debounceMs);
});
documents.onDidClose((e) => {
  const pending = timers.get(e.document.uri);
  if (pending) clearTimeout(pending);
  timers.delete(e.document.uri);
  service.close(e.document.uri);
  openedVersions.delete(e.document.uri);
  const uri = URI.parse(e.document.uri);
  // A closed file keeps its workspace-scan diagnostics only if a scan put them there.
  if (uri.scheme !== 'file' || !scanner.scanned.has(uri.fsPath)) connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  else scanner.relintFromDisk(uri.fsPath);
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || !settings.enable) return [];
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
    // Values, chart metadata and helpers change what every open template renders to.
    if (/^(values[\w.-]*\.ya?ml|Chart\.ya?ml)$/.test(name) || /[\\/]templates[\\/]/.test(file)) chartChanged = true;
    if (documents.get(change.uri)) continue; // the editor's text is the truth for open files
    if (change.type === FileChangeType.Deleted) {
      index.remove(file);
      scanner.forget(file);
      connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
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
    scanner.relintAllFromDisk();
  }
});

connection.onRequest(SCAN_WORKSPACE_REQUEST, async (params: ScanWorkspaceParams | undefined, token: CancellationToken): Promise<ScanWorkspaceResult> => {
  const folders = params?.folders?.length ? params.folders.map((f) => URI.parse(f).fsPath) : workspaceFolders;
  return scanner.scan(folders, token, (done, total, file) => connection.sendNotification(SCAN_PROGRESS_NOTIFICATION, { done, total, file }));
});

connection.onShutdown(() => {
  shuttingDown = true;
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
});

// Keep the process alive on an unexpected error: losing the server loses every diagnostic.
process.on('uncaughtException', (err) => connection.console.error(`Bulkhead: uncaught error: ${err?.stack ?? String(err)}`));

documents.listen(connection);
connection.listen();

