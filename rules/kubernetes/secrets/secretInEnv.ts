/**
 * A credential written as an env `value` literal: the env var's `name` and its `value` are judged
 * together (they sit on different lines, which line-based scanners cannot join).
 */
import { isMap, Pair, YAMLMap } from 'yaml';
import type { Fix, KubeRuleContext, KubernetesRule } from '../../../server/src/engine/rule';
import { deref, findPair, getSeq, getString, seqItems } from '../../../server/src/documents/yamlNodes';
import { judgeNamedValue, secretsInShellString, Verdict } from '../../../server/src/secrets';
import { CHECKOV_SECRET_REFERENCES, commentMarksPlaceholder, describeVerdict, SECRETS, spanInScalar, stringScalar, verdictRange } from './common';

export const secretInEnv: KubernetesRule = {
  ...SECRETS,
  id: 'secret-in-env',
  language: 'kubernetes',
  title: 'Credential written in an env value',
  severity: 'error',
  description:
    "A container's `env` sets a credential as a literal `value`: a known token format anywhere in any value " +
    '(cloud keys, GitHub/GitLab/Slack/Stripe/npm/OpenAI... tokens, private keys, JWTs, `user:password@` URLs), or ' +
    'a variable named like a credential (`DB_PASSWORD`, `apiKey`, `CLIENT_SECRET`) whose value looks real, or a ' +
    'credential flag inside an option list (`JAVA_OPTS: -Dspring.datasource.password=…`). It is ' +
    'in the repository, in every rendered manifest and in the object any `get` on the workload returns. ' +
    'Placeholders (`changeme`, `<password>`, `$(VAR)`, `{{ }}`), references (`secretKeyRef`), file paths, ' +
    'hashes, UUIDs, booleans and numbers are not reported. Findings never print the value.',
  remediation:
    'Revoke the credential, then read it from a Secret: `valueFrom: {secretKeyRef: {name: ..., key: ...}}`, the ' +
    'Secret itself managed by Sealed Secrets, External Secrets or SOPS rather than committed.',
  references: ['kube-linter:env-var-secret', 'kubescape:C-0012', 'polaris:sensitiveContainerEnvVar', ...CHECKOV_SECRET_REFERENCES],
  fixes: [{ title: 'Read it from a Secret (valueFrom.secretKeyRef)', applicability: 'unsafe' }],
  kinds: 'workloads',
  check(ctx) {
    const doc = ctx.object.doc;
    const pod = ctx.object.podSpec();
    if (!pod) return;
    for (const container of pod.containers()) {
      for (const item of seqItems(getSeq(container.node, 'env', doc), doc)) {
        if (!isMap(item)) continue;
        const name = getString(item, 'name', doc) ?? '';
        const valuePair = findPair(item, 'value', doc);
        const node = stringScalar(deref(valuePair?.value, doc));
        if (!valuePair || !node) continue;
        const value = node.value as string;
        const verdict = judgeNamedValue(name, value);
        if (!verdict) {
          // Options handed to a program in one variable (`JAVA_OPTS=-Dspring.datasource.password=…`,
          // `EXTRA_ARGS=--token …`): the flags inside are judged as on a command line.
          for (const hit of optionSecrets(value)) {
            if (hit.verdict.reason === 'name' && commentMarksPlaceholder(ctx.text, node.range?.[0] ?? 0)) continue;
            ctx.report({
              at: spanInScalar(ctx.text, node, hit.from, hit.to),
              message: `${container.label} of ${ctx.object.label} sets ${name || 'an env var'} to options that pass ${hit.flag} a literal ${describeVerdict(hit.verdict, value.slice(hit.from, hit.to))}: it is readable in the repository and by anyone who can read the ${ctx.object.kind}. Read the credential from a Secret with valueFrom.secretKeyRef.`,
            });
          }
          continue;
        }
        if (verdict.reason === 'name' && commentMarksPlaceholder(ctx.text, node.range?.[0] ?? 0)) continue;
        const [from, to] = verdictRange(verdict, value);
        const fix = ctx.object.name ? secretKeyRefFix(ctx, item, valuePair, ctx.object.name, name) : undefined;
        ctx.report({
          at: spanInScalar(ctx.text, node, from, to),
          message: `${container.label} of ${ctx.object.label} sets ${name || 'an env var'} to a literal ${describeVerdict(verdict, value.slice(from, to))}: it is readable in the repository and by anyone who can read the ${ctx.object.kind}. Read it from a Secret with valueFrom.secretKeyRef.`,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};

/** Credentials passed as flags or assignments inside a value that is a list of options (it starts with `-`). */
function optionSecrets(value: string): { from: number; to: number; flag: string; verdict: Verdict }[] {
  const v = value.trimStart();
  if (!v.startsWith('-') || value.length > 100_000) return [];
  return secretsInShellString(value);
}

/**
 * `value: x` → `valueFrom: {secretKeyRef: {name: <workload>, key: <VAR>}}`, in the item's style.
 * Unsafe: the Secret must then exist with that key, or the pod does not start.
 */
function secretKeyRefFix(ctx: KubeRuleContext, item: YAMLMap, pair: Pair, secret: string, key: string): Fix | undefined {
  if (!/^[-._a-zA-Z0-9]+$/.test(key) || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(secret)) return undefined;
  const keyNode = pair.key as { range?: [number, number, number] };
  const valueNode = pair.value as { range?: [number, number, number] };
  if (!keyNode.range || !valueNode.range) return undefined;
  return {
    title: `Read it from a Secret (valueFrom.secretKeyRef to Secret ${secret}, key ${key}; create that Secret)`,
    applicability: 'unsafe',
    edits: () => {
      const start = keyNode.range![0];
      let end = valueNode.range![1];
      while (end > start && /\s/.test(ctx.text[end - 1])) end--;
      const ref = { secretKeyRef: { name: secret, key } };
      const newText = item.flow ? `valueFrom: ${ctx.edit.flow(ref)}` : ctx.edit.blockEntry('valueFrom', ref, ctx.edit.column(start)).trimStart();
      return [{ start, end, newText }];
    },
  };
}
