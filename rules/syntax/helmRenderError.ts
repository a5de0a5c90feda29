import type { BuiltinRule } from '../../server/src/engine/rule';
import { HELM_RENDER_ERROR_RULE_ID } from '../../server/src/engine/engine';

/**
 * Reported, once, at the call where rendering a Helm template stopped: a function Bulkhead's
 * renderer does not implement, a template that does not parse, or the chart's own `fail`/`required`.
 * A template that cannot be rendered is not checked, and the user must know which ones those are.
 */
export const helmRenderError: BuiltinRule = {
  id: HELM_RENDER_ERROR_RULE_ID,
  language: 'engine',
  title: 'Helm template could not be rendered',
  category: 'syntax',
  severity: 'warning',
  description:
    "Bulkhead renders each Helm template with the chart's values before checking it. Rendering stopped at this call: " +
    "either it uses a function Bulkhead's renderer does not implement (helm may render it; please report the function), " +
    'the template does not parse, or the chart itself stops with `fail` or `required` for these values (helm fails too). ' +
    "The template's manifests are not checked.",
  remediation:
    'For `fail`/`required`, set the value in values.yaml or the values files Bulkhead renders with (settings.helm.valuesFiles, ' +
    'CLI --values). For an unsupported function, silence this finding with a `bulkhead-ignore-file` comment if the template ' +
    'needs no checking.',
  references: [],
  fixes: [],
  recommended: true,
};
