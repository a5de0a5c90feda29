import type { Node } from 'yaml';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { ANNOTATIONS_DOCS, dangerousDirective, snippetAnnotations } from './nginx';

export const ingressNginxSnippet: KubernetesRule = {
  id: 'ingress-nginx-snippet-annotation',
  language: 'kubernetes',
  title: 'Ingress uses a configuration snippet annotation',
  category: 'network',
  severity: 'warning',
  description:
    'Snippet annotations (`nginx.ingress.kubernetes.io/configuration-snippet`, `server-snippet`, `auth-snippet`, ' +
    "`stream-snippet`, `modsecurity-snippet`; NGINX Inc.'s `nginx.org/server-snippets` and `location-snippets`; " +
    "HAProxy's `*-config-snippet`) paste raw proxy configuration into the **shared** controller, which holds a " +
    'token that reads every Secret of the cluster. Whoever can write an Ingress in any namespace can then read ' +
    "other tenants' TLS keys and the controller's token (CVE-2021-25742), or break every site the controller " +
    'serves with one bad line. ingress-nginx disables them by default since v1.9 (`allow-snippet-annotations`), ' +
    'and its admission webhook that renders them was the entry point of the IngressNightmare chain ' +
    '(CVE-2025-1974). Snippets that run Lua or read files are reported by `ingress-nginx-snippet-code` as well.',
  remediation:
    'Replace the snippet with the dedicated annotation or a ConfigMap setting of the controller (headers, ' +
    'redirects, rate limits, auth all have one). Keep `allow-snippet-annotations: "false"` on the controller.',
  references: ['checkov:CKV_K8S_153', 'kubescape:C-0059'],
  fixes: [],
  recommended: true,
  docsUrl: `${ANNOTATIONS_DOCS}#configuration-snippet`,
  kinds: ['Ingress'],
  check(ctx) {
    for (const { key, value, pair } of snippetAnnotations(ctx.object)) {
      if (!value.trim()) continue;
      const danger = dangerousDirective(value);
      ctx.report({
        at: pair.key as Node,
        message: `${ctx.object.label} injects raw proxy configuration with ${key}${danger ? `, including ${danger.split(',')[0]}` : ''}: anyone who can edit Ingresses can run it in the shared controller.`,
      });
    }
  },
};

export const ingressNginxSnippetCode: KubernetesRule = {
  id: 'ingress-nginx-snippet-code',
  language: 'kubernetes',
  title: 'Ingress snippet runs Lua or reads files',
  category: 'network',
  severity: 'error',
  description:
    'A snippet annotation that contains Lua (`*_by_lua*`, `lua_*`), an `alias` or `root` directive, `include` or ' +
    '`load_module`, or the service account token path executes code in the controller or serves files from its ' +
    'filesystem: the documented exploits of CVE-2021-25742 read `/var/run/secrets/kubernetes.io/serviceaccount/token` ' +
    'this way, and that token reads every Secret of the cluster.',
  remediation: 'Remove the snippet. Serve files from a backend, not from the controller; move Lua logic into a plugin or the application.',
  references: ['checkov:CKV_K8S_152', 'checkov:CKV_K8S_154'],
  fixes: [],
  recommended: true,
  docsUrl: `${ANNOTATIONS_DOCS}#configuration-snippet`,
  kinds: ['Ingress'],
  check(ctx) {
    for (const { key, value, pair } of snippetAnnotations(ctx.object)) {
      const danger = dangerousDirective(value);
      if (!danger) continue;
      ctx.report({ at: pair.value as Node, message: `${key} of ${ctx.object.label} contains ${danger}.` });
    }
  },
};
