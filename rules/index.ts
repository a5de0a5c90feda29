/**
 * Every rule Bulkhead ships, in the order `bulkhead rules` lists them. Each pack keeps its own
 * list (`kubernetes/index.ts`, `dockerfile/index.ts`); nothing else needs to know about a rule.
 */
import type { Rule } from '../server/src/engine/rule';
import { yamlSyntaxError } from './syntax/yamlSyntaxError';
import { yamlDuplicateKey } from './syntax/yamlDuplicateKey';
import { helmRenderBudget } from './syntax/helmRenderBudget';
import { helmRenderError } from './syntax/helmRenderError';
import { KUBERNETES_RULES } from './kubernetes';
import { DOCKERFILE_RULES } from './dockerfile';
import { SECRET_TEXT_RULES } from './kubernetes/secrets';
import { HELM_RULES } from './helm';

export const ALL_RULES: readonly Rule[] = [
  yamlSyntaxError,
  yamlDuplicateKey,
  helmRenderBudget,
  helmRenderError,
  ...KUBERNETES_RULES,
  ...SECRET_TEXT_RULES,
  ...DOCKERFILE_RULES,
  ...HELM_RULES,
];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
