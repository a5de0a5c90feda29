/**
 * The security map (server/src/map): the time to build the map data, next to the time to scan the
 * same files, folder by folder of the corpus and in all; and a generated workspace of 2,000 workloads
 * (build, then the viewer's filter and namespace aggregation, which run in the webview).
 *
 * The map's cost is reading the files for the reachability engine (`load`, as `bulkhead map` and
 * `bulkhead connectivity` do) plus `build` (attack graph, reachability, entry points, lateral steps).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aggregate, applyFilter, NO_FILTER } from '../client/map/mapData';
import { runScan } from '../server/src/cli/scan';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import { buildMapData } from '../server/src/map/build';
import { loadNetworkWorkspace } from '../server/src/node/networkWorkspace';
import { ResolvedConfig } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/engine';
import { ALL_RULES } from '../rules';
import { REACHABILITY_READS } from '../server/src/reachability/workspace';

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function corpusBench(corpus: string): void {
  console.log('\nSecurity map: corpus, per folder (load = reading for the engines; build = the map data; scan = bulkhead scan, 1 thread)');
  let load = 0;
  let build = 0;
  let scan = 0;
  let workloads = 0;
  for (const name of fs.readdirSync(corpus).sort()) {
    const dir = path.join(corpus, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    let t = process.hrtime.bigint();
    const loaded = loadNetworkWorkspace([dir], dir);
    const l = ms(t);
    if (!loaded.files.length) continue;
    t = process.hrtime.bigint();
    const data = buildMapData(loaded.index, { displayFile: (f) => f, namespaceOf: loaded.namespaceOf });
    const b = ms(t);
    t = process.hrtime.bigint();
    runScan({ paths: [dir], cwd: dir, jobs: 1 });
    const s = ms(t);
    const w = data.nodes.filter((n) => n.type === 'Workload').length;
    load += l;
    build += b;
    scan += s;
    workloads += w;
    console.log(
      `  ${name.padEnd(44)} ${String(w).padStart(4)} workloads ${String(data.paths.length).padStart(4)} paths   load ${l.toFixed(0).padStart(5)} ms  build ${b.toFixed(0).padStart(4)} ms  scan ${s.toFixed(0).padStart(6)} ms  (load+build)/scan ${((l + b) / s).toFixed(2)}`,
    );
  }
  console.log(
    `  all: ${workloads} workloads; load ${load.toFixed(0)} ms, build ${build.toFixed(0)} ms, scan ${scan.toFixed(0)} ms; build/scan ${(build / scan).toFixed(3)}, (load+build)/scan ${((load + build) / scan).toFixed(2)}`,
  );
}

/** 40 namespaces of 50 workloads, each with a Service, one LoadBalancer per namespace, no NetworkPolicy. */
function syntheticBench(): void {
  const rules = [...ALL_RULES, REACHABILITY_READS];
  const engine = new Engine(new ResolvedConfig(rules, { rules: Object.fromEntries(rules.map((r) => [r.id, 'off' as const])) }));
  const index = new WorkspaceIndex();
  for (let n = 0; n < 40; n++) {
    const docs: string[] = [];
    for (let w = 0; w < 50; w++) {
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${w}, namespace: team-${n}}\nspec:\n  template:\n    metadata: {labels: {app: app-${w}}}\n    spec:\n      containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]\n`,
      );
      docs.push(
        `apiVersion: v1\nkind: Service\nmetadata: {name: app-${w}, namespace: team-${n}}\nspec:\n  type: ${w === 1 ? 'LoadBalancer' : 'ClusterIP'}\n  selector: {app: app-${w}}\n  ports: [{port: 80, targetPort: 8080}]\n`,
      );
    }
    engine.lint(`/bench/team-${n}.yaml`, docs.join('---\n'), { index });
  }
  let t = process.hrtime.bigint();
  const data = buildMapData(index, { displayFile: (f) => f });
  const build = ms(t);
  t = process.hrtime.bigint();
  const drawn = aggregate(data, applyFilter(data, NO_FILTER), new Set());
  const view = ms(t);
  console.log(
    `\nSecurity map: 2,000 workloads (40 namespaces): build ${build.toFixed(0)} ms (${data.nodes.length} nodes, ${data.edges.length} edges, ${data.paths.length} paths); filter + collapse to ${drawn.nodes.length} nodes / ${drawn.edges.length} edges ${view.toFixed(0)} ms`,
  );
}

export function securityMapBench(corpus: string): void {
  syntheticBench();
  if (fs.existsSync(corpus)) corpusBench(corpus);
  else console.log(`Security map: no corpus at ${corpus}; corpus case skipped.`);
}
