/**
 * The browser build of the client (vscode.dev, github.dev, and any virtual workspace in VS Code for
 * the Web): package.json's `browser` entry. It starts the language server bundle dist/browserServer.js
 * in a web worker and answers the server's file requests through the workspace file system API, since
 * a worker has no disk: the same rules, the same diagnostics and fixes as the desktop build.
 *
 * The server also asks for the `.bulkhead.yaml` files and the charts' files it reads (the nearest config
 * applies, templates render with their chart). What the browser build does not do: baseline hints,
 * generate NetworkPolicies (the command reads the disk).
 */
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/browser';
import { LIST_WORKSPACE_FILES_REQUEST, READ_WORKSPACE_FILES_REQUEST, SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { scanWorkspace } from './scanCommand';
import { workspaceFileHandlers } from './workspaceFiles';

/** The web worker constructor of the browser's global scope (no DOM typings in this project). */
declare const Worker: new (url: string) => Awaited<ReturnType<Extract<ServerOptions, () => unknown>>>;

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

// Every scheme: files of a virtual workspace are `vscode-vfs:`, `github:` or whatever the host serves.
const DOCUMENT_SELECTOR = [
  { language: 'yaml' },
  { language: 'dockerfile' },
  { language: 'helm' },
  { pattern: '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*}' },
  { pattern: '**/{.env,.env.*,*.env}' },
  { pattern: '**/{*.conf,config,*kubeconfig*}' },
  // Kubeconfigs under names that say nothing (`admin.cfg`, `kube.config`, `prodcluster`, which opens as
  // plain text): the server lints them only when their content is a kubeconfig, and is quiet otherwise.
  { pattern: '**/*.{cfg,config,kube,kubecfg}' },
  { language: 'plaintext' },
];

function createClient(context: vscode.ExtensionContext): LanguageClient {
  output ??= vscode.window.createOutputChannel('Bulkhead', { log: true });
  // Chart helpers (`.tpl`), packaged subcharts and `.helmignore` too: the server renders templates with the files it fetched.
  const watcher = vscode.workspace.createFileSystemWatcher(
    '**/{*.yaml,*.yml,*.tpl,*.tgz,Chart.lock,.helmignore,Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,.env,.env.*,*.env}',
  );
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { fileEvents: watcher },
    // `workspaceFiles`: this client answers the server's file requests below.
    initializationOptions: { ...vscode.workspace.getConfiguration(SETTINGS_SECTION), workspaceFiles: true },
    outputChannel: output,
    diagnosticCollectionName: 'bulkhead',
  };
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'browserServer.js');
  // A new worker for every start: "Restart Language Server" stops (terminates) the previous one.
  const created = new LanguageClient('bulkhead', 'Bulkhead', async () => new Worker(serverMain.toString(true)), clientOptions);
  const files = workspaceFileHandlers({
    findFiles: async (exclude, maxResults) => (await vscode.workspace.findFiles('**/*', exclude, maxResults)).map((uri) => uri.toString()),
    readFile: (uri) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.parse(uri))),
  });
  created.onRequest(LIST_WORKSPACE_FILES_REQUEST, files.list);
  created.onRequest(READ_WORKSPACE_FILES_REQUEST, files.read);
  return created;
}

/**
 * Set while this web build runs: package.json hides the commands that need the Node server (security map,
 * build SBOM, NetworkPolicy generation) when it is. Not `isWeb`, which is also true in code-server, whose
 * workbench runs in a browser while the extension (the desktop build) runs in Node.
 */
const WEB_EXTENSION_CONTEXT = 'bulkhead.webExtension';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  void vscode.commands.executeCommand('setContext', WEB_EXTENSION_CONTEXT, true);
  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('bulkhead.scanWorkspace', () => scanWorkspace(client, output)),
    vscode.commands.registerCommand('bulkhead.restartServer', async () => {
      await client?.stop();
      await client?.start();
    }),
    vscode.commands.registerCommand('bulkhead.showOutput', () => output?.show()),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
