/** Long-lived service account tokens stored in Secrets. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { findPair, getString } from '../../../server/src/documents/yamlNodes';
import { RBAC_READS } from '../../../server/src/model/rbac';
import { capabilitiesOf } from '../../../server/src/model/rbacCapabilities';
import { RBAC, rbacOf } from './common';

export const serviceAccountTokenSecret: KubernetesRule = {
  ...RBAC,
  id: 'service-account-token-secret',
  language: 'kubernetes',
  title: 'Long-lived service account token Secret',
  severity: 'warning',
  description:
    'A Secret of type `kubernetes.io/service-account-token` makes the control plane write a token for the account ' +
    'named in its `kubernetes.io/service-account.name` annotation that never expires and is not bound to a pod: anyone ' +
    "who can read the Secret (or a copy of it in a backup or a repository) holds the account's rights until the Secret " +
    'is deleted. Since Kubernetes 1.24 pods get short-lived projected tokens instead. The message says what the ' +
    'account can do through the bindings of the workspace.',
  remediation: 'Delete the Secret; use `kubectl create token` or the TokenRequest API for short-lived tokens, and projected token volumes in pods.',
  references: [],
  fixes: [],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets',
  kinds: ['Secret'],
  scope: 'workspace',
  reads: RBAC_READS,
  check(ctx) {
    const doc = ctx.object.doc;
    const typePair = findPair(ctx.object.node, 'type', doc);
    if (getString(ctx.object.node, 'type', doc) !== 'kubernetes.io/service-account-token' || !typePair) return;
    const account = ctx.object.annotations().get('kubernetes.io/service-account.name')?.value;
    const ns = ctx.object.namespace ?? '';
    const held = account
      ? rbacOf(ctx)
          .grantsOf(ns, account)
          .flatMap((g) => capabilitiesOf(g.rules, g.scope).map((h) => h.capability.describe(g.scope)))
      : [];
    ctx.report({
      at: typePair,
      message: `${ctx.object.label} holds a long-lived token for ServiceAccount ${account ?? '(no kubernetes.io/service-account.name annotation)'} that never expires${held.length ? `; that account ${held[0]}${held.length > 1 ? ` (and ${held.length - 1} more)` : ''}` : ''}.`,
    });
  },
};
