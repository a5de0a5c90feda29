import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../../../rules/tester';
import { serviceNodePort } from '../../../../../rules/kubernetes/network/exposure/serviceNodePort';
import { internalLoadBalancer, serviceLoadBalancerOpen } from '../../../../../rules/kubernetes/network/exposure/serviceLoadBalancerOpen';
import { serviceExternalIps } from '../../../../../rules/kubernetes/network/exposure/serviceExternalIps';
import { internalTarget, serviceExternalNameInternal } from '../../../../../rules/kubernetes/network/exposure/serviceExternalNameInternal';

const svc = (spec: string, meta = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n${meta}spec:\n${spec}`;

RuleTester.run(serviceNodePort, {
  valid: [
    svc('  ports:\n  - port: 80\n'),
    svc('  type: ClusterIP\n  ports:\n  - port: 80\n'),
    { name: "LoadBalancer is service-load-balancer-open's", code: svc('  type: LoadBalancer\n  ports:\n  - port: 80\n') },
    { name: 'not a Service', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  type: NodePort\n' },
  ],
  invalid: [
    {
      name: 'NodePort with node ports and externalTrafficPolicy: all go with the fix',
      code: svc(
        '  type: NodePort # for the lab\n  externalTrafficPolicy: Local\n  ports:\n  - name: http\n    port: 80\n    nodePort: 30080\n  - nodePort: 30443\n    port: 443\n',
      ),
      errors: [
        {
          text: 'NodePort',
          line: 5,
          message:
            "Service/web is of type NodePort: ports 80, 443 are opened on every node's addresses, reachable by anything that can reach a node, outside the Ingress.",
        },
      ],
      output: svc('  type: ClusterIP # for the lab\n  ports:\n  - name: http\n    port: 80\n  - port: 443\n'),
    },
    {
      name: 'flow style, CRLF',
      code: 'apiVersion: v1\r\nkind: Service\r\nmetadata: {name: web}\r\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}',
      errors: [{ text: 'NodePort', line: 3, message: /port 80 is opened/ }],
      output: 'apiVersion: v1\r\nkind: Service\r\nmetadata: {name: web}\r\nspec: {type: ClusterIP, ports: [{port: 80}]}',
    },
  ],
});

RuleTester.run(serviceLoadBalancerOpen, {
  valid: [
    svc('  type: ClusterIP\n'),
    { name: 'source ranges', code: svc('  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 10.0.0.0/8\n') },
    {
      name: 'source ranges annotation',
      code: svc('  type: LoadBalancer\n', '  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8,192.168.0.0/16"\n'),
    },
    { name: 'AWS internal', code: svc('  type: LoadBalancer\n', '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-internal: "true"\n') },
    { name: 'AWS scheme internal', code: svc('  type: LoadBalancer\n', '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-scheme: internal\n') },
    {
      name: 'AWS LB controller NLB: internal by default',
      code: svc('  type: LoadBalancer\n', '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-type: external\n'),
    },
    { name: 'AWS LB controller by loadBalancerClass', code: svc('  type: LoadBalancer\n  loadBalancerClass: service.k8s.aws/nlb\n') },
    { name: 'GKE internal', code: svc('  type: LoadBalancer\n', '  annotations:\n    networking.gke.io/load-balancer-type: "Internal"\n') },
    { name: 'Azure internal', code: svc('  type: LoadBalancer\n', '  annotations:\n    service.beta.kubernetes.io/azure-load-balancer-internal: "true"\n') },
  ],
  invalid: [
    {
      name: 'no source ranges: the placeholder fix',
      code: svc('  type: LoadBalancer\n  ports:\n  - port: 443\n    targetPort: 8443\n'),
      errors: [
        {
          text: 'LoadBalancer',
          line: 5,
          message: 'Service/web is a LoadBalancer with no loadBalancerSourceRanges: on a cloud provider, port 443 is open to the whole Internet.',
        },
      ],
      output: svc('  type: LoadBalancer\n  ports:\n  - port: 443\n    targetPort: 8443\n  loadBalancerSourceRanges:\n  - "192.0.2.0/24"\n'),
    },
    {
      name: 'flow style spec, CRLF, no trailing newline',
      code: 'apiVersion: v1\r\nkind: Service\r\nmetadata: {name: web}\r\nspec: {type: LoadBalancer, ports: [{port: 80}, {port: 443}]}',
      errors: [{ text: 'LoadBalancer', line: 3, message: /ports 80, 443 are open to the whole Internet/ }],
      output:
        'apiVersion: v1\r\nkind: Service\r\nmetadata: {name: web}\r\nspec: {type: LoadBalancer, ports: [{port: 80}, {port: 443}], loadBalancerSourceRanges: ["192.0.2.0/24"]}',
    },
    {
      name: 'CRLF block, empty source range list is replaced',
      code: 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\nspec:\r\n  type: LoadBalancer\r\n  loadBalancerSourceRanges: []\r\n  ports:\r\n  - port: 80\r\n',
      errors: [{ text: 'LoadBalancer', line: 5 }],
      output:
        'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\nspec:\r\n  type: LoadBalancer\r\n  loadBalancerSourceRanges:\r\n  - "192.0.2.0/24"\r\n  ports:\r\n  - port: 80\r\n',
    },
    {
      name: 'no trailing newline, comments and key order kept, 4-space indent',
      code: 'apiVersion: v1\nkind: Service\nmetadata:\n    name: web\nspec:\n    type: LoadBalancer  # public shop\n    selector:\n        app: web # the pods',
      errors: [{ text: 'LoadBalancer', line: 5 }],
      output:
        'apiVersion: v1\nkind: Service\nmetadata:\n    name: web\nspec:\n    type: LoadBalancer  # public shop\n    selector:\n        app: web # the pods\n    loadBalancerSourceRanges:\n        - "192.0.2.0/24"',
    },
    {
      name: 'AWS internal "false" is public; scheme internet-facing with the LB controller is public',
      code: svc(
        '  type: LoadBalancer\n',
        '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-internal: "false"\n    service.beta.kubernetes.io/aws-load-balancer-type: external\n    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing\n',
      ),
      errors: [{ text: 'LoadBalancer', line: 9 }],
    },
    {
      name: '0.0.0.0/0 in the source ranges',
      code: svc('  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 10.0.0.0/8\n  - 0.0.0.0/0\n  ports: [{port: 22}]\n'),
      errors: [
        {
          text: '0.0.0.0/0',
          line: 8,
          message: 'Service/web allows 0.0.0.0/0 in loadBalancerSourceRanges: port 22 of its load balancer is open to any address on the Internet.',
        },
      ],
    },
    {
      name: '::/0 in the annotation',
      code: svc('  type: LoadBalancer\n', '  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8, ::/0"\n'),
      errors: [
        {
          text: 'service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8, ::/0"',
          line: 5,
          message: /allows ::\/0 in its load-balancer-source-ranges annotation/,
        },
      ],
    },
  ],
});

RuleTester.run(serviceExternalIps, {
  valid: [svc('  ports: [{port: 80}]\n'), { name: 'empty list', code: svc('  externalIPs: []\n') }],
  invalid: [
    {
      name: 'block list',
      code: svc('  ports:\n  - port: 80\n  externalIPs: # the old VIP\n  - 198.51.100.7\n  selector: {app: web}\n'),
      errors: [
        {
          text: 'externalIPs',
          line: 7,
          message: 'Service/web sets externalIPs (198.51.100.7): every node forwards traffic for this address to the Service, whoever owns it (CVE-2020-8554).',
        },
      ],
      output: svc('  ports:\n  - port: 80\n  selector: {app: web}\n'),
    },
    {
      name: 'flow, CRLF',
      code: 'apiVersion: v1\r\nkind: Service\r\nmetadata: {name: web}\r\nspec: {externalIPs: [1.2.3.4, 5.6.7.8], ports: [{port: 80}]}\r\n',
      errors: [{ text: 'externalIPs', line: 3, message: /\(1\.2\.3\.4, 5\.6\.7\.8\): every node forwards traffic for these addresses/ }],
      output: 'apiVersion: v1\r\nkind: Service\r\nmetadata: {name: web}\r\nspec: {ports: [{port: 80}]}\r\n',
    },
  ],
});

RuleTester.run(serviceExternalNameInternal, {
  valid: [
    svc('  type: ExternalName\n  externalName: db.example.com\n'),
    { name: 'own namespace', code: svc('  type: ExternalName\n  externalName: api.shop.svc.cluster.local\n', '  namespace: shop\n') },
    { name: 'private address: usually outside the cluster', code: svc('  type: ExternalName\n  externalName: 10.20.30.40\n') },
    { name: 'externalName on a ClusterIP Service is ignored by Kubernetes', code: svc('  externalName: localhost\n') },
  ],
  invalid: [
    {
      name: 'localhost',
      code: svc('  type: ExternalName\n  externalName: localhost\n'),
      errors: [{ text: 'localhost', line: 6, message: /^Service\/web is an ExternalName for localhost, the loopback interface/ }],
    },
    { name: 'loopback', code: svc('  type: ExternalName\n  externalName: "127.0.0.1"\n'), errors: [{ text: '"127.0.0.1"', message: /a loopback address/ }] },
    {
      name: 'metadata',
      code: svc('  type: ExternalName\n  externalName: 169.254.169.254\n'),
      errors: [{ text: '169.254.169.254', message: /instance metadata/ }],
    },
    { name: 'API server', code: svc('  type: ExternalName\n  externalName: kubernetes.default.svc\n'), errors: [{ message: /the Kubernetes API server/ }] },
    {
      name: 'another namespace',
      code: svc('  type: ExternalName\n  externalName: vault.secrets.svc.cluster.local.\n', '  namespace: shop\n'),
      errors: [
        {
          text: 'vault.secrets.svc.cluster.local.',
          line: 7,
          message:
            'Service/web is an ExternalName for vault.secrets.svc.cluster.local., Service "vault" of namespace "secrets": an Ingress or gateway routing to it sends outside traffic there.',
        },
      ],
    },
  ],
});

describe('exposure helpers', () => {
  it('internalTarget', () => {
    assert.equal(internalTarget('example.com', undefined), undefined);
    assert.equal(internalTarget('my.svc.example.com', undefined), undefined);
    assert.match(internalTarget('a.b.svc', undefined)!, /namespace "b"/);
    assert.match(internalTarget('LOCALHOST', undefined)!, /loopback/);
    assert.match(internalTarget('0.0.0.0', undefined)!, /unspecified/);
    assert.equal(internalTarget('192.168.1.1', undefined), undefined);
  });
  it('internalLoadBalancer names why', () => {
    const { KubeObject } = require('../../../../../server/src/documents/kube');
    const { parseDocument } = require('yaml');
    const doc = parseDocument('kind: Service\nmetadata:\n  annotations:\n    cloud.google.com/load-balancer-type: internal\nspec: {type: LoadBalancer}\n');
    assert.equal(internalLoadBalancer(new KubeObject(doc.contents, doc)), 'cloud.google.com/load-balancer-type');
  });
});
