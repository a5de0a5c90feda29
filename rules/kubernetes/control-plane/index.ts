/**
 * The control-plane pack: flag checks as data rows over the templates of `conditions.ts`, read
 * by `flagRule.ts` from every source of `sources.ts`, plus the configuration files the API server
 * reads (EncryptionConfiguration, audit Policy), and k3s/RKE2 `config.yaml` keys of their own.
 */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { API_SERVER_ROWS } from './apiServer';
import { COMPONENT_ROWS } from './components';
import { KUBELET_ROWS } from './kubelet';
import { flagRule, FlagRow } from './flagRule';
import { ENCRYPTION_RULES } from './encryption';
import { AUDIT_RULES } from './audit';
import { POD_SECURITY_ADMISSION_RULES } from './podSecurityAdmission';
import { RANCHER_RULES } from './rancher';
import { etcdUniqueCa } from './etcdCa';

export const CONTROL_PLANE_ROWS: readonly FlagRow[] = [...API_SERVER_ROWS, ...COMPONENT_ROWS, ...KUBELET_ROWS];

export const CONTROL_PLANE_FLAG_RULES: readonly KubernetesRule[] = CONTROL_PLANE_ROWS.map(flagRule);

export const CONTROL_PLANE_RULES: readonly KubernetesRule[] = [
  ...CONTROL_PLANE_FLAG_RULES,
  ...ENCRYPTION_RULES,
  ...AUDIT_RULES,
  ...POD_SECURITY_ADMISSION_RULES,
  ...RANCHER_RULES,
  etcdUniqueCa,
];
