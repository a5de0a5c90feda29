/**
 * Template fixes where the chart has no values hook: a finding whose fix adds structure the
 * template never prints from values (a pod with no `securityContext` at all) can only be fixed in
 * the template. The message says so ("this chart cannot set securityContext.seccompProfile from
 * values: add it to the template"), and the added lines must land inside the same
 * `{{ if }}`/`{{ with }}`/`{{ range }}` as the object they fix: an insertion at the end of an
 * object wrapped in `{{- if .Values.enabled }} ... {{- end }}` maps, in the rendered output, to the
 * text after `{{- end }}`, where a chart rendered with `enabled: false` would print the lines alone.
 */
import type { Segment } from '../documents/helm/render';
import type { TextEdit } from './rule';

/** Actions that open a block closed by `{{ end }}`. */
const OPENERS = new Set(['if', 'with', 'range', 'define', 'block']);

/**
 * The control blocks open at `offset` of a template, as a key: equal keys mean the same branch
 * of the same `if`/`with`/`range` nest. A linear scan of the actions (quoted strings and comments
 * skipped), enough to compare two places of one template.
 */
export function controlContext(text: string, offset: number): string {
  const stack: string[] = [];
  let i = text.indexOf('{{');
  while (i >= 0 && i < offset) {
    const close = actionEnd(text, i + 2);
    if (close < 0) break;
    if (close + 2 > offset) break; // `offset` inside the action itself
    let j = i + 2;
    if (text[j] === '-') j++;
    while (j < close && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) j++;
    let k = j;
    while (k < close && /[a-z]/.test(text[k])) k++;
    const word = text.slice(j, k);
    if (OPENERS.has(word)) stack.push(`${word}@${i}`);
    else if (word === 'else' && stack.length) stack[stack.length - 1] += `/else@${i}`;
    else if (word === 'end') stack.pop();
    i = text.indexOf('{{', close + 2);
  }
  return stack.join(' ');
}

/** The offset of the `}}` closing an action whose body starts at `from`, skipping strings and comments; -1 if none. */
function actionEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '}' && text[i + 1] === '}') return i;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 1;
    }
    i++;
  }
  return -1;
}

/**
 * A fix's edits (mapped to template offsets, beside the output edits they came from) with every
 * insertion that landed outside the object's control context moved inside it: after the last
 * literal text or action of that context before the insertion point, when only whitespace (trimmed
 * by `{{-`) lies between. Undefined when an edit cannot be placed in the object's context.
 */
export function guardedEdits(
  segments: readonly Segment[],
  output: string,
  template: string,
  file: string,
  edits: readonly { output: TextEdit; template: TextEdit }[],
  objectOffset: number,
): TextEdit[] | undefined {
  const want = controlContext(template, objectOffset);
  const out: TextEdit[] = [];
  for (const { output: o, template: t } of edits) {
    if (controlContext(template, t.start) === want) {
      out.push(t);
      continue;
    }
    if (o.start !== o.end || !o.newText.endsWith('\n') || (o.start > 0 && output[o.start - 1] !== '\n')) return undefined;
    // The last text of this file printed in the object's context before the insertion point.
    let moved: TextEdit | undefined;
    for (let i = segments.length - 1; i >= 0; i--) {
      const s = segments[i];
      const end = s.out + s.text.length;
      if (end > o.start) continue;
      if (output.slice(end, o.start).trim()) break; // something printed between: no place for the lines
      if (s.file !== file || !s.text.length) continue;
      // After literal text where it ends, after an action's `}}` (its output ends the line).
      const at = s.literal ? s.src + s.text.length : s.srcEnd;
      if (controlContext(template, at) !== want) {
        if (s.text.trim()) break;
        continue; // whitespace printed outside the block (the newline after `{{- end }}`)
      }
      // The segment ends where the object's last line does: add the lines after it.
      moved = { start: at, end: at, newText: `\n${o.newText.slice(0, -1)}` };
      break;
    }
    if (!moved) return undefined;
    out.push(moved);
  }
  return out;
}

/**
 * What a fix adds, as a key path from the pod or container it belongs to
 * (`securityContext.seccompProfile.type`), when every edit only inserts YAML: the keys above the
 * insertion point (up to `spec:` or a list item) and the inserted keys down their first branch.
 */
export function addedPath(output: string, edits: readonly TextEdit[]): string | undefined {
  if (!edits.length || edits.some((e) => e.start !== e.end)) return undefined;
  const e = edits[edits.length - 1];
  const inserted = e.newText.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  if (!inserted.length) return undefined;
  const indent = (l: string) => l.length - l.trimStart().length;
  const keyOf = (l: string) => {
    const t = l.trim().replace(/^- /, '');
    const colon = t.indexOf(':');
    return colon > 0 ? t.slice(0, colon).trim() : undefined;
  };
  // Down the inserted block's first branch.
  const below: string[] = [];
  let level = -1;
  for (const line of inserted) {
    const n = indent(line);
    if (n <= level) break;
    const key = keyOf(line);
    if (!key || line.trim().startsWith('- ')) break;
    below.push(key);
    level = n;
  }
  if (!below.length) return undefined;
  // Up from the insertion point: the keys of the lines that hold it.
  const above: string[] = [];
  let limit = indent(inserted[0]);
  const lines = output.slice(0, e.start).split('\n');
  for (let i = lines.length - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i];
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const n = indent(line);
    if (n >= limit) continue;
    if (line.trim().startsWith('- ')) break; // a list item: a container
    const key = keyOf(line);
    if (!key || key === 'spec') break;
    above.unshift(key);
    limit = n;
  }
  return [...above, ...below].join('.');
}
