/**
 * Shared pieces of the Pod Security Standards rules: which PSS version is in force, the pod-level
 * facts checks depend on (Windows, user namespaces), and the security-context values a container
 * ends up with once the pod-level defaults are inherited, as the admission controller reads them.
 */
import { isMap, isSeq, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { Container, KubeObject, PodSpec } from '../../../server/src/documents/kube';
import { AnyDoc, findPair, getMap, getString, scalarValue } from '../../../server/src/documents/yamlNodes';
import type { EngineSettings, Fix, KubeRuleContext, KubernetesRule, Report, RuleMeta } from '../../../server/src/engine/rule';

/** The newest PSS version Bulkhead knows; `latest` means this. */
export const LATEST_PSS_MINOR = 37;

/** Minor version of the configured PSS version (`latest` → the newest known). */
export function pssMinor(settings: EngineSettings | { pssVersion?: string }): number {
  const v = settings.pssVersion ?? 'latest';
  const m = /^v?1\.(\d+)$/.exec(String(v));
  return m ? Number(m[1]) : LATEST_PSS_MINOR;
}

export function pssAtLeast(settings: EngineSettings | { pssVersion?: string }, minor: number): boolean {
  return pssMinor(settings) >= minor;
}

/** `spec.os.name: windows`: PSS exempts such pods from the Linux-only restricted checks (v1.25+). */
export function isWindowsPod(pod: PodSpec, doc: AnyDoc): boolean {
  return getString(getMap(pod.node, 'os', doc), 'name', doc) === 'windows';
}

/** `hostUsers: false`: the pod runs in a user namespace, so root in it is not root on the node. */
export function usesUserNamespace(pod: PodSpec, doc: AnyDoc): boolean {
  const pair = findPair(pod.node, 'hostUsers', doc);
  return !!pair && scalarValue(pair.value, doc) === false;
}

/** A value in a container's securityContext, with the pair it came from (container first, then pod). */
export interface Effective<T> {
  value: T | undefined;
  pair: Pair | undefined;
  /** Where the value was set: the container, the pod, or nowhere. */
  from: 'container' | 'pod' | 'unset';
}

export function effectiveValue(container: Container, pod: PodSpec, key: string, doc: AnyDoc): Effective<unknown> {
  const own = findPair(container.securityContext, key, doc);
  if (own && scalarValue(own.value, doc) !== null && scalarValue(own.value, doc) !== undefined)
    return { value: scalarValue(own.value, doc), pair: own, from: 'container' };
  const podPair = findPair(pod.securityContext, key, doc);
  if (podPair && scalarValue(podPair.value, doc) !== null && scalarValue(podPair.value, doc) !== undefined)
    return { value: scalarValue(podPair.value, doc), pair: podPair, from: 'pod' };
  return { value: undefined, pair: undefined, from: 'unset' };
}

/**
 * Whether every container of the pod sets `has` itself, so a pod-level default of it reaches none
 * of them. A pod without containers keeps its pod-level values in force (nothing overrides them).
 */
export function everyContainerOverrides(pod: PodSpec, has: (container: Container) => boolean): boolean {
  const containers = pod.containers();
  return containers.length > 0 && containers.every(has);
}

/** Whether a container's own securityContext sets `key` to a value (not null). */
export function containerSets(container: Container, key: string, doc: AnyDoc): boolean {
  const pair = findPair(container.securityContext, key, doc);
  const value = pair ? scalarValue(pair.value, doc) : undefined;
  return value !== undefined && value !== null;
}

export function seqOf(map: unknown, key: string, doc: AnyDoc): YAMLSeq | undefined {
  const pair = findPair(map, key, doc);
  const v = pair?.value as Node | undefined;
  return v && isSeq(v) ? v : undefined;
}

export function mapOf(map: unknown, key: string, doc: AnyDoc): YAMLMap | undefined {
  const pair = findPair(map, key, doc);
  const v = pair?.value as Node | undefined;
  return v && isMap(v) ? v : undefined;
}

/** The PSS check a rule implements, for profiles (through `references`) and admission preview. */
export interface PssCheckMeta {
  level: 'baseline' | 'restricted';
  /** The admission controller's check id, e.g. `seccompProfile_restricted`. */
  check: string;
}

export interface PssContext {
  object: KubeObject;
  pod: PodSpec;
  doc: AnyDoc;
  settings: EngineSettings | { pssVersion?: string };
  edit: KubeRuleContext['edit'];
}

export interface PssRule extends KubernetesRule {
  readonly pss: PssCheckMeta;
  /** The violations of this check in a workload, as reports (admission preview reuses them). */
  evaluate(ctx: PssContext): Report[];
}

/** Extra fixes every PSS finding offers (the "harden this workload" action); set by the pack index. */
let extraFixes: ((ctx: PssContext) => Fix[]) | undefined;
export function setPssExtraFixes(f: (ctx: PssContext) => Fix[]): void {
  extraFixes = f;
}

export function pssRule(meta: Omit<RuleMeta, 'recommended'> & { recommended?: boolean }, pss: PssCheckMeta, evaluate: (ctx: PssContext) => Report[]): PssRule {
  return {
    recommended: true,
    ...meta,
    language: 'kubernetes',
    kinds: 'workloads',
    pss,
    evaluate,
    check(ctx) {
      const pod = ctx.object.podSpec();
      if (!pod) return;
      const pctx: PssContext = { object: ctx.object, pod, doc: ctx.object.doc, settings: ctx.settings, edit: ctx.edit };
      const reports = evaluate(pctx);
      if (!reports.length) return;
      const extra = extraFixes ? extraFixes(pctx) : [];
      for (const r of reports) ctx.report({ ...r, fixes: [...(r.fixes ?? []), ...extra] });
    },
  };
}
