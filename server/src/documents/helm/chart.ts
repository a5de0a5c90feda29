/**
 * What rendering a chart template needs besides the template: the chart's values, metadata and
 * helper templates, and the built-in objects Helm provides (`.Release`, `.Capabilities`...).
 * Pure: the node layer reads the files, the engine renders.
 */
import { Renderer, RenderResult, splitLikeHelm } from './render';
import { ChartOtherFiles, filesObject } from './files';
import { capabilities } from './capabilities';
import { TemplateError } from './parse';
import { Dependency, dependenciesOf, dependencyKey, importInto } from './dependencies';
import { applySets, SetLine, SetSource, SetSyntaxError } from './strvals';
import { childOrigin, DataMap, isMap, mapOf, markOrigins, newMap, originOf, ownValue, parseYaml, setKeyOrigin, setObjectOrigin, setOwn } from './data';

export interface ChartFiles {
  /** Folder of Chart.yaml. */
  root: string;
  chartYaml: string;
  valuesYaml: string | undefined;
  /** Every file under templates/ (path → text), helpers included. */
  templates: Map<string, string>;
  /**
   * When this chart is a subchart (`charts/<name>/` of another chart): the parent, whose values
   * section for this chart (`<name>:` or its alias) and `global` override this chart's defaults,
   * and whose dependency `condition`/`tags` decide whether it is rendered at all.
   */
  parent?: ChartFiles;
  /** Subcharts in `charts/` (folders), rendered with this chart's values. */
  subcharts?: ChartFiles[];
  /** The chart's other files (`.Files`): not templates, subcharts or its metadata. */
  files?: ChartOtherFiles;
  /** The chart's other values files, relative (`values-prod.yaml`, `ci/*.yaml`): fixes must hold under each. */
  valuesFileNames?: readonly string[];
  /** Reads a file of the chart folder by relative path (values files named in settings or `--values`). */
  readFile?: (relative: string) => string | undefined;
  /** Chart.lock: its text, null when there is none, undefined when not read. */
  lockYaml?: string | null;
  /** Whether the top chart's `.helmignore` names a file of this chart: helm loads it not at all, so it renders nothing. */
  ignored?: (file: string) => boolean;
  /**
   * For a subchart the parent's Chart.yaml names more than once under different aliases: the
   * alias this copy renders as (helm renders one copy per alias).
   */
  alias?: string;
  /** For a chart read from a `.tgz` in its parent's `charts/`: the archive's path (its files are not on disk). */
  archive?: string;
  /** `.tgz` dependencies in this chart's `charts/` that could not be read, and why (reported on Chart.yaml). */
  archiveProblems?: { archive: string; message: string }[];
}

/** A values file given on top of the chart's defaults (`helm -f FILE`), e.g. the one being edited. */
export interface ValuesOverride {
  file: string;
  text: string;
  /**
   * Not a file but a `--set`-style override (`file` is then the same word): a `--set` or
   * `--set-string` line (`text`), or the `settings.helm.set` entries (`text`: JSON of
   * `[path, value]` pairs). Applied after every file, to the top chart's values, as helm does.
   */
  set?: SetSource;
}

/** The `settings.helm.set` entries as an override (paths in `--set` syntax, typed values). */
export function settingsSetOverride(entries: readonly (readonly [string, unknown])[]): ValuesOverride {
  return { file: 'settings.helm.set', text: JSON.stringify(entries), set: 'settings.helm.set' };
}

/** The default values file of a chart. */
export function valuesFileOf(chart: ChartFiles): string {
  return `${withoutTrailingSlash(chart.root.replace(/\\/g, '/'))}/values.yaml`;
}

/** A folder path without trailing slashes (a loop: a regex anchored at the end backtracks). */
function withoutTrailingSlash(p: string): string {
  let end = p.length;
  while (end > 1 && p[end - 1] === '/') end--;
  return p.slice(0, end);
}

/** A YAML file of the chart as template data (null-prototype maps: see data.ts); {} if it does not parse. */
function loadYaml(text: string | undefined, originFile?: string): DataMap {
  if (!text || !originFile) return parseValues(text, originFile);
  // Every values file a scan lints renders the whole chart tree, which reads every chart's defaults
  // again: a parse per file and text is kept. Safe to share, as one tree already shares them between
  // templates: merges build new maps and never change these, and a render copies what it is given.
  const key = `${originFile}\u0000${text}`;
  const known = parsedValues.get(key);
  if (known) return known;
  const parsed = parseValues(text, originFile);
  parsedValuesChars += key.length;
  if (parsedValues.size >= 256 || parsedValuesChars > 64 * 1024 * 1024) {
    parsedValues.clear();
    parsedValuesChars = key.length;
  }
  parsedValues.set(key, parsed);
  return parsed;
}

/** Values files parsed, by path and text (see `loadYaml`), and how many characters those keys hold. */
const parsedValues = new Map<string, DataMap>();
let parsedValuesChars = 0;

function parseValues(text: string | undefined, originFile?: string): DataMap {
  let out = newMap();
  if (text) {
    try {
      const v = parseYaml(text, 'last');
      if (isMap(v)) out = v;
    } catch {
      // an unparsable values file renders like an empty one (the YAML rules report it)
    }
  }
  if (originFile) markOrigins(out, originFile);
  return out;
}

/** Chart.yaml texts parsed, by text: every render asks for names and dependencies. Read only. */
const metaCache = new Map<string, DataMap>();

function metaOf(text: string): DataMap {
  let meta = metaCache.get(text);
  if (!meta) {
    meta = loadYaml(text);
    if (metaCache.size > 500) metaCache.clear();
    metaCache.set(text, meta);
  }
  return meta;
}

/**
 * Helm's coalescing of values: `top` over `base`, maps merged key by key, a `null` in `top`
 * deleting the key. Shared maps are never changed: a merge builds new ones, and records which
 * file each key came from.
 */
export function coalesce(top: unknown, base: unknown, depth = 0, nulls: 'delete' | 'keep' = 'delete'): unknown {
  if (!isMap(top) || !isMap(base) || depth > 100) return top === undefined ? base : top;
  const out = newMap();
  for (const k of Object.keys(base)) {
    setOwn(out, k, base[k]);
    setKeyOrigin(out, k, childOrigin(base, k));
  }
  for (const k of Object.keys(top)) {
    const t = top[k];
    // A null deletes the key it overrides; one that overrides nothing stays, a null (as in helm).
    if (t === null && nulls === 'delete' && Object.hasOwn(out, k)) {
      delete out[k];
      continue;
    }
    const b = ownValue(out, k);
    const merged = isMap(t) && isMap(b) ? coalesce(t, b, depth + 1, nulls) : t;
    setOwn(out, k, merged);
    setKeyOrigin(out, k, merged === t ? childOrigin(top, k) : undefined);
    if (merged !== t && merged !== b && typeof merged === 'object' && merged !== null) setObjectOrigin(merged, originOf(t));
  }
  setObjectOrigin(out, originOf(top));
  return out;
}

/** A dotted values path (`redis.enabled`), own keys only. */
function valueAt(values: DataMap, dotted: string): unknown {
  let v: unknown = values;
  for (const key of dotted.split('.')) {
    if (!isMap(v)) return undefined;
    v = ownValue(v, key.trim());
  }
  return v;
}

/**
 * Whether helm renders a dependency: the first path of its `condition` that holds a boolean
 * decides; else any of its `tags` set true or false in `tags:` of the values; else it is enabled.
 */
export function dependencyEnabled(dep: Dependency, values: DataMap): boolean {
  for (const path of (dep.condition ?? '').split(',')) {
    if (!path.trim()) continue;
    const v = valueAt(values, path.trim());
    if (typeof v === 'boolean') return v;
  }
  const tags = ownValue(values, 'tags');
  if (dep.tags.length && isMap(tags)) {
    const set = dep.tags.map((t) => ownValue(tags, t)).filter((v): v is boolean => typeof v === 'boolean');
    if (set.length) return set.some((v) => v);
  }
  return true;
}

/** The folder name of a subchart (charts/<folder>/). */
function folderOf(chart: ChartFiles): string {
  return withoutTrailingSlash(chart.root.replace(/\\/g, '/')).split('/').pop() ?? '';
}

/** This subchart's dependency entry in its parent's Chart.yaml (its alias copy's, else by name, else by folder). */
function dependencyOf(chart: ChartFiles): Dependency | undefined {
  if (!chart.parent) return undefined;
  const name = chartName(metaOf(chart.chartYaml));
  const deps = dependenciesOf(metaOf(chart.parent.chartYaml));
  if (chart.alias) return deps.find((d) => d.name === name && d.alias === chart.alias);
  return deps.find((d) => d.name === name && !d.alias) ?? deps.find((d) => d.name === name) ?? deps.find((d) => d.name === folderOf(chart));
}

/**
 * A parent's subcharts as helm renders them: one copy of a chart for each `dependencies:` entry
 * that names it under an alias (`redis` as `cache` and as `queue`); a chart named once, or not
 * at all, as it is. Copies share the chart's files; their subcharts are copied with them.
 */
export function withAliasCopies(parent: ChartFiles, children: readonly ChartFiles[]): ChartFiles[] {
  const deps = dependenciesOf(metaOf(parent.chartYaml));
  return children.flatMap((child) => {
    const name = chartName(metaOf(child.chartYaml));
    const entries = deps.filter((d) => d.name === name);
    if (entries.length < 2) return [child];
    return entries.map((d) => copyChart(child, parent, d.alias, 0));
  });
}

function copyChart(chart: ChartFiles, parent: ChartFiles, alias: string | undefined, depth: number): ChartFiles {
  const copy: ChartFiles = { ...chart, parent, alias };
  if (alias === undefined) delete copy.alias;
  copy.subcharts = depth < MAX_DEPTH ? (chart.subcharts ?? []).map((s) => copyChart(s, copy, s.alias, depth + 1)) : [];
  return copy;
}

/** The key of a subchart's values in its parent's (alias, else name). */
function sectionKey(chart: ChartFiles): string {
  const dep = dependencyOf(chart);
  return dep ? dependencyKey(dep) : chartName(metaOf(chart.chartYaml));
}

function chartName(meta: DataMap): string {
  return typeof meta.name === 'string' || typeof meta.name === 'number' ? String(meta.name) : 'chart';
}

/** A library chart: its templates only define helpers, helm never renders them as manifests. */
export function isLibraryChart(chart: ChartFiles): boolean {
  return ownValue(metaOf(chart.chartYaml), 'type') === 'library';
}

/**
 * The values a chart's templates see, as helm computes them: its defaults with what its
 * dependencies export (`import-values`), the `-f` files and `--set` overrides on top, and for a
 * subchart its parent's section and `global` over its own defaults; a parent sees each enabled
 * subchart's values under its name. Undefined when the chart is a subchart its parent disables
 * (`condition`/`tags`): helm does not render it.
 */
export function chartValues(chart: ChartFiles, overrides: readonly ValuesOverride[] = []): DataMap | undefined {
  const tree = valuesTree(topOf(chart), overrides);
  if (tree.has(chart)) return tree.get(chart);
  // A chart deeper than the tree is walked, or not among its parent's subcharts: from its parent alone.
  const parentValues = chart.parent ? chartValues(chart.parent, overrides) : undefined;
  return parentValues ? subchartValues(chart, parentValues, overrides, new Map()) : undefined;
}

/** Deepest subchart nesting rendered (as the template walk). */
const MAX_DEPTH = 4;

/** Every chart of a tree with its values (undefined: disabled), for one set of overrides. */
function valuesTree(top: ChartFiles, overrides: readonly ValuesOverride[]): Map<ChartFiles, DataMap | undefined> {
  const known = valuesCache.get(top);
  if (known && sameOverrides(known.overrides, overrides)) return known.tree;
  const tree = new Map<ChartFiles, DataMap | undefined>();
  const defaults = new Map<ChartFiles, DataMap>();
  let values = importedDefaults(top, overrides, defaults, 0);
  const user = userValues(top, overrides);
  values = coalesce(user ?? newMap(), values) as DataMap; // a fresh top level: subcharts' values are set in it
  if (!isMap(values.global)) setOwn(values, 'global', newMap());
  const visit = (chart: ChartFiles, v: DataMap, depth: number) => {
    tree.set(chart, v);
    if (depth >= MAX_DEPTH) return;
    for (const sub of chart.subcharts ?? []) {
      const subValues = subchartValues(sub, v, overrides, defaults);
      if (!subValues) {
        disable(sub, tree, depth + 1);
        continue;
      }
      visit(sub, subValues, depth + 1);
      // helm's parent sees the subchart's coalesced values under its name (not only its own section).
      setOwn(v, sectionKey(sub), subValues);
    }
  };
  visit(top, values, 0);
  valuesCache.set(top, { overrides: overrides.map((o) => ({ ...o })), tree });
  return tree;
}

function disable(chart: ChartFiles, tree: Map<ChartFiles, DataMap | undefined>, depth: number): void {
  tree.set(chart, undefined);
  if (depth < MAX_DEPTH) for (const sub of chart.subcharts ?? []) disable(sub, tree, depth + 1);
}

/** A subchart's values: its defaults and own override files, its parent's section over them, the parent's `global`. */
function subchartValues(
  chart: ChartFiles,
  parentValues: DataMap,
  overrides: readonly ValuesOverride[],
  defaults: Map<ChartFiles, DataMap>,
): DataMap | undefined {
  const dep = dependencyOf(chart);
  if (dep && !dependencyEnabled(dep, parentValues)) return undefined;
  let values = importedDefaults(chart, overrides, defaults, 1);
  const user = userValues(chart, overrides);
  if (user) values = coalesce(user, values) as DataMap;
  const section = ownValue(parentValues, sectionKey(chart));
  if (isMap(section)) values = coalesce(section, values) as DataMap;
  values = coalesce(newMap(), values) as DataMap; // a fresh top level: `global` and subcharts' values are set in it
  const global = coalesce(ownValue(parentValues, 'global'), ownValue(values, 'global'));
  setOwn(values, 'global', isMap(global) ? global : newMap());
  return values;
}

/** A chart's values.yaml (or the editor's text of it). */
function ownDefaults(chart: ChartFiles, overrides: readonly ValuesOverride[]): DataMap {
  const own = overrides.find((o) => !o.set && samePath(o.file, valuesFileOf(chart)));
  return loadYaml(own ? own.text : chart.valuesYaml, valuesFileOf(chart));
}

/**
 * A chart's defaults with what its dependencies export (`import-values`), as helm's
 * processImportValues: each dependency's table as the parent sees it (its section over the
 * dependency's own defaults, imports included), merged under the parent's own values.
 */
function importedDefaults(chart: ChartFiles, overrides: readonly ValuesOverride[], memo: Map<ChartFiles, DataMap>, depth: number): DataMap {
  const known = memo.get(chart);
  if (known) return known;
  let values = ownDefaults(chart, overrides);
  if (depth < MAX_DEPTH) {
    let imported: DataMap | undefined;
    for (const sub of chart.subcharts ?? []) {
      const dep = dependencyOf(sub);
      if (!dep?.importValues.length) continue;
      const subDefaults = importedDefaults(sub, overrides, memo, depth + 1);
      const section = ownValue(values, dependencyKey(dep));
      const seen = isMap(section) ? (coalesce(section, subDefaults, 0, 'keep') as DataMap) : subDefaults;
      imported = importInto(imported ?? newMap(), dep, seen, (top, base) => coalesce(top, base, 0, 'keep') as DataMap);
    }
    // The parent's own values win over what it imports.
    if (imported) values = coalesce(values, imported, 0, 'keep') as DataMap;
  }
  memo.set(chart, values);
  return values;
}

/**
 * The `-f` files of this chart's folder merged into one map (a later file's maps key by key into
 * an earlier one's, its nulls kept), with `--set` parsed into that for the top chart: helm's
 * user-supplied values, coalesced onto the defaults after.
 */
function userValues(chart: ChartFiles, overrides: readonly ValuesOverride[]): DataMap | undefined {
  let user: DataMap | undefined;
  for (const o of overrides) {
    if (o.set || !isOwnValuesFile(chart, o.file) || samePath(o.file, valuesFileOf(chart))) continue;
    const data = loadYaml(o.text, o.file);
    user = user ? (coalesce(data, user, 0, 'keep') as DataMap) : data;
  }
  const sets = chart.parent ? [] : overrides.filter((o) => o.set);
  if (sets.length) user = withSets(user ?? newMap(), sets);
  return user;
}

/** `--set`-family overrides applied to the merged `-f` values; what helm would refuse throws TemplateError. */
function withSets(user: DataMap, sets: readonly ValuesOverride[]): DataMap {
  const lines: SetLine[] = [];
  let settings: [string, unknown][] = [];
  for (const o of sets) {
    if (o.set === '--set' || o.set === '--set-string') lines.push({ kind: o.set, line: o.text });
    else settings = [...settings, ...settingsEntries(o.text)];
  }
  try {
    return applySets(user, lines, settings);
  } catch (err) {
    if (err instanceof SetSyntaxError) throw new TemplateError(`the values cannot take the --set overrides: ${err.message}`);
    throw err;
  }
}

function settingsEntries(json: string): [string, unknown][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter((e): e is [string, unknown] => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string');
}

function samePath(a: string, b: string): boolean {
  return a.replace(/\\/g, '/') === b.replace(/\\/g, '/');
}

/** Whether a values file lies in this chart's own folder (not a subchart's). */
function isOwnValuesFile(chart: ChartFiles, file: string): boolean {
  const root = withoutTrailingSlash(chart.root.replace(/\\/g, '/')) + '/';
  const f = file.replace(/\\/g, '/');
  return f.startsWith(root) && !f.slice(root.length).startsWith('charts/');
}

function capitalized(obj: DataMap): DataMap {
  const out = newMap();
  for (const [k, v] of Object.entries(obj)) setOwn(out, k.charAt(0).toUpperCase() + k.slice(1), v);
  return out;
}

/** `.Chart`: Chart.yaml's fields capitalized; an aliased subchart is named by its alias (helm renames it). */
function chartObject(chart: ChartFiles, meta: DataMap): DataMap {
  const out = capitalized(meta);
  const dep = dependencyOf(chart);
  if (dep?.alias) setOwn(out, 'Name', dep.alias);
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
export function renderChartTemplate(chart: ChartFiles, file: string, text: string, overrides: readonly ValuesOverride[] = []): RenderedTemplate | undefined {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? '';
  if (base.startsWith('_') || !/\.ya?ml$/i.test(base) || isLibraryChart(chart) || chart.ignored?.(file)) return undefined;
  const root = templateRoot(chart, file, overrides);
  if (!root) return undefined; // a subchart its parent disables
  const { renderer, error } = prepare(chart).renderer.withFile(file, text);
  if (error) throw error;
  return { ...splitLikeHelm(renderer.render(file, root)), file };
}

/**
 * What `.` is when rendering `file`: the values and the built-in objects. Every template of the
 * chart shares one copy of the values: no template function changes a map or list in place.
 */
export function templateRoot(chart: ChartFiles, file: string, overrides: readonly ValuesOverride[] = []): DataMap | undefined {
  const root = chartRoot(chart, overrides, 0);
  if (!root) return undefined;
  return mapOf({ ...root, Template: mapOf({ Name: templateName(chart, file), BasePath: templateName(chart, `${chart.root}/templates`) }) });
}

/** `.` of a chart's templates but `.Template`: its values and built-in objects, its subcharts' under `.Subcharts`. */
function chartRoot(chart: ChartFiles, overrides: readonly ValuesOverride[], depth: number): DataMap | undefined {
  const ready = prepare(chart);
  const values = chartValues(chart, overrides);
  if (!values) return undefined;
  const subcharts = newMap();
  if (depth < 4) {
    for (const sub of chart.subcharts ?? []) {
      const subRoot = chartRoot(sub, overrides, depth + 1);
      if (subRoot) setOwn(subcharts, sectionKey(sub), subRoot);
    }
  }
  return mapOf({ ...ready.root, Values: values, Subcharts: subcharts });
}

function topOf(chart: ChartFiles): ChartFiles {
  let top = chart;
  for (let i = 0; top.parent && i < 8; i++) top = top.parent;
  return top;
}

/** Helm's name of a file of the chart tree: `<top chart>/charts/<sub name or alias>/templates/x.yaml`. */
function templateName(chart: ChartFiles, file: string): string {
  const root = withoutTrailingSlash(chart.root.replace(/\\/g, '/'));
  const f = file.replace(/\\/g, '/');
  const relative = f.startsWith(`${root}/`) ? f.slice(root.length + 1) : f;
  return `${chartPath(chart)}/${relative}`;
}

/** helm's ChartFullPath: the top chart's name, then `/charts/<name>` for each subchart down (by alias). */
function chartPath(chart: ChartFiles, depth = 0): string {
  if (!chart.parent || depth > 8) return chartName(metaOf(chart.chartYaml));
  return `${chartPath(chart.parent, depth + 1)}/charts/${sectionKey(chart)}`;
}

/** One renderer per chart tree: helpers of every chart of it are visible to all (as in helm). */
const treeRenderers = new WeakMap<ChartFiles, Renderer>();

function treeRenderer(top: ChartFiles): Renderer {
  let renderer = treeRenderers.get(top);
  if (!renderer) {
    const files: { file: string; text: string; name: string; depth: number }[] = [];
    const walk = (c: ChartFiles, depth: number) => {
      const library = isLibraryChart(c);
      for (const [file, text] of c.templates) {
        // helm loads only the `_` files of a library chart: its helpers.
        if (library && (file.replace(/\\/g, '/').split('/').pop() ?? '').startsWith('_') === false) continue;
        files.push({ file, text, name: templateName(c, file), depth });
      }
      if (depth < 4) for (const sub of c.subcharts ?? []) walk(sub, depth + 1);
    };
    walk(top, 0);
    // Deepest first: a parent's definitions win over its subcharts'.
    files.sort((a, b) => b.depth - a.depth);
    renderer = Renderer.forChart(files).renderer;
    treeRenderers.set(top, renderer);
  }
  return renderer;
}

/** Values of a chart tree, cached by the override texts (every template of the tree asks for the same). */
const valuesCache = new WeakMap<ChartFiles, { overrides: readonly ValuesOverride[]; tree: Map<ChartFiles, DataMap | undefined> }>();

/** Whether two override lists are the same, item by item (compared, not joined into one key: texts are large). */
function sameOverrides(a: readonly ValuesOverride[], b: readonly ValuesOverride[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].file !== b[i].file || a[i].text !== b[i].text || (a[i].set ?? '') !== (b[i].set ?? '')) return false;
  }
  return true;
}

interface Prepared {
  renderer: Renderer;
  name: string;
  /** The built-in objects; plain data and TemplateMethods only, like the values. */
  root: Record<string, unknown>;
}

/** Parsed helpers, values and built-in objects per chart (the loader caches ChartFiles until a file changes). */
const preparedCharts = new WeakMap<ChartFiles, Prepared>();

function prepare(chart: ChartFiles): Prepared {
  const known = preparedCharts.get(chart);
  if (known) return known;
  const renderer = treeRenderer(topOf(chart));
  const meta = loadYaml(chart.chartYaml);
  const prepared: Prepared = {
    renderer,
    name: chartName(meta),
    root: {
      Chart: chartObject(chart, meta),
      Release: mapOf({ Name: 'release-name', Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1 }),
      Capabilities: capabilities(),
      Files: filesObject(chart.files),
    },
  };
  preparedCharts.set(chart, prepared);
  return prepared;
}
