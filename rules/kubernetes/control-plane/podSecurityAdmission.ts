/**
 * The PodSecurity admission plugin's own configuration: a `PodSecurityConfiguration`, standalone or
 * embedded in an `AdmissionConfiguration` (`plugins[name=PodSecurity].configuration`). Its
 * `defaults` apply to every namespace without `pod-security.kubernetes.io/*` labels.
 */
import { isMap, Node, Pair, YAMLMap } from 'yaml';
import type { KubeObject } from '../../../server/src/documents/kube';
import { findPair, getMap, getSeq, getString, seqItems, stringItems } from '../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../server/src/engine/rule';

const DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller/';

/** The PodSecurityConfiguration maps of an object, with how messages name them. */
export function podSecurityConfigs(object: KubeObject): { node: YAMLMap; label: string }[] {
  const doc = object.doc;
  if (object.kind === 'PodSecurityConfiguration') return [{ node: object.node, label: 'PodSecurityConfiguration' }];
  if (object.kind !== 'AdmissionConfiguration') return [];
  const out: { node: YAMLMap; label: string }[] = [];
  for (const plugin of seqItems(getSeq(object.node, 'plugins', doc), doc)) {
    if (!isMap(plugin) || getString(plugin, 'name', doc) !== 'PodSecurity') continue;
    const config = getMap(plugin, 'configuration', doc);
    if (config) out.push({ node: config, label: 'AdmissionConfiguration (PodSecurity)' });
  }
  return out;
}

const KINDS = ['AdmissionConfiguration', 'PodSecurityConfiguration'];

export const podSecurityDefaultPrivileged: KubernetesRule = {
  id: 'pod-security-admission-default-privileged',
  title: 'PodSecurity admission enforces nothing by default',
  category: 'control-plane',
  severity: 'warning',
  description:
    'The `defaults.enforce` level of the PodSecurity admission configuration applies to every namespace that has no ' +
    '`pod-security.kubernetes.io/enforce` label. Left out or `privileged`, such namespaces admit privileged pods, host ' +
    'namespaces and hostPath volumes. Namespace labels in the workspace still override it per namespace.',
  remediation:
    'Set `defaults.enforce: baseline` (or `restricted`) and label the namespaces that need more with `pod-security.kubernetes.io/enforce: privileged`.',
  references: [],
  fixes: [{ title: 'Enforce baseline by default', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: DOCS,
  language: 'kubernetes',
  kinds: KINDS,
  check(ctx) {
    const doc = ctx.object.doc;
    for (const { node, label } of podSecurityConfigs(ctx.object)) {
      const defaults = getMap(node, 'defaults', doc);
      const enforcePair = findPair(defaults, 'enforce', doc);
      const level = getString(defaults, 'enforce', doc);
      if (level !== undefined && level !== 'privileged') continue;
      const at: Node | Pair =
        enforcePair ??
        findPair(node, 'defaults', doc) ??
        (label.startsWith('Admission') ? (findPair(ctx.object.node, 'plugins', doc) ?? ctx.object.anchor) : ctx.object.anchor);
      ctx.report({
        at,
        message: `${label} ${level ? 'enforces privileged' : 'sets no defaults.enforce, so privileged applies'} in every namespace without a pod-security.kubernetes.io/enforce label: privileged pods are admitted there.`,
        fixes: [{ title: 'Enforce baseline by default', applicability: 'unsafe', edits: () => [ctx.edit.setIn(node, ['defaults', 'enforce'], 'baseline')] }],
      });
    }
  },
};

export const podSecurityExemptions: KubernetesRule = {
  id: 'pod-security-admission-exemptions',
  title: 'PodSecurity admission exempts users or namespaces',
  category: 'control-plane',
  severity: 'info',
  description:
    'Exempted usernames and namespaces bypass every Pod Security level, whatever namespace labels say. An exempted user ' +
    'can create privileged pods anywhere; an exempted namespace takes any pod. (Controllers create pods as their service ' +
    'account, so exempting a human user rarely does what was meant.)',
  remediation:
    'Prefer labelling the few namespaces that need it `pod-security.kubernetes.io/enforce: privileged` over exemptions, and keep exemptions to `kube-system`.',
  references: [],
  fixes: [],
  recommended: false,
  docsUrl: DOCS,
  language: 'kubernetes',
  kinds: KINDS,
  check(ctx) {
    const doc = ctx.object.doc;
    for (const { node, label } of podSecurityConfigs(ctx.object)) {
      const exemptions = getMap(node, 'exemptions', doc);
      for (const key of ['usernames', 'namespaces', 'runtimeClasses']) {
        const pair = findPair(exemptions, key, doc);
        const names = stringItems(getSeq(exemptions, key, doc), doc)
          .map((s) => s.value)
          .filter((n) => !(key === 'namespaces' && n === 'kube-system'));
        if (!pair || names.length === 0) continue;
        ctx.report({ at: pair, message: `${label} exempts ${key} ${names.join(', ')} from every Pod Security level.` });
      }
    }
  },
};

export const POD_SECURITY_ADMISSION_RULES: readonly KubernetesRule[] = [podSecurityDefaultPrivileged, podSecurityExemptions];
