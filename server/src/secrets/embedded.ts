/**
 * Config files embedded in a string (a ConfigMap's `.env`, `app.properties`, `config.json`,
 * `settings.yaml`, `app.ini`, `config.toml`), read key by key. Each entry keeps the offsets of its
 * value in the embedded text, so a finding can point at it in the manifest.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';

export interface EmbeddedEntry {
  /** The key, with its parents for nested formats (`database.password`). */
  key: string;
  value: string;
  /** Offsets of the value in the embedded text. */
  start: number;
  end: number;
}

export type EmbeddedFormat = 'env' | 'properties' | 'json' | 'yaml';

/** Most entries read from one embedded file: a work budget against hostile input. */
const MAX_ENTRIES = 5000;

/** The format of an embedded file, by its name (the ConfigMap key) or, failing that, its shape. */
export function embeddedFormat(fileName: string, text: string): EmbeddedFormat | undefined {
  const lower = fileName.toLowerCase();
  if (/(?:^|\.)env$/.test(lower) || /^\.env\./.test(lower)) return 'env';
  if (/\.(?:properties|ini|cfg|conf|toml)$/.test(lower)) return 'properties';
  if (lower.endsWith('.json')) return 'json';
  if (/\.ya?ml$/.test(lower)) return 'yaml';
  if (!text.includes('\n')) return undefined;
  const t = text.trimStart();
  if (t.startsWith('{')) return 'json';
  // Several `KEY=value` lines and nothing else: an env file in all but name.
  const lines = text.split('\n').filter((l) => l.trim() && !/^\s*[#;]/.test(l));
  if (lines.length >= 2 && lines.every((l) => /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=/.test(l))) return 'env';
  return undefined;
}

/**
 * Some word every credential name contains. A file without one (a 2 MB Grafana dashboard) can hold no
 * credential by name, so it is not parsed at all; known token formats are searched for separately.
 */
const CREDENTIAL_WORD = /pass|pwd|pw|secret|token|cred|auth|key/i;

export function embeddedEntries(fileName: string, text: string): EmbeddedEntry[] {
  const format = embeddedFormat(fileName, text);
  if (format && !CREDENTIAL_WORD.test(text)) return [];
  if (format === 'env' || format === 'properties') return keyValueEntries(text, format);
  if (format === 'json' || format === 'yaml') return treeEntries(text);
  return [];
}

/** `KEY=value` lines (`.env`, `.properties`, `.ini`, TOML's flat tables); `[sections]` prefix keys. */
function keyValueEntries(text: string, format: 'env' | 'properties'): EmbeddedEntry[] {
  const out: EmbeddedEntry[] = [];
  let section = '';
  let lineStart = 0;
  while (lineStart <= text.length && out.length < MAX_ENTRIES) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) section = trimmed.slice(1, -1).trim();
    else if (trimmed && !/^[#;!]/.test(trimmed)) {
      const sep = format === 'env' ? line.indexOf('=') : firstOf(line, '=', ':');
      if (sep > 0) {
        const key = line
          .slice(0, sep)
          .trim()
          .replace(/^export\s+/, '');
        let vs = sep + 1;
        while (vs < line.length && (line[vs] === ' ' || line[vs] === '\t')) vs++;
        let ve = line.length;
        while (ve > vs && /\s/.test(line[ve - 1])) ve--;
        const q = line[vs];
        if ((q === '"' || q === "'") && line.indexOf(q, vs + 1) > vs) {
          vs += 1;
          ve = line.indexOf(q, vs);
        } else {
          const comment = line.indexOf(' #', vs);
          if (comment >= 0) ve = comment;
          while (ve > vs && /\s/.test(line[ve - 1])) ve--;
        }
        if (key && /^[\w.-]+$/.test(key)) {
          out.push({ key: section ? `${section}.${key}` : key, value: line.slice(vs, ve), start: lineStart + vs, end: lineStart + ve });
        }
      }
    }
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  return out;
}

function firstOf(line: string, a: string, b: string): number {
  const i = line.indexOf(a);
  const j = line.indexOf(b);
  if (i < 0) return j;
  if (j < 0) return i;
  return Math.min(i, j);
}

/** String leaves of a JSON or YAML document (JSON is YAML), each with its key path. */
function treeEntries(text: string): EmbeddedEntry[] {
  let doc;
  try {
    doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false });
  } catch {
    return [];
  }
  if (doc.errors.length) return [];
  const out: EmbeddedEntry[] = [];
  let budget = 20_000;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (--budget < 0 || depth > 50 || out.length >= MAX_ENTRIES) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        walk(pair.value, path ? `${path}.${key}` : key, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, path, depth + 1);
    } else if (isScalar(node) && typeof node.value === 'string' && (node as Node).range) {
      const [s, e] = (node as Node).range as [number, number, number];
      // Point at the text inside the quotes.
      const raw = text.slice(s, e);
      const inner = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") ? { start: s + 1, end: e - 1 } : { start: s, end: e };
      out.push({ key: path, value: node.value, ...inner });
    }
  };
  walk(doc.contents, '', 0);
  return out;
}
