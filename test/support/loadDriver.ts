/**
 * Drives a language server with a load workload: opens every file, sends a burst of edits while
 * timing hovers and code actions sent alongside, and waits for the diagnostics to settle to what a
 * fresh lint of the final texts gives. Shared by the suite's load test and the bench.
 */
import { ConfigResolver } from '../../server/src/service/configResolver';
import { BulkheadLanguageService, TextDocumentLike } from '../../server/src/service/languageService';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import type { LspClient } from './lspClient';
import type { LoadWorkload } from './loadWorkload';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Diagnostics of a from-scratch lint of `docs` (all indexed first), JSON round-tripped as a client sees them. */
export function freshDiagnostics(docs: readonly TextDocumentLike[], settings: Record<string, unknown> = {}): Map<string, unknown[]> {
  const resolver = new ConfigResolver();
  resolver.setSettings(settings);
  const service = new BulkheadLanguageService(resolver, new WorkspaceIndex());
  for (const doc of docs) service.lint(doc, { keep: false });
  const out = new Map<string, unknown[]>();
  for (const doc of docs) out.set(doc.uri, JSON.parse(JSON.stringify(service.lint(doc, { keep: false }).diagnostics)));
  return out;
}

export class RequestStats {
  constructor(
    /** Milliseconds from sending each request to its answer. */
    readonly latencies: readonly number[],
    /** Requests still unanswered when given up on. */
    readonly unanswered: number,
  ) {}

  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    if (!sorted.length) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  }

  get max(): number {
    return Math.max(...this.latencies);
  }
}

export interface Settled {
  converged: boolean;
  /** From the start of settling (the end of the burst) to the last publication, once they equal a fresh lint. */
  settleMs: number;
  mismatch?: string;
}

export class LoadDriver {
  private readonly versions = new Map<string, number>();
  private lastEdited: string;

  constructor(
    private readonly client: LspClient,
    private readonly workload: LoadWorkload,
    private readonly uriOf: (rel: string) => string,
  ) {
    this.lastEdited = workload.files[0].rel;
  }

  /** The open documents as they are now. */
  documents(): TextDocumentLike[] {
    return this.workload.files.map((f) => {
      const text = this.workload.text(f.rel);
      return { uri: this.uriOf(f.rel), languageId: f.languageId, version: this.versions.get(f.rel) ?? 1, getText: () => text };
    });
  }

  /** Opens every file and waits for each one's first diagnostics. */
  async openAll(timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (const f of this.workload.files) {
      this.versions.set(f.rel, 1);
      this.client.notify('textDocument/didOpen', {
        textDocument: { uri: this.uriOf(f.rel), languageId: f.languageId, version: 1, text: this.workload.text(f.rel) },
      });
    }
    while (!this.workload.files.every((f) => this.client.latest.get(this.uriOf(f.rel))?.version === 1)) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`the server did not publish diagnostics for all ${this.workload.files.length} opened files within ${timeoutMs} ms`);
      await sleep(20);
    }
    return Date.now() - started;
  }

  /**
   * Sends a hover and a code action on the most recently edited document every `intervalMs` until
   * `stop()`, timing each answer. Requests not answered within `giveUpMs` count with that time (and
   * as unanswered).
   */
  startRequests(intervalMs: number, giveUpMs = 60000): { stop(): Promise<RequestStats> } {
    const latencies: number[] = [];
    let unanswered = 0;
    const outstanding: Promise<void>[] = [];
    let running = true;
    const timed = (method: string, params: unknown) => {
      const sent = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const answered = this.client.request(method, params).then(() => {
        latencies.push(Date.now() - sent);
      });
      const cap = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          latencies.push(giveUpMs);
          unanswered++;
          resolve();
        }, giveUpMs);
      });
      outstanding.push(Promise.race([answered, cap]).finally(() => clearTimeout(timer)));
    };
    const loop = (async () => {
      while (running) {
        const rel = this.lastEdited;
        const uri = this.uriOf(rel);
        const position = this.workload.position(rel);
        timed('textDocument/hover', { textDocument: { uri }, position });
        timed('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } });
        await sleep(intervalMs);
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        await Promise.all(outstanding);
        return new RequestStats(latencies, unanswered);
      },
    };
  }

  /** Sends `edits` full-text changes to files the workload picks, one every `intervalMs`; returns the burst's wall time. */
  async burst(edits: number, intervalMs: number): Promise<number> {
    const started = Date.now();
    for (let i = 0; i < edits; i++) {
      const rel = this.workload.edit();
      const version = (this.versions.get(rel) ?? 1) + 1;
      this.versions.set(rel, version);
      this.lastEdited = rel;
      this.client.notify('textDocument/didChange', { textDocument: { uri: this.uriOf(rel), version }, contentChanges: [{ text: this.workload.text(rel) }] });
      await sleep(intervalMs);
    }
    return Date.now() - started;
  }

  /**
   * Waits until nothing has been published for `quietMs` and every document's diagnostics are for
   * its latest version, then compares them with a fresh lint; keeps waiting while they differ.
   */
  async settle(timeoutMs: number, quietMs = 1000): Promise<Settled> {
    const started = Date.now();
    let mismatch = 'never quiet';
    while (Date.now() - started < timeoutMs) {
      await sleep(100);
      if (Date.now() - this.client.lastPublishAt < quietMs) continue;
      const docs = this.documents();
      const stale = docs.find((d) => this.client.latest.get(d.uri)?.version !== d.version);
      if (stale) {
        mismatch = `${stale.uri} has diagnostics of version ${this.client.latest.get(stale.uri)?.version}, not ${stale.version}`;
        continue;
      }
      const expected = freshDiagnostics(docs);
      const wrong = docs.find((d) => JSON.stringify(this.client.latest.get(d.uri)?.diagnostics) !== JSON.stringify(expected.get(d.uri)));
      if (!wrong) return { converged: true, settleMs: Math.max(0, this.client.lastPublishAt - started) };
      mismatch = `${wrong.uri}: published ${JSON.stringify(this.client.latest.get(wrong.uri)?.diagnostics.map((x) => x.message))}, fresh lint ${JSON.stringify((expected.get(wrong.uri) as { message: string }[]).map((x) => x.message))}`;
    }
    return { converged: false, settleMs: Date.now() - started, mismatch };
  }
}
