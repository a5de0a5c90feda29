/**
 * Deletions that hide software from image scanners (the ORCA study's techniques): the OS package
 * database, language package metadata, OS identification, dependency manifests. Recorded in the SBOM
 * as properties of the stage, because they are why a scanner's SBOM of the image will come up short.
 */
import type { Deletion, DeletionKind, Evidence } from './model';
import { programName, Word } from './shell';

const PACKAGE_DATABASES = ['/var/lib/dpkg', '/lib/apk/db', '/lib/apk', '/var/lib/rpm', '/usr/lib/sysimage/rpm', '/var/lib/apk'];
const OS_IDENTIFICATION = new Set([
  '/etc/os-release',
  '/usr/lib/os-release',
  '/etc/debian_version',
  '/etc/alpine-release',
  '/etc/redhat-release',
  '/etc/system-release',
  '/etc/centos-release',
  '/etc/fedora-release',
  '/etc/lsb-release',
  '/etc/*-release',
  '/etc/*release',
  '/etc/*',
]);
const MANIFESTS = new Set([
  'requirements.txt',
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'Gemfile',
  'Gemfile.lock',
  'go.mod',
  'go.sum',
  'Cargo.lock',
  'Pipfile.lock',
  'poetry.lock',
  'composer.lock',
  'uv.lock',
]);

function clean(path: string): string {
  let p = path;
  while (p.includes('//')) p = p.split('//').join('/');
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p.startsWith('./') ? p.slice(2) : p;
}

/** Which kind of scanner evidence deleting `path` removes, if any. */
export function classifyDeletion(path: string): DeletionKind | undefined {
  const p = clean(path);
  if (OS_IDENTIFICATION.has(p)) return 'os-identification';
  for (const db of PACKAGE_DATABASES) {
    if (p === db || p.startsWith(`${db}/`)) return 'package-database';
  }
  const segments = p.split('/');
  if (segments.some((s) => s.endsWith('.dist-info') || s.endsWith('.egg-info') || (s.endsWith('.gemspec') && segments.includes('specifications'))))
    return 'language-metadata';
  const last = segments[segments.length - 1];
  if (MANIFESTS.has(last) || (last.startsWith('requirements') && last.endsWith('.txt'))) return 'dependency-manifest';
  return undefined;
}

/** Deletions made by one command: `rm`/`unlink`/`shred` operands, `mv` sources, `find … -name X -delete`. */
export function deletionsOf(words: readonly Word[], p: number, evidence: Evidence): Deletion[] {
  const prog = programName(words[p]?.value ?? '');
  const args = words.slice(p + 1).map((w) => w.value);
  const out: Deletion[] = [];
  const add = (path: string): void => {
    const kind = classifyDeletion(path);
    if (kind) out.push({ kind, path: clean(path), evidence });
  };
  if (prog === 'rm' || prog === 'unlink' || prog === 'shred' || prog === 'mv') {
    let ops = args.filter((a) => !a.startsWith('-') && !a.startsWith('>') && !a.startsWith('2>'));
    if (prog === 'mv') ops = ops.slice(0, -1);
    ops.forEach(add);
  } else if (prog === 'find') {
    const deletes = args.includes('-delete') || args.some((a, i) => (a === '-exec' || a === '-execdir') && (args[i + 1] === 'rm' || args[i + 1] === '/bin/rm'));
    if (!deletes) return out;
    const roots: string[] = [];
    for (let i = 0; i < args.length && !args[i].startsWith('-') && args[i] !== '(' && args[i] !== '!'; i++) roots.push(args[i]);
    if (!roots.length) roots.push('.');
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const pattern = args[i + 1];
      if (pattern === undefined) continue;
      if (a === '-name' || a === '-iname') for (const root of roots) add(`${root}/${pattern}`);
      else if (a === '-path' || a === '-ipath' || a === '-wholename') add(pattern);
    }
  }
  return out;
}
