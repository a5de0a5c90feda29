/**
 * The record a Dockerfile keeps of software it installs outside a package manager: a comment line
 * right above the instruction, `# bulkhead-sbom: name=kubectl version=v1.30.2 source=https://…`.
 * Scanners cannot see such software in the image; the record keeps its name, version and source in
 * the build description, where `bulkhead sbom` and a reviewer read it. The fix of
 * `dockerfile-software-outside-package-manager` writes the template; the rule accepts a recorded source.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../../server/src/documents/dockerfile';
import { detectEol } from '../../server/src/text/lineIndex';
import type { TextEdit } from '../../server/src/engine/rule';
import { MemoSlot } from '../../server/src/documents/memo';

export const RECORD_PREFIX = 'bulkhead-sbom:';

export interface SoftwareRecord {
  name?: string;
  version?: string;
  source?: string;
}

/** `key=value` pairs of one record comment (the text after `#`), or undefined when it is none. */
export function parseRecord(comment: string): SoftwareRecord | undefined {
  const body = comment.trim();
  if (!body.startsWith(RECORD_PREFIX)) return undefined;
  const out: SoftwareRecord = {};
  for (const part of body.slice(RECORD_PREFIX.length).split(/[ \t]+/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'name' || key === 'version' || key === 'source') out[key] = value;
  }
  return out;
}

const commentsByModel = new MemoSlot<DockerfileModel, Map<number, string>>();

/**
 * Comment lines of the file by line number, read once per parse: the text after the `#`, untrimmed
 * (parseRecord trims it, and dockerfile-ast's getContent, which trims blanks and line breaks only,
 * read it through its text document, whose line table only that call built).
 */
function commentLines(model: DockerfileModel): Map<number, string> {
  let comments = commentsByModel.get(model);
  if (!comments) {
    comments = new Map();
    // A comment's text is a slice of the file's, and parseRecord reads only comments holding the
    // prefix: in a file without it (nearly all) every comment reads as no record, and so does an
    // empty table (recordsAbove stops at once). Reading the comments' positions was most of a scan's
    // cost of this rule.
    if (!model.text.includes(RECORD_PREFIX)) {
      commentsByModel.set(model, comments);
      return comments;
    }
    for (const c of model.ast.getComments()) {
      const range = c.getRange();
      const { start, end } = model.span(range);
      comments.set(range.start.line, model.text.slice(start + 1, end));
    }
    commentsByModel.set(model, comments);
  }
  return comments;
}

/** The records in the comment lines directly above `instr` (blank lines end the block). */
export function recordsAbove(model: DockerfileModel, instr: Instruction): SoftwareRecord[] {
  const out: SoftwareRecord[] = [];
  const comments = commentLines(model);
  for (let line = instr.getRange().start.line - 1; line >= 0 && comments.has(line); line--) {
    const record = parseRecord(comments.get(line) ?? '');
    if (record) out.push(record);
  }
  return out;
}

/** Whether the records above an instruction cover a fetched source (`undefined`: any named record). */
export function isRecorded(records: readonly SoftwareRecord[], sources: readonly (string | undefined)[]): boolean {
  return records.some((r) => r.name !== undefined && (sources.length === 0 || sources.some((s) => s !== undefined && r.source === s)));
}

const ARCHIVE_SUFFIXES = ['.tar.gz', '.tar.xz', '.tar.bz2', '.tar.zst', '.tgz', '.txz', '.tbz2', '.tar', '.zip', '.gz', '.xz', '.bz2', '.7z', '.git'];

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** `v1.30.2`, `16.3`: a version starting at `i` (an optional `v`, digits and dots), or ''. */
function versionAt(text: string, i: number): string {
  let k = i;
  if (text[k] === 'v' && isDigit(text[k + 1])) k++;
  if (!isDigit(text[k])) return '';
  while (k < text.length && (isDigit(text[k]) || (text[k] === '.' && isDigit(text[k + 1])))) k++;
  return text.slice(i, k);
}

/**
 * A guess at name and version from a URL: `…/helm-v3.15.2-linux-amd64.tar.gz` → helm, v3.15.2;
 * `…/release/v1.30.2/bin/linux/amd64/kubectl` → kubectl, v1.30.2. Loops, not a regex, on file content.
 */
export function guessNameVersion(url: string): { name: string; version?: string } {
  let end = url.length;
  for (const sep of ['?', '#']) {
    const k = url.indexOf(sep);
    if (k >= 0 && k < end) end = k;
  }
  const segments = url
    .slice(0, end)
    .split('/')
    .filter((s) => s !== '');
  let file = segments[segments.length - 1] ?? url;
  for (const suffix of ARCHIVE_SUFFIXES) {
    if (file.toLowerCase().endsWith(suffix) && file.length > suffix.length) {
      file = file.slice(0, -suffix.length);
      break;
    }
  }
  for (let i = 1; i < file.length; i++) {
    if (file[i - 1] !== '-' && file[i - 1] !== '_') continue;
    const version = versionAt(file, i);
    if (version) return { name: file.slice(0, i - 1), version };
  }
  // The version in a directory of the URL (`/release/v1.30.2/…`, `/download/16.3/…`).
  for (let s = segments.length - 2; s >= 1; s--) {
    const version = versionAt(segments[s], 0);
    if (version && version.length === segments[s].length && version.includes('.')) return { name: file, version };
  }
  return { name: file };
}

/** Record values cannot hold blanks: a blank would end the value when the record is read back. */
const recordValue = (v: string): string => v.split(/[ \t\r\n]+/).join('%20');

/** The edit that puts a record template above `instr`, indented like it, in the file's line ending. */
export function insertRecord(model: DockerfileModel, start: number, record: SoftwareRecord): TextEdit {
  const text = model.text;
  let lineStart = start;
  while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
  const indent = text.slice(lineStart, start);
  const fields = [`name=${recordValue(record.name ?? '?')}`, `version=${recordValue(record.version ?? '?')}`];
  if (record.source) fields.push(`source=${recordValue(record.source)}`);
  return { start: lineStart, end: lineStart, newText: `${indent.trim() === '' ? indent : ''}# ${RECORD_PREFIX} ${fields.join(' ')}${detectEol(text)}` };
}
