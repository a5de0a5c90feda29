/**
 * The browser server's file system for the chart detector, the chart loader and the `.bulkhead.yaml`
 * lookup: the workspace's file list (from the client) as folders and files, and the bytes of the files
 * those read, fetched through the client beforehand and kept in memory. The engine is synchronous and
 * the client is not, so what charts and configs need is fetched when the workspace is listed or a file
 * changes (`prefetch`), before templates are linted; a file not fetched reads as missing. Packaged
 * subcharts are inflated then too (shims/zlib.ts).
 */
import * as path from 'node:path';
import { CONFIG_FILE_NAMES, parseConfig } from '../engine/config';
import { MAX_CHART_ARCHIVE_BYTES, MAX_CHART_FILE_BYTES } from '../fs/charts';
import { MAX_UNPACKED_BYTES } from '../node/chartArchive';
import { inflateAhead } from './shims/zlib';
import { type ConfigFiles, findConfigFile } from '../fs/configLookup';
import type { BytesRead, ConfinedReader, DirEntry, LintFileSystem } from '../fs/lintFileSystem';
import { URI } from '../service/uri';

/** The largest `.bulkhead.yaml` read (as on Node). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** All chart files held in memory at once: past it, the rest of a big chart's `.Files` are not fetched. */
export const MAX_PREFETCH_BYTES = 64 * 1024 * 1024;

type Content = { bytes: Uint8Array } | { error: string; tooLarge?: boolean };

/** Reads files through the client: bytes per URI, or why not (over `maxBytes`, unreadable). */
export type FetchFiles = (uris: readonly string[], maxBytes: number) => Promise<Map<string, Content>>;

/** The path the language service lints a workspace URI under (`file:` its file-system path, others their URI path). */
export function pathOfUri(uri: string): string {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath : parsed.path;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true }); // as Buffer's toString('utf8'): a BOM is kept

export function isConfigFile(file: string): boolean {
  return CONFIG_FILE_NAMES.includes(path.basename(file));
}

function isChartYaml(file: string): boolean {
  const name = path.basename(file);
  return name === 'Chart.yaml' || name === 'Chart.yml';
}

function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** What a template needs first (metadata, values, templates), before the chart's other files. */
function chartFilePriority(file: string, chart: string): number {
  const rel = file.slice(chart.length + 1);
  const name = path.basename(file);
  if (/^(Chart\.ya?ml|Chart\.lock|\.helmignore|values[\w.-]*\.ya?ml)$/i.test(name) || /(^|\/)(templates|ci)\//.test(rel)) return 0;
  return 1;
}

export class WorkspaceFileSystem implements LintFileSystem {
  /** Every listed file: path → URI. */
  private readonly files = new Map<string, string>();
  /** Folders holding listed files: path → entries by name. */
  private readonly dirs = new Map<string, Map<string, DirEntry>>();
  private readonly contents = new Map<string, Content>();
  /** Bumped when a file's content may have changed: the chart loader's cache key. */
  private readonly versions = new Map<string, number>();
  private nextVersion = 1;
  /** Said once: a workspace whose charts hold more than MAX_PREFETCH_BYTES. */
  overBudget = false;

  private readonly maxPrefetchBytes: number;
  private readonly batch: number;

  constructor(
    private readonly fetchFiles: FetchFiles,
    /** The byte budget of `prefetch` and the files per fetch (tests make them small). */
    options: { maxPrefetchBytes?: number; batch?: number } = {},
  ) {
    this.maxPrefetchBytes = options.maxPrefetchBytes ?? MAX_PREFETCH_BYTES;
    this.batch = options.batch ?? 50;
  }

  /** The workspace's files (URIs), all of them, as the client lists them. */
  setFiles(uris: readonly string[]): void {
    const paths = new Set<string>();
    for (const uri of uris) {
      const file = pathOfUri(uri);
      paths.add(file);
      if (!this.files.has(file)) this.add(uri);
    }
    for (const file of [...this.files.keys()]) if (!paths.has(file)) this.remove(file);
  }

  /** A file was created (or changed): listed, and its content read again by the next `prefetch`. */
  add(uri: string): void {
    const file = pathOfUri(uri);
    this.files.set(file, uri);
    this.contents.delete(file);
    this.versions.set(file, this.nextVersion++);
    let child = file;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      let entries = this.dirs.get(dir);
      const existed = entries !== undefined;
      if (!entries) this.dirs.set(dir, (entries = new Map()));
      const name = path.basename(child);
      if (!entries.has(name)) entries.set(name, { name, kind: child === file ? 'file' : 'directory' });
      if (existed || path.dirname(dir) === dir) break;
      child = dir;
    }
  }

  /** A file was deleted. */
  remove(file: string): void {
    if (!this.files.delete(file)) return;
    this.contents.delete(file);
    this.versions.delete(file);
    // Folders left empty go too, as they would from a listing of files.
    let child = file;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const entries = this.dirs.get(dir);
      entries?.delete(path.basename(child));
      if (entries?.size || path.dirname(dir) === dir) break;
      this.dirs.delete(dir);
      child = dir;
    }
  }

  /** Every listed file's path, sorted. */
  listed(): string[] {
    return [...this.files.keys()].sort();
  }

  uriOf(file: string): string | undefined {
    return this.files.get(file);
  }

  /** Folders holding a Chart.yaml. */
  chartRoots(): string[] {
    return [...this.files.keys()].filter(isChartYaml).map((f) => path.dirname(f));
  }

  /** The listed files inside a chart folder (sorted). */
  chartFiles(): string[] {
    const roots = this.chartRoots();
    return this.listed().filter((f) => roots.some((root) => isInside(f, root)));
  }

  /** Whether the chart loader or the config lookup reads `file` (so a change to it changes what they return). */
  isChartOrConfigFile(file: string): boolean {
    return isConfigFile(file) || isChartYaml(file) || this.chartRoots().some((root) => isInside(file, root));
  }

  /**
   * Fetches what is not in memory yet of every `.bulkhead.yaml` and every file of every chart (its
   * metadata, values, templates and subcharts first, then the files `.Files` can read), within
   * MAX_PREFETCH_BYTES in all, each file within the chart loader's own limits. Packaged subcharts
   * (`charts/*.tgz`) are inflated here too, bounded as on Node, for the synchronous unpacking later.
   */
  async prefetch(): Promise<void> {
    const configs = [...this.files.keys()].filter((f) => isConfigFile(f) && !this.contents.has(f));
    await this.fetch(configs, MAX_CONFIG_BYTES);
    const roots = this.chartRoots();
    const wanted = [...this.files.keys()]
      .map((f) => ({ f, root: roots.find((r) => isInside(f, r)) }))
      .filter((x): x is { f: string; root: string } => x.root !== undefined && !this.contents.has(x.f))
      .sort((a, b) => chartFilePriority(a.f, a.root) - chartFilePriority(b.f, b.root) || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0))
      .map((x) => x.f);
    let held = 0;
    for (const c of this.contents.values()) if ('bytes' in c) held += c.bytes.length;
    const isArchive = (f: string) => f.endsWith('.tgz') && path.basename(path.dirname(f)) === 'charts';
    // Archives first (subcharts render with the chart), then the rest; in slices, so the budget is
    // checked as bytes arrive.
    const slices: [string[], number][] = [];
    for (const [list, maxBytes] of [
      [wanted.filter(isArchive), MAX_CHART_ARCHIVE_BYTES],
      [wanted.filter((f) => !f.endsWith('.tgz')), MAX_CHART_FILE_BYTES],
    ] as const)
      for (let i = 0; i < list.length; i += this.batch) slices.push([list.slice(i, i + this.batch), maxBytes]);
    for (const [slice, maxBytes] of slices) {
      if (held >= this.maxPrefetchBytes) {
        this.overBudget = true;
        return;
      }
      for (const [f, c] of await this.fetch(slice, maxBytes)) {
        if (!('bytes' in c)) continue;
        held += c.bytes.length;
        if (isArchive(f)) await inflateAhead(c.bytes, MAX_UNPACKED_BYTES + 1024 * 1024);
      }
    }
  }

  private async fetch(files: readonly string[], maxBytes: number): Promise<Map<string, Content>> {
    const byUri = new Map<string, string>();
    for (const f of files) {
      const uri = this.files.get(f);
      if (uri) byUri.set(uri, f);
    }
    if (!byUri.size) return new Map();
    const got = await this.fetchFiles([...byUri.keys()], maxBytes);
    const out = new Map<string, Content>();
    for (const [uri, content] of got) {
      const f = byUri.get(uri);
      // Deleted or changed again while it was read: the next prefetch reads it.
      if (f === undefined || this.files.get(f) !== uri || this.contents.has(f)) continue;
      this.contents.set(f, content);
      out.set(f, content);
    }
    return out;
  }

  exists(file: string): boolean {
    return this.files.has(file) || this.dirs.has(file);
  }

  isFile(file: string): boolean {
    return this.files.has(file);
  }

  readDir(dir: string): readonly DirEntry[] | undefined {
    const entries = this.dirs.get(dir);
    return entries ? [...entries.values()] : undefined;
  }

  version(file: string): number {
    return this.files.has(file) ? (this.versions.get(file) ?? 0) : -1;
  }

  /** The bytes held for a workspace file (fetched for a chart or a config), if any: read once, not twice. */
  heldBytes(uri: string): Uint8Array | undefined {
    const file = pathOfUri(uri);
    const content = this.files.get(file) === uri ? this.contents.get(file) : undefined;
    return content && 'bytes' in content ? content.bytes : undefined;
  }

  readText(file: string): string | undefined {
    const content = this.contents.get(file);
    return content && 'bytes' in content ? utf8.decode(content.bytes) : undefined;
  }

  /** Every file is the workspace's own (no links in a workspace file system); the roots still bound what is read. */
  confined(roots: readonly string[]): ConfinedReader {
    const allowed = roots.map((r) => path.resolve(r));
    const bytes = (file: string, maxBytes: number): BytesRead => {
      const full = path.resolve(file);
      if (!allowed.some((root) => full === root || isInside(full, root))) return { ok: false, message: 'a file outside the workspace; not read' };
      const content = this.contents.get(full);
      if (!content) {
        if (!this.files.has(full)) return { ok: false, message: 'no such file' };
        return { ok: false, message: 'not read in the browser build (the workspace’s charts hold more than it reads)' };
      }
      if ('error' in content) return { ok: false, message: content.error, tooLarge: content.tooLarge };
      if (content.bytes.length > maxBytes)
        return {
          ok: false,
          tooLarge: true,
          message: `file is ${(content.bytes.length / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(0)} MB limit; not linted`,
        };
      return { ok: true, bytes: content.bytes };
    };
    return {
      bytes,
      text: (file, maxBytes) => {
        const got = bytes(file, maxBytes);
        return got.ok ? utf8.decode(got.bytes) : undefined;
      },
    };
  }

  /** The config resolver's view: `.bulkhead.yaml` files of the workspace, read from memory. */
  configFiles(): ConfigFiles {
    return {
      find: (start) => findConfigFile(this, start),
      load: (file) => {
        const got = this.confined([path.dirname(file)]).bytes(file, MAX_CONFIG_BYTES);
        if (!got.ok) throw new Error(got.message);
        return parseConfig(utf8.decode(got.bytes), file);
      },
    };
  }
}
