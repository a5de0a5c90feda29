/**
 * `bulkhead map [PATH...] [--format html|json|dot] [--out FILE]`: the security map of the files, as
 * one self-contained HTML page (viewer, styles and data inline, nothing fetched, opens from
 * `file://`), as JSON in the shape of `bulkhead paths --format json`, or as Graphviz dot.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { edgeKind, type MapData } from '../../../client/map/mapData';
import { buildMapData } from '../map/build';
import { mapPage } from '../map/page';
import { loadNetworkWorkspace } from '../node/networkWorkspace';
import { escapeControl } from './format/common';
import { displayPath } from './scan';

export const MAP_FORMATS = ['html', 'json', 'dot'] as const;
export type MapFormat = (typeof MAP_FORMATS)[number];

export interface MapCommand {
  command: 'map';
  paths: string[];
  format: MapFormat;
  out?: string;
  ingressNamespace?: string;
}

export const MAP_USAGE = `  bulkhead map [PATH...] [--format html|json|dot] [--out FILE] [--ingress-namespace NS]
                                       the security map: entry points, workloads, identities, permissions
                                       and crown jewels with every attack path (default: a self-contained
                                       HTML report; json and dot for other tools; stdout without --out)`;

export class MapUsageError extends Error {}

export function parseMapArgs(argv: readonly string[]): MapCommand | { command: 'help'; topic: string } {
  const args = [...argv];
  const paths: string[] = [];
  let format: MapFormat | undefined;
  let out: string | undefined;
  let ingressNamespace: string | undefined;
  let onlyPaths = false;
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
        return { command: 'help', topic: 'map' };
      case '--format':
      case '-f':
        if (!MAP_FORMATS.includes(value as MapFormat)) throw new MapUsageError(`--format must be one of ${MAP_FORMATS.join(', ')} (got "${value ?? ''}")`);
        format = value as MapFormat;
        break;
      case '--out':
      case '--output':
      case '-o':
        if (!value) throw new MapUsageError(`${flag} needs a file`);
        out = value;
        break;
      case '--ingress-namespace':
        if (!value) throw new MapUsageError('--ingress-namespace needs a namespace');
        ingressNamespace = value;
        break;
      default:
        throw new MapUsageError(`unknown option "${flag}"`);
    }
  }
  return {
    command: 'map',
    paths: paths.length ? paths : ['.'],
    format: format ?? 'html',
    ...(out ? { out } : {}),
    ...(ingressNamespace ? { ingressNamespace } : {}),
  };
}

export interface MapIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/**
 * The viewer bundle: beside the CLI bundle (dist/cli.js, dist/mapViewer.js), or in dist/ when run
 * from the compiled sources (tests).
 */
export function viewerScript(): string {
  const candidates = [path.join(__dirname, 'mapViewer.js'), path.resolve(__dirname, '../../../../dist/mapViewer.js')];
  for (const file of candidates) if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  throw new Error(`the map viewer (mapViewer.js) is missing beside ${__dirname}: build with "node build.mjs"`);
}

/** Exit codes: 0 written, 2 a path missing. */
export function runMap(cmd: MapCommand, io: MapIo): number {
  const loaded = loadNetworkWorkspace(cmd.paths, io.cwd);
  for (const m of loaded.missing) io.stderr(`bulkhead: no such file or folder: ${escapeControl(m)}\n`);
  if (loaded.missing.length) return 2;
  const { truncated, ...data } = buildMapData(loaded.index, {
    displayFile: (f) => displayPath(f, io.cwd),
    namespaceOf: loaded.namespaceOf,
    ingressControllerNamespace: cmd.ingressNamespace,
  });
  if (truncated) io.stderr('note: the lateral-movement search stopped at its budget: some workloads show only their own paths\n');
  let text: string;
  if (cmd.format === 'json') text = `${JSON.stringify(data, null, 2)}\n`;
  else if (cmd.format === 'dot') text = formatMapDot(data);
  else text = mapPage({ title: `Bulkhead security map: ${cmd.paths.join(' ')}`, script: viewerScript(), data });
  if (cmd.out) {
    fs.writeFileSync(path.resolve(io.cwd, cmd.out), text);
    io.stderr(`wrote the security map (${data.nodes.length} nodes, ${data.edges.length} edges, ${data.paths.length} paths) to ${escapeControl(cmd.out)}\n`);
  } else io.stdout(text);
  return 0;
}

const DOT_COLOURS = { network: '#1f77b4', identity: '#9467bd', rbac: '#ff7f0e', escape: '#d62728' } as const;

/** Graphviz: one cluster per namespace, edges coloured by kind and labelled with their type. */
export function formatMapDot(data: MapData): string {
  const escape = (s: string) =>
    s
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/[\r\n]+/g, ' ');
  const q = (s: string) => `"${escape(s)}"`;
  const out = ['digraph bulkhead_map {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  const byNamespace = new Map<string, string[]>();
  for (const n of data.nodes) {
    const line = `${q(n.id)} [label="${escape(n.type)}\\n${escape(n.name)}"${n.jewel ? ', style=filled, fillcolor="#f4cccc"' : n.type === 'Internet' ? ', style=filled, fillcolor="#fff2cc"' : ''}];`;
    const key = n.namespace ?? '';
    const list = byNamespace.get(key);
    if (list) list.push(line);
    else byNamespace.set(key, [line]);
  }
  let cluster = 0;
  for (const [ns, lines] of [...byNamespace].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (!ns) {
      for (const l of lines) out.push(`  ${l}`);
      continue;
    }
    out.push(`  subgraph cluster_${cluster++} {`, `    label=${q(`namespace ${ns}`)};`, ...lines.map((l) => `    ${l}`), '  }');
  }
  for (const e of data.edges) out.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.type)}, color=${q(DOT_COLOURS[edgeKind(e.type)])}, tooltip=${q(e.reason)}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
