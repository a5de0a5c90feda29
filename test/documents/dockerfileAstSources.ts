/**
 * Dockerfile texts to compare patched and published parses on: the corpus Dockerfiles, the
 * repository's Dockerfiles (examples, fixtures) and the Dockerfile texts written into the tests
 * (string literals of test/ sources that have an instruction at a line start).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { walk } from '../../server/src/node/files';
import { CORPUS, REPO_ROOT } from '../support/paths';

const isDockerfileName = (file: string): boolean => path.basename(file).toLowerCase().includes('dockerfile');

export function corpusDockerfiles(): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(CORPUS)) return out;
  for (const file of walk(CORPUS)) if (isDockerfileName(file)) out.set(file, fs.readFileSync(file, 'utf8'));
  return out;
}

export function repositoryDockerfiles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const folder of ['examples', path.join('test', 'fixtures')]) {
    const root = path.join(REPO_ROOT, folder);
    if (!fs.existsSync(root)) continue;
    for (const file of walk(root)) if (isDockerfileName(file) && fs.statSync(file).isFile()) out.set(file, fs.readFileSync(file, 'utf8'));
  }
  return out;
}

const KEYWORDS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'COPY',
  'ADD',
  'ENV',
  'ARG',
  'LABEL',
  'ENTRYPOINT',
  'ONBUILD',
  'HEALTHCHECK',
  'SHELL',
  'USER',
  'WORKDIR',
  'EXPOSE',
  'VOLUME',
]);

function looksLikeDockerfile(text: string): boolean {
  for (const line of text.split('\n')) {
    const word = line.trimStart().split(' ', 1)[0].toUpperCase();
    if (KEYWORDS.has(word) && line.trimStart().length > word.length) return true;
  }
  return false;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** The value of a JS string literal's body (between its quotes). */
function decode(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i] ?? '';
    if (Object.hasOwn(SIMPLE_ESCAPES, next)) out += SIMPLE_ESCAPES[next];
    else if (next === 'x') {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (next === 'u' && body[i + 1] === '{') {
      const close = body.indexOf('}', i);
      out += String.fromCodePoint(Number.parseInt(body.slice(i + 2, close), 16));
      i = close;
    } else if (next === 'u') {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (next === '\n') {
      // a line continuation inside the literal
    } else out += next;
  }
  return out;
}

/** String literals of a TS source (template literals without substitutions included). */
function stringLiterals(source: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
    } else if (ch === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 1;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== ch && (ch === '`' || source[j] !== '\n')) j += source[j] === '\\' ? 2 : 1;
      const body = source.slice(i + 1, j);
      if (!(ch === '`' && body.includes('${'))) out.push(decode(body));
      i = j;
    }
  }
  return out;
}

export function testDockerfileTexts(): string[] {
  const out = new Set<string>();
  const files = fs.readdirSync(path.join(REPO_ROOT, 'test'), { recursive: true, encoding: 'utf8' });
  for (const name of files) {
    const file = path.join(REPO_ROOT, 'test', name);
    if (!file.endsWith('.ts')) continue;
    for (const literal of stringLiterals(fs.readFileSync(file, 'utf8'))) if (looksLikeDockerfile(literal)) out.add(literal);
  }
  return [...out];
}
