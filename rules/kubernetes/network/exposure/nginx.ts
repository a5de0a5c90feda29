/** ingress-nginx (and other NGINX-based controllers') annotations. */
import type { Pair } from 'yaml';
import type { KubeObject } from '../../../../server/src/documents/kube';

export const INGRESS_NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';
export const ANNOTATIONS_DOCS = 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/';

/**
 * Annotations that paste raw configuration into the proxy: ingress-nginx's `configuration-snippet`,
 * `server-snippet`, `auth-snippet`, `stream-snippet`, `modsecurity-snippet` (under any
 * `--annotations-prefix`), NGINX Inc.'s `nginx.org/server-snippets` / `location-snippets`, and
 * HAProxy's `*-config-snippet`.
 */
export function snippetAnnotations(object: KubeObject): { key: string; value: string; pair: Pair }[] {
  const out: { key: string; value: string; pair: Pair }[] = [];
  for (const [key, { value, pair }] of object.annotations()) {
    const slash = key.indexOf('/');
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (slash >= 0 && /-snippets?$/.test(name)) out.push({ key, value, pair });
  }
  return out;
}

/** Directives in a snippet that run code or read files beyond the proxy configuration (CVE-2021-25742). */
export function dangerousDirective(snippet: string): string | undefined {
  if (/_by_lua|\blua_|_lua\b/.test(snippet)) return 'Lua code, which runs inside the controller with its service account token';
  if (/(?:^|[\s;{])alias\s/.test(snippet)) return "an alias directive, which serves files of the controller's filesystem (its service account token included)";
  if (/(?:^|[\s;{])root\s/.test(snippet)) return "a root directive, which serves files of the controller's filesystem";
  if (/(?:^|[\s;{])(?:include|load_module)\s/.test(snippet)) return "an include or load_module directive, which loads files from the controller's filesystem";
  if (/kubernetes\.io|serviceaccount/.test(snippet)) return 'a reference to the service account token path';
  return undefined;
}
