import type { BuiltinRule } from '../../server/src/engine/rule';
import { DUPLICATE_KEY_RULE_ID } from '../../server/src/engine/engine';

export const yamlDuplicateKey: BuiltinRule = {
  id: DUPLICATE_KEY_RULE_ID,
  language: 'yaml',
  title: 'Duplicate key in a YAML mapping',
  category: 'syntax',
  severity: 'warning',
  description:
    'A mapping names the same key twice. `kubectl` rejects such manifests, and tools that accept them ' +
    'disagree on which value wins, so what is reviewed may not be what runs. The document is still checked.',
  remediation: 'Keep one of the keys and merge the values you meant.',
  references: [],
  fixes: [],
  recommended: true,
};
