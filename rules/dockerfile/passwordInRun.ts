import type { DockerfileRule } from '../../server/src/engine/rule';
import { runScripts, scriptSpan, commandsOf } from './shared';

/** What a command does to an account's password, if it sets or removes one. */
function passwordChange(program: string, args: string[]): string | undefined {
  switch (program) {
    case 'chpasswd':
      // `-e` takes hashes, which are still a fixed, crackable password shared by every container.
      return 'chpasswd sets account passwords';
    case 'passwd':
      if (args.includes('--stdin')) return 'passwd --stdin sets an account password';
      if (args.some((a) => a === '-d' || a === '--delete')) return 'passwd -d removes the password, so the account logs in without one';
      return undefined;
    case 'useradd':
    case 'usermod':
    case 'adduser':
      if (args.some((a) => a === '-p' || a === '--password' || a.startsWith('--password='))) return `${program} -p sets an account password hash`;
      return undefined;
    default:
      return undefined;
  }
}

/** The programs passwordChange reads (keep in step with its `switch`). */
const PASSWORD_PROGRAMS = new Set(['chpasswd', 'passwd', 'useradd', 'usermod', 'adduser']);

/**
 * Text each of those programs' names holds (`chpasswd` holds `passwd`): a script without any runs
 * none of them. One regex pass over the script rather than an `includes` per name.
 */
const PASSWORD_PROGRAM_WORDS = /passwd|useradd|usermod|adduser/;

export const dockerfilePasswordInRun: DockerfileRule = {
  id: 'dockerfile-password-in-run',
  language: 'dockerfile',
  title: 'Account password set in the image',
  category: 'dockerfile',
  severity: 'warning',
  description:
    '`chpasswd`, `passwd --stdin`, `useradd -p` or `usermod -p` in a RUN give an account of the image a password ' +
    'written in the Dockerfile: it is in the build history, every container of the image shares it, and it ' +
    'invites SSH or `su` into containers. `passwd -d` is worse: the account needs no password at all. Locking ' +
    'an account (`passwd -l`) is not flagged.',
  remediation: 'Do not give container accounts passwords: run as a non-root USER, and use `kubectl exec` or `docker exec` to get in.',
  references: ['checkov:CKV2_DOCKER_17'],
  fixes: [],
  recommended: true,
  check(ctx) {
    for (const { script } of runScripts(ctx.dockerfile)) {
      // Most RUNs name none of these programs: skip splitting them.
      if (!PASSWORD_PROGRAM_WORDS.test(script.text)) continue;
      for (const cmd of commandsOf(script)) {
        const ws = cmd.words;
        const p = cmd.program;
        if (p >= ws.length) continue;
        const program = ws[p].value.slice(ws[p].value.lastIndexOf('/') + 1);
        // passwordChange answers only for these: the arguments of other commands are not copied.
        if (!PASSWORD_PROGRAMS.has(program)) continue;
        const what = passwordChange(
          program,
          ws.slice(p + 1).map((w) => w.value),
        );
        if (!what) continue;
        ctx.report({
          at: scriptSpan(script, cmd.start + ws[p].start, cmd.start + ws[p].end),
          message: `${what} in the image: the password is in the Dockerfile and its history, and every container shares it. Leave container accounts without passwords and use exec to get in.`,
        });
      }
    }
  },
};
