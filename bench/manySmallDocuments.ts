/**
 * Many small documents in one file (10,000 one-Pod documents, as a generated bundle or a `kubectl
 * get -o yaml` dump has): the per-document constant of the engine, as a ratio to a bare parse of the
 * same text, and the whole `bulkhead scan` of that file (a process, as CI runs it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ALL_RULES } from '../rules';
import { ResolvedConfig } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/engine';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';

const DOCUMENTS = 10_000;

function pod(i: number): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: pod-${i}`,
    '  labels:',
    `    app: app-${i % 50}`,
    'spec:',
    '  containers:',
    `    - name: c${i}`,
    `      image: registry.example.com/app-${i % 50}:1.${i % 7}`,
    '      ports:',
    `        - containerPort: ${8000 + (i % 100)}`,
    '',
  ].join('\n');
}

function timed(body: () => void): number {
  const start = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function manySmallDocumentsBench(root: string): void {
  const text = Array.from({ length: DOCUMENTS }, (_, i) => pod(i)).join('---\n');
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}));
  const bare = Math.min(...[0, 1, 2].map(() => timed(() => parseAllDocuments(text))));
  const lint = Math.min(...[0, 1, 2].map(() => timed(() => engine.lint('/bench/pods.yaml', text, { index: new WorkspaceIndex() }))));
  console.log(`Many small documents: ${DOCUMENTS} one-Pod documents in one file (${(text.length / 1048576).toFixed(2)} MB)`);
  console.log(
    `  engine lint (best of 3): ${lint.toFixed(0)} ms, ${((lint / DOCUMENTS) * 1000).toFixed(0)} µs per document; bare parseAllDocuments ${bare.toFixed(0)} ms; ratio ${(lint / bare).toFixed(2)}`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-bench-'));
  try {
    fs.writeFileSync(path.join(dir, 'pods.yaml'), text);
    const cli = timed(() => spawnSync(process.execPath, [path.join(root, 'bin/bulkhead.js'), 'scan', dir, '--format', 'json'], { stdio: 'ignore' }));
    console.log(`  bulkhead scan of the file (whole process, JSON output): ${cli.toFixed(0)} ms; ratio to bare parse ${(cli / bare).toFixed(2)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
