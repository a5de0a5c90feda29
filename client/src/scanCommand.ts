/**
 * "Bulkhead: Scan Workspace", for both builds of the extension (desktop and browser): the server lints
 * every workspace file and publishes diagnostics; this shows progress and the summary.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { SCAN_PROGRESS_NOTIFICATION, SCAN_WORKSPACE_REQUEST, type ScanProgressParams, type ScanWorkspaceResult } from '../../server/src/lsp/protocol';

export async function scanWorkspace(c: BaseLanguageClient | undefined, output: vscode.LogOutputChannel | undefined): Promise<void> {
  if (!c) return;
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Bulkhead: open a folder to scan it.');
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Bulkhead: scanning workspace', cancellable: true },
    async (progress, token) => {
      let reported = 0;
      const listener = c.onNotification(SCAN_PROGRESS_NOTIFICATION, (p: ScanProgressParams) => {
        if (!p.total) return;
        const percent = Math.floor((p.done / p.total) * 100);
        if (percent > reported) {
          progress.report({ increment: percent - reported, message: p.file ? vscode.workspace.asRelativePath(p.file) : undefined });
          reported = percent;
        }
      });
      try {
        return await c.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST, {}, token);
      } finally {
        listener.dispose();
      }
    },
  );
  if (!result) return;
  if (result.cancelled) {
    void vscode.window.showInformationMessage('Bulkhead: workspace scan cancelled.');
    return;
  }
  const s = result.bySeverity;
  const summary = `Bulkhead: ${result.findings} problem${result.findings === 1 ? '' : 's'} (${s.error} errors, ${s.warning} warnings, ${s.info} info) in ${result.files} files.`;
  const skipped = result.errors.length ? ` ${result.errors.length} file(s) skipped; see the output.` : '';
  for (const e of result.errors) output?.appendLine(`${e.file}: ${e.message}`);
  const choice = await vscode.window.showInformationMessage(summary + skipped, 'Show Problems');
  if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
}
