/** A Chart.yaml's `dependencies` (and its Chart.lock's), as the Chart.yaml rules read them. */
import { isMap, isScalar, isSeq, parseDocument, Node, Pair, Scalar, YAMLMap } from 'yaml';
import type { AnyDoc } from '../../server/src/documents/yamlNodes';
import type { RuleMeta } from '../../server/src/engine/rule';

export const HELM_DOCS = 'https://helm.sh/docs/topics/charts/#chart-dependencies';

export const HELM_CHART: Pick<RuleMeta, 'category' | 'docsUrl'> = { category: 'helm-charts', docsUrl: HELM_DOCS };

export interface Dependency {
  name: string;
  /** The entry of the `dependencies` list. */
  item: YAMLMap;
  field(key: string): { pair: Pair; value: Scalar; text: string } | undefined;
}

function fieldOf(map: YAMLMap, key: string): { pair: Pair; value: Scalar; text: string } | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair || !isScalar(pair.value)) return undefined;
  const v = pair.value.value;
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  return { pair, value: pair.value, text: String(v) };
}

/** The `dependencies:` pair of a Chart.yaml, if it holds a list. */
export function dependenciesPair(doc: AnyDoc): Pair | undefined {
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'dependencies');
  return pair && isSeq(pair.value) ? pair : undefined;
}

export function dependenciesOf(doc: AnyDoc): Dependency[] {
  const pair = dependenciesPair(doc);
  if (!pair || !isSeq(pair.value)) return [];
  return pair.value.items.flatMap((item): Dependency[] => {
    if (!isMap(item)) return [];
    const name = fieldOf(item, 'name');
    if (!name) return [];
    return [{ name: name.text, item, field: (key) => fieldOf(item, key) }];
  });
}

export interface LockedDependency {
  name: string;
  version: string;
  repository: string;
}

/** The dependencies a Chart.lock resolved; undefined if it does not parse as one. */
export function lockedDependencies(lockText: string): LockedDependency[] | undefined {
  const doc = parseDocument(lockText, { uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  const deps = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'dependencies')?.value;
  if (!isSeq(deps)) return [];
  return deps.items.flatMap((item): LockedDependency[] => {
    if (!isMap(item)) return [];
    const get = (k: string) => {
      const v = fieldOf(item, k);
      return v ? v.text : '';
    };
    return get('name') ? [{ name: get('name'), version: get('version'), repository: get('repository') }] : [];
  });
}

/** Whether a Chart.lock that parses records the `digest` helm checks it by (undefined when it does not parse). */
export function lockHasDigest(lockText: string): boolean | undefined {
  const doc = parseDocument(lockText, { uniqueKeys: false });
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  const digest = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'digest')?.value;
  return isScalar(digest) && typeof digest.value === 'string' && digest.value.trim() !== '';
}

/** A scalar's replacement text in the style it was written (plain, single or double quoted). */
export function sameStyle(node: Node, source: string, value: string): string {
  const start = node.range?.[0] ?? 0;
  const quote = source[start];
  if (quote === '"') return JSON.stringify(value);
  if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
  return value;
}
