/** The reachability hover through the language service: on a workload's, Service's or NetworkPolicy's kind or name. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { ConfigResolver } from '../../server/src/service/configResolver';
import { BulkheadLanguageService, networkPolicyFile, TextDocumentLike } from '../../server/src/service/languageService';
import { deploy, policy } from './support';

function service() {
  const index = new WorkspaceIndex();
  const ls = new BulkheadLanguageService(new ConfigResolver(), index);
  const open = (name: string, text: string): TextDocumentLike => {
    const doc = { uri: `file:///hover/${name}`, languageId: 'yaml', version: 1, getText: () => text };
    ls.lint(doc);
    return doc;
  };
  return { ls, open };
}

describe('reachability hover', () => {
  it('on a workload: who reaches it and what it reaches, with the policies responsible', () => {
    const { ls, open } = service();
    const web = open('web.yaml', deploy('web', 'shop', { app: 'web' }, ['http:8080']));
    open('api.yaml', deploy('api', 'shop', { app: 'api' }));
    open(
      'p.yaml',
      policy('web-in', 'shop', 'podSelector: {matchLabels: {app: web}}\ningress:\n- from: [{podSelector: {matchLabels: {app: api}}}]\n  ports: [{port: http}]'),
    );
    const hover = ls.hover(web, { line: 1, character: 3 });
    assert.ok(hover);
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /\*\*Reachability of shop\/web\[Deployment\]\*\* \(ingress isolated by web-in; not isolated for egress\)/);
    assert.match(text, /Who can reach it \(1\):\n```\nshop\/api\[Deployment\] => shop\/web\[Deployment\] : TCP 8080  \(NetworkPolicy shop\/web-in\)\n```/);
    assert.match(text, /What it can reach \(2\):/);
    assert.match(text, /shop\/web\[Deployment\] => shop\/api\[Deployment\] : All Connections  \(no NetworkPolicy isolates it for egress\)/);
    assert.equal(ls.hover(web, { line: 9, character: 6 }), null, 'elsewhere in the object: no hover');
  });

  it('on a NetworkPolicy: the workloads it selects; past 20 lines, a count and the command to see all', () => {
    const { ls, open } = service();
    for (let i = 0; i < 15; i++) open(`w${i}.yaml`, deploy(`w${i}`, 'big', { app: `w${i}`, team: 'x' }));
    const p = open('p.yaml', policy('team', 'big', 'podSelector: {matchLabels: {app: w0}}\ningress:\n- from: [{podSelector: {}}]'));
    const hover = ls.hover(p, { line: 3, character: 9 });
    const text = (hover!.contents as { value: string }).value;
    assert.match(text, /Reachability of big\/w0\[Deployment\]/);
    assert.match(text, /Who can reach it \(14\):/);
    assert.match(text, /What it can reach \(15\):/);
    assert.match(text, /\.\.\. 9 more/);
    assert.match(text, /All of them: `bulkhead connectivity \. --focus-workload big\/w0`/);
  });

  it('hostNetwork workloads are said to be outside NetworkPolicies', () => {
    const { ls, open } = service();
    const d = open(
      'agent.yaml',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {hostNetwork: true, containers: [{name: c, image: x}]}\n',
    );
    const text = (ls.hover(d, { line: 1, character: 2 })!.contents as { value: string }).value;
    assert.match(text, /DaemonSet\/agent uses `hostNetwork`: NetworkPolicies do not apply to it/);
  });
});

describe('Generate NetworkPolicies from the editor', () => {
  it('a "no NetworkPolicy" finding offers the command for its folder; the command writes verified policies', () => {
    const { ls, open } = service();
    const api = open(
      'api.yaml',
      deploy('api', 'shop', { app: 'api' }, ['http:8080']) +
        '---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: http}]\n',
    );
    open('web.yaml', deploy('web', 'shop', { app: 'web' }).replace('ports: []}]', 'ports: [], env: [{name: API, value: "http://api"}]}]'));
    const actions = ls.codeActions(api, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
    const generate = actions.find((a) => a.command?.command === 'bulkhead.generateNetworkPolicies');
    assert.ok(generate, actions.map((a) => a.title).join('\n'));
    assert.equal(generate.title, 'Generate NetworkPolicies for hover/ (new file networkpolicies.bulkhead.yaml to review)');
    assert.deepEqual(generate.command!.arguments, ['/hover']);
    const file = networkPolicyFile(ls.index, '/hover');
    assert.equal(file.path, '/hover/networkpolicies.bulkhead.yaml');
    assert.match(file.text, /# from shop\/web\[Deployment\]: env API of container "c" "http:\/\/api"/);
    assert.equal(file.summary, '3 NetworkPolicies for 3 intents; pod-to-pod connections 2 -> 1 (50.00 % fewer).');
    assert.equal(networkPolicyFile(ls.index, '/elsewhere').summary, '0 NetworkPolicies for 0 intents; pod-to-pod connections 0 -> 0 (0.00 % fewer).');
  });
});
