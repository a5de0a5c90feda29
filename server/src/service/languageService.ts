/**
 * The editor features of Bulkhead as plain functions of documents: diagnostics, code actions and
 * hovers. No LSP transport in here (the server only wires messages to it), so it is tested directly.
 */
import type { CodeAction, Diagnostic, Hover, Range as LspRange, TextEdit as LspTextEdit } from 'vscode-languageserver';
import { URI } from './uri';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { classifyByName, type FileKind } from '../documents/classify';
import type { ChartFiles } from '../documents/helm/chart';
import { Engine, FileState, Finding, LintResult } from '../engine/engine';
import { DockerfileModel } from '../documents/dockerfile';
import { chooseFix, nonOverlappingEdits } from '../engine/fixAll';
import type { Fix, RuleMeta, Severity, TextEdit } from '../engine/rule';
import type { Fact, WorkspaceIndex } from '../engine/workspaceIndex';
import { detectEol, LineIndex, Position } from '../text/lineIndex';
import { normalizeEditorText } from '../text/decode';
import { pathsHover } from '../paths/hover';
import type { ConfigResolver } from './configResolver';
import { reachabilityHover } from '../reachability/hover';
import { GenerateOptions, generatePolicies, subIndex } from '../reachability/generate';
import { GENERATE_NETWORK_POLICIES_COMMAND } from '../lsp/protocol';
import * as nodePath from 'node:path';

/** Findings that say a namespace or workload has no NetworkPolicy: they offer to generate them. */
const NO_POLICY_RULES = new Set(['namespace-without-networkpolicy', 'pod-not-isolated-ingress', 'pod-not-isolated-egress']);
/** The Dockerfile rules about credentials (category `dockerfile`), whose ignores ask for a reason as the secrets pack's do. */
const DOCKERFILE_SECRET_RULES = new Set([
  'dockerfile-secret-in-arg-env',
  'dockerfile-hardcoded-token',
  'dockerfile-copy-secret-file',
  'dockerfile-secret-in-run',
  'dockerfile-secret-in-label',
]);
export const GENERATED_POLICIES_FILE = 'networkpolicies.bulkhead.yaml';
import { helmOverrides } from '../engine/helmValuesLint';
import { valuesHover } from './helmHover';
import { installHover } from '../sbom/editor';

export const SOURCE = 'bulkhead';
export const SKIPPED_CODE = 'bulkhead-skipped';
export const FIX_ALL_KIND = 'source.fixAll.bulkhead';

export interface TextDocumentLike {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  getText(): string;
}

interface Linted {
  text: string;
  /** 1 when the editor's text starts with a BOM we stripped before linting. */
  shift: number;
  lines: LineIndex;
  result?: LintResult;
  skipped?: string;
  engine?: Engine;
  /** `reset()` count when linted: chart files or the like changed since, if it differs. */
  epoch: number;
  /** Workspace facts the lint read, and the index stamp after it: any of them changing since makes it stale. */
  reads: ReadonlySet<Fact>;
  stamp: number;
  /** Tells lints apart: the server publishes a result once. */
  id: number;
}

export interface LintOutcome {
  diagnostics: Diagnostic[];
  result?: LintResult;
  /** The same id for the same (cached) lint result. */
  id: number;
}

const SEVERITY: Record<Severity, 1 | 2 | 3> = { error: 1, warning: 2, info: 3 };

export class BulkheadLanguageService {
  private readonly states = new Map<string, FileState>();
  private readonly last = new Map<string, Linted>();
  /** Open documents by the workspace facts their last lint read. */
  private readonly readers = new Map<Fact, Set<string>>();
  private epoch = 0;
  private lints = 0;

  constructor(
    private readonly resolver: ConfigResolver,
    readonly index: WorkspaceIndex,
    private readonly isInChart?: (path: string) => boolean,
    /** Chart files for rendering Helm templates (from disk); without it templates are skipped. */
    private readonly helmChart?: (path: string) => ChartFiles | undefined,
    /** Other workspace files rules read (a kubeconfig's key file), from disk inside the workspace. */
    private readonly readFile?: (path: string) => string | undefined,
    /**
     * Documents that are not `file:` URIs but files of a workspace the server reads (the browser
     * build's virtual workspaces): linted like files on disk, with their `.bulkhead.yaml` and chart.
     */
    private readonly isWorkspaceFile?: (uri: string) => boolean,
  ) {}

  /** `pathOf`, with the files of a virtual workspace the server can read counted as on disk. */
  private locate(doc: { uri: string; languageId: string }): { path: string; onDisk: boolean } {
    const at = BulkheadLanguageService.pathOf(doc);
    return at.onDisk || !this.isWorkspaceFile?.(doc.uri) ? at : { path: at.path, onDisk: true };
  }

  /** File-system path for a URI, or a made-up name that classifies by language for untitled documents. */
  static pathOf(doc: { uri: string; languageId: string }): { path: string; onDisk: boolean } {
    const uri = URI.parse(doc.uri);
    if (uri.scheme === 'file') return { path: uri.fsPath, onDisk: true };
    const name = uri.path.split('/').pop() || 'untitled';
    // The folders of a virtual workspace's URI (vscode-vfs://github/org/repo/a/deploy.yaml) keep two
    // files of one name apart in the index, and a `templates/` folder means what it means on disk.
    const dir = uri.path.slice(0, uri.path.length - name.length);
    if (doc.languageId === 'dockerfile') return { path: dir + (/dockerfile|containerfile/i.test(name) ? name : `${name}.Dockerfile`), onDisk: false };
    // A name that says what the file is (`.env`, `Chart.yaml`, `kubeconfig`) is kept; others read as YAML.
    const named = classifyByName(name);
    return { path: dir + (/\.ya?ml$/i.test(name) || (named !== undefined && named !== 'other') ? name : `${name}.yaml`), onDisk: false };
  }

  private forcedKind(languageId: string): FileKind | undefined {
    if (languageId === 'dockerfile') return 'dockerfile';
    if (languageId === 'helm') return 'helm-template';
    return undefined;
  }

  /** Lints a document (reusing work from its previous version) and returns its diagnostics. */
  lint(doc: TextDocumentLike, options: { keep?: boolean } = {}): LintOutcome {
    const linted = this.lintDocument(doc, options.keep ?? true);
    if (linted.skipped) {
      return {
        id: linted.id,
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            severity: 3,
            source: SOURCE,
            code: SKIPPED_CODE,
            message: `Bulkhead did not lint this file: ${linted.skipped}.`,
          },
        ],
      };
    }
    const result = linted.result;
    if (!result) return { diagnostics: [], id: linted.id };
    return { diagnostics: result.findings.map((f) => this.toDiagnostic(f, linted)), result, id: linted.id };
  }

  /** Whether `lint(doc)` would lint again rather than return its last result. */
  isStale(doc: TextDocumentLike): boolean {
    const previous = this.last.get(doc.uri);
    return !previous || !this.isCurrent(previous, doc);
  }

  private isCurrent(previous: Linted, doc: TextDocumentLike): boolean {
    const { path, onDisk } = this.locate(doc);
    return (
      previous.text === doc.getText() &&
      previous.epoch === this.epoch &&
      previous.engine === this.resolver.resolve(onDisk ? path : undefined).engine &&
      !this.index.changedSince(previous.reads, previous.stamp)
    );
  }

  /** Open documents whose last lint read one of `facts`. */
  readersOf(facts: readonly Fact[]): Set<string> {
    const out = new Set<string>();
    for (const f of facts) for (const uri of this.readers.get(f) ?? []) out.add(uri);
    return out;
  }

  private setReads(uri: string, before: ReadonlySet<Fact> | undefined, after: ReadonlySet<Fact> | undefined): void {
    for (const f of before ?? []) {
      const set = this.readers.get(f);
      set?.delete(uri);
      if (set && !set.size) this.readers.delete(f);
    }
    for (const f of after ?? []) {
      let set = this.readers.get(f);
      if (!set) this.readers.set(f, (set = new Set()));
      set.add(uri);
    }
  }

  /**
   * What requests (hover, code actions) answer from: the last result when it is for this exact text,
   * even if queued re-lints would change its cross-file findings; otherwise the document is linted
   * now. Positions and edits must be computed on the text the editor has: an edit computed on an
   * older text corrupts the document.
   */
  private forRequest(doc: TextDocumentLike): Linted {
    const previous = this.last.get(doc.uri);
    if (previous && previous.text === doc.getText()) return previous;
    return this.lintDocument(doc);
  }

  /**
   * @param keep cache per-document state for the next version (open documents); a workspace scan
   *   of files nobody has open passes false, so memory does not grow with the workspace
   */
  private lintDocument(doc: TextDocumentLike, keep = true): Linted {
    const raw = doc.getText();
    const previous = this.last.get(doc.uri);
    const { path, onDisk } = this.locate(doc);
    const effective = this.resolver.resolve(onDisk ? path : undefined);
    // Reuse the last result for the same text, unless something it read changed since (cross-file rules).
    if (previous && this.isCurrent(previous, doc)) return previous;
    const normalized = normalizeEditorText(raw);
    const shift = !normalized.skipped && raw.charCodeAt(0) === 0xfeff ? 1 : 0;
    const linted: Linted = {
      text: raw,
      shift,
      lines: new LineIndex(normalized.text),
      engine: effective.engine,
      epoch: this.epoch,
      reads: new Set(),
      stamp: 0,
      id: ++this.lints,
    };
    if (normalized.skipped) linted.skipped = normalized.skipped;
    else if (!(onDisk && this.resolver.isExcluded(path))) {
      let state = keep ? this.states.get(doc.uri) : new FileState();
      if (!state) this.states.set(doc.uri, (state = new FileState()));
      const tracked = this.index.track(() =>
        effective.engine.lint(path, normalized.text, {
          state,
          index: this.index,
          isInChart: onDisk ? this.isInChart : undefined,
          helmChart: onDisk ? this.helmChart : undefined,
          readFile: onDisk ? this.readFile : undefined,
          kind: this.forcedKind(doc.languageId),
        }),
      );
      linted.result = tracked.value;
      linted.reads = tracked.reads;
    }
    // After the lint: its own changes to the index are already seen by what it read.
    linted.stamp = this.index.stamp;
    if (keep) {
      this.setReads(doc.uri, previous?.reads, linted.reads);
      this.last.set(doc.uri, linted);
    }
    return linted;
  }

  /**
   * The document was closed: forget its caches. The index still holds the objects of its last text;
   * the server puts the file's text on disk back (see `WorkspaceScanner.closed`).
   */
  close(uri: string): void {
    this.states.delete(uri);
    this.setReads(uri, this.last.get(uri)?.reads, undefined);
    this.last.delete(uri);
  }

  /**
   * Config or chart files changed: lint everything from scratch next time. Last results stay for
   * answering requests until then.
   */
  reset(): void {
    this.states.clear();
    this.epoch++;
  }

  private position(linted: Linted, offset: number): Position {
    const p = linted.lines.positionAt(offset);
    return p.line === 0 ? { line: 0, character: p.character + linted.shift } : p;
  }

  private range(linted: Linted, start: number, end: number): LspRange {
    return { start: this.position(linted, start), end: this.position(linted, end) };
  }

  private toDiagnostic(f: Finding, linted: Linted): Diagnostic {
    return {
      range: this.range(linted, f.start, f.end),
      severity: SEVERITY[f.severity],
      source: SOURCE,
      code: f.ruleId,
      ...(f.rule.docsUrl ? { codeDescription: { href: f.rule.docsUrl } } : {}),
      message: f.message,
      ...(f.related?.length ? { relatedInformation: relatedInformation(f) } : {}),
      data: { ruleId: f.ruleId, start: f.start, end: f.end },
    };
  }

  private lspEdits(linted: Linted, edits: readonly TextEdit[]): LspTextEdit[] {
    return edits.map((e) => ({ range: this.range(linted, e.start, e.end), newText: e.newText }));
  }

  /** Findings of the current text whose range touches `range`. */
  private findingsIn(linted: Linted, range: LspRange): Finding[] {
    const findings = linted.result?.findings ?? [];
    const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
    return findings.filter((f) => {
      const r = this.range(linted, f.start, f.end);
      return before(r.start, range.end) && before(range.start, r.end);
    });
  }

  codeActions(doc: TextDocumentLike, range: LspRange, only?: readonly string[]): CodeAction[] {
    const linted = this.forRequest(doc);
    const result = linted.result;
    if (!result) return [];
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    if (wants('quickfix')) {
      // Several findings under the cursor may offer the same action (e.g. "Harden this workload"): list it once.
      const seen = new Set<string>();
      for (const finding of this.findingsIn(linted, range)) {
        for (const action of this.quickFixes(doc, linted, finding)) {
          const key = `${action.title}\u0000${JSON.stringify(action.edit)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          actions.push(action);
        }
      }
    }
    if (only && wants(FIX_ALL_KIND)) {
      const { edits, count } = nonOverlappingEdits(result.findings, (f) => chooseFix(f, false));
      if (count) {
        actions.push({ title: 'Fix all safely fixable Bulkhead problems', kind: FIX_ALL_KIND, edit: { changes: { [doc.uri]: this.lspEdits(linted, edits) } } });
      }
    }
    return actions;
  }

  private quickFixes(doc: TextDocumentLike, linted: Linted, finding: Finding): CodeAction[] {
    const diagnostic = this.toDiagnostic(finding, linted);
    const actions: CodeAction[] = [];
    const preferred = finding.fixes.find((f) => f.applicability === 'safe');
    for (const fix of finding.fixes) {
      let edits: TextEdit[];
      try {
        edits = fix.edits();
      } catch {
        continue;
      }
      actions.push({
        title: fix.applicability === 'unsafe' ? `${fix.title} (may change behaviour)` : fix.title,
        kind: 'quickfix',
        diagnostics: [diagnostic],
        isPreferred: fix === preferred,
        edit: { changes: { [doc.uri]: this.lspEdits(linted, edits) } },
      });
    }
    const sameRule = (linted.result?.findings ?? []).filter((f) => f.ruleId === finding.ruleId && f.fixes.length);
    if (sameRule.length > 1 && finding.fixes.length) {
      const title = finding.fixes[0].title;
      const pick = (f: Finding): Fix | undefined => f.fixes.find((x) => x.title === title) ?? f.fixes[0];
      const { edits, count } = nonOverlappingEdits(sameRule, pick);
      if (count > 1) {
        actions.push({
          title: `Fix all ${count} "${finding.ruleId}" problems in this file`,
          kind: 'quickfix',
          diagnostics: [diagnostic],
          edit: { changes: { [doc.uri]: this.lspEdits(linted, edits) } },
        });
      }
    }
    if (NO_POLICY_RULES.has(finding.ruleId) && URI.parse(doc.uri).scheme === 'file') {
      const folder = nodePath.dirname(BulkheadLanguageService.pathOf(doc).path);
      actions.push({
        title: `Generate NetworkPolicies for ${nodePath.basename(folder)}/ (new file ${GENERATED_POLICIES_FILE} to review)`,
        kind: 'quickfix',
        diagnostics: [diagnostic],
        command: { title: 'Generate NetworkPolicies', command: GENERATE_NETWORK_POLICIES_COMMAND, arguments: [folder] },
      });
    }
    actions.push(
      {
        title: `Ignore "${finding.ruleId}" here${ignoreReason(finding) ? ', with a reason' : ''}`,
        kind: 'quickfix',
        diagnostics: [diagnostic],
        edit: { changes: { [doc.uri]: this.lspEdits(linted, [this.ignoreLineEdit(linted, finding)]) } },
      },
      {
        title: `Ignore "${finding.ruleId}" in this file${ignoreReason(finding) ? ', with a reason' : ''}`,
        kind: 'quickfix',
        diagnostics: [diagnostic],
        edit: { changes: { [doc.uri]: this.lspEdits(linted, [this.ignoreFileEdit(linted, finding)]) } },
      },
    );
    return actions;
  }

  /** `# bulkhead-ignore <rule>` above the line the finding starts on, in that line's indentation. */
  private ignoreLineEdit(linted: Linted, finding: Finding): TextEdit {
    const lines = linted.lines;
    const eol = detectEol(lines.text);
    let line = lines.positionAt(finding.start).line;
    if (linted.result?.kind === 'dockerfile') {
      // Above the first line of the instruction, never inside its continuation lines or heredoc
      // body: a comment there is part of the command, not a suppression.
      const at = line;
      const owner = new DockerfileModel(linted.text).instructions().find((i) => i.getRange().start.line <= at && i.getRange().end.line >= at);
      if (owner) line = owner.getRange().start.line;
    }
    const indent = /^[ \t]*/.exec(lines.lineText(line))![0];
    const at = lines.lineStart(line);
    return { start: at, end: at, newText: `${indent}# bulkhead-ignore ${finding.ruleId}${ignoreReason(finding)}${eol}` };
  }

  /** `# bulkhead-ignore-file <rule>` at the top, after a Dockerfile's parser directives. */
  private ignoreFileEdit(linted: Linted, finding: Finding): TextEdit {
    const lines = linted.lines;
    const eol = detectEol(lines.text);
    let line = 0;
    if (linted.result?.kind === 'dockerfile') {
      while (line < lines.lineCount && /^#\s*[A-Za-z]+\s*=/.test(lines.lineText(line))) line++;
    }
    const at = line >= lines.lineCount ? lines.text.length : lines.lineStart(line);
    const needsBreak = at === lines.text.length && at > 0 && !/[\r\n]$/.test(lines.text);
    return { start: at, end: at, newText: `${needsBreak ? eol : ''}# bulkhead-ignore-file ${finding.ruleId}${ignoreReason(finding)}${eol}` };
  }

  /** In a Helm template: what `.Values.x` under the cursor is and where it is set. */
  private valuesHover(doc: TextDocumentLike, linted: Linted, position: Position): Hover | null {
    if (linted.result?.kind !== 'helm-template' || !this.helmChart) return null;
    const { path, onDisk } = this.locate(doc);
    const chart = onDisk ? this.helmChart(path) : undefined;
    if (!chart || position.line >= linted.lines.lineCount) return null;
    const start = linted.lines.lineStart(position.line);
    const end = position.line + 1 < linted.lines.lineCount ? linted.lines.lineStart(position.line + 1) : linted.lines.text.length;
    const line = linted.lines.text.slice(start, end).replace(/\r?\n$/, '');
    const hover = valuesHover(chart, line, position.character, helmOverrides(chart, linted.engine?.config.settings ?? {}));
    if (!hover) return null;
    return { contents: { kind: 'markdown', value: hover.markdown }, range: this.range(linted, start + hover.start, start + hover.end) };
  }

  /** The text (as linted) and path of a document the engine reads as a Dockerfile, else undefined. */
  dockerfileText(doc: TextDocumentLike): { text: string; path: string; onDisk: boolean } | undefined {
    const linted = this.forRequest(doc);
    if (linted.result?.kind !== 'dockerfile') return undefined;
    return { text: linted.lines.text, ...BulkheadLanguageService.pathOf(doc) };
  }

  hover(doc: TextDocumentLike, position: Position): Hover | null {
    const linted = this.forRequest(doc);
    const hits = this.findingsIn(linted, { start: position, end: position });
    // Plain manifests only: a Helm template's indexed objects have offsets in the rendered text.
    const paths =
      linted.result?.kind === 'kubernetes' ? pathsHover(this.index, BulkheadLanguageService.pathOf(doc).path, linted.lines.offsetAt(position)) : undefined;
    const seen = new Set<string>();
    const parts: string[] = paths ? [paths] : [];
    for (const f of hits) {
      if (seen.has(f.ruleId)) continue;
      seen.add(f.ruleId);
      parts.push(ruleMarkdown(f.rule));
    }
    // On the kind or name of a workload, Service or NetworkPolicy: who reaches it and what it reaches.
    // Plain manifests only: a Helm template's indexed objects have offsets in the rendered text.
    if (linted.result?.kind === 'kubernetes') {
      const offset = linted.lines.offsetAt(position.line === 0 ? { line: 0, character: Math.max(0, position.character - linted.shift) } : position);
      const reach = reachabilityHover(this.index, BulkheadLanguageService.pathOf(doc).path, offset);
      if (reach) parts.push(reach);
    }
    // On a RUN or ADD of a Dockerfile: the components it adds to the build-time SBOM.
    if (linted.result?.kind === 'dockerfile') {
      const sbom = installHover(new DockerfileModel(linted.lines.text), nodePath.basename(BulkheadLanguageService.pathOf(doc).path), position.line);
      if (sbom) parts.push(sbom);
    }
    // Nothing else here: on a `.Values.x` of a Helm template, its value and where it is set.
    if (!parts.length) return this.valuesHover(doc, linted, position);
    const first = hits[0];
    return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, ...(first ? { range: this.range(linted, first.start, first.end) } : {}) };
  }
}

/**
 * Generated NetworkPolicies for the indexed files under `folder` (see reachability/generate.ts): the
 * text of the file to create beside them, and a summary for the user. Verified like the CLI's.
 */
export function networkPolicyFile(index: WorkspaceIndex, folder: string, options: GenerateOptions = {}): { path: string; text: string; summary: string } {
  const prefix = folder.endsWith(nodePath.sep) ? folder : `${folder}${nodePath.sep}`;
  const result = generatePolicies(
    subIndex(index, (p) => p.startsWith(prefix)),
    options,
  );
  const { before, after } = result.stats;
  const reduction = before ? (((before - after) / before) * 100).toFixed(2) : '0.00';
  const summary =
    `${result.policies} NetworkPolicies for ${result.intents} intents; pod-to-pod connections ${before} -> ${after} (${reduction} % fewer)` +
    `${result.unresolved.length ? `; ${result.unresolved.length} addresses could not be resolved (listed at the top of the file)` : ''}` +
    `${result.verification.ok ? '' : `; VERIFICATION FAILED: ${result.verification.problems[0]}`}.`;
  return { path: nodePath.join(folder, GENERATED_POLICIES_FILE), text: result.yaml, summary };
}

export function ruleMarkdown(rule: RuleMeta): string {
  const lines = [`**${rule.title}** · \`${rule.id}\``, '', rule.description, '', `**How to fix:** ${rule.remediation}`];
  if (rule.fixes.length) lines.push('', `**Quick-fixes:** ${rule.fixes.map((f) => `${f.title} (${f.applicability})`).join('; ')}`);
  if (rule.references.length) lines.push('', `**Same as:** ${rule.references.map((r) => `\`${r}\``).join(', ')}`);
  if (rule.docsUrl) lines.push('', `[Documentation](${rule.docsUrl})`);
  lines.push('', `Silence it here with \`# bulkhead-ignore ${rule.id} -- <reason>\`.`);
  return lines.join('\n');
}

/** The other objects of a cross-file finding, as LSP locations (files on disk only). */
function relatedInformation(f: Finding): DiagnosticRelatedInformation[] {
  return (f.related ?? [])
    .filter((r) => isAbsolute(r.path))
    .map((r) => ({ location: { uri: pathToFileURL(r.path).href, range: { start: { ...r.range.start }, end: { ...r.range.end } } }, message: r.message }));
}

/**
 * The reason an ignore comment asks for: a secret finding silenced without one reads, to the next
 * reviewer, like a credential someone chose to keep. Other rules' ignores carry none.
 */
function ignoreReason(finding: Finding): string {
  return finding.rule.category === 'secrets' || DOCKERFILE_SECRET_RULES.has(finding.ruleId) ? ' -- <why this is not a live credential>' : '';
}
