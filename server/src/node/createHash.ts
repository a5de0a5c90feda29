/**
 * `createHash` of node:crypto, loaded on first use. Loading node:crypto costs a process about as much
 * as scanning a few dozen Dockerfiles, and only a Helm template's `sha256sum`/`sha1sum`, the map's
 * page and the SBOM's serial number need it: an import at the top of their modules made every
 * `bulkhead` start pay for it. (The browser build maps node:crypto to its shim here as well.)
 */
import type * as Crypto from 'node:crypto';

let crypto: typeof Crypto | undefined;

export function createHash(algorithm: 'sha1' | 'sha256'): Crypto.Hash {
  crypto ??= require('node:crypto') as typeof Crypto;
  return crypto.createHash(algorithm);
}
