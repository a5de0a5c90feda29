/**
 * String helpers for rules, written as loops where the obvious regular expression backtracks
 * super-linearly. Rules read untrusted files: `/\/+$/` on `////…//x` retries from every slash and
 * scans the run each time (quadratic), so trailing runs are trimmed by hand here.
 */

/** `text` without the trailing run of characters from `chars`. */
export function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Length of the run of characters from `chars` that ends at `end` (exclusive) in `text`. */
export function runBefore(text: string, end: number, chars: string): number {
  let start = end;
  while (start > 0 && chars.includes(text[start - 1])) start--;
  return end - start;
}

/** Length of the run of characters from `chars` that starts at `start` in `text`. */
export function runAfter(text: string, start: number, chars: string): number {
  let end = start;
  while (end < text.length && chars.includes(text[end])) end++;
  return end - start;
}

/** A path without its trailing slashes (`/a/b//` → `/a/b`, `/` → ``). */
export function withoutTrailingSlashes(path: string): string {
  return trimEndOf(path, '/');
}
