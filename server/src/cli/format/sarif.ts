/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning ingests it. Every rule of the run's config
 * is listed in the driver (so results can point at them by index and GitHub shows their help), and
 * `security-severity` makes GitHub rank the alerts.
 */
import type { Finding } from '../../engine/engine';
import type { Rule, Severity, TextEdit } from '../../engine/rule';
import { displayPath, type ScanReport } from '../scan';
import { findingFingerprint } from '../fingerprint';
import { advertisedFix } from './common';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub maps >= 7.0 to high, >= 4.0 to medium, above 0 to low. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '2.0' };

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function ruleHelp(rule: Rule): { text: string; markdown: string } {
  const refs = rule.references.length ? `\n\nEquivalent checks: ${rule.references.join(', ')}` : '';
  return {
    text: `${rule.description}\n\nHow to fix: ${rule.remediation}${refs}`,
    markdown: `${rule.description}\n\n**How to fix:** ${rule.remediation}${refs ? `\n\n**Equivalent checks:** ${rule.references.map((r) => `\`${r}\``).join(', ')}` : ''}`,
  };
}

export function toSarif(report: ScanReport, version: string): object {
  // Rules enabled by any config that linted a file; each described as the first such config sets it.
  const stateOf = (id: string) => (report.configs.find((c) => c.config.state(id).enabled) ?? report.configs[0]).config.state(id);
  const rules = report.config.rules.filter((r) => report.configs.some((c) => c.config.state(r.id).enabled));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = [];
  for (const file of report.files) {
    for (const f of file.result.findings) {
      const { start, end } = f.range;
      const fix = advertisedFix(f);
      results.push({
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId),
        level: LEVEL[f.severity],
        message: { text: f.message + (fix ? ` (fix available: ${fix.title}, ${fix.applicability})` : '') },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodeURI(file.display), uriBaseId: '%SRCROOT%' },
              region: {
                startLine: start.line + 1,
                startColumn: start.character + 1,
                endLine: end.line + 1,
                endColumn: end.character + 1,
              },
            },
          },
        ],
        ...(f.related?.length
          ? {
              relatedLocations: f.related.map((r, id) => ({
                id,
                physicalLocation: {
                  artifactLocation: { uri: encodeURI(displayPath(r.path, process.cwd())), uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: r.range.start.line + 1,
                    startColumn: r.range.start.character + 1,
                    endLine: r.range.end.line + 1,
                    endColumn: r.range.end.character + 1,
                  },
                },
                message: { text: r.message },
              })),
            }
          : {}),
        ...sarifFixes(f, file.display),
        partialFingerprints: {
          // Stable across unrelated edits: rule, file and the message (which names the object).
          'bulkheadFinding/v1': findingFingerprint(f, file.display),
        },
      });
    }
  }
  const notifications = [
    ...report.missing.map((file) => ({ file, message: 'no such file or directory', level: 'error' as const })),
    ...report.errors.map((e) => ({ file: e.file, message: e.message, level: e.internal ? ('error' as const) : ('warning' as const) })),
  ].map((e) => ({
    level: e.level,
    message: { text: `${e.file}: ${e.message}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(e.file), uriBaseId: '%SRCROOT%' } } }],
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Bulkhead',
            informationUri: 'https://github.com/bulkhead-dev/bulkhead',
            semanticVersion: version,
            version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: ruleHelp(r),
              ...(r.docsUrl ? { helpUri: r.docsUrl } : {}),
              defaultConfiguration: { level: LEVEL[stateOf(r.id).severity] },
              properties: {
                tags: ['security', r.category, ...r.references.filter((x) => x.startsWith('cis-k8s:') || x.startsWith('pss:'))],
                precision: 'high',
                'security-severity': SECURITY_SEVERITY[stateOf(r.id).severity],
              },
            })),
          },
        },
        invocations: [
          { executionSuccessful: !report.errors.some((e) => e.internal) && report.missing.length === 0, toolExecutionNotifications: notifications },
        ],
        originalUriBaseIds: { '%SRCROOT%': { uri: toFileUri(process.cwd()) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function toFileUri(dir: string): string {
  const posix = dir.split('\\').join('/');
  return `file://${posix.startsWith('/') ? '' : '/'}${encodeURI(posix)}${posix.endsWith('/') ? '' : '/'}`;
}

/**
 * The finding's safe fixes as SARIF `fixes` (unsafe ones may change behaviour, so tools that apply
 * SARIF fixes automatically never see them). Regions are character offsets in the decoded text
 * (UTF-16 code units, as `columnKind` says), which need no line table.
 */
function sarifFixes(f: Finding, display: string): { fixes?: object[] } {
  const fixes = [];
  for (const fix of f.fixes) {
    if (fix.applicability !== 'safe') continue;
    let edits: TextEdit[];
    try {
      edits = fix.edits();
    } catch {
      continue; // a fix that cannot compute its edits is not offered, here as in the editor
    }
    if (!edits.length) continue;
    fixes.push({
      description: { text: fix.title },
      artifactChanges: [
        {
          artifactLocation: { uri: encodeURI(display), uriBaseId: '%SRCROOT%' },
          replacements: edits.map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.newText } })),
        },
      ],
    });
  }
  return fixes.length ? { fixes } : {};
}

export function formatSarif(report: ScanReport, version: string): string {
  return `${JSON.stringify(toSarif(report, version), null, 2)}\n`;
}
