/**
 * `node:zlib` for the browser bundle. Only the chart loader calls it, to unpack packaged subcharts
 * (`charts/*.tgz`), synchronously as the engine runs. A browser has no synchronous gunzip, but it has
 * `DecompressionStream`: the browser server inflates each archive it fetches beforehand (`inflateAhead`,
 * bounded), and `gunzipSync` answers from that, for those very bytes. An archive nobody inflated (one
 * packed inside another) is reported unreadable, never silently skipped.
 */
import { BufferLike } from './buffer';

const inflated = new WeakMap<Uint8Array, BufferLike | Error>();

/** Inflates a gzip stream now, for `gunzipSync(gz)` later; past `maxBytes` the result is a RangeError, as Node's. */
export async function inflateAhead(gz: Uint8Array, maxBytes: number): Promise<void> {
  try {
    const reader = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        inflated.set(gz, new RangeError(`Cannot create a Buffer larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(value);
    }
    const out = new BufferLike(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    inflated.set(gz, out);
  } catch (err) {
    inflated.set(gz, err instanceof Error ? err : new Error(String(err)));
  }
}

export function gunzipSync(gz: Uint8Array, options: { maxOutputLength?: number } = {}): BufferLike {
  const got = inflated.get(gz);
  if (got === undefined) throw new Error('an archive inside a packaged chart is not unpacked in the browser');
  if (got instanceof Error) throw got;
  if (options.maxOutputLength !== undefined && got.length > options.maxOutputLength)
    throw new RangeError(`Cannot create a Buffer larger than ${options.maxOutputLength} bytes`);
  return got;
}
