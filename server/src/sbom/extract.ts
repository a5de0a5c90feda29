/**
 * Derives the build-time SBOM of a Dockerfile from its instructions: per stage, the base image, the
 * packages each install command adds, what is fetched by URL, what is copied from other stages or
 * images, and the deletions and flattening that will hide part of it from an image scanner.
 * Pure: text in, data out; reads no file and runs nothing.
 */
import type { Instruction } from 'dockerfile-ast';
import { DockerfileModel, jsonFormStrings, Stage } from '../documents/dockerfile';
import { deletionsOf, directoryAfter } from './deletions';
import { resolveFrom } from '../../../rules/dockerfile/deletions';
import { checksumAt, downloadsOf, parseChecksumFlag, PendingDownload } from './downloads';
import type { Component, Deletion, DockerfileSbom, Evidence, Hash, StageSbom } from './model';
import {
  gemfileLockComponents,
  LOCK_FILES,
  ManifestRead,
  manifestReads,
  packageLockComponents,
  pnpmLockComponents,
  requirementsComponents,
  yarnLockComponents,
} from './manifests';
import { CommandContext, Distro, downloadComponent, packagesOf, pipRequirementFiles } from './packages';
import { purl } from './purl';
import { recordedDownloads } from './records';
import { joinContinuations, programIndex, programName, Script, simpleCommands, Variables } from './shell';

/** Past this many components a Dockerfile is not a build description any more; the rest is left out. */
const MAX_COMPONENTS_PER_FILE = 20_000;

type Vars = Map<string, string>;

interface StageState {
  readonly sbom: StageSbom;
  readonly distro: Distro;
}

export interface SbomOptions {
  /**
   * Reads a file of the build context by its path relative to the Dockerfile's folder (`/`-separated),
   * or undefined when it is not there. Without it, dependency files are not read.
   */
  readonly readContext?: (relativePath: string) => string | undefined;
}

export function dockerfileSbom(file: string, text: string, options: SbomOptions = {}): DockerfileSbom {
  return modelSbom(file, new DockerfileModel(text), options);
}

/** The SBOM of an already parsed Dockerfile (the editor and the linter share one parse). */
export function modelSbom(file: string, model: DockerfileModel, options: SbomOptions = {}): DockerfileSbom {
  const globals: Vars = new Map();
  for (const instr of model.preamble) if (keyword(instr) === 'ARG') declareArg(instr, globals, globals, new Map());
  const states: StageState[] = [];
  const byName = new Map<string, StageState>();
  let budget = MAX_COMPONENTS_PER_FILE;
  const at = (instr: Instruction, offset?: number): Evidence => ({
    file,
    line: (offset === undefined ? instr.getRange().start.line : model.lines.positionAt(offset).line) + 1,
  });

  for (const stage of model.stages) {
    const parent = stage.parent ? byName.get(stage.parent.name ?? '') : undefined;
    const written = stage.baseImage ?? '';
    const resolved = expandWord(written, globals);
    const base =
      stage.parent || !written || resolved.value.toLowerCase() === 'scratch'
        ? undefined
        : imageComponent(resolved.value, 'FROM', at(stage.from), resolved.unresolved);
    const distro = parent ? parent.distro : distroOf(resolved.value);
    const sbom: StageSbom = {
      index: stage.index,
      name: stage.name ?? String(stage.index),
      evidence: at(stage.from),
      ...(base ? { base } : {}),
      ...(parent ? { parentStage: parent.sbom.name } : {}),
      components: [],
      deletions: [],
      flattens: [],
      unresolvedInstalls: [],
      target: true,
    };
    const state: StageState = { sbom, distro };
    states.push(state);
    if (stage.name) byName.set(stage.name, state);
    byName.set(String(stage.index), state);
    // A stage another one builds on is an intermediate, not an image of its own.
    if (parent) notTarget(parent.sbom);

    const vars: Vars = new Map();
    const pending: PendingDownload[] = [];
    const copies: ContextCopy[] = [];
    const add = (c: Component): void => {
      if (budget-- > 0) sbom.components.push(c);
    };
    // The WORKDIR in force (absolute), for relative paths a RUN deletes; unknown until one is set.
    let workdir: string | undefined;
    for (const instr of stage.instructions) {
      const kw = keyword(instr);
      if (kw === 'ARG') declareArg(instr, vars, globals, vars);
      else if (kw === 'ENV') declareEnv(instr, vars);
      else if (kw === 'WORKDIR') {
        const dir = expandWord(instr.getArgumentsContent() ?? '', vars);
        workdir =
          dir.unresolved || !dir.value ? undefined : dir.value.startsWith('/') ? resolveFrom('/', dir.value) : workdir && resolveFrom(workdir, dir.value);
      } else if (kw === 'RUN')
        readRun(model, instr, vars, {
          cwd: workdir,
          distro,
          add,
          components: sbom.components,
          deletions: sbom.deletions,
          unresolved: sbom.unresolvedInstalls,
          pending,
          at,
          copies,
          readContext: options.readContext,
          file,
        });
      else if (kw === 'ADD' || kw === 'COPY') readCopy(instr, vars, kw, at(instr), { add, byName, sbom, stage, copies });
    }
  }
  const sbom: DockerfileSbom = { file, stages: states.map((s) => s.sbom) };
  // What the Dockerfile records of its downloads (the fix of dockerfile-software-outside-package-manager writes it).
  for (const [url, record] of recordedDownloads(model, sbom)) {
    const value = {
      ...(record.name && record.name !== '?' ? { name: record.name } : {}),
      ...(record.version && record.version !== '?' ? { version: record.version } : {}),
    };
    if (!value.name && !value.version) continue;
    for (const s of sbom.stages) for (const c of s.components) if (c.kind === 'download' && c.url === url) c.recorded = value;
  }
  return sbom;
}

function notTarget(stage: StageSbom): void {
  (stage as { target: boolean }).target = false;
}

function keyword(instr: Instruction): string {
  return instr.getKeyword().toUpperCase();
}

function expandWord(text: string, vars: Variables): { value: string; unresolved: boolean } {
  const words = simpleCommands(text, vars)[0]?.words ?? [];
  return { value: words.map((w) => w.value).join(' '), unresolved: words.some((w) => w.unresolved) };
}

/** `ARG NAME[=default]`: in a stage, a global ARG redeclared without a value keeps the global default. */
function declareArg(instr: Instruction, into: Vars, globals: Variables, scope: Variables): void {
  const prop = (instr as unknown as { getProperty?: () => { getName(): string; getValue(): string | null } | null }).getProperty?.();
  if (!prop) return;
  const name = prop.getName();
  const raw = prop.getValue();
  if (raw === null) {
    const global = globals.get(name);
    if (global !== undefined && into !== globals) into.set(name, global);
    return;
  }
  const value = expandWord(raw, scope);
  if (value.unresolved) into.delete(name);
  else into.set(name, value.value);
}

function declareEnv(instr: Instruction, vars: Vars): void {
  const props = (instr as unknown as { getProperties?: () => { getName(): string; getValue(): string | null }[] }).getProperties?.() ?? [];
  for (const p of props) {
    const raw = p.getValue();
    if (raw === null) continue;
    const value = expandWord(raw, vars);
    if (value.unresolved) vars.delete(p.getName());
    else vars.set(p.getName(), value.value);
  }
}

/** `registry/repo:tag@sha256:…` → parts; a colon after the last slash starts the tag. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const atSign = rest.indexOf('@');
  if (atSign >= 0) {
    digest = rest.slice(atSign + 1);
    rest = rest.slice(0, atSign);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

function imageComponent(image: string, tool: string, evidence: Evidence, unresolved: boolean): Component {
  const { repository, tag, digest } = parseImage(image);
  const hashes: Hash[] = [];
  if (digest?.startsWith('sha256:') && digest.length === 71) hashes.push({ algorithm: 'SHA-256', value: digest.slice(7).toLowerCase() });
  const name = repository.slice(repository.lastIndexOf('/') + 1).toLowerCase();
  return {
    kind: 'image',
    name: repository,
    ...(tag ? { version: tag } : {}),
    tool,
    // purl-spec oci: the version is the digest; the repository and tag are qualifiers.
    purl: purl('oci', undefined, name || repository, digest, { repository_url: fullRepository(repository), tag }),
    hashes,
    evidence,
    ...(unresolved ? { unresolved } : {}),
  };
}

/** `python` → `docker.io/library/python`, `bitnami/redis` → `docker.io/bitnami/redis`: as a pull resolves them. */
export function fullRepository(repository: string): string {
  const slash = repository.indexOf('/');
  const first = slash < 0 ? '' : repository.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost') return repository;
  return slash < 0 ? `docker.io/library/${repository}` : `docker.io/${repository}`;
}

/** The purl namespace of the distribution a base image is built on, from its name and tag. */
export function distroOf(image: string): Distro {
  const { repository, tag } = parseImage(image.toLowerCase());
  const all = `${repository}:${tag ?? ''}`;
  const repo = repository.slice(repository.lastIndexOf('/') + 1);
  const has = (s: string): boolean => all.includes(s);
  const rpm = has('fedora')
    ? 'fedora'
    : has('centos')
      ? 'centos'
      : has('rocky')
        ? 'rocky'
        : has('alma')
          ? 'almalinux'
          : has('amazonlinux')
            ? 'amazon'
            : has('oraclelinux')
              ? 'oracle'
              : repo.startsWith('ubi') || has('rhel') || has('redhat')
                ? 'redhat'
                : has('opensuse') || has('suse') || has('sles')
                  ? 'opensuse'
                  : has('photon')
                    ? 'photon'
                    : has('mariner') || has('azurelinux')
                      ? 'azurelinux'
                      : undefined;
  return {
    deb: has('ubuntu') ? 'ubuntu' : 'debian',
    apk: has('wolfi') || has('chainguard') ? 'wolfi' : 'alpine',
    ...(rpm ? { rpm } : {}),
  };
}

interface RunSinks {
  /** The stage's WORKDIR at the RUN (absolute), undefined when unknown. */
  cwd: string | undefined;
  distro: Distro;
  add: (c: Component) => void;
  /** The stage's components so far, for removals. */
  components: readonly Component[];
  deletions: Deletion[];
  unresolved: StageSbom['unresolvedInstalls'];
  pending: PendingDownload[];
  copies: readonly ContextCopy[];
  readContext: SbomOptions['readContext'];
  file: string;
  at: (instr: Instruction, offset?: number) => Evidence;
}

/** Scripts of a RUN: its shell form, or each here-document. Exec form (`RUN ["a", "b"]`) runs no shell. */
function scriptsOf(model: DockerfileModel, instr: Instruction): Script[] {
  const heredocs =
    (
      instr as unknown as {
        getHeredocs?: () => { getContentRange(): { start: { line: number; character: number }; end: { line: number; character: number } } | null }[];
      }
    ).getHeredocs?.() ?? [];
  if (heredocs.length) {
    return heredocs.flatMap((h) => {
      const range = h.getContentRange();
      if (!range) return [];
      const { start, end } = model.span(range);
      return [joinContinuations(model.text.slice(start, end), '\u0000', start)];
    });
  }
  const range = instr.getArgumentsRange();
  if (!range) return [];
  const { start, end } = model.span(range);
  const raw = model.text.slice(start, end);
  if (raw.trimStart().startsWith('[')) {
    try {
      const argv = JSON.parse(raw) as unknown;
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) {
        // `["sh", "-c", "script"]` is a shell script after all; other exec forms are one command.
        const shell = argv.length === 3 && (argv[0].endsWith('sh') || argv[0].endsWith('bash')) && argv[1] === '-c' ? argv[2] : argv.map(quoteWord).join(' ');
        return [{ text: shell, offset: () => start }];
      }
    } catch {
      // Not JSON: BuildKit runs it as a shell script.
    }
  }
  return [joinContinuations(raw, model.ast.getEscapeCharacter(), start)];
}

const quoteWord = (w: string): string => `'${w.split("'").join(`'\\''`)}'`;

function readRun(model: DockerfileModel, instr: Instruction, vars: Variables, sinks: RunSinks): void {
  for (const script of scriptsOf(model, instr)) {
    const commands = simpleCommands(script.text, vars);
    const runPending: PendingDownload[] = [];
    let cwd = sinks.cwd;
    commands.forEach((cmd, k) => {
      const offset = script.offset(cmd.start);
      const evidence = sinks.at(instr, offset);
      const p = programIndex(cmd.words);
      if (p >= cmd.words.length) return;
      const ctx: CommandContext = { evidence, distro: sinks.distro, at: (w) => sinks.at(instr, script.offset(w.start)) };
      const { installs, removes } = packagesOf(cmd.words, p, ctx);
      for (const c of installs) {
        // A package named by an unknown variable is not a component; the stage records it instead.
        if (c.unresolved && c.name.includes('$')) sinks.unresolved.push({ text: c.name, tool: c.tool, evidence: c.evidence });
        else sinks.add(c);
      }
      if (removes.length) markRemoved(sinks, removes, evidence);
      for (const read of manifestReads(
        programName(cmd.words[p].value),
        cmd.words.slice(p + 1).map((w) => w.value),
        pipRequirementFiles(cmd.words, p),
        installs.length,
      )) {
        readManifest(read, sinks, evidence, programName(cmd.words[p].value));
      }
      for (const d of downloadsOf(cmd.words, p, ctx.at)) {
        runPending.push(d);
        sinks.pending.push(d);
      }
      sinks.deletions.push(...deletionsOf(cmd.words, p, evidence, cwd));
      cwd = directoryAfter(cmd.words, p, cwd);
      const sum = checksumAt(commands, k);
      if (sum) attachChecksum(sinks.pending, sum.file, sum.hash);
    });
    // Downloads are added once the RUN is read, so a checksum verified after them is attached.
    for (const d of runPending) sinks.add(d.component);
  }
}

/** Marks the components installed earlier in the stage that `apk del` / `apt-get purge` removes. */
function markRemoved(sinks: RunSinks, names: readonly string[], evidence: Evidence): void {
  const wanted = new Set(names);
  for (const c of sinks.components) {
    if (c.kind !== 'os-package' || c.removedAt) continue;
    // `apk add --virtual .build-deps gcc …` then `apk del .build-deps` removes the whole group.
    if (wanted.has(c.name) || (c.group !== undefined && wanted.has(c.group))) c.removedAt = evidence;
  }
}

/** A file of the build context copied into the stage: `COPY requirements.txt /app/`, `COPY . .`. */
interface ContextCopy {
  readonly sources: string[];
  readonly dest: string;
}

const baseName = (p: string): string => {
  let s = p;
  while (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1);
  return s.slice(s.lastIndexOf('/') + 1);
};

/**
 * Where in the build context the file an install reads comes from: the COPY source with the same
 * name, or the same relative path under a `COPY . <dest>`. The context is taken to be the
 * Dockerfile's folder, as `docker build .` beside it has it.
 */
function contextPath(imagePath: string, copies: readonly ContextCopy[]): string | undefined {
  const name = baseName(imagePath);
  for (let i = copies.length - 1; i >= 0; i--) {
    const { sources, dest } = copies[i];
    for (const source of sources) {
      const clean = source.startsWith('./') ? source.slice(2) : source;
      if (clean.includes('*') || clean.includes('..') || clean.startsWith('/')) continue;
      if (clean !== '.' && clean !== '' && baseName(clean) === name) return clean;
      if (clean === '.' || clean === '') {
        if (!imagePath.startsWith('/')) return imagePath.startsWith('./') ? imagePath.slice(2) : imagePath;
        const root = dest.endsWith('/') ? dest : `${dest}/`;
        if (dest.startsWith('/') && imagePath.startsWith(root)) return imagePath.slice(root.length);
      }
    }
  }
  return undefined;
}

function readManifest(read: ManifestRead, sinks: RunSinks, evidence: Evidence, tool: string): void {
  if (!sinks.readContext) return;
  const imagePath = read.kind === 'requirements' ? read.path : LOCK_FILES[read.kind];
  const rel = contextPath(imagePath, sinks.copies);
  if (rel === undefined || rel.includes('..')) return;
  const text = sinks.readContext(rel);
  if (text === undefined) return;
  const dir = sinks.file.includes('/') ? sinks.file.slice(0, sinks.file.lastIndexOf('/') + 1) : '';
  const manifest = dir + rel;
  const found =
    read.kind === 'requirements'
      ? requirementsComponents(text, manifest, evidence, tool)
      : read.kind === 'package-lock'
        ? packageLockComponents(text, manifest, evidence, tool, read.omitDev)
        : read.kind === 'yarn-lock'
          ? yarnLockComponents(text, manifest, evidence, tool)
          : read.kind === 'pnpm-lock'
            ? pnpmLockComponents(text, manifest, evidence, tool)
            : gemfileLockComponents(text, manifest, evidence, tool);
  found.forEach(sinks.add);
}

function attachChecksum(pending: PendingDownload[], file: string, hash: Hash): void {
  for (let i = pending.length - 1; i >= 0; i--) {
    const d = pending[i];
    if (d.savedAs !== file || d.component.hashes.length) continue;
    const c = d.component;
    const withHash = downloadComponent(c.url ?? c.name, c.tool, c.evidence, [hash], c.unresolved);
    Object.assign(c, { hashes: withHash.hashes, purl: withHash.purl });
    return;
  }
}

interface CopySinks {
  copies: ContextCopy[];
  add: (c: Component) => void;
  byName: Map<string, StageState>;
  sbom: StageSbom;
  stage: Stage;
}

function readCopy(instr: Instruction, vars: Variables, kw: 'ADD' | 'COPY', evidence: Evidence, sinks: CopySinks): void {
  const flags = (instr as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags?.() ?? [];
  const flag = (name: string): string | null | undefined => flags.find((f) => f.getName().toLowerCase() === name)?.getValue();
  const paths = copyPaths(instr).map((p) => expandWord(p, vars));
  if (paths.length < 2) return;
  const sources = paths.slice(0, -1);
  const from = flag('from');
  if (kw === 'ADD' && from == null) {
    const checksum = parseChecksumFlag(flag('checksum'));
    const local: string[] = [];
    for (const s of sources) {
      if (s.value.includes('://') || s.value.startsWith('git@'))
        sinks.add(downloadComponent(s.value, 'ADD', evidence, checksum ? [checksum] : [], s.unresolved));
      else local.push(s.value);
    }
    if (local.length) sinks.copies.push({ sources: local, dest: paths[paths.length - 1].value });
    return;
  }
  if (from == null) {
    sinks.copies.push({ sources: sources.map((s) => s.value), dest: paths[paths.length - 1].value });
    return;
  }
  if (from === '') return;
  const fromValue = expandWord(from, vars);
  const source = sinks.byName.get(fromValue.value.toLowerCase());
  const whole = sources.some((s) => s.value === '/' || s.value === '/.' || s.value === '/*');
  if (source && whole) sinks.sbom.flattens.push({ stage: source.sbom.name, evidence });
  if (source) notTarget(source.sbom);
  else sinks.add(imageComponent(fromValue.value, `${kw} --from`, evidence, fromValue.unresolved));
  sinks.add({
    kind: 'copied-files',
    name: sources.map((s) => s.value).join(' '),
    tool: `${kw} --from`,
    hashes: [],
    evidence,
    copiedFrom: source ? `stage ${source.sbom.name}` : fromValue.value,
    ...(fromValue.unresolved || sources.some((s) => s.unresolved) ? { unresolved: true } : {}),
  });
}

/** Source and destination arguments of COPY/ADD, flags left out; JSON form read as JSON. */
function copyPaths(instr: Instruction): string[] {
  const json = jsonFormStrings(instr);
  if (json) return json.map((j) => j.value);
  return instr
    .getArguments()
    .map((a) => a.getValue())
    .filter((v) => !v.startsWith('--'));
}
