/**
 * Credentials in annotations: any object's annotation named like a credential, a known token format
 * in any annotation, and `kubectl.kubernetes.io/last-applied-configuration`, which `kubectl apply`
 * fills with the whole object (a Secret's data included) in plain JSON.
 */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { WORKLOAD_KINDS } from '../../../server/src/documents/kube';
import { embeddedEntries, judgeNamedValue, Verdict } from '../../../server/src/secrets';
import { judgeSecretEntry } from './secretObject';
import { decodeBase64Text, describeVerdict, SECRETS, spanInScalar, stringScalar, verdictRange } from './common';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export const secretInAnnotation: KubernetesRule = {
  ...SECRETS,
  id: 'secret-in-annotation',
  language: 'kubernetes',
  title: 'Credential in an annotation',
  severity: 'error',
  description:
    'An annotation holds a credential: one named like a credential with a real-looking value, a known token ' +
    'format in any annotation, or a credential inside `kubectl.kubernetes.io/last-applied-configuration` (a ' +
    'copy of the object `kubectl apply` keeps; on a Secret it holds every value, readable by anyone who can ' +
    "read the object's metadata). Annotations are metadata: tools list, log and copy them freely.",
  remediation:
    'Revoke the credential and remove it from the annotation. For `last-applied-configuration`, export ' +
    'objects with `kubectl get -o yaml` minus that annotation, or apply Secrets with server-side apply.',
  references: [],
  fixes: [],
  // Not `all`: that would parse every CRD schema of the workspace for its metadata alone.
  kinds: [...WORKLOAD_KINDS, 'Secret', 'ConfigMap', 'Service', 'Ingress', 'ServiceAccount', 'Namespace'],
  check(ctx) {
    if (!ctx.object.metadata) return;
    for (const [key, { pair }] of ctx.object.annotations()) {
      const node = stringScalar(pair.value);
      if (!node) continue;
      const value = node.value as string;
      const hits: { from: number; to: number; verdict: Verdict; name: string; shown?: string }[] = [];
      if (key === LAST_APPLIED) {
        const isSecret = /"kind"\s*:\s*"Secret"/.test(value);
        // An env item's `value` is named by its `name`, which kubectl writes first (its JSON keys are sorted).
        let envName: string | undefined;
        for (const e of embeddedEntries('x.json', value)) {
          if (e.key === 'env.name' || e.key.endsWith('.env.name')) {
            envName = e.value;
            continue;
          }
          const envValue = e.key === 'env.value' || e.key.endsWith('.env.value');
          const name = envValue && envName !== undefined ? envName : e.key.slice(e.key.lastIndexOf('.') + 1);
          // A Secret's values are judged as the Secret rule judges them (decoded under `data`).
          const secretValue = isSecret
            ? e.key.startsWith('data.')
              ? decodeBase64Text(e.value)
              : e.key.startsWith('stringData.')
                ? e.value
                : undefined
            : undefined;
          if (secretValue !== undefined) {
            const found = judgeSecretEntry(name, secretValue);
            if (found) hits.push({ from: e.start, to: e.end, verdict: found.verdict, name: e.key, shown: secretValue.slice(found.from, found.to) });
            continue;
          }
          const verdict = judgeNamedValue(name, e.value);
          if (!verdict) continue;
          const [a, b] = verdictRange(verdict, e.value);
          hits.push({ from: e.start + a, to: e.start + b, verdict, name: envValue && envName !== undefined ? `${e.key}[${envName}]` : e.key });
        }
      } else {
        // The prefix counts (`checksum/secret` is a digest), the domain does not.
        const verdict = judgeNamedValue(
          key.replace(/^[^/]*\//, (p) => (p.includes('.') ? '' : p.replace('/', '-'))),
          value,
        );
        if (verdict) {
          const [a, b] = verdictRange(verdict, value);
          hits.push({ from: a, to: b, verdict, name: key });
        }
      }
      for (const hit of hits) {
        const secretText = hit.shown ?? value.slice(hit.from, hit.to);
        ctx.report({
          at: spanInScalar(ctx.text, node, hit.from, hit.to),
          message: `${ctx.object.label} annotation ${key}${hit.name !== key ? ` (${hit.name})` : ''} holds a ${describeVerdict(hit.verdict, secretText)}: annotations are listed, logged and copied by every tool. Remove it and revoke the credential.`,
        });
      }
    }
  },
};
