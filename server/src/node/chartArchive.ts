/**
 * A packaged chart (`charts/<name>-<version>.tgz`, as `helm dependency update` leaves it): a gzip
 * tar read in memory with node:zlib and a small tar reader, as helm's loader reads it. The archive
 * comes from the repository being linted, so everything is bounded (its size unpacked, its number of
 * entries, each name) and nothing is written to disk: no path can escape, no link is followed (a
 * link entry is an empty file, as helm makes it), and what helm refuses (absolute paths, `..`, a
 * Chart.yaml at the top instead of in the chart folder) is refused here with the same words.
 */
import type * as Zlib from 'node:zlib';
import type { ChartFiles } from '../documents/helm/chart';

/** Largest archive unpacked (helm allows 100 MiB; a linter needs far less). */
export const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;
/** Most entries read from one archive. */
export const MAX_ENTRIES = 5000;

export class ChartArchiveError extends Error {}

/** What is left to unpack: shared by an archive and the archives inside it. */
export interface ArchiveBudget {
  bytes: number;
  entries: number;
}

export function newBudget(): ArchiveBudget {
  return { bytes: MAX_UNPACKED_BYTES, entries: MAX_ENTRIES };
}

export interface ArchiveFile {
  /** Path inside the chart, `/`-separated, without the archive's top folder (`templates/x.yaml`). */
  name: string;
  data: Buffer;
}

/** The files of a chart archive (gzip tar), as helm's LoadArchiveFiles gives them. Throws ChartArchiveError. */
export function readChartArchive(gz: Buffer, budget: ArchiveBudget = newBudget()): ArchiveFile[] {
  let tar: Buffer;
  try {
    // Required here: only packaged subcharts need zlib, and every start would load it.
    const zlib = require('node:zlib') as typeof Zlib;
    tar = zlib.gunzipSync(gz, { maxOutputLength: Math.max(1, budget.bytes + 1024 * 1024) });
  } catch (err) {
    if (err instanceof RangeError) throw new ChartArchiveError(`unpacked, it is larger than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB`);
    throw new ChartArchiveError(`not a gzip archive (${(err as Error).message})`);
  }
  const files: ArchiveFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let paxSize: number | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // the end-of-archive blocks
    if (--budget.entries < 0) throw new ChartArchiveError(`more than ${MAX_ENTRIES} entries`);
    checkChecksum(header);
    const type = String.fromCharCode(header[156] || 0x30);
    const size = paxSize ?? sizeOf(header);
    const start = offset + 512;
    const end = start + size;
    if (end > tar.length) throw new ChartArchiveError('an entry is cut short (truncated archive)');
    offset = start + Math.ceil(size / 512) * 512;
    const body = tar.subarray(start, end);
    if (type === 'L') {
      longName = cString(body);
      continue;
    }
    if (type === 'x') {
      ({ path: paxPath, size: paxSize } = paxRecords(body));
      continue;
    }
    if (type === 'g' || type === 'K') continue; // global headers and GNU long link names carry nothing helm reads
    const name = paxPath ?? longName ?? ustarName(header);
    longName = undefined;
    paxPath = undefined;
    paxSize = undefined;
    if (type === '5' || name.endsWith('/')) continue; // a folder
    // Regular files; a link (1, 2) or a device is an empty file, as helm makes it: never followed.
    const data = type === '0' || type === '7' ? Buffer.from(body) : Buffer.alloc(0);
    budget.bytes -= data.length;
    if (budget.bytes < 0) throw new ChartArchiveError(`unpacked, it is larger than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB`);
    files.push({ name: chartPath(name), data: withoutBom(data) });
  }
  if (!files.length) throw new ChartArchiveError('no files in chart archive');
  return files;
}

/** helm's checks of an entry name, then the name without its top folder. */
function chartPath(raw: string): string {
  const delimiter = raw.includes('\\') ? '\\' : '/';
  const parts = raw.split(delimiter);
  if (parts[0] === 'Chart.yaml') throw new ChartArchiveError('chart yaml not in base directory');
  const rest = parts.slice(1).join('/');
  if (rest.startsWith('/')) throw new ChartArchiveError('chart illegally contains absolute paths');
  const clean = cleanPath(rest);
  if (clean === '.') throw new ChartArchiveError(`chart illegally contains content outside the base directory: ${JSON.stringify(raw)}`);
  if (clean.startsWith('..')) throw new ChartArchiveError('chart illegally references parent directory');
  if (/^[a-zA-Z]:\//.test(clean)) throw new ChartArchiveError('chart contains illegally named files');
  return clean;
}

/** Go's path.Clean for a relative path. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return out.length ? out.join('/') : '.';
}

function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString('utf8');
}

function ustarName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const magic = header.subarray(257, 262).toString('latin1');
  const prefix = magic === 'ustar' ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** An octal size, or GNU base-256 (high bit set) for large ones. */
function sizeOf(header: Buffer): number {
  const field = header.subarray(124, 136);
  if (field[0] & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i];
    if (n > MAX_UNPACKED_BYTES) throw new ChartArchiveError(`unpacked, it is larger than ${MAX_UNPACKED_BYTES / 1024 / 1024} MiB`);
    return n;
  }
  const text = cString(field).trim();
  if (!/^[0-7]*$/.test(text)) throw new ChartArchiveError('an entry header is corrupt (size)');
  return text ? parseInt(text, 8) : 0;
}

function checkChecksum(header: Buffer): void {
  const stored = cString(header.subarray(148, 156)).trim();
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  if (!/^[0-7]+$/.test(stored) || parseInt(stored, 8) !== sum) throw new ChartArchiveError('an entry header is corrupt (checksum)');
}

/** A pax extended header's `path` and `size` records (`<len> key=value\n` each). */
function paxRecords(body: Buffer): { path?: string; size?: number } {
  const out: { path?: string; size?: number } = {};
  let i = 0;
  while (i < body.length) {
    const space = body.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(body.subarray(i, space).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || i + len > body.length) throw new ChartArchiveError('an entry header is corrupt (pax)');
    const record = body.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === 'path') out.path = value;
    if (key === 'size') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > MAX_UNPACKED_BYTES) throw new ChartArchiveError('an entry header is corrupt (pax size)');
      out.size = n;
    }
    i += len;
  }
  return out;
}

function withoutBom(b: Buffer): Buffer {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
}

/** Deepest nesting of archives and chart folders inside an archive. */
const MAX_NESTING = 4;

/** A problem reading a `.tgz` dependency: reported on the parent's Chart.yaml. */
export interface ArchiveProblem {
  /** The archive's path. */
  archive: string;
  message: string;
}

/**
 * The chart in an archive's files, as helm's LoadFiles builds it: Chart.yaml, values.yaml,
 * every file under templates/, subcharts under charts/ (folders and `.tgz`, names starting with
 * `_` or `.` skipped), the rest as `.Files`. `root` is where its files appear to be (the archive's
 * path): they are not on disk, so nothing opens them.
 */
export function chartFromFiles(
  root: string,
  files: readonly ArchiveFile[],
  problems: ArchiveProblem[],
  budget: ArchiveBudget,
  parent?: ChartFiles,
  depth = 0,
): ChartFiles | undefined {
  const text = (name: string) => {
    const f = files.find((x) => x.name === name);
    return f ? f.data.toString('utf8') : undefined;
  };
  const chartYaml = text('Chart.yaml');
  if (chartYaml === undefined) {
    problems.push({ archive: root, message: 'Chart.yaml file is missing' });
    return undefined;
  }
  const templates = new Map<string, string>();
  const others: string[] = [];
  const folders = new Map<string, ArchiveFile[]>();
  const archives = new Map<string, Buffer>();
  for (const f of files) {
    if (f.name.startsWith('templates/')) templates.set(`${root}/${f.name}`, f.data.toString('utf8'));
    else if (f.name.startsWith('charts/')) {
      const rest = f.name.slice('charts/'.length);
      const slash = rest.indexOf('/');
      const first = slash < 0 ? rest : rest.slice(0, slash);
      if (!first || first.startsWith('_') || first.startsWith('.')) continue;
      if (slash >= 0) {
        const list = folders.get(first) ?? [];
        list.push({ name: rest.slice(slash + 1), data: f.data });
        folders.set(first, list);
      } else if (first.endsWith('.tgz')) archives.set(first, f.data);
      // another plain file in charts/ is not a chart
    } else if (!['Chart.yaml', 'values.yaml', 'Chart.lock', 'values.schema.json', 'requirements.yaml', 'requirements.lock'].includes(f.name))
      others.push(f.name);
  }
  others.sort();
  const chart: ChartFiles = {
    root,
    chartYaml,
    valuesYaml: text('values.yaml'),
    templates,
    files: { names: others, read: (name) => (others.includes(name) ? text(name) : undefined) },
    valuesFileNames: [],
    readFile: () => undefined,
    lockYaml: text('Chart.lock') ?? null,
    archive: parent?.archive ?? root,
  };
  if (parent) chart.parent = parent;
  const subcharts: ChartFiles[] = [];
  if (depth < MAX_NESTING) {
    const names = [...new Set([...folders.keys(), ...archives.keys()])].sort();
    for (const name of names) {
      const at = `${root}/charts/${name}`;
      const archive = archives.get(name);
      let c: ChartFiles | undefined;
      if (archive) {
        try {
          c = chartFromFiles(at, readChartArchive(archive, budget), problems, budget, chart, depth + 1);
        } catch (err) {
          if (!(err instanceof ChartArchiveError)) throw err;
          problems.push({ archive: at, message: err.message });
        }
      } else c = chartFromFiles(at, folders.get(name) ?? [], problems, budget, chart, depth + 1);
      if (c) subcharts.push(c);
    }
  }
  chart.subcharts = subcharts;
  return chart;
}
