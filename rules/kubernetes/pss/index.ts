/** The Pod Security Standards checks, baseline then restricted, and the harden action they offer. */
import { setPssExtraFixes, PssRule } from './common';
import { hardenFixes } from './harden';
import { privilegedContainer } from '../privilegedContainer';
import { hostIpc, hostNetwork, hostPid } from '../hostNamespaces';
import { capabilitiesAddedRestricted, capabilitiesNotDropped, disallowedCapabilities } from './capabilities';
import { hostPathVolume, restrictedVolumeType, sensitiveHostPathRule } from './volumes';
import { hostPort } from './hostPorts';
import { apparmorUnconfined, missingSeccompProfile, seccompUnconfined, seLinuxCustomOptions } from './confinement';
import { hostProbeOrLifecycle, unmaskedProcMount, unmaskedProcMountRestricted, unsafeSysctls, windowsHostProcess } from './runtime';
import { mayRunAsRoot, privilegeEscalationAllowed, runsAsRootUser } from './users';

setPssExtraFixes(hardenFixes);

export const PSS_BASELINE_RULES: readonly PssRule[] = [
  privilegedContainer,
  hostNetwork,
  hostPid,
  hostIpc,
  sensitiveHostPathRule,
  hostPathVolume,
  hostPort,
  disallowedCapabilities,
  apparmorUnconfined,
  seLinuxCustomOptions,
  unmaskedProcMount,
  seccompUnconfined,
  unsafeSysctls,
  windowsHostProcess,
  hostProbeOrLifecycle,
];

export const PSS_RESTRICTED_RULES: readonly PssRule[] = [
  restrictedVolumeType,
  privilegeEscalationAllowed,
  mayRunAsRoot,
  runsAsRootUser,
  missingSeccompProfile,
  capabilitiesNotDropped,
  capabilitiesAddedRestricted,
  unmaskedProcMountRestricted,
];

export const PSS_RULES: readonly PssRule[] = [...PSS_BASELINE_RULES, ...PSS_RESTRICTED_RULES];
