/**
 * The VS Code client: starts the bundled language server and adds the workspace scan command.
 * Thin on purpose: everything Bulkhead knows lives in the server, shared with the CLI.
 */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SCAN_PROGRESS_NOTIFICATION, SCAN_WORKSPACE_REQUEST, ScanProgressParams, ScanWorkspaceResult, SETTINGS_SECTION } from '../../server/src/lsp/protocol';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'untitled', language: 'dockerfile' },
  // Helm templates, when a Helm extension gives them their own language.
  { scheme: 'file', language: 'helm' },
  // Without a Docker extension some Dockerfile names open as plain text.
  { scheme: 'file', pattern: '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}' },
  // .env files (secrets), and kubeconfigs, which the server recognises by content whatever their name
  // (a `config` or `*.conf` that is not a kubeconfig gets nothing).
  { scheme: 'file', pattern: '**/{.env,.env.*,*.env}' },
  { scheme: 'file', pattern: '**/{*.conf,config,*kubeconfig*}' },
  // kustomize's extensionless `Kustomization`, and `.properties` files its generators read (`envs`): the
  // server reports in a `.properties` file only when a kustomization of the workspace reads it.
  { scheme: 'file', pattern: '**/{Kustomization,*.properties}' },
];

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  output ??= vscode.window.createOutputChannel('Bulkhead', { log: true });
  const watcher = vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,.bulkhead.yaml,.bulkhead.yml}');
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { fileEvents: watcher },
    initializationOptions: vscode.workspace.getConfiguration(SETTINGS_SECTION),
    outputChannel: output,
    diagnosticCollectionName: 'bulkhead',
  };
  return new LanguageClient('bulkhead', 'Bulkhead', serverOptions, clientOptions);
}

async function scanWorkspace(): Promise<void> {
  const c = client;
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

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('bulkhead.scanWorkspace', () => scanWorkspace()),
    vscode.commands.registerCommand('bulkhead.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('bulkhead.showOutput', () => output?.show()),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
