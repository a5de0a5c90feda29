/**
 * Names from the file that are also names of Object.prototype (`kind: constructor`, a label
 * `__proto__`, `FROM constructor`) must never find the prototype's members in a lookup table: that
 * crashed a whole scan once (`kind: constructor` found Object's constructor as a pod-spec path). Every
 * example of the repository is rewritten so that its names, values, label keys and kinds are such
 * names, and every command runs over the result: no internal error, no rule failing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { isMap, isScalar, isSeq, parseAllDocuments, type Node, visit } from 'yaml';
import { ALL_RULES } from '../../rules';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { chartDetector, helmChartLoader } from '../../server/src/node/files';
import { ConfigResolver } from '../../server/src/service/configResolver';
import { BulkheadLanguageService } from '../../server/src/service/languageService';
import { REPO_ROOT } from '../support/paths';
import { removeWorkspace, tempWorkspace } from '../support/tempWorkspace';

const BIN = path.join(REPO_ROOT, 'bin', 'bulkhead.js');
const PROTO = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
  'length',
  'prototype',
];
/** Maps whose keys are the file's own names (labels, data, values), not the schema's. */
const NAME_MAPS = new Set(['labels', 'annotations', 'matchLabels', 'selector', 'nodeSelector', 'data', 'stringData', 'extraArgs', 'env']);

function examples(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[path.relative(path.join(REPO_ROOT, 'examples'), p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(path.join(REPO_ROOT, 'examples'));
  return out;
}

/** Every string value (apiVersion and kind kept, so rules still recognise the objects) replaced by a prototype name. */
function valuesRenamed(text: string): string {
  let n = 0;
  return parseAllDocuments(text)
    .map((doc) => {
      visit(doc, {
        Pair(_, pair) {
          const key = isScalar(pair.key) ? String(pair.key.value) : '';
          if (key === 'apiVersion' || key === 'kind') return visit.SKIP;
          if (isScalar(pair.value) && typeof pair.value.value === 'string') pair.value.value = PROTO[n++ % PROTO.length];
          return undefined;
        },
        Seq(_, seq) {
          for (const item of seq.items) if (isScalar(item) && typeof item.value === 'string') item.value = PROTO[n++ % PROTO.length];
        },
      });
      return doc.toString();
    })
    .join('');
}

/** The keys of label, annotation, data and values maps, and `kind`, replaced by prototype names. */
function keysRenamed(text: string, allKeys: boolean): string {
  return parseAllDocuments(text)
    .map((doc) => {
      visit(doc, {
        Pair(_, pair) {
          const key = isScalar(pair.key) ? String(pair.key.value) : '';
          if (key === 'kind' && isScalar(pair.value)) pair.value.value = 'constructor';
          const renameIn = (node: Node | null): void => {
            if (!isMap(node)) return;
            node.items.forEach((p, i) => {
              if (i < PROTO.length && isScalar(p.key)) p.key.value = PROTO[i];
            });
          };
          if (NAME_MAPS.has(key)) renameIn(pair.value as Node);
          if (key === 'env' && isSeq(pair.value))
            for (const item of pair.value.items) if (isMap(item) && isScalar(item.get('name', true))) item.set('name', '__proto__');
          return undefined;
        },
      });
      if (allKeys && isMap(doc.contents)) {
        doc.contents.items.forEach((p, i) => {
          if (i < PROTO.length && isScalar(p.key)) p.key.value = PROTO[i];
        });
      }
      return doc.toString();
    })
    .join('');
}

const DOCKERFILE = [
  'ARG constructor=__proto__',
  'FROM constructor AS __proto__',
  'ARG toString',
  'ENV hasOwnProperty=valueOf __proto__=constructor',
  'LABEL constructor=__proto__',
  'USER constructor',
  'EXPOSE constructor',
  'RUN constructor __proto__ && toString --valueOf=hasOwnProperty',
  'FROM __proto__',
  'COPY --from=constructor /constructor /__proto__',
  'ONBUILD constructor __proto__',
  'constructor __proto__',
  'HEALTHCHECK --interval=constructor CMD __proto__',
  'CMD ["constructor", "__proto__"]',
  '',
].join('\n');

const dirs: string[] = [];
after(() => dirs.forEach(removeWorkspace));

function workspaceOf(rename: (file: string, text: string) => string): string {
  const files: Record<string, string> = {};
  for (const [file, text] of Object.entries(examples())) {
    let renamed = text;
    if (/\.ya?ml$/.test(file) && !file.includes('templates/')) {
      try {
        renamed = rename(file, text);
      } catch {
        renamed = text;
      }
    }
    files[file] = renamed;
  }
  files['docker/proto/Dockerfile'] = DOCKERFILE;
  files['docker/proto/constructor.Dockerfile'] = DOCKERFILE.replace('FROM constructor AS __proto__', 'FROM golang:1.22 AS constructor');
  const root = tempWorkspace(files);
  dirs.push(root);
  return root;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function assertClean(label: string, r: { status: number | null; stdout: string; stderr: string }): void {
  assert.doesNotMatch(r.stderr, /internal error/, `${label}: ${r.stderr.slice(0, 2000)}`);
  assert.ok(r.status === 0 || r.status === 1, `${label}: exit ${r.status}: ${r.stderr.slice(0, 2000)}`);
}

describe('names that are Object.prototype members', () => {
  const variants: [string, (file: string, text: string) => string][] = [
    ['values renamed', (_f, t) => valuesRenamed(t)],
    ['label, data and values keys renamed, kinds constructor', (f, t) => keysRenamed(t, /values[^/]*\.ya?ml$/.test(f))],
  ];
  for (const [name, rename] of variants) {
    it(`${name}: every command runs without an internal error`, () => {
      const root = workspaceOf(rename);
      const scan = run(['scan', '.', '--profile', 'all', '--format', 'json', '--fail-on', 'never'], root);
      assertClean('scan', scan);
      const report = JSON.parse(scan.stdout) as { errors: { file: string; message: string }[] };
      const bugs = report.errors.filter((e) => /a Bulkhead bug/.test(e.message));
      assert.deepEqual(bugs, [], 'rules failed');
      for (const args of [
        ['map', '.', '--format', 'json'],
        ['paths', '.', '--format', 'json'],
        ['connectivity', '.', '--format', 'json'],
        ['netpol', 'generate', '.'],
        ['sbom', '.'],
      ]) {
        assertClean(args[0], run(args, root));
      }
      // The language server's side: lint every file, hover every line, ask for every code action.
      const resolver = new ConfigResolver(ALL_RULES);
      resolver.setSettings({ profile: 'all' });
      const service = new BulkheadLanguageService(
        resolver,
        new WorkspaceIndex(),
        chartDetector(),
        helmChartLoader(() => [root]),
      );
      const docs = listFiles(root).map((file) => {
        const text = fs.readFileSync(file, 'utf8');
        const languageId = /Dockerfile$/.test(file) ? 'dockerfile' : 'yaml';
        return { uri: `file://${file}`, languageId, version: 1, getText: () => text };
      });
      for (const d of docs) service.lint(d);
      for (const d of docs) {
        const lines = d.getText().split('\n');
        service.lint(d);
        lines.forEach((line, i) => {
          for (const character of [0, Math.floor(line.length / 2), Math.max(0, line.length - 1)]) service.hover(d, { line: i, character });
        });
        service.codeActions(d, { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } });
      }
    });
  }
});
