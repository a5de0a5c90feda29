/**
 * Findings in packaged subcharts (`charts/*.tgz`). Their templates are not files anyone can open or
 * edit, so what they render is reported on the parent's `Chart.yaml`, at the dependency entry that
 * brings the archive in. Findings a values key causes are left to the values line (valuesFindings
 * reports them there, naming the archive's template); the rest can only change with another
 * version of the dependency, and the message says which template of which archive holds it.
 */
import * as nodePath from 'node:path';
import { Document, isMap, isScalar, isSeq, Node, parseDocument } from 'yaml';
import { ChartFiles, renderChartTemplate, ValuesOverride } from '../documents/helm/chart';
import type { RenderResult } from '../documents/helm/render';
import { LineIndex } from '../text/lineIndex';
import type { Finding } from './engine';
import { valuesSourceOf } from './helmValues';
import type { HelmHost } from './helmValuesLint';

/** Where Chart.yaml names a dependency: its `name:` key (by alias, else name), else the `dependencies:` key. */
function dependencyAnchor(doc: Document, names: readonly string[]): Node | undefined {
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'dependencies');
  if (!pair) return undefined;
  if (isSeq(pair.value)) {
    for (const name of names) {
      for (const item of pair.value.items) {
        if (!isMap(item)) continue;
        const alias = item.items.find((p) => isScalar(p.key) && p.key.value === 'alias');
        const own = item.items.find((p) => isScalar(p.key) && p.key.value === 'name');
        const hit = [alias, own].find((p) => p && isScalar(p.value) && p.value.value === name);
        if (hit) return (own?.key ?? hit.key) as Node;
      }
    }
  }
  return pair.key as Node;
}

function packagedSubcharts(chart: ChartFiles, depth = 0): ChartFiles[] {
  if (depth > 4) return [];
  return (chart.subcharts ?? []).flatMap((s) => (s.archive ? [s, ...packagedSubcharts(s, depth + 1)] : packagedSubcharts(s, depth + 1)));
}

function chartNameOf(chart: ChartFiles): string {
  const name = parseDocument(chart.chartYaml, { uniqueKeys: false }).get('name');
  return typeof name === 'string' || typeof name === 'number' ? String(name) : '';
}

/** The findings of every packaged subchart of `chart`, placed on its Chart.yaml. */
export function archiveFindings(
  host: HelmHost,
  chart: ChartFiles,
  chartYamlPath: string,
  text: string,
  doc: Document,
  overrides: readonly ValuesOverride[],
): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const lines = new LineIndex(text);
  for (const sub of packagedSubcharts(chart)) {
    // The entry of this chart's own Chart.yaml that brings the archive in: the top archive of the chain.
    let direct = sub;
    for (let i = 0; direct.parent && direct.parent !== chart && i < 8; i++) direct = direct.parent;
    const anchor = dependencyAnchor(doc, [direct.alias ?? '', chartNameOf(direct)].filter(Boolean));
    const range = anchor?.range;
    const start = range?.[0] ?? 0;
    const end = range?.[1] ?? Math.max(0, text.indexOf('\n'));
    const archive = nodePath
      .relative(nodePath.dirname(chartYamlPath), sub.archive ?? sub.root)
      .split(nodePath.sep)
      .join('/');
    for (const [file, templateText] of sub.templates) {
      let rendered: RenderResult | undefined;
      try {
        rendered = renderChartTemplate(sub, file, templateText, overrides);
      } catch {
        continue; // what the renderer refuses is not guessed
      }
      if (!rendered) continue;
      const template = file.startsWith(`${sub.root}/`) ? file.slice(sub.root.length + 1) : file;
      for (const f of host.lintRendered(file, rendered.text, host.newState())) {
        if ((f.rule as { scope?: string }).scope === 'workspace') continue;
        // Caused by a values key: reported on that values line.
        if (valuesSourceOf(rendered.segments, rendered.text, f.start, f.end)) continue;
        const message = `${f.message} (in ${template} of the packaged dependency ${archive}${sub.root !== (sub.archive ?? sub.root) ? ` (${nodePath.basename(sub.root)})` : ''}: not set from values, so only another version of it can change this)`;
        const key = `${f.ruleId}\u0000${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ ruleId: f.ruleId, rule: f.rule, severity: f.severity, message, start, end, range: lines.rangeOf(start, end), fixes: [] });
      }
    }
  }
  return out;
}
