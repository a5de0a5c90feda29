// `npm run package`: builds bulkhead.vsix from a staging folder. The VSIX and the npm package ship
// different files (the extension's two bundles vs the CLI), and vsce refuses a `.vscodeignore` next to
// package.json's `files` (the npm list), so the VSIX is packed from a copy of exactly what it ships,
// with a manifest without `files` and `bin`, filtered once more by `.vscodeignore`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAGE = path.join(ROOT, 'out', 'vsix-stage');
const SHIPPED = [
  '.vscodeignore',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'dist/extension.js',
  'dist/server.js',
  'dist/browserExtension.js',
  'dist/browserServer.js',
  'dist/mapViewer.js',
  'schemas',
  'syntaxes',
  'docs/rules.md',
];

fs.rmSync(STAGE, { recursive: true, force: true });
fs.mkdirSync(STAGE, { recursive: true });
for (const rel of SHIPPED) fs.cpSync(path.join(ROOT, rel), path.join(STAGE, rel), { recursive: true });
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
delete manifest.files;
delete manifest.bin;
fs.writeFileSync(path.join(STAGE, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
const out = path.join(ROOT, 'bulkhead.vsix');
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out, ...process.argv.slice(2)], { cwd: STAGE, stdio: 'inherit' });
process.exitCode = r.status ?? 1;
