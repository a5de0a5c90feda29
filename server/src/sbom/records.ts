/**
 * `# bulkhead-sbom: name=… version=… source=…` records (see rules/dockerfile/softwareRecord.ts)
 * matched to the downloads of the instruction below them: by source URL, as written or with the
 * instruction's variables resolved, or, when the instruction has one record and one download, to it.
 */
import type { DockerfileModel } from '../documents/dockerfile';
import type { DockerfileSbom } from './model';
import { recordsAbove, SoftwareRecord } from '../../../rules/dockerfile/softwareRecord';

/** Download URL (as the SBOM has it, variables expanded) → the record that names it. */
export function recordedDownloads(model: DockerfileModel, sbom: DockerfileSbom): Map<string, SoftwareRecord> {
  const out = new Map<string, SoftwareRecord>();
  const downloads = sbom.stages.flatMap((s) => s.components).filter((c) => c.kind === 'download' && c.url);
  if (!downloads.length) return out;
  for (const stage of model.stages) {
    for (const instr of stage.instructions) {
      const records = recordsAbove(model, instr).filter((r) => r.name !== undefined);
      if (!records.length) continue;
      const { start, end } = instr.getRange();
      const mine = downloads.filter((c) => c.evidence.line - 1 >= start.line && c.evidence.line - 1 <= end.line);
      for (const c of mine) {
        const line = start.line;
        const resolve = (s: string): string =>
          s.replace(
            /\$\{(\w{1,100})\}|\$(\w{1,100})/g,
            (whole, a: string | undefined, b: string | undefined) => model.ast.resolveVariable(a ?? b ?? '', line) ?? whole,
          );
        const record =
          records.find((r) => r.source !== undefined && (r.source === c.url || resolve(r.source) === c.url)) ??
          (records.length === 1 && mine.length === 1 ? records[0] : undefined);
        if (record) out.set(c.url!, record);
      }
    }
  }
  return out;
}
