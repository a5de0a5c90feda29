/**
 * Where a chart prints a values key: rendered with the values file on top (as `helm template -f`), every
 * place in the output manifests that prints exactly that key, classified as a reference (the name of
 * another object: `secretKeyRef.name`, `existingSecret`, a volume's `secretName`, `metadata.name`...) or
 * content (an env `value`, a Secret's `data`/`stringData`, a command line, anything else).
 *
 * A credential-named value that lands only in references is a Secret's name, not a secret: the values
 * rule asks this module before reporting. It renders the chart only when asked (a values file with a
 * suspected secret), once per lint.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { ChartFiles, renderChartTemplate, ValuesOverride } from '../documents/helm/chart';
import { isBlankChunk, splitYamlDocuments } from '../documents/yamlFile';
import { descendants, isRenderedTemplate, samePath, withOwnValues } from './helmValuesLint';

export type ValueUse = 'reference' | 'content';
export type ValuePath = readonly (string | number)[];

/** Deepest rendered YAML followed to find where a value lands. */
const MAX_DEPTH = 64;
/** Rendered documents parsed per lint to place printed values: a budget for charts with huge outputs. */
const MAX_DOCUMENTS = 2000;

/** Keys whose value names a Secret or ConfigMap holding the credential, not the credential. */
const REFERENCE_PARENTS = new Set(['secretKeyRef', 'configMapKeyRef', 'secretRef', 'configMapRef']);

/** Whether a value at this path of a rendered object names something rather than holding content. */
export function isReferencePosition(path: ValuePath): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last !== 'string') return false;
  if ((last === 'name' || last === 'key') && typeof parent === 'string' && REFERENCE_PARENTS.has(parent)) return true;
  // volumes[].secret.secretName, an Ingress's tls[].secretName, a CRD's `existingSecret`/`passwordSecretName`.
  if (/^(?:secretName|existingSecret\w*|\w*SecretName|\w*SecretRef)$/.test(last)) return true;
  if (last === 'name' && (parent === 'metadata' || (typeof parent === 'number' && path[path.length - 3] === 'imagePullSecrets'))) return true;
  return parent === 'labels';
}

function keyOf(path: ValuePath): string {
  return JSON.stringify(path);
}

/**
 * A lazy lookup of how the chart uses keys of the values file at `path` (with `text` as its content):
 * for each key, the uses of its value in every rendered template of the chart and its subcharts. An
 * empty list means the templates never print that exact key (unused, used only in conditions, or
 * transformed by a function such as `b64enc`).
 */
export function valueUsesOf(chart: ChartFiles, path: string, text: string, configured: readonly ValuesOverride[]): (key: ValuePath) => ValueUse[] {
  let uses: Map<string, ValueUse[]> | undefined;
  return (key) => {
    uses ??= collectUses(chart, path, text, configured);
    return uses.get(keyOf(key)) ?? [];
  };
}

function collectUses(chart: ChartFiles, path: string, text: string, configured: readonly ValuesOverride[]): Map<string, ValueUse[]> {
  const { own, overrides } = withOwnValues(chart, path, text, configured);
  const out = new Map<string, ValueUse[]>();
  let documents = 0;
  for (const c of descendants(chart)) {
    for (const [template, templateText] of c.templates) {
      if (!isRenderedTemplate(template)) continue;
      let rendered;
      try {
        rendered = renderChartTemplate(c, template, templateText, overrides);
      } catch {
        continue; // not renderable: it tells nothing about where values go
      }
      if (!rendered) continue;
      // Scalars printed from this file's keys (blocks printed by toYaml are not followed: their keys are content).
      const printed = rendered.segments.filter((s) => !s.literal && s.origin && s.origin.data === undefined && samePath(s.origin.file, own.file));
      if (!printed.length) continue;
      let p = 0;
      for (const chunk of splitYamlDocuments(rendered.text)) {
        const end = chunk.start + chunk.text.length;
        const inChunk: typeof printed = [];
        while (p < printed.length && printed[p].out < end) inChunk.push(printed[p++]);
        if (!inChunk.length || isBlankChunk(chunk.text)) continue;
        const doc = ++documents <= MAX_DOCUMENTS ? parseDocument(chunk.text, { uniqueKeys: false }) : undefined;
        for (const segment of inChunk) {
          const at = doc && !doc.errors.length ? pathAt(doc.contents as Node | null, segment.out - chunk.start) : undefined;
          const use: ValueUse = at && isReferencePosition(at) ? 'reference' : 'content';
          const key = keyOf(segment.origin!.path);
          const list = out.get(key);
          if (list) list.push(use);
          else out.set(key, [use]);
        }
      }
    }
  }
  return out;
}

/** The key path of the scalar at `offset` of a rendered document, if a scalar value holds it. */
function pathAt(node: Node | null, offset: number): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  let current: unknown = node;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (isMap(current)) {
      const pair = current.items.find((p) => {
        const r = (p.value as Node | null)?.range;
        return !!r && r[0] <= offset && offset < Math.max(r[1], r[0] + 1);
      });
      if (!pair || !isScalar(pair.key)) return undefined;
      path.push(String(pair.key.value));
      current = pair.value;
    } else if (isSeq(current)) {
      const index = current.items.findIndex((item) => {
        const r = (item as Node | null)?.range;
        return !!r && r[0] <= offset && offset < Math.max(r[1], r[0] + 1);
      });
      if (index < 0) return undefined;
      path.push(index);
      current = current.items[index];
    } else return isScalar(current) ? path : undefined;
  }
  return undefined;
}
