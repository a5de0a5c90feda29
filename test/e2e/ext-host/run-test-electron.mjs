// Layer 2 in desktop VS Code: the same suite (suite/index.js, the @vscode/test-electron run() contract) and the
// same sessions as run-code-server.mjs, through @vscode/test-electron. It downloads VS Code from
// update.code.visualstudio.com, so it only works where that host is reachable (not on the offline CI machine,
// where it fails at once with ENOTFOUND: run-code-server.mjs is the offline equivalent).
//
// Usage: npm run package && node test/e2e/check-vsix.mjs && node test/e2e/ext-host/run-test-electron.mjs
// env: VSCODE_VERSION (default stable), E2E_EXT_DEV (default: the unpacked VSIX), E2E_MODES, E2E_OUT
// On Linux without a display, run it under xvfb-run.
import fs from 'node:fs';
import path from 'node:path';
import { E2E_DIR, logger, OUT, USER_SETTINGS } from '../lib/common.mjs';
import { prepareSessions } from './expectations.mjs';

const log = logger('test-electron');
const { runTests } = await import('@vscode/test-electron');
const EXT_DEV = path.resolve(process.env.E2E_EXT_DEV || path.join(OUT, 'vsix', 'extension'));
const SUITE = path.join(E2E_DIR, 'ext-host', 'suite', 'index.js');
const modes = (process.env.E2E_MODES || 'main,restricted,activation-dockerfile').split(',');

let failed = 0;
for (const session of prepareSessions(modes)) {
  const restricted = session.mode === 'restricted';
  const userData = path.join(OUT, 'test-electron', session.mode);
  fs.rmSync(userData, { recursive: true, force: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const settings = { ...USER_SETTINGS, ...(restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {}) };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  log(`${session.mode}: ${session.workspace}`);
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: EXT_DEV,
      extensionTestsPath: SUITE,
      extensionTestsEnv: { BULKHEAD_E2E_EXPECTED: session.expected },
      cachePath: path.join(OUT, 'vscode-test'),
      launchArgs: [session.workspace, '--disable-extensions', '--user-data-dir', userData, ...(restricted ? [] : ['--disable-workspace-trust'])],
    });
    log(`${session.mode}: passed`);
  } catch (err) {
    failed++;
    console.error(`${session.mode}: FAILED: ${err?.message || err}`);
    if (/ENOTFOUND|fetch failed|ECONNREFUSED|EAI_AGAIN/.test(String(err?.message || err))) {
      console.error('VS Code could not be downloaded (offline?): use run-code-server.mjs, the offline runner of this suite.');
      break;
    }
  }
}
process.exit(failed ? 1 : 0);
