/**
 * One queue for every lint the server runs for open documents, so the server keeps answering
 * requests whatever the load:
 *
 * - one entry per URI (coalesced): an entry names a document, not a version, and the document's
 *   latest text is linted when the entry comes up, so superseded versions are never linted;
 * - an entry is due at a time: an edit pushes its document's entry back by the debounce, while
 *   re-lints for other reasons are due at once (but never pull an edit's debounce forward);
 * - two tiers: documents whose own text (or config) changed come before documents re-linted
 *   because files they read changed, so a burst of edits settles without ping-pong;
 * - within a tier, the most recently active document first: LSP does not say what is visible, so
 *   the document being edited and those last opened, changed or asked about stand in for it;
 * - work runs in slices of a few milliseconds with `setImmediate` between them, so messages that
 *   arrived meanwhile (hover, code action, the next edit) are handled between two lints. The
 *   JSON-RPC layer handles one message per event-loop turn, so a slice also waits while messages
 *   are still being handled (`noteMessage`): otherwise a burst of edits queues behind one slice per
 *   message and requests wait seconds. One lint of one document is not split: the engine's
 *   per-chunk caches keep a re-lint small.
 *
 * The scheduler knows nothing of LSP: `run` lints and publishes.
 */

export type LintReason = 'edit' | 'dependency';

export interface LintSchedulerOptions {
  /** Lints and publishes the document's current text; ignores URIs no longer open. */
  run(uri: string): void;
  /** Milliseconds a slice may run before yielding to the event loop. */
  sliceMs?: number;
  /** Longest a slice waits for incoming messages to be handled first (so lints always progress). */
  maxDeferMs?: number;
}

interface Entry {
  due: number;
  reason: LintReason;
}

export class LintScheduler {
  private readonly queue = new Map<string, Entry>();
  private readonly activity = new Map<string, number>();
  private tick = 0;
  private pumping: NodeJS.Immediate | undefined;
  private inSlice = false;
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private disposed = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly sliceMs: number;
  private readonly maxDeferMs: number;
  /** Messages handled since the last turn, and since when slices have waited for messages. */
  private messages = 0;
  private deferringSince: number | undefined;

  constructor(private readonly options: LintSchedulerOptions) {
    this.sliceMs = options.sliceMs ?? 8;
    this.maxDeferMs = options.maxDeferMs ?? 100;
  }

  /** The server is handling an incoming message: the next slice waits until none is left. */
  noteMessage(): void {
    this.messages++;
  }

  /** The user did something with this document (opened, edited, asked about it): it goes first. */
  touch(uri: string): void {
    this.activity.set(uri, ++this.tick);
  }

  /**
   * Queues a lint of `uri`. An `edit` is due `delayMs` from now, replacing an earlier due time;
   * a `dependency` re-lint is due now unless an entry is already waiting for its debounce.
   */
  schedule(uri: string, reason: LintReason, delayMs = 0): void {
    if (this.disposed) return;
    const existing = this.queue.get(uri);
    const now = Date.now();
    let due = now + delayMs;
    if (reason === 'dependency' && existing) due = Math.max(existing.due, due);
    // An entry keeps the higher tier of the reasons it was queued for.
    const tier: LintReason = existing?.reason === 'edit' || reason === 'edit' ? 'edit' : 'dependency';
    this.queue.set(uri, { due, reason: tier });
    this.wake();
  }

  /** The document was closed: drop its queued lint and its activity. */
  forget(uri: string): void {
    this.queue.delete(uri);
    this.activity.delete(uri);
    this.settleIfIdle();
  }

  /** Number of queued lints (due or not). */
  get size(): number {
    return this.queue.size;
  }

  /** Resolves once the queue is empty. */
  idle(): Promise<void> {
    if (!this.queue.size) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    this.queue.clear();
    if (this.pumping) clearImmediate(this.pumping);
    if (this.timer) clearTimeout(this.timer);
    this.pumping = undefined;
    this.timer = undefined;
    this.settleIfIdle();
  }

  /** Makes sure a slice runs as soon as something is due: now, or at the earliest due time. */
  private wake(): void {
    if (this.pumping || this.inSlice || this.disposed) return;
    let earliest = Infinity;
    for (const e of this.queue.values()) if (e.due < earliest) earliest = e.due;
    if (earliest === Infinity) return;
    const wait = earliest - Date.now();
    if (wait <= 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDue = Infinity;
      this.pumping = setImmediate(() => this.slice());
      return;
    }
    if (this.timer && this.timerDue <= earliest) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = earliest;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerDue = Infinity;
      this.wake();
    }, wait);
  }

  /** The due entry to run next: edits before dependency re-lints, then the most recently active. */
  private next(now: number): string | undefined {
    let best: string | undefined;
    let bestRank = -Infinity;
    for (const [uri, e] of this.queue) {
      if (e.due > now) continue;
      const rank = (e.reason === 'edit' ? Number.MAX_SAFE_INTEGER / 2 : 0) + (this.activity.get(uri) ?? 0);
      if (rank > bestRank) {
        bestRank = rank;
        best = uri;
      }
    }
    return best;
  }

  private slice(): void {
    this.pumping = undefined;
    const started = Date.now();
    // A message was handled since the last turn: more may be queued behind it, one per turn.
    if (this.messages > 0 && started - (this.deferringSince ??= started) < this.maxDeferMs) {
      this.messages = 0;
      this.pumping = setImmediate(() => this.slice());
      return;
    }
    this.messages = 0;
    this.deferringSince = undefined;
    this.inSlice = true;
    for (;;) {
      const now = Date.now();
      const uri = this.next(now);
      if (uri === undefined) break;
      this.queue.delete(uri);
      try {
        this.options.run(uri);
      } catch {
        // `run` reports its own failures; one document must not stop the queue.
      }
      if (Date.now() - started >= this.sliceMs) break;
    }
    this.inSlice = false;
    this.wake();
    this.settleIfIdle();
  }

  private settleIfIdle(): void {
    if (this.queue.size) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
