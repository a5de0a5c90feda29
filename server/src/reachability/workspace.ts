/**
 * A reachability engine over a workspace index: the snapshot of its network objects, built once
 * per index state (hover and the CLI share it), and the kinds that index must hold.
 */
import type { KubernetesRule } from '../engine/rule';
import type { WorkspaceIndex, WorkspaceView } from '../engine/workspaceIndex';
import { EngineOptions, ReachabilityEngine } from './engine';
import { GENERATOR_KINDS } from './intents';
import { buildSnapshot, REACHABILITY_KINDS, SnapshotOptions } from './network';

/**
 * The engine only reads the index; the index holds a kind only if some rule of the engine's config
 * says it reads it. The linter's own rules do not read ConfigMaps, Routes or admin policies, so
 * callers that build an index for reachability or generation (the CLI, tests, bench) add this
 * descriptor to their config's rules: it reports nothing and is never enabled, it only declares reads.
 */
export const REACHABILITY_READS: KubernetesRule = {
  id: 'bulkhead-reachability-reads',
  language: 'kubernetes',
  title: 'Objects the reachability engine reads',
  severity: 'info',
  category: 'network',
  description: 'Not a check: declares the kinds the reachability engine and NetworkPolicy generator read, so they are indexed.',
  remediation: '-',
  references: [],
  fixes: [],
  recommended: false,
  kinds: [],
  scope: 'workspace',
  reads: ['workloads', ...REACHABILITY_KINDS, ...GENERATOR_KINDS],
  check() {},
};

const cache = new WeakMap<WorkspaceView, { stamp: number; key: string; engine: ReachabilityEngine }>();

/** The engine for the index's current state (rebuilt after any change to it). */
export function reachabilityOf(view: WorkspaceView | WorkspaceIndex, options: EngineOptions & SnapshotOptions = {}): ReachabilityEngine {
  const stamp = 'stamp' in view ? (view as WorkspaceIndex).stamp : -1;
  const key = options.ingressControllerNamespace ?? '';
  const hit = cache.get(view);
  if (hit && stamp >= 0 && hit.stamp === stamp && hit.key === key && !options.namespaceOf) return hit.engine;
  const engine = new ReachabilityEngine(buildSnapshot(view, options), options);
  if (!options.namespaceOf) cache.set(view, { stamp, key, engine });
  return engine;
}
