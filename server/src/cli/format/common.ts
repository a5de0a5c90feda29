import type { Finding } from '../../engine/engine';
import type { Fix } from '../../engine/rule';

/** The fix a finding advertises: the first safe one, else the first (unsafe) one. */
export function advertisedFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.applicability === 'safe') ?? finding.fixes[0];
}
