import type { BuiltinRule } from '../../server/src/engine/rule';
import { SYNTAX_RULE_ID } from '../../server/src/engine/engine';

export const yamlSyntaxError: BuiltinRule = {
  id: SYNTAX_RULE_ID,
  language: 'yaml',
  title: 'YAML syntax error',
  category: 'syntax',
  severity: 'error',
  description:
    'The YAML document does not parse, so `kubectl apply` rejects it and Bulkhead cannot check it. ' + 'Other documents of the same file are still checked.',
  remediation: 'Fix the syntax at the marked position. Tabs are not allowed for indentation in YAML.',
  references: [],
  fixes: [],
  recommended: true,
  docsUrl: 'https://yaml.org/spec/1.2.2/',
};
