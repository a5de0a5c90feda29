/**
 * `bulkhead sbom [PATH...] [--format cyclonedx|spdx] [--out FILE]`: the build-time SBOM of every
 * Dockerfile under the paths, as one CycloneDX 1.6 or SPDX 2.3 JSON document.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyByName } from '../documents/classify';
import { readForLint, realRoots } from '../node/files';
import { dockerfileSbom, DockerfileSbom, toCycloneDx, toSpdx } from '../sbom';
import { displayPath, expandPaths } from './scan';
import { contextReader } from '../node/buildContext';
import type { FailOn } from './args';
import { COMPARE_FORMATS, CompareFormat, FAIL_LEVELS, runSbomCompare } from './sbomCompare';

export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

export interface SbomCommand {
  command: 'sbom';
  paths: string[];
  format: SbomFormat;
  out?: string;
  /** `--compare SCANNER.json`: report against a scanner's SBOM instead of writing one. */
  compare?: { file: string; format: CompareFormat; failOn: FailOn };
}

export interface SbomIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export class SbomUsageError extends Error {}

export function parseSbomArgs(argv: readonly string[]): SbomCommand | { command: 'help'; topic: string } {
  const args = [...argv];
  const paths: string[] = [];
  let format: SbomFormat = 'cyclonedx';
  let out: string | undefined;
  let onlyPaths = false;
  let compare: string | undefined;
  let formatValue: string | undefined;
  let failOn: FailOn = 'error';
  while (args.length) {
    const raw = args.shift()!;
    if (onlyPaths || !raw.startsWith('-') || raw === '-') {
      paths.push(raw);
      continue;
    }
    if (raw === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = eq > 0 ? raw.slice(eq + 1) : args.shift();
    switch (flag) {
      case '--help':
      case '-h':
        return { command: 'help', topic: 'sbom' };
      case '--format':
      case '-f':
        formatValue = value ?? '';
        break;
      case '--compare':
        if (!value) throw new SbomUsageError("--compare needs the scanner's SBOM (CycloneDX or SPDX JSON)");
        compare = value;
        break;
      case '--fail-on':
        if (!FAIL_LEVELS.includes(value as FailOn)) throw new SbomUsageError(`--fail-on must be one of ${FAIL_LEVELS.join(', ')} (got "${value ?? ''}")`);
        failOn = value as FailOn;
        break;
      case '--out':
      case '-o':
        if (!value) throw new SbomUsageError('--out needs a file');
        out = value;
        break;
      default:
        throw new SbomUsageError(`unknown option "${flag}"`);
    }
  }
  if (compare !== undefined) {
    if (paths.length !== 1) throw new SbomUsageError("--compare takes exactly one Dockerfile (the scanner's SBOM describes one image)");
    const compareFormat = formatValue ?? 'text';
    if (!COMPARE_FORMATS.includes(compareFormat as CompareFormat))
      throw new SbomUsageError(`with --compare, --format must be one of ${COMPARE_FORMATS.join(', ')} (got "${compareFormat}")`);
    return { command: 'sbom', paths, format, ...(out ? { out } : {}), compare: { file: compare, format: compareFormat as CompareFormat, failOn } };
  }
  if (formatValue !== undefined) {
    if (!SBOM_FORMATS.includes(formatValue as SbomFormat))
      throw new SbomUsageError(`--format must be one of ${SBOM_FORMATS.join(', ')} (got "${formatValue}")`);
    format = formatValue as SbomFormat;
  }
  return { command: 'sbom', paths: paths.length ? paths : ['.'], format, ...(out ? { out } : {}) };
}

/** The SBOMs of the Dockerfiles under `paths` (a file named on the command line is read whatever its name). */
export function collectSboms(paths: readonly string[], cwd: string): { sboms: DockerfileSbom[]; problems: string[] } {
  const { files, missing } = expandPaths(paths, cwd);
  const problems = missing.map((p) => `${p}: no such file or folder`);
  const named = new Set(paths.map((p) => path.resolve(cwd, p)));
  const roots = realRoots([cwd, ...paths.map((p) => path.resolve(cwd, p))]);
  const sboms: DockerfileSbom[] = [];
  for (const file of files) {
    if (!named.has(file) && classifyByName(file) !== 'dockerfile') continue;
    const display = displayPath(file, cwd);
    const read = readForLint(file, roots);
    if (!read.ok) problems.push(`${display}: cannot read: ${read.message}`);
    else if (read.decoded.kind === 'skipped') problems.push(`${display}: ${read.decoded.reason}`);
    else sboms.push(dockerfileSbom(display, read.decoded.text, { readContext: contextReader(path.dirname(file), roots) }));
  }
  return { sboms, problems };
}

/** Exit codes: 0 written, 2 a path missing or unreadable, or no Dockerfile found. */
export function runSbom(cmd: SbomCommand, io: SbomIo, version: string, now = new Date()): number {
  if (cmd.compare) {
    const write = cmd.out ? (s: string) => fs.writeFileSync(path.resolve(io.cwd, cmd.out!), s) : io.stdout;
    const dir = path.dirname(path.resolve(io.cwd, cmd.paths[0]));
    return runSbomCompare(
      {
        dockerfile: cmd.paths[0],
        compare: cmd.compare.file,
        format: cmd.compare.format,
        failOn: cmd.compare.failOn,
        readContext: contextReader(dir, realRoots([dir])),
      },
      { ...io, stdout: write },
      version,
    );
  }
  const { sboms, problems } = collectSboms(cmd.paths, io.cwd);
  for (const p of problems) io.stderr(`bulkhead: ${p}\n`);
  if (problems.length) return 2;
  if (!sboms.length) {
    io.stderr(`bulkhead: no Dockerfile under ${cmd.paths.join(', ')}\n`);
    return 2;
  }
  const subject = sboms.length === 1 ? sboms[0].file : cmd.paths.join(' ');
  const options = { toolVersion: version, now, subject };
  const doc = cmd.format === 'spdx' ? toSpdx(sboms, options) : toCycloneDx(sboms, options);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (cmd.out) fs.writeFileSync(path.resolve(io.cwd, cmd.out), text);
  else io.stdout(text);
  return 0;
}
