import type { Node } from 'yaml';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { ANNOTATIONS_DOCS, INGRESS_NGINX_PREFIX } from './nginx';

const KEYS = ['whitelist-source-range', 'allowlist-source-range'].map((k) => INGRESS_NGINX_PREFIX + k);
const ANY = new Set(['0.0.0.0/0', '::/0', '0::0/0']);

export const ingressAllowlistOpen: KubernetesRule = {
  id: 'ingress-allowlist-open',
  language: 'kubernetes',
  title: 'ingress-nginx source allow-list admits every address',
  category: 'network',
  severity: 'warning',
  description:
    "ingress-nginx's `allowlist-source-range` (formerly `whitelist-source-range`) annotation restricts an " +
    'Ingress to the listed client networks. With `0.0.0.0/0` or `::/0` in the list it restricts nothing: the ' +
    'annotation reads like protection (an admin UI "behind an allow-list") while every address on the Internet ' +
    'gets through.',
  remediation: 'List only the networks that need access (office, VPN, monitoring ranges), or remove the annotation if the Ingress is meant to be public.',
  references: ['kics:ingress-whitelist-open-to-all'],
  fixes: [],
  recommended: true,
  docsUrl: `${ANNOTATIONS_DOCS}#allowlist-source-range`,
  kinds: ['Ingress'],
  check(ctx) {
    const annotations = ctx.object.annotations();
    for (const key of KEYS) {
      const a = annotations.get(key);
      const open = a?.value
        .split(',')
        .map((v) => v.trim())
        .find((v) => ANY.has(v));
      if (!a || !open) continue;
      ctx.report({ at: a.pair.value as Node, message: `${key} of ${ctx.object.label} includes ${open}: every address on the Internet is allowed.` });
    }
  },
};
