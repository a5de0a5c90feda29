/** The secrets pack: credentials wherever Bulkhead reads, on one shared detector (`server/src/secrets`). */
import type { KubernetesRule, TextRule } from '../../../server/src/engine/rule';
import { secretInEnv } from './secretInEnv';
import { secretInCommandArgs } from './secretInArgs';
import { secretInConfigMap } from './secretInConfigMap';
import { secretInAnnotation } from './secretInAnnotation';
import { secretObjectCommitted } from './secretObject';
import { kubeconfigEmbeddedCredentials, kubeconfigExecPlugin, kubeconfigInsecureTls } from './kubeconfig';
import { kubeconfigCommittedKeyFile } from './kubeconfigKeyFile';
import { kustomizeSecretLiteral } from './kustomize';
import { dotenvSecret, helmValuesSecret } from './textFiles';

export const SECRET_RULES: readonly KubernetesRule[] = [
  secretInEnv,
  secretInCommandArgs,
  secretInConfigMap,
  secretInAnnotation,
  secretObjectCommitted,
  kubeconfigEmbeddedCredentials,
  kubeconfigExecPlugin,
  kubeconfigInsecureTls,
  kubeconfigCommittedKeyFile,
  kustomizeSecretLiteral,
];

export const SECRET_TEXT_RULES: readonly TextRule[] = [helmValuesSecret, dotenvSecret];
