/**
 * The fingerprint of a finding: what SARIF's `partialFingerprints`, GitLab's `fingerprint` and
 * baselines carry. It hashes the rule, the file and the message (which names the object and the
 * offending value), never a line number, so it survives edits that only move a finding.
 */
import type { Finding } from '../engine/engine';

/** FNV-1a, 64-bit as two 32-bit halves: stable across versions and dependency-free. */
export function hash64(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** `file` is the path relative to the scan's root, with `/` (as reports show it). */
export function findingFingerprint(finding: Pick<Finding, 'ruleId' | 'message'>, file: string): string {
  return hash64(`${finding.ruleId}\u0000${file}\u0000${finding.message}`);
}
