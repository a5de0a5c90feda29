import type { BuiltinRule } from '../../server/src/engine/rule';
import { HELM_RENDER_BUDGET_RULE_ID } from '../../server/src/engine/engine';

/**
 * Reported when a Helm template runs over the renderer's budget (steps, memory, nesting), so a
 * chart cannot hide a template from review by making it too costly to render.
 */
export const helmRenderBudget: BuiltinRule = {
  id: HELM_RENDER_BUDGET_RULE_ID,
  language: 'engine',
  title: 'Helm template too costly to render',
  category: 'syntax',
  severity: 'warning',
  description:
    'Rendering this template needs more steps, memory or nesting than any real chart does (the renderer allows ' +
    '100,000 steps, 4 MB of output and 50 nested includes per template), so Bulkhead stopped and did not check it.',
  remediation: 'Look for unbounded loops, recursive helpers, huge `repeat`/`printf` widths or regexes applied to large values.',
  references: [],
  fixes: [],
  recommended: true,
};
