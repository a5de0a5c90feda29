// Bundles the language server, the CLI, the VS Code client and the benchmark with esbuild.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// `npm pack` / `npm publish` run `prepare`: what goes to the registry is the production build.
const production = process.argv.includes('--production') || ['pack', 'publish'].includes(process.env.npm_command);
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { BULKHEAD_VERSION: JSON.stringify(version) },
  // yaml's ES module build: bundling its CommonJS build wraps the module in esbuild's interop
  // object, whose getter every `isMap`/`isScalar` call goes through (a tenth of the CPU of a
  // 10,000-document file). The ES build is the same code, pure JavaScript.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

// dockerfile-ast is CommonJS and `require`s these two; their package exports hand a bundler their ES
// build (the `module` condition), which esbuild can only give a CommonJS caller through an interop
// object whose every export is a getter: each `Range.create`/`Position.create` of a Dockerfile parse
// was a getter call. Their CommonJS (UMD) build, which Node itself loads, is the same code without it.
const nodeAlias = {
  ...common.alias,
  'vscode-languageserver-types': './node_modules/vscode-languageserver-types/lib/umd/main.js',
  'vscode-languageserver-textdocument': './node_modules/vscode-languageserver-textdocument/lib/umd/main.js',
};
const node = { ...common, alias: nodeAlias };

await Promise.all([
  build({ ...node, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
  build({ ...node, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' }),
  // What bin/bulkhead.js runs: loads dist/cli.js through V8's code cache (server/src/cli/compileCache.ts).
  build({ ...node, entryPoints: ['server/src/cli/launch.ts'], outfile: 'dist/launch.js' }),
  // The thread `bulkhead scan` spreads large scans over; loaded from beside dist/cli.js (and dist/bench.js).
  build({ ...node, entryPoints: ['server/src/cli/scanWorker.ts'], outfile: 'dist/scanWorker.js' }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...node, entryPoints: ['bench/bench.ts'], outfile: 'dist/bench.js' }),
  // The security map's viewer, for the VS Code webview and the HTML report: a browser script, always
  // minified (the report inlines it), no source map (a CSP-locked page could not load one anyway).
  build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    entryPoints: ['client/map/viewer.ts'],
    outfile: 'dist/mapViewer.js',
  }),
  // The browser build of the client (package.json `browser`): a CommonJS module the web extension host loads.
  build({
    ...common,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    entryPoints: ['client/src/browserExtension.ts'],
    outfile: 'dist/browserExtension.js',
    external: ['vscode'],
  }),
  // The language server as a web worker (vscode.dev, github.dev): node:path/url/fs replaced by shims.
  build({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['server/src/browser/server.ts'],
    outfile: 'dist/browserServer.js',
    inject: ['./server/src/browser/shims/buffer.ts'],
    alias: {
      ...common.alias,
      'node:path': './server/src/browser/shims/path.ts',
      'node:url': './server/src/browser/shims/url.ts',
      'node:fs': './server/src/browser/shims/fs.ts',
      'node:crypto': './server/src/browser/shims/crypto.ts',
      'node:zlib': './server/src/browser/shims/zlib.ts',
    },
  }),
]);
