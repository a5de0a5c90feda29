import type { DockerfileRule } from '../../server/src/engine/rule';
import { runScripts, scriptSpan, shippedStages, commandsOf } from './shared';

export const dockerfileAptNoInstallRecommends: DockerfileRule = {
  id: 'dockerfile-apt-no-install-recommends',
  language: 'dockerfile',
  title: 'apt-get install without --no-install-recommends',
  category: 'dockerfile',
  severity: 'info',
  description:
    '`apt-get install` without `--no-install-recommends` also installs every package the requested ones merely ' +
    'recommend: more size, more CVEs to triage, more tools for an attacker. Only stages that ship are checked; ' +
    'a RUN that sets `APT::Install-Recommends` false, or an earlier apt configuration that does, is not flagged.',
  remediation:
    'Add `--no-install-recommends` and list what you need explicitly (often `ca-certificates` for HTTPS, ' + 'which `curl` and `openssl` only recommend).',
  references: ['hadolint:DL3015', 'trivy:DS-0029', 'semgrep:missing-no-install-recommends', 'dockerlinter:ER0010'],
  fixes: [{ title: 'Add --no-install-recommends', applicability: 'unsafe' }],
  recommended: false,
  check(ctx) {
    const model = ctx.dockerfile;
    // An apt.conf snippet that turns recommends off for the whole build.
    if (/APT::Install-Recommends\s*"?(?:false|0)/i.test(model.text)) return;
    for (const { script } of runScripts(model, shippedStages(model))) {
      for (const cmd of commandsOf(script)) {
        const ws = cmd.words;
        const p = cmd.program;
        if (p >= ws.length || !/^(?:apt-get|apt)$/.test(ws[p].value.slice(ws[p].value.lastIndexOf('/') + 1))) continue;
        const values = ws.map((w) => w.value);
        let k = p + 1;
        while (k < ws.length && values[k].startsWith('-')) k += values[k] === '-o' ? 2 : 1;
        if (values[k] !== 'install') continue;
        // Simulation only. `-[a-zA-Z]*s[a-zA-Z]*` as one regex is quadratic on `-sss…s!`: letters, then an `s`.
        if (values.some((v) => /^(?:-s|--simulate|--dry-run|--just-print|--no-act|--recon)$/.test(v) || (/^-[a-zA-Z]+$/.test(v) && v.includes('s')))) continue;
        if (values.some((v) => v === '--no-install-recommends' || /^APT::Install-Recommends=(?:false|0)$/i.test(v))) continue;
        const install = ws[k];
        const span = scriptSpan(script, cmd.start + install.start, cmd.start + install.end);
        ctx.report({
          at: scriptSpan(script, cmd.start + ws[p].start, cmd.start + install.end),
          message: `${values[p]} install without --no-install-recommends also installs recommended packages the image does not need.`,
          fixes: [
            {
              title: 'Add --no-install-recommends',
              // Dropping recommends can drop something the image relies on (e.g. ca-certificates).
              applicability: 'unsafe',
              edits: () => [{ start: span.end, end: span.end, newText: ' --no-install-recommends' }],
            },
          ],
        });
      }
    }
  },
};
