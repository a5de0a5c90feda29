/**
 * Software that reaches the image without any package manager: the ORCA study's "invisible to every
 * scanner" technique. Downloads are read with the SBOM's own reader (`server/src/sbom/downloads.ts`),
 * so the rule and `bulkhead sbom` agree on what a RUN fetches.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../../server/src/documents/dockerfile';
import type { DockerfileRule, DockerfileRuleContext } from '../../server/src/engine/rule';
import { downloadsOf } from '../../server/src/sbom/downloads';
import type { Word } from '../../server/src/sbom/shell';
import { basename, classifiedCommands, flagsOf, keyword, pathArguments, programClass, runScripts, scriptSpan, commandsOf } from './shared';
import type { ParsedCommand, Script } from './shared';
import { isGitSource } from './remoteAddWithoutChecksum';
import { shippedBy, stagesWithShippedFiles } from './shippedFileSystems';
import { guessNameVersion, insertRecord, isRecorded, recordsAbove, SoftwareRecord } from './softwareRecord';

type What = 'archive' | 'binary' | 'installer' | 'source' | 'build' | 'crate' | 'copied';

const ARCHIVE = ['.tar.gz', '.tar.xz', '.tar.bz2', '.tar.zst', '.tgz', '.txz', '.tbz2', '.tbz', '.tar', '.zip', '.7z'];
const INSTALLER = ['.sh', '.run', '.bin', '.bash'];
const NOT_SOFTWARE = [
  '.asc',
  '.sig',
  '.sign',
  '.gpg',
  '.pgp',
  '.key',
  '.pem',
  '.crt',
  '.sha256',
  '.sha512',
  '.sha1',
  '.md5',
  '.sha256sum',
  '.sha512sum',
  '.json',
  '.yaml',
  '.yml',
  '.xml',
  '.txt',
  '.md',
  '.conf',
  '.list',
  '.repo',
  '.html',
  '.deb',
  '.rpm',
  '.apk',
  '.whl',
  '.jar',
  '.war',
  '.gem',
  '.nupkg',
];
/** Directories on the default PATH: a file saved there is a command. */
const PATH_DIRS = ['/usr/local/bin/', '/usr/local/sbin/', '/usr/bin/', '/usr/sbin/', '/bin/', '/sbin/'];
/** Programs that build or install from a source tree. */
const BUILDERS = new Set([
  'make',
  'gmake',
  'cmake',
  'ninja',
  'meson',
  'configure',
  'autogen.sh',
  'bootstrap',
  'gcc',
  'g++',
  'cc',
  'c++',
  'clang',
  'scons',
  'bazel',
  'b2',
]);

const lower = (s: string): string => s.toLowerCase();

/** The file name of a URL without query or fragment. */
function urlFile(url: string): string {
  let end = url.length;
  for (const sep of ['?', '#']) {
    const k = url.indexOf(sep);
    if (k >= 0 && k < end) end = k;
  }
  const path = url.slice(0, end);
  return path.slice(path.lastIndexOf('/') + 1);
}

function isPathDir(path: string): boolean {
  return PATH_DIRS.some((d) => path.startsWith(d) && path.length > d.length && !path.slice(d.length).includes('/'));
}

/** Whether `name` ends with one of `suffixes`. */
function endsWithOne(name: string, suffixes: readonly string[]): boolean {
  for (let i = 0; i < suffixes.length; i++) if (name.endsWith(suffixes[i])) return true;
  return false;
}

/** What a fetched file is, by its name and where it goes; undefined for data, keys and package files. */
function classify(file: string, savedTo: string | undefined, executable: boolean): What | undefined {
  const name = lower(file);
  // Signatures, checksums and keys fetched beside a download (`gosu.asc` saved into /usr/local/bin too).
  if (endsWithOne(name, NOT_SOFTWARE) || (savedTo !== undefined && endsWithOne(lower(savedTo), NOT_SOFTWARE))) return undefined;
  if (savedTo && isPathDir(savedTo)) return 'binary';
  if (endsWithOne(name, ARCHIVE)) return 'archive';
  if (endsWithOne(name, INSTALLER)) return 'installer';
  // No extension: a release binary (`kubectl`, `gosu-amd64`) when the build makes it executable.
  if (!name.includes('.') && name !== '' && executable) return 'binary';
  return undefined;
}

const DESCRIBE: Record<What, string> = {
  archive: 'An archive fetched outside a package manager',
  binary: 'A binary fetched outside a package manager',
  installer: 'An installer fetched and run outside a package manager',
  source: 'Source code cloned and built outside a package manager',
  build: 'A source build installed with `make install`',
  crate: 'A tool built by `cargo install`',
  copied: 'A binary copied out of another image',
};

function message(what: What, shown: string, droppedInPath: string | undefined): string {
  const into = droppedInPath ? `, dropped into ${droppedInPath} on the PATH` : '';
  const tail =
    what === 'crate'
      ? 'a Rust binary carries no package record (unless built with cargo-auditable), so image scanners (Trivy, Syft, Docker Scout) do not list it'
      : 'it leaves no package database entry or language metadata, which is what image scanners (Trivy, Syft, Docker Scout, Grype) read, so they are likely to miss it (ORCA: such software was invisible to all seven scanners tested; only a few well-known runtimes and the build info of Go binaries are recognised by some)';
  return `${DESCRIBE[what]} (${shown})${into}: ${tail}, and then its vulnerabilities go unreported. Record its name, version and source above the instruction.`;
}

interface Found {
  instr: Instruction;
  start: number;
  end: number;
  what: What;
  shown: string;
  /** What the record must name as `source` (as written, and with variables resolved). */
  sources: string[];
  record: SoftwareRecord;
  droppedInPath?: string;
  /** The file the fetch writes (to decide whether a partially copied builder stage ships it). */
  path?: string;
}

/** Value of an output option (`-o FILE`, `-oFILE`, `--output=FILE`, `-fsSLo FILE`). */
function outputOf(args: readonly { value: string }[], short: string, long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === short || v === long) return args[i + 1]?.value;
    if (v.startsWith(`${long}=`)) return v.slice(long.length + 1);
    if (!v.startsWith('--') && v.startsWith('-') && v.length > 2) {
      const letters = v.slice(1);
      if (letters.endsWith(short[1]) && /^[a-zA-Z]+$/.test(letters)) return args[i + 1]?.value;
      if (v.startsWith(short)) return v.slice(2);
    }
  }
  return undefined;
}

/** The RUN scripts of a stage that build from source (`make`, `./configure`, `go build`, `cargo build`…). */
function buildsFromSource(model: DockerfileModel, stage: Stage, afterLine: number): boolean {
  for (const { script } of runScripts(model, [stage])) {
    if (script.instr.getRange().start.line < afterLine) continue;
    for (const cmd of commandsOf(script)) {
      const ws = cmd.words;
      const p = cmd.program;
      if (p >= ws.length) continue;
      const prog = basename(ws[p].value);
      if (BUILDERS.has(prog)) return true;
      const sub = ws[p + 1]?.value;
      if ((prog === 'go' || prog === 'cargo') && (sub === 'build' || sub === 'install')) return true;
      if (/^python[\d.]*$/.test(prog) && sub === 'setup.py') return true;
    }
  }
  return false;
}

/**
 * `ws.slice(from)`, copied by a loop: the shell reader's word and command lists are frozen, and V8
 * slices, filters and searches a frozen array on its slow path, several times a loop's cost.
 */
function wordsFrom<T>(ws: readonly T[], from: number): T[] {
  const out: T[] = [];
  for (let i = from; i < ws.length; i++) out.push(ws[i]);
  return out;
}

/** `chmod +x FILE`, `chmod 755 FILE`, `install -m 0755 FILE …` naming the saved file. */
function makesExecutable(cmd: ParsedCommand, saved: string): boolean {
  const ws = cmd.words;
  const p = cmd.program;
  const prog = basename(ws[p]?.value ?? '');
  if (prog !== 'chmod' && prog !== 'install') return false;
  const args: string[] = [];
  for (let i = p + 1; i < ws.length; i++) args.push(ws[i].value);
  if (!args.some((a) => basename(a) === saved)) return false;
  if (prog === 'install') return true;
  return args.some((a) => (/^[0-7]{3,4}$/.test(a) && /[157]/.test(a)) || (a.includes('+') && a.includes('x') && !a.includes('/')));
}

/** The programs fetchesInRun reads. */
const FETCHING_PROGRAMS = new Set(['curl', 'wget', 'git', 'make', 'gmake', 'ninja', 'cmake', 'meson', 'cargo']);
/**
 * Their class (programClass): `basename` is the program word from its last `/` on, as programName
 * names it, except for a word ending in `/` (`curl/` is `curl` to basename), which programName names ''.
 */
const FETCHING = programClass([...FETCHING_PROGRAMS, '']);

/**
 * Substrings of the programs this rule reads (`gmake` contains `make`), as one regex of the literal
 * words: one pass over a script instead of an `includes` (and a closure call) per word.
 */
const INTERESTING = /curl|wget|git|make|ninja|meson|cargo/;

const asSbomWords = (ws: readonly { value: string; start: number }[]): Word[] =>
  ws.map((w) => ({ value: w.value, start: w.start, unresolved: w.value.includes('$') }));

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh']);

/** Programs that can put a fetched file onto the PATH. */
const MOVERS = new Set(['mv', 'cp', 'install']);

/**
 * What the commands of a script that names one of FETCHING_PROGRAMS fetch or install. It reads no
 * property of `script` itself: compiled code reading one checks the object's map, and scripts come
 * in two (shell and exec form), which threw the compiled loop away.
 */
function fetchesInRun(ctx: DockerfileRuleContext, stage: Stage, script: Script, out: Found[]): void {
  // Only the commands running one of them (a few) are read, in order (classifiedCommands).
  const only = classifiedCommands(script);
  if ((only.all & FETCHING) === 0) return;
  const cmds = commandsOf(script);
  for (let j = 0; j < only.commands.length; j++) {
    if ((only.classes[j] & FETCHING) === 0) continue;
    const ci = only.commands[j];
    const cmd = cmds[ci];
    const ws = cmd.words;
    const p = cmd.program;
    const prog = basename(ws[p].value);
    // (Programs written with a trailing `/`, named '' by programName, are told apart here.)
    if (!FETCHING_PROGRAMS.has(prog)) continue;
    // The command's text names one of them as written (a program spelt with quotes, `c"url"`, is not read).
    if (!INTERESTING.test(cmd.text)) continue;
    commandFetches(ctx, stage, script, cmds, ci, prog, out);
  }
}

/** Evidence for downloadsOf, which the rule does not read. */
const NO_EVIDENCE = (): { file: string; line: number } => ({ file: '', line: 0 });

/** Whether a word of `ws` is `a` or `b`. */
function hasWord(ws: readonly { value: string }[], a: string, b = a): boolean {
  for (let i = 0; i < ws.length; i++) if (ws[i].value === a || ws[i].value === b) return true;
  return false;
}

/**
 * What the command `cmds[ci]` (running `prog`, one of FETCHING_PROGRAMS) fetches or installs. Apart
 * from fetchesInRun's loop: only a few hundred commands of a scan get here, and V8 optimises that
 * loop (run for every command) without compiling this too.
 */
function commandFetches(
  ctx: DockerfileRuleContext,
  stage: Stage,
  script: Script,
  cmds: readonly ParsedCommand[],
  ci: number,
  prog: string,
  out: Found[],
): void {
  const cmd = cmds[ci];
  const ws = cmd.words;
  const p = cmd.program;
  const args = wordsFrom(ws, p + 1);
  if (prog === 'curl' || prog === 'wget' || (prog === 'git' && hasWord(args, 'clone'))) {
    // `curl … | sh` is `dockerfile-curl-pipe-shell`'s finding, which says the same about scanners.
    if (cmd.next === '|' && cmds[ci + 1] && SHELLS.has(basename(cmds[ci + 1].words[0]?.value ?? ''))) return;
    const output = prog === 'curl' ? outputOf(args, '-o', '--output') : prog === 'wget' ? outputOf(args, '-O', '--output-document') : undefined;
    const downloads = downloadsOf(asSbomWords(ws), p, NO_EVIDENCE);
    for (let di = 0; di < downloads.length; di++) {
      const url = downloads[di].component.url ?? '';
      let w: (typeof ws)[number] | undefined;
      for (let k = 0; k < ws.length && !w; k++) if (ws[k].value === url) w = ws[k];
      if (!w) continue;
      let what: What | undefined;
      if (prog === 'git') {
        what = buildsFromSource(ctx.dockerfile, stage, script.instr.getRange().start.line) ? 'source' : undefined;
      } else {
        const saved = output && output !== '-' ? basename(output) : urlFile(url);
        // Made executable, or moved onto the PATH, by the same RUN.
        // Only commands naming the file can make it executable or move it (and words() on each would be D × N).
        let executable = false;
        let movedTo: string | undefined;
        let moverSeen = false;
        if (saved !== '') {
          for (let k = 0; k < cmds.length; k++) {
            const c = cmds[k];
            if (!c.text.includes(saved)) continue;
            if (!executable && makesExecutable(c, saved)) executable = true;
            // The first naming command that moves the file onto the PATH gives its target.
            if (!moverSeen && movesOntoPath(c.words, saved)) {
              moverSeen = true;
              movedTo = c.words[c.words.length - 1]?.value;
            }
          }
        }
        const target = output && output !== '-' ? output : movedTo;
        what = classify(urlFile(url), target ?? movedTo, executable || (target !== undefined && isPathDir(target)));
        if (what && target && isPathDir(target)) {
          const guess = guessNameVersion(url);
          out.push(found(ctx, script, cmd.start + w.start, cmd.start + w.end, what, prog, url, guess, target));
          continue;
        }
      }
      if (!what) continue;
      out.push(
        found(ctx, script, cmd.start + w.start, cmd.start + w.end, what, prog === 'git' ? 'git clone' : prog, url, guessNameVersion(url), undefined, output),
      );
    }
  } else if ((prog === 'make' || prog === 'gmake' || prog === 'ninja') && hasWord(args, 'install', 'install-strip')) {
    const w = args.find((a) => a.value === 'install' || a.value === 'install-strip')!;
    out.push(found(ctx, script, cmd.start + ws[p].start, cmd.start + w.end, 'build', `${prog} install`, undefined, { name: '?' }));
  } else if ((prog === 'cmake' || prog === 'meson') && (hasWord(args, '--install') || (prog === 'meson' && hasWord(args, 'install')))) {
    out.push(found(ctx, script, cmd.start + ws[p].start, cmd.start + args[args.length - 1].end, 'build', `${prog} install`, undefined, { name: '?' }));
  } else if (prog === 'cargo' && args[0]?.value === 'install') {
    const crate = args
      .slice(1)
      .find(
        (a, i, all) =>
          !a.value.startsWith('-') &&
          !/^--(?:root|version|git|branch|tag|rev|path|features|target|profile|index|registry|jobs|locked)$/.test(all[i - 1]?.value ?? ''),
      );
    const v = args.findIndex((a) => a.value === '--version' || a.value === '--vers');
    const at = crate?.value.indexOf('@') ?? -1;
    const version = v >= 0 ? args[v + 1]?.value : at > 0 ? crate?.value.slice(at + 1) : undefined;
    out.push(
      found(ctx, script, cmd.start + ws[p].start, cmd.start + (crate ?? args[0]).end, 'crate', 'cargo install', undefined, {
        name: crate ? (at > 0 ? crate.value.slice(0, at) : crate.value) : '?',
        version,
      }),
    );
  }
}

/** `mv|cp|install … FILE … /usr/local/bin/`: a command naming the saved file whose last word is a PATH directory. */
function movesOntoPath(cw: readonly { value: string }[], saved: string): boolean {
  if (!MOVERS.has(basename(cw[0]?.value ?? ''))) return false;
  let names = false;
  for (let i = 0; i < cw.length && !names; i++) if (basename(cw[i].value) === saved) names = true;
  return names && isPathDir(cw[cw.length - 1]?.value ?? '');
}

function found(
  ctx: DockerfileRuleContext,
  script: Script,
  from: number,
  to: number,
  what: What,
  tool: string,
  url: string | undefined,
  guess: { name: string; version?: string },
  droppedInPath?: string,
  output?: string,
): Found {
  const span = scriptSpan(script, from, to);
  const line = script.instr.getRange().start.line;
  const resolved = url?.includes('$') ? resolveIn(ctx.dockerfile, url, line) : url;
  const named = resolved ? guessNameVersion(resolved) : guess;
  return {
    instr: script.instr,
    start: span.start,
    end: span.end,
    what,
    shown: url ? `${tool} ${url}` : tool,
    sources: url ? [url, ...(resolved && resolved !== url ? [resolved] : [])] : [],
    record: { name: named.name || guess.name, version: named.version ?? guess.version, ...(url ? { source: url } : {}) },
    ...(droppedInPath ? { droppedInPath, path: droppedInPath } : output?.startsWith('/') ? { path: output } : {}),
  };
}

/** `/\w/` on one character code: ASCII letters, digits and `_`. */
const isWordCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** A URL with the ARG/ENV values in scope substituted, for the name and version of the template. */
function resolveIn(model: DockerfileModel, text: string, line: number): string | undefined {
  let unknown = false;
  let out = '';
  let i = 0;
  while (i < text.length) {
    // The text up to the next `$` is copied as it is, in one piece.
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    i = dollar;
    const braced = text[i + 1] === '{';
    let k = braced ? i + 2 : i + 1;
    while (k < text.length && isWordCode(text.charCodeAt(k))) k++;
    const name = text.slice(braced ? i + 2 : i + 1, k);
    if (!name || (braced && text[k] !== '}')) {
      out += '$';
      i++;
      continue;
    }
    const value = model.ast.resolveVariable(name, line);
    if (value === undefined || value === null) unknown = true;
    out += value ?? '';
    i = braced ? k + 1 : k;
  }
  return unknown ? undefined : out;
}

/** `COPY --from=<image> /usr/bin/tool /usr/local/bin/`: a program from another image onto the PATH, no package record with it. */
function imageCopies(ctx: DockerfileRuleContext, stage: Stage, instr: Instruction, out: Found[]): void {
  const from = flagsOf(instr).find((f) => f.name.toLowerCase() === 'from')?.value;
  if (!from || from.includes('$')) return;
  const lower = from.toLowerCase();
  // A build stage (by name or index) is this Dockerfile's own build, not another image.
  if (/^\d{1,4}$/.test(from) || ctx.dockerfile.stages.some((s) => s.index < stage.index && s.name === lower)) return;
  const paths = pathArguments(instr);
  const dest = paths[paths.length - 1]?.value ?? '';
  for (const src of paths.slice(0, -1)) {
    const file = basename(src.value);
    const target = dest.endsWith('/') ? `${dest}${file}` : dest;
    if (!isPathDir(target) || file.includes('*')) continue;
    const span = ctx.spanOf(src.range);
    const at = from.lastIndexOf(':');
    const tag = at > from.lastIndexOf('/') ? from.slice(at + 1) : undefined;
    out.push({
      instr,
      start: span.start,
      end: span.end,
      what: 'copied',
      shown: `COPY --from=${from} ${src.value}`,
      sources: [from],
      record: { name: file, ...(tag && !tag.includes('@') ? { version: tag } : {}), source: from },
      droppedInPath: target,
      path: target,
    });
  }
}

function addFetches(ctx: DockerfileRuleContext, stage: Stage, out: Found[]): void {
  for (const instr of stage.instructions) {
    const kw = keyword(instr);
    if (kw === 'COPY') imageCopies(ctx, stage, instr, out);
    if (kw !== 'ADD') continue;
    const executable = flagsOf(instr).some((f) => f.name === 'chmod' && /[157]/.test(f.value ?? ''));
    const paths = pathArguments(instr);
    const dest = paths[paths.length - 1]?.value ?? '';
    for (const src of paths.slice(0, -1)) {
      if (isGitSource(src.value)) {
        if (!buildsFromSource(ctx.dockerfile, stage, instr.getRange().start.line)) continue;
      } else if (!/^(?:https?|ftp):\/\//i.test(src.value)) continue;
      const target = dest.endsWith('/') ? `${dest}${urlFile(src.value)}` : dest;
      const what = isGitSource(src.value) ? 'source' : classify(urlFile(src.value), target, executable || isPathDir(target));
      if (!what) continue;
      const span = ctx.spanOf(src.range);
      const line = instr.getRange().start.line;
      const resolved = src.value.includes('$') ? resolveIn(ctx.dockerfile, src.value, line) : src.value;
      const guess = guessNameVersion(resolved ?? src.value);
      out.push({
        instr,
        start: span.start,
        end: span.end,
        what,
        shown: `ADD ${src.value}`,
        sources: [src.value, ...(resolved && resolved !== src.value ? [resolved] : [])],
        record: { name: guess.name, version: guess.version, source: src.value },
        ...(isPathDir(target) ? { droppedInPath: target } : {}),
        ...(target.startsWith('/') ? { path: target } : {}),
      });
    }
  }
}

export const dockerfileSoftwareOutsidePackageManager: DockerfileRule = {
  id: 'dockerfile-software-outside-package-manager',
  language: 'dockerfile',
  title: 'Software installed outside a package manager (invisible to image scanners)',
  category: 'dockerfile',
  severity: 'warning',
  description:
    "Image scanners (Trivy, Syft/Grype, Docker Scout and the registries' scanners) list what the package " +
    'databases and language metadata of an image record. Software fetched with `curl`/`wget`/`ADD <url>` as an ' +
    'archive, a binary or an installer, cloned with `git clone` and built, installed by `./configure && make install`, ' +
    '`cmake --install` or `cargo install`, or dropped into a `PATH` directory (downloaded there, or copied out of ' +
    'another image with `COPY --from=<image>`) leaves no such record: in the ORCA ' +
    'study (Bufalino et al. 2025) it was invisible to all seven scanners tested, so its vulnerabilities are never ' +
    'reported. Flagged where it stays in the image: the final stage, the stages it builds on, and builder stages whose ' +
    "whole file system (or the file's directory) a shipped stage copies. Keys, checksums, data files and package " +
    'files installed by a package manager (`.deb`, `.rpm`, `.whl`) are not flagged, nor `curl … | sh` (that is ' +
    '`dockerfile-curl-pipe-shell`). A few well-known programs are recognised from their binaries by some scanners ' +
    "(Syft's binary classifiers, Go build information); most are not.",
  remediation:
    "Prefer the distribution's or the language's package (`apt-get install`, `pip install`), which scanners see. " +
    'Otherwise record what the build installs, right above the instruction: ' +
    '`# bulkhead-sbom: name=postgresql version=16.3 source=https://ftp.postgresql.org/…/postgresql-16.3.tar.gz` ' +
    '(the quick-fix writes it with the name and version guessed from the URL). A recorded source is not flagged, and ' +
    '`bulkhead sbom` lists it, so the build-time SBOM covers what the image scanner cannot.',
  references: [],
  fixes: [{ title: 'Record name, version and source in a comment above', applicability: 'safe' }],
  recommended: true,
  check(ctx) {
    const model = ctx.dockerfile;
    for (const stage of stagesWithShippedFiles(model)) {
      const found: Found[] = [];
      const runs = runScripts(model, [stage]);
      for (let r = 0; r < runs.length; r++) {
        // A script naming none of them has no command that does (most RUNs): skip it whole.
        if (INTERESTING.test(runs[r].script.text)) fetchesInRun(ctx, runs[r].stage, runs[r].script, found);
      }
      addFetches(ctx, stage, found);
      found.sort((a, b) => a.start - b.start);
      // One finding per piece of software: `make install` after a fetch of its source is the same one.
      let fetched = false;
      for (const f of found) {
        if (f.what === 'build' && fetched) continue;
        if (f.what !== 'build') fetched = true;
        const via = shippedBy(model, stage, f.path ?? '');
        if (via === undefined) continue;
        if (isRecorded(recordsAbove(model, f.instr), f.sources)) continue;
        const instrStart = ctx.spanOf(f.instr).start;
        const related = via ? ctx.spanOf(via.instr) : undefined;
        ctx.report({
          at: { start: f.start, end: f.end },
          message:
            message(f.what, f.shown, f.droppedInPath) +
            (via ? ` Shipped by COPY --from=${via.from} ${via.source} ${via.dest} (line ${via.instr.getRange().start.line + 1}).` : ''),
          ...(via && related
            ? {
                related: [
                  {
                    path: ctx.filePath,
                    start: related.start,
                    end: related.end,
                    message: `COPY --from=${via.from} ${via.source} ${via.dest} ships it into the image`,
                  },
                ],
              }
            : {}),
          fixes: [
            { title: 'Record name, version and source in a comment above', applicability: 'safe', edits: () => [insertRecord(model, instrStart, f.record)] },
          ],
        });
      }
    }
  },
};
