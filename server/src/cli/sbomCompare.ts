/**
 * `bulkhead sbom Dockerfile --compare SCANNER.json`: the build-time SBOM against a scanner's SBOM of
 * the built image, reported as scan findings (text, json or sarif; exit codes as `scan`): every
 * declared component the scanner does not list, on its declaring line, and every package the scanner
 * lists that no instruction declares (info, at the instruction it most likely came through).
 */
import * as path from 'node:path';
import { DockerfileModel } from '../documents/dockerfile';
import type { Finding } from '../engine/engine';
import type { BuiltinRule, Severity } from '../engine/rule';
import { ResolvedConfig } from '../engine/config';
import { readRegularFile } from '../node/files';
import { LineIndex } from '../text/lineIndex';
import { compareWithScanner, CompareResult } from '../sbom/compare';
import { recordedDownloads } from '../sbom/records';
import { modelSbom } from '../sbom/extract';
import type { DockerfileSbom } from '../sbom/model';
import { readScannerSbom, ScannerComponent, ScannerSbom, ScannerSbomError } from '../sbom/scannerSbom';
import type { FailOn } from './args';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { colors, formatText } from './format/text';
import type { ScanReport } from './scan';

/** As scan's `--fail-on` (kept here: args.ts imports this command's parser). */
export const FAIL_LEVELS: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export const COMPARE_FORMATS = ['text', 'json', 'sarif'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

const meta = (id: string, title: string, severity: Severity, description: string): BuiltinRule => ({
  id,
  language: 'engine',
  title,
  category: 'images',
  severity,
  description,
  remediation:
    'Install through a package manager the scanner reads, keep package metadata and OS identification in the image, ' +
    "and publish the build-time SBOM (`bulkhead sbom`) beside the scanner's.",
  references: [],
  fixes: [],
  recommended: true,
});

export const SBOM_MISSING = meta(
  'sbom-scanner-missing',
  "Declared component missing from the scanner's SBOM",
  'error',
  "The Dockerfile installs or fetches a component that the scanner's SBOM of the built image does not list: no vulnerability in it will be reported.",
);
export const SBOM_VERSION = meta(
  'sbom-scanner-other-version',
  'Scanner lists another version than the pinned one',
  'warning',
  "The Dockerfile pins a version, but the scanner's SBOM lists the package at another version: either the pin did not take effect or the scanner reads stale metadata.",
);
export const SBOM_UNEXPLAINED = meta(
  'sbom-scanner-unexplained',
  'Scanner lists a package the build does not declare',
  'info',
  "The scanner's SBOM lists a package no instruction declares: it comes from the base image, or from a step the build description does not show.",
);

export interface CompareIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty?: boolean;
}

/** The line range of `needle` on 1-based `line`, else the line without its indentation. */
function spanOnLine(lines: LineIndex, line: number, needle: string): { start: number; end: number } {
  const l = Math.max(0, line - 1);
  const start = lines.lineStart(l);
  const text = lines.lineText(l);
  // Package names as the SBOM normalises them (`flask-cors` for `Flask_Cors`): compared with case and `-_.` folded.
  const fold = (t: string): string => t.toLowerCase().replace(/[_.]/g, '-');
  const k = needle ? fold(text).indexOf(fold(needle)) : -1;
  if (k >= 0) return { start: start + k, end: start + k + needle.length };
  const indent = text.length - text.trimStart().length;
  return { start: start + indent, end: start + text.trimEnd().length };
}

function describe(c: ScannerComponent): string {
  const type = c.purl?.type ?? 'package';
  return `${type} ${c.purl?.namespace && c.purl.type !== 'deb' && c.purl.type !== 'apk' && c.purl.type !== 'rpm' ? `${c.purl.namespace}/` : ''}${c.name}${c.version ? ` ${c.version}` : ''}`;
}

/** Findings for one comparison, in the linted file's offsets. */
export function compareFindings(text: string, sbom: DockerfileSbom, result: CompareResult, scanner: ScannerSbom): Finding[] {
  const lines = new LineIndex(text);
  const who = `${scanner.tool ? `${scanner.tool}'s` : "The scanner's"} SBOM (${scanner.format})`;
  const finding = (rule: BuiltinRule, span: { start: number; end: number }, message: string): Finding => ({
    ruleId: rule.id,
    rule,
    severity: rule.severity,
    message,
    start: span.start,
    end: span.end,
    range: lines.rangeOf(span.start, span.end),
    fixes: [],
  });
  const out: Finding[] = [];
  for (const m of result.missing) {
    const c = m.component;
    const verb = c.kind === 'download' ? 'fetched' : 'installed';
    const needle = c.kind === 'download' ? '' : c.name;
    const span = spanOnLine(lines, c.evidence.line, needle);
    if (m.otherVersions.length) {
      out.push(
        finding(
          SBOM_VERSION,
          span,
          `${who} lists ${c.name} at ${m.otherVersions.join(', ')}, not ${m.label.slice(m.label.lastIndexOf(' ') + 1)} as pinned here: the image may not hold what this line installs.`,
        ),
      );
    } else {
      out.push(
        finding(
          SBOM_MISSING,
          span,
          `${who} of this image does not list ${m.label}, ${verb} here: it cannot be checked for vulnerabilities${m.explanation ? ` (${m.explanation})` : ''}.`,
        ),
      );
    }
  }
  // Unexplained packages: at the flattening COPY when the image copies a whole stage in, else at FROM.
  const stage = result.stage;
  const flatten = stage.flattens[0];
  const anchorLine = flatten ? flatten.evidence.line : stage.evidence.line;
  const anchor = spanOnLine(lines, anchorLine, '');
  const base = stage.base
    ? `${stage.base.name}${stage.base.version ? `:${stage.base.version}` : ''}`
    : stage.parentStage !== undefined
      ? `stage ${stage.parentStage}`
      : undefined;
  const source = flatten
    ? `it came in through COPY --from=${flatten.stage} / / (stage ${flatten.stage}'s base image, or software installed there outside a package manager)`
    : base
      ? `it presumably comes from the base image ${base}`
      : 'nothing in the build explains it';
  for (const c of result.unexplained) {
    out.push(finding(SBOM_UNEXPLAINED, anchor, `${who} lists ${describe(c)}, which no instruction declares: ${source}.`));
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Runs the comparison and writes the report; returns the exit code (0 clean, 1 findings at or above --fail-on, 2 trouble). */
export function runSbomCompare(
  opts: { dockerfile: string; compare: string; format: CompareFormat; failOn: FailOn; readContext?: (relativePath: string) => string | undefined },
  io: CompareIo,
  version: string,
): number {
  const file = path.resolve(io.cwd, opts.dockerfile);
  const display = path.relative(io.cwd, file).split(path.sep).join('/') || path.basename(file);
  const readText = (p: string, what: string): string | undefined => {
    const read = readRegularFile(p, { maxBytes: 64 * 1024 * 1024 });
    if (!read.ok) {
      io.stderr(`bulkhead: cannot read ${what} ${p}: ${read.message}\n`);
      return undefined;
    }
    return read.bytes.toString('utf8');
  };
  const text = readText(file, 'the Dockerfile');
  const scannerText = readText(path.resolve(io.cwd, opts.compare), 'the scanner SBOM');
  if (text === undefined || scannerText === undefined) return 2;
  let scanner: ScannerSbom;
  try {
    scanner = readScannerSbom(scannerText);
  } catch (err) {
    if (!(err instanceof ScannerSbomError)) throw err;
    io.stderr(`bulkhead: ${opts.compare}: ${err.message}\n`);
    return 2;
  }
  const model = new DockerfileModel(text);
  const sbom = modelSbom(display, model, opts.readContext ? { readContext: opts.readContext } : {});
  const result = compareWithScanner(sbom, scanner, recordedDownloads(model, sbom));
  const findings = compareFindings(text, sbom, result, scanner);
  const config = new ResolvedConfig([SBOM_MISSING, SBOM_VERSION, SBOM_UNEXPLAINED], {}, 'all');
  const report: ScanReport = {
    files: [{ path: file, display, fixed: 0, result: { path: file, kind: 'dockerfile', findings, internalErrors: [] } }],
    errors: [],
    config,
    configs: [{ file: undefined, config, files: 1 }],
    missing: [],
  };
  const rendered =
    opts.format === 'json'
      ? formatJson(report)
      : opts.format === 'sarif'
        ? formatSarif(report, version)
        : formatText(report, colors(!!io.isTty), { cwd: io.cwd });
  io.stdout(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
  if (opts.failOn === 'never') return 0;
  const rank: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
  return findings.some((f) => rank[f.severity] >= rank[opts.failOn as Severity]) ? 1 : 0;
}
