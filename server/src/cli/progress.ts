/**
 * Progress of a long `bulkhead scan` on a terminal: one line on stderr ("linting 1,200/3,000 files"),
 * rewritten in place at most ten times a second, shown only once a scan has run for two seconds and
 * erased when it ends. Never on a pipe or in CI logs (stderr not a terminal), never on stdout, so
 * JSON, SARIF and XML reports are untouched.
 */
export type ScanPhase = 'reading' | 'indexing' | 'linting';
export type ProgressCallback = (phase: ScanPhase, done: number, total: number) => void;

const SHOW_AFTER_MS = 2000;
const EVERY_MS = 100;

export class TerminalProgress {
  private readonly started: number;
  private lastDraw = 0;
  private shown = false;

  constructor(
    private readonly write: (s: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  readonly update: ProgressCallback = (phase, done, total) => {
    const t = this.now();
    if (t - this.started < SHOW_AFTER_MS || (t - this.lastDraw < EVERY_MS && done < total)) return;
    this.lastDraw = t;
    this.shown = true;
    // \r and "erase to end of line": the line is rewritten, never scrolled.
    this.write(`\r\u001b[Kbulkhead: ${phase} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} files`);
  };

  end(): void {
    if (this.shown) this.write('\r\u001b[K');
    this.shown = false;
  }
}
