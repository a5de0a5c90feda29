/**
 * Label selectors with the API server's semantics: `matchLabels` and `matchExpressions`
 * (In, NotIn, Exists, DoesNotExist), ANDed. An empty selector selects everything; a selector that
 * does not parse (unknown operator, In with no values) selects nothing, as the API server rejects it.
 */
import type { Node } from 'yaml';
import { isMap } from 'yaml';
import { AnyDoc, getMap, getSeq, getString, mapEntries, scalarValue, seqItems, stringItems } from '../documents/yamlNodes';

export type Labels = ReadonlyMap<string, string>;

export interface Requirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

export interface Selector {
  /** The selector's node, for reports. */
  readonly node: Node | undefined;
  readonly requirements: readonly Requirement[];
  /** True when it cannot select anything (malformed). */
  readonly invalid: boolean;
}

export const EVERYTHING: Selector = { node: undefined, requirements: [], invalid: false };

/** A `LabelSelector` (`matchLabels` + `matchExpressions`). */
export function parseLabelSelector(node: Node | undefined, doc: AnyDoc): Selector {
  if (!node || !isMap(node)) return { node, requirements: [], invalid: false };
  const requirements: Requirement[] = [];
  let invalid = false;
  for (const e of mapEntries(getMap(node, 'matchLabels', doc), doc)) {
    requirements.push({ key: e.key, operator: 'In', values: [String(scalarValue(e.value, doc) ?? '')] });
  }
  for (const item of seqItems(getSeq(node, 'matchExpressions', doc), doc)) {
    if (!isMap(item)) continue;
    const key = getString(item, 'key', doc);
    const operator = getString(item, 'operator', doc);
    const values = stringItems(getSeq(item, 'values', doc), doc).map((v) => v.value);
    if (!key || (operator !== 'In' && operator !== 'NotIn' && operator !== 'Exists' && operator !== 'DoesNotExist')) {
      invalid = true;
      continue;
    }
    if ((operator === 'In' || operator === 'NotIn') && !values.length) invalid = true;
    requirements.push({ key, operator, values });
  }
  return { node, requirements, invalid };
}

/** A Service's or ReplicationController's plain `selector` map (equality only). */
export function parseMapSelector(node: Node | undefined, doc: AnyDoc): Selector {
  const requirements: Requirement[] = mapEntries(node, doc).map((e) => ({ key: e.key, operator: 'In', values: [String(scalarValue(e.value, doc) ?? '')] }));
  return { node, requirements, invalid: false };
}

export function matches(selector: Selector, labels: Labels): boolean {
  if (selector.invalid) return false;
  for (const r of selector.requirements) {
    const v = labels.get(r.key);
    switch (r.operator) {
      case 'In':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
    }
  }
  return true;
}

export function isEmpty(selector: Selector): boolean {
  return !selector.invalid && selector.requirements.length === 0;
}

/** `app=web,tier in (a,b)`: how messages show a selector. */
export function describeSelector(selector: Selector): string {
  if (!selector.requirements.length) return '{}';
  return selector.requirements
    .map((r) =>
      r.operator === 'In' && r.values.length === 1
        ? `${r.key}=${r.values[0]}`
        : r.operator === 'Exists'
          ? r.key
          : r.operator === 'DoesNotExist'
            ? `!${r.key}`
            : `${r.key} ${r.operator.toLowerCase()} (${r.values.join(',')})`,
    )
    .join(',');
}
