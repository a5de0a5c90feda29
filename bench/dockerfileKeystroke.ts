/**
 * A keystroke in a large Dockerfile, as the editor pays it: the corpus's largest Dockerfile
 * (buildkit's, about 20 KB) opened in the real language server over stdio, then characters typed
 * into one RUN line once the server has indexed the folder; each is timed from didChange to its
 * diagnostics. The figure is the median of the keystrokes after the first WARM_UP ones, a user
 * typing in the file: the first keystrokes after opening also pay the JIT compiling the rules'
 * code, once per server process (printed beside it, as the first keystroke's time). Printed with
 * the bare dockerfile-ast parse of the same text (the library as published) for scale.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { withoutArgumentCache } from '../server/src/documents/dockerfileAstCache';
import { LspClient } from '../test/support/lspClient';
import { median } from './median';

interface BenchFile {
  path: string;
  text: string;
}

const WARM_UP = 20;
const KEYSTROKES = 40;

export async function dockerfileKeystrokeBench(root: string, dockerfiles: readonly BenchFile[]): Promise<void> {
  const file = [...dockerfiles].sort((a, b) => b.text.length - a.text.length)[0];
  if (!file) return;
  const lines = file.text.split('\n');
  // Inside the first long RUN line: an edit that changes no other instruction.
  const line = lines.findIndex((l) => /^RUN\s/.test(l) && l.length > 20);
  if (line < 0) return;
  const character = lines[line].length;
  const bareTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    withoutArgumentCache(() => DockerfileParser.parse(file.text));
    bareTimes.push(performance.now() - t0);
  }
  const server = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const client = new LspClient(server);
  try {
    // Typing starts once the server has indexed the folder in the background (it logs when done),
    // so the keystrokes measure an editor at rest, not one still reading the workspace.
    const isIndexedLog = (m: { method?: string; params?: unknown }) =>
      m.method === 'window/logMessage' && String((m.params as { message?: unknown })?.message).startsWith('Bulkhead indexed');
    const indexed = client.waitFor(isIndexedLog, 120_000).catch(() => undefined);
    await client.initialize(path.dirname(file.path), { debounceMs: 0 });
    const uri = `file://${file.path}`;
    const opened = client.waitForDiagnostics(uri, 1);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: file.text } });
    await opened;
    await indexed;
    const times: number[] = [];
    for (let version = 2; version < 2 + WARM_UP + KEYSTROKES; version++) {
      const at = { line, character: character + version - 2 };
      const t0 = performance.now();
      const changed = client.waitForDiagnostics(uri, version);
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: 'x' }] });
      await changed;
      times.push(performance.now() - t0);
    }
    const first = times[0];
    const keystroke = median(times.slice(WARM_UP));
    console.log(
      `  keystroke in ${path.relative(path.dirname(root), file.path)} (${(file.text.length / 1024).toFixed(0)} KB, line ${line + 1}) -> diagnostics over stdio, median of ${KEYSTROKES} after ${WARM_UP} typed: ${keystroke.toFixed(1)} ms   (target < 10 ms; the first keystroke after opening ${first.toFixed(1)} ms); bare dockerfile-ast parse of it ${median(bareTimes).toFixed(1)} ms`,
    );
    await client.shutdown();
  } finally {
    server.kill();
  }
}
