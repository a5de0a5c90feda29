/**
 * Packages installed without a version: the same Dockerfile builds different images over time.
 * Off by default (info): most teams pin the base image and rebuild on purpose.
 */
import type { DockerfileRule } from '../../server/src/engine/rule';
import { programIndex, runScripts, scriptSpan, commandsOf } from './shared';

interface Word {
  value: string;
  start: number;
  end: number;
}

/** Options of each installer that take a value (the value is not a package). */
const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  apt: new Set(['-o', '--option', '-t', '--target-release', '-c', '--config-file']),
  apk: new Set(['-t', '--virtual', '-X', '--repository', '--root', '-p', '--arch', '--cache-dir', '--keys-dir', '--repositories-file']),
  pip: new Set([
    '-r',
    '--requirement',
    '-c',
    '--constraint',
    '-i',
    '--index-url',
    '--extra-index-url',
    '-f',
    '--find-links',
    '-t',
    '--target',
    '--prefix',
    '--root',
    '--trusted-host',
    '--platform',
    '--python-version',
    '--implementation',
    '--abi',
    '--src',
    '--upgrade-strategy',
    '--progress-bar',
    '--cache-dir',
    '--log',
    '--proxy',
    '--retries',
    '--timeout',
    '--cert',
    '--client-cert',
    '--no-binary',
    '--only-binary',
    '--config-settings',
    '-C',
    '--global-option',
    '--install-option',
    '--python',
  ]),
  npm: new Set(['--prefix', '--registry', '--cache', '--tag', '-w', '--workspace', '--omit', '--include', '--userconfig', '--loglevel']),
  gem: new Set(['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '--source', '-s', '-P', '--trust-policy', '--platform']),
};

/** Arguments that are files, paths or URLs: what they install is fixed by the file. */
function isLocalOrUrl(arg: string): boolean {
  return (
    /^(?:\.{0,2}\/|~\/|[a-z][a-z0-9+.-]*:\/\/|git\+|file:)/i.test(arg) ||
    /\.(?:deb|rpm|apk|whl|tar\.gz|tgz|zip|gem)$/i.test(arg) ||
    arg === '.' ||
    arg.includes('$')
  );
}

/** The package arguments of an install command: words after the subcommand, options and their values skipped. */
function packageArgs(ws: readonly Word[], from: number, kind: string): Word[] {
  const out: Word[] = [];
  const takesValue = VALUE_OPTIONS[kind] ?? new Set<string>();
  for (let k = from; k < ws.length; k++) {
    const v = ws[k].value;
    // Redirections (`> /dev/null`, `2>&1`) are the shell's, not the installer's.
    if (/^\d*[<>]/.test(v)) {
      if (/^\d*(?:>>?|<)$/.test(v)) k++;
      continue;
    }
    if (v.startsWith('-')) {
      if (takesValue.has(v)) k++;
      continue;
    }
    if (!isLocalOrUrl(v)) out.push(ws[k]);
  }
  return out;
}

interface Unpinned {
  manager: string;
  packages: Word[];
  /** The words naming the command, for the finding's span. */
  head: Word;
}

const PINNED: Record<string, (pkg: string, all: string[]) => boolean> = {
  apt: (p) => p.includes('='),
  apk: (p) => /[=~<>]/.test(p),
  // `==`/`===` exact, `~=` compatible release, `@` a direct reference; a lower bound alone is not a pin.
  pip: (p) => /===?|~=|@/.test(p),
  // `name@1.2.3`, `@scope/name@1.2.3`; `@latest` and dist-tags other than versions are not pins.
  npm: (p) => {
    const at = p.lastIndexOf('@');
    return at > 0 && /^[\d^~=<>v]/.test(p.slice(at + 1));
  },
  gem: (p, all) => p.includes(':') || all.includes('-v') || all.includes('--version') || all.some((a) => a.startsWith('--version=')),
};

const PIP = /^pip[\d.]*$/;
const PYTHON = /^python[\d.]*$/;

/** The first word after the program that is one of `names`, or -1. */
function subcommand(ws: readonly Word[], p: number, names: readonly string[]): number {
  for (let k = p + 1; k < ws.length; k++) if (names.includes(ws[k].value)) return k;
  return -1;
}

function unpinnedIn(ws: readonly Word[], p = programIndex(ws)): Unpinned | undefined {
  if (p >= ws.length) return undefined;
  const program = ws[p].value.slice(ws[p].value.lastIndexOf('/') + 1);
  // Every installer read below starts with `a`, `p`, `n` or `g` (most commands run another program).
  const initial = program.charCodeAt(0);
  if (initial !== 97 /* a */ && initial !== 112 /* p */ && initial !== 110 /* n */ && initial !== 103 /* g */) return undefined;
  let manager: string | undefined;
  let from = -1;
  if (program === 'apt-get' || program === 'apt') [manager, from] = ['apt', subcommand(ws, p, ['install'])];
  else if (program === 'apk') [manager, from] = ['apk', subcommand(ws, p, ['add'])];
  else if (PIP.test(program) || (PYTHON.test(program) && ws[p + 1]?.value === '-m' && PIP.test(ws[p + 2]?.value ?? '')))
    [manager, from] = ['pip', subcommand(ws, p, ['install'])];
  else if (program === 'npm') [manager, from] = ['npm', subcommand(ws, p, ['install', 'i', 'add'])];
  else if (program === 'gem') [manager, from] = ['gem', subcommand(ws, p, ['install'])];
  else if (program === 'go' && ws[p + 1]?.value === 'install') {
    // `go install pkg@latest` (or a branch) moves with upstream; without `@` the current module's
    // go.mod fixes the version, and `pkg@v1.2.3` or a commit is a pin.
    const packages = ws.slice(p + 2).filter((w) => !w.value.startsWith('-') && /@(?:latest|master|main|HEAD)$/.test(w.value));
    return packages.length ? { manager: 'go install', packages, head: ws[p] } : undefined;
  }
  if (!manager || from < 0) return undefined;
  const values = ws.map((w) => w.value);
  // pip install -r requirements.txt alone, npm install from the lockfile: nothing named here.
  const packages = packageArgs(ws, from + 1, manager).filter((w) => !PINNED[manager!](w.value, values));
  return packages.length ? { manager, packages, head: ws[p] } : undefined;
}

export const dockerfileUnpinnedPackageVersion: DockerfileRule = {
  id: 'dockerfile-unpinned-package-version',
  language: 'dockerfile',
  title: 'Package installed without a version',
  category: 'dockerfile',
  severity: 'info',
  description:
    '`apt-get install curl`, `apk add curl`, `pip install requests`, `npm install -g typescript`, `gem install ' +
    'bundler` and `go install example.com/tool@latest` (or `@master`) install whatever is newest when the image is built, so ' +
    'one Dockerfile gives different images over time, and a compromised release is picked up by the next build. ' +
    'Requirements files, lockfiles, local files and URLs are not flagged. Off by default: pinning OS packages ' +
    'needs upkeep, and many teams pin the base image and rebuild on purpose.',
  remediation:
    'Pin each package: `curl=8.5.0-2ubuntu10.6`, `curl=8.9.1-r1` (apk), `requests==2.32.3`, `typescript@5.6.3`, ' +
    '`gem install bundler -v 2.5.22`, `go install example.com/tool@v1.2.3`; or install from a lockfile.',
  references: ['hadolint:DL3008', 'hadolint:DL3018', 'hadolint:DL3013', 'hadolint:DL3016', 'hadolint:DL3028', 'hadolint:DL3062'],
  fixes: [],
  recommended: false,
  check(ctx) {
    const runs = runScripts(ctx.dockerfile);
    for (let r = 0; r < runs.length; r++) {
      const script = runs[r].script;
      if (!script.text.includes('install') && !script.text.includes('add')) continue;
      const cmds = commandsOf(script);
      for (let c = 0; c < cmds.length; c++) {
        const cmd = cmds[c];
        const hit = unpinnedIn(cmd.words, cmd.program);
        if (!hit) continue;
        const first = hit.packages[0];
        const last = hit.packages[hit.packages.length - 1];
        const names =
          hit.packages
            .slice(0, 5)
            .map((w) => w.value)
            .join(', ') + (hit.packages.length > 5 ? ` and ${hit.packages.length - 5} more` : '');
        ctx.report({
          at: scriptSpan(script, cmd.start + first.start, cmd.start + last.end),
          message: `${hit.manager} installs ${names} without a version: each build can get a different release. Pin ${hit.packages.length === 1 ? 'it' : 'them'}.`,
        });
      }
    }
  },
};
