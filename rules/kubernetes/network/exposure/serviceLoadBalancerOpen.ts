import { isScalar } from 'yaml';
import type { KubeObject } from '../../../../server/src/documents/kube';
import { findPair, stringItems } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { servicePorts, serviceType, spec, valueNode } from './common';

const FIX = "Add loadBalancerSourceRanges (a placeholder range: replace it with your clients' CIDRs)";
/** TEST-NET-1 (RFC 5737): documentation only, so the placeholder admits no one until it is replaced. */
const PLACEHOLDER = '192.0.2.0/24';
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';
const ANY = new Set(['0.0.0.0/0', '::/0', '0::0/0']);

/**
 * Annotations that make a cloud provider's load balancer internal (an address in the VPC or VNet,
 * not on the Internet), with the values that mean so.
 */
const INTERNAL: readonly { key: string; internal: (v: string) => boolean }[] = [
  // AWS in-tree / cloud-provider-aws: any value but "false" (historically "0.0.0.0/0" too).
  { key: 'service.beta.kubernetes.io/aws-load-balancer-internal', internal: (v) => v !== '' && v.toLowerCase() !== 'false' },
  { key: 'service.beta.kubernetes.io/aws-load-balancer-scheme', internal: (v) => v.toLowerCase() === 'internal' },
  { key: 'networking.gke.io/load-balancer-type', internal: (v) => v.toLowerCase() === 'internal' },
  { key: 'cloud.google.com/load-balancer-type', internal: (v) => v.toLowerCase() === 'internal' },
  { key: 'service.beta.kubernetes.io/azure-load-balancer-internal', internal: (v) => v.toLowerCase() === 'true' },
  { key: 'service.beta.kubernetes.io/oci-load-balancer-internal', internal: (v) => v.toLowerCase() === 'true' },
  { key: 'oci-network-load-balancer.oraclecloud.com/internal', internal: (v) => v.toLowerCase() === 'true' },
  { key: 'service.beta.kubernetes.io/openstack-internal-load-balancer', internal: (v) => v.toLowerCase() === 'true' },
  { key: 'service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', internal: (v) => v.toLowerCase() === 'private' },
  { key: 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', internal: (v) => v.toLowerCase() === 'intranet' },
];

/**
 * Why the load balancer is not on the Internet, if the manifest says so: an internal-LB annotation,
 * or the AWS Load Balancer Controller, whose NLBs are internal unless the scheme says internet-facing.
 */
export function internalLoadBalancer(object: KubeObject): string | undefined {
  const annotations = object.annotations();
  for (const { key, internal } of INTERNAL) {
    const a = annotations.get(key);
    if (a && internal(a.value.trim())) return key;
  }
  const scheme = annotations.get('service.beta.kubernetes.io/aws-load-balancer-scheme')?.value.trim().toLowerCase();
  const awsType = annotations.get('service.beta.kubernetes.io/aws-load-balancer-type')?.value.trim().toLowerCase();
  const lbClass = findPair(spec(object), 'loadBalancerClass', object.doc);
  const cls = lbClass && isScalar(lbClass.value) ? String(lbClass.value.value) : undefined;
  if (scheme !== 'internet-facing' && (awsType === 'external' || awsType === 'nlb-ip' || cls === 'service.k8s.aws/nlb')) {
    return 'the AWS Load Balancer Controller (internal unless aws-load-balancer-scheme: internet-facing)';
  }
  return undefined;
}

export const serviceLoadBalancerOpen: KubernetesRule = {
  id: 'service-load-balancer-open',
  language: 'kubernetes',
  title: 'LoadBalancer Service open to any address',
  category: 'network',
  severity: 'warning',
  description:
    'A `LoadBalancer` Service gets an address from the cloud provider that is, by default, **public**: without ' +
    '`loadBalancerSourceRanges` (or the `service.beta.kubernetes.io/load-balancer-source-ranges` annotation) its ' +
    'ports are open to the whole Internet, to scanners and credential-stuffing bots included. A source range of ' +
    '`0.0.0.0/0` or `::/0` means the same. Load balancers marked internal (AWS `aws-load-balancer-internal` or ' +
    '`aws-load-balancer-scheme: internal`, AWS Load Balancer Controller NLBs without `internet-facing`, GKE ' +
    '`networking.gke.io/load-balancer-type: Internal`, Azure `azure-load-balancer-internal`, OCI, OpenStack, IBM ' +
    "and Alibaba equivalents) are not reported. An ingress controller's own load balancer is meant to be public: " +
    'suppress the finding there with a reason.',
  remediation:
    'List the networks that need access in `spec.loadBalancerSourceRanges` (the provider turns them into firewall ' +
    "rules), or make the load balancer internal with your provider's annotation and publish through an Ingress " +
    'or Gateway.',
  references: ['kube-linter:exposed-services', 'kics:service-with-external-load-balancer'],
  fixes: [{ title: FIX, applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/',
  kinds: ['Service'],
  check(ctx) {
    const { object } = ctx;
    const { value, pair } = serviceType(object);
    if (value !== 'LoadBalancer' || !pair) return;
    if (internalLoadBalancer(object)) return;
    const doc = object.doc;
    const s = spec(object)!;
    const ports = servicePorts(object)
      .map((p) => p.port)
      .filter((p) => p !== undefined);
    const plural = ports.length !== 1;
    const what = ports.length ? `port${plural ? 's' : ''} ${ports.join(', ')}` : 'its ports';
    const are = plural ? 'are' : 'is';

    const rangesPair = findPair(s, 'loadBalancerSourceRanges', doc);
    const ranges = stringItems(rangesPair?.value, doc);
    const annotation = object.annotations().get(SOURCE_RANGES_ANNOTATION);
    if (ranges.length) {
      // The field wins over the annotation.
      for (const r of ranges) {
        if (ANY.has(r.value.trim())) {
          ctx.report({
            at: r.node,
            message: `${object.label} allows ${r.value.trim()} in loadBalancerSourceRanges: ${what} of its load balancer ${are} open to any address on the Internet.`,
          });
        }
      }
      return;
    }
    if (annotation && annotation.value.trim()) {
      const open = annotation.value
        .split(',')
        .map((v) => v.trim())
        .find((v) => ANY.has(v));
      if (open)
        ctx.report({
          at: annotation.pair,
          message: `${object.label} allows ${open} in its load-balancer-source-ranges annotation: ${what} of its load balancer ${are} open to any address on the Internet.`,
        });
      return;
    }
    ctx.report({
      at: valueNode(pair),
      message: `${object.label} is a LoadBalancer with no loadBalancerSourceRanges: on a cloud provider, ${what} ${are} open to the whole Internet.`,
      fixes: [
        {
          title: FIX,
          applicability: 'unsafe',
          edits: () => [
            rangesPair && s.items.includes(rangesPair)
              ? ctx.edit.setIn(s, ['loadBalancerSourceRanges'], [PLACEHOLDER])
              : ctx.edit.insertPair(s, 'loadBalancerSourceRanges', [PLACEHOLDER]),
          ],
        },
      ],
    });
  },
};
