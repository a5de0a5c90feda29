/**
 * "Bulkhead: Scan Workspace": lint every file of the workspace folders, publishing diagnostics for
 * files nobody has open, with progress and cancellation. Files are indexed first and linted after,
 * so rules that look across files see the whole workspace on the first pass.
 */
import type { CancellationToken, Diagnostic } from 'vscode-languageserver';
import { classifyByName, isLintable } from '../documents/classify';
import type { WorkspaceIndex } from '../engine/workspaceIndex';
import { readForLint, walk } from '../node/files';
import { kustomizeInputsOfIndex, readGeneratorInput } from '../node/workspaceFiles';
import type { ConfigResolver } from '../service/configResolver';
import { BulkheadLanguageService, TextDocumentLike } from '../service/languageService';
import { fileUri, URI } from '../service/uri';
import type { ScanWorkspaceResult } from './protocol';

/** Give the event loop a turn this often, so edits, hovers and cancellation are served mid-scan. */
const SLICE_MS = 25;

export class WorkspaceScanner {
  /** Files whose diagnostics a scan published (kept current from disk until deleted). */
  readonly scanned = new Set<string>();
  private running: Promise<ScanWorkspaceResult> | undefined;

  constructor(
    private readonly service: BulkheadLanguageService,
    private readonly resolver: ConfigResolver,
    private readonly index: WorkspaceIndex,
    private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void,
    private readonly openDocument: (uri: string) => TextDocumentLike | undefined,
  ) {}

  private diskDocument(file: string): { doc?: TextDocumentLike; error?: string } {
    const uri = fileUri(file);
    const open = this.openDocument(uri);
    if (open) return { doc: open };
    const read = readForLint(file);
    if (!read.ok) return { error: `cannot read: ${read.message}` };
    if (read.decoded.kind === 'skipped') return { error: read.decoded.reason };
    const text = read.decoded.text;
    const languageId = classifyByName(file) === 'dockerfile' ? 'dockerfile' : 'yaml';
    return { doc: { uri, languageId, version: 0, getText: () => text } };
  }

  /** A generator input: the open document, else the file read without following a link, size-capped. */
  private inputDocument(file: string): { doc?: TextDocumentLike; error?: string } {
    const uri = fileUri(file);
    const open = this.openDocument(uri);
    if (open) return { doc: open };
    const text = readGeneratorInput(file);
    return text === undefined ? {} : { doc: { uri, languageId: 'properties', version: 0, getText: () => text } };
  }

  /**
   * Indexes every file of the folders without publishing anything, a slice at a time, so rules that
   * look across files (admission preview, EXPOSE-only ports) see files the user has not opened.
   * Stops early when `shouldStop` says so (a full scan started, the server shuts down).
   * @returns the number of files indexed
   */
  async indexInBackground(folders: readonly string[], shouldStop: () => boolean): Promise<number> {
    let sliceStart = Date.now();
    let count = 0;
    for (const folder of folders) {
      for (const file of walk(folder, undefined, shouldStop)) {
        if (shouldStop()) return count;
        if (Date.now() - sliceStart >= SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = Date.now();
        }
        if (this.resolver.isExcluded(file) || this.index.get(file)) continue;
        const { doc } = this.diskDocument(file);
        if (!doc || this.openDocument(doc.uri)) continue;
        try {
          this.service.lint(doc, { keep: false });
          count++;
        } catch {
          // Indexing is best effort; the file is linted for real when opened.
        }
      }
    }
    return count;
  }

  async scan(
    folders: readonly string[],
    token: CancellationToken,
    progress: (done: number, total: number, file?: string) => void,
  ): Promise<ScanWorkspaceResult> {
    // A second request while one runs shares its result rather than racing it.
    if (this.running !== undefined) return this.running;
    this.running = this.doScan(folders, token, progress).finally(() => (this.running = undefined));
    return this.running;
  }

  private async doScan(
    folders: readonly string[],
    token: CancellationToken,
    progress: (done: number, total: number, file?: string) => void,
  ): Promise<ScanWorkspaceResult> {
    const result: ScanWorkspaceResult = { files: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0 }, errors: [], cancelled: false };
    const files: string[] = [];
    for (const folder of folders) {
      for (const file of walk(folder, undefined, () => token.isCancellationRequested)) {
        if (!this.resolver.isExcluded(file)) files.push(file);
      }
    }
    let total = files.length * 2;
    let done = 0;
    let sliceStart = Date.now();
    const breathe = async (): Promise<boolean> => {
      if (Date.now() - sliceStart >= SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = Date.now();
      }
      return token.isCancellationRequested;
    };
    progress(0, total);
    // Pass 1: index. Lint results are thrown away; only the objects are kept.
    for (const file of files) {
      if (await breathe()) return { ...result, cancelled: true };
      const { doc } = this.diskDocument(file);
      if (doc) this.service.lint(doc, { keep: !!this.openDocument(doc.uri) });
      progress(++done, total, file);
    }
    // Files Kustomizations' generators read (`envs`, `files`), whatever their name: the walk skips them.
    const walked = new Set(files);
    const inputs = new Set(kustomizeInputsOfIndex(this.index, folders).filter((f) => !walked.has(f) && !this.resolver.isExcluded(f)));
    files.push(...inputs);
    total += inputs.size;
    // Pass 2: lint and publish.
    for (const file of files) {
      if (await breathe()) return { ...result, cancelled: true };
      const { doc, error } = inputs.has(file) ? this.inputDocument(file) : this.diskDocument(file);
      if (inputs.has(file) && !doc) continue; // absent, a link, too large: nothing to say
      progress(++done, total, file);
      if (error) {
        result.errors.push({ file, message: error });
        continue;
      }
      const outcome = this.service.lint(doc!, { keep: !!this.openDocument(doc!.uri) });
      if (!outcome.result || (!isLintable(outcome.result.kind) && !outcome.result.kind.startsWith('helm-'))) continue;
      result.files++;
      for (const e of outcome.result.internalErrors) result.errors.push({ file, message: `rule ${e.ruleId} failed: ${e.message.split('\n')[0]}` });
      for (const d of outcome.diagnostics) {
        result.findings++;
        result.bySeverity[d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info']++;
      }
      this.scanned.add(file);
      this.publish(doc!.uri, outcome.diagnostics);
    }
    return result;
  }

  /** A scanned file changed on disk (or was closed in the editor): lint it again from disk. */
  relintFromDisk(file: string): void {
    const { doc } = this.diskDocument(file);
    if (!doc) {
      this.forget(file);
      return;
    }
    const outcome = this.service.lint(doc, { keep: false });
    if (this.scanned.has(file)) this.publish(doc.uri, outcome.diagnostics);
  }

  /**
   * An open document was closed (and is no longer open). The index holds the editor's last text,
   * perhaps never saved: index the file as it is on disk instead, or drop it when there is nothing
   * to read (deleted, never saved, an untitled buffer).
   * @returns whether the file keeps published diagnostics (a workspace scan covers it)
   */
  closed(doc: TextDocumentLike): boolean {
    const uri = URI.parse(doc.uri);
    if (uri.scheme !== 'file') {
      this.index.remove(BulkheadLanguageService.pathOf(doc).path);
      return false;
    }
    this.relintFromDisk(uri.fsPath);
    return this.scanned.has(uri.fsPath);
  }

  /** The config changed: lint every scanned file nobody has open again, a slice at a time. */
  async relintAllFromDisk(shouldStop: () => boolean = () => false): Promise<void> {
    let sliceStart = Date.now();
    for (const file of [...this.scanned]) {
      if (shouldStop()) return;
      if (Date.now() - sliceStart >= SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = Date.now();
      }
      if (this.scanned.has(file) && !this.openDocument(fileUri(file))) this.relintFromDisk(file);
    }
  }

  forget(file: string): void {
    this.scanned.delete(file);
    this.index.remove(file);
  }
}
