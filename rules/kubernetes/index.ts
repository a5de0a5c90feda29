/** The Kubernetes rule pack. Add a rule module here to ship it. */
import type { KubernetesRule } from '../../server/src/engine/rule';
import { privilegedContainer } from './privilegedContainer';
import { hostIpc, hostNetwork, hostPid } from './hostNamespaces';
import { deprecatedServiceAccountField } from './deprecatedServiceAccountField';

export const KUBERNETES_RULES: readonly KubernetesRule[] = [
  privilegedContainer,
  hostNetwork,
  hostPid,
  hostIpc,
  deprecatedServiceAccountField,
];
