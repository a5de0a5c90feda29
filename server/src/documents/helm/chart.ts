/**
 * What rendering a chart template needs besides the template: the chart's values, metadata and
 * helper templates, and the built-in objects Helm provides (`.Release`, `.Capabilities`...).
 * Pure: the node layer reads the files, the engine renders.
 */
import { parse } from 'yaml';
import { Renderer, RenderResult } from './render';
import { TemplateError } from './parse';

export interface ChartFiles {
  /** Folder of Chart.yaml. */
  root: string;
  chartYaml: string;
  valuesYaml: string | undefined;
  /** Every file under templates/ (path → text), helpers included. */
  templates: Map<string, string>;
}

/** Helm's kube version for `.Capabilities`: a recent release, so version gates take their modern branch. */
const KUBE_MINOR = 33;

function loadYaml(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = parse(text, { maxAliasCount: 100, uniqueKeys: false }) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function capitalized(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k.charAt(0).toUpperCase() + k.slice(1)] = v;
  return out;
}

export interface RenderedTemplate extends RenderResult {
  file: string;
}

/**
 * Renders one template of a chart with the chart's default values. `text` overrides the file's
 * content on disk (the editor's unsaved text). Returns undefined for helpers (`_*.tpl`) and
 * throws TemplateError for what the renderer does not support.
 */
export function renderChartTemplate(chart: ChartFiles, file: string, text: string): RenderedTemplate | undefined {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? '';
  if (base.startsWith('_') || !/\.ya?ml$/i.test(base)) return undefined;
  const ready = prepare(chart);
  const { renderer, error } = ready.renderer.withFile(file, text);
  if (error) throw new TemplateError(error);
  const relative = file.replace(/\\/g, '/').slice(chart.root.replace(/\\/g, '/').length).replace(/^\//, '');
  const root = { ...ready.root, Values: structuredClone(ready.values), Template: { Name: `${ready.name}/${relative}`, BasePath: `${ready.name}/templates` } };
  return { ...renderer.render(file, root), file };
}

interface Prepared {
  renderer: Renderer;
  values: Record<string, unknown>;
  name: string;
  root: Record<string, unknown>;
}

/** Parsed helpers, values and built-in objects per chart (the loader caches ChartFiles until a file changes). */
const preparedCharts = new WeakMap<ChartFiles, Prepared>();

function prepare(chart: ChartFiles): Prepared {
  const known = preparedCharts.get(chart);
  if (known) return known;
  const { renderer } = Renderer.forChart([...chart.templates].map(([f, t]) => ({ file: f, text: t })));
  const meta = loadYaml(chart.chartYaml);
  const values = loadYaml(chart.valuesYaml);
  if (!values.global || typeof values.global !== 'object') values.global = {};
  const prepared: Prepared = {
    renderer,
    values,
    name: String(meta.name ?? 'chart'),
    root: {
      Chart: capitalized(meta),
      Release: { Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 },
      Capabilities: {
        KubeVersion: { Version: `v1.${KUBE_MINOR}.0`, GitVersion: `v1.${KUBE_MINOR}.0`, Major: '1', Minor: String(KUBE_MINOR) },
        APIVersions: { Has: () => true },
        HelmVersion: { Version: 'v3.16.0' },
      },
      Files: { Get: () => '', GetBytes: () => '', Glob: () => ({ AsConfig: () => '', AsSecrets: () => '' }), Lines: () => [], AsConfig: () => '', AsSecrets: () => '' },
    },
  };
  preparedCharts.set(chart, prepared);
  return prepared;
}
