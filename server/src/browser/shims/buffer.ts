/**
 * The little of Node's `Buffer` the bundled code calls (dockerfile-ast reads a character's UTF-8
 * bytes; Helm functions encode base64 and hex; the packaged-chart reader slices a tar and decodes its
 * names and files), injected by esbuild for the global `Buffer` in the browser bundle only.
 */
type Encoding = 'utf8' | 'utf-8' | 'UTF-8' | 'base64' | 'hex' | 'latin1';

function encode(bytes: Uint8Array, encoding: Encoding = 'utf8'): string {
  if (encoding === 'base64') return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
  if (encoding === 'hex') return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  if (encoding === 'latin1') return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes); // Buffer keeps a BOM
}

/**
 * Bytes whose `toString(encoding)` behaves as Buffer's. A subclass, so `subarray` gives one too (the
 * tar reader decodes slices of slices).
 */
export class BufferLike extends Uint8Array {
  override toString(encoding?: Encoding): string {
    return encode(this, encoding);
  }
}

function bytesOf(values: ArrayLike<number>): BufferLike {
  const bytes = new BufferLike(values.length);
  bytes.set(values);
  return bytes;
}

export const Buffer = {
  from(input: string | ArrayLike<number>, encoding: Encoding = 'utf8'): BufferLike {
    if (typeof input !== 'string') return bytesOf(input);
    if (encoding === 'base64') return bytesOf(Array.from(atob(input), (c) => c.charCodeAt(0)));
    if (encoding === 'hex') return bytesOf((input.match(/[0-9a-fA-F]{2}/g) ?? []).map((h) => Number.parseInt(h, 16)));
    if (encoding === 'latin1') return bytesOf(Array.from(input, (c) => c.charCodeAt(0) & 0xff));
    return bytesOf(new TextEncoder().encode(input));
  },
  alloc(size: number): BufferLike {
    return new BufferLike(size);
  },
};
