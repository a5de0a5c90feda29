/**
 * Admission preview: a workload in a namespace whose Pod Security Admission labels (found anywhere
 * in the workspace) it violates. `kubectl apply` would tell the user this; we tell them while they type.
 */
import type { Node } from 'yaml';
import { findPair } from '../../../server/src/documents/yamlNodes';
import type { KubeObject } from '../../../server/src/documents/kube';
import type { KubeRuleContext, KubernetesRule, RuleMeta } from '../../../server/src/engine/rule';
import type { PssRule } from './common';
import { ClusterDefault, clusterPodSecurity, ClusterPodSecurity, POD_SECURITY_CONFIG_KINDS } from '../control-plane/clusterPodSecurity';

const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
type Level = (typeof LEVELS)[number];
type Mode = 'enforce' | 'warn' | 'audit';

interface NamespacePolicy {
  name: string;
  /** `cluster`: no namespace label for the mode, the AdmissionConfiguration's default applies. */
  modes: Partial<Record<Mode, { level: Level; version: string; cluster?: { config: ClusterPodSecurity; at: ClusterDefault['at'] } }>>;
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

function labelPolicy(ctx: KubeRuleContext, namespace: string): NamespacePolicy | undefined {
  for (const { object } of ctx.workspace.objects('Namespace')) {
    if (object.name === namespace) {
      const policy = policyOf(object);
      if (policy) return policy;
    }
  }
  return undefined;
}

/**
 * The namespace's labels, mode by mode, else the defaults of the workspace's PodSecurity
 * AdmissionConfiguration; nothing for a namespace or runtime class it exempts.
 */
function findPolicy(ctx: KubeRuleContext, namespace: string): NamespacePolicy | undefined {
  const labelled = labelPolicy(ctx, namespace);
  const cluster = clusterPodSecurity(ctx.workspace);
  if (!cluster) return labelled;
  const runtimeClass = ctx.object.podSpec()?.node.get('runtimeClassName');
  if (cluster.exemptNamespaces.has(namespace) || (typeof runtimeClass === 'string' && cluster.exemptRuntimeClasses.has(runtimeClass))) return undefined;
  const modes: NamespacePolicy['modes'] = { ...labelled?.modes };
  for (const mode of ['enforce', 'warn', 'audit'] as const) {
    const d = cluster.defaults[mode];
    if (!modes[mode] && d) modes[mode] = { level: d.level, version: d.version, cluster: { config: cluster, at: d.at } };
  }
  return Object.keys(modes).length ? { name: namespace, modes } : undefined;
}

/** How a message names where a mode's level comes from. */
function levelSource(namespace: string, mode: Mode, m: NonNullable<NamespacePolicy['modes'][Mode]>): string {
  if (!m.cluster) return `namespace "${namespace}" ${mode === 'enforce' ? 'enforces' : mode === 'warn' ? 'warns on' : 'audits'}`;
  return `namespace "${namespace}" has no pod-security.kubernetes.io/${mode} label in the workspace, so the cluster default of ${m.cluster.config.label} applies: it ${mode === 'enforce' ? 'enforces' : mode === 'warn' ? 'warns on' : 'audits'}`;
}

function relatedOf(mode: Mode, m: NonNullable<NamespacePolicy['modes'][Mode]>) {
  return m.cluster ? [m.cluster.config.related(m.cluster.at, `The cluster-wide default: defaults.${mode}: ${m.level}`)] : undefined;
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
  remediation:
    'Fix the listed Pod Security Standards violations (the "Harden this workload" quick-fix does it in one step), or run the workload in a namespace whose level allows it.',
  references: [],
  fixes: [],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/concepts/security/pod-security-admission/',
};

export function admissionRules(pssRules: readonly PssRule[]): KubernetesRule[] {
  const rejects: KubernetesRule = {
    ...COMMON,
    id: 'pod-security-admission-rejects',
    title: "Rejected by the namespace's Pod Security Admission",
    severity: 'error',
    description:
      "The workload's namespace (a Namespace object in the workspace) has a `pod-security.kubernetes.io/enforce` " +
      "label, and the workload violates that level (at the label's `-version`). The API server will reject the " +
      'Pod; for a controller (Deployment, Job, ...) the object is accepted but every pod it creates is rejected, ' +
      'which shows only as a stuck rollout. A PodSecurity `AdmissionConfiguration` in the workspace (if there is exactly one) ' +
      'adds its cluster-wide `defaults` for namespaces without the label, and its `exemptions` (namespaces, runtime classes) apply.',
    language: 'kubernetes',
    kinds: 'workloads',
    scope: 'workspace',
    reads: ['Namespace', ...POD_SECURITY_CONFIG_KINDS],
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
          `${levelSource(namespace, 'enforce', enforce)} Pod Security "${enforce.level}" (${enforce.version}) and the pod violates ${broken.join(', ')}.`,
        related: relatedOf('enforce', enforce),
      });
    },
  };
  const warns: KubernetesRule = {
    ...COMMON,
    id: 'pod-security-admission-warns',
    title: "Warned or audited by the namespace's Pod Security Admission",
    severity: 'warning',
    description:
      "The workload's namespace has `pod-security.kubernetes.io/warn` or `audit` labels at a level the workload " +
      'violates (and its enforce level, if any, does not already reject it): `kubectl apply` prints warnings, or ' +
      'the audit log records the violation. Usually the step before the namespace starts enforcing.',
    language: 'kubernetes',
    kinds: 'workloads',
    scope: 'workspace',
    reads: ['Namespace', ...POD_SECURITY_CONFIG_KINDS],
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
          message: `N${levelSource(namespace, mode, m).slice(1)} Pod Security "${m.level}" (${m.version}): ${ctx.object.label} violates ${broken.join(', ')}${mode === 'warn' ? '; kubectl apply will print warnings' : '; the audit log will record it'}.`,
          related: relatedOf(mode, m),
        });
        return;
      }
    },
  };
  return [rejects, warns];
}
