// Checks the VSIX that `npm run package` built, before any editor installs it:
//   - under 2 MB (E2E_VSIX_MAX_BYTES to change the budget)
//   - only what a user needs: the manifest, the bundles (desktop and browser client and server, security-map viewer), docs, schema, grammar, licence/readme/changelog;
//     no test files, no sources (.ts), no source maps, no node_modules, no examples
//   - package.json's `main` and `browser`, the server bundles they start and the map viewer the webview loads are in it
// Unpacks it to <out>/vsix so the extension-host suite can load exactly these bytes.
// Usage: node test/e2e/check-vsix.mjs [path/to/bulkhead.vsix]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OUT, REPO } from './lib/common.mjs';

const vsix = path.resolve(process.argv[2] || path.join(REPO, 'bulkhead.vsix'));
const MAX = Number(process.env.E2E_VSIX_MAX_BYTES || 2 * 1024 * 1024);
const problems = [];

const size = fs.statSync(vsix).size;
if (size > MAX) problems.push(`VSIX is ${size} bytes, over the ${MAX}-byte budget`);

const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
if (list.status !== 0) throw new Error(`unzip -Z1 ${vsix} failed: ${list.stderr}`);
const entries = list.stdout.split('\n').filter((e) => e && !e.endsWith('/'));

const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/i,
  /^extension\/dist\/(extension|server|browserExtension|browserServer|mapViewer)\.js$/,
  /^extension\/docs\/[\w.-]+\.md$/,
  /^extension\/schemas\/[\w.-]+\.json$/,
  /^extension\/syntaxes\/[\w.-]+\.json$/,
  /^extension\/(icon|images\/[\w.-]+)\.(png|svg)$/,
];
const FORBIDDEN = [
  [/(^|\/)node_modules\//, 'node_modules'],
  [/(^|\/)(test|tests|__tests__|out|e2e)\//, 'test or compiler output folder'],
  [/\.(test|spec)\.[cm]?[jt]s$/, 'test file'],
  [/\.(ts|tsx|mts|cts)$/, 'TypeScript source'],
  [/\.map$/, 'source map'],
  [/(^|\/)(src|server|client|rules|bench|scripts|examples)\//, 'source or example folder'],
  [/\.vsix$/, 'nested VSIX'],
  [/(^|\/)(tsconfig[\w.]*\.json|build\.mjs|package-lock\.json|\.ci\/)/, 'build configuration'],
];
for (const e of entries) {
  const bad = FORBIDDEN.find(([re]) => re.test(e));
  if (bad) problems.push(`${e}: ${bad[1]} must not ship`);
  else if (!ALLOWED.some((re) => re.test(e))) problems.push(`${e}: not on the list of files the VSIX may contain`);
}

const unpacked = path.join(OUT, 'vsix');
fs.rmSync(unpacked, { recursive: true, force: true });
fs.mkdirSync(unpacked, { recursive: true });
const unzip = spawnSync('unzip', ['-q', vsix, '-d', unpacked], { encoding: 'utf8' });
if (unzip.status !== 0) throw new Error(`unzip ${vsix} failed: ${unzip.stderr}`);
const ext = path.join(unpacked, 'extension');
const manifest = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
for (const f of [manifest.main, 'dist/server.js', manifest.browser, 'dist/browserServer.js', 'dist/mapViewer.js']) {
  if (!f || !fs.existsSync(path.join(ext, f))) problems.push(`${f}: needed at run time but missing`);
}
if (/require\(["']vscode-languageclient/.test(fs.readFileSync(path.join(ext, manifest.main), 'utf8'))) {
  problems.push(`${manifest.main} requires vscode-languageclient at run time: it must be bundled (no node_modules ship)`);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`VSIX ${path.relative(REPO, vsix) || vsix}: ${kb(size)} (budget ${kb(MAX)}), ${entries.length} files:`);
for (const e of entries) console.log(`  ${e}`);
if (problems.length) {
  console.error(`VSIX CHECK FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`VSIX CHECK PASS (unpacked to ${path.relative(REPO, unpacked)})`);
