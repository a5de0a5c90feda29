/**
 * `node:fs` for the browser bundle. The browser server never reads the disk (documents come from the
 * editor; chart and config files from the client, see workspaceFileSystem.ts); the Node file system
 * (server/src/node/files.ts) is bundled but never called there, and if it were, it fails loudly
 * instead of returning made-up data.
 */
function unavailable(): never {
  throw new Error('no file system in the browser build of Bulkhead');
}
export const existsSync = unavailable;
export const readFileSync = unavailable;
export const statSync = unavailable;
export const lstatSync = unavailable;
export const realpathSync = unavailable;
export const readdirSync = unavailable;
export const openSync = unavailable;
export const closeSync = unavailable;
export const readSync = unavailable;
export const fstatSync = unavailable;
export const writeFileSync = unavailable;
export const constants = {};
