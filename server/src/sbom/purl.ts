/**
 * Package URLs (https://github.com/package-url/purl-spec): `pkg:type/namespace/name@version?qualifiers`,
 * each part percent-encoded.
 */

const enc = (s: string): string => encodeURIComponent(s);

export function purl(type: string, namespace: string | undefined, name: string, version?: string, qualifiers?: Record<string, string | undefined>): string {
  let out = `pkg:${type}/`;
  if (namespace) out += `${namespace.split('/').map(enc).join('/')}/`;
  out += enc(name);
  if (version) out += `@${enc(version)}`;
  const q = Object.entries(qualifiers ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (q.length) out += `?${q.map(([k, v]) => `${k}=${enc(v)}`).join('&')}`;
  return out;
}
