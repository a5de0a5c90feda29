/**
 * The little of Node's `Buffer` the bundled code calls (dockerfile-ast reads a character's UTF-8
 * bytes; Helm functions encode base64 and hex), injected by esbuild for the global `Buffer` in the
 * browser bundle only.
 */
type Encoding = 'utf8' | 'utf-8' | 'UTF-8' | 'base64' | 'hex';

function encode(bytes: Uint8Array, encoding: Encoding = 'utf8'): string {
  if (encoding === 'base64') return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
  if (encoding === 'hex') return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes); // Buffer keeps a BOM
}

/** Bytes as a Uint8Array whose `toString(encoding)` behaves as Buffer's. */
export interface BufferLike extends Uint8Array {
  toString(encoding?: Encoding): string;
}

function bytesOf(values: ArrayLike<number>): BufferLike {
  const bytes = Uint8Array.from(values);
  Object.defineProperty(bytes, 'toString', { value: (encoding?: Encoding) => encode(bytes, encoding) });
  return bytes as BufferLike;
}

export const Buffer = {
  from(input: string | ArrayLike<number>, encoding: Encoding = 'utf8'): BufferLike {
    if (typeof input !== 'string') return bytesOf(input);
    if (encoding === 'base64') return bytesOf(Array.from(atob(input), (c) => c.charCodeAt(0)));
    if (encoding === 'hex') return bytesOf((input.match(/[0-9a-fA-F]{2}/g) ?? []).map((h) => Number.parseInt(h, 16)));
    return bytesOf(new TextEncoder().encode(input));
  },
};
