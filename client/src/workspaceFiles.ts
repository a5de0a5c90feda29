/**
 * The client's side of the browser build's file requests: the server in a web worker has no file
 * system, so it asks the client for the workspace's file list and for file bytes, which the client
 * reads through the editor's workspace file system (`vscode.workspace.findFiles`, `vscode.workspace.fs`,
 * wired in browserExtension.ts). No `vscode` import here, so the browser test runs this very code in
 * Chromium against a file system of its own.
 */
import type {
  ListWorkspaceFilesParams,
  ListWorkspaceFilesResult,
  ReadWorkspaceFile,
  ReadWorkspaceFilesParams,
  ReadWorkspaceFilesResult,
} from '../../server/src/lsp/protocol';

/** What the handlers need of the editor's workspace. */
export interface WorkspaceFileSystem {
  /** URIs (as strings) of the workspace's files, not under `exclude`, at most `maxResults`. */
  findFiles(exclude: string, maxResults: number): Promise<string[]>;
  readFile(uri: string): Promise<Uint8Array>;
}

/** Base64 without Node's Buffer; in slices, so a large file does not overflow `fromCharCode`'s arguments. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function workspaceFileHandlers(files: WorkspaceFileSystem) {
  return {
    async list(params: ListWorkspaceFilesParams): Promise<ListWorkspaceFilesResult> {
      const max = Math.max(0, Math.floor(params.maxFiles));
      // One more than asked for tells whether the list was cut.
      const uris = await files.findFiles(params.exclude, max + 1);
      uris.sort();
      return { uris: uris.slice(0, max), truncated: uris.length > max };
    },
    async read(params: ReadWorkspaceFilesParams): Promise<ReadWorkspaceFilesResult> {
      const read = async (uri: string): Promise<ReadWorkspaceFile> => {
        try {
          const bytes = await files.readFile(uri);
          if (bytes.length > params.maxBytes)
            return { uri, error: `file is ${(bytes.length / 1048576).toFixed(1)} MB, over the ${params.maxBytes / 1048576} MB limit; not linted` };
          return { uri, base64: toBase64(bytes) };
        } catch (err) {
          return { uri, error: `cannot read: ${(err as Error)?.message ?? String(err)}` };
        }
      };
      return { files: await Promise.all(params.uris.map(read)) };
    },
  };
}
