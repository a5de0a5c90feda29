/**
 * Reachability and NetworkPolicy generation (server/src/reachability):
 *
 * 1. A generated workspace of 200 workloads and 300 NetworkPolicies (10 namespaces; pod, namespace and
 *    combined selectors, ipBlocks with except, named ports), indexed by the language service: the
 *    full analysis (snapshot + every connection) after the first parse, and a hover on a workload,
 *    with the engine cached and right after an edit elsewhere (rebuilt). Targets: 100 ms and 20 ms.
 * 2. The corpus, folder by folder (Helm charts rendered): load, analysis and generation times (the
 *    generation includes its verification by the engine), and the allowed pod-to-pod connections
 *    before and after the generated policies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import { loadNetworkWorkspace } from '../server/src/node/networkWorkspace';
import { ReachabilityEngine } from '../server/src/reachability/engine';
import { generatePolicies, GenerateOptions } from '../server/src/reachability/generate';
import { buildSnapshot } from '../server/src/reachability/network';
import { ConfigResolver } from '../server/src/service/configResolver';
import { BulkheadLanguageService, TextDocumentLike } from '../server/src/service/languageService';
import { median } from './median';

const NAMESPACES = 10;

export function workload(i: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: w${i}, namespace: ns${i % NAMESPACES}}`,
    'spec:',
    '  template:',
    `    metadata: {labels: {app: w${i}, tier: t${i % 4}, team: team${i % 7}}}`,
    '    spec:',
    `      containers: [{name: c, image: x, ports: [{name: http, containerPort: ${8000 + (i % 50)}}, {name: metrics, containerPort: 9100}]}]`,
    '',
  ].join('\n');
}

export function policy(j: number): string {
  const peers = [
    `[{podSelector: {matchLabels: {app: w${(j * 7) % 200}}}}]`,
    `[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns${j % NAMESPACES}}}, podSelector: {matchLabels: {tier: t${j % 4}}}}]`,
    `[{namespaceSelector: {}, podSelector: {matchExpressions: [{key: team, operator: In, values: [team${j % 7}, team${(j + 1) % 7}]}]}}]`,
    `[{ipBlock: {cidr: 10.${j % 256}.0.0/16, except: [10.${j % 256}.1.0/24]}}]`,
  ][j % 4];
  const ports = j % 3 === 0 ? '[{port: http}]' : j % 3 === 1 ? '[{port: 9100}, {port: 8000, endPort: 8049}]' : '[{port: metrics, protocol: TCP}]';
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    `metadata: {name: p${j}, namespace: ns${j % NAMESPACES}}`,
    'spec:',
    `  podSelector: {matchLabels: {tier: t${j % 4}}}`,
    j % 5 === 0 ? '  policyTypes: [Ingress, Egress]' : '  policyTypes: [Ingress]',
    '  ingress:',
    `  - from: ${peers}`,
    `    ports: ${ports}`,
    ...(j % 5 === 0 ? ['  egress:', `  - to: [{podSelector: {matchLabels: {team: team${j % 7}}}}]`] : []),
    '',
  ].join('\n');
}

function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** CPU time of this process (user + system) spent in `fn`: on a shared, loaded machine, the work itself. */
function cpuTimed(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function syntheticBench(): void {
  const index = new WorkspaceIndex();
  const ls = new BulkheadLanguageService(new ConfigResolver(), index);
  const docs: TextDocumentLike[] = [];
  const open = (name: string, text: string, version = 1) => {
    const doc = { uri: `file:///bench-reach/${name}`, languageId: 'yaml', version, getText: () => text };
    ls.lint(doc);
    return doc;
  };
  const texts = [...Array.from({ length: 200 }, (_, i) => workload(i)), ...Array.from({ length: 300 }, (_, j) => policy(j))];
  for (let i = 0; i < 200; i++) docs.push(open(`w${i}.yaml`, workload(i)));
  for (let j = 0; j < 300; j++) open(`p${j}.yaml`, policy(j));
  // The machine is shared: a bare parse of the same 500 documents, in the same run, gives the scale.
  const bare = median([0, 1, 2].map(() => timed(() => texts.forEach((t) => parseAllDocuments(t)))));
  let connections = 0;
  const analysis: number[] = [];
  const analysisCpu: number[] = [];
  for (let k = 0; k < 7; k++) {
    analysis.push(timed(() => analysisCpu.push(cpuTimed(() => (connections = new ReachabilityEngine(buildSnapshot(index)).connections().length)))));
  }
  const target = docs[100];
  const cached: number[] = [];
  const rebuilt: number[] = [];
  const rebuiltCpu: number[] = [];
  ls.hover(target, { line: 1, character: 2 });
  for (let k = 0; k < 11; k++) {
    cached.push(timed(() => ls.hover(target, { line: 1, character: 2 })));
    open('p7.yaml', k % 2 ? policy(7) : policy(7).replace('t3', 't2'), k + 2);
    rebuilt.push(timed(() => rebuiltCpu.push(cpuTimed(() => ls.hover(target, { line: 1, character: 2 })))));
  }
  console.log('Reachability: 200 workloads, 300 NetworkPolicies in 10 namespaces (bench/reachability.ts)');
  console.log(
    `  full analysis after the first parse (snapshot + all ${connections} connections): ${median(analysis).toFixed(1)} ms median of 7 (fastest ${Math.min(...analysis).toFixed(1)} ms), ` +
      `${median(analysisCpu).toFixed(1)} ms CPU   (target < 100 ms); bare yaml parse of the 500 documents, same run: ${bare.toFixed(1)} ms (ratio ${(median(analysis) / bare).toFixed(2)})`,
  );
  console.log(
    `  hover on a workload: ${median(cached).toFixed(2)} ms with the engine cached; right after an edit to a policy ${median(rebuilt).toFixed(2)} ms, ${median(rebuiltCpu).toFixed(2)} ms CPU   (target < 20 ms)`,
  );
}

function corpusBench(corpus: string): void {
  const folders = fs
    .readdirSync(corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(corpus, d.name))
    .sort();
  console.log(`Reachability and NetworkPolicy generation over the corpus, folder by folder (${corpus})`);
  let before = 0;
  let after = 0;
  let totalLoad = 0;
  let totalAnalysis = 0;
  let totalGenerate = 0;
  let unverified = 0;
  for (const folder of folders) {
    let loaded!: ReturnType<typeof loadNetworkWorkspace>;
    const loadMs = timed(() => (loaded = loadNetworkWorkspace([folder], corpus)));
    const options: GenerateOptions = { namespaceOf: loaded.namespaceOf, chartOf: loaded.chartOf };
    let engine!: ReachabilityEngine;
    let lines = 0;
    const analysisMs = timed(() => {
      engine = new ReachabilityEngine(buildSnapshot(loaded.index, options), options);
      lines = engine.connections().length;
    });
    if (!engine.snapshot.workloads.length) continue;
    let result!: ReturnType<typeof generatePolicies>;
    const generateMs = timed(() => (result = generatePolicies(loaded.index, options)));
    before += result.stats.before;
    after += result.stats.after;
    totalLoad += loadMs;
    totalAnalysis += analysisMs;
    totalGenerate += generateMs;
    if (!result.verification.ok) unverified++;
    const reduction = result.stats.before ? ((result.stats.before - result.stats.after) / result.stats.before) * 100 : 0;
    console.log(
      `  ${path.basename(folder).padEnd(42)} ${String(engine.snapshot.workloads.length).padStart(4)} workloads  load ${loadMs.toFixed(0).padStart(5)} ms  analysis ${analysisMs.toFixed(0).padStart(5)} ms (${lines} lines)  ` +
        `generation ${generateMs.toFixed(0).padStart(5)} ms  pod-to-pod ${result.stats.before} -> ${result.stats.after} (${reduction.toFixed(2)} % fewer), ${result.intents} intents, ${result.unresolved.length} unresolved, verified: ${result.verification.ok ? 'yes' : 'NO'}`,
    );
  }
  const reduction = before ? ((before - after) / before) * 100 : 0;
  console.log(
    `  total: load ${totalLoad.toFixed(0)} ms, analysis ${totalAnalysis.toFixed(0)} ms, generation ${totalGenerate.toFixed(0)} ms; pod-to-pod connections ${before} -> ${after} (${reduction.toFixed(2)} % fewer; Helm-ET reports 92.71 %); ${unverified} folders failed verification`,
  );
}

export function reachabilityBench(corpus: string): void {
  syntheticBench();
  if (fs.existsSync(corpus)) corpusBench(corpus);
}
