/**
 * The browser server's workspace: files it has not been handed as open documents, read through the
 * client (LIST/READ_WORKSPACE_FILES_REQUEST, answered with the editor's workspace file system). The
 * same two uses as the Node server's disk walk: background indexing, so rules that look across files
 * see files nobody opened, and "Scan Workspace", which lints and publishes every file.
 */
import type { CancellationToken, Diagnostic } from 'vscode-languageserver';
import { classifyByName, isLintable } from '../documents/classify';
import type { WorkspaceIndex } from '../engine/workspaceIndex';
import {
  LIST_WORKSPACE_FILES_REQUEST,
  type ListWorkspaceFilesParams,
  type ListWorkspaceFilesResult,
  READ_WORKSPACE_FILES_REQUEST,
  type ReadWorkspaceFilesParams,
  type ReadWorkspaceFilesResult,
  type ScanWorkspaceResult,
} from '../lsp/protocol';
import { isCandidate } from '../node/files';
import { BulkheadLanguageService, type TextDocumentLike } from '../service/languageService';
import { URI } from '../service/uri';
import { decodeBytes, MAX_FILE_BYTES } from '../text/decode';
import { type FetchFiles, isConfigFile, pathOfUri, WorkspaceFileSystem } from './workspaceFileSystem';

/** Folders the Node walk never enters either. */
const EXCLUDE = '**/{.git,node_modules,.hg,.svn,.terraform,.venv,__pycache__}/**';
const MAX_FILES = 20_000;
/** Files per read request: few round trips, no single huge message. */
const BATCH = 50;

export interface ClientRequests {
  sendRequest<R>(method: string, params: unknown): Promise<R>;
}

type Read = { doc: TextDocumentLike } | { error: string };

/** What a change of workspace files changed besides the files themselves. */
export interface FilesChange {
  /** A `.bulkhead.yaml` was created, changed or deleted. */
  config: boolean;
  /** A file of a chart (or a Chart.yaml) was: templates render differently. */
  charts: boolean;
}

/** Reads files through the client (READ_WORKSPACE_FILES_REQUEST), in batches: bytes per URI, or why not. */
export function clientFileFetcher(client: ClientRequests): FetchFiles {
  return async (uris, maxBytes) => {
    const out = new Map<string, { bytes: Uint8Array } | { error: string }>();
    for (let i = 0; i < uris.length; i += BATCH) {
      const params: ReadWorkspaceFilesParams = { uris: uris.slice(i, i + BATCH), maxBytes };
      const answer = await client.sendRequest<ReadWorkspaceFilesResult>(READ_WORKSPACE_FILES_REQUEST, params);
      for (const file of answer?.files ?? []) {
        if (typeof file?.uri !== 'string') continue;
        out.set(file.uri, 'error' in file ? { error: file.error } : { bytes: Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)) });
      }
    }
    return out;
  };
}

export class BrowserWorkspace {
  /** Files whose diagnostics a scan published, kept current on file events. */
  readonly scanned = new Set<string>();
  private readonly fetchFiles: FetchFiles;
  private listedOnce = false;

  constructor(
    private readonly client: ClientRequests,
    private readonly service: BulkheadLanguageService,
    private readonly index: WorkspaceIndex,
    /** The editor's open documents: their text wins over the file's. */
    private readonly openDocument: (uri: string) => TextDocumentLike | undefined,
    private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void,
    /** The chart files and `.bulkhead.yaml` files of the workspace, for the chart loader and the config lookup. */
    readonly files: WorkspaceFileSystem = new WorkspaceFileSystem(clientFileFetcher(client)),
    /** Chart or config files changed (and were fetched again): the server lints again what they affect. */
    private readonly onFilesChanged: (change: FilesChange) => void = () => undefined,
  ) {
    this.fetchFiles = clientFileFetcher(client);
  }

  private isOpen(uri: string): boolean {
    return this.openDocument(uri) !== undefined;
  }

  /**
   * The workspace's files whose names Bulkhead may read (the Node walk's `isCandidate`), sorted. The
   * whole list goes to the chart and config file system, which fetches what charts and `.bulkhead.yaml`
   * files it does not hold yet before this returns, so templates are linted with their chart.
   */
  async list(): Promise<string[]> {
    const params: ListWorkspaceFilesParams = { exclude: EXCLUDE, maxFiles: MAX_FILES };
    const listed = await this.client.sendRequest<ListWorkspaceFilesResult>(LIST_WORKSPACE_FILES_REQUEST, params);
    const uris = (listed?.uris ?? []).filter((uri) => typeof uri === 'string');
    const before = this.chartAndConfigFiles();
    this.files.setFiles(uris);
    await this.files.prefetch();
    const after = this.chartAndConfigFiles();
    const change: FilesChange = { config: before.config !== after.config, charts: before.charts !== after.charts };
    // The first list is what the server waits for before linting: nothing was linted without it.
    if (this.listedOnce && (change.config || change.charts)) this.onFilesChanged(change);
    this.listedOnce = true;
    return uris.filter((uri) => isCandidate(URI.parse(uri).path)).sort();
  }

  /** Which chart and config files the file system holds, as text to compare. */
  private chartAndConfigFiles(): { config: string; charts: string } {
    const listed = this.files.listed();
    return {
      config: listed.filter((f) => isConfigFile(f)).join('\n'),
      charts: this.files.chartFiles().join('\n'),
    };
  }

  /**
   * At startup, before the first lint: the file list, every `.bulkhead.yaml` and the files of every
   * chart, so documents the editor opens first are linted with their config and chart as on Node.
   */
  async prepare(): Promise<void> {
    await this.list();
  }

  /** Reads files through the client, decoded as the Node server decodes files from disk. */
  async read(uris: readonly string[]): Promise<Map<string, Read>> {
    const out = new Map<string, Read>();
    // A chart's files were fetched whole already (all under the chart limit, below MAX_FILE_BYTES).
    const held = new Map<string, { bytes: Uint8Array }>();
    for (const uri of uris) {
      const bytes = this.files.heldBytes(uri);
      if (bytes) held.set(uri, { bytes });
    }
    const fetched = await this.fetchFiles(
      uris.filter((uri) => !held.has(uri)),
      MAX_FILE_BYTES,
    );
    for (const uri of uris) {
      const file = held.get(uri) ?? fetched.get(uri);
      if (!file) continue;
      if ('error' in file) {
        out.set(uri, { error: file.error });
        continue;
      }
      const decoded = decodeBytes(file.bytes);
      if (decoded.kind === 'skipped') {
        out.set(uri, { error: decoded.reason });
        continue;
      }
      const text = decoded.text;
      const languageId = classifyByName(URI.parse(uri).path) === 'dockerfile' ? 'dockerfile' : 'yaml';
      out.set(uri, { doc: { uri, languageId, version: 0, getText: () => text } });
    }
    return out;
  }

  /** Indexes every workspace file nobody has open, without publishing. @returns the files indexed */
  async indexInBackground(shouldStop: () => boolean): Promise<number> {
    let count = 0;
    const uris = (await this.list()).filter((uri) => !this.isOpen(uri));
    for (let i = 0; i < uris.length && !shouldStop(); i += BATCH) {
      for (const [uri, read] of await this.read(uris.slice(i, i + BATCH))) {
        // Opened while it was being read: the editor's text wins.
        if (!('doc' in read) || this.isOpen(uri) || shouldStop()) continue;
        try {
          const outcome = this.service.lint(read.doc, { keep: false });
          // A file a scan published: its findings may differ now (a config changed).
          if (this.scanned.has(uri)) this.publish(uri, outcome.diagnostics);
          count++;
        } catch {
          // Indexing is best effort; the file is linted for real when opened.
        }
      }
    }
    return count;
  }

  /** "Scan Workspace": index every file, then lint and publish each, as the Node server's scan does. */
  async scan(token: CancellationToken, progress: (done: number, total: number, file?: string) => void): Promise<ScanWorkspaceResult> {
    const result: ScanWorkspaceResult = { files: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, errors: [], cancelled: false };
    const uris = await this.list();
    const reads = await this.read(uris.filter((uri) => !this.isOpen(uri)));
    const total = uris.length * 2;
    let done = 0;
    const documentOf = (uri: string): Read | undefined => {
      const open = this.openDocument(uri);
      return open ? { doc: open } : reads.get(uri);
    };
    progress(0, total);
    for (const uri of uris) {
      if (token.isCancellationRequested) return { ...result, cancelled: true };
      const read = documentOf(uri);
      if (read && 'doc' in read) this.service.lint(read.doc, { keep: this.isOpen(uri) });
      progress(++done, total, uri);
    }
    for (const uri of uris) {
      if (token.isCancellationRequested) return { ...result, cancelled: true };
      progress(++done, total, uri);
      const read = documentOf(uri);
      if (!read) continue;
      if ('error' in read) {
        result.errors.push({ file: uri, message: read.error });
        continue;
      }
      const outcome = this.service.lint(read.doc, { keep: this.isOpen(uri) });
      if (!outcome.result || (!isLintable(outcome.result.kind) && !outcome.result.kind.startsWith('helm-'))) continue;
      result.files++;
      for (const e of outcome.result.internalErrors) result.errors.push({ file: uri, message: `rule ${e.ruleId} failed: ${e.message.split('\n')[0]}` });
      for (const d of outcome.diagnostics) {
        result.findings++;
        result.bySeverity[d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info']++;
      }
      this.scanned.add(uri);
      this.publish(uri, outcome.diagnostics);
    }
    return result;
  }

  /**
   * File events from the client (created, changed, deleted), open documents included: chart and
   * config files are fetched again (the file as saved is what templates render with, as on Node,
   * where the chart loader reads the disk), then the files nobody has open are indexed again.
   */
  async filesChanged(changed: readonly string[], deleted: readonly string[]): Promise<void> {
    const touched = [...changed, ...deleted].map((uri) => pathOfUri(uri));
    const change: FilesChange = {
      config: touched.some((f) => isConfigFile(f)),
      // Before the change (a deleted chart file) or after it (a created one).
      charts: touched.some((f) => !isConfigFile(f) && this.files.isChartOrConfigFile(f)),
    };
    for (const uri of deleted) this.files.remove(pathOfUri(uri));
    for (const uri of changed) this.files.add(uri);
    change.charts ||= touched.some((f) => !isConfigFile(f) && this.files.isChartOrConfigFile(f));
    if (change.config || change.charts) {
      await this.files.prefetch();
      this.onFilesChanged(change);
    }
    await this.refresh(changed, deleted);
  }

  /**
   * Files changed, were created or deleted in the workspace, or an open document was closed: index
   * them again from the workspace file system, or drop them.
   */
  async refresh(changed: readonly string[], deleted: readonly string[]): Promise<void> {
    for (const uri of deleted) this.drop(uri);
    const wanted = changed.filter((uri) => !this.isOpen(uri) && isCandidate(URI.parse(uri).path));
    if (!wanted.length) return;
    for (const [uri, read] of await this.read(wanted)) {
      if (this.isOpen(uri)) continue;
      if (!('doc' in read)) {
        this.drop(uri);
        continue;
      }
      const outcome = this.service.lint(read.doc, { keep: false });
      if (this.scanned.has(uri)) this.publish(uri, outcome.diagnostics);
    }
  }

  private drop(uri: string): void {
    this.index.remove(BulkheadLanguageService.pathOf({ uri, languageId: classifyByName(URI.parse(uri).path) === 'dockerfile' ? 'dockerfile' : 'yaml' }).path);
    if (this.scanned.delete(uri)) this.publish(uri, []);
  }
}
