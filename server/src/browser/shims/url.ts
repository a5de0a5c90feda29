/** `node:url` for the browser bundle: `file:` URLs to paths and back, with the browser's own URL. */
export function fileURLToPath(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'file:') throw new TypeError(`not a file URL: ${u.href}`);
  return decodeURIComponent(u.pathname);
}

export function pathToFileURL(p: string): URL {
  return new URL(`file://${p.split('/').map(encodeURIComponent).join('/')}`);
}
