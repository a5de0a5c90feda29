import type { Instruction } from 'dockerfile-ast';
import type { DockerfileRule, DockerfileRuleContext } from '../../server/src/engine/rule';
import { propertiesOf } from './secretInArgEnv';
import { argEnvInstructions, keyword, runScripts, ScriptTextAnalysis, scriptSpan, unquote, programName } from './shared';
import type { ParsedCommand } from './shared';

interface Hit {
  from: number;
  to: number;
  message: string;
}

const TLS = 'TLS certificate verification';
const SIG = 'package signature verification';

/** curl short options that take a value: a `k` after one of them is part of the value. */
const CURL_ARG_SHORT = new Set('oOdDHXuAeFTwxbcmrYyzEKPQtUCE'.split('').filter((c) => c !== 'O'));

function curlInsecure(word: string): boolean {
  if (word === '--insecure' || word === '--proxy-insecure') return true;
  if (!/^-[a-zA-Z0-9#:]+$/.test(word)) return false;
  for (const c of word.slice(1)) {
    if (c === 'k') return true;
    if (CURL_ARG_SHORT.has(c)) return false;
  }
  return false;
}

/** Programs that read `--trusted-host` (pip and the tools that pass pip options through). */
const PIP_LIKE = new Set(['pip', 'pipenv', 'pip-compile', 'pip-sync', 'uv', 'pipx', 'poetry', 'pdm', 'easy_install']);
/** Programs whose arguments are text, not options of a download. */
const TEXT_PROGRAMS = new Set(['echo', 'printf', 'grep', 'egrep', 'fgrep', 'rg', 'sed', 'awk', 'cat', 'test', '[', 'expr', 'logger', 'tee']);

/**
 * The programs flagProblem finds a problem for in a word that is not an option (`npm config set
 * strict-ssl false`, `git config http.sslVerify false`, `git clone http://…`, `conda config --set
 * ssl_verify no`, `pip config set global.trusted-host`): for every other program only the words
 * starting with `-` are asked about. Keep it in step with flagProblem.
 */
const WORD_PROGRAMS = new Set(['npm', 'yarn', 'pnpm', 'git', 'conda', 'mamba', 'micromamba', 'pip']);

/**
 * The programs of flagProblem's `switch`. For any other program (and not pip) flagProblem finds a
 * problem only in a word starting with `--` or `-D`: the rest (`-y`, `-rf`, `-eux`) are not asked
 * about. Keep it in step with flagProblem.
 */
const SWITCH_PROGRAMS = new Set([
  'curl',
  'wget',
  'apt-get',
  'apt',
  'aptitude',
  'apk',
  'yum',
  'dnf',
  'tdnf',
  'microdnf',
  'zypper',
  'yum-config-manager',
  'dnf-3',
  'rpm',
  'npm',
  'yarn',
  'pnpm',
  'git',
  'conda',
  'mamba',
  'micromamba',
]);

const TEXT = 0;
const WORDS = 1;
const SWITCH = 2;
/**
 * TEXT_PROGRAMS, WORD_PROGRAMS and SWITCH_PROGRAMS in one look-up per command, each program with the
 * first of those it is in (a program of WORD_PROGRAMS is asked about every word, whether or not in
 * the switch). Other programs are not in it: only their long options are asked about.
 */
const PROGRAM_KINDS: ReadonlyMap<string, number> = (() => {
  const out = new Map<string, number>();
  for (const p of SWITCH_PROGRAMS) out.set(p, SWITCH);
  for (const p of WORD_PROGRAMS) out.set(p, WORDS);
  for (const p of TEXT_PROGRAMS) out.set(p, TEXT);
  return out;
})();

/** Read for every command or word: kept here rather than written in the loop, which makes a new object per pass. */
const ASSIGNMENT = /^(\w+)=(.*)$/s;
const PYTHON = /^python[\d.]*$/;
const PIP = /^pip[\d.]*$/;
const BACKSLASH_ESCAPE = /\\(.)/g;

/** `(program, word, next word) -> message` for flags that turn verification off. */
function flagProblem(prog: string, word: string, next: string | undefined, all: string[]): string | undefined {
  const w = word;
  switch (prog) {
    case 'curl':
      if (curlInsecure(w)) return `curl ${w} disables ${TLS}: anyone on the network path can replace the download.`;
      break;
    case 'wget':
      if (w === '--no-check-certificate') return `wget ${w} disables ${TLS}: anyone on the network path can replace the download.`;
      break;
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      if (w === '--allow-unauthenticated' || w === '--allow-insecure-repositories' || w === '--force-yes')
        return `${prog} ${w} installs packages whose signatures are missing or invalid: ${SIG} is off.`;
      if (
        w === '-o' &&
        next &&
        /^(?:APT::Get::AllowUnauthenticated|Acquire::AllowInsecureRepositories|Acquire::AllowDowngradeToInsecureRepositories)=(?:true|1|yes)$/i.test(next)
      )
        return `${prog} -o ${next} turns ${SIG} off.`;
      if (w === '-o' && next && /^Acquire::https?::Verify-(?:Peer|Host)=(?:false|0|no)$/i.test(next)) return `${prog} -o ${next} disables ${TLS}.`;
      break;
    case 'apk':
      // Local packages built in this build (`apk add --allow-untrusted /tmp/packages/*.apk`) are not fetched.
      if (
        w === '--allow-untrusted' &&
        !all
          .slice(all.indexOf('add') + 1)
          .filter((a) => !a.startsWith('-'))
          .every((a) => /^\.{0,2}\/\S+\.apk$/.test(a))
      )
        return `apk ${w} installs packages without checking their signatures: ${SIG} is off.`;
      break;
    case 'yum':
    case 'dnf':
    case 'tdnf':
    case 'microdnf':
    case 'zypper':
    case 'yum-config-manager':
    case 'dnf-3':
      if (w === '--nogpgcheck' || w === '--no-gpg-checks' || w === '--no-gpgcheck')
        return `${prog} ${w} installs packages without checking their signatures: ${SIG} is off.`;
      if (/^--setopt=(?:[\w.*-]+\.)?sslverify=(?:0|false|no)$/i.test(w)) return `${prog} ${w} disables ${TLS}.`;
      if (/^--setopt=(?:[\w.*-]+\.)?(?:repo_)?gpgcheck=(?:0|false|no)$/i.test(w)) return `${prog} ${w} turns ${SIG} off.`;
      // `--setopt sslverify=0`: the option as a separate word.
      if (w === '--setopt' && next && /^(?:[\w.*-]+\.)?sslverify=(?:0|false|no)$/i.test(next)) return `${prog} --setopt ${next} disables ${TLS}.`;
      if (w === '--setopt' && next && /^(?:[\w.*-]+\.)?(?:repo_)?gpgcheck=(?:0|false|no)$/i.test(next)) return `${prog} --setopt ${next} turns ${SIG} off.`;
      break;
    case 'rpm':
      if (w === '--nosignature' || w === '--nodigest' || w === '--nofiledigest' || w === '--noverify')
        return `rpm ${w} installs without verifying the package: ${SIG} is off.`;
      break;
    case 'npm':
    case 'yarn':
    case 'pnpm':
      if (/^--strict-ssl=(?:false|0)$/.test(w) || (w === '--strict-ssl' && next === 'false'))
        return `${prog} ${w}${w === '--strict-ssl' ? ' false' : ''} disables ${TLS} for the registry.`;
      if ((w === 'strict-ssl' || w === 'enableStrictSsl') && next && /^(?:false|0)$/.test(next) && all.includes('set'))
        return `${prog} config set ${w} ${next} disables ${TLS} for the registry.`;
      if (/^(?:strict-ssl|enableStrictSsl)=(?:false|0)$/.test(w) && all.includes('set')) return `${prog} config set ${w} disables ${TLS} for the registry.`;
      break;
    case 'git':
      if (/^http\.(?:[^=\s]+\.)?sslverify(?:=|$)/i.test(w)) {
        const value = w.includes('=') ? w.slice(w.indexOf('=') + 1) : next;
        if (value && /^(?:false|0|no|off)$/i.test(value)) return `git ${w}${w.includes('=') ? '' : ` ${value}`} disables ${TLS} for Git.`;
      }
      if (/^(?:http|git):\/\//.test(w) && all.some((x) => x === 'clone' || x === 'fetch' || x === 'pull' || x === 'submodule'))
        return `git over ${w.split(':')[0]}:// is not encrypted or authenticated: use https://.`;
      break;
    case 'conda':
    case 'mamba':
    case 'micromamba':
      if (w === 'ssl_verify' && next && /^(?:false|no|0)$/i.test(next)) return `${prog} ssl_verify ${next} disables ${TLS}.`;
      break;
    default:
      break;
  }
  // A flag only means something to the program it is given to: `grep -- --trusted-host` or
  // `echo --insecure-skip-tls-verify` turns nothing off.
  if (TEXT_PROGRAMS.has(prog)) return undefined;
  if (prog === 'pip' && /^(?:global|install)\.trusted-host$/.test(w) && all.includes('config')) return `pip config set ${w} disables ${TLS} for that host.`;
  // Every option below starts with `-`; most words are not options. And each starts with `--` but
  // Maven's `-D…`: short options (`-y`, `-fsSL`) skip the look-ups and regexes below.
  if (w.charCodeAt(0) !== 45 /* - */) return undefined;
  const second = w.charCodeAt(1);
  if (second !== 45 /* - */ && second !== 68 /* D */) return undefined;
  if (
    PIP_LIKE.has(prog) &&
    (w === '--trusted-host' || w.startsWith('--trusted-host=') || w === '--allow-insecure-host' || w.startsWith('--allow-insecure-host='))
  ) {
    return `${prog} ${w.split('=')[0]} disables ${TLS} for that host.`;
  }
  // Each regex below is tried only on a word holding its fixed text (most options hold none of them).
  if (w === '--insecure-skip-tls-verify' || (w.startsWith('--insecure-skip-tls-verify=') && /^--insecure-skip-tls-verify=(?:true|1)$/.test(w)))
    return `${prog} ${w} disables ${TLS}.`;
  if (w.includes('tls-verify=') && /^--(?:src-|dest-)?tls-verify=(?:false|0)$/.test(w)) return `${prog} ${w} disables ${TLS}.`;
  if (w === '--no-verify-ssl') return `${prog} ${w} disables ${TLS}.`;
  if (second === 68 /* D */ && /^-Dmaven\.wagon\.http\.ssl\.(?:insecure|allowall|ignore\.validity\.dates)=true$/.test(w)) return `Maven ${w} disables ${TLS}.`;
  return undefined;
}

/** Environment variables that turn verification off, with a test on their value. */
const ENV_VARS: readonly { name: string; ignoreCase?: true; bad: (v: string) => boolean; what: string }[] = [
  { name: 'NODE_TLS_REJECT_UNAUTHORIZED', bad: (v) => v === '0', what: `disables ${TLS} in Node.js` },
  { name: 'GIT_SSL_NO_VERIFY', bad: (v) => v !== '', what: `disables ${TLS} in Git (any value does)` },
  { name: 'PIP_TRUSTED_HOST', bad: (v) => v !== '', what: `disables ${TLS} in pip for those hosts` },
  { name: 'UV_INSECURE_HOST', bad: (v) => v !== '', what: `disables ${TLS} in uv for those hosts` },
  { name: 'PYTHONHTTPSVERIFY', bad: (v) => v === '0', what: `disables ${TLS} in Python's urllib` },
  { name: 'npm_config_strict_ssl', ignoreCase: true, bad: (v) => /^(?:false|0)$/i.test(v), what: `disables ${TLS} in npm` },
  { name: 'YARN_ENABLE_STRICT_SSL', bad: (v) => /^(?:false|0)$/i.test(v), what: `disables ${TLS} in Yarn` },
  { name: 'GOINSECURE', bad: (v) => v !== '', what: `disables ${TLS} for those Go modules` },
  { name: 'GOFLAGS', bad: (v) => /(?:^|\s)-insecure\b/.test(v), what: `disables ${TLS} for go get` },
  { name: 'CURL_INSECURE', bad: (v) => v !== '' && v !== '0' && v !== 'false', what: `disables ${TLS} in curl` },
];

/**
 * ENV_VARS by the length of their names, in ENV_VARS order, each entry with `ignoreCase` always set
 * (one object shape: the look-up below reads the same properties of every entry). A name can only be
 * one of those of its length, so most names (of other lengths) are answered by one array read.
 */
const ENV_VARS_BY_LENGTH: readonly (readonly { name: string; ignoreCase: boolean; entry: (typeof ENV_VARS)[number] }[] | undefined)[] = (() => {
  const out: { name: string; ignoreCase: boolean; entry: (typeof ENV_VARS)[number] }[][] = [];
  for (const e of ENV_VARS) (out[e.name.length] ??= []).push({ name: e.name, ignoreCase: e.ignoreCase === true, entry: e });
  return out;
})();

/**
 * The variable named `name` set to `value` when that turns verification off. Names are compared as
 * written (ignoring the case of ASCII letters for npm's, as a case-insensitive regex does): no
 * regex per entry for every ARG, ENV and assignment word, most of which are none of these.
 */
function envVarProblem(name: string, value: string): (typeof ENV_VARS)[number] | undefined {
  // (Read only below the end: V8 drops a function's optimised code on its first read past the end.)
  if (name.length >= ENV_VARS_BY_LENGTH.length) return undefined;
  const list = ENV_VARS_BY_LENGTH[name.length];
  if (list === undefined) return undefined;
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if ((e.ignoreCase ? sameIgnoringAsciiCase(name, e.name) : name === e.name) && e.entry.bad(value)) return e.entry;
  }
  return undefined;
}

/**
 * `NAME_LENGTHS[n]`: some variable of ENV_VARS has a name of `n` characters. envVarProblem answers
 * only for names of those lengths, so an assignment word whose `=` is elsewhere is not matched.
 */
const NAME_LENGTHS: readonly boolean[] = (() => {
  const out: boolean[] = [];
  for (const e of ENV_VARS) out[e.name.length] = true;
  return out;
})();

function sameIgnoringAsciiCase(a: string, b: string): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const lower = x | 32;
    if (lower !== (y | 32) || lower < 97 || lower > 122) return false;
  }
  return true;
}

/** Configuration written by a RUN (echo into a file, sed): matched on the script text. */
function trustedOption(options: string): boolean {
  for (const option of options.trimStart().split(/\s+/)) {
    if (/^trusted=yes\b/.test(option)) return true;
    if (!/^[\w-]+=\S/.test(option)) return false;
  }
  return false;
}

/**
 * `hint`: text every match (every accepted one) contains, so a script without it is not scanned; most
 * scripts configure none of these. `lowerHint`: the same for a case-insensitive pattern, ignoring
 * case as the pattern does (`i`, without `u`).
 */
const CONFIG_PATTERNS: readonly { re: RegExp; message: string; hint?: string; lowerHint?: string; accept?: (m: RegExpExecArray) => boolean }[] = [
  { hint: 'check_certificate', re: /\bcheck_certificate\s*=\s*off\b/g, message: `check_certificate = off in wgetrc disables ${TLS} for wget.` },
  // The file name stops at `>`: with `\S*`, every `-k>` rescanned the rest of a long word (quadratic).
  { hint: '.curlrc', re: /(?:^|[\s"'])(?:-k|--insecure|insecure)["']?\s*>>?\s*[^\s>]*\.curlrc\b/g, message: `insecure in .curlrc disables ${TLS} for curl.` },
  // A local repository (`file:`, `copy:` or a path) of packages built in this step is not fetched over the network.
  // The options are checked one by one: `\[\s*(?:[\w-]+=\S+\s+)*trusted=yes\b` backtracks
  // polynomially (`\S+` can take `=` and the next option). Option lists do not contain `[`.
  {
    re: /\[([^[\]]*)\](?!\s*(?:file:|copy:|\/|\$))/g,
    // Accepted only with an option `trusted=yes` inside the brackets: many scripts have a `[`, few that.
    hint: 'trusted=yes',
    accept: (m) => trustedOption(m[1]),
    message: `[trusted=yes] makes apt accept the repository without any signature: ${SIG} is off.`,
  },
  {
    lowerHint: 'acquire::http',
    re: /\bAcquire::https?::(?:[\w.-]+::)?Verify-(?:Peer|Host)\s*"?(?:false|0|no)\b/gi,
    message: `Acquire::https::Verify-Peer false disables ${TLS} for apt.`,
  },
  {
    hint: 'APT::Get::AllowUnauthenticated',
    re: /\bAPT::Get::AllowUnauthenticated\s*"?(?:true|1|yes)\b/g,
    message: `APT::Get::AllowUnauthenticated true turns ${SIG} off.`,
  },
  { lowerHint: 'sslverify', re: /(?:^|[\s"'\\n])sslverify\s*=\s*(?:0|false|no)\b/gi, message: `sslverify=0 in a repository file disables ${TLS} for yum/dnf.` },
  { hint: 'gpgcheck', re: /(?:^|[\s"'\\n])gpgcheck\s*=\s*0\b/g, message: `gpgcheck=0 in a repository file turns ${SIG} off for yum/dnf.` },
  { hint: 'strict-ssl', re: /\bstrict-ssl\s*=\s*false\b/g, message: `strict-ssl=false in .npmrc disables ${TLS} for npm.` },
];

/**
 * Every hint of CONFIG_PATTERNS, case ignored (a superset of each hint's own test): one scan of a
 * script, instead of one per hint and a lower-cased copy, finds the few that can match anything.
 */
const ANY_CONFIG_HINT = /check_certificate|\.curlrc|trusted=yes|acquire::http|APT::Get::AllowUnauthenticated|sslverify|gpgcheck|strict-ssl/i;

/** `hits` with `h` added unless it overlaps one of them. */
function addHit(hits: Hit[] | undefined, h: Hit): Hit[] {
  if (!hits) return [h];
  if (!hits.some((x) => h.from < x.to && h.to > x.from)) hits.push(h);
  return hits;
}

/** The values of words as a list of strings. */
function wordValues(ws: readonly { value: string }[]): string[] {
  const out = new Array<string>(ws.length);
  for (let k = 0; k < ws.length; k++) out[k] = ws[k].value;
  return out;
}

/** The values of words with the shell's backslash escapes removed from unquoted ones. */
function unescapedValues(ws: readonly { value: string; raw: string }[]): string[] {
  const out = new Array<string>(ws.length);
  for (let k = 0; k < ws.length; k++) {
    const w = ws[k];
    out[k] = w.raw === w.value && w.value.includes('\\') ? w.value.replace(BACKSLASH_ESCAPE, '$1') : w.value;
  }
  return out;
}

/**
 * What a RUN script of text `text` and commands `cmds` turns off, in script offsets and in order
 * (null when nothing: most scripts). Kept out of `check`, with each command read by `commandHits`:
 * the per-command work is in small functions that V8 optimises on their own, instead of the rule's
 * whole body being optimised (twice, when a branch first taken later deoptimised it) in every scan.
 */
function scriptHits(text: string, cmds: readonly ParsedCommand[]): readonly Hit[] | null {
  // Made with the first hit: most scripts have none.
  let hits: Hit[] | undefined;
  // A command's text is a piece of its script's: what the script lacks, none of its commands holds.
  const assigns = text.includes('=');
  const escapes = text.includes('\\');
  for (let c = 0; c < cmds.length; c++) hits = commandHits(cmds[c], assigns, escapes, hits);
  if (ANY_CONFIG_HINT.test(text)) hits = configHits(text, hits);
  if (hits === undefined) return null;
  hits.sort((a, b) => a.from - b.from);
  return Object.freeze(hits);
}

/** scriptHits of each distinct RUN text, once per process (see ScriptTextAnalysis). */
const SCRIPT_HITS = new ScriptTextAnalysis(scriptHits);

/** `hits` with what the command turns off added (`assigns`, `escapes`: its script holds `=`, `\`). */
function commandHits(cmd: ParsedCommand, assigns: boolean, escapes: boolean, found: Hit[] | undefined): Hit[] | undefined {
  let hits = found;
  const ws = cmd.words;
  // Inline assignments: `NODE_TLS_REJECT_UNAUTHORIZED=0 node x`, `export GIT_SSL_NO_VERIFY=1`.
  // (A word's value holds only characters of the command's text: without `=` there, none has one.)
  if (assigns && cmd.text.includes('=')) {
    for (let k = 0; k < ws.length; k++) {
      const w = ws[k];
      // `^(\w+)=`: the name is what comes before the first `=`.
      // (`\w` holds no `=`, so a match's name is all before the first `=`: of `eq` characters.)
      const eq = w.value.indexOf('=');
      if (eq <= 0 || eq >= NAME_LENGTHS.length || NAME_LENGTHS[eq] !== true) continue;
      const m = ASSIGNMENT.exec(w.value);
      if (!m) continue;
      const v = envVarProblem(m[1], m[2]);
      if (v) hits = addHit(hits, { from: cmd.start + w.start, to: cmd.start + w.end, message: `${m[1]}=${m[2]} ${v.what}.` });
    }
  }
  let prog = programName(cmd);
  if (prog === undefined) return hits;
  const p = cmd.program;
  // The words as the program gets them. The shell removes backslash escapes: `--setopt=\\*.sslverify=0`
  // reaches dnf as `--setopt=*.sslverify=0`. Without a backslash in the command (most), they are
  // the words' values, and the list is only made when flagProblem is asked (it reads them all).
  const values = escapes && cmd.text.includes('\\') ? unescapedValues(ws) : undefined;
  // `python -m pip`: the module is the program. Each test is computed for every command, and only
  // their results are combined, so that V8 has run all this code before it optimises the function (a
  // `python -m` first met later would drop the optimised code, and have it compiled again). Both
  // patterns start with `p`: most programs do not, and skip the two regexes. (Lengths are tested
  // first, not read past the end: see flagProblem's call below.)
  const hasModule = p + 2 < ws.length;
  const option = hasModule ? (values ? values[p + 1] : ws[p + 1].value) : '';
  const module = hasModule ? (values ? values[p + 2] : ws[p + 2].value) : '';
  const python = prog.length > 0 && prog.charCodeAt(0) === 112 /* p */ && PYTHON.test(prog);
  if (option === '-m' && python) prog = module;
  if (prog.length > 0 && prog.charCodeAt(0) === 112 /* p */ && PIP.test(prog)) prog = 'pip';
  let all = values;
  // Words that cannot be a problem for this program are not asked about (flagProblem's own order):
  // none for a text program, and only options except for the programs of WORD_PROGRAMS.
  const kind = PROGRAM_KINDS.get(prog);
  if (kind === TEXT) return hits;
  const optionsOnly = kind !== WORDS;
  const longOptionsOnly = kind === undefined;
  for (let k = p + 1; k < ws.length; k++) {
    const value = values ? values[k] : ws[k].value;
    // (Lengths tested first, not read past the end as NaN, which is not `-` or `D` either: V8 drops
    // the function's optimised code on its first read past the end of a string, as of an array.)
    if (optionsOnly && (value.length === 0 || value.charCodeAt(0) !== 45) /* not - */) continue;
    if (longOptionsOnly) {
      if (value.length < 2) continue;
      const second = value.charCodeAt(1);
      if (second !== 45 /* - */ && second !== 68 /* D */) continue;
    }
    all ??= wordValues(ws);
    // (Not read past the end: V8 drops its optimised code for this function on the first such read.)
    const message = flagProblem(prog, value, k + 1 < all.length ? all[k + 1] : undefined, all);
    if (!message) continue;
    // `--setopt sslverify=0` is one option in two words: underline both.
    const last = value === '--setopt' && k + 1 < ws.length ? ws[k + 1] : ws[k];
    hits = addHit(hits, { from: cmd.start + ws[k].start, to: cmd.start + last.end, message });
  }
  return hits;
}

/** `hits` with the configuration CONFIG_PATTERNS find in the script's text added. */
function configHits(text: string, found: Hit[] | undefined): Hit[] | undefined {
  let hits = found;
  let lower: string | undefined;
  for (let k = 0; k < CONFIG_PATTERNS.length; k++) {
    const { re, message, hint, lowerHint, accept } = CONFIG_PATTERNS[k];
    if (hint !== undefined && !text.includes(hint)) continue;
    if (lowerHint !== undefined && !(lower ??= text.toLowerCase()).includes(lowerHint)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (accept && !accept(m)) continue;
      const lead = /^[\s"'\\n]*/.exec(m[0])?.[0].length ?? 0;
      hits = addHit(hits, { from: m.index + lead, to: m.index + m[0].length, message });
    }
  }
  return hits;
}

/**
 * ENV and ARG (ARG values are in the environment of later RUNs) that turn verification off, of
 * `argEnv`: the model's ARG and ENV instructions (the preamble's and the stages'). Kept out of
 * `check`, whose loops V8 would otherwise optimise with all they call.
 */
function reportEnvAndArg(ctx: DockerfileRuleContext, argEnv: readonly Instruction[]): void {
  for (let i = 0; i < argEnv.length; i++) {
    const instr = argEnv[i];
    const kw = keyword(instr);
    const props = propertiesOf(instr);
    for (let k = 0; k < props.length; k++) {
      const prop = props[k];
      const raw = prop.getValue();
      if (raw === null) continue;
      const value = unquote(raw);
      const v = envVarProblem(prop.getName(), value);
      if (!v) continue;
      const range = prop.getRange();
      ctx.report({ at: ctx.spanOf(range), message: `${kw} ${prop.getName()}=${value} ${v.what}.` });
    }
  }
}

export const dockerfileTlsVerificationDisabled: DockerfileRule = {
  id: 'dockerfile-tls-verification-disabled',
  language: 'dockerfile',
  title: 'TLS or package signature verification disabled',
  category: 'dockerfile',
  severity: 'error',
  description:
    'The build turns off the checks that make downloads trustworthy: `curl -k`, `wget --no-check-certificate`, ' +
    '`apt-get --allow-unauthenticated`, `[trusted=yes]`, `apk --allow-untrusted`, `yum/dnf --nogpgcheck`, ' +
    '`gpgcheck=0`, `rpm --nosignature/--noverify`, `pip --trusted-host` / `PIP_TRUSTED_HOST`, `npm config set strict-ssl false`, ' +
    '`NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`, `git -c http.sslVerify=false`, ' +
    "`git clone http://`. Anyone who can intercept the build's traffic (a proxy, a hijacked mirror, DNS) can " +
    'then substitute packages or binaries. It matters in every stage: a tampered builder produces a tampered ' +
    'artefact. An `ENV` that does it also weakens every process of the running container.',
  remediation:
    'Remove the flag or variable. If a corporate proxy re-signs TLS, install its CA certificate instead ' +
    '(`COPY corp-ca.crt /usr/local/share/ca-certificates/ && update-ca-certificates`, or ' +
    '`RUN --mount=type=secret` for a private registry token); for package repositories import the signing key.',
  references: [
    'checkov:CKV2_DOCKER_2',
    'checkov:CKV2_DOCKER_3',
    'checkov:CKV2_DOCKER_4',
    'checkov:CKV2_DOCKER_5',
    'checkov:CKV2_DOCKER_6',
    'checkov:CKV2_DOCKER_7',
    'checkov:CKV2_DOCKER_8',
    'checkov:CKV2_DOCKER_9',
    'checkov:CKV2_DOCKER_10',
    'checkov:CKV2_DOCKER_11',
    'checkov:CKV2_DOCKER_12',
    'checkov:CKV2_DOCKER_13',
    'checkov:CKV2_DOCKER_14',
    'checkov:CKV2_DOCKER_15',
    'checkov:CKV2_DOCKER_16',
  ],
  fixes: [],
  recommended: true,
  check(ctx) {
    const model = ctx.dockerfile;
    reportEnvAndArg(ctx, argEnvInstructions(model));
    const runs = runScripts(model);
    for (let r = 0; r < runs.length; r++) {
      const script = runs[r].script;
      const hits = SCRIPT_HITS.of(script);
      if (hits === null) continue;
      for (const h of hits) ctx.report({ at: scriptSpan(script, h.from, h.to), message: h.message });
    }
  },
};
