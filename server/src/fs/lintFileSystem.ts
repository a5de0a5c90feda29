/**
 * What the chart detector, the chart loader and the `.bulkhead.yaml` lookup read of a file system:
 * Node's disk (server/src/node/files.ts) or, in the browser build, the workspace files the client reads
 * for the server (server/src/browser/workspaceFileSystem.ts). Synchronous: the engine is; a browser
 * implementation answers from files it fetched beforehand.
 */

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface DirEntry {
  readonly name: string;
  /** As a directory listing says it (a symbolic link is `symlink`, not what it points to). */
  readonly kind: EntryKind;
}

export type BytesRead = { ok: true; bytes: Uint8Array } | { ok: false; message: string; tooLarge?: boolean };

/** Reads files whose real path lies inside the roots it was made for (see `LintFileSystem.confined`). */
export interface ConfinedReader {
  /** UTF-8 text (a BOM kept), or undefined when the file is missing, outside the roots or over `maxBytes`. */
  text(file: string, maxBytes: number): string | undefined;
  bytes(file: string, maxBytes: number): BytesRead;
}

export interface LintFileSystem {
  /** Whether something exists at `file` (links followed). */
  exists(file: string): boolean;
  /** Whether `file` is a regular file (links followed). */
  isFile(file: string): boolean;
  /** A folder's entries, or undefined when it cannot be listed. */
  readDir(dir: string): readonly DirEntry[] | undefined;
  /** Changes whenever the file does (a modification time); -1 when there is no such file. */
  version(file: string): number;
  /** A small file's text read without root checks (`.helmignore`), or undefined. */
  readText(file: string): string | undefined;
  /** A reader of files inside `roots` (folders): a link out of them is not followed. */
  confined(roots: readonly string[]): ConfinedReader;
}
