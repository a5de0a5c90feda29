/** Applies LSP text edits (line/character ranges) to a text, as an editor would. */
import { LineIndex } from '../../server/src/text/lineIndex';
import { applyEdits } from '../../server/src/engine/yamlEditor';

export interface LspEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

export function applyLspEdits(text: string, edits: readonly LspEdit[]): string {
  const lines = new LineIndex(text);
  return applyEdits(
    text,
    edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })),
  );
}
