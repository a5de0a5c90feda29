/**
 * RBAC pack at scale: a generated workspace of 5,000 RBAC objects (2,000 Roles and RoleBindings,
 * 500 ClusterRoles and ClusterRoleBindings) and 2,000 workloads with their ServiceAccounts, in 20
 * namespaces, one file each. Prints the time to build the whole attack graph and its shortest paths
 * after parsing (cold: records derived from the parsed objects; warm: reused), and a keystroke in a
 * RoleBinding: re-indexing its file plus the `attack-path` lint of a workload bound by it, beside
 * the same in a workspace ten times smaller measured in the same run (the ratio shows whether a
 * keystroke's cost grows with the workspace). Times are CPU time (see `timed`).
 */
import { ALL_RULES } from '../rules';
import type { KubernetesRule } from '../server/src/engine/rule';
import { ResolvedConfig } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/engine';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import { buildAttackGraph } from '../server/src/paths/graph';
import { shortestPaths } from '../server/src/paths/search';
import { median } from './median';

const NAMESPACES = 20;
const VERBS = ['[get, list]', '[get, create]', '[list, watch]', '[get]', '[create, patch]'];
const RESOURCES = ['[pods]', '[secrets]', '[configmaps]', '[deployments]', '[pods/exec]'];

export function rbacBenchFiles(workloads: number, scale: number): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < workloads; i++) {
    const ns = `team-${i % NAMESPACES}`;
    out.set(
      `w/app-${i}.yaml`,
      `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app-${i}, namespace: ${ns}}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}}}\n    spec:\n      serviceAccountName: app-${i}\n      containers:\n      - name: app\n        image: registry.example.com/app-${i}:1.0\n${i % 50 === 0 ? '        securityContext: {privileged: true}\n' : ''}`,
    );
  }
  const groups = (i: number) => (RESOURCES[i % RESOURCES.length] === '[deployments]' ? '[apps]' : '[""]');
  for (let i = 0; i < 2 * scale; i++) {
    const ns = `team-${i % NAMESPACES}`;
    out.set(
      `r/role-${i}.yaml`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: role-${i}, namespace: ${ns}}\nrules:\n- apiGroups: ${groups(i)}\n  resources: ${RESOURCES[i % RESOURCES.length]}\n  verbs: ${VERBS[i % VERBS.length]}\n`,
    );
    out.set(`r/rb-${i}.yaml`, rolebinding(i, ns, i % workloads));
  }
  for (let i = 0; i < scale / 2; i++) {
    out.set(
      `c/cr-${i}.yaml`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: cr-${i}, labels: {agg: "${i % 10}"}}\nrules:\n- apiGroups: ${groups(i)}\n  resources: ${RESOURCES[(i + 2) % RESOURCES.length]}\n  verbs: ${VERBS[(i + 1) % VERBS.length]}\n`,
    );
    const w = (i * 7) % workloads;
    out.set(
      `c/crb-${i}.yaml`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb-${i}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr-${i}}\nsubjects:\n- {kind: ServiceAccount, name: app-${w}, namespace: team-${w % NAMESPACES}}\n`,
    );
  }
  return out;
}

function rolebinding(i: number, ns: string, w: number, role = `role-${i}`): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb-${i}, namespace: ${ns}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${role}}\nsubjects:\n- {kind: ServiceAccount, name: app-${w}, namespace: team-${w % NAMESPACES}}\n`;
}

/**
 * CPU time of `fn` in ms: on a machine shared by many processes, wall time mostly measures waiting
 * for a core; the work done is what scales with the workspace.
 */
function timed(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

interface Figures {
  objects: number;
  nodes: number;
  edges: number;
  paths: number;
  indexMs: number;
  coldMs: number;
  warmMs: number;
  keystrokeMs: number;
}

function measure(workloads: number, scale: number): Figures {
  const attackPath = ALL_RULES.find((r) => r.id === 'attack-path') as KubernetesRule;
  const engine = new Engine(new ResolvedConfig([attackPath], {}, 'all'));
  // Parsing and indexing only: a rule that reads what attack-path reads and checks nothing, so the
  // figures below are "after parsing" (linting every workload while the index grows is another cost).
  const indexer = new Engine(new ResolvedConfig([{ ...attackPath, id: 'bench-index-only', check: () => undefined }], {}, 'all'));
  const index = new WorkspaceIndex();
  const all = rbacBenchFiles(workloads, scale);
  const indexMs = timed(() => {
    for (const [path, text] of all) indexer.lint(path, text, { index });
  });
  let graph = buildAttackGraph(index, { lateral: true });
  let paths = shortestPaths(graph, { lateral: true });
  // Cold: a fresh index of the same text (records derived again from the parsed objects).
  const fresh = new WorkspaceIndex();
  for (const [path, text] of all) indexer.lint(path, text, { index: fresh });
  const coldMs = timed(() => shortestPaths(buildAttackGraph(fresh, { lateral: true }), { lateral: true }));
  const warmMs = median(
    [0, 1, 2, 3, 4].map(() =>
      timed(() => {
        graph = buildAttackGraph(index, { lateral: true });
        paths = shortestPaths(graph, { lateral: true });
      }),
    ),
  );
  // A keystroke in RoleBinding rb-0: it now binds role-3 (pods/exec). Re-index it, lint the bound workload.
  const bound = all.get('w/app-0.yaml')!;
  const keystrokes: number[] = [];
  for (let k = 0; k < 7; k++) {
    const text = rolebinding(0, 'team-0', 0, k % 2 ? 'role-0' : 'role-5');
    keystrokes.push(
      timed(() => {
        engine.lint('r/rb-0.yaml', text, { index });
        engine.lint('w/app-0.yaml', bound, { index });
      }),
    );
  }
  return {
    objects: all.size + workloads,
    nodes: graph.nodes.size,
    edges: graph.edges.length,
    paths: paths.length,
    indexMs,
    coldMs,
    warmMs,
    keystrokeMs: median(keystrokes),
  };
}

export function rbacWorkspaceBench(): void {
  console.log('\nRBAC workspace (attack graph; large: 2,000 workloads with their ServiceAccounts and 5,000 RBAC objects):');
  const small = measure(200, 100);
  const large = measure(2000, 1000);
  for (const [name, f] of [
    ['small', small],
    ['large', large],
  ] as const) {
    console.log(
      `  ${name}: ${f.objects} objects, graph ${f.nodes} nodes / ${f.edges} edges, ${f.paths} workloads with a path; ` +
        `index ${f.indexMs.toFixed(0)} ms; graph + paths after parsing ${f.coldMs.toFixed(1)} ms cold, ${f.warmMs.toFixed(1)} ms warm; ` +
        `keystroke in a RoleBinding (re-index + the bound workload's attack-path lint) ${f.keystrokeMs.toFixed(2)} ms`,
    );
  }
  console.log(
    `  ratios large/small (10× the objects): graph cold ${(large.coldMs / small.coldMs).toFixed(1)}×, warm ${(large.warmMs / small.warmMs).toFixed(1)}×, keystroke ${(large.keystrokeMs / small.keystrokeMs).toFixed(1)}×`,
  );
}
