/**
 * What rendering a chart template needs besides the template: the chart's values, metadata and
 * helper templates, and the built-in objects Helm provides (`.Release`, `.Capabilities`...).
 * Pure: the node layer reads the files, the engine renders.
 */
import { Renderer, RenderResult } from './render';
import { DataMap, isMap, mapOf, newMap, parseYaml, setOwn, TemplateMethod } from './data';

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

/** A YAML file of the chart as template data (null-prototype maps: see data.ts); {} if it does not parse. */
function loadYaml(text: string | undefined): DataMap {
  if (!text) return newMap();
  try {
    const v = parseYaml(text, 'last');
    return isMap(v) ? v : newMap();
  } catch {
    return newMap();
  }
}

function capitalized(obj: DataMap): DataMap {
  const out = newMap();
  for (const [k, v] of Object.entries(obj)) setOwn(out, k.charAt(0).toUpperCase() + k.slice(1), v);
  return out;
}

/** A method of a built-in object that ignores its arguments. */
const returning = (value: unknown) => new TemplateMethod(() => value);

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
  const { renderer, error } = prepare(chart).renderer.withFile(file, text);
  if (error) throw error;
  return { ...renderer.render(file, templateRoot(chart, file)), file };
}

/**
 * What `.` is when rendering `file`: the values and the built-in objects. Every template of the
 * chart shares one copy of the values: no template function changes a map or list in place.
 */
export function templateRoot(chart: ChartFiles, file: string): DataMap {
  const ready = prepare(chart);
  const relative = file.replace(/\\/g, '/').slice(chart.root.replace(/\\/g, '/').length).replace(/^\//, '');
  return mapOf({ ...ready.root, Values: ready.values, Template: mapOf({ Name: `${ready.name}/${relative}`, BasePath: `${ready.name}/templates` }) });
}

interface Prepared {
  renderer: Renderer;
  values: DataMap;
  name: string;
  /** The built-in objects; plain data and TemplateMethods only, like the values. */
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
  if (!values.global || typeof values.global !== 'object') setOwn(values, 'global', newMap());
  const prepared: Prepared = {
    renderer,
    values,
    name: typeof meta.name === 'string' || typeof meta.name === 'number' ? String(meta.name) : 'chart',
    root: {
      Chart: capitalized(meta),
      Release: mapOf({ Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 }),
      Capabilities: mapOf({
        KubeVersion: mapOf({ Version: `v1.${KUBE_MINOR}.0`, GitVersion: `v1.${KUBE_MINOR}.0`, Major: '1', Minor: String(KUBE_MINOR) }),
        APIVersions: mapOf({ Has: returning(true) }),
        HelmVersion: mapOf({ Version: 'v3.16.0' }),
      }),
      Files: mapOf({
        Get: returning(''),
        GetBytes: returning(''),
        Glob: returning(mapOf({ AsConfig: returning(''), AsSecrets: returning('') })),
        Lines: new TemplateMethod(() => []),
        AsConfig: returning(''),
        AsSecrets: returning(''),
      }),
    },
  };
  preparedCharts.set(chart, prepared);
  return prepared;
}
