// Entry point the extension host loads when the workbench starts with extensionTestsPath: the
// @vscode/test-electron `run()` contract, so the same suite runs in code-server (run-code-server.mjs, offline)
// and in desktop VS Code (run-test-electron.mjs, where VS Code can be downloaded).
// CommonJS and not compiled: `npm test` only runs out/test/**/*.test.js, and tsconfig.test.json excludes test/e2e.
const path = require('path');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60000, color: false, reporter: 'spec' });
  mocha.addFile(path.resolve(__dirname, 'bulkhead.e2e.js'));
  const grep = process.env.BULKHEAD_E2E_GREP;
  if (grep) mocha.grep(grep);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`MOCHA_DONE failures=${failures}`);
      if (failures) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
  });
};
