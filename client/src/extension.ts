/**
 * The VS Code client: starts the bundled language server and adds the workspace scan command.
 * Thin on purpose: everything Bulkhead knows lives in the server, shared with the CLI.
 */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SecurityMap } from './mapPanel';
import { BUILD_SBOM_REQUEST, BuildSbomResult, SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { scanWorkspace } from './scanCommand';

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
  // Kubeconfigs under names that say nothing (`admin.cfg`, `kube.config`, `prodcluster`, which opens as
  // plain text): the server lints them only when their content is a kubeconfig, and is quiet otherwise.
  { scheme: 'file', pattern: '**/*.{cfg,config,kube,kubecfg}' },
  { scheme: 'file', language: 'plaintext' },
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
  const watcher = vscode.workspace.createFileSystemWatcher(
    '**/{*.yaml,*.yml,*.tpl,*.tgz,Chart.lock,.helmignore,Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,.env,.env.*,*.env,.bulkhead.yaml,.bulkhead.yml}',
  );
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

/** "Bulkhead: Show Build SBOM": the active Dockerfile's CycloneDX build-time SBOM in a new, unsaved JSON editor. */
async function showBuildSbom(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const c = client;
  if (!editor || !c) {
    void vscode.window.showInformationMessage('Bulkhead: open a Dockerfile to see its build-time SBOM.');
    return;
  }
  const result = await c.sendRequest<BuildSbomResult | null>(BUILD_SBOM_REQUEST, { uri: editor.document.uri.toString() });
  if (!result) {
    void vscode.window.showInformationMessage('Bulkhead: the active editor is not a Dockerfile.');
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: result.content });
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('bulkhead.scanWorkspace', () => scanWorkspace(client, output)),
    vscode.commands.registerCommand('bulkhead.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('bulkhead.showOutput', () => output?.show()),
    new SecurityMap(context, () => client),
    vscode.commands.registerCommand('bulkhead.showBuildSbom', () => showBuildSbom()),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
