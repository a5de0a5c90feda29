/** The Kubernetes rule pack. Add a rule module here to ship it. */
import type { KubernetesRule } from '../../server/src/engine/rule';
import { PSS_RULES } from './pss';
import { NETWORK_RULES } from './network';
import { CONTROL_PLANE_RULES } from './control-plane';
import { forControlPlaneStaticPods } from './control-plane/staticPods';
import { RBAC_RULES } from './rbac';
import { SECRET_RULES } from './secrets';
import { admissionRules } from './pss/admission';
import { deprecatedServiceAccountField } from './deprecatedServiceAccountField';
import { imageLatestTag, imageNotPinnedByDigest, riskyComponent, untrustedRegistry } from './images';
import { lowUid, privilegedPort, readOnlyRootFilesystem, rootGroup, sudoInCommand } from './hardening';
import { RESOURCE_RULES } from './resources';
import { automountServiceAccountToken, defaultNamespace, defaultServiceAccount, defaultServiceAccountAutomount } from './serviceAccounts';

// Workload findings on control-plane static pods follow the decision in control-plane/staticPods.ts.
export const KUBERNETES_RULES: readonly KubernetesRule[] = forControlPlaneStaticPods([
  ...PSS_RULES,
  ...admissionRules(PSS_RULES),
  readOnlyRootFilesystem,
  rootGroup,
  lowUid,
  sudoInCommand,
  privilegedPort,
  imageLatestTag,
  imageNotPinnedByDigest,
  untrustedRegistry,
  riskyComponent,
  ...RESOURCE_RULES,
  automountServiceAccountToken,
  defaultServiceAccount,
  defaultServiceAccountAutomount,
  deprecatedServiceAccountField,
  defaultNamespace,
  ...NETWORK_RULES,
  ...CONTROL_PLANE_RULES,
  ...RBAC_RULES,
  ...SECRET_RULES,
]);
