/**
 * Kustomize `secretGenerator` and `configMapGenerator` `literals` (`KEY=value`): credentials typed into
 * the kustomization itself. The `envs` and `files` they name are read by `dotenv-secret`, whatever their
 * name. A `kustomization.yaml` without `apiVersion`/`kind` is a Kustomization by its name.
 */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { getSeq, seqItems, stringItems } from '../../../server/src/documents/yamlNodes';
import { judgeNamedValue } from '../../../server/src/secrets';
import { describeVerdict, SECRETS, spanInScalar, verdictRange } from './common';

export const kustomizeSecretLiteral: KubernetesRule = {
  ...SECRETS,
  id: 'kustomize-secret-literal',
  language: 'kubernetes',
  title: 'Credential in a Kustomize generator literal',
  severity: 'error',
  description:
    'A `kustomization.yaml` `secretGenerator` or `configMapGenerator` lists a credential in `literals` ' +
    '(`DB_PASSWORD=…`, or a known token format): it is committed with the kustomization, and a ' +
    '`configMapGenerator` puts it in a ConfigMap besides. Placeholders and references are not reported.',
  remediation:
    'Revoke the credential. Generate the Secret from an `envs` or `files` entry that is not committed (listed ' +
    'in `.gitignore`, provided by CI), or use a SOPS or External Secrets generator.',
  references: [],
  fixes: [],
  // A kustomize Component carries the same generators.
  kinds: ['Kustomization', 'Component'],
  check(ctx) {
    const doc = ctx.object.doc;
    for (const generator of ['secretGenerator', 'configMapGenerator']) {
      for (const item of seqItems(getSeq(ctx.object.node, generator, doc), doc)) {
        for (const { value, node } of stringItems(getSeq(item, 'literals', doc), doc)) {
          const eq = value.indexOf('=');
          if (eq <= 0) continue;
          const key = value.slice(0, eq).trim();
          const literal = value.slice(eq + 1);
          const verdict = judgeNamedValue(key, literal);
          if (!verdict) continue;
          const [a, b] = verdictRange(verdict, literal);
          ctx.report({
            at: spanInScalar(ctx.text, node, eq + 1 + a, eq + 1 + b),
            message: `${generator} literal ${key} holds a ${describeVerdict(verdict, literal.slice(a, b))}: it is committed with the kustomization. Generate it from a file that is not committed, or from SOPS or an external secret store.`,
          });
        }
      }
    }
  },
};
