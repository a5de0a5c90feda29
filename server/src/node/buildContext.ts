/** Files of a Dockerfile's build context, read for its build-time SBOM (the CLI and the editor share it). */
import * as path from 'node:path';
import { readRegularFile } from './files';

/**
 * Reads build-context files beside a Dockerfile: only inside its folder (no `..`, no link out of the
 * scanned folders), only regular files, at most 4 MB each, and at most 64 of them per Dockerfile.
 */
export function contextReader(dir: string, roots: readonly string[]): (relativePath: string) => string | undefined {
  let budget = 64;
  return (relativePath) => {
    const target = path.resolve(dir, relativePath);
    const rel = path.relative(dir, target);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel) || budget-- <= 0) return undefined;
    const read = readRegularFile(target, { roots, maxBytes: 4 * 1024 * 1024 });
    return read.ok ? read.bytes.toString('utf8') : undefined;
  };
}
