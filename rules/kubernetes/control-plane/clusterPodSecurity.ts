/**
 * The cluster-wide Pod Security admission settings of the workspace's `AdmissionConfiguration`
 * (or standalone `PodSecurityConfiguration`): `defaults` apply, mode by mode, to every namespace
 * without the `pod-security.kubernetes.io/<mode>` label, and `exemptions` take namespaces and
 * runtime classes out of every level. The admission preview (pss/admission.ts) reads them.
 *
 * A workspace with several such configurations (one per cluster) does not say which applies to a
 * namespace: then none is used.
 */
import type { Node, Pair, YAMLMap } from 'yaml';
import { findPair, getMap, getSeq, getString, spanOf, stringItems } from '../../../server/src/documents/yamlNodes';
import type { RelatedLocation } from '../../../server/src/engine/rule';
import type { IndexedObject, WorkspaceView } from '../../../server/src/engine/workspaceIndex';
import { podSecurityConfigs } from './podSecurityAdmission';

export const POD_SECURITY_CONFIG_KINDS: readonly string[] = ['AdmissionConfiguration', 'PodSecurityConfiguration'];

const LEVELS = new Set(['privileged', 'baseline', 'restricted']);
export type PsaMode = 'enforce' | 'warn' | 'audit';

export interface ClusterDefault {
  readonly level: 'privileged' | 'baseline' | 'restricted';
  readonly version: string;
  /** Where the level is written (the `defaults.<mode>` pair), for the related location. */
  readonly at: Pair | undefined;
}

export interface ClusterPodSecurity {
  /** `AdmissionConfiguration (admission/psa.yaml)`: how messages name it. */
  readonly label: string;
  readonly defaults: Partial<Record<PsaMode, ClusterDefault>>;
  readonly exemptNamespaces: ReadonlyMap<string, Node>;
  readonly exemptRuntimeClasses: ReadonlyMap<string, Node>;
  /** A related location in the configuration's file. */
  related(node: Node | Pair | undefined, message: string): RelatedLocation;
}

const memo = new WeakMap<object, ClusterPodSecurity | null>();

/** The one PodSecurity admission configuration of the workspace, if there is exactly one. */
export function clusterPodSecurity(workspace: WorkspaceView): ClusterPodSecurity | undefined {
  const found: { indexed: IndexedObject; node: YAMLMap; kind: string }[] = [];
  for (const kind of POD_SECURITY_CONFIG_KINDS) {
    for (const indexed of workspace.objects(kind)) {
      for (const config of podSecurityConfigs(indexed.object)) found.push({ indexed, node: config.node, kind });
      if (found.length > 1) return undefined;
    }
  }
  if (found.length !== 1) return undefined;
  const { indexed, node, kind } = found[0];
  const hit = memo.get(node);
  if (hit !== undefined) return hit ?? undefined;
  const value = read(indexed, node, kind);
  memo.set(node, value);
  return value;
}

function read(indexed: IndexedObject, node: YAMLMap, kind: string): ClusterPodSecurity {
  const doc = indexed.object.doc;
  const defaultsMap = getMap(node, 'defaults', doc);
  const defaults: Partial<Record<PsaMode, ClusterDefault>> = {};
  for (const mode of ['enforce', 'warn', 'audit'] as const) {
    const level = getString(defaultsMap, mode, doc);
    if (level === undefined || !LEVELS.has(level)) continue;
    defaults[mode] = {
      level: level as ClusterDefault['level'],
      version: getString(defaultsMap, `${mode}-version`, doc) || 'latest',
      at: findPair(defaultsMap, mode, doc),
    };
  }
  const exemptions = getMap(node, 'exemptions', doc);
  const names = (key: string) => new Map(stringItems(getSeq(exemptions, key, doc), doc).map((s): [string, Node] => [s.value, s.node]));
  return {
    label: `${kind} (${indexed.path})`,
    defaults,
    exemptNamespaces: names('namespaces'),
    exemptRuntimeClasses: names('runtimeClasses'),
    related(at, message) {
      const span = (at && spanOf(at as Node)) ?? spanOf(indexed.object.anchor) ?? { start: 0, end: 0 };
      return { path: indexed.path, start: indexed.documentStart + span.start, end: indexed.documentStart + Math.max(span.start, span.end), message };
    },
  };
}
