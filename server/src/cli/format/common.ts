import type { Finding } from '../../engine/engine';
import type { Fix } from '../../engine/rule';

/** The fix a finding advertises: the first safe one, else the first (unsafe) one. */
export function advertisedFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.applicability === 'safe') ?? finding.fixes[0];
}

/**
 * Text from files (names, values quoted in messages) made safe for a terminal or a log: control
 * characters (ESC sequences, CR that overwrites a line, LF that forges one), DEL, C1 controls and
 * the bidirectional overrides of "Trojan Source" are shown as escapes instead of acting.
 */
export function escapeControl(s: string): string {
  let out: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x2028 || c === 0x2029;
    if (!unsafe) {
      if (out !== undefined) out += s[i];
      continue;
    }
    out ??= s.slice(0, i);
    out +=
      c === 10 ? '\\n' : c === 13 ? '\\r' : c === 9 ? '\\t' : c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out ?? s;
}
