/**
 * Checksums that GitHub (`ghp_…`, 2021 formats) and npm (`npm_…`) put in their tokens: the last six
 * characters are the CRC32 of the 30 random ones, in base62. A string of the right shape with a wrong
 * checksum is a made-up example, never a token those services issued.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** `prefix_` + 30 random characters + 6 checksum characters. */
export function hasValidBase62Checksum(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

/** Builds a token of that format with a valid checksum (for tests and examples: synthetic, never issued). */
export function withBase62Checksum(prefix: string, random30: string): string {
  if (random30.length !== 30) throw new Error('the random part of a GitHub or npm token is 30 characters');
  return `${prefix}${random30}${base62(crc32(random30), 6)}`;
}
