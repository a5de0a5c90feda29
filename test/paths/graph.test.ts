/** The attack graph engine on its own: each edge kind, and what cuts a path. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { AttackGraph, buildAttackGraph } from '../../server/src/paths/graph';
import { AttackPath, shortestPaths } from '../../server/src/paths/search';
import { clusterRole, clusterRoleBinding, deployment, role, roleBinding, rule, sa } from '../rules/kubernetes/rbac/fixtures';

function analyse(files: Record<string, string>, lateral = true): { graph: AttackGraph; paths: AttackPath[] } {
  const engine = new Engine(
    new ResolvedConfig(
      ALL_RULES.filter((r) => r.id === 'attack-path' || r.id === 'service-target-port-undeclared'),
      {},
      'all',
    ),
  );
  const index = new WorkspaceIndex();
  for (const [path, text] of Object.entries(files)) engine.lint(path, text, { index });
  const graph = buildAttackGraph(index, { lateral });
  return { graph, paths: shortestPaths(graph, { lateral }) };
}

function typesOf(paths: AttackPath[], workload: string): string[] | undefined {
  return paths.find((p) => p.workload.endsWith(`/${workload}`))?.steps.map((s) => s.edge.type);
}

const CONTAINER = (sc: string) => `        securityContext:\n${sc}`;
const HOST = (path: string, readOnly = false) => ({
  podExtra: `      volumes:\n      - name: h\n        hostPath: {path: ${path}}\n`,
  container: `        volumeMounts:\n        - {name: h, mountPath: /h${readOnly ? ', readOnly: true' : ''}}\n`,
});

describe('attack graph: container escapes', () => {
  const cases: [string, Parameters<typeof deployment>[2], string[] | undefined][] = [
    [
      'privileged + hostPID: CE_PRIV_MOUNT first, CE_NSENTER beside it',
      { podExtra: '      hostPID: true\n', container: CONTAINER('          privileged: true\n') },
      ['CE_PRIV_MOUNT'],
    ],
    ['SYS_ADMIN', { container: CONTAINER('          capabilities: {add: [SYS_ADMIN]}\n') }, ['CE_PRIV_MOUNT']],
    ['SYS_MODULE', { container: CONTAINER('          capabilities: {add: [CAP_SYS_MODULE]}\n') }, ['CE_MODULE_LOAD']],
    ['hostPath /proc/sys/kernel writable', HOST('/proc/sys/kernel'), ['CE_UMH_CORE_PATTERN']],
    ['hostPath /proc read-only is not', HOST('/proc', true), undefined],
    ['hostPath /etc writable', HOST('/etc/'), ['EXPLOIT_HOST_WRITE']],
    ['hostPath / read-only', HOST('/', true), ['EXPLOIT_HOST_READ']],
    ['hostPath /var writable covers /var/lib/kubelet', HOST('/var'), ['EXPLOIT_HOST_WRITE']],
    ['containerd socket', HOST('/run/containerd/containerd.sock'), ['EXPLOIT_CONTAINERD_SOCK']],
    ['a data directory is not', HOST('/data'), undefined],
  ];
  for (const [name, opts, expected] of cases) {
    it(name, () => {
      const { graph, paths } = analyse({
        'w.yaml': deployment('w', 'ns', { ...opts, podExtra: `      automountServiceAccountToken: false\n${opts?.podExtra ?? ''}` }),
      });
      assert.deepEqual(typesOf(paths, 'w'), expected);
      if (name.startsWith('privileged + hostPID')) assert.ok(graph.edges.some((e) => e.type === 'CE_NSENTER'));
    });
  }

  it('CE_VAR_LOG_SYMLINK needs the account to read pod logs', () => {
    const w = deployment('w', 'ns', { sa: 'w', ...HOST('/var/log') });
    assert.equal(typesOf(analyse({ 'w.yaml': w }).paths, 'w'), undefined);
    const logs = role('logs', 'ns', rule('[""]', '[pods, pods/log]', '[get]')) + '---\n' + roleBinding('logs', 'ns', 'Role', 'logs', sa('w', 'ns'));
    assert.deepEqual(typesOf(analyse({ 'w.yaml': w, 'r.yaml': logs }).paths, 'w'), ['CE_VAR_LOG_SYMLINK']);
  });

  it('SHARE_PS_NAMESPACE reaches a privileged sibling', () => {
    const w = deployment('w', 'ns', {
      podExtra: '      automountServiceAccountToken: false\n      shareProcessNamespace: true\n',
      container: '      - name: side\n        image: example/side:1\n        securityContext: {privileged: true}\n',
    });
    const { paths } = analyse({ 'w.yaml': w });
    const p = paths.find((x) => x.workload.endsWith('/w'))!;
    // The privileged sidecar itself is one step away; that is the shortest.
    assert.deepEqual(
      p.steps.map((s) => s.edge.type),
      ['CE_PRIV_MOUNT'],
    );
    assert.match(p.from, /\/side$/);
  });
});

describe('attack graph: RBAC edges', () => {
  const app = deployment('app', 'shop', { sa: 'app' });
  it("of equally short paths, the worst jewel is shown (cluster-admin over a namespace's Secrets)", () => {
    const rbac =
      role('s', 'shop', rule('[""]', '[secrets]', '[list]')) +
      '---\n' +
      roleBinding('s', 'shop', 'Role', 's', sa('app', 'shop')) +
      '---\n' +
      clusterRoleBinding('admin', 'cluster-admin', sa('app', 'shop'));
    const { paths } = analyse({ 'a.yaml': app, 'r.yaml': rbac });
    assert.equal(paths.find((p) => p.workload.endsWith('/app'))!.to, 'identity:cluster-admin');
  });
  it('ROLE_BIND cluster-wide reaches cluster-admin', () => {
    const rbac =
      clusterRole('binder', rule('[rbac.authorization.k8s.io]', '[clusterroles]', '[bind]')) +
      '---\n' +
      clusterRoleBinding('binder', 'binder', sa('app', 'shop'));
    assert.deepEqual(typesOf(analyse({ 'a.yaml': app, 'r.yaml': rbac }).paths, 'app'), ['IDENTITY_ASSUME', 'ROLE_BIND']);
  });
  it('IDENTITY_IMPERSONATE of groups reaches cluster-admin', () => {
    const rbac = clusterRole('imp', rule('[""]', '[groups]', '[impersonate]')) + '---\n' + clusterRoleBinding('imp', 'imp', sa('app', 'shop'));
    assert.deepEqual(typesOf(analyse({ 'a.yaml': app, 'r.yaml': rbac }).paths, 'app'), ['IDENTITY_ASSUME', 'IDENTITY_IMPERSONATE']);
  });
  it('CSR approval counts only with CSR creation', () => {
    const approve =
      rule('[certificates.k8s.io]', '[certificatesigningrequests/approval]', '[update]') + rule('[certificates.k8s.io]', '[signers]', '[approve]');
    const bind = '---\n' + clusterRoleBinding('csr', 'csr', sa('app', 'shop'));
    assert.equal(typesOf(analyse({ 'a.yaml': app, 'r.yaml': clusterRole('csr', approve) + bind }).paths, 'app'), undefined);
    const withCreate = clusterRole('csr', approve + rule('[certificates.k8s.io]', '[certificatesigningrequests]', '[create]')) + bind;
    assert.deepEqual(typesOf(analyse({ 'a.yaml': app, 'r.yaml': withCreate }).paths, 'app'), ['IDENTITY_ASSUME', 'CSR_APPROVE']);
  });
  it('POD_EXEC into a privileged workload of the namespace (lateral only)', () => {
    const target = deployment('agent', 'shop', {
      podExtra: '      automountServiceAccountToken: false\n',
      container: CONTAINER('          privileged: true\n'),
    });
    const rbac = role('exec', 'shop', rule('[""]', '[pods/exec]', '[create]')) + '---\n' + roleBinding('exec', 'shop', 'Role', 'exec', sa('app', 'shop'));
    const files = { 'a.yaml': app, 't.yaml': target, 'r.yaml': rbac };
    assert.deepEqual(typesOf(analyse(files).paths, 'app'), ['IDENTITY_ASSUME', 'POD_EXEC', 'CONTAINER_ATTACH', 'CE_PRIV_MOUNT']);
    assert.equal(typesOf(analyse(files, false).paths, 'app'), undefined);
  });
  it('POD_CREATE as another account of the namespace, whose rights are the way on (lateral)', () => {
    const rbac =
      role('create', 'shop', rule('[""]', '[pods]', '[create]')) +
      '---\n' +
      roleBinding('create', 'shop', 'Role', 'create', sa('app', 'shop')) +
      '---\n' +
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: admin\n  namespace: shop\n---\n' +
      clusterRoleBinding('admin', 'cluster-admin', sa('admin', 'shop')) +
      '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: restricted}\n';
    // Pod Security forbids a privileged pod, but not running as the admin account.
    assert.deepEqual(typesOf(analyse({ 'a.yaml': app, 'r.yaml': rbac }).paths, 'app'), ['IDENTITY_ASSUME', 'POD_CREATE', 'PERMISSION_DISCOVER']);
  });
  it('a Role binding cannot reach cluster-scoped resources', () => {
    const rbac = clusterRole('np', rule('[""]', '[nodes/proxy]', '[get]')) + '---\n' + roleBinding('np', 'shop', 'ClusterRole', 'np', sa('app', 'shop'));
    assert.equal(typesOf(analyse({ 'a.yaml': app, 'r.yaml': rbac }).paths, 'app'), undefined);
    const cluster = clusterRole('np', rule('[""]', '[nodes/proxy]', '[get]')) + '---\n' + clusterRoleBinding('np', 'np', sa('app', 'shop'));
    assert.deepEqual(typesOf(analyse({ 'a.yaml': app, 'r.yaml': cluster }).paths, 'app'), ['IDENTITY_ASSUME', 'NODES_PROXY']);
  });
  it('aggregation: a binding to the aggregating ClusterRole grants what it gathers', () => {
    const rbac =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: agg\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {to-agg: "yes"}\nrules: []\n---\n' +
      clusterRole('part', rule('[""]', '[secrets]', '[list]')).replace('  name: part\n', '  name: part\n  labels: {to-agg: "yes"}\n') +
      '---\n' +
      clusterRoleBinding('agg', 'agg', sa('app', 'shop'));
    const { paths } = analyse({ 'a.yaml': app, 'r.yaml': rbac });
    const p = paths.find((x) => x.workload.endsWith('/app'))!;
    assert.deepEqual(
      p.steps.map((s) => s.edge.type),
      ['IDENTITY_ASSUME', 'TOKEN_LIST'],
    );
    assert.equal(p.to, 'secret:*');
    assert.deepEqual(p.steps[1].edge.via, ['clusterrolebinding:/agg', 'clusterrole:agg']);
  });
  it("TOKEN_STEAL: the kubelet pod directory holds every account's token (lateral only)", () => {
    const thief = deployment('thief', 'ops', {
      podExtra: '      automountServiceAccountToken: false\n      volumes:\n      - name: pods\n        hostPath: {path: /var/lib/kubelet/pods}\n',
      container: '        volumeMounts:\n        - {name: pods, mountPath: /pods, readOnly: true}\n',
    });
    const admin =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: admin\n  namespace: tools\n---\n' +
      clusterRoleBinding('admin', 'cluster-admin', sa('admin', 'tools'));
    const files = { 't.yaml': thief, 'a.yaml': admin };
    const p = analyse(files).paths.find((x) => x.workload.endsWith('/thief'))!;
    assert.deepEqual(
      p.steps.map((s) => s.edge.type),
      ['TOKEN_STEAL', 'PERMISSION_DISCOVER'],
    );
    assert.match(p.steps[0].edge.reason, /it can read the one of ServiceAccount tools\/admin$/);
    assert.equal(typesOf(analyse(files, false).paths, 'thief'), undefined);
  });
  it('aggregation cycles and self-selection terminate', () => {
    const a =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: a\n  labels: {x: "1"}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {x: "1"}\nrules: []\n';
    const b = a.replace('name: a', 'name: b');
    const { paths } = analyse({ 'a.yaml': app, 'r.yaml': `${a}---\n${b}---\n${clusterRoleBinding('a', 'a', sa('app', 'shop'))}` });
    assert.equal(typesOf(paths, 'app'), undefined);
  });
});
