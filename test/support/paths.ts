/** Paths tests need, found from the repository root whatever folder the tests were compiled to. */
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'rules'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export const REPO_ROOT = findRoot();
export const DIST = path.join(REPO_ROOT, 'dist');
export const EXAMPLES = path.join(REPO_ROOT, 'examples');
export const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
