/** Connection lists as text (`src => dst : conn`, netpol-analyzer's notation), JSON, Markdown, CSV and Graphviz dot. */
import { Connection, endpointName } from './engine';

export const CONNECTIVITY_FORMATS = ['text', 'json', 'md', 'csv', 'dot'] as const;
export type ConnectivityFormat = (typeof CONNECTIVITY_FORMATS)[number];

export interface ConnectionRow {
  src: string;
  dst: string;
  conn: string;
}

export function rows(connections: readonly Connection[]): ConnectionRow[] {
  return connections.map((c) => ({ src: endpointName(c.src), dst: endpointName(c.dst), conn: c.conn.toString() }));
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function dotId(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function formatConnections(connections: readonly Connection[], format: ConnectivityFormat): string {
  const list = rows(connections);
  switch (format) {
    case 'json':
      return `${JSON.stringify(list, null, 2)}\n`;
    case 'csv':
      return ['src,dst,conn', ...list.map((r) => [r.src, r.dst, r.conn].map(csvCell).join(','))].join('\n') + '\n';
    case 'md':
      return (
        ['| src | dst | conn |', '|-----|-----|------|', ...list.map((r) => `| ${mdCell(r.src)} | ${mdCell(r.dst)} | ${mdCell(r.conn)} |`)].join('\n') + '\n'
      );
    case 'dot': {
      const nodes = [...new Set(list.flatMap((r) => [r.src, r.dst]))];
      return [
        'digraph {',
        ...nodes.map((n) => `\t${dotId(n)} [label=${dotId(n)} shape=${n.includes('[') ? 'box' : 'ellipse'}]`),
        ...list.map((r) => `\t${dotId(r.src)} -> ${dotId(r.dst)} [label=${dotId(r.conn)}]`),
        '}',
        '',
      ].join('\n');
    }
    default:
      return list.map((r) => `${r.src} => ${r.dst} : ${r.conn}\n`).join('');
  }
}
