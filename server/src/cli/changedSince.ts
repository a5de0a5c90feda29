/**
 * `bulkhead scan --changed-since REF`: report only the files changed since a git ref (committed,
 * staged, unstaged or untracked), plus the files whose cross-file findings depend on them (a
 * Service whose Deployment changed, the workloads of a namespace whose NetworkPolicy changed).
 *
 * Every file of the scanned paths is still linted, on one thread: the workspace index needs them
 * all, and which files a change affects is known from what each lint read of the index (its facts,
 * as the language server tracks them) against what the changed files put in it (the facts their
 * removal from the index announces). A deleted file's contributions are unknown, so with a deletion
 * every file that read anything across files is reported. Git runs only when this flag is given.
 */
import type * as ChildProcess from 'node:child_process';
import * as path from 'node:path';
import type { Fact, WorkspaceIndex } from '../engine/workspaceIndex';
import { UsageError } from './args';

export interface ChangedFiles {
  /** Absolute paths of files changed since the ref that still exist (or are new). */
  readonly present: ReadonlySet<string>;
  /** Whether some changed file no longer exists. */
  readonly deleted: boolean;
}

function git(cwd: string, args: string[]): string {
  try {
    // Required here, not at the top: child_process (and the net and dgram modules it loads) would
    // cost every `bulkhead` start, and only --changed-since runs git.
    const { execFileSync } = require('node:child_process') as typeof ChildProcess;
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: string };
    const why = e.code === 'ENOENT' ? 'git is not installed' : (e.stderr || e.message).trim().split('\n')[0];
    throw new UsageError(`--changed-since: git ${args[0]} failed: ${why}`);
  }
}

export function changedFiles(ref: string, cwd: string, exists: (file: string) => boolean): ChangedFiles {
  if (ref.startsWith('-')) throw new UsageError(`--changed-since needs a git ref (got "${ref}")`);
  const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  // `REF --`: the ref is never read as a path; -z: names with any character.
  const diff = git(cwd, ['diff', '--name-only', '-z', '--no-renames', ref, '--']);
  const untracked = git(cwd, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name']);
  const present = new Set<string>();
  let deleted = false;
  for (const name of [...diff.split('\0'), ...untracked.split('\0')]) {
    if (!name) continue;
    const file = path.resolve(top, name);
    if (exists(file)) present.add(file);
    else deleted = true;
  }
  return { present, deleted };
}

/**
 * Which linted files to report: the changed ones, and those whose lint read a fact a changed file
 * contributes. Call after every lint: it removes the changed files from the index to learn their facts.
 */
export function affectedFiles(changed: ChangedFiles, readsByFile: ReadonlyMap<string, ReadonlySet<Fact>>, index: WorkspaceIndex): Set<string> {
  const facts = new Set<Fact>();
  index.onChange((touched) => touched.forEach((f) => facts.add(f)));
  for (const file of changed.present) index.remove(file);
  const out = new Set<string>();
  for (const [file, reads] of readsByFile) {
    if (changed.present.has(file) || (changed.deleted && reads.size > 0) || [...reads].some((f) => facts.has(f))) out.add(file);
  }
  return out;
}
