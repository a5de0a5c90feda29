/** The network pack: what each object exposes (exposure/), consistency across objects and NetworkPolicy coverage. */
import type { KubernetesRule } from '../../../server/src/engine/rule';
import { NETWORK_EXPOSURE_RULES } from './exposure';
import { containerPortUnused } from './containerPortUnused';
import { controllerSelectorMismatch } from './controllerSelectorMismatch';
import { namespaceWithoutNetworkPolicy, podNotIsolatedEgress, podNotIsolatedIngress } from './coverage';
import { ingressBackendMissing } from './ingressBackendMissing';
import { networkPolicyPortMismatch } from './networkPolicyPorts';
import { networkPolicyPeerSelectsNothing, networkPolicySelectsNoPods } from './networkPolicyTargets';
import { PERMISSIVE_POLICY_RULES } from './permissivePolicies';
import { probePortUndeclared } from './probePortUndeclared';
import { serviceSelectsNoPods, serviceWithoutEndpoints } from './serviceSelectsNoPods';
import { serviceTargetPortUndeclared } from './serviceTargetPort';
import { workloadReachableFromAnywhere } from './reachableFromAnywhere';

export const NETWORK_RULES: readonly KubernetesRule[] = [
  serviceSelectsNoPods,
  serviceWithoutEndpoints,
  serviceTargetPortUndeclared,
  probePortUndeclared,
  ingressBackendMissing,
  controllerSelectorMismatch,
  networkPolicySelectsNoPods,
  networkPolicyPeerSelectsNothing,
  networkPolicyPortMismatch,
  containerPortUnused,
  namespaceWithoutNetworkPolicy,
  podNotIsolatedIngress,
  podNotIsolatedEgress,
  workloadReachableFromAnywhere,
  ...PERMISSIVE_POLICY_RULES,
  ...NETWORK_EXPOSURE_RULES,
];
