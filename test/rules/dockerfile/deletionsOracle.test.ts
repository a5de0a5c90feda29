/**
 * What the deletion rules read of RUN steps (rules/dockerfile/deletions.ts) against its earlier
 * version (kept here as the oracle, from commit da91062): the rm/unlink/shred/truncate/mv operands
 * were read through a copy of the word list, two filters and a slice, and are now read by one loop
 * over the words; packageDbKind's prefilter names the `/var` folders' entry whole instead of
 * `^/var`. Their answers must not change: compared on the corpus Dockerfiles and on random RUNs
 * built from the words each branch reads.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { changeDirectory, deletions, packageDbKind, resolveFrom, workdirs } from '../../../rules/dockerfile/deletions';
import type { Deletion } from '../../../rules/dockerfile/deletions';
import { commandsOf, runScripts } from '../../../rules/dockerfile/shared';
import { withoutTrailingSlashes } from '../../../rules/text';
import { DockerfileModel } from '../../../server/src/documents/dockerfile';
import type { Stage } from '../../../server/src/documents/dockerfile';
import { seededRandom } from '../../support/loadWorkload';
import { CORPUS } from '../../support/paths';

// ---------------------------------------------------------------------------------------------
// The oracle: deletions.ts of da91062, unchanged but for the names.

/** The set it had. */
const DELETING_PROGRAMS = new Set(['rm', 'unlink', 'shred', 'truncate', 'mv', 'find', 'ln', 'cp']);

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

function oldStageDeletions(model: DockerfileModel, stage: Stage): Deletion[] {
  const out: Deletion[] = [];
  const wds = workdirs(stage);
  const runs = runScripts(model, [stage]);
  for (let r = 0; r < runs.length; r++) {
    const script = runs[r].script;
    const cmds = commandsOf(script);
    // A command's text is a piece of its script's: without `>` in the script, none redirects.
    const redirects = script.text.includes('>');
    let cwd = wds.get(script.instr);
    const at = (path: string): string => clean(resolveFrom(cwd, path));
    for (let ci = 0; ci < cmds.length; ci++) {
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
      const p = cmd.program;
      if (p >= ws.length) continue;
      // (Most programs are named without a path: no search from the end, a call into the runtime, for them.)
      const first = ws[p].value;
      const prog = first.includes('/') ? first.slice(first.lastIndexOf('/') + 1) : first;
      if (prog === 'cd' || prog === 'pushd') {
        cwd = changeDirectory(cwd, valuesFrom(ws, p + 1));
        continue;
      }
      if (!DELETING_PROGRAMS.has(prog)) continue;
      const args = wordsFrom(ws, p + 1);
      if (prog === 'ln' || prog === 'cp') {
        // `ln -sf /dev/null /etc/os-release`, `cp /dev/null /etc/os-release`: the target is replaced. Not a link
        // or copy of another release file (`ln -sf ../usr/lib/os-release /etc/os-release` restores the default).
        const operands = args.filter((a) => !a.value.startsWith('-') && !isRedirection(a.value));
        if (operands.length !== 2 || (prog === 'ln' && !forcesLink(args.map((a) => a.value)))) continue;
        const [source, target] = operands;
        if (prog === 'cp' && source.value !== '/dev/null') continue;
        if (oldPackageDbKind(at(source.value)) === 'the OS release file' || /release$/.test(source.value)) continue;
        out.push({ script, stage, path: at(target.value), from: cmd.start + target.start, to: cmd.start + target.end, verb: 'overwriting' });
        continue;
      }
      if (prog === 'rm' || prog === 'unlink' || prog === 'shred' || prog === 'truncate' || prog === 'mv') {
        let operands = args.filter((a, i) => !a.value.startsWith('-') && !(prog === 'truncate' && /^(?:-s|--size)$/.test(args[i - 1]?.value ?? '')));
        operands = operands.filter((a) => !isRedirection(a.value));
        if (prog === 'mv') operands = operands.slice(0, -1);
        for (const a of operands) {
          if (a.value === '--') continue;
          out.push({ script, stage, path: at(a.value), from: cmd.start + a.start, to: cmd.start + a.end, verb: prog });
        }
      } else if (prog === 'find') {
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
 * Text every PACKAGE_DB pattern needs in the path (each names one of these literally): most deleted
 * paths (`/var/lib/apt/lists/*`, `/tmp/*`) hold none and are not tried against the fourteen.
 */
const PACKAGE_DB_WORDS =
  /^\/var|dpkg|apk|rpm|pacman|etc\/|usr\/lib\/|\*\*\/|\.dist-info|\.egg-info|package\.json|installed\.json|specifications|conda-meta|\.deps\.json/;

function oldPackageDbKind(path: string): string | undefined {
  if (!PACKAGE_DB_WORDS.test(path)) return undefined;
  // `/var/lib/dpkg/…-old` backups are not the database.
  if (path.endsWith('-old') && after(path.slice(0, -'-old'.length), /(?:^|\/)var\/lib\/dpkg\//, /^/)) return undefined;
  return PACKAGE_DB.find((p) => p.test(path))?.what;
}

function oldDeletions(model: DockerfileModel): Deletion[] {
  const out: Deletion[] = [];
  for (const stage of model.stages) out.push(...oldStageDeletions(model, stage));
  return out;
}

// ---------------------------------------------------------------------------------------------

const show = (ds: readonly Deletion[]): string[] =>
  ds.map((d) => `${d.stage.index} ${d.script.instr.getRange().start.line} ${d.path} ${d.from}-${d.to} ${d.verb}`);

function same(text: string): number {
  const model = new DockerfileModel(text);
  const expected = show(oldDeletions(model));
  assert.deepEqual(show(deletions(model, model.stages)), expected, text);
  for (const p of expected) {
    const written = p.split(' ')[2];
    assert.equal(packageDbKind(written), oldPackageDbKind(written), written);
  }
  return expected.length;
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Words each branch reads: programs, options (truncate's size among them), redirections, paths. */
const WORDS = [
  'rm',
  'unlink',
  'shred',
  'truncate',
  'mv',
  '/bin/rm',
  'cp',
  'ln',
  'find',
  'cd',
  'echo',
  ':',
  'sudo',
  '-rf',
  '-f',
  '--',
  '-s',
  '--size',
  '-s0',
  '--size=0',
  '0',
  '-sf',
  '--force',
  '>',
  '>x',
  '>>y',
  '2>/dev/null',
  '>/dev/null',
  '<in',
  '2>&1',
  '/var',
  '/var/',
  '/var/*',
  '/var/lib',
  '/var/lib/',
  '/var/lib/*',
  '/var/lib/dpkg/status',
  '/var/lib/apt/lists/*',
  '/var/cache',
  '/varx',
  'var/lib',
  '/etc/os-release',
  '/usr/lib/os-release',
  '/dev/null',
  'a',
  'b',
  'dir/',
  '"/var/lib"',
  "'x y'",
  '$X',
  '~/.cache',
  '..',
  '.',
  '/var//lib',
  './x',
  '&&',
  ';',
  '|',
  '||',
  '\\\n ',
  '-name',
  '*release*',
  '-delete',
  '-exec',
  '{}',
  '+',
  'xargs',
  '-print0',
];

describe('deletions against the da91062 version', () => {
  it('on random RUNs', () => {
    const random = seededRandom(16);
    const pick = (): string => WORDS[Math.floor(random() * WORDS.length)];
    let found = 0;
    for (let n = 0; n < 4000; n++) {
      const lines = ['FROM debian:12'];
      if (random() < 0.3) lines.push(`WORKDIR ${random() < 0.5 ? '/var' : 'sub'}`);
      for (let r = 1 + Math.floor(random() * 3); r > 0; r--) {
        // Most start with one of the programs read (the first eleven words).
        const words: string[] = random() < 0.7 ? [WORDS[Math.floor(random() * 11)]] : [];
        for (let w = 1 + Math.floor(random() * 10); w > 0; w--) words.push(pick());
        lines.push(`RUN ${words.join(' ')}`);
      }
      found += same(`${lines.join('\n')}\n`);
    }
    assert.ok(found > 4000, `only ${found} deletions`);
  });

  it('on random paths', () => {
    const random = seededRandom(30);
    const parts = ['/', 'var', 'lib', '*', 'dpkg', 'etc', 'x', '-old', '**', 'release', '.'];
    for (let n = 0; n < 20000; n++) {
      let p = '';
      for (let k = Math.floor(random() * 7); k > 0; k--) p += parts[Math.floor(random() * parts.length)];
      assert.equal(packageDbKind(p), oldPackageDbKind(p), p);
    }
  });

  it('on every corpus Dockerfile', { skip: !fs.existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
    let found = 0;
    for (const file of walk(CORPUS)) {
      if (!path.basename(file).toLowerCase().includes('dockerfile')) continue;
      found += same(fs.readFileSync(file, 'utf8'));
    }
    assert.ok(found > 1000, `only ${found} deletions`);
  });
});
