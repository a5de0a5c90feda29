/**
 * Network pack at scale: a generated workspace of 2,000 workloads, 2,000 Services and 500
 * NetworkPolicies (one file each, 20 namespaces), linted in-process by the language service with
 * profile `all`. A keystroke in a Service, a Deployment and a NetworkPolicy is timed (the edited
 * document's lint, as the server runs it), with how many other documents the change makes stale,
 * beside the same keystrokes in a workspace ten times smaller measured in the same run: the ratio
 * shows whether a keystroke's cost depends on the workspace size.
 */
import { ConfigResolver } from '../server/src/service/configResolver';
import { BulkheadLanguageService, TextDocumentLike } from '../server/src/service/languageService';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import { parseAllDocuments } from 'yaml';
import { median } from './median';

const NAMESPACES = 20;

function deployment(i: number, port: number): string {
  const ns = `team-${i % NAMESPACES}`;
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: app-${i}, namespace: ${ns}}`,
    'spec:',
    `  selector: {matchLabels: {app: app-${i}}}`,
    '  template:',
    `    metadata: {labels: {app: app-${i}, tier: t${i % 5}}}`,
    '    spec:',
    '      containers:',
    `      - name: app`,
    `        image: registry.example.com/app-${i}:1.0`,
    '        ports:',
    `        - {name: http, containerPort: ${port}}`,
    '        readinessProbe:',
    '          httpGet: {path: /ready, port: http}',
    '',
  ].join('\n');
}

function service(i: number, target: number | string): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: app-${i}, namespace: team-${i % NAMESPACES}}`,
    'spec:',
    `  selector: {app: app-${i}}`,
    `  ports: [{name: http, port: 80, targetPort: ${target}}]`,
    '',
  ].join('\n');
}

function policy(j: number, port: number): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    `metadata: {name: allow-${j}, namespace: team-${j % NAMESPACES}}`,
    'spec:',
    `  podSelector: {matchLabels: {tier: t${j % 5}}}`,
    '  ingress:',
    '  - from:',
    `    - podSelector: {matchLabels: {app: app-${(j * 4 + NAMESPACES) % 2000}}}`,
    '    ports:',
    `    - port: ${port}`,
    '',
  ].join('\n');
}

interface Figures {
  workloads: number;
  indexMs: number;
  keystrokes: Record<string, { ms: number; stale: number }>;
}

function timed(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function run(workloads: number, services: number, policies: number): Figures {
  const index = new WorkspaceIndex();
  const resolver = new ConfigResolver();
  resolver.setSettings({ profile: 'all' });
  const service_ = new BulkheadLanguageService(resolver, index);
  const versions = new Map<string, number>();
  const doc = (rel: string, text: string): TextDocumentLike => {
    const version = (versions.get(rel) ?? 0) + 1;
    versions.set(rel, version);
    return { uri: `file:///bench-network/${rel}`, languageId: 'yaml', version, getText: () => text };
  };
  const files: [string, string][] = [];
  for (let i = 0; i < workloads; i++) files.push([`apps/app-${i}.yaml`, deployment(i, 8080)]);
  for (let i = 0; i < services; i++) files.push([`svc/app-${i}.yaml`, service(i, 'http')]);
  for (let j = 0; j < policies; j++) files.push([`policies/allow-${j}.yaml`, policy(j, 8080)]);
  const indexMs = timed(() => {
    for (const [rel, text] of files) service_.lint(doc(rel, text));
  });
  const keystrokes: Figures['keystrokes'] = {};
  const stale = new Set<string>();
  index.onChange((facts) => service_.readersOf(facts).forEach((u) => stale.add(u)));
  const type = (label: string, rel: string, variants: string[]) => {
    const times: number[] = [];
    let staleCount = 0;
    for (let k = 0; k < 21; k++) {
      stale.clear();
      times.push(timed(() => service_.lint(doc(rel, variants[k % variants.length]))));
      stale.delete(`file:///bench-network/${rel}`);
      staleCount = Math.max(staleCount, stale.size);
    }
    keystrokes[label] = { ms: median(times.slice(1)), stale: staleCount };
  };
  const mid = Math.floor(Math.min(workloads, services) / 2);
  type('Service targetPort', `svc/app-${mid}.yaml`, [service(mid, 8081), service(mid, 'http')]);
  type('Deployment containerPort', `apps/app-${mid}.yaml`, [deployment(mid, 8081), deployment(mid, 8080)]);
  type('NetworkPolicy port', `policies/allow-${Math.floor(policies / 2)}.yaml`, [policy(Math.floor(policies / 2), 80), policy(Math.floor(policies / 2), 8080)]);
  return { workloads, indexMs, keystrokes };
}

export function networkWorkspaceBench(): void {
  const big = run(2000, 2000, 500);
  const small = run(200, 200, 50);
  const bare = Math.min(...[0, 1, 2].map(() => timed(() => parseAllDocuments(service(1000, 'http')))));
  console.log('Network workspace: 2,000 Deployments, 2,000 Services, 500 NetworkPolicies (one file each, 20 namespaces), profile all');
  console.log(`  index every file (lint each once): ${big.indexMs.toFixed(0)} ms; the same at 1/10 size: ${small.indexMs.toFixed(0)} ms`);
  for (const [label, f] of Object.entries(big.keystrokes)) {
    const s = small.keystrokes[label];
    console.log(
      `  keystroke in a ${label}: ${f.ms.toFixed(2)} ms (median of 20), ${f.stale} other documents stale; ` +
        `at 1/10 size ${s.ms.toFixed(2)} ms, ${s.stale} stale; ratio 2,000/200: ${(f.ms / s.ms).toFixed(2)}   (target ~1: independent of size)`,
    );
  }
  console.log(`  bare yaml parse of one Service document, same run: ${bare.toFixed(3)} ms`);
}
