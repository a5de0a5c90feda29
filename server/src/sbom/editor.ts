/**
 * The build-time SBOM in the editor: the hover on an install line (the components that instruction
 * adds) and the document behind "Bulkhead: Show Build SBOM".
 */
import type { DockerfileModel } from '../documents/dockerfile';
import type { Component } from './model';
import { modelSbom, SbomOptions } from './extract';
import { toCycloneDx } from './cyclonedx';

/** Past this many, a hover lists the count only: a hover is not the place for a thousand packages. */
const MAX_LISTED = 40;

function describe(c: Component): string {
  const what =
    c.kind === 'os-package'
      ? 'OS package'
      : c.kind === 'language-package'
        ? 'package'
        : c.kind === 'download'
          ? 'download'
          : c.kind === 'image'
            ? 'image'
            : 'files';
  const version = c.version ? ` ${c.version}` : c.requested ? ` (${c.requested})` : '';
  const id = c.purl ? ` — \`${c.purl}\`` : '';
  const removed = c.removedAt ? ` (removed again, line ${c.removedAt.line})` : '';
  const recorded = c.recorded ? ` (recorded as ${c.recorded.name ?? c.name}${c.recorded.version ? ` ${c.recorded.version}` : ''})` : '';
  return `- ${what} **${c.name}**${version} via ${c.tool}${recorded}${removed}${id}`;
}

/**
 * Markdown listing the components the RUN or ADD instruction on 0-based `line` adds, or undefined
 * when the line is not part of one that adds any.
 */
export function installHover(model: DockerfileModel, file: string, line: number, options: SbomOptions = {}): string | undefined {
  const instr = model.stages
    .flatMap((s) => s.instructions)
    .find((i) => {
      const r = i.getRange();
      return r.start.line <= line && line <= r.end.line;
    });
  if (!instr) return undefined;
  const keyword = instr.getKeyword().toUpperCase();
  if (keyword !== 'RUN' && keyword !== 'ADD') return undefined;
  const { start, end } = instr.getRange();
  const sbom = modelSbom(file, model, options);
  const components = sbom.stages.flatMap((s) => s.components).filter((c) => c.evidence.line - 1 >= start.line && c.evidence.line - 1 <= end.line);
  const unresolved = sbom.stages.flatMap((s) => s.unresolvedInstalls).filter((u) => u.evidence.line - 1 >= start.line && u.evidence.line - 1 <= end.line);
  if (!components.length && !unresolved.length) return undefined;
  const lines = [`**Build SBOM:** this ${keyword} adds ${components.length} component${components.length === 1 ? '' : 's'}`, ''];
  for (const c of components.slice(0, MAX_LISTED)) lines.push(describe(c));
  if (components.length > MAX_LISTED) lines.push(`- … and ${components.length - MAX_LISTED} more (Bulkhead: Show Build SBOM lists them all)`);
  for (const u of unresolved.slice(0, 10)) lines.push(`- ${u.tool} \`${u.text}\`: a variable without a known value, not listed`);
  return lines.join('\n');
}

/** The CycloneDX 1.6 document of one Dockerfile, as the command shows it. */
export function buildSbomJson(model: DockerfileModel, file: string, version: string, options: SbomOptions = {}, now = new Date()): string {
  const doc = toCycloneDx([modelSbom(file, model, options)], { toolVersion: version, now, subject: file });
  return `${JSON.stringify(doc, null, 2)}\n`;
}
