/** The Kubernetes rule pack. Add a rule module here to ship it. */
import type { KubernetesRule } from '../../server/src/engine/rule';
import { PSS_RULES } from './pss';
import { admissionRules } from './pss/admission';
import { deprecatedServiceAccountField } from './deprecatedServiceAccountField';
import { imageLatestTag, imageNotPinnedByDigest, riskyComponent, untrustedRegistry } from './images';
import { lowUid, privilegedPort, readOnlyRootFilesystem, rootGroup, sudoInCommand } from './hardening';
import { missingResources } from './resources';
import { automountServiceAccountToken, defaultNamespace, defaultServiceAccount } from './serviceAccounts';

export const KUBERNETES_RULES: readonly KubernetesRule[] = [
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
  missingResources,
  automountServiceAccountToken,
  defaultServiceAccount,
  deprecatedServiceAccountField,
  defaultNamespace,
];
