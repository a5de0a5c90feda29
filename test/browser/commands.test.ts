/**
 * The web extension registers fewer commands than the desktop one (the security map, the build SBOM
 * and NetworkPolicy generation need the Node server). A command the palette shows but nothing
 * registers fails with "command not found", so each contributed command is either registered by the
 * browser client (or its server) or hidden from the palette on the web.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const browserClient = readFileSync(join(ROOT, 'client', 'src', 'browserExtension.ts'), 'utf8');
const browserServer = readFileSync(join(ROOT, 'server', 'src', 'browser', 'server.ts'), 'utf8');

/** The context key the web build sets (client/src/browserExtension.ts); `isWeb` is true in code-server too. */
const HIDDEN_ON_THE_WEB = /^!bulkhead\.webExtension$/;

function registeredOnTheWeb(command: string): boolean {
  return browserClient.includes(`registerCommand('${command}'`) || (browserServer.includes('executeCommandProvider') && browserServer.includes(command));
}

describe('commands in the web extension', () => {
  const commands: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command);
  const palette: { command: string; when?: string }[] = manifest.contributes.menus?.commandPalette ?? [];

  it('every contributed command is registered on the web or hidden there', () => {
    const unreachable = commands.filter((c) => !registeredOnTheWeb(c) && !palette.some((m) => m.command === c && HIDDEN_ON_THE_WEB.test(m.when ?? '')));
    assert.deepEqual(unreachable, []);
  });

  it('commands the web build registers are not hidden from it', () => {
    const hidden = palette.filter((m) => HIDDEN_ON_THE_WEB.test(m.when ?? '') && registeredOnTheWeb(m.command)).map((m) => m.command);
    assert.deepEqual(hidden, []);
    assert.ok(palette.length > 0 && commands.some((c) => registeredOnTheWeb(c)));
  });

  it('the web build sets the context key that hides them (and the desktop build does not)', () => {
    assert.match(browserClient, /setContext', WEB_EXTENSION_CONTEXT, true\)/);
    assert.match(browserClient, /WEB_EXTENSION_CONTEXT = 'bulkhead\.webExtension'/);
    assert.doesNotMatch(readFileSync(join(ROOT, 'client', 'src', 'extension.ts'), 'utf8'), /bulkhead\.webExtension/);
  });
});
