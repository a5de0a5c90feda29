/**
 * Custom LSP messages between the VS Code client and the server. Types and names only: the
 * client bundles this file too, so it must not import anything with runtime weight.
 */

/** Client → server request: lint every file of every workspace folder and publish diagnostics. */
export const SCAN_WORKSPACE_REQUEST = 'bulkhead/scanWorkspace';

export interface ScanWorkspaceParams {
  /** Limit the scan to these folder URIs; all workspace folders when omitted. */
  folders?: string[];
}

export interface ScanWorkspaceResult {
  files: number;
  findings: number;
  bySeverity: { error: number; warning: number; info: number };
  /** Files that could not be read or were skipped, and rules that failed. */
  errors: { file: string; message: string }[];
  cancelled: boolean;
}

/** Server → client notification during a scan (the request's cancellation stops it). */
export const SCAN_PROGRESS_NOTIFICATION = 'bulkhead/scanProgress';

export interface ScanProgressParams {
  done: number;
  total: number;
  /** The file being linted, workspace-relative. */
  file?: string;
}

/**
 * Command (workspace/executeCommand) that writes generated NetworkPolicies for a folder (argument: its
 * path; the first workspace folder when omitted) to a new file for review. Offered on the network pack's
 * "no NetworkPolicy" findings and in the command palette.
 */
export const GENERATE_NETWORK_POLICIES_COMMAND = 'bulkhead.generateNetworkPolicies';

/**
 * Client → server request behind "Bulkhead: Show Build SBOM": the CycloneDX 1.6 build-time SBOM of an
 * open Dockerfile, or null when the document is not one.
 */
export const BUILD_SBOM_REQUEST = 'bulkhead/buildSbom';

export interface BuildSbomParams {
  uri: string;
}

export interface BuildSbomResult {
  /** The document, pretty-printed JSON. */
  content: string;
  /** What it describes (the Dockerfile's name), for the editor's title. */
  subject: string;
}

/** The settings section the server pulls with `workspace/configuration`. */
export const SETTINGS_SECTION = 'bulkhead';

/** VS Code settings, mirroring `.bulkhead.yaml`; the project file wins where both set a key. */
export interface BulkheadSettings {
  enable: boolean;
  profile?: string;
  rules?: Record<string, unknown>;
  exclude?: string[];
  settings?: Record<string, unknown>;
  /** Delay between a keystroke and linting, in ms. */
  debounceMs: number;
  /** A baseline file (relative to the workspace folder): the findings it records show as hints. */
  baseline?: string;
}

/**
 * Client → server request: the security map of the workspace folders (the shape of
 * `bulkhead map --format json`, files as absolute paths). Read from disk like the CLI, so it shows
 * saved files.
 */
export const MAP_DATA_REQUEST = 'bulkhead/mapData';

/**
 * Server → client request of the browser build (vscode.dev, github.dev), where the server runs in a
 * web worker without a file system: the files of the workspace folders, as URIs, from the editor's
 * workspace file search. The server asks only when the client's initialization options say
 * `workspaceFiles: true`; it decides itself which names to read (see server/src/browser/workspaceFiles.ts).
 */
export const LIST_WORKSPACE_FILES_REQUEST = 'bulkhead/listWorkspaceFiles';

export interface ListWorkspaceFilesParams {
  /** A glob of folders never worth listing (VCS and dependency folders). */
  exclude: string;
  maxFiles: number;
}

export interface ListWorkspaceFilesResult {
  uris: string[];
  /** More files matched than `maxFiles`: the first ones (by URI) are listed. */
  truncated: boolean;
}

/**
 * Server → client request of the browser build: the bytes of some files, read through the workspace
 * file system API (`vscode.workspace.fs`), base64-encoded so the server decodes them exactly as the
 * Node server decodes a file from disk (BOMs, UTF-16, binary, the size limit).
 */
export const READ_WORKSPACE_FILES_REQUEST = 'bulkhead/readWorkspaceFiles';

export interface ReadWorkspaceFilesParams {
  uris: string[];
  /** Larger files are not sent (`error` says so): the server would skip them anyway. */
  maxBytes: number;
}

export type ReadWorkspaceFile = { uri: string; base64: string } | { uri: string; error: string };

export interface ReadWorkspaceFilesResult {
  files: ReadWorkspaceFile[];
}
