/**
 * Deletions that hide software from image scanners (the ORCA study's techniques): the OS package
 * database, language package metadata, OS identification, dependency manifests. Recorded in the SBOM
 * as properties of the stage, because they are why a scanner's SBOM of the image will come up short.
 */
import { changeDirectory, manifestName, packageDbKind, resolveFrom } from '../../../rules/dockerfile/deletions';
import type { Deletion, DeletionKind, Evidence } from './model';
import { programName, Word } from './shell';

function clean(path: string): string {
  let p = path;
  while (p.includes('//')) p = p.split('//').join('/');
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p.startsWith('./') ? p.slice(2) : p;
}

/**
 * Which kind of scanner evidence deleting `path` removes, if any: the paths
 * `dockerfile-deletes-package-database` and `dockerfile-deletes-dependency-manifest` report, so the SBOM
 * and the rules agree on what counts.
 */
export function classifyDeletion(path: string): DeletionKind | undefined {
  const p = clean(path);
  const what = packageDbKind(p);
  if (what === 'the OS release file') return 'os-identification';
  if (what !== undefined) return what.endsWith('package database') || what === 'the rpm manifest' ? 'package-database' : 'language-metadata';
  return manifestName(p) === undefined ? undefined : 'dependency-manifest';
}

/** The working directory after a command: `cd DIR` changes it, other commands keep it. */
export function directoryAfter(words: readonly Word[], p: number, cwd: string | undefined): string | undefined {
  const prog = programName(words[p]?.value ?? '');
  if (prog !== 'cd' && prog !== 'pushd') return cwd;
  return changeDirectory(
    cwd,
    words.slice(p + 1).map((w) => w.value),
  );
}

/**
 * Deletions made by one command run in `cwd` (absolute, or undefined when unknown): `rm`/`unlink`/`shred`/
 * `truncate` operands, `mv` sources, `find … -name X -delete`, `> file`, and `ln -sf`/`cp /dev/null` onto a file.
 */
export function deletionsOf(words: readonly Word[], p: number, evidence: Evidence, cwd?: string): Deletion[] {
  const prog = programName(words[p]?.value ?? '');
  const all = words.map((w) => w.value);
  const args = all.slice(p + 1);
  const out: Deletion[] = [];
  const add = (path: string): void => {
    const resolved = clean(resolveFrom(cwd, path));
    const kind = classifyDeletion(resolved);
    if (kind) out.push({ kind, path: resolved, evidence });
  };
  // `: > /var/lib/dpkg/status`, `echo x >/etc/os-release` (not `>>`, `2>`, `>&2`).
  all.forEach((w, k) => {
    if (w === '>' && all[k + 1] !== undefined) add(all[k + 1]);
    else if (w.length > 1 && w[0] === '>' && w[1] !== '>' && w[1] !== '&' && w[1] !== '|' && w !== '>/dev/null') add(w.slice(1));
  });
  const isRedirect = (a: string): boolean => {
    let k = 0;
    while (k < a.length && ((a[k] >= '0' && a[k] <= '9') || a[k] === '<' || a[k] === '>')) k++;
    return k > 0 && a.slice(0, k).includes('>');
  };
  if (prog === 'rm' || prog === 'unlink' || prog === 'shred' || prog === 'mv' || prog === 'truncate') {
    let ops = args.filter((a, i) => !a.startsWith('-') && !isRedirect(a) && !(prog === 'truncate' && (args[i - 1] === '-s' || args[i - 1] === '--size')));
    if (prog === 'mv') ops = ops.slice(0, -1);
    ops.forEach(add);
  } else if (prog === 'ln' || prog === 'cp') {
    const ops = args.filter((a) => !a.startsWith('-') && !isRedirect(a));
    const forced = args.some((a) => a === '--force' || (a.length > 1 && a[0] === '-' && a[1] !== '-' && a.includes('f')));
    if (ops.length !== 2 || (prog === 'ln' && !forced) || (prog === 'cp' && ops[0] !== '/dev/null')) return out;
    if (ops[0].endsWith('release') || classifyDeletion(clean(resolveFrom(cwd, ops[0]))) === 'os-identification') return out;
    add(ops[1]);
  } else if (prog === 'find') {
    const deletes = args.includes('-delete') || args.some((a, i) => (a === '-exec' || a === '-execdir') && (args[i + 1] === 'rm' || args[i + 1] === '/bin/rm'));
    if (!deletes) return out;
    const roots: string[] = [];
    for (let i = 0; i < args.length && !args[i].startsWith('-') && args[i] !== '(' && args[i] !== '!'; i++) roots.push(resolveFrom(cwd, args[i]));
    if (!roots.length) roots.push(cwd ?? '.');
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const pattern = args[i + 1];
      if (pattern === undefined) continue;
      if (a === '-name' || a === '-iname') for (const root of roots) add(`${root}/**/${pattern}`);
      else if (a === '-path' || a === '-ipath' || a === '-wholename') add(pattern);
    }
  }
  return out;
}
