import type { DockerfileRule, DockerfileRuleContext } from '../../server/src/engine/rule';
import type { ParsedCommand, Script } from './shared';
import { runScripts, scriptSpan, commandsOf } from './shared';

const DOWNLOADERS = /^(?:curl|wget|fetch|iwr|irm|invoke-webrequest|invoke-restmethod)$/i;
const SHELLS = /^(?:sh|bash|zsh|dash|ash|ksh|mksh|fish)$/;
const INTERPRETERS = /^(?:python[\d.]*|perl[\d.]*|ruby[\d.]*|node(?:js)?|php[\d.]*|pwsh|powershell)$/i;
const POWERSHELL_EVAL = /^(?:iex|invoke-expression)$/i;

function base(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Does the interpreter command read its program from standard input? */
export function readsProgramFromStdin(args: string[], shell: boolean): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return true; // `sh -s -- args`: the rest are script arguments
    if (a === '-' || a === '/dev/stdin') return true;
    if (a.startsWith('-')) {
      // `-c` (shells, python), `-e` (perl, ruby, node, not shells), `-m`, `-r` (php): the program is inline.
      if (/^-[a-zA-Z]*c/.test(a) && !a.startsWith('--')) return false;
      if (!shell && /^-(?:[a-zA-Z]*[emrEp]|-eval|-print)/.test(a)) return false;
      if (shell && (a === '-o' || a === '+o')) i++; // `bash -o pipefail`
      continue;
    }
    return false; // a script file: stdin is its data
  }
  return true;
}

/**
 * The substituted download each pattern below holds, as it writes it: a script without one (most
 * of those that name curl or wget, and have a `$(` or a backtick elsewhere) is not scanned with the
 * longer patterns.
 */
const PROCESS_SUBSTITUTED_DOWNLOAD = /<\(\s*(?:curl|wget)\b/;
const SUBSTITUTED_DOWNLOAD = /(?:\$\(|`)\s*(?:curl|wget)\b/;

/**
 * Linear on any script: options are `-[\w./-]+` (characters that cannot start another match, so no
 * two attempts scan the same options) and the substitution's body stops at `<` as well as `)` (with
 * `[^)]*`, every unclosed `<(curl` rescanned the rest of the script: quadratic).
 */
const SUBSTITUTION: readonly { re: RegExp; needs: RegExp }[] = [
  // bash <(curl ...), source <(wget -O- ...)
  {
    re: /(?<![\w./-])(?:(?:\/usr)?\/bin\/)?(?:(?:ba|z|k|da|a)?sh|source|\.|python[\d.]*|perl|ruby|node)\s+(?:-[\w./-]+\s+)*<\(\s*(?:curl|wget)\b[^)<]*\)/g,
    needs: PROCESS_SUBSTITUTED_DOWNLOAD,
  },
  // sh -c "$(curl ...)"
  {
    re: /(?<![\w./-])(?:(?:\/usr)?\/bin\/)?(?:(?:ba|z|k|da|a)?sh|python[\d.]*|perl|ruby|node)\s+(?:-\S+\s+)*-[a-zA-Z]*[ce]\s+["']?(?:\$\(|`)\s*(?:curl|wget)\b[^)`]*[)`]["']?/g,
    needs: SUBSTITUTED_DOWNLOAD,
  },
  // eval "$(curl ...)"
  { re: /(?<![\w./-])eval\s+["']?(?:\$\(|`)\s*(?:curl|wget)\b[^)`]*[)`]["']?/g, needs: SUBSTITUTED_DOWNLOAD },
];

/**
 * What any substitution finding needs: the patterns' own `needs`, each listed once (so a pattern
 * added above cannot be missed here). A script without one has no substitution finding, as the loop
 * below tests each pattern's `needs` before its pattern.
 */
const SUBSTITUTION_NEEDS: readonly RegExp[] = [...new Set(SUBSTITUTION.map((s) => s.needs))];

function mayHaveSubstitution(text: string): boolean {
  for (let k = 0; k < SUBSTITUTION_NEEDS.length; k++) if (SUBSTITUTION_NEEDS[k].test(text)) return true;
  return false;
}

const PIPE = /\|/;

/** Whether `[from, to)` overlaps a span already reported (kept as flat pairs). */
function overlaps(seen: readonly number[], from: number, to: number): boolean {
  for (let k = 0; k < seen.length; k += 2) if (from < seen[k + 1] && to > seen[k]) return true;
  return false;
}

/**
 * Reports what the script pipes or substitutes into a shell. Out of `check`, so V8 optimises this
 * per-script work on its own instead of `check` whole with the shell reader it reaches. Regex tests,
 * not `includes`, gate it: compiled code calling `includes` on the script text checks the string's
 * map, and the scripts' texts come in several (flat, sliced, joined), which threw the compiled code away.
 */
function scriptFindings(ctx: DockerfileRuleContext, script: Script): void {
  const text = script.text;
  // Every substitution pattern needs its `needs`, and a pipe needs a `|`: most RUNs have neither,
  // and skipping them changes no answer.
  const substituted = mayHaveSubstitution(text);
  const pipes = PIPE.test(text);
  if (!substituted && !pipes) return;
  /** Reported spans, so that a pipe inside a reported substitution is not reported twice. */
  const seen: number[] = [];
  if (substituted) {
    for (let k = 0; k < SUBSTITUTION.length; k++) {
      const { re, needs } = SUBSTITUTION[k];
      if (!needs.test(text)) continue;
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const from = m.index;
        const to = m.index + m[0].length;
        if (overlaps(seen, from, to)) continue;
        seen.push(from, to);
        ctx.report({
          at: scriptSpan(script, from, to),
          message: 'A downloaded script is executed without verification. Download it to a file, check its sha256 checksum or signature, then run it.',
        });
      }
    }
  }
  // Without a `|` no command ends in a pipe: the loop would find nothing.
  if (!pipes) return;
  const cmds = commandsOf(script);
  for (let i = 0; i < cmds.length; i++) {
    if (cmds[i].next !== '|') continue;
    const ws = cmds[i].words;
    const p = cmds[i].program;
    if (p >= ws.length || !DOWNLOADERS.test(base(ws[p].value))) continue;
    pipedInto(ctx, script, cmds, i, seen);
  }
}

/** The command a download `cmds[i]` pipes into, when it runs the download as a program. */
function pipedInto(ctx: DockerfileRuleContext, script: Script, cmds: readonly ParsedCommand[], i: number, seen: number[]): void {
  const ws = cmds[i].words;
  const p = cmds[i].program;
  for (let j = i + 1; j < cmds.length; j++) {
    const ws2 = cmds[j].words;
    const q = cmds[j].program;
    if (q < ws2.length) {
      const prog = base(ws2[q].value);
      // Past another download the pipe carries that one's output, which its own pass checks
      // (walking on from every download made `curl … | curl … | …` quadratic).
      if (DOWNLOADERS.test(prog)) return;
      const isShell = SHELLS.test(prog);
      const code =
        POWERSHELL_EVAL.test(prog) ||
        ((isShell || INTERPRETERS.test(prog)) &&
          readsProgramFromStdin(
            ws2.slice(q + 1).map((w) => w.value),
            isShell,
          ));
      if (code) {
        const from = cmds[i].start + ws[p].start;
        const to = cmds[j].start + ws2[q].end;
        if (overlaps(seen, from, to)) return;
        seen.push(from, to);
        ctx.report({
          at: scriptSpan(script, from, to),
          message: `The output of ${ws[p].value} is piped into ${ws2[q].value} and executed without verification. Download it to a file, check its sha256 checksum or signature, then run it.`,
        });
        return;
      }
    }
    if (cmds[j].next !== '|') return;
  }
}

export const dockerfileCurlPipeShell: DockerfileRule = {
  id: 'dockerfile-curl-pipe-shell',
  language: 'dockerfile',
  title: 'Remote script piped into a shell',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'A `RUN` downloads a script and executes it straight away: `curl … | sh`, `wget -O- … | bash`, ' +
    '`bash <(curl …)`, `sh -c "$(curl …)"`, `iwr … | iex`. Whatever the server (or anyone who can tamper with ' +
    "it, or with DNS or TLS on the way) returns that day runs with the build's privileges, nothing verifies " +
    'it, and the software it installs is invisible to package-based scanners. It matters in builder stages ' +
    'too: their output is copied into the image. Pipes that feed data to an inline program ' +
    '(`curl … | python3 -c "import json…"`) are not flagged.',
  remediation:
    'Download to a file, verify it against a pinned checksum or signature, then run it: ' +
    '`curl -fsSLo install.sh https://… && echo "<sha256>  install.sh" | sha256sum -c - && sh install.sh`. ' +
    'Better, install a pinned release from a package manager or `ADD --checksum=sha256:…`.',
  references: ['semgrep:curl-pipe-bash'],
  fixes: [],
  recommended: true,
  check(ctx) {
    const runs = runScripts(ctx.dockerfile);
    for (let r = 0; r < runs.length; r++) scriptFindings(ctx, runs[r].script);
  },
};
