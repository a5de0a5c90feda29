/**
 * A minimal LSP client over a child process's stdio (Content-Length framing), for the benchmark
 * and the integration tests: no dependency on VS Code.
 */
import type { ChildProcess } from 'node:child_process';

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string | number;
    message: string;
    source?: string;
    data?: unknown;
  }[];
}

export class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  readonly notifications: Message[] = [];
  /** The last diagnostics published for each URI, and when (Date.now()) anything was last published. */
  readonly latest = new Map<string, PublishedDiagnostics>();
  lastPublishAt = 0;
  /** Keep every notification in `notifications` (load tests turn it off to save memory). */
  keepNotifications = true;
  /** Answers to server → client requests (e.g. workspace/configuration). */
  settings: Record<string, unknown> = {};

  constructor(private readonly proc: ChildProcess) {
    proc.stdout!.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length:\s*(\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && m.method === undefined) {
      const p = this.pending.get(Number(m.id));
      this.pending.delete(Number(m.id));
      if (m.error) p?.reject(new Error(m.error.message));
      else p?.resolve(m.result);
      return;
    }
    if (m.id !== undefined && m.method) {
      // A request from the server.
      let result: unknown = null;
      if (m.method === 'workspace/configuration') {
        const items = (m.params as { items: { section?: string }[] }).items;
        result = items.map((i) => (i.section === 'bulkhead' ? this.settings : null));
      }
      this.write({ jsonrpc: '2.0', id: m.id, result } as Message);
      return;
    }
    if (m.method === 'textDocument/publishDiagnostics') {
      const p = m.params as PublishedDiagnostics;
      this.latest.set(p.uri, p);
      this.lastPublishAt = Date.now();
    }
    if (this.keepNotifications) this.notifications.push(m);
    for (let i = 0; i < this.waiters.length; i++) {
      if (this.waiters[i].match(m)) {
        const [w] = this.waiters.splice(i, 1);
        w.resolve(m);
        return;
      }
    }
  }

  private write(m: Message): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.proc.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin!.write(body);
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** The next notification matching `match` (or one already received, if `past`). */
  waitFor(match: (m: Message) => boolean, timeoutMs = 30000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a notification from the server')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  waitForDiagnostics(uri: string, version?: number, timeoutMs?: number): Promise<PublishedDiagnostics> {
    return this.waitFor(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' &&
        (m.params as PublishedDiagnostics).uri === uri &&
        (version === undefined || (m.params as PublishedDiagnostics).version === version),
      timeoutMs,
    ).then((m) => m.params as PublishedDiagnostics);
  }

  async initialize(
    rootPath: string,
    settings: Record<string, unknown> = {},
    capabilities: Record<string, unknown> = { workspace: { configuration: true } },
  ): Promise<unknown> {
    this.settings = { enable: true, ...settings };
    const rootUri = `file://${rootPath}`;
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'root' }],
      capabilities,
      initializationOptions: this.settings,
    });
    this.notify('initialized', {});
    return result;
  }

  async shutdown(): Promise<void> {
    await this.request('shutdown', null);
    this.notify('exit', null);
  }
}
