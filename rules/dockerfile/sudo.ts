import type { DockerfileRule, DockerfileRuleContext } from '../../server/src/engine/rule';
import type { Script } from './shared';
import { SHELL_KEYWORDS, keyword, runScripts, scriptOf, scriptSpan, shippedStages, commandsOf } from './shared';

/** Read for every command: kept here rather than written in the loop, which makes a new object per pass. */
const ASSIGNMENT = /^\w+=/;
const SUDO = /^(?:\/usr\/bin\/)?sudo$/;
/**
 * `sudo` as a script's text can spell it. A word's value is its text with the quotes that delimit
 * its parts removed (`su"do"`, `'sudo'`; backslashes and variables are kept as written), so a word
 * whose value is `sudo` or ends in it has these letters in its text with only quotes between them.
 */
const SUDO_SPELT = /s["']*u["']*d["']*o/;

/**
 * Reports each command of the script that runs sudo. Out of `check`, which V8 otherwise optimised
 * whole (with the shell reader it reaches) for this loop, and again after a deoptimisation.
 */
function runsSudo(ctx: DockerfileRuleContext, script: Script): void {
  const cmds = commandsOf(script);
  for (let c = 0; c < cmds.length; c++) {
    const cmd = cmds[c];
    const ws = cmd.words;
    let i = 0;
    // (An assignment has its `=` past the first character: most words do not, and skip the regex.)
    while (i < ws.length && ((ws[i].value.indexOf('=') > 0 && ASSIGNMENT.test(ws[i].value)) || SHELL_KEYWORDS.has(ws[i].value))) i++;
    if (i < ws.length && ws[i].value.endsWith('sudo') && SUDO.test(ws[i].value)) {
      ctx.report({
        at: scriptSpan(script, cmd.start + ws[i].start, cmd.start + ws[i].end),
        message: 'sudo in RUN: run this step before USER switches away from root (or under USER root) instead of relying on sudo in the image.',
      });
    }
  }
}

export const dockerfileSudo: DockerfileRule = {
  id: 'dockerfile-sudo',
  language: 'dockerfile',
  title: 'sudo in the image',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'The shipped image runs `sudo` (in `RUN`, `CMD` or `ENTRYPOINT`) or grants passwordless sudo in ' +
    '`/etc/sudoers` (`NOPASSWD: ALL`). Build steps already run as the current `USER`, so `sudo` in a `RUN` means ' +
    'the image relies on a setuid binary and a sudoers policy; and a runtime user that can `sudo` is root in ' +
    'all but name, which defeats `USER` and `runAsNonRoot`. Builder stages are not checked: they do not ship. ' +
    'Installing the `sudo` package alone is not flagged.',
  remediation:
    'Run the privileged steps before switching `USER` (or switch back with `USER root` for them) and drop ' +
    '`sudo` and its sudoers entries from the final image. If the entrypoint must drop privileges, use `gosu`, ' +
    '`su-exec` or `setpriv`.',
  references: ['hadolint:DL3004', 'trivy:DS-0010', 'checkov:CKV2_DOCKER_1', 'semgrep:no-sudo-in-dockerfile', 'dockerlinter:ER0004'],
  fixes: [],
  recommended: true,
  check(ctx) {
    const model = ctx.dockerfile;
    const stages = shippedStages(model);
    const runs = runScripts(model, stages);
    for (let r = 0; r < runs.length; r++) {
      const script = runs[r].script;
      // Every command runsSudo reports runs a word whose value ends in `sudo`: a script that cannot
      // spell it (nearly all) is not walked command by command.
      if (SUDO_SPELT.test(script.text)) runsSudo(ctx, script);
      // Every match holds NOPASSWD: a script without it is not scanned.
      if (!script.text.includes('NOPASSWD')) continue;
      const re = /\bNOPASSWD\s*:\s*ALL\b/g;
      for (let m = re.exec(script.text); m; m = re.exec(script.text)) {
        if (!/sudoers/.test(script.text)) break;
        ctx.report({
          at: scriptSpan(script, m.index, m.index + m[0].length),
          message: 'Passwordless sudo for everything (NOPASSWD: ALL) makes the image user root in all but name: drop the sudoers entry.',
        });
      }
    }
    for (let s = 0; s < stages.length; s++) {
      const instrs = stages[s].instructions;
      for (let i = 0; i < instrs.length; i++) {
        const instr = instrs[i];
        const kw = keyword(instr);
        if (kw !== 'CMD' && kw !== 'ENTRYPOINT') continue;
        const script = scriptOf(model, instr);
        if (!script) continue;
        // Exec form reads as its command line too (`["sudo", "app"]` is `sudo app`).
        const m = /^\s*((?:\/usr\/bin\/)?sudo)\b/.exec(script.text);
        if (!m) continue;
        const start = m.index + m[0].indexOf(m[1]);
        ctx.report({
          at: scriptSpan(script, start, start + m[1].length),
          message: `${kw} starts the container through sudo: the runtime user can become root. Start it as the right user instead (USER, or gosu/su-exec/setpriv).`,
        });
      }
    }
  },
};
