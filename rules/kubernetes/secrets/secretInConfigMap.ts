/**
 * Credentials in a ConfigMap, which is not meant to hold them (it is not encrypted at rest, RBAC
 * usually grants it widely, and it is printed in full by `kubectl describe`): each `data` value judged
 * with its key, and embedded config files (`.env`, `.properties`, `.ini`, JSON, YAML, TOML) read key
 * by key.
 */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { getNode, mapEntries } from '../../../server/src/documents/yamlNodes';
import { embeddedEntries, judgeNamedValue, Verdict } from '../../../server/src/secrets';
import { CHECKOV_SECRET_REFERENCES, describeVerdict, SECRETS, spanInScalar, stringScalar, verdictRange } from './common';

/** Every secret found in one string stored under `key`: embedded entries first, else the value itself. */
export function secretsInText(key: string, value: string): { from: number; to: number; verdict: Verdict; name: string }[] {
  const out: { from: number; to: number; verdict: Verdict; name: string }[] = [];
  const entries = embeddedEntries(key, value);
  const covered: [number, number][] = [];
  for (const e of entries) {
    const verdict = judgeNamedValue(e.key, e.value);
    if (!verdict) continue;
    const [a, b] = verdictRange(verdict, e.value);
    out.push({ from: e.start + a, to: e.start + b, verdict, name: e.key });
    covered.push([e.start, e.end]);
  }
  if (entries.length === 0) {
    const verdict = judgeNamedValue(key, value);
    if (verdict) {
      const [a, b] = verdictRange(verdict, value);
      out.push({ from: a, to: b, verdict, name: key });
    }
    return out;
  }
  // Known formats outside any entry (a token in a comment, in an XML file).
  const rest = judgeNamedValue('', value);
  if (rest?.reason === 'format' && !covered.some(([s, e]) => rest.hit.index >= s && rest.hit.index < e)) {
    out.push({ from: rest.hit.index, to: rest.hit.index + rest.hit.length, verdict: rest, name: key });
  }
  return out;
}

export const secretInConfigMap: KubernetesRule = {
  ...SECRETS,
  id: 'secret-in-configmap',
  language: 'kubernetes',
  title: 'Credential in a ConfigMap',
  severity: 'error',
  description:
    'A ConfigMap holds a credential: a `data` key named like one (`DB_PASSWORD`, `api-key`) with a real-looking ' +
    'value, a known token format anywhere, or a credential inside an embedded config file (`.env`, ' +
    "`*.properties`, `*.ini`, `*.toml`, JSON, YAML), read key by key and reported at the key's value. " +
    'ConfigMaps are not meant for secrets: RBAC grants them widely, `kubectl describe` prints them, and they ' +
    'are never encrypted at rest. Placeholders, references, hashes and public certificates are not reported.',
  remediation:
    'Revoke the credential and move it to a Secret (managed by Sealed Secrets, External Secrets or SOPS); ' +
    'mount both, or template the config file at start-up from env vars read from the Secret.',
  references: ['trivy:KSV-0109', 'kubescape:C-0012', 'polaris:sensitiveConfigmapContent', ...CHECKOV_SECRET_REFERENCES],
  fixes: [],
  kinds: ['ConfigMap'],
  check(ctx) {
    const doc = ctx.object.doc;
    for (const { key, value } of mapEntries(getNode(ctx.object.node, 'data', doc), doc)) {
      const node = stringScalar(value);
      if (!node) continue;
      for (const hit of secretsInText(key, node.value as string)) {
        const text = (node.value as string).slice(hit.from, hit.to);
        const where = hit.name === key ? `key "${key}"` : `"${hit.name}" in "${key}"`;
        ctx.report({
          at: spanInScalar(ctx.text, node, hit.from, hit.to),
          message: `${ctx.object.label} ${where} holds a ${describeVerdict(hit.verdict, text)}: ConfigMaps are readable by far more than Secrets and never encrypted. Move it to a Secret.`,
        });
      }
    }
  },
};
