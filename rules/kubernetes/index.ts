/** The Kubernetes rule pack. Add a rule module here to ship it. */
import type { KubernetesRule } from '../../server/src/engine/rule';
import { PSS_RULES } from './pss';
import { admissionRules } from './pss/admission';
import { deprecatedServiceAccountField } from './deprecatedServiceAccountField';

export const KUBERNETES_RULES: readonly KubernetesRule[] = [...PSS_RULES, ...admissionRules(PSS_RULES), deprecatedServiceAccountField];
