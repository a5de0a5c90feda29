/**
 * Turning file bytes into lintable text. Editors hand us text already, but the CLI and the
 * workspace scan read bytes, and the bytes may be anything: binary, UTF-16, a BOM, huge.
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export type Decoded = { kind: 'text'; text: string; bom: boolean; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } | { kind: 'skipped'; reason: string };

/** One decoder for every file: without `stream`, each `decode` call starts afresh. */
const UTF8 = new TextDecoder('utf-8');

export function decodeBytes(bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      kind: 'skipped',
      reason: `file is ${(bytes.length / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit; not linted`,
    };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { kind: 'text', text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), bom: true, encoding: 'utf-16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { kind: 'text', text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), bom: true, encoding: 'utf-16be' };
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  if (looksBinary(body)) return { kind: 'skipped', reason: 'file looks binary (it contains NUL bytes); not linted' };
  return { kind: 'text', text: UTF8.decode(body), bom, encoding: 'utf-8' };
}

/**
 * A NUL byte in the first 8 KB is what git and grep take as "binary" too. Searched natively: a byte
 * loop in cold code cost about 50,000 instructions a file.
 */
function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).indexOf(0) >= 0;
}

/** Text handed over by an editor: strip a BOM the editor left in, and refuse binary content. */
export function normalizeEditorText(text: string): { text: string; skipped?: string } {
  if (text.length > MAX_FILE_BYTES) return { text: '', skipped: `file is over the ${MAX_FILE_BYTES / 1048576} MB limit; not linted` };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.slice(0, 8192).includes('\u0000')) return { text: '', skipped: 'file looks binary (it contains NUL bytes); not linted' };
  return { text };
}

export function encodeText(text: string, bom: boolean, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): Buffer {
  if (encoding === 'utf-8') {
    const body = Buffer.from(text, 'utf8');
    return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  }
  const le = Buffer.from(text, 'utf16le');
  if (encoding === 'utf-16be') le.swap16();
  const mark = encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return bom ? Buffer.concat([Buffer.from(mark), le]) : le;
}
