/** The workspace model: selectors as the API server evaluates them, namespaces, and dependency tracking. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { ALL_RULES } from '../../rules';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { FACTS, WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { matches, parseLabelSelector } from '../../server/src/model/selectors';
import { WorkspaceModel } from '../../server/src/model/workspaceModel';

function selector(yaml: string) {
  const doc = parseDocument(yaml);
  return parseLabelSelector(doc.contents as never, doc);
}

describe('label selectors', () => {
  const labels = new Map([
    ['app', 'web'],
    ['tier', 'front'],
  ]);
  it('matchLabels and every matchExpressions operator, ANDed', () => {
    assert.equal(matches(selector('matchLabels: {app: web}'), labels), true);
    assert.equal(matches(selector('matchLabels: {app: api}'), labels), false);
    assert.equal(matches(selector('matchExpressions: [{key: app, operator: In, values: [api, web]}]'), labels), true);
    assert.equal(matches(selector('matchExpressions: [{key: app, operator: NotIn, values: [web]}]'), labels), false);
    assert.equal(matches(selector('matchExpressions: [{key: env, operator: NotIn, values: [prod]}]'), labels), true, 'NotIn matches a missing label');
    assert.equal(matches(selector('matchExpressions: [{key: tier, operator: Exists}]'), labels), true);
    assert.equal(matches(selector('matchExpressions: [{key: tier, operator: DoesNotExist}]'), labels), false);
    assert.equal(matches(selector('matchLabels: {app: web}\nmatchExpressions: [{key: env, operator: Exists}]'), labels), false);
  });
  it('an empty selector selects everything; a malformed one nothing', () => {
    assert.equal(matches(selector('{}'), labels), true);
    assert.equal(matches(selector('matchExpressions: [{key: app, operator: In, values: []}]'), labels), false);
    assert.equal(matches(selector('matchExpressions: [{key: app, operator: Matches, values: [web]}]'), labels), false);
  });
});

describe('workspace model', () => {
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
  const deploy = (name: string, ns?: string, kind = 'Deployment') =>
    `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n      - name: c\n        ports: [{name: http, containerPort: 8080, protocol: udp}]\n`;

  it('pod templates of every workload kind by namespace; the unnamed namespace is its own', () => {
    const index = new WorkspaceIndex();
    engine.lint('/w/a.yaml', deploy('a', 'shop'), { index });
    engine.lint('/w/b.yaml', deploy('b'), { index });
    engine.lint(
      '/w/c.yaml',
      `${deploy('c', 'shop', 'CloneSet').replace('apps/v1', 'apps.kruise.io/v1alpha1')}---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: d, namespace: shop}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata: {labels: {app: d}}\n        spec: {containers: [{name: c}]}\n`,
      { index },
    );
    const model = WorkspaceModel.of(index);
    assert.deepEqual(
      model.pods('shop').map((p) => p.ref.object.label),
      ['Deployment/a', 'CloneSet/c', 'CronJob/d'],
    );
    assert.deepEqual(
      model.pods('').map((p) => p.ref.object.label),
      ['Deployment/b'],
    );
    const port = model.pods('shop')[0].ports[0];
    assert.deepEqual([port.name, port.number, port.protocol], ['http', 8080, 'UDP']);
    assert.deepEqual(model.knownNamespaces(), ['shop']);
    assert.deepEqual([...model.namespaceLabels('shop')], [['kubernetes.io/metadata.name', 'shop']]);
  });

  it('a query registers only the facts it depends on', () => {
    const index = new WorkspaceIndex();
    engine.lint('/w/a.yaml', deploy('a', 'shop'), { index });
    const model = WorkspaceModel.of(index);
    const { reads } = index.track(() => model.podsSelectedBy('shop', selector('matchLabels: {app: a}')));
    assert.deepEqual([...reads], [FACTS.pods('shop', ['app', 'a'])]);
    const policies = index.track(() => model.policies('shop'));
    // Only that namespace's policies: a policy edited in another namespace re-lints nothing here.
    assert.deepEqual([...policies.reads], [FACTS.kindIn('NetworkPolicy', 'shop')]);
    // The cached section is reused, and still registers its facts.
    const again = index.track(() => model.policies('shop'));
    assert.deepEqual([...again.reads], [FACTS.kindIn('NetworkPolicy', 'shop')]);
  });

  it('a changed label announces the old and the new label facts', () => {
    const index = new WorkspaceIndex();
    engine.lint('/w/a.yaml', deploy('a', 'shop'), { index });
    const changes: string[][] = [];
    index.onChange((f) => changes.push([...f].sort()));
    engine.lint('/w/a.yaml', deploy('a', 'shop').replace('{app: a}', '{app: z}'), { index });
    assert.ok(changes[0].includes(FACTS.pods('shop', ['app', 'a'])));
    assert.ok(changes[0].includes(FACTS.pods('shop', ['app', 'z'])));
    assert.ok(changes[0].includes(FACTS.pods('shop')));
  });
});
