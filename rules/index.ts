/**
 * Every rule Bulkhead ships, in the order `bulkhead rules` lists them. A rule pack adds its modules
 * here; nothing else needs to know about them.
 */
import type { Rule } from '../server/src/engine/rule';
import { yamlSyntaxError } from './syntax/yamlSyntaxError';
import { yamlDuplicateKey } from './syntax/yamlDuplicateKey';
import { privilegedContainer } from './kubernetes/privilegedContainer';
import { hostIpc, hostNetwork, hostPid } from './kubernetes/hostNamespaces';
import { deprecatedServiceAccountField } from './kubernetes/deprecatedServiceAccountField';
import { dockerfileRunsAsRoot } from './dockerfile/runsAsRoot';

export const ALL_RULES: readonly Rule[] = [
  yamlSyntaxError,
  yamlDuplicateKey,
  privilegedContainer,
  hostNetwork,
  hostPid,
  hostIpc,
  deprecatedServiceAccountField,
  dockerfileRunsAsRoot,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
