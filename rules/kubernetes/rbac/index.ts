/** The RBAC pack: per-role and per-binding checks, long-lived tokens, and the workload chains and attack paths. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { BINDING_RULES } from './bindings';
import { ROLE_CAPABILITY_RULES } from './roleCapabilities';
import { serviceAccountMissing } from './serviceAccountMissing';
import { serviceAccountTokenSecret } from './tokenSecret';
import { rbacWildcard } from './wildcard';
import { CHAIN_RULES } from './workloadChains';

export const RBAC_RULES: readonly KubernetesRule[] = [
  rbacWildcard,
  ...ROLE_CAPABILITY_RULES,
  ...BINDING_RULES,
  serviceAccountTokenSecret,
  serviceAccountMissing,
  ...CHAIN_RULES,
];
