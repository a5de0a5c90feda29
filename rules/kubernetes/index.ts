/** The Kubernetes rule pack. Add a rule module here to ship it. */
import type { KubernetesRule } from '../../server/src/engine/rule';
import { PSS_RULES } from './pss';
import { deprecatedServiceAccountField } from './deprecatedServiceAccountField';

export const KUBERNETES_RULES: readonly KubernetesRule[] = [...PSS_RULES, deprecatedServiceAccountField];
