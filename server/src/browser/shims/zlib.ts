/**
 * `node:zlib` for the browser bundle. Only the chart loader reads packaged charts (`charts/*.tgz`),
 * and the browser server does not fetch them (see workspaceFileSystem.ts: the loader is told they are
 * not unpacked here, and Chart.yaml says so), so this is never called there; if it were, the archive
 * is reported unreadable instead of silently skipped.
 */
export function gunzipSync(): never {
  throw new Error('packaged charts are not unpacked in the browser');
}
