/**
 * Admission preview: a workload in a namespace whose Pod Security Admission labels (found anywhere
 * in the workspace) it violates. `kubectl apply` would tell the user this; we tell them while they type.
 */
import type { Node } from 'yaml';
import { findPair } from '../../../server/src/documents/yamlNodes';
import type { KubeObject } from '../../../server/src/documents/kube';
import type { KubeRuleContext, KubernetesRule, RuleMeta } from '../../../server/src/engine/rule';
import type { PssRule } from './common';

const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
type Level = (typeof LEVELS)[number];
type Mode = 'enforce' | 'warn' | 'audit';

interface NamespacePolicy {
  name: string;
  modes: Partial<Record<Mode, { level: Level; version: string }>>;
}

function policyOf(ns: KubeObject): NamespacePolicy | undefined {
  const labels = ns.labels();
  const modes: NamespacePolicy['modes'] = {};
  for (const mode of ['enforce', 'warn', 'audit'] as const) {
    const level = labels.get(`pod-security.kubernetes.io/${mode}`)?.value as Level | undefined;
    if (!level || !LEVELS.includes(level)) continue;
    modes[mode] = { level, version: labels.get(`pod-security.kubernetes.io/${mode}-version`)?.value || 'latest' };
  }
  return ns.name && Object.keys(modes).length ? { name: ns.name, modes } : undefined;
}

function findPolicy(ctx: KubeRuleContext, namespace: string): NamespacePolicy | undefined {
  for (const { object } of ctx.workspace.objects('Namespace')) {
    if (object.name === namespace) {
      const policy = policyOf(object);
      if (policy) return policy;
    }
  }
  return undefined;
}

/** The PSA check ids a workload violates at a level and version. */
function violations(ctx: KubeRuleContext, rules: readonly PssRule[], level: Level, version: string): string[] {
  if (level === 'privileged') return [];
  const pod = ctx.object.podSpec();
  if (!pod) return [];
  const checks = new Set<string>();
  for (const rule of rules) {
    if (rule.pss.level === 'restricted' && level !== 'restricted') continue;
    const reports = rule.evaluate({ object: ctx.object, pod, doc: ctx.object.doc, settings: { ...ctx.settings, pssVersion: version }, edit: ctx.edit });
    if (reports.length) checks.add(rule.pss.check);
  }
  return [...checks];
}

function where(ctx: KubeRuleContext): Node | undefined {
  const pair = findPair(ctx.object.metadata, 'namespace', ctx.object.doc);
  return (pair?.value as Node) ?? undefined;
}

const COMMON: Omit<RuleMeta, 'id' | 'title' | 'severity' | 'description'> = {
  category: 'workload-privileges',
  remediation: 'Fix the listed Pod Security Standards violations (the "Harden this workload" quick-fix does it in one step), or run the workload in a namespace whose level allows it.',
  references: [],
  fixes: [],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/',
};

export function admissionRules(pssRules: readonly PssRule[]): KubernetesRule[] {
  const rejects: KubernetesRule = {
    ...COMMON,
    id: 'pod-security-admission-rejects',
    title: 'Rejected by the namespace\'s Pod Security Admission',
    severity: 'error',
    description:
      'The workload\'s namespace (a Namespace object in the workspace) has a `pod-security.kubernetes.io/enforce` ' +
      'label, and the workload violates that level (at the label\'s `-version`). The API server will reject the ' +
      'Pod; for a controller (Deployment, Job, ...) the object is accepted but every pod it creates is rejected, ' +
      'which shows only as a stuck rollout.',
    language: 'kubernetes',
    kinds: 'workloads',
    scope: 'workspace',
    reads: ['Namespace'],
    check(ctx) {
      const namespace = ctx.object.namespace;
      const at = where(ctx);
      if (!namespace || !at) return;
      const policy = findPolicy(ctx, namespace);
      const enforce = policy?.modes.enforce;
      if (!enforce) return;
      const broken = violations(ctx, pssRules, enforce.level, enforce.version);
      if (!broken.length) return;
      const isPod = ctx.object.kind === 'Pod';
      ctx.report({
        at,
        message:
          `${isPod ? `${ctx.object.label} will be rejected at admission` : `Pods of ${ctx.object.label} will be rejected at admission (the ${ctx.object.kind} itself is accepted)`}: ` +
          `namespace "${namespace}" enforces Pod Security "${enforce.level}" (${enforce.version}) and the pod violates ${broken.join(', ')}.`,
      });
    },
  };
  const warns: KubernetesRule = {
    ...COMMON,
    id: 'pod-security-admission-warns',
    title: 'Warned or audited by the namespace\'s Pod Security Admission',
    severity: 'warning',
    description:
      'The workload\'s namespace has `pod-security.kubernetes.io/warn` or `audit` labels at a level the workload ' +
      'violates (and its enforce level, if any, does not already reject it): `kubectl apply` prints warnings, or ' +
      'the audit log records the violation. Usually the step before the namespace starts enforcing.',
    language: 'kubernetes',
    kinds: 'workloads',
    scope: 'workspace',
    reads: ['Namespace'],
    check(ctx) {
      const namespace = ctx.object.namespace;
      const at = where(ctx);
      if (!namespace || !at) return;
      const policy = findPolicy(ctx, namespace);
      if (!policy) return;
      const enforce = policy.modes.enforce;
      if (enforce && violations(ctx, pssRules, enforce.level, enforce.version).length) return;
      for (const mode of ['warn', 'audit'] as const) {
        const m = policy.modes[mode];
        if (!m) continue;
        const broken = violations(ctx, pssRules, m.level, m.version);
        if (!broken.length) continue;
        ctx.report({
          at,
          message: `Namespace "${namespace}" ${mode === 'warn' ? 'warns on' : 'audits'} Pod Security "${m.level}" (${m.version}): ${ctx.object.label} violates ${broken.join(', ')}${mode === 'warn' ? '; kubectl apply will print warnings' : '; the audit log will record it'}.`,
        });
        return;
      }
    },
  };
  return [rejects, warns];
}
