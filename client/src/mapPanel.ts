/**
 * "Bulkhead: Show Security Map": a webview drawing the server's map of the workspace (the page of
 * server/src/map/page.ts under a nonce CSP, the viewer loaded from dist/), kept up to date as
 * diagnostics change, and a status-bar entry while the workspace has Bulkhead findings. Clicking a
 * node or an edge in the map opens its file at its line.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { MapData } from '../map/mapData';
import { mapPage } from '../../server/src/map/page';
import { MAP_DATA_REQUEST } from '../../server/src/lsp/protocol';

export const SHOW_MAP_COMMAND = 'bulkhead.showSecurityMap';
const DIAGNOSTIC_SOURCE = 'bulkhead';
/** Diagnostics arrive file by file during a scan: one map request after they settle. */
const REFRESH_DELAY_MS = 1000;

export class SecurityMap implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  /** Files the current map names: the only ones a message from the webview may open. */
  private files = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
  ) {
    this.status = vscode.window.createStatusBarItem('bulkhead.securityMap', vscode.StatusBarAlignment.Left, 0);
    this.status.name = 'Bulkhead Security Map';
    this.status.text = '$(type-hierarchy) Security map';
    this.status.tooltip = 'Bulkhead: Show Security Map (entry points, attack paths and crown jewels of the workspace)';
    this.status.command = SHOW_MAP_COMMAND;
    this.disposables.push(
      this.status,
      vscode.commands.registerCommand(SHOW_MAP_COMMAND, () => this.show()),
      vscode.languages.onDidChangeDiagnostics(() => {
        this.updateStatus();
        this.scheduleRefresh();
      }),
      vscode.workspace.onDidSaveTextDocument(() => this.scheduleRefresh()),
    );
    this.updateStatus();
  }

  private updateStatus(): void {
    const any = vscode.languages.getDiagnostics().some(([, list]) => list.some((d) => d.source === DIAGNOSTIC_SOURCE));
    if (any) this.status.show();
    else this.status.hide();
  }

  /**
   * The server reads the workspace from disk for each map: while the panel is hidden, a change only
   * marks the map stale (it is rebuilt when shown), and one request at a time runs (a change during
   * it asks for one more after it).
   */
  private scheduleRefresh(): void {
    if (!this.panel) return;
    this.stale = true;
    if (!this.panel.visible) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private stale = false;
  private inFlight: Promise<void> | undefined;

  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
      await this.refresh();
      return;
    }
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('bulkhead.securityMap', 'Bulkhead Security Map', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [dist],
    });
    this.panel = panel;
    const nonce = randomBytes(16).toString('base64');
    const scriptUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'mapViewer.js')).toString();
    panel.webview.html = mapPage({ title: 'Bulkhead Security Map', nonce, scriptUri });
    panel.webview.onDidReceiveMessage(
      (message: { type?: string; file?: unknown; line?: unknown; preserveFocus?: unknown }) => {
        if (message?.type === 'ready') void this.refresh();
        else if (message?.type === 'open' && typeof message.file === 'string')
          void this.open(message.file, typeof message.line === 'number' ? message.line : 1, message.preserveFocus === true);
      },
      undefined,
      this.disposables,
    );
    panel.onDidChangeViewState(
      () => {
        if (panel.visible && this.stale) this.scheduleRefresh();
      },
      undefined,
      this.disposables,
    );
    panel.onDidDispose(
      () => {
        this.panel = undefined;
        if (this.refreshTimer) clearTimeout(this.refreshTimer);
      },
      undefined,
      this.disposables,
    );
  }

  private async refresh(): Promise<void> {
    if (this.inFlight !== undefined) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.inFlight = this.request().finally(() => {
      this.inFlight = undefined;
      if (this.stale) this.scheduleRefresh();
    });
    await this.inFlight;
  }

  private async request(): Promise<void> {
    const client = this.client();
    const panel = this.panel;
    if (!client || !panel) return;
    try {
      const data = await client.sendRequest<MapData>(MAP_DATA_REQUEST, {});
      this.files = new Set([...data.nodes, ...data.edges].flatMap((x) => (x.file ? [x.file] : [])));
      await panel.webview.postMessage({ type: 'map', data });
    } catch (err) {
      void vscode.window.showErrorMessage(`Bulkhead: could not build the security map: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  /** Opens a file the map names at a 1-based line, beside the map (keeping the focus on the map when asked: keyboard use). */
  private async open(file: string, line: number, preserveFocus = false): Promise<void> {
    if (!this.files.has(file)) return;
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.file(file), {
      viewColumn: vscode.ViewColumn.Beside,
      selection: new vscode.Range(position, position),
      preserveFocus,
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
