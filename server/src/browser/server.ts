/**
 * The language server as a web worker, for the browser build of the extension (vscode.dev,
 * github.dev): the same engine, rules and language service as the Node server, with documents from
 * the editor instead of the disk. Configuration is the `bulkhead.*` settings (initialization options
 * and configuration changes); rules that look across files see the documents the editor has open.
 */
import {
  BrowserMessageReader,
  BrowserMessageWriter,
  CodeActionKind,
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/browser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceIndex } from '../engine/workspaceIndex';
import { BulkheadLanguageService, FIX_ALL_KIND } from '../service/languageService';
import { ConfigResolver, type EditorSettings, type EffectiveConfig } from '../service/configResolver';

/** Settings only: a browser workspace has no `.bulkhead.yaml` lookup on disk. */
class SettingsResolver extends ConfigResolver {
  override resolve(_file: string | undefined): EffectiveConfig {
    return super.resolve(undefined);
  }
  override isExcluded(): boolean {
    return false;
  }
}

interface BrowserSettings extends EditorSettings {
  enable?: boolean;
  debounceMs?: number;
}

/** The worker's global scope (typed from what the transport needs: no DOM lib in this project's tsconfig). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0] & ConstructorParameters<typeof BrowserMessageWriter>[0];
const connection = createConnection(new BrowserMessageReader(self), new BrowserMessageWriter(self));
const documents = new TextDocuments(TextDocument);
const resolver = new SettingsResolver();
const index = new WorkspaceIndex();
const service = new BulkheadLanguageService(resolver, index);
let settings: BrowserSettings = { enable: true, debounceMs: 150 };
const timers = new Map<string, ReturnType<typeof setTimeout>>();

function applySettings(next: BrowserSettings): void {
  settings = { ...settings, ...next };
  resolver.setSettings(settings);
  service.reset();
  for (const doc of documents.all()) schedule(doc.uri, 0);
}

function lint(uri: string): void {
  timers.delete(uri);
  const doc = documents.get(uri);
  if (!doc) return;
  if (settings.enable === false) {
    connection.sendDiagnostics({ uri, diagnostics: [] });
    return;
  }
  try {
    const outcome = service.lint(doc);
    connection.sendDiagnostics({ uri, version: doc.version, diagnostics: outcome.diagnostics });
  } catch (err) {
    connection.console.error(`Bulkhead failed on ${uri}: ${(err as Error)?.stack ?? String(err)}`);
  }
}

function schedule(uri: string, delay: number): void {
  clearTimeout(timers.get(uri));
  timers.set(
    uri,
    setTimeout(() => lint(uri), delay),
  );
}

// A change to one document re-lints the open documents whose last lint read what changed.
index.onChange((facts) => {
  for (const uri of service.readersOf(facts)) if (documents.get(uri)) schedule(uri, 0);
});

connection.onInitialize((params) => {
  const init = params.initializationOptions as BrowserSettings | undefined;
  if (init) {
    settings = { ...settings, ...init };
    resolver.setSettings(settings);
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
  // Nothing on a disk to fall back to: the closed document's objects leave the workspace.
  index.remove(BulkheadLanguageService.pathOf(e.document).path);
  connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc && settings.enable !== false ? service.codeActions(doc, params.range, params.context.only) : [];
});
connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc && settings.enable !== false ? service.hover(doc, params.position) : null;
});

documents.listen(connection);
connection.listen();
