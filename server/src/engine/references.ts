/**
 * Matching other tools' check ids against a rule's `references`, so that suppressions users
 * already wrote for KubeLinter, Checkov, Trivy or hadolint keep working under Bulkhead.
 */
import type { RuleMeta } from './rule';

/**
 * `KSV-0017`, `KSV017`, `AVD-KSV-0017` and `ksv17` are one id (Trivy renamed its ids and keeps the
 * others as aliases); so are `C-0057` and `C-57`.
 */
export function normalizeCheckId(id: string): string {
  let upper = id.trim().toUpperCase();
  if (upper.startsWith('AVD-')) upper = upper.slice(4);
  // Leading zeros are stripped apart from the regex: `-?0*(\d+)$` is quadratic on `A000…0x`.
  const m = /^([A-Z_]+)-?(\d+)$/.exec(upper);
  return m ? `${m[1].replace(/[-_]$/, '')}${m[2].replace(/^0+(?=\d)/, '')}` : upper;
}

function splitReference(ref: string): { tool: string; id: string } {
  const i = ref.indexOf(':');
  return i < 0 ? { tool: '', id: ref } : { tool: ref.slice(0, i).toLowerCase(), id: ref.slice(i + 1) };
}

/**
 * Whether a token from a suppression names this rule: its own id, `*`/`all`, a full reference
 * (`kube-linter:privileged-container`), or a bare foreign id (`DL3002`, `CKV_K8S_16`, `KSV017`),
 * optionally restricted to one tool.
 */
export function ruleMatchesToken(rule: RuleMeta, token: string, tool?: string): boolean {
  const t = token.trim();
  if (!t) return false;
  if (!tool && (t === '*' || t.toLowerCase() === 'all' || t === rule.id)) return true;
  const wanted = t.includes(':') ? splitReference(t) : { tool: tool ?? '', id: t };
  const wantedId = normalizeCheckId(wanted.id);
  for (const ref of rule.references) {
    const r = splitReference(ref);
    if (wanted.tool && r.tool !== wanted.tool) continue;
    if (normalizeCheckId(r.id) === wantedId || r.id.toLowerCase() === wanted.id.toLowerCase()) return true;
  }
  return false;
}

export function hasReferenceFrom(rule: RuleMeta, tool: string): boolean {
  return rule.references.some((r) => r.toLowerCase().startsWith(`${tool}:`));
}
