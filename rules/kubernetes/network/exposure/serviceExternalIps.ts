import type { Node } from 'yaml';
import { findPair, stringItems } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { SERVICE_DOCS, spec } from './common';

const FIX = 'Remove externalIPs';

export const serviceExternalIps: KubernetesRule = {
  id: 'service-external-ips',
  language: 'kubernetes',
  title: 'Service sets externalIPs',
  category: 'network',
  severity: 'warning',
  description:
    "Every node's kube-proxy captures traffic sent to a Service's `externalIPs` and forwards it to the Service, " +
    'for **any** destination address: nothing checks that the address belongs to you. Whoever can create or ' +
    'edit a Service can therefore take over traffic meant for another address, another Service, or a host outside ' +
    'the cluster (CVE-2020-8554, a man-in-the-middle that Kubernetes cannot fix in the API). The addresses also ' +
    'expose the Service on every node that receives them. Clusters should block the field with the ' +
    '`DenyServiceExternalIPs` admission plugin; a manifest that relies on it breaks there.',
  remediation:
    'Remove `externalIPs`. To expose the Service, use `type: LoadBalancer` (with `loadBalancerSourceRanges`), an ' +
    'Ingress or a Gateway. If the addresses are truly needed, restrict them with an admission policy that allows ' +
    'only your own.',
  references: ['trivy:KSV-0108'],
  fixes: [{ title: FIX, applicability: 'unsafe' }],
  recommended: true,
  docsUrl: `${SERVICE_DOCS}#external-ips`,
  kinds: ['Service'],
  check(ctx) {
    const { object } = ctx;
    const s = spec(object);
    const pair = findPair(s, 'externalIPs', object.doc);
    const ips = stringItems(pair?.value, object.doc).map((i) => i.value);
    if (!pair || !s || !ips.length) return;
    ctx.report({
      at: pair.key as Node,
      message: `${object.label} sets externalIPs (${ips.join(', ')}): every node forwards traffic for ${ips.length > 1 ? 'these addresses' : 'this address'} to the Service, whoever owns ${ips.length > 1 ? 'them' : 'it'} (CVE-2020-8554).`,
      fixes: s.items.includes(pair) ? [{ title: FIX, applicability: 'unsafe', edits: () => [ctx.edit.removePair(s, pair)] }] : [],
    });
  },
};
