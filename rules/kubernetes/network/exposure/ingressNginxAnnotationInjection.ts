import type { Node } from 'yaml';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { ANNOTATIONS_DOCS, INGRESS_NGINX_PREFIX } from './nginx';

/** Annotations whose value is a URL or host that ingress-nginx writes into its configuration. */
const URL_LIKE = new Set([
  'auth-url',
  'auth-signin',
  'mirror-target',
  'mirror-host',
  'permanent-redirect',
  'temporal-redirect',
  'auth-proxy-set-headers',
  'default-backend',
]);
/** Annotations whose value is a regular expression, where braces are legitimate. */
const REGEX = new Set(['canary-by-header-pattern', 'auth-tls-match-cn', 'server-alias']);

/** Why a value can break out of the directive ingress-nginx writes it into, if it can. */
export function injection(name: string, value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'a line break';
  if (value.includes(';')) return 'a ";" that ends the nginx directive';
  if (!REGEX.has(name) && /[{}]/.test(value)) return 'a brace that opens or closes an nginx block';
  if (name === 'auth-tls-match-cn' && /[#{}]/.test(value)) return 'a "#" or brace that nginx interprets';
  if (URL_LIKE.has(name) && /[\s"'<>`\\^|]/.test(value.trim())) return 'a quote, space or other character no URL contains';
  return undefined;
}

export const ingressNginxAnnotationInjection: KubernetesRule = {
  id: 'ingress-nginx-annotation-injection',
  language: 'kubernetes',
  title: 'ingress-nginx annotation value can inject configuration',
  category: 'network',
  severity: 'error',
  description:
    'ingress-nginx copies many annotation values into its nginx configuration. A value with a line break, a `;`, ' +
    'a brace, or (for URL annotations such as `auth-url`, `mirror-target`, `permanent-redirect`) a quote or space ' +
    'ends the directive and starts new ones: the IngressNightmare injections (CVE-2025-1097 `auth-tls-match-cn`, ' +
    'CVE-2025-1098 `mirror-target`/`mirror-host`, CVE-2025-24514 `auth-url`, reachable before any Ingress is ' +
    'even admitted through the admission webhook, CVE-2025-1974) and CVE-2023-5044 (`permanent-redirect`). ' +
    'Legitimate values of these annotations never need such characters. Snippet annotations, which are raw ' +
    'configuration by design, are `ingress-nginx-snippet-annotation`.',
  remediation: 'Remove the characters from the value (URL-encode them in a URL). Upgrade ingress-nginx to v1.11.5 / v1.12.1 or later.',
  references: ['trivy:KCV-0093'],
  fixes: [],
  recommended: true,
  docsUrl: ANNOTATIONS_DOCS,
  kinds: ['Ingress'],
  check(ctx) {
    for (const [key, { value, pair }] of ctx.object.annotations()) {
      if (!key.startsWith(INGRESS_NGINX_PREFIX)) continue;
      const name = key.slice(INGRESS_NGINX_PREFIX.length);
      if (/-snippets?$/.test(name)) continue;
      const why = injection(name, value);
      if (!why) continue;
      ctx.report({
        at: pair.value as Node,
        message: `${key} of ${ctx.object.label} contains ${why}: ingress-nginx would write it into its configuration as new directives.`,
      });
    }
  },
};
