/** Hostile and odd RBAC input: no rule of the pack throws, and aggregation webs stay bounded. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintWith } from '../../../../rules/tester';
import { RBAC_RULES } from '../../../../rules/kubernetes/rbac';
import { WorkspaceIndex } from '../../../../server/src/engine/workspaceIndex';
import { ResolvedConfig } from '../../../../server/src/engine/config';
import { Engine } from '../../../../server/src/engine/engine';
import { buildAttackGraph } from '../../../../server/src/paths/graph';
import { shortestPaths } from '../../../../server/src/paths/search';

const ODD = [
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: x}\nrules: "everything"\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: x, namespace: [a]}\nrules: [null, 3, {verbs: {a: 1}, resources: null, apiGroups: [[1]]}]\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: x, labels: "l"}\naggregationRule: {clusterRoleSelectors: "s"}\nrules: []\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\nroleRef: [cluster-admin]\nsubjects: "everyone"\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: 12, namespace: 1e400}\nroleRef: {kind: ClusterRole, name: 99999999999999999999}\nsubjects: [{kind: ServiceAccount}, null, {kind: Group, name: {a: b}}]\n',
  'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default}\nautomountServiceAccountToken: "no"\n',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: t, annotations: "a"}\ntype: kubernetes.io/service-account-token\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n      serviceAccountName: [a]\n      automountServiceAccountToken: 1\n      volumes: [null, {name: v, hostPath: "x"}, {projected: {sources: [null, {serviceAccountToken: null}]}}]\n      containers: [{name: c, volumeMounts: [null, {name: v}], securityContext: {privileged: "true", capabilities: {add: [null, 7, SYS_ADMIN]}}}]\n',
];

describe('RBAC pack: odd shapes', () => {
  for (const rule of RBAC_RULES) {
    it(`${rule.id} never throws`, () => {
      for (const code of ODD) lintWith(rule, { code, files: { 'other.yaml': ODD.join('---\n') } });
    });
  }

  it('a web of 300 ClusterRoles aggregating each other is bounded', () => {
    const roles = Array.from(
      { length: 300 },
      (_, i) =>
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r${i}, labels: {agg: "yes"}}\naggregationRule:\n  clusterRoleSelectors: [{matchLabels: {agg: "yes"}}]\nrules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]\n`,
    ).join('---\n');
    const binding =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: r0}\nsubjects: [{kind: ServiceAccount, name: a, namespace: ns1}]\n';
    const app = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns1}\nspec:\n  serviceAccountName: a\n  containers: [{name: c}]\n';
    const engine = new Engine(new ResolvedConfig(RBAC_RULES, {}, 'all'));
    const index = new WorkspaceIndex();
    for (const [p, t] of Object.entries({ 'b.yaml': binding, 'app.yaml': app, 'roles.yaml': roles })) {
      const result = engine.lint(p, t, { index });
      assert.deepEqual(result.internalErrors, []);
      // Each role's own rule is reported once, however tangled the aggregation.
      if (p === 'roles.yaml') assert.equal(result.findings.filter((f) => f.ruleId === 'rbac-secrets-read').length, 300);
    }
    const graph = buildAttackGraph(index, { lateral: true });
    assert.ok(graph.nodes.has('sa:ns1/a'));
    shortestPaths(graph, { lateral: true });
  });
});
