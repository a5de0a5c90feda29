/**
 * The language server as a web worker, for the browser build of the extension (vscode.dev,
 * github.dev): the same engine, rules and language service as the Node server, with documents from
 * the editor instead of the disk. Configuration is the `bulkhead.*` settings (initialization options
 * and configuration changes). Files nobody opened are read through the client (the editor's workspace
 * file system, see workspaceFiles.ts) when it says it can (`workspaceFiles: true` in the initialization
 * options): rules that look across files then see the whole workspace, "Scan Workspace" works, the
 * nearest `.bulkhead.yaml` applies to each file and Helm templates render with their chart, as on Node
 * (chart and config files are fetched before the first lint, see workspaceFileSystem.ts).
 */
import {
  BrowserMessageReader,
  BrowserMessageWriter,
  CodeActionKind,
  createConnection,
  TextDocuments,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
} from 'vscode-languageserver/browser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { BulkheadLanguageService, FIX_ALL_KIND } from '../service/languageService';
import { ConfigResolver, type EditorSettings } from '../service/configResolver';
import { SCAN_PROGRESS_NOTIFICATION, SCAN_WORKSPACE_REQUEST, type ScanWorkspaceResult } from '../lsp/protocol';
import { chartDetector, helmChartLoader } from '../fs/charts';
import { URI } from '../service/uri';
import { BrowserWorkspace, clientFileFetcher, type FilesChange } from './workspaceFiles';
import { MAX_PREFETCH_BYTES, pathOfUri, WorkspaceFileSystem } from './workspaceFileSystem';

interface BrowserSettings extends EditorSettings {
  enable?: boolean;
  debounceMs?: number;
}

/** After the editor's first documents, as the Node server waits before indexing the disk. */
const INDEX_DELAY_MS = 1500;

/** The worker's global scope (typed from what the transport needs: no DOM lib in this project's tsconfig). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0] & ConstructorParameters<typeof BrowserMessageWriter>[0];
const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
const documents = new TextDocuments(TextDocument);
/** Workspace folders as URIs (virtual ones are not `file:`) and as the paths files are linted under. */
let folderUris: string[] = [];
let workspaceFolders: string[] = [];
/** The workspace's chart and config files, fetched through the client (empty without `workspaceFiles`). */
const files = new WorkspaceFileSystem(clientFileFetcher({ sendRequest: (method, p) => connection.sendRequest(method, p) }));
const resolver = new ConfigResolver(undefined, () => workspaceFolders, files.configFiles());
const index = new WorkspaceIndex();
let isInChart = chartDetector(files);
// Chart files are read only inside the workspace folders, as on Node.
const helmChart = helmChartLoader(files, () => workspaceFolders);
/** Without the client reading files the server knows no chart: templates are left alone, as before. */
let service = new BulkheadLanguageService(resolver, index);
/** Lints wait for the first file list and the chart and config files (see `BrowserWorkspace.prepare`). */
let ready: Promise<void> = Promise.resolve();
let settings: BrowserSettings = { enable: true, debounceMs: 150 };
const timers = new Map<string, ReturnType<typeof setTimeout>>();
/** Set when the client reads workspace files for the server (the browser extension does). */
let workspace: BrowserWorkspace | undefined;
let shuttingDown = false;

function applySettings(next: BrowserSettings): void {
  settings = { ...settings, ...next };
  resolver.setSettings(settings);
  service.reset();
  for (const doc of documents.all()) schedule(doc.uri, 0);
}

function lint(uri: string): void {
  const doc = documents.get(uri);
  if (!doc) return;
  if (settings.enable === false) {
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    return;
  }
  try {
    const outcome = service.lint(doc);
    reportConfigProblems();
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: outcome.diagnostics });
  } catch (err) {
    connection.console.error(`Bulkhead failed on ${uri}: ${(err as Error)?.stack ?? String(err)}`);
  }
}

/** Config problems already shown, by message: each is shown once, when a lint first meets it. */
const shownConfigProblems = new Set<string>();

/** A broken `.bulkhead.yaml` or a wrong rule option must not fail silently (as on Node): tell the user once. */
function reportConfigProblems(): void {
  for (const [key, problem] of resolver.problems) {
    if (shownConfigProblems.has(problem.message)) continue;
    shownConfigProblems.add(problem.message);
    const consequence =
      key === 'settings'
        ? 'Those settings are ignored'
        : key.startsWith('options:')
          ? 'Those options are ignored'
          : 'Files under it are linted with the editor settings';
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Bulkhead: ${problem.message}. ${consequence}.` });
  }
}

function schedule(uri: string, delay: number): void {
  clearTimeout(timers.get(uri));
  timers.set(
    uri,
    setTimeout(() => {
      timers.delete(uri);
      void ready.then(() => lint(uri));
    }, delay),
  );
}

/** Whether a document is a file of the workspace (a virtual one's too): its config and chart apply. */
function isWorkspaceUri(uri: string): boolean {
  return folderUris.some((folder) => uri.startsWith(folder.endsWith('/') ? folder : `${folder}/`));
}

/** Chart or config files changed: as the Node server does on its file events, everything is linted anew. */
function chartsOrConfigChanged(change: FilesChange): void {
  if (change.config) resolver.invalidate();
  if (change.charts) isInChart = chartDetector(files);
  service.reset();
  for (const doc of documents.all()) schedule(doc.uri, 0);
  // A config applies to files nobody opened too: index them again (and publish those a scan published).
  if (change.config) void indexWorkspace();
}

// A change to one document re-lints the open documents whose last lint read what changed.
index.onChange((facts) => {
  for (const uri of service.readersOf(facts)) if (documents.get(uri)) schedule(uri, 0);
});

connection.onInitialize((params) => {
  const { workspaceFiles, ...init } = (params.initializationOptions ?? {}) as BrowserSettings & { workspaceFiles?: boolean };
  settings = { ...settings, ...init };
  resolver.setSettings(settings);
  folderUris = (params.workspaceFolders ?? []).map((f) => f.uri);
  if (!folderUris.length && params.rootUri) folderUris = [params.rootUri];
  workspaceFolders = folderUris.map(pathOfUri);
  if (workspaceFiles === true) {
    service = new BulkheadLanguageService(
      resolver,
      index,
      (p) => isInChart(p),
      helmChart,
      undefined,
      (uri) => URI.parse(uri).scheme !== 'file' && isWorkspaceUri(uri),
    );
    workspace = new BrowserWorkspace(
      { sendRequest: (method, p) => connection.sendRequest(method, p) },
      service,
      index,
      (uri) => documents.get(uri),
      (uri, diagnostics) => connection.sendDiagnostics({ uri, diagnostics }),
      files,
      chartsOrConfigChanged,
    );
    const prepared = workspace
      .prepare()
      .catch((err) => connection.console.error(`Bulkhead: reading the workspace's charts and configs failed: ${(err as Error)?.stack ?? String(err)}`));
    ready = prepared.then(() => {
      resolver.invalidate();
      isInChart = chartDetector(files);
      service.reset();
      if (files.overBudget)
        connection.console.warn(`Bulkhead: the workspace's charts hold more than ${MAX_PREFETCH_BYTES / 1048576} MB; the rest of their files were not read`);
    });
  }
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
    },
    serverInfo: { name: 'bulkhead (browser)' },
  };
});

connection.onInitialized(() => {
  setTimeout(() => void indexWorkspace(), INDEX_DELAY_MS);
});

async function indexWorkspace(): Promise<void> {
  if (!workspace || settings.enable === false) return;
  const started = Date.now();
  try {
    const count = await workspace.indexInBackground(() => shuttingDown);
    connection.console.info(`Bulkhead indexed ${count} files in ${Date.now() - started} ms`);
  } catch (err) {
    connection.console.error(`Bulkhead: indexing the workspace failed: ${(err as Error)?.stack ?? String(err)}`);
  }
}

connection.onRequest(SCAN_WORKSPACE_REQUEST, async (_params, token): Promise<ScanWorkspaceResult> => {
  const empty: ScanWorkspaceResult = { files: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, errors: [], cancelled: false };
  if (!workspace) return { ...empty, errors: [{ file: '', message: 'this editor does not let the server read workspace files' }] };
  return workspace.scan(token, (done, total, file) => connection.sendNotification(SCAN_PROGRESS_NOTIFICATION, { done, total, file }));
});

// Files changed outside the editor (another tab, a git checkout): their objects change in the index.
// Open documents' files too: a saved chart or config file changes what other documents render with.
connection.onDidChangeWatchedFiles((params) => {
  if (!workspace) return;
  const deleted = params.changes.filter((c) => c.type === FileChangeType.Deleted).map((c) => c.uri);
  const changed = params.changes.filter((c) => c.type !== FileChangeType.Deleted).map((c) => c.uri);
  workspace
    .filesChanged(changed, deleted)
    .catch((err) => connection.console.error(`Bulkhead: reading changed files failed: ${(err as Error)?.stack ?? String(err)}`));
});

connection.onShutdown(() => {
  shuttingDown = true;
});

connection.onDidChangeConfiguration((change) => {
  const next = (change.settings as { bulkhead?: BrowserSettings } | undefined)?.bulkhead;
  if (next) applySettings(next);
});

documents.onDidOpen((e) => schedule(e.document.uri, 0));
documents.onDidChangeContent((e) => schedule(e.document.uri, settings.debounceMs ?? 150));
documents.onDidClose((e) => {
  clearTimeout(timers.get(e.document.uri));
  timers.delete(e.document.uri);
  service.close(e.document.uri);
  // The editor's text may never have been saved: the file as the workspace holds it goes back into the
  // index (or leaves it); without a workspace to read, the closed document's objects leave the index.
  index.remove(BulkheadLanguageService.pathOf(e.document).path);
  if (!workspace?.scanned.has(e.document.uri)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  workspace?.refresh([e.document.uri], []).catch(() => undefined);
});

connection.onCodeAction(async (params) => {
  await ready;
  const doc = documents.get(params.textDocument.uri);
  return doc && settings.enable !== false ? service.codeActions(doc, params.range, params.context.only) : [];
});
connection.onHover(async (params) => {
  await ready;
  const doc = documents.get(params.textDocument.uri);
  return doc && settings.enable !== false ? service.hover(doc, params.position) : null;
});

documents.listen(connection);
connection.listen();
