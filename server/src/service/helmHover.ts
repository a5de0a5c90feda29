/**
 * Hover on a `.Values.a.b` reference in a Helm template: the value the chart renders with and the
 * values-file line it comes from (the chart's values.yaml, a parent chart's section, or a values
 * file named in settings).
 */
import * as nodePath from 'node:path';
import { stringify } from 'yaml';
import { chartValues, ChartFiles, valuesFileOf, ValuesOverride } from '../documents/helm/chart';
import { childOrigin, isMap, Origin, ownValue, element } from '../documents/helm/data';
import { locateInValues } from '../engine/helmValues';
import { setPath } from '../engine/helmValuesLint';
import { isSetSource } from '../documents/helm/strvals';
import { LineIndex } from '../text/lineIndex';

export interface ValuesHover {
  /** Offsets of the reference in the line. */
  start: number;
  end: number;
  markdown: string;
}

const IDENT = /[A-Za-z0-9_]/;
/** Longest printed value in a hover. */
const MAX_SHOWN = 2000;

/** The `.Values...` reference around `character` of a line: its key path up to the key under the cursor. */
export function valuesReferenceAt(line: string, character: number): { path: string[]; start: number; end: number } | undefined {
  let from = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const at = line.indexOf('.Values', from);
    if (at < 0) return undefined;
    from = at + 7;
    if (at > 0 && IDENT.test(line[at - 1])) continue; // `foo.Values`: a field of another map, not the chart values
    const path: string[] = [];
    let i = at + 7;
    let keyEnds: number[] = [];
    while (line[i] === '.' && IDENT.test(line[i + 1] ?? '')) {
      let j = i + 1;
      while (j < line.length && IDENT.test(line[j])) j++;
      path.push(line.slice(i + 1, j));
      keyEnds.push(j);
      i = j;
    }
    if (character < at || character > i) continue;
    // Up to the key under the cursor (all of it when the cursor is on `.Values`).
    const upto = keyEnds.findIndex((end) => character <= end);
    keyEnds = upto < 0 ? keyEnds : keyEnds.slice(0, upto + 1);
    return { path: path.slice(0, keyEnds.length), start: at, end: keyEnds.length ? keyEnds[keyEnds.length - 1] : at + 7 };
  }
  return undefined;
}

function valuesText(chart: ChartFiles, file: string, overrides: readonly ValuesOverride[]): string | undefined {
  const given = overrides.find((o) => nodePath.resolve(o.file) === nodePath.resolve(file));
  if (given) return given.text;
  for (let c: ChartFiles | undefined = chart, i = 0; c && i < 8; c = c.parent, i++) {
    if (nodePath.resolve(valuesFileOf(c)) === nodePath.resolve(file)) return c.valuesYaml;
  }
  return undefined;
}

function shortName(chart: ChartFiles, file: string): string {
  let top = chart;
  for (let i = 0; top.parent && i < 8; i++) top = top.parent;
  return nodePath.relative(top.root, file).split(nodePath.sep).join('/');
}

export function valuesHover(chart: ChartFiles, line: string, character: number, overrides: readonly ValuesOverride[] = []): ValuesHover | undefined {
  const ref = valuesReferenceAt(line, character);
  if (!ref) return undefined;
  let values;
  try {
    values = chartValues(chart, overrides);
  } catch {
    return undefined; // overrides helm would refuse: nothing to show
  }
  if (!values) return { start: ref.start, end: ref.end, markdown: 'This subchart is disabled by its parent (`condition` or `tags`): helm does not render it.' };
  let v: unknown = values;
  let origin: Origin | undefined;
  for (const key of ref.path) {
    origin = childOrigin(v, key, origin);
    v = isMap(v) ? ownValue(v, key) : Array.isArray(v) && /^\d+$/.test(key) ? element(v, Number(key)) : undefined;
  }
  const name = `.Values${ref.path.map((k) => `.${k}`).join('')}`;
  let shown = v === undefined ? 'not set (renders as empty)' : stringify(v, { lineWidth: 0, sortMapEntries: true }).trimEnd();
  if (shown.length > MAX_SHOWN) shown = `${shown.slice(0, MAX_SHOWN)}\n...`;
  const parts = [`**${name}**`, '', v === undefined ? shown : `\`\`\`yaml\n${shown}\n\`\`\``];
  if (origin && v !== undefined && isSetSource(origin.file)) parts.push('', `Set by ${origin.file} ${setPath(origin.path)}.`);
  else if (origin && v !== undefined) {
    const text = valuesText(chart, origin.file, overrides);
    const at = text === undefined ? undefined : locateInValues(text, origin.path);
    if (at && text !== undefined) parts.push('', `Set in ${shortName(chart, origin.file)}, line ${new LineIndex(text).positionAt(at.start).line + 1}.`);
  }
  return { start: ref.start, end: ref.end, markdown: parts.join('\n') };
}
