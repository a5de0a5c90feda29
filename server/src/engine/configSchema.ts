/**
 * The JSON Schema of `.bulkhead.yaml`, generated from the rules themselves so completion in the
 * editor (through Red Hat's YAML extension) always knows every rule id and what it does.
 * `npm run generate` writes it to `schemas/bulkhead.schema.json`; a test fails when it is stale.
 */
import { PROFILES } from './config';
import type { Rule } from './rule';

const SEVERITY_SETTING = { enum: ['off', 'on', 'error', 'warning', 'info'] };

export function ruleSettingSchema(): object {
  return {
    oneOf: [
      { ...SEVERITY_SETTING, description: '`off` disables the rule; `on` enables it at its default severity; a severity enables it at that severity.' },
      { type: 'boolean', description: '`true` enables the rule, `false` disables it.' },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          severity: SEVERITY_SETTING,
          options: { type: 'object', description: "Rule options (see the rule's documentation)." },
        },
      },
    ],
  };
}

export function configSchema(rules: readonly Rule[]): object {
  const ruleProperties: Record<string, object> = {};
  for (const rule of rules) {
    ruleProperties[rule.id] = {
      $ref: '#/definitions/ruleSetting',
      description: `${rule.title} (default: ${rule.severity}${rule.recommended ? ', in the recommended profile' : ''}).`,
      markdownDescription: `**${rule.title}** — default severity \`${rule.severity}\`${rule.recommended ? ', in the `recommended` profile' : ''}.\n\n${rule.description}`,
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://bulkhead.dev/schemas/bulkhead.schema.json',
    title: 'Bulkhead configuration (.bulkhead.yaml)',
    type: 'object',
    additionalProperties: false,
    definitions: { ruleSetting: ruleSettingSchema() },
    properties: {
      $schema: { type: 'string' },
      profile: {
        enum: [...PROFILES],
        default: 'recommended',
        description:
          'Which rules run by default: recommended (security rules worth failing a build on), pss-baseline / pss-restricted (exactly the Pod Security Standards), all.',
      },
      rules: {
        type: 'object',
        description: 'Per-rule overrides of the profile: off, on, a severity, or { severity, options }.',
        properties: ruleProperties,
        additionalProperties: { $ref: '#/definitions/ruleSetting' },
      },
      exclude: {
        type: 'array',
        items: { type: 'string' },
        description: 'gitignore-style patterns, relative to the folder of this file, of paths not to lint.',
      },
      settings: {
        type: 'object',
        description: 'Settings rule packs read.',
        properties: {
          pssVersion: {
            type: 'string',
            pattern: '^(latest|v1\\.[0-9]+)$',
            default: 'latest',
            description: 'Pod Security Standards version the PSS rules follow.',
          },
          kubernetesVersion: {
            type: 'string',
            pattern: '^(latest|v?1\\.[0-9]+(\\.[0-9]+)?)$',
            default: 'latest',
            description:
              "Kubernetes version of the clusters the files configure (e.g. 1.30): control-plane rules judge absent flags by that version's defaults, unless a file names its own (kubeadm kubernetesVersion, an image tag).",
          },
          allowedRegistries: {
            type: 'array',
            items: { type: 'string' },
            description: 'Registries (or registry/path prefixes) images may come from; untrusted-image-registry reports others. Empty: the rule is off.',
          },
          helm: {
            type: 'object',
            additionalProperties: false,
            properties: {
              valuesFiles: {
                type: 'array',
                items: { type: 'string' },
                description:
                  "Values files Helm templates are rendered with on top of each chart's values.yaml, in order (as `helm template -f`), relative to the chart folder (e.g. ci/prod-values.yaml); a chart without the file renders without it.",
              },
              set: {
                type: 'object',
                additionalProperties: true,
                description:
                  "Values the charts render with after the values files, as `helm template --set`: values key in --set syntax (`image.tag`, `ingress.hosts[0].host`, `a\\.b` for a dot in a key) to its value, typed as written (a string stays a string; null removes the key). The CLI's --set and --set-string apply after these.",
              },
            },
          },
        },
      },
    },
  };
}
