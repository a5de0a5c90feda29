import type { DockerfileRule } from '../../server/src/engine/rule';
import { runScripts, scriptSpan, commandsOf } from './shared';

function subcommand(values: string[], p: number): string | undefined {
  let k = p + 1;
  while (k < values.length && values[k].startsWith('-')) k += values[k] === '-o' || values[k] === '-c' ? 2 : 1;
  return values[k];
}

export const dockerfileAptUpdateAlone: DockerfileRule = {
  id: 'dockerfile-apt-update-alone',
  language: 'dockerfile',
  title: 'Package index updated in a RUN without installing',
  category: 'dockerfile',
  severity: 'info',
  description:
    '`apt-get update` (or `apk update`) runs in a `RUN` that installs nothing. Docker caches that layer, so a ' +
    'later `apt-get install` in another `RUN` keeps using the stale index from the cache: builds install ' +
    'outdated package versions (missing security fixes) or fail when the mirror drops them.',
  remediation: 'Update and install in the same `RUN`: `RUN apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*`.',
  references: ['trivy:DS-0017', 'checkov:CKV_DOCKER_5'],
  fixes: [],
  recommended: false,
  check(ctx) {
    for (const { script } of runScripts(ctx.dockerfile)) {
      let update: { from: number; to: number; tool: string } | undefined;
      let installs = false;
      for (const cmd of commandsOf(script)) {
        const ws = cmd.words;
        const p = cmd.program;
        if (p >= ws.length) continue;
        const prog = ws[p].value.slice(ws[p].value.lastIndexOf('/') + 1);
        const values = ws.map((w) => w.value);
        const sub = subcommand(values, p);
        if (prog === 'apt-get' || prog === 'apt' || prog === 'apk' || prog === 'aptitude') {
          if (sub === 'update' && !update) {
            const subWord = ws[values.indexOf('update', p + 1)];
            update = { from: cmd.start + ws[p].start, to: cmd.start + subWord.end, tool: prog };
          } else if (sub && /^(?:install|add|upgrade|dist-upgrade|full-upgrade|build-dep|source|download|fix)$/.test(sub)) installs = true;
        } else if (/^(?:apt-cache|apt-file|add-apt-repository|dpkg|apk-tools|install_packages|eatmydata)$/.test(prog) || /install/.test(prog)) {
          installs = true; // apt-cache policy/search uses the index; helper scripts install
        }
      }
      if (update && !installs) {
        ctx.report({
          at: scriptSpan(script, update.from, update.to),
          message: `${update.tool} update in a RUN that installs nothing: the cached index goes stale. Update and install in the same RUN.`,
        });
      }
    }
  },
};
