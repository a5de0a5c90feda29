import { ALL_RULES } from '../rules';
import { configSchema } from '../server/src/engine/configSchema';
import { rulesMarkdown } from '../server/src/cli/rulesCommand';

/** Repository-relative path → generated content. */
export function generatedFiles(): Record<string, string> {
  return {
    'schemas/bulkhead.schema.json': `${JSON.stringify(configSchema(ALL_RULES), null, 2)}\n`,
    'docs/rules.md': rulesMarkdown(ALL_RULES),
  };
}
