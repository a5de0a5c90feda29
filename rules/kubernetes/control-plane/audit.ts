/**
 * Audit Policy (audit.k8s.io/v1, the file `--audit-policy-file` points at). Rules are matched in
 * order and the first that matches a request sets its level; a request no rule matches is not logged.
 */
import { isMap, Node, YAMLMap } from 'yaml';
import type { KubeObject } from '../../../server/src/documents/kube';
import { findPair, getSeq, getString, seqItems, stringItems } from '../../../server/src/documents/yamlNodes';
import type { KubeRuleContext, KubernetesRule, RuleMeta } from '../../../server/src/engine/rule';

const DOCS = 'https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/';

function isAuditPolicy(object: KubeObject): boolean {
  return (object.apiVersion ?? '').startsWith('audit.k8s.io/');
}

interface AuditRule {
  readonly node: YAMLMap;
  readonly level: string | undefined;
  /**
   * `resources` groups: group name ('' for core), its resources ([] for all of the group) and
   * whether `resourceNames` narrows it to some objects.
   */
  readonly groups: { group: string; resources: string[]; named: boolean }[] | undefined;
  /** Matches only some requests (users, verbs, namespaces...), so later rules still see the rest. */
  readonly filtered: boolean;
  /** Only non-resource URLs: never matches a resource request. */
  readonly nonResourceOnly: boolean;
}

function auditRules(object: KubeObject): AuditRule[] {
  const doc = object.doc;
  const out: AuditRule[] = [];
  for (const item of seqItems(getSeq(object.node, 'rules', doc), doc)) {
    if (!isMap(item)) continue;
    const resources = getSeq(item, 'resources', doc);
    const groups = resources
      ? seqItems(resources, doc)
          .filter(isMap)
          .map((g) => ({
            group: getString(g, 'group', doc) ?? '',
            resources: stringItems(getSeq(g, 'resources', doc), doc).map((r) => r.value),
            named: stringItems(getSeq(g, 'resourceNames', doc), doc).length > 0,
          }))
      : undefined;
    const filtered = ['users', 'userGroups', 'verbs', 'namespaces'].some((k) => stringItems(getSeq(item, k, doc), doc).length > 0);
    out.push({ node: item, level: getString(item, 'level', doc), groups, filtered, nonResourceOnly: !resources && !!getSeq(item, 'nonResourceURLs', doc) });
  }
  return out;
}

/** Whether the rule matches requests for the resource: `all` of them, only `some` (named objects), or none. */
function matches(rule: AuditRule, group: string, resource: string): 'all' | 'some' | undefined {
  if (rule.nonResourceOnly) return undefined;
  if (!rule.groups) return 'all';
  // `resources: [{group: ""}]` means every resource of the core group; `*` in resources, every resource.
  const hits = rule.groups.filter((g) => g.group === group && (g.resources.length === 0 || g.resources.includes(resource) || g.resources.includes('*')));
  if (!hits.length) return undefined;
  return hits.some((g) => !g.named) ? 'all' : 'some';
}

function rule(meta: Omit<RuleMeta, 'category' | 'docsUrl' | 'fixes'>, check: (ctx: KubeRuleContext, rules: AuditRule[]) => void): KubernetesRule {
  return {
    ...meta,
    category: 'control-plane',
    docsUrl: DOCS,
    fixes: [],
    language: 'kubernetes',
    kinds: ['Policy'],
    check(ctx) {
      if (isAuditPolicy(ctx.object)) check(ctx, auditRules(ctx.object));
    },
  };
}

export const auditPolicyLogsNothing = rule(
  {
    id: 'audit-policy-logs-nothing',
    title: 'Audit policy logs nothing',
    severity: 'warning',
    description: 'An audit Policy with no rules, or whose rules all have level `None`, records no request: the audit log stays empty while looking configured.',
    remediation: 'Log at least `Metadata` for every request (a last rule `- level: Metadata`), and `RequestResponse` where bodies matter and hold no secrets.',
    references: ['cis-k8s:3.2.1', 'kubescape:C-0160'],
    recommended: true,
  },
  (ctx, rules) => {
    const rulesPair = findPair(ctx.object.node, 'rules', ctx.object.doc);
    if (rules.length === 0) {
      ctx.report({
        at: rulesPair ?? ctx.object.anchor,
        message: `audit Policy${ctx.object.name ? ` ${ctx.object.name}` : ''} has no rules: no request is logged.`,
      });
    } else if (rules.every((r) => r.level === 'None')) {
      ctx.report({ at: rulesPair ?? ctx.object.anchor, message: 'every rule of the audit Policy has level None: no request is logged.' });
    }
  },
);

const SENSITIVE: { group: string; resource: string; why: string }[] = [
  { group: '', resource: 'secrets', why: 'Secret values' },
  { group: '', resource: 'configmaps', why: 'ConfigMap contents, often credentials' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews', why: 'the bearer tokens being reviewed' },
];

export const auditPolicyLogsSecrets = rule(
  {
    id: 'audit-policy-logs-secret-bodies',
    title: 'Audit policy logs Secret, ConfigMap or TokenReview bodies',
    severity: 'warning',
    description:
      'At level `Request` or `RequestResponse` the audit log records request and response bodies. For Secrets, ' +
      'ConfigMaps and TokenReviews that writes credentials and tokens into log files and whatever ships them. The first ' +
      'matching rule decides, so a catch-all `RequestResponse` rule leaks them unless an earlier rule logs them at `Metadata`.',
    remediation:
      'Add, before any broader rule, `- level: Metadata` with `resources: [{group: "", resources: ["secrets", "configmaps"]}, {group: "authentication.k8s.io", resources: ["tokenreviews"]}]`.',
    references: ['cis-k8s:3.2.2', 'kubescape:C-0161'],
    recommended: true,
  },
  (ctx, rules) => {
    const leaks = new Map<AuditRule, string[]>();
    for (const s of SENSITIVE) {
      for (const r of rules) {
        const match = matches(r, s.group, s.resource);
        if (!match) continue;
        if (r.level === 'Request' || r.level === 'RequestResponse') leaks.set(r, [...(leaks.get(r) ?? []), s.why]);
        // An unfiltered rule settles every request for the resource; a filtered one (users, verbs,
        // namespaces, resourceNames) only some, and later rules see the rest.
        if (!r.filtered && match === 'all') break;
      }
    }
    for (const [r, what] of leaks) {
      const level = findPair(r.node, 'level', ctx.object.doc);
      ctx.report({
        at: (level ?? r.node) as Node,
        message: `audit rule at level ${r.level} matches ${what.join(', ')}: their bodies are written to the audit log.`,
      });
    }
  },
);

export const AUDIT_RULES: readonly KubernetesRule[] = [auditPolicyLogsNothing, auditPolicyLogsSecrets];
