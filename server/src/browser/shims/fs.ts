/**
 * `node:fs` for the browser bundle. The browser server never reads the disk (documents come from the
 * editor); modules that can (config discovery, the chart loader) are bundled but never called there,
 * and if one were, it fails loudly instead of returning made-up data.
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
