import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../../../rules/tester';
import { tlsHostCovers } from '../../../../../rules/kubernetes/network/exposure/common';
import { ingressWithoutTls } from '../../../../../rules/kubernetes/network/exposure/ingressWithoutTls';
import { ingressTlsHostNotCovered } from '../../../../../rules/kubernetes/network/exposure/ingressTlsHostNotCovered';
import { ingressWildcardHost } from '../../../../../rules/kubernetes/network/exposure/ingressWildcardHost';
import { ingressCatchAll } from '../../../../../rules/kubernetes/network/exposure/ingressCatchAll';
import { ingressNginxSnippet, ingressNginxSnippetCode } from '../../../../../rules/kubernetes/network/exposure/ingressNginxSnippet';
import { ingressNginxAnnotationInjection, injection } from '../../../../../rules/kubernetes/network/exposure/ingressNginxAnnotationInjection';
import { ingressAllowlistOpen } from '../../../../../rules/kubernetes/network/exposure/ingressAllowlistOpen';

const ing = (spec: string, meta = '') => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n${meta}spec:\n${spec}`;
const rule = (host: string) =>
  `  - host: ${host}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: web, port: {number: 80}}}\n`;
const annotated = (annotations: string) => ing(`  rules:\n${rule('a.example.com')}`, `  annotations:\n${annotations}`);

RuleTester.run(ingressWithoutTls, {
  valid: [
    ing(`  tls:\n  - hosts: [a.example.com]\n    secretName: a-tls\n  rules:\n${rule('a.example.com')}`),
    {
      name: 'TLS from the AWS load balancer controller',
      code: ing(`  rules:\n${rule('a.example.com')}`, '  annotations:\n    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:eu-west-1:1:certificate/x\n'),
    },
    {
      name: 'GKE managed certificate',
      code: ing(`  rules:\n${rule('a.example.com')}`, '  annotations:\n    networking.gke.io/managed-certificates: web-cert\n'),
    },
  ],
  invalid: [
    {
      name: 'no tls',
      code: ing(`  rules:\n${rule('a.example.com')}${rule('b.example.com')}`),
      errors: [
        {
          text: 'spec',
          line: 4,
          message: 'Ingress/web has no TLS (spec.tls): a.example.com, b.example.com are served over plain HTTP, readable and alterable on the way.',
        },
      ],
    },
    {
      name: 'empty tls list, one host',
      code: ing(`  tls: []\n  rules:\n${rule('a.example.com')}`),
      errors: [{ text: 'spec', message: /a\.example\.com is served over plain HTTP/ }],
    },
    {
      name: 'no host at all',
      code: ing('  defaultBackend: {service: {name: web, port: {number: 80}}}\n'),
      errors: [{ text: 'spec', message: /it serves every host name it answers over plain HTTP/ }],
    },
  ],
});

RuleTester.run(ingressTlsHostNotCovered, {
  valid: [
    { name: 'covered exactly, case-insensitively', code: ing(`  tls:\n  - hosts: [A.Example.com]\n  rules:\n${rule('a.example.com')}`) },
    { name: 'covered by a wildcard', code: ing(`  tls:\n  - hosts: ["*.example.com"]\n  rules:\n${rule('a.example.com')}`) },
    {
      name: 'a tls entry without hosts covers all',
      code: ing(`  tls:\n  - secretName: default\n  - hosts: [x.example.com]\n  rules:\n${rule('a.example.com')}`),
    },
    { name: "no tls at all is ingress-without-tls's", code: ing(`  rules:\n${rule('a.example.com')}`) },
    { name: 'a rule without host', code: ing('  tls:\n  - hosts: [a.example.com]\n  rules:\n  - http: {paths: []}\n') },
  ],
  invalid: [
    {
      name: 'a wildcard covers one label only',
      code: ing(`  tls:\n  - hosts:\n    - "*.example.com"\n  rules:\n${rule('a.b.example.com')}${rule('example.com')}${rule('c.example.com')}`),
      errors: [
        {
          text: 'a.b.example.com',
          line: 9,
          message:
            "Host a.b.example.com of Ingress/web is not in its TLS hosts (*.example.com): it is served without its certificate, over plain HTTP or with the controller's default one.",
        },
        { text: 'example.com', line: 15 },
      ],
    },
    {
      name: 'a typo',
      code: ing(`  tls:\n  - hosts: [shop.example.com]\n    secretName: shop\n  rules:\n${rule('shop.exmaple.com')}`),
      errors: [{ text: 'shop.exmaple.com', line: 9 }],
    },
    {
      name: 'a wildcard rule host needs the same wildcard',
      code: ing(`  tls:\n  - hosts: [a.example.com]\n  rules:\n${rule('"*.example.com"')}`),
      errors: [{ text: '"*.example.com"' }],
    },
  ],
});

RuleTester.run(ingressWildcardHost, {
  valid: [ing(`  rules:\n${rule('a.example.com')}`)],
  invalid: [
    {
      code: ing(`  rules:\n${rule('"*.example.com"')}`),
      errors: [
        { text: '"*.example.com"', line: 6, message: 'Ingress/web routes every subdomain matching *.example.com to its backend, whatever name points there.' },
      ],
    },
  ],
});

RuleTester.run(ingressCatchAll, {
  valid: [ing(`  rules:\n${rule('a.example.com')}`)],
  invalid: [
    {
      name: 'default backend and a rule without host',
      code: ing('  defaultBackend:\n    service: {name: fallback, port: {number: 80}}\n  rules:\n  - http:\n      paths: []\n'),
      errors: [
        {
          text: 'defaultBackend',
          line: 5,
          message:
            'Ingress/web sets a default backend (Service fallback): it receives every request no rule matches, for any host name or the bare IP address.',
        },
        { text: 'http', line: 8, message: 'A rule of Ingress/web has no host: it answers requests for any host name, and the bare IP address.' },
      ],
    },
    {
      name: 'extensions/v1beta1 backend',
      code: 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old}\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n',
      errors: [{ text: 'backend', line: 4, message: /default backend \(Service web\)/ }],
    },
  ],
});

RuleTester.run(ingressNginxSnippet, {
  valid: [
    annotated('    nginx.ingress.kubernetes.io/rewrite-target: /\n'),
    { name: 'empty snippet', code: annotated('    nginx.ingress.kubernetes.io/configuration-snippet: ""\n') },
    {
      name: 'on a ConfigMap',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    nginx.ingress.kubernetes.io/server-snippet: "return 403;"\n',
    },
  ],
  invalid: [
    {
      name: 'configuration-snippet and NGINX Inc. server-snippets',
      code: annotated(
        '    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers "X-Frame-Options: DENY";\n    nginx.org/server-snippets: "return 403;"\n',
      ),
      errors: [
        {
          text: 'nginx.ingress.kubernetes.io/configuration-snippet',
          line: 5,
          message:
            'Ingress/web injects raw proxy configuration with nginx.ingress.kubernetes.io/configuration-snippet: anyone who can edit Ingresses can run it in the shared controller.',
        },
        { text: 'nginx.org/server-snippets', line: 7 },
      ],
    },
    {
      name: 'Lua in a server-snippet says so',
      code: annotated('    nginx.ingress.kubernetes.io/server-snippet: "content_by_lua_block { ngx.say(1) }"\n'),
      errors: [{ message: /with nginx\.ingress\.kubernetes\.io\/server-snippet, including Lua code: anyone/ }],
    },
  ],
});

RuleTester.run(ingressNginxSnippetCode, {
  valid: [annotated('    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers "X-Frame-Options: DENY";\n')],
  invalid: [
    {
      name: 'alias reads the token (CVE-2021-25742)',
      code: annotated('    nginx.ingress.kubernetes.io/server-snippet: |\n      location /t { alias /var/run/secrets/kubernetes.io/serviceaccount/; }\n'),
      errors: [
        {
          text: '|\n      location /t { alias /var/run/secrets/kubernetes.io/serviceaccount/; }',
          line: 5,
          message: /^nginx\.ingress\.kubernetes\.io\/server-snippet of Ingress\/web contains an alias directive/,
        },
      ],
    },
    {
      name: 'Lua',
      code: annotated('    nginx.ingress.kubernetes.io/configuration-snippet: "access_by_lua_block { os.execute(\'id\') }"\n'),
      errors: [{ message: /contains Lua code/ }],
    },
    {
      name: 'include',
      code: annotated('    nginx.ingress.kubernetes.io/server-snippet: "include /etc/passwd;"\n'),
      errors: [{ message: /include or load_module/ }],
    },
  ],
});

RuleTester.run(ingressNginxAnnotationInjection, {
  valid: [
    annotated(
      '    nginx.ingress.kubernetes.io/auth-url: "https://auth.example.com/oauth2/auth"\n    nginx.ingress.kubernetes.io/auth-signin: "https://$host/oauth2/start?rd=$escaped_request_uri"\n',
    ),
    {
      name: 'a regex annotation may use braces and bars',
      code: annotated(
        '    nginx.ingress.kubernetes.io/canary-by-header-pattern: "^(a|b){2}$"\n    nginx.ingress.kubernetes.io/auth-tls-match-cn: "CN=(client1|client2)"\n',
      ),
    },
    { name: 'snippets are raw configuration by design', code: annotated('    nginx.ingress.kubernetes.io/configuration-snippet: "return 403;"\n') },
    { name: "another controller's annotation", code: annotated('    example.com/auth-url: "x; y"\n') },
  ],
  invalid: [
    {
      name: 'auth-url breaking out of its directive (CVE-2025-24514)',
      code: annotated('    nginx.ingress.kubernetes.io/auth-url: "http://example.com/#;}}}\\n\\nserver { }"\n'),
      errors: [
        {
          text: '"http://example.com/#;}}}\\n\\nserver { }"',
          line: 5,
          message:
            'nginx.ingress.kubernetes.io/auth-url of Ingress/web contains a line break: ingress-nginx would write it into its configuration as new directives.',
        },
      ],
    },
    {
      name: 'auth-tls-match-cn with a comment sign (CVE-2025-1097)',
      code: annotated('    nginx.ingress.kubernetes.io/auth-tls-match-cn: "CN=abc #(\\n){}"\n'),
      errors: [{ message: /contains a line break/ }],
    },
    {
      name: 'mirror-target with a quote',
      code: annotated("    nginx.ingress.kubernetes.io/mirror-target: 'https://x\"y'\n"),
      errors: [{ message: /a quote, space or other character no URL contains/ }],
    },
    {
      name: 'permanent-redirect with a semicolon (CVE-2023-5044)',
      code: annotated('    nginx.ingress.kubernetes.io/permanent-redirect: "https://x;return 200"\n'),
      errors: [{ message: /a ";" that ends the nginx directive/ }],
    },
  ],
});

describe('TLS host coverage', () => {
  it('follows certificate wildcard rules', () => {
    assert.equal(tlsHostCovers('*.example.com', 'a.example.com'), true);
    assert.equal(tlsHostCovers('*.example.com', 'a.b.example.com'), false);
    assert.equal(tlsHostCovers('*.example.com', 'example.com'), false);
    assert.equal(tlsHostCovers('*.example.com', '.example.com'), false);
    assert.equal(tlsHostCovers('*.example.com', '*.example.com'), true);
    assert.equal(tlsHostCovers('a.example.com', '*.example.com'), false);
    assert.equal(tlsHostCovers('A.EXAMPLE.COM.', 'a.example.com'), true);
  });
  it('injection characters', () => {
    assert.equal(injection('rewrite-target', '/$2'), undefined);
    assert.equal(injection('whitelist-source-range', '10.0.0.0/8, 192.168.0.0/16'), undefined);
    assert.match(injection('rewrite-target', '/ { }')!, /brace/);
  });
});

RuleTester.run(ingressAllowlistOpen, {
  valid: [
    annotated('    nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8, 192.168.0.0/16"\n'),
    { name: 'another annotation', code: annotated('    example.com/allowlist-source-range: 0.0.0.0/0\n') },
  ],
  invalid: [
    {
      name: 'the old name',
      code: annotated('    nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8,0.0.0.0/0"\n'),
      errors: [
        {
          text: '"10.0.0.0/8,0.0.0.0/0"',
          line: 5,
          message: 'nginx.ingress.kubernetes.io/whitelist-source-range of Ingress/web includes 0.0.0.0/0: every address on the Internet is allowed.',
        },
      ],
    },
    {
      name: 'the new name, IPv6',
      code: annotated('    nginx.ingress.kubernetes.io/allowlist-source-range: "::/0"\n'),
      errors: [{ text: '"::/0"', message: /includes ::\/0/ }],
    },
  ],
});

RuleTester.run(ingressWithoutTls, {
  valid: [
    {
      name: 'AWS ALB with an HTTPS listener and discovered certificates',
      code: ing(`  rules:\n${rule('a.example.com')}`, `  annotations:\n    alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]'\n`),
    },
  ],
  invalid: [
    {
      name: 'AWS ALB with an HTTP listener only',
      code: ing(`  rules:\n${rule('a.example.com')}`, `  annotations:\n    alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}]'\n`),
      errors: [{ text: 'spec', line: 6 }],
    },
  ],
});
