/**
 * What RUN steps delete: targets of rm/unlink/shred/truncate/mv, `find … -delete` / `-exec rm`,
 * and `> file` truncation, with script offsets. Shared by the SBOM-evasion rules.
 */
import type { DockerfileModel, Stage } from '../../server/src/documents/dockerfile';
import { argumentsText, classifiedCommands, keyword, programClass, programName, runScripts, Script, commandsOf } from './shared';
import type { ParsedCommand, Word } from './shared';
import { withoutTrailingSlashes } from '../text';
import { MemoSlot } from '../../server/src/documents/memo';

export interface Deletion {
  script: Script;
  stage: Stage;
  /** The path as written, quotes removed; for `find`, `<root>/**\/<-name pattern>`. */
  path: string;
  /** Script offsets of the word to underline. */
  from: number;
  to: number;
  verb: string;
}

/** The programs read below (the others delete nothing here). */
const DELETING_PROGRAMS = new Set(['rm', 'unlink', 'shred', 'truncate', 'mv', 'find', 'ln', 'cp']);
/** The programs that change the directory the paths after them are seen from. */
const DIRECTORY_CHANGERS: ReadonlySet<string> = new Set(['cd', 'pushd']);
/** Every program the loop below reads (by programName, as `prog` is worked out there). */
const READ_PROGRAMS = programClass([...DIRECTORY_CHANGERS, ...DELETING_PROGRAMS]);

function clean(path: string): string {
  // Most paths have neither: no regex replacement (and no copy) for them.
  const single = path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
  return single.charCodeAt(0) === 46 /* . */ && single.charCodeAt(1) === 47 /* / */ ? single.slice(2) : single;
}

/** `/^[<>0-9]*>/`: a redirection (`>x`, `2>x`, `&>` excepted), which only a word holding `>` can be. */
function isRedirection(value: string): boolean {
  return value.includes('>') && /^[<>0-9]*>/.test(value);
}

/**
 * `path` as seen from the directory `cwd` (an absolute path, or undefined when unknown): relative paths
 * are joined to it and `.`/`..` segments resolved, so `cd /etc && rm os-release` deletes `/etc/os-release`.
 * Without a known directory, a relative path stays as written.
 */
export function resolveFrom(cwd: string | undefined, path: string): string {
  if (cwd === undefined || path.startsWith('/') || path.startsWith('$') || path.startsWith('~')) return path;
  const out: string[] = [];
  for (const segment of `${cwd}/${path}`.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** The working directory after `cd ARG` run in `cwd`: undefined when it cannot be known (`cd`, `cd -`, `cd $X`). */
export function changeDirectory(cwd: string | undefined, args: readonly string[]): string | undefined {
  const operands = args.filter((a) => a !== '-P' && a !== '-L' && a !== '--');
  if (operands.length !== 1) return undefined;
  const dir = operands[0];
  if (dir === '-' || dir.includes('$') || dir.startsWith('~') || /[*?[]/.test(dir)) return undefined;
  if (!dir.startsWith('/') && cwd === undefined) return undefined;
  return resolveFrom(cwd ?? '/', dir);
}

/**
 * The stage's WORKDIR in force at each of its RUN instructions (absolute), listed only where one is
 * known: the deletions read it for RUNs only, and most stages set none (no entry per instruction).
 */
export function workdirs(stage: Stage): Map<unknown, string | undefined> {
  const out = new Map<unknown, string | undefined>();
  let wd: string | undefined;
  for (const instr of stage.instructions) {
    const kw = keyword(instr);
    if (kw === 'RUN' && wd !== undefined) out.set(instr, wd);
    if (kw !== 'WORKDIR') continue;
    const value = (argumentsText(instr) ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
    wd = !value || value.includes('$') ? undefined : value.startsWith('/') ? resolveFrom('/', value) : wd === undefined ? undefined : resolveFrom(wd, value);
  }
  return out;
}

/**
 * `ws.slice(from)`, copied by a loop: the shell reader's word lists are frozen, and V8 slices (and
 * filters) a frozen array on its slow path, several times a loop's cost.
 */
function wordsFrom<T>(ws: readonly T[], from: number): T[] {
  const out: T[] = [];
  for (let i = from; i < ws.length; i++) out.push(ws[i]);
  return out;
}

/** The values of `ws` from `from` on (see wordsFrom). */
function valuesFrom(ws: readonly { value: string }[], from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < ws.length; i++) out.push(ws[i].value);
  return out;
}

/** `ln -sf SOURCE TARGET` (with `-f`): TARGET is replaced by the link. */
function forcesLink(args: readonly string[]): boolean {
  return args.some((a) => a === '--force' || (/^-[a-zA-Z]+$/.test(a) && a.includes('f')));
}

const NO_COMMANDS: readonly number[] = [];

/**
 * The indices into `commandsOf(script)` of the commands stageDeletions reads, in order: those
 * running one of READ_PROGRAMS, and (when `redirects`: the script holds a `>`) those whose text
 * holds a `>`, found from the `>` characters of the script (a command's text is the script's from
 * its start on), not by reading every command.
 */
export function commandsToRead(script: Script, redirects: boolean): readonly number[] {
  const classified = classifiedCommands(script);
  if (!redirects && (classified.all & READ_PROGRAMS) === 0) return NO_COMMANDS;
  const text = script.text;
  const cmds = commandsOf(script);
  const out: number[] = [];
  let k = 0;
  const listed = classified.commands;
  for (let g = redirects ? text.indexOf('>') : -1; g >= 0; g = text.indexOf('>', g + 1)) {
    const ci = commandAt(cmds, g);
    if (ci < 0 || (out.length > 0 && out[out.length - 1] === ci)) continue;
    // The listed commands before it first (the positions, so the commands found, only go up).
    for (; k < listed.length && listed[k] < ci; k++) if ((classified.classes[k] & READ_PROGRAMS) !== 0) out.push(listed[k]);
    out.push(ci);
    if (k < listed.length && listed[k] === ci) k++;
  }
  for (; k < listed.length; k++) if ((classified.classes[k] & READ_PROGRAMS) !== 0) out.push(listed[k]);
  return out;
}

/** The index of the command whose text holds the script offset `at` (-1 when none: a comment, a separator). */
function commandAt(cmds: readonly ParsedCommand[], at: number): number {
  // Commands are in script order and do not overlap: the last one starting at or before `at`.
  let lo = 0;
  let hi = cmds.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cmds[mid].start <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && at < cmds[found].start + cmds[found].text.length ? found : -1;
}

/** Deletions by stage: two rules ask for the same stages' (treat them as read-only). */
const deletionsByStage = new MemoSlot<Stage, readonly Deletion[]>();

export function deletions(model: DockerfileModel, stages: readonly Stage[]): readonly Deletion[] {
  const out: Deletion[] = [];
  for (const stage of stages) {
    let known = deletionsByStage.get(stage);
    if (!known) {
      known = stageDeletions(model, stage);
      deletionsByStage.set(stage, known);
    }
    for (const d of known) out.push(d);
  }
  return out;
}

function stageDeletions(model: DockerfileModel, stage: Stage): Deletion[] {
  const out: Deletion[] = [];
  const wds = workdirs(stage);
  const runs = runScripts(model, [stage]);
  for (let r = 0; r < runs.length; r++) {
    const script = runs[r].script;
    const cmds = commandsOf(script);
    // Only the commands running one of READ_PROGRAMS and those holding a `>` do anything below (the
    // others are skipped by `continue` before any effect): those alone are read, in order (a few of
    // each script's commands). A command's text is a piece of its script's: without `>` in the
    // script, none redirects.
    const redirects = script.text.includes('>');
    const read = commandsToRead(script, redirects);
    if (read.length === 0) continue;
    let cwd = wds.get(script.instr);
    const at = (path: string): string => clean(resolveFrom(cwd, path));
    for (let j = 0; j < read.length; j++) {
      const ci = read[j];
      const cmd = cmds[ci];
      const ws = cmd.words;
      // `: > /var/lib/dpkg/status`, `echo > file` (a word's value holds only characters of the
      // command's text: without `>` there, no word starts with one).
      if (redirects && cmd.text.includes('>')) {
        for (let k = 0; k < ws.length; k++) {
          const w = ws[k];
          if (w.value.charCodeAt(0) !== 62 /* > */) continue;
          if (w.value === '>' && ws[k + 1]) {
            out.push({ script, stage, path: at(ws[k + 1].value), from: cmd.start + ws[k + 1].start, to: cmd.start + ws[k + 1].end, verb: 'overwriting' });
          } else if (/^>[^>&|]/.test(w.value) && w.value !== '>/dev/null') {
            out.push({ script, stage, path: at(w.value.slice(1)), from: cmd.start + w.start + 1, to: cmd.start + w.end, verb: 'overwriting' });
          }
        }
      }
      const prog = programName(cmd);
      if (prog === undefined) continue;
      const p = cmd.program;
      if (DIRECTORY_CHANGERS.has(prog)) {
        cwd = changeDirectory(cwd, valuesFrom(ws, p + 1));
        continue;
      }
      if (!DELETING_PROGRAMS.has(prog)) continue;
      if (prog === 'ln' || prog === 'cp') {
        const args = wordsFrom(ws, p + 1);
        // `ln -sf /dev/null /etc/os-release`, `cp /dev/null /etc/os-release`: the target is replaced. Not a link
        // or copy of another release file (`ln -sf ../usr/lib/os-release /etc/os-release` restores the default).
        const operands = args.filter((a) => !a.value.startsWith('-') && !isRedirection(a.value));
        if (operands.length !== 2 || (prog === 'ln' && !forcesLink(args.map((a) => a.value)))) continue;
        const [source, target] = operands;
        if (prog === 'cp' && source.value !== '/dev/null') continue;
        if (packageDbKind(at(source.value)) === 'the OS release file' || /release$/.test(source.value)) continue;
        out.push({ script, stage, path: at(target.value), from: cmd.start + target.start, to: cmd.start + target.end, verb: 'overwriting' });
        continue;
      }
      if (prog === 'rm' || prog === 'unlink' || prog === 'shred' || prog === 'truncate' || prog === 'mv') {
        // The operands: the words after the program that are no option (nor `truncate`'s size after
        // `-s`/`--size`) and no redirection; `mv`'s last one is the destination, held back until the
        // next operand shows it is not. One loop over the words (no copies of the list).
        let held: Word | undefined;
        for (let i = p + 1; i < ws.length; i++) {
          const a = ws[i];
          const value = a.value;
          if (value.charCodeAt(0) === 45 /* - */) continue;
          if (prog === 'truncate' && i > p + 1 && (ws[i - 1].value === '-s' || ws[i - 1].value === '--size')) continue;
          if (isRedirection(value)) continue;
          if (prog === 'mv') {
            const source = held;
            held = a;
            if (source === undefined) continue;
            out.push({ script, stage, path: at(source.value), from: cmd.start + source.start, to: cmd.start + source.end, verb: prog });
          } else {
            out.push({ script, stage, path: at(value), from: cmd.start + a.start, to: cmd.start + a.end, verb: prog });
          }
        }
      } else if (prog === 'find') {
        const args = wordsFrom(ws, p + 1);
        const values = args.map((a) => a.value);
        const deletes =
          values.includes('-delete') ||
          values.some((v, i) => (v === '-exec' || v === '-execdir') && /^(?:\/bin\/)?(?:rm|unlink|shred)$/.test(values[i + 1] ?? '')) ||
          (cmd.next === '|' &&
            cmds[ci + 1] !== undefined &&
            (() => {
              const nw = cmds[ci + 1].words;
              return nw.some((w) => /^(?:\/bin\/)?rm$/.test(w.value)) && /^xargs$/.test(nw[0]?.value ?? '');
            })());
        if (!deletes) continue;
        const roots: string[] = [];
        let i = 0;
        while (i < values.length && !/^[-(!]/.test(values[i])) roots.push(resolveFrom(cwd, values[i++]));
        if (!roots.length) roots.push(cwd ?? '.');
        for (let k = 0; k < values.length; k++) {
          if (/^-(?:i?name|i?path|i?wholename|regex)$/.test(values[k]) && values[k + 1] !== undefined) {
            const pattern = values[k + 1];
            for (const root of roots) {
              const path = /path|wholename/.test(values[k]) ? pattern : `${withoutTrailingSlashes(root)}/**/${pattern}`;
              out.push({ script, stage, path: clean(path), from: cmd.start + args[k + 1].start, to: cmd.start + args[k + 1].end, verb: 'find -delete' });
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * Installed-package evidence SBOM and vulnerability scanners read in image mode. Each pattern is
 * linear on any path: "`X` and anything below it" is written `X(?![^/])` (followed by `/` or the
 * end), not `X(?:\/.*)?$`, which rescans the rest of the path from every occurrence of `X`; and
 * "`A`, anything, then `B`" takes the first `A` and looks for `B` after it.
 */
const PACKAGE_DB: readonly { test: (path: string) => boolean; what: string }[] = [
  {
    test: re(/(?:^|\/)var\/lib\/dpkg(?:\/?$|\/\*$|\/status[^/]*$|\/status\.d(?![^/])|\/info\/?$|\/info\/\*$|\/info\/[^/]*\.(?:list|md5sums)$|\/available$)/),
    what: 'the dpkg package database',
  },
  { test: re(/(?:^|\/)(?:usr\/)?lib\/apk(?:\/?|\/\*|\/db\/?|\/db\/\*|\/db\/installed)$/), what: 'the apk package database' },
  // Not the Berkeley DB environment files (`__db.*`), which `rpm --rebuilddb` cleanups remove.
  { test: re(/(?:^|\/)(?:var\/lib|usr\/lib\/sysimage|usr\/share)\/rpm(?:\/?|\/\*|\/(?!__db)[^/.][^/]*)$/), what: 'the rpm package database' },
  { test: re(/(?:^|\/)var\/lib\/rpmmanifest(?![^/])/), what: 'the rpm manifest' },
  { test: re(/(?:^|\/)var\/lib\/pacman(?![^/])/), what: 'the pacman package database' },
  // The directories that hold them, absolute only (`rm -rf /var/lib/*`; a relative `var` is some other folder).
  { test: re(/^\/var(?:\/lib)?(?:\/|\/\*)?$/), what: 'the dpkg/rpm package database' },
  // `/etc/os-release`, `/usr/lib/os-release`, `/etc/alpine-release`, `/etc/*-release`, `/etc/*`, and
  // `find /etc -name '*release*' -delete`; `find / -name os-release -delete` from the root.
  { test: re(/(?:^|\/)(?:etc|usr\/lib)\/(?:\*\*\/)?(?:[\w*-]*release|debian_version|\*)\*?$/), what: 'the OS release file' },
  { test: re(/^\/(?:usr\/)?\*\*\/(?:[\w*-]*-release|debian_version)$/), what: 'the OS release file' },
  { test: re(/\.dist-info(?![^/])/), what: 'installed Python package metadata' },
  {
    test: (p) => after(p, /(?:site|dist)-packages\//, /\.egg-info(?![^/])/) || /^\/usr\/.*\.egg-info(?![^/])/.test(p),
    what: 'installed Python package metadata',
  },
  {
    test: (p) => p.endsWith('/package.json') && after(p.slice(0, -'/package.json'.length), /(?:^|\/)node_modules\//, /[^\n]$/),
    what: 'installed npm package metadata',
  },
  { test: re(/(?:^|\/)vendor\/composer\/installed\.json$/), what: 'installed Composer package metadata' },
  { test: (p) => after(p, /(?:gems?|bundle)(?=\/)/, /\/specifications(?![^/])/), what: 'installed Ruby gem specifications' },
  { test: re(/(?:^|\/)conda-meta(?![^/])/), what: 'the conda package metadata' },
  { test: re(/\.deps\.json$/), what: 'the .NET dependency manifest' },
];

function re(pattern: RegExp): (path: string) => boolean {
  return (path) => pattern.test(path);
}

/** `second` matches somewhere after the first match of `first` (the first leaves the most room). */
function after(path: string, first: RegExp, second: RegExp): boolean {
  const m = first.exec(path);
  return m !== null && second.test(path.slice(m.index + m[0].length));
}

/**
 * Text every PACKAGE_DB pattern needs in the path (each names one of these literally, and the `/var`
 * folders' entry is repeated whole): most deleted paths (`/var/lib/apt/lists/*`, `/tmp/*`) hold none
 * and are not tried against the fourteen.
 */
const PACKAGE_DB_WORDS =
  /^\/var(?:\/lib)?(?:\/|\/\*)?$|dpkg|apk|rpm|pacman|etc\/|usr\/lib\/|\*\*\/|\.dist-info|\.egg-info|package\.json|installed\.json|specifications|conda-meta|\.deps\.json/;

export function packageDbKind(path: string): string | undefined {
  if (!PACKAGE_DB_WORDS.test(path)) return undefined;
  // `/var/lib/dpkg/…-old` backups are not the database.
  if (path.endsWith('-old') && after(path.slice(0, -'-old'.length), /(?:^|\/)var\/lib\/dpkg\//, /^/)) return undefined;
  return PACKAGE_DB.find((p) => p.test(path))?.what;
}

const MANIFESTS = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'go.sum',
  'go.mod',
  'gemfile',
  'gemfile.lock',
  'cargo.lock',
  'pom.xml',
  'gradle.lockfile',
  'composer.json',
  'composer.lock',
  'poetry.lock',
  'pipfile',
  'pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'packages.lock.json',
]);

export function manifestName(path: string): string | undefined {
  if (/(?:^|\/)node_modules\//.test(path)) return undefined;
  const base = withoutTrailingSlashes(path).split('/').pop() ?? '';
  if (MANIFESTS.has(base.toLowerCase()) || /^requirements[\w.-]*\.txt$/i.test(base)) return base;
  return undefined;
}
