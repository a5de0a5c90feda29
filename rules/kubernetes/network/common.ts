/** What the network consistency and coverage rules share: the model, related locations, wording. */
import * as pathLib from 'node:path';
import type { Node, Pair } from 'yaml';
import { spanOf } from '../../../server/src/documents/yamlNodes';
import type { KubeRuleContext, RelatedLocation, RuleMeta } from '../../../server/src/engine/rule';
import { ObjectRef, WorkspaceModel } from '../../../server/src/model/workspaceModel';

export function modelOf(ctx: KubeRuleContext): WorkspaceModel {
  return WorkspaceModel.of(ctx.workspace);
}

/**
 * Rules that report something missing (no pod selected, no policy, an unused port) stay silent in a
 * Helm chart with a template the renderer could not evaluate: the missing object may be in it.
 */
export function incompleteChart(ctx: KubeRuleContext): boolean {
  return modelOf(ctx).chartIncomplete(ctx.filePath);
}

/** `Deployment/web (app.yaml)`: how messages name another object. */
export function where(ref: ObjectRef): string {
  return `${ref.object.label} (${pathLib.basename(ref.indexed.path)})`;
}

/** `Deployment/web (app.yaml)`, `Deployment/api (api.yaml)` and 3 more. */
export function whereAll(refs: readonly ObjectRef[], max = 3): string {
  const shown = refs.slice(0, max).map(where).join(', ');
  return refs.length > max ? `${shown} and ${refs.length - max} more` : shown;
}

/** A node of another object, as a related location in its file. */
export function related(ref: ObjectRef, node: Node | Pair | undefined, message: string): RelatedLocation {
  const span = (node && spanOf(node as Node)) ?? spanOf(ref.object.anchor) ?? { start: 0, end: 0 };
  const base = ref.indexed.documentStart;
  return { path: ref.indexed.path, start: base + span.start, end: base + Math.max(span.start, trimEnd(span.end, span.start)), message };
}

function trimEnd(end: number, start: number): number {
  return end > start ? end : start;
}

export function namespaceName(ns: string): string {
  return ns === '' ? 'the unnamed namespace (objects without metadata.namespace)' : `namespace "${ns}"`;
}

export const DOCUMENTATION_NOTE = 'Port fields are documentation: nothing verifies them against what the program listens on.';

export const NETWORK: Pick<RuleMeta, 'category' | 'docsUrl'> = {
  category: 'network',
  docsUrl: 'https://kubernetes.io/docs/concepts/services-networking/',
};
