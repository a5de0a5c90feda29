import { RuleTester } from '../../../../rules/tester';
import { workloadReachableFromAnywhere } from '../../../../rules/kubernetes/network/reachableFromAnywhere';
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ResolvedConfig } from '../../../../server/src/engine/config';
import { Engine } from '../../../../server/src/engine/engine';
import { WorkspaceIndex } from '../../../../server/src/engine/workspaceIndex';
import { deployment, NAMED_HTTP_8080, policy } from './fixtures';

const WEB = deployment('web', { ns: 'shop', ports: NAMED_HTTP_8080 });
const ingress = (rules: string) => policy('web-in', `  podSelector:\n    matchLabels: {app: web}\n  ingress:\n${rules}`, 'shop');

RuleTester.run(workloadReachableFromAnywhere, {
  valid: [
    { name: 'no policy in the namespace (namespace-without-networkpolicy instead)', code: WEB },
    {
      name: 'not isolated for ingress (pod-not-isolated-ingress instead)',
      code: WEB,
      files: { 'p.yaml': policy('other', '  podSelector:\n    matchLabels: {app: api}\n', 'shop') },
    },
    { name: 'only pods of its namespace', code: WEB, files: { 'p.yaml': ingress('  - from: [{podSelector: {}}]\n') } },
    {
      name: 'a named namespace',
      code: WEB,
      files: { 'p.yaml': ingress('  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]\n') },
    },
    {
      name: 'private address ranges only',
      code: WEB,
      files: { 'p.yaml': ingress('  - from: [{ipBlock: {cidr: 10.0.0.0/8}}, {ipBlock: {cidr: 192.168.0.0/16}}]\n') },
    },
    {
      name: 'every namespace but only labelled pods',
      code: WEB,
      files: { 'p.yaml': ingress('  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {role: client}}}]\n') },
    },
    {
      name: 'an admin policy denies what the NetworkPolicy opens',
      code: WEB,
      files: {
        'p.yaml': ingress('  - from: [{namespaceSelector: {}}]\n'),
        'anp.yaml':
          'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: lock}\nspec:\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - {name: deny, action: Deny, from: [{namespaces: {}}]}\n',
      },
    },
    {
      name: 'a hostNetwork workload (policies do not apply)',
      code: deployment('agent', { ns: 'shop', kind: 'DaemonSet' }).replace('      containers:', '      hostNetwork: true\n      containers:'),
      files: { 'p.yaml': policy('all', '  podSelector: {}\n  ingress:\n  - {}\n', 'shop') },
    },
  ],
  invalid: [
    {
      name: 'an empty from: every pod and every address, on the named port resolved',
      code: WEB,
      files: { 'p.yaml': ingress('  - ports: [{port: http}]\n') },
      errors: [
        {
          text: '{app: web}',
          message:
            'Deployment/web accepts connections from every pod of the cluster (TCP 8080) and from the Internet (TCP 8080; e.g. 0.0.0.0-255.255.255.255), through NetworkPolicy/web-in.',
        },
      ],
    },
    {
      name: 'namespaceSelector {} in another policy file',
      code: WEB,
      files: {
        'deny.yaml': policy('deny', '  podSelector: {}\n', 'shop'),
        'p.yaml': ingress('  - from: [{namespaceSelector: {}}]\n    ports: [{port: 9090, endPort: 9091}]\n'),
      },
      errors: [{ message: 'Deployment/web accepts connections from every pod of the cluster (TCP 9090-9091), through NetworkPolicy/web-in.' }],
    },
    {
      name: 'an ipBlock with a public range, the except carved out',
      code: WEB,
      files: { 'p.yaml': ingress('  - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]\n    ports: [{port: 443}]\n') },
      errors: [
        {
          message:
            'Deployment/web accepts connections from the Internet (TCP 443; e.g. 0.0.0.0-9.255.255.255, 11.0.0.0-255.255.255.255), through NetworkPolicy/web-in.',
        },
      ],
    },
  ],
});

it('names the responsible policy as a related location in its file', () => {
  const engine = new Engine(new ResolvedConfig([workloadReachableFromAnywhere], {}, 'all'));
  const index = new WorkspaceIndex();
  const policyText = ingress('  - from: [{namespaceSelector: {}}]\n');
  engine.lint('/w/p.yaml', policyText, { index });
  const [finding] = engine.lint('/w/web.yaml', WEB, { index }).findings;
  assert.equal(finding.ruleId, 'workload-reachable-from-anywhere');
  assert.equal(finding.related?.length, 1);
  assert.equal(finding.related![0].path, '/w/p.yaml');
  assert.equal(finding.related![0].message, 'NetworkPolicy/web-in selects Deployment/web');
  assert.equal(policyText.slice(finding.related![0].start, finding.related![0].end), 'matchLabels: {app: web}\n');
});
