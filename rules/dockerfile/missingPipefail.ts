import type { DockerfileRule } from '../../server/src/engine/rule';
import type { Stage } from '../../server/src/documents/dockerfile';
import { type ParsedCommand, argumentsText, commandsOf, escapeCharacter, keyword, runScripts, scriptSpan } from './shared';

/**
 * `set … pipefail` within one simple command. Checked command by command: as one regex
 * (`/\bset\s[^;&|\n]*\bpipefail\b/`) every `set` rescans to the end of its command (quadratic
 * on `set set set …`).
 */
function setsPipefail(text: string): boolean {
  return text.split(/[;&|\n]/).some((cmd) => {
    const set = cmd.search(/\bset\s/);
    return set >= 0 && /\bpipefail\b/.test(cmd.slice(set + 4));
  });
}

const WINDOWS_BASE = /windows|nanoserver|servercore|mcr\.microsoft\.com\/(?:dotnet\/framework|powershell)/i;

function rootBase(stage: Stage): string | undefined {
  let s = stage;
  for (let hops = 0; s.parent && hops < 64; hops++) s = s.parent;
  return s.baseImage;
}

/** Producers that cannot fail in a way the pipe would hide. */
const INFALLIBLE = /^(?:echo|printf|yes|true|:|set|cat)$/;
/** Consumers that fail on empty or truncated input anyway. */
const CHECKERS = /^(?:sha\d*sum|md5sum|b2sum|cksum)$/;

function program(cmd: ParsedCommand): { name: string; args: string[] } | undefined {
  const ws = cmd.words;
  const p = cmd.program;
  if (p >= ws.length) return undefined;
  return { name: ws[p].value.slice(ws[p].value.lastIndexOf('/') + 1), args: ws.slice(p + 1).map((w) => w.value) };
}

/** Offset of the first pipe whose failure would go unnoticed, if any. */
function firstRiskyPipe(cmds: readonly ParsedCommand[]): number | undefined {
  for (let i = 0; i < cmds.length; i++) {
    if (cmds[i].next !== '|' || (i > 0 && cmds[i - 1].next === '|')) continue;
    let j = i;
    while (j < cmds.length - 1 && cmds[j].next === '|') j++;
    const last = program(cmds[j]);
    if (last && CHECKERS.test(last.name) && last.args.some((a) => a === '-c' || a === '--check' || (/^-\w+$/.test(a) && a.includes('c')))) continue;
    for (let k = i; k < j; k++) {
      const prog = program(cmds[k]);
      // `cat file` can fail, but `cat <<EOF` cannot; a group `{ echo …; } |` is a printed file.
      const harmless = !prog || (INFALLIBLE.test(prog.name) && !(prog.name === 'cat' && prog.args.some((a) => !a.startsWith('<') && !a.startsWith('-'))));
      if (!harmless) return cmds[k].start + cmds[k].text.length;
    }
  }
  return undefined;
}

/** The shell of `stage` at the given instruction line: pipefail set via SHELL, or a non-POSIX shell. */
function shellHandles(stage: Stage, line: number): boolean {
  for (let s: Stage | undefined = stage, hops = 0; s && hops < 64; s = s.parent, hops++) {
    const shells = s.instructions.filter((i) => keyword(i) === 'SHELL' && (s !== stage || i.getRange().start.line < line));
    const last = shells[shells.length - 1];
    if (last) {
      const args = argumentsText(last) ?? '';
      return /pipefail/.test(args) || /pwsh|powershell|cmd(?:\.exe)?"/i.test(args);
    }
  }
  return false;
}

export const dockerfileMissingPipefail: DockerfileRule = {
  id: 'dockerfile-missing-pipefail',
  language: 'dockerfile',
  title: 'RUN with a pipe and no pipefail',
  category: 'dockerfile',
  severity: 'info',
  description:
    'A shell-form `RUN` pipes commands (`curl … | tar x`, `wget -O- … | gpg --dearmor`) without `pipefail`. ' +
    "The step's exit status is that of the last command, so a failed download goes unnoticed and the build " +
    'continues with a missing or truncated file. Steps that `set -o pipefail` first, stages with a `SHELL` ' +
    'that sets it, PowerShell stages and exec-form `RUN` are not flagged.',
  remediation:
    'Add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the `RUN` (Alpine/busybox: `["/bin/ash", "-eo", ' +
    '"pipefail", "-c"]`), or start the step with `set -o pipefail &&`.',
  references: ['hadolint:DL4006', 'semgrep:set-pipefail', 'dockerlinter:ER0001'],
  fixes: [],
  recommended: false,
  check(ctx) {
    // Windows images run RUN under cmd.exe or PowerShell, which have no pipefail.
    const windows = escapeCharacter(ctx.dockerfile) === '`';
    const runs = runScripts(ctx.dockerfile);
    for (let r = 0; r < runs.length; r++) {
      const { stage, script } = runs[r];
      // Without a `|` in the script no command is piped (most RUNs): nothing below can find one.
      if (!script.text.includes('|')) continue;
      if (windows || WINDOWS_BASE.test(rootBase(stage) ?? '')) continue;
      if (script.exec) continue;
      if (shellHandles(stage, script.instr.getRange().start.line)) continue;
      const cmds = commandsOf(script);
      const pipeAt = firstRiskyPipe(cmds);
      if (pipeAt === undefined) continue;
      if (setsPipefail(script.text.slice(0, pipeAt))) continue;
      ctx.report({
        at: scriptSpan(script, pipeAt, pipeAt + 1),
        message: 'This pipe hides failures of the commands before it: set -o pipefail (or a SHELL with -o pipefail) so a failed step fails the build.',
      });
    }
  },
};
