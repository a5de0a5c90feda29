import type { DockerfileRule, DockerfileRuleContext } from '../../server/src/engine/rule';
import type { Script } from './shared';
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
 * Reports what the script pipes or substitutes into a shell. Out of `check`, so V8 optimises this
 * per-script work on its own instead of `check` whole with the shell reader it reaches.
 */
function scriptFindings(ctx: DockerfileRuleContext, script: Script): void {
  const text = script.text;
  // Every substitution pattern names curl or wget literally and holds its `needs`, and a pipe
  // needs a `|`: most RUNs have neither, and skipping them changes no answer.
  const downloads = text.includes('curl') || text.includes('wget');
  const pipes = text.includes('|');
  if (!downloads && !pipes) return;
  const seen: [number, number][] = [];
  const report = (from: number, to: number, message: string): void => {
    if (seen.some(([a, b]) => from < b && to > a)) return;
    seen.push([from, to]);
    ctx.report({ at: scriptSpan(script, from, to), message });
  };
  for (const { re, needs } of downloads ? SUBSTITUTION : []) {
    if (!needs.test(text)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      report(
        m.index,
        m.index + m[0].length,
        'A downloaded script is executed without verification. Download it to a file, check its sha256 checksum or signature, then run it.',
      );
    }
  }
  const cmds = pipes ? commandsOf(script) : [];
  for (let i = 0; i < cmds.length; i++) {
    if (cmds[i].next !== '|') continue;
    const ws = cmds[i].words;
    const p = cmds[i].program;
    if (p >= ws.length || !DOWNLOADERS.test(base(ws[p].value))) continue;
    for (let j = i + 1; j < cmds.length; j++) {
      const ws2 = cmds[j].words;
      const q = cmds[j].program;
      if (q < ws2.length) {
        const prog = base(ws2[q].value);
        // Past another download the pipe carries that one's output, which its own pass checks
        // (walking on from every download made `curl … | curl … | …` quadratic).
        if (DOWNLOADERS.test(prog)) break;
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
          report(
            from,
            to,
            `The output of ${ws[p].value} is piped into ${ws2[q].value} and executed without verification. Download it to a file, check its sha256 checksum or signature, then run it.`,
          );
          break;
        }
      }
      if (cmds[j].next !== '|') break;
    }
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
