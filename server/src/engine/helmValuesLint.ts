/**
 * Helm findings on values lines. A finding in a template's rendered output whose text was printed
 * from a values key is reported twice: on the template line (with the values line as related
 * information) and, when the values file is linted, on the values line (with the template line
 * related), where its quick-fix edits the value itself.
 */
import * as nodePath from 'node:path';
import { ChartFiles, renderChartTemplate, settingsSetOverride, valuesFileOf, ValuesOverride } from '../documents/helm/chart';
import { isSetSource, SetLine } from '../documents/helm/strvals';
import type { RenderResult } from '../documents/helm/render';
import { toTemplateOffset } from '../documents/helm/render';
import { LineIndex } from '../text/lineIndex';
import type { FileState, Finding, RelatedFinding } from './engine';
import { locateInValues, valuesFixEdits, valuesSourceOf, valuesSourceOfFix } from './helmValues';
import { addedPath } from './helmValuesHook';
import type { Fix, TextEdit } from './rule';
import { applyEdits } from './yamlEditor';

/** What this module needs of the engine. */
export interface HelmHost {
  /** Lints a template's rendered output (output offsets; syntax findings left out). */
  lintRendered(template: string, output: string, state: FileState): Finding[];
  /** Whether rendered output parses as YAML, every document. */
  outputIsValid(template: string, output: string): boolean;
  /** A fresh per-file lint state. */
  newState(): FileState;
}

export function samePath(a: string, b: string): boolean {
  return nodePath.resolve(a) === nodePath.resolve(b);
}

/**
 * The values files a chart tree renders with on top of its defaults: `settings.helm.valuesFiles`
 * (relative to the top chart) and `--values` files inside the top chart's folder, in that order.
 */
export function helmOverrides(
  chart: ChartFiles,
  settings: { [key: string]: unknown },
  extra: readonly string[] = [],
  sets: readonly SetLine[] = [],
): ValuesOverride[] {
  let top = chart;
  for (let i = 0; top.parent && i < 8; i++) top = top.parent;
  const helm = settings.helm;
  const configured =
    helm && typeof helm === 'object' && Array.isArray((helm as { valuesFiles?: unknown }).valuesFiles)
      ? ((helm as { valuesFiles: unknown[] }).valuesFiles.filter((v) => typeof v === 'string') as string[])
      : [];
  const out: ValuesOverride[] = [];
  for (const name of [...configured, ...extra]) {
    const file = nodePath.resolve(top.root, name);
    const relative = nodePath.relative(top.root, file);
    if (relative.startsWith('..') || nodePath.isAbsolute(relative)) continue; // another chart's file
    const text = top.readFile?.(relative);
    if (text !== undefined && !out.some((o) => samePath(o.file, file))) out.push({ file: samePath(file, valuesFileOf(top)) ? valuesFileOf(top) : file, text });
  }
  // Then `settings.helm.set`, then `--set` and `--set-string` (the chart applies them after every file).
  const entries = settingsSetEntries(settings);
  if (entries.length) out.push(settingsSetOverride(entries));
  for (const s of sets) out.push({ file: s.kind, text: s.line, set: s.kind });
  return out;
}

/** `settings.helm.set`: values key path (`--set` syntax) → value, as [path, value] pairs in order. */
function settingsSetEntries(settings: { [key: string]: unknown }): [string, unknown][] {
  const helm = settings.helm;
  const set = helm && typeof helm === 'object' ? (helm as { set?: unknown }).set : undefined;
  if (!set || typeof set !== 'object' || Array.isArray(set)) return [];
  return Object.keys(set).map((k) => [k, (set as Record<string, unknown>)[k]]);
}

/** The text of a values file of the chart tree (the chart's own defaults, an ancestor's, or an override). */
function defaultValuesText(chart: ChartFiles, file: string, overrides: readonly ValuesOverride[] = []): string | undefined {
  const given = overrides.find((o) => samePath(o.file, file));
  if (given) return given.text;
  for (let c: ChartFiles | undefined = chart, i = 0; c && i < 8; c = c.parent, i++) {
    if (samePath(valuesFileOf(c), file)) return c.valuesYaml;
  }
  return undefined;
}

/** Name of a file for messages: relative to the chart tree's top folder. */
function shortName(chart: ChartFiles, file: string): string {
  let top = chart;
  for (let i = 0; top.parent && i < 8; i++) top = top.parent;
  return nodePath.relative(top.root, file).split(nodePath.sep).join('/');
}

/**
 * A template finding (already mapped to the template) with the values line it came from, if one
 * values key explains it: named in the message and given as related information.
 */
export function withValuesLocation(
  finding: Finding,
  rendered: RenderResult,
  chart: ChartFiles,
  output: { start: number; end: number; fixes: readonly Fix[] },
  overrides: readonly ValuesOverride[] = [],
): Finding {
  const source = valuesSourceOf(
    rendered.segments,
    rendered.text,
    output.start,
    output.end,
    output.fixes.map((fix) => () => fix.edits()),
  );
  if (!source) return finding;
  // Set by `--set` or settings.helm.set: no file line to show, but the key that did it.
  if (isSetSource(source.origin.file))
    return { ...finding, message: `${finding.message} (the value comes from ${source.origin.file} ${setPath(source.origin.path)})` };
  const text = defaultValuesText(chart, source.origin.file, overrides);
  if (text === undefined) return finding;
  const at = locateInValues(text, source.origin.path);
  if (!at) return finding;
  const range = new LineIndex(text).rangeOf(at.start, at.end);
  const name = shortName(chart, source.origin.file);
  const related: RelatedFinding = { path: source.origin.file, start: at.start, end: at.end, range, message: `the value is set here, in ${name}` };
  return {
    ...finding,
    message: `${finding.message} (the value comes from ${name} line ${range.start.line + 1})`,
    related: [...(finding.related ?? []), related],
  };
}

/** A values key path in `--set` syntax: `a.b[0].c`, dots in keys escaped. */
export function setPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${k.replace(/[\\.,=[]/g, (c) => `\\${c}`)}`;
  return out;
}

/**
 * A template finding no values key explains, whose fix only adds structure the template does not
 * print from values: the message says the chart cannot set it from values, and its fixes are
 * labelled as template edits. Unchanged when a values block could take the fix.
 */
export function withoutValuesHook(
  finding: Finding,
  rendered: RenderResult,
  output: { fixes: readonly Fix[] },
  chart: ChartFiles,
  overrides: readonly ValuesOverride[] = [],
): Finding {
  if (!output.fixes.length) return finding;
  let path: string | undefined;
  for (const fix of output.fixes) {
    try {
      const edits = fix.edits();
      const block = valuesSourceOfFix(rendered.segments, edits, rendered.text);
      if (block) return withBlockLocation(finding, block.origin, chart, overrides); // a values block can take it
      path ??= addedPath(rendered.text, edits);
    } catch {
      // a fix that cannot compute its edits says nothing here
    }
  }
  if (!path || mentionsKey(chart, settingKey(path))) return finding;
  return {
    ...finding,
    message: `${finding.message} (this chart cannot set ${path} from values: add it to the template)`,
    fixes: finding.fixes.map((fix) => ({ ...fix, title: `${fix.title} in the template` })),
  };
}

/**
 * A template finding a values block could fix (the block the template prints where the fix adds
 * keys): the block's line in its values file, as related information, so the template side links
 * to the values side as the values side links back.
 */
function withBlockLocation(
  finding: Finding,
  origin: { file: string; path: readonly (string | number)[] },
  chart: ChartFiles,
  overrides: readonly ValuesOverride[],
): Finding {
  if (isSetSource(origin.file)) return finding;
  const text = defaultValuesText(chart, origin.file, overrides);
  if (text === undefined) return finding;
  const at = locateInValues(text, origin.path);
  if (!at) return finding;
  const range = new LineIndex(text).rangeOf(at.start, at.end);
  const name = shortName(chart, origin.file);
  const related: RelatedFinding = { path: origin.file, start: at.start, end: at.end, range, message: `the values block that can set it, in ${name}` };
  return {
    ...finding,
    message: `${finding.message} (${name} line ${range.start.line + 1} can set it: the template prints that block)`,
    related: [...(finding.related ?? []), related],
  };
}

/** The key that names a setting: `securityContext.seccompProfile.type` → seccompProfile. */
function settingKey(path: string): string {
  const keys = path.split('.');
  return keys[0] === 'securityContext' && keys.length > 1 ? keys[1] : keys[0];
}

/**
 * Whether the chart names a key anywhere (`key:` in a template, a helper or values.yaml): then it
 * has a hook for it, behind a condition the defaults leave off (`{{ if .Values.seccompProfile.enable }}`),
 * and "cannot set it from values" would be wrong.
 */
function mentionsKey(chart: ChartFiles, key: string): boolean {
  let top = chart;
  for (let i = 0; top.parent && i < 8; i++) top = top.parent;
  const needle = `${key}:`;
  return descendants(top).some((c) => (c.valuesYaml ?? '').includes(needle) || [...c.templates.values()].some((t) => t.includes(needle)));
}

export function descendants(chart: ChartFiles, depth = 0): ChartFiles[] {
  if (depth > 4) return [];
  return [chart, ...(chart.subcharts ?? []).flatMap((c) => descendants(c, depth + 1))];
}

export function isRenderedTemplate(file: string): boolean {
  const base = nodePath.basename(file);
  return !base.startsWith('_') && /\.ya?ml$/i.test(base);
}

/**
 * The findings of a values file: every template of its chart (and of its subcharts) rendered with
 * this file's text on top of the chart's defaults (as `helm template -f FILE`; for the default
 * `values.yaml`, instead of it), keeping the findings whose offending text came from this file.
 */
export function valuesFindings(
  host: HelmHost,
  chart: ChartFiles,
  path: string,
  text: string,
  states: Map<string, FileState>,
  configured: readonly ValuesOverride[] = [],
): Finding[] {
  const { own, overrides } = withOwnValues(chart, path, text, configured);
  const lines = new LineIndex(text);
  const out: Finding[] = [];
  const seen = new Set<string>();
  const live = new Set<string>();
  for (const c of descendants(chart)) {
    for (const [template, templateText] of c.templates) {
      if (!isRenderedTemplate(template)) continue;
      let rendered: RenderResult | undefined;
      try {
        rendered = renderChartTemplate(c, template, templateText, overrides);
      } catch {
        continue; // what the renderer cannot render is the template's business (helm-render-budget reports it there)
      }
      if (!rendered) continue;
      live.add(template);
      let state = states.get(template);
      if (!state) states.set(template, (state = host.newState()));
      for (const f of host.lintRendered(template, rendered.text, state)) {
        // Rules that look across files would compare this rendering with other files' default one.
        if ((f.rule as { scope?: string }).scope === 'workspace') continue;
        const printed = valuesSourceOf(
          rendered.segments,
          rendered.text,
          f.start,
          f.end,
          f.fixes.map((fix) => () => fix.edits()),
        );
        const source = printed ?? sourceOfFixes(rendered, f);
        if (!source || !samePath(source.origin.file, own.file)) continue;
        const at = locateInValues(text, source.origin.path);
        if (!at) continue;
        const key = `${f.ruleId}\u0000${at.start}\u0000${at.end}\u0000${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const printedBy = source.segment.file;
        const printedText = c.templates.get(printedBy) ?? (printedBy === template ? templateText : undefined);
        const related: RelatedFinding[] = [];
        let where = shortName(chart, printedBy);
        if (printedText !== undefined) {
          const start = toTemplateOffset(rendered.segments, f.start, printedBy, 'start') ?? source.segment.src;
          const end = Math.max(start, toTemplateOffset(rendered.segments, f.end, printedBy, 'end') ?? source.segment.srcEnd);
          const range = new LineIndex(printedText).rangeOf(start, end);
          related.push({ path: printedBy, start, end, range, message: `rendered here, in ${where}` });
          where = `${where} line ${range.start.line + 1}`;
        }
        const fixes = f.fixes.flatMap((fix): Fix[] => {
          const edits = valuesFix(host, c, template, templateText, rendered!, fix, source, own.file, text, f, overrides);
          return edits ? [{ title: `${fix.title} in ${nodePath.basename(path)}`, applicability: fix.applicability, edits: () => edits }] : [];
        });
        // A block is to blame for what it lacks only if the fix that adds it there works.
        if (!printed && !fixes.length) continue;
        out.push({
          ruleId: f.ruleId,
          rule: f.rule,
          severity: f.severity,
          message: `${f.message} (${printed ? 'set here' : 'this block is what the template prints there'}, rendered by ${where})`,
          start: at.start,
          end: at.end,
          range: lines.rangeOf(at.start, at.end),
          fixes,
          ...(related.length ? { related } : {}),
        });
      }
    }
  }
  for (const t of [...states.keys()]) if (!live.has(t)) states.delete(t);
  return out;
}

/**
 * The values files a values file's chart renders with when that file is linted: its text (the
 * editor's) in its place among the configured files, or last.
 */
export function withOwnValues(
  chart: ChartFiles,
  path: string,
  text: string,
  configured: readonly ValuesOverride[],
): { own: ValuesOverride; overrides: ValuesOverride[] } {
  const own: ValuesOverride = { file: valuesFileKey(chart, path), text };
  const others = configured.filter((o) => !samePath(o.file, own.file));
  const overrides: ValuesOverride[] = samePath(own.file, valuesFileOf(chart))
    ? [own, ...others]
    : configured.some((o) => samePath(o.file, own.file))
      ? configured.map((o) => (samePath(o.file, own.file) ? own : o))
      : [...others, own];
  return { own, overrides };
}

/** The values block every edit of one of a finding's fixes lands in (see valuesSourceOfFix). */
function sourceOfFixes(rendered: RenderResult, f: Finding): ReturnType<typeof valuesSourceOfFix> {
  for (const fix of f.fixes) {
    try {
      const source = valuesSourceOfFix(rendered.segments, fix.edits(), rendered.text);
      if (source) return source;
    } catch {
      // a fix that cannot compute its edits offers nothing here
    }
  }
  return undefined;
}

/** The path origins use for a values file: the chart's `values.yaml` spelled as the chart spells it. */
function valuesFileKey(chart: ChartFiles, path: string): string {
  const own = valuesFileOf(chart);
  return samePath(own, path) ? own : path;
}

/**
 * The values-file edit for one rule fix, checked: the chart re-rendered with the edited file
 * still parses, and the finding is gone. Undefined when no such edit exists.
 */
function valuesFix(
  host: HelmHost,
  chart: ChartFiles,
  template: string,
  templateText: string,
  rendered: RenderResult,
  fix: Fix,
  source: Parameters<typeof valuesFixEdits>[2],
  valuesFile: string,
  valuesText: string,
  finding: Finding,
  overrides: readonly ValuesOverride[],
): ReturnType<typeof valuesFixEdits> {
  let edits;
  try {
    edits = valuesFixEdits(rendered.text, fix.edits(), source, valuesFile, valuesText);
  } catch {
    return undefined;
  }
  if (!edits) return undefined;
  const fixed = applyEdits(valuesText, edits);
  let again: RenderResult | undefined;
  try {
    again = renderChartTemplate(
      chart,
      template,
      templateText,
      overrides.map((o) => (samePath(o.file, valuesFile) ? { file: o.file, text: fixed } : o)),
    );
  } catch {
    return undefined;
  }
  if (!again || !host.outputIsValid(template, again.text)) return undefined;
  const still = host.lintRendered(template, again.text, host.newState()).some((g) => g.ruleId === finding.ruleId && g.message === finding.message);
  return still ? undefined : edits;
}

/**
 * The values file under which a template fix breaks the chart (its output has more documents that
 * do not parse, hold a duplicate key or lack apiVersion/kind than before the fix, or the fixed
 * template no longer renders), or undefined if it holds
 * under the defaults and every values file of the chart (`values-*.yaml`, `ci/*.yaml`).
 */
export function breaksUnderValuesFiles(
  chart: ChartFiles,
  template: string,
  text: string,
  edits: readonly TextEdit[],
  configured: readonly ValuesOverride[],
  problems: (output: string) => number,
): string | undefined {
  let top = chart;
  for (let i = 0; top.parent && i < 8; i++) top = top.parent;
  const fixed = applyEdits(text, edits);
  const sets: { name: string; overrides: ValuesOverride[] }[] = [{ name: 'values.yaml', overrides: [...configured] }];
  for (const name of top.valuesFileNames ?? []) {
    const content = top.readFile?.(name);
    if (content !== undefined) sets.push({ name, overrides: [...configured, { file: nodePath.join(top.root, name), text: content }] });
  }
  for (const set of sets) {
    let before: RenderResult | undefined;
    try {
      before = renderChartTemplate(chart, template, text, set.overrides);
    } catch {
      continue; // not renderable before the fix either: nothing to keep
    }
    if (!before) continue;
    const known = problems(before.text);
    try {
      const after = renderChartTemplate(chart, template, fixed, set.overrides);
      if (after && problems(after.text) > known) return set.name;
    } catch {
      return set.name;
    }
  }
  return undefined;
}
