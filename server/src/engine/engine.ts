/**
 * The engine: classify a file, parse what enabled rules need, run each rule in isolation, apply
 * suppressions, and hand back findings with exact ranges and lazily computed fixes. The language
 * server, the CLI and the tests all lint through this one class.
 */
import type { Instruction } from 'dockerfile-ast';
import { classify, FileKind, kindImpliedByPath } from '../documents/classify';
import { DockerfileModel } from '../documents/dockerfile';
import { reparseEdited } from '../documents/dockerfileIncremental';
import { ComposeModel, parseCompose } from '../documents/compose';
import { ChartFiles, renderChartTemplate } from '../documents/helm/chart';
import { TemplateBudgetError, TemplateError, toTemplateOffset } from '../documents/helm/render';
import { ChartFailError, UnsupportedFunctionError } from '../documents/helm/parse';
import { isMap, ownValue, parseYaml } from '../documents/helm/data';
import { breaksUnderValuesFiles, helmOverrides, valuesFindings, withValuesLocation } from './helmValuesLint';
import type { SetLine } from '../documents/helm/strvals';
import { guardedEdits } from './helmValuesHook';
import { archiveFindings } from './helmArchiveLint';
import { withoutValuesHook } from './helmValuesLint';
import { NON_WORKLOAD_KINDS } from '../documents/kube';
import { kustomizationsReading } from '../documents/kustomize';
import { ChunkCache, ChunkEntry, isBlankChunk, splitYamlDocuments } from '../documents/yamlFile';
import { isPair, parseDocument } from 'yaml';
import { spanOf, Span } from '../documents/yamlNodes';
import { LineIndex, Position, Range } from '../text/lineIndex';
import { ResolvedConfig } from './config';
import { valueUsesOf } from './helmValueUses';
import type {
  DockerfileRule,
  DockerfileRuleContext,
  Fix,
  HelmChartRule,
  KubernetesRule,
  TextRule,
  TextRuleContext,
  RelatedLocation,
  Report,
  Rule,
  RuleMeta,
  Severity,
  Target,
  TextEdit,
} from './rule';
import { annotationMatchers, annotationMatches, CommentSuppressions, DockerfileLayout, matches, scanCommentSuppressions } from './suppressions';
import { EMPTY_WORKSPACE, IndexedObject, WorkspaceIndex, WorkspaceView } from './workspaceIndex';
import { applyEdits, YamlEditor } from './yamlEditor';

export const SYNTAX_RULE_ID = 'yaml-syntax-error';
export const DUPLICATE_KEY_RULE_ID = 'yaml-duplicate-key';

export const HELM_RENDER_BUDGET_RULE_ID = 'helm-render-budget';
export const HELM_RENDER_ERROR_RULE_ID = 'helm-render-error';
/** The `ruleTimes` entry for building the Dockerfile model (dockerfile-ast parse and its indexes). */
export const DOCKERFILE_MODEL_TIME = '(dockerfile model)';

export interface Finding {
  readonly ruleId: string;
  readonly rule: RuleMeta;
  readonly severity: Severity;
  readonly message: string;
  /** Offsets in the linted text. */
  readonly start: number;
  readonly end: number;
  readonly range: Range;
  /** Edits in offsets of the linted text; the first safe fix is the preferred one. */
  readonly fixes: readonly Fix[];
  /** Other objects involved, in their own files (offsets and range in that file's text). */
  readonly related?: readonly RelatedFinding[];
}

export interface RelatedFinding extends RelatedLocation {
  readonly range: Range;
}

export interface LintResult {
  readonly path: string;
  readonly kind: FileKind;
  readonly findings: Finding[];
  /** Rules that threw (each once per file), reported as internal errors; other rules still ran. */
  readonly internalErrors: { ruleId: string; message: string }[];
  /** Why the file was not linted at all (binary, too large), if so. */
  readonly skipped?: string;
}

/** Per-file state kept between lints (by the language server, per open document). */
export class FileState {
  readonly chunks = new ChunkCache();
  dockerfile: { text: string; model: DockerfileModel; memo?: { key: number; value: ChunkResult } } | undefined;
  /** The rendered output of a Helm template is linted with its own chunk cache. */
  helm: FileState | undefined;
  /** For a values file: the rendered output of each template of its chart, by template. */
  helmValues: Map<string, FileState> | undefined;
  compose: { text: string; model: ComposeModel | undefined } | undefined;
}

export interface LintOptions {
  state?: FileState;
  /** Objects of this file are recorded here, and workspace-scope rules read it. */
  index?: WorkspaceIndex;
  /** Whether a path sits in a Helm chart (a `Chart.yaml` above it); from the file system. */
  isInChart?: (path: string) => boolean;
  /** Force a kind instead of classifying (e.g. an editor's language id says Dockerfile). */
  kind?: FileKind;
  /** The chart a Helm template belongs to (values, helpers); without it templates are skipped. */
  helmChart?: (path: string) => ChartFiles | undefined;
  /** Values files (absolute paths) their charts render with on top of values.yaml (CLI `--values`). */
  helmValues?: readonly string[];
  /** `--set` / `--set-string` lines every chart renders with, after its values files (CLI). */
  helmSet?: readonly SetLine[];
  /** Reads another workspace file for rules (see `RuleContextBase.readFile`); without it rules read none. */
  readFile?: (path: string) => string | undefined;
}

interface RawFinding {
  rule: Rule;
  message: string;
  start: number;
  end: number;
  fixes: Fix[];
  related?: RelatedLocation[];
  severity?: 'info';
}

/** The context's options before its first rule's are set. */
const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

interface DockerRun {
  readonly rule: DockerfileRule;
  readonly options: Readonly<Record<string, unknown>>;
}

interface ChunkResult {
  findings: RawFinding[];
  errors: { ruleId: string; message: string }[];
}

export class Engine {
  private readonly kubeRules: KubernetesRule[];
  private readonly dockerRules: DockerfileRule[];
  /**
   * The Dockerfile rules of each scope with their options, resolved once per engine (a config never
   * changes once resolved): a scan runs every one of them on every file, in cold code.
   */
  private readonly dockerRuns: { readonly document: readonly DockerRun[]; readonly workspace: readonly DockerRun[] };
  private readonly textRules: TextRule[];
  private readonly helmChartRules: HelmChartRule[];
  private readonly byId: Map<string, Rule>;
  private readonly wantedKinds: { all: boolean; workloads: boolean; kinds: Set<string> };
  /**
   * When set (by the benchmark), the milliseconds each rule's `check` took, summed per rule id, and
   * under `(dockerfile model)` the Dockerfile parses. Unset, nothing is timed.
   */
  ruleTimes: Map<string, number> | undefined;

  /**
   * @param options.indexOnly parse and index exactly what this config's engine would (the same
   *   documents), but run no rule: how the main thread of a parallel scan builds the workspace index.
   * @param options.scope run only the rules of one scope on manifests, kubeconfigs, Dockerfiles, Helm
   *   templates and values files (other kinds are not split: callers lint them whole): `document` rules
   *   (with the syntax findings) need no index, so a parallel scan runs them on worker threads, and
   *   the main thread, which holds the index, runs the `workspace` ones. The two results merged with
   *   `mergeScopes` equal a whole engine's.
   */
  constructor(
    readonly config: ResolvedConfig,
    private readonly options: { indexOnly?: boolean; scope?: 'document' | 'workspace' } = {},
  ) {
    const enabled = config.enabledRules();
    this.kubeRules = enabled.filter((r): r is KubernetesRule => r.language === 'kubernetes');
    this.dockerRules = enabled.filter((r): r is DockerfileRule => r.language === 'dockerfile');
    const dockerRuns: { document: DockerRun[]; workspace: DockerRun[] } = { document: [], workspace: [] };
    for (const rule of this.dockerRules) dockerRuns[rule.scope ?? 'document'].push({ rule, options: config.state(rule.id).options });
    this.dockerRuns = dockerRuns;
    this.textRules = enabled.filter((r): r is TextRule => r.language === 'text');
    this.helmChartRules = enabled.filter((r): r is HelmChartRule => r.language === 'helm-chart');
    this.byId = new Map(config.rules.map((r) => [r.id, r]));
    const wanted = { all: false, workloads: false, kinds: new Set<string>() };
    for (const r of this.kubeRules) {
      if (r.kinds === 'all') wanted.all = true;
      else if (r.kinds === 'workloads') wanted.workloads = true;
      else r.kinds.forEach((k) => wanted.kinds.add(k));
    }
    // What cross-file rules read is indexed whatever the profile, so the index holds the same objects
    // for the same text under every config (an editor switching profiles must not lose Namespaces).
    for (const r of config.rules) {
      if (r.language !== 'kubernetes' && r.language !== 'dockerfile' && r.language !== 'text') continue;
      r.reads?.forEach((k) => (k === 'workloads' ? (wanted.workloads = true) : wanted.kinds.add(k)));
    }
    this.wantedKinds = wanted;
  }

  get rules(): readonly Rule[] {
    return this.config.rules;
  }

  /** `options.readFile` of the lint running now (a lint is synchronous and never nested). */
  private readFile: ((path: string) => string | undefined) | undefined;

  lint(path: string, text: string, options: LintOptions = {}): LintResult {
    this.readFile = options.readFile;
    try {
      return this.lintFile(path, text, options);
    } finally {
      this.readFile = undefined;
    }
  }

  private lintFile(path: string, text: string, options: LintOptions): LintResult {
    let kind = options.kind ?? classify(path, text, options.isInChart);
    // A file a Kustomization's generator reads (`envs`, `files`) is KEY=value input whatever its name.
    if (kind === 'other' && !options.kind && options.index && kustomizationsReading(path, options.index).length) kind = 'dotenv';
    const state = options.state ?? new FileState();
    const workspace: WorkspaceView = options.index ?? EMPTY_WORKSPACE;
    let findings: Finding[] = [];
    const internalErrors: { ruleId: string; message: string }[] = [];
    if (kind === 'kubernetes' || kind === 'kubeconfig') {
      findings = this.lintYaml(path, text, state, workspace, options.index, internalErrors);
    } else if (kind === 'dockerfile') {
      findings = this.lintDockerfile(path, text, state, workspace, options.index, internalErrors);
    } else if (kind === 'helm-template' && options.helmChart) {
      findings = this.lintHelmTemplate(path, text, state, workspace, options, internalErrors);
    } else if (kind === 'helm-chart') {
      // Nothing of a Chart.yaml goes into the index.
      if (!this.options.indexOnly) findings = this.lintHelmChart(path, text, workspace, options, internalErrors);
    } else if ((kind === 'helm-values' && options.helmChart) || this.textRules.some((r) => r.fileKinds.includes(kind))) {
      findings = [];
      // A values file: what the chart renders with it (findings on the values lines), and its own text.
      // Nothing of a values file goes into the index: an index-only pass skips rendering its chart with it.
      const chart = kind === 'helm-values' && !this.options.indexOnly ? options.helmChart?.(path) : undefined;
      if (chart) {
        state.helmValues ??= new Map();
        findings = valuesFindings(
          this.helmHost(workspace, internalErrors),
          chart,
          path,
          text,
          state.helmValues,
          helmOverrides(chart, this.config.settings, options.helmValues, options.helmSet),
        );
      }
      if (this.textRules.some((r) => r.fileKinds.includes(kind))) {
        options.index?.remove(path);
        // Text rules read one file: the document half of a split lint.
        if (!this.options.indexOnly && this.options.scope !== 'workspace') {
          const valueUses = chart ? valueUsesOf(chart, path, text, helmOverrides(chart, this.config.settings, options.helmValues, options.helmSet)) : undefined;
          const own = this.lintText(path, text, kind, workspace, internalErrors, valueUses);
          // A secret the values rule reports is not reported a second time by the rule that finds it in
          // the rendering (an `extraEnv` block printed by toYaml lands on the same values line).
          const secrets = own.filter((f) => f.rule.category === 'secrets');
          if (secrets.length) findings = findings.filter((f) => f.rule.category !== 'secrets' || !secrets.some((s) => s.start < f.end && f.start < s.end));
          findings = [...findings, ...own];
        }
      }
    } else if (kind === 'compose' && options.index) {
      // Only indexed: rules about Dockerfiles read which service builds which Dockerfile.
      if (state.compose?.text !== text) state.compose = { text, model: parseCompose(text) };
      if (state.compose.model) options.index.update({ path, kind: 'compose', objects: [], compose: state.compose.model }, text);
      else options.index.remove(path);
    } else {
      options.index?.remove(path);
    }
    findings.sort(byOffsetAndRule);
    if (options.index && findings.some((f) => f.related)) findings = resolveRelated(findings, options.index);
    return { path, kind, findings, internalErrors: dedupe(internalErrors) };
  }

  // ---- Helm templates --------------------------------------------------------------------------

  /**
   * Renders the template with the chart's default values and lints the output as manifests; each
   * finding is mapped back to the template text it came from (literal text exactly, generated text
   * to its `{{ }}` action). Fixes survive only when every edit lands in literal template text.
   * Templates the renderer cannot evaluate are skipped: a guessed rendering means wrong findings.
   */
  private lintHelmTemplate(
    path: string,
    text: string,
    state: FileState,
    workspace: WorkspaceView,
    options: LintOptions,
    internalErrors: { ruleId: string; message: string }[],
  ): Finding[] {
    const chart = options.helmChart?.(path);
    if (!chart) return [];
    const overrides = helmOverrides(chart, this.config.settings, options.helmValues, options.helmSet);
    let rendered;
    try {
      rendered = renderChartTemplate(chart, path, text, overrides);
    } catch (err) {
      options.index?.update({ path, kind: 'helm-template', objects: [], unrendered: true }, text);
      // The render findings belong to the document half of a split lint (see `scope`).
      if (this.options.scope === 'workspace') return [];
      return this.unrenderedTemplate(path, text, chart, err);
    }
    if (!rendered) return [];
    state.helm ??= new FileState();
    const raw = this.lintYaml(path, rendered.text, state.helm, workspace, options.index, internalErrors);
    const lines = new LineIndex(text);
    const out: Finding[] = [];
    const seen = new Set<string>();
    let fromValues: Set<string> | undefined;
    for (const f of raw) {
      // Syntax problems of the output are the renderer's business, not the user's.
      if (f.ruleId === SYNTAX_RULE_ID || f.ruleId === DUPLICATE_KEY_RULE_ID) continue;
      // A secret the template only copies from values.yaml is reported there, on the values line, by
      // the values rule: not a second time at the `{{ }}` that copies it.
      if (f.rule.category === 'secrets' && literalOffset(rendered.segments, f.start, path) === undefined) {
        fromValues ??= this.secretsInValues(chart);
        if (fromValues.has(rendered.text.slice(f.start, f.end))) continue;
      }
      const start = toTemplateOffset(rendered.segments, f.start, path, 'start');
      const end = toTemplateOffset(rendered.segments, f.end, path, 'end');
      if (start === undefined || end === undefined || end < start) continue;
      const key = `${f.ruleId}\u0000${start}\u0000${end}\u0000${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const fixes = f.fixes.flatMap((fix): Fix[] => {
        const mapped = (): TextEdit[] | undefined => {
          const edits: { output: TextEdit; template: TextEdit }[] = [];
          for (const e of fix.edits()) {
            const s = literalOffset(rendered.segments, e.start, path);
            const t = literalOffset(rendered.segments, e.end, path, e.start);
            if (s === undefined || t === undefined) return undefined;
            edits.push({ output: e, template: { start: s, end: t, newText: e.newText } });
          }
          // Inside the `{{ if }}`/`with`/`range` that wraps the object, or not at all.
          return guardedEdits(rendered.segments, rendered.text, text, path, edits, start);
        };
        let probe: TextEdit[] | undefined;
        try {
          probe = mapped();
        } catch {
          probe = undefined;
        }
        if (!probe) return [];
        // Checked when the fix is asked for (re-rendering under every values file costs): a fix
        // that breaks the chart under any of them throws, and is then neither offered nor applied.
        let checked: TextEdit[] | undefined;
        return [
          {
            ...fix,
            edits: () => {
              if (checked) return checked;
              const edits = mapped() ?? [];
              const broken = breaksUnderValuesFiles(chart, path, text, edits, overrides, outputProblems);
              if (broken) throw new Error(`the fix breaks the chart rendered with ${broken}`);
              const same = raw.filter((g) => g.ruleId === f.ruleId && g.message === f.message).length;
              if (!this.helmFixRemoves(chart, path, applyEdits(text, edits), overrides, f, same, workspace))
                throw new Error('the fix does not remove the finding');
              return (checked = edits);
            },
          },
        ];
      });
      const located = withValuesLocation({ ...f, start, end, range: lines.rangeOf(start, end), fixes }, rendered, chart, f, overrides);
      out.push(located.message === f.message ? withoutValuesHook(located, rendered, f, chart, overrides) : located);
    }
    return out;
  }

  /**
   * A template the renderer stopped on: over budget, reported once on its first line; any other
   * render error once at the call where it stopped (for an error inside a helper, at the
   * `include` of it in this template, with the helper's line as related information).
   */
  private unrenderedTemplate(path: string, text: string, chart: ChartFiles, thrown: unknown): Finding[] {
    // Anything else thrown is a renderer bug: still reported, never a silently skipped template.
    const err = thrown instanceof TemplateError ? thrown : new TemplateError(thrown instanceof Error ? thrown.message : String(thrown));
    const budget = err instanceof TemplateBudgetError;
    const ruleId = budget ? HELM_RENDER_BUDGET_RULE_ID : HELM_RENDER_ERROR_RULE_ID;
    const rule = this.enabledBuiltin(ruleId);
    if (!rule) return [];
    const lines = new LineIndex(text);
    const firstLineEnd = (from: number) => (text.indexOf('\n', from) < 0 ? text.length : text.indexOf('\n', from));
    let start = 0;
    let end = firstLineEnd(0);
    let related: RelatedFinding[] | undefined;
    if (!budget) {
      const here = [...err.locations].reverse().find((l) => l.file === path) ?? (err.locations.length === 0 && err.at ? { file: path, ...err.at } : undefined);
      if (here && here.start <= text.length) {
        start = here.start;
        end = Math.min(here.end, firstLineEnd(here.start), text.length);
      }
      const inner = err.locations[0];
      const innerText = inner && inner.file !== path ? chart.templates.get(inner.file) : undefined;
      if (inner && innerText !== undefined && inner.end <= innerText.length) {
        related = [
          {
            path: inner.file,
            start: inner.start,
            end: inner.end,
            message: 'rendering stopped here',
            range: new LineIndex(innerText).rangeOf(inner.start, inner.end),
          },
        ];
      }
    }
    const message = budget ? `Helm template not checked: ${err.message}.` : `Helm template not checked: ${renderErrorText(err)}.`;
    const raw = [{ rule, message, start, end, fixes: [] }];
    return this.applyCommentSuppressions(raw, text, () => lines, false).map((f) => ({
      ruleId: f.rule.id,
      rule: f.rule,
      severity: this.config.state(ruleId).severity,
      message: f.message,
      start: f.start,
      end: f.end,
      range: lines.rangeOf(f.start, f.end),
      fixes: [],
      ...(related ? { related } : {}),
    }));
  }

  /** Whether a fixed template, rendered with the chart's values, has fewer of the finding (it may be reported several times) than `before`. */
  private helmFixRemoves(
    chart: ChartFiles,
    path: string,
    fixed: string,
    overrides: ReturnType<typeof helmOverrides>,
    finding: Finding,
    before: number,
    workspace: WorkspaceView,
  ): boolean {
    let again;
    try {
      again = renderChartTemplate(chart, path, fixed, overrides);
    } catch {
      return false;
    }
    if (!again) return false;
    return (
      this.lintYaml(path, again.text, new FileState(), workspace, undefined, []).filter((g) => g.ruleId === finding.ruleId && g.message === finding.message)
        .length < before
    );
  }

  /** Chart.yaml: its rules see the parsed file and the chart's Chart.lock. */
  private lintHelmChart(
    path: string,
    text: string,
    workspace: WorkspaceView,
    options: LintOptions,
    internalErrors: { ruleId: string; message: string }[],
  ): Finding[] {
    const doc = parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length) return [];
    let lockText: string | null | undefined;
    let archiveProblems: readonly { archive: string; message: string }[] | undefined;
    const chart = options.helmChart?.(path);
    if (options.helmChart) {
      lockText = chart?.lockYaml;
      archiveProblems = chart?.archiveProblems;
    }
    const editor = new YamlEditor(text, doc);
    const findings: RawFinding[] = [];
    for (const rule of this.helmChartRules) {
      try {
        rule.check({
          doc,
          text,
          edit: editor,
          lockText,
          archiveProblems,
          options: this.config.state(rule.id).options,
          settings: this.config.settings,
          workspace,
          filePath: path,
          report: (r) => findings.push(this.raw(rule, r, text)),
        });
      } catch (err) {
        internalErrors.push({ ruleId: rule.id, message: describeError(err) });
      }
    }
    const lines = new LineIndex(text);
    const own = this.applyCommentSuppressions(findings, text, () => lines, false).map((f) => this.finish(f, 0, 0, lines));
    // What packaged subcharts (charts/*.tgz) render: reported here, where they come in.
    const packaged =
      chart && !chart.parent
        ? archiveFindings(
            this.helmHost(workspace, internalErrors),
            chart,
            path,
            text,
            doc,
            helmOverrides(chart, this.config.settings, options.helmValues, options.helmSet),
          )
        : [];
    return [...own, ...packaged];
  }

  /** What linting a values file needs of the engine: lint rendered output, without indexing it. */
  private helmHost(workspace: WorkspaceView, internalErrors: { ruleId: string; message: string }[]) {
    return {
      lintRendered: (template: string, output: string, state: FileState): Finding[] =>
        this.lintYaml(template, output, state, workspace, undefined, internalErrors).filter(
          (f) => f.ruleId !== SYNTAX_RULE_ID && f.ruleId !== DUPLICATE_KEY_RULE_ID,
        ),
      outputIsValid: (template: string, output: string): boolean =>
        // Syntax and duplicate keys are document findings: the document rules alone decide, whatever this engine's scope.
        !this.lintYaml(template, output, new FileState(), workspace, undefined, [], 'document').some(
          (f) => f.ruleId === SYNTAX_RULE_ID || f.ruleId === DUPLICATE_KEY_RULE_ID,
        ) && !hasSyntaxErrors(output),
      newState: () => new FileState(),
    };
  }

  // ---- YAML ------------------------------------------------------------------------------------

  private needsParse(entry: ChunkEntry): boolean {
    if (isBlankChunk(entry.text)) return false;
    const kind = entry.sniffedKind;
    if (kind === undefined || kind.endsWith('List')) return true;
    const w = this.wantedKinds;
    if (w.all || w.kinds.has(kind)) return true;
    return w.workloads && !NON_WORKLOAD_KINDS.has(kind);
  }

  private lintYaml(
    path: string,
    text: string,
    state: FileState,
    workspace: WorkspaceView,
    index: WorkspaceIndex | undefined,
    internalErrors: { ruleId: string; message: string }[],
    scope = this.options.scope,
  ): Finding[] {
    const out: Finding[] = [];
    const indexed: IndexedObject[] = [];
    const fileSuppressions = text.includes('bulkhead-ignore-file') ? scanCommentSuppressions(text).file : [];
    let line = 0;
    const parsedChunks: { start: number; startLine: number; entry: ChunkEntry }[] = [];
    const collect = (r: ChunkResult, start: number, startLine: number, entry: ChunkEntry) => {
      internalErrors.push(...r.errors);
      for (const f of r.findings) {
        if (fileSuppressions.some((m) => matches(f.rule, m))) continue;
        out.push(this.finish(f, start, startLine, entry.lines));
      }
    };
    const impliedKind = kindImpliedByPath(path);
    for (const chunk of splitYamlDocuments(text)) {
      const entry = state.chunks.get(chunk.text, impliedKind);
      const startLine = line;
      line += entry.lineBreaks;
      if (!this.needsParse(entry)) continue;
      const parsed = entry.parsed;
      for (const object of parsed.objects) indexed.push({ path, documentStart: chunk.start, object });
      if (this.options.indexOnly) continue;
      if (scope !== 'workspace') {
        let result: ChunkResult;
        if (entry.memo?.key === this.config.generation) result = entry.memo.value as ChunkResult;
        else {
          result = this.lintChunk(path, entry, workspace, 'document');
          entry.memo = { key: this.config.generation, value: result };
        }
        collect(result, chunk.start, startLine, entry);
      }
      parsedChunks.push({ start: chunk.start, startLine, entry });
    }
    // The file's own objects go into the index before rules that look across files run, so a
    // Namespace and its workloads in one file see each other.
    index?.update({ path, kind: 'kubernetes', objects: indexed }, text);
    if (this.hasWorkspaceKubeRules && !this.options.indexOnly && scope !== 'document') {
      for (const c of parsedChunks) collect(this.lintChunk(path, c.entry, workspace, 'workspace'), c.start, c.startLine, c.entry);
    }
    state.chunks.sweep();
    return out;
  }

  private get hasWorkspaceKubeRules(): boolean {
    return this.kubeRules.some((r) => r.scope === 'workspace');
  }

  /** Runs the rules of one scope over one YAML document; offsets stay chunk-relative. */
  private lintChunk(path: string, entry: ChunkEntry, workspace: WorkspaceView, scope: 'document' | 'workspace'): ChunkResult {
    const parsed = entry.parsed;
    const findings: RawFinding[] = [];
    const errors: { ruleId: string; message: string }[] = [];
    if (scope === 'document') {
      const syntax = this.enabledBuiltin(SYNTAX_RULE_ID);
      if (parsed.syntaxError && syntax) {
        const e = parsed.syntaxError;
        findings.push({
          rule: syntax,
          message: `YAML syntax error: ${e.message}. This document is not checked until it parses.`,
          start: e.start,
          end: e.end,
          fixes: [],
        });
      }
      const duplicate = this.enabledBuiltin(DUPLICATE_KEY_RULE_ID);
      if (duplicate) {
        for (const e of parsed.duplicateKeys) {
          findings.push({
            rule: duplicate,
            message: `${e.message}: kubectl rejects the manifest, and other tools keep a different one of the values.`,
            start: e.start,
            end: e.end,
            fixes: [],
          });
        }
      }
    }
    const editor = new YamlEditor(entry.text, parsed.doc);
    for (const object of parsed.objects) {
      const objectKind = object.kind ?? '';
      const suppressions = annotationMatchers(object);
      for (const rule of this.kubeRules) {
        if ((rule.scope ?? 'document') !== scope) continue;
        if (!appliesTo(rule, objectKind, () => object.podSpec() !== undefined)) continue;
        const ruleFindings: RawFinding[] = [];
        const started = this.ruleTimes ? performance.now() : 0;
        try {
          rule.check({
            object,
            text: entry.text,
            edit: editor,
            options: this.config.state(rule.id).options,
            settings: this.config.settings,
            workspace,
            filePath: path,
            readFile: this.readFile,
            report: (r) => ruleFindings.push(this.raw(rule, r, entry.text)),
          });
        } catch (err) {
          errors.push({ ruleId: rule.id, message: describeError(err) });
          continue;
        } finally {
          if (this.ruleTimes) this.ruleTimes.set(rule.id, (this.ruleTimes.get(rule.id) ?? 0) + performance.now() - started);
        }
        for (const f of ruleFindings) {
          if (!suppressions.some((m) => annotationMatches(rule, m))) findings.push(f);
        }
      }
    }
    return { findings: this.applyCommentSuppressions(findings, entry.text, () => entry.lines, false), errors };
  }

  private enabledBuiltin(id: string): Rule | undefined {
    const rule = this.byId.get(id);
    return rule && this.config.state(id).enabled ? rule : undefined;
  }

  private raw(rule: Rule, r: Report, text: string): RawFinding {
    const span = toSpan(r.at, text);
    return {
      rule,
      message: r.message,
      start: span.start,
      end: span.end,
      fixes: r.fixes ?? [],
      ...(r.related?.length ? { related: r.related } : {}),
      ...(r.severity ? { severity: r.severity } : {}),
    };
  }

  private applyCommentSuppressions(
    findings: RawFinding[],
    text: string,
    lines: () => LineIndex,
    dockerfile: boolean,
    expandLine?: (line: number) => [number, number],
    layout?: () => DockerfileLayout,
  ): RawFinding[] {
    if (findings.length === 0 || !text.includes('#')) return findings;
    const s: CommentSuppressions = scanCommentSuppressions(text, dockerfile, layout);
    if (!s.lines.length && !s.document.length && !s.file.length) return findings;
    const index = lines();
    return findings.filter((f) => {
      if (s.document.some((m) => matches(f.rule, m)) || s.file.some((m) => matches(f.rule, m))) return false;
      const line = index.positionAt(f.start).line;
      return !s.lines.some((m) => {
        const [from, to] = expandLine ? expandLine(m.line) : [m.line, m.line];
        return line >= from && line <= to && matches(f.rule, m);
      });
    });
  }

  private finish(f: RawFinding, base: number, baseLine: number, lines: LineIndex): Finding {
    const shift = (p: Position): Position => ({ line: p.line + baseLine, character: p.character });
    const range = { start: shift(lines.positionAt(f.start)), end: shift(lines.positionAt(f.end)) };
    const state = this.config.state(f.rule.id);
    return {
      ruleId: f.rule.id,
      rule: f.rule,
      severity: f.severity ?? state.severity,
      message: f.message,
      start: f.start + base,
      end: f.end + base,
      range,
      fixes: f.fixes.map((fix) => (base === 0 ? fix : { ...fix, edits: () => fix.edits().map((e) => shiftEdit(e, base)) })),
      ...(f.related ? { related: f.related as RelatedFinding[] } : {}),
    };
  }

  private valuesSecrets: { text: string; secrets: Set<string> } | undefined;

  /** The texts the enabled secret rules report in a chart's values.yaml (the last chart's, cached). */
  private secretsInValues(chart: ChartFiles): Set<string> {
    const text = chart.valuesYaml ?? '';
    if (this.valuesSecrets?.text !== text) {
      const findings = text ? this.lintText(`${chart.root}/values.yaml`, text, 'helm-values', EMPTY_WORKSPACE, []) : [];
      this.valuesSecrets = { text, secrets: new Set(findings.filter((f) => f.rule.category === 'secrets').map((f) => text.slice(f.start, f.end))) };
    }
    return this.valuesSecrets.secrets;
  }

  // ---- Whole-file text rules (Helm values, .env) ---------------------------------------------

  private lintText(
    path: string,
    text: string,
    kind: FileKind,
    workspace: WorkspaceView,
    internalErrors: { ruleId: string; message: string }[],
    valueUses?: TextRuleContext['valueUses'],
  ): Finding[] {
    const findings: RawFinding[] = [];
    for (const rule of this.textRules) {
      if (!rule.fileKinds.includes(kind)) continue;
      const ruleFindings: RawFinding[] = [];
      try {
        rule.check({
          text,
          fileKind: kind,
          ...(valueUses ? { valueUses } : {}),
          options: this.config.state(rule.id).options,
          settings: this.config.settings,
          workspace,
          filePath: path,
          readFile: this.readFile,
          report: (r) => ruleFindings.push(this.raw(rule, r, text)),
        });
      } catch (err) {
        internalErrors.push({ ruleId: rule.id, message: describeError(err) });
        continue;
      }
      findings.push(...ruleFindings);
    }
    let lines: LineIndex | undefined;
    const lineIndex = () => (lines ??= new LineIndex(text));
    return this.applyCommentSuppressions(findings, text, lineIndex, false).map((f) => this.finish(f, 0, 0, lineIndex()));
  }

  // ---- Dockerfile ---------------------------------------------------------------------------

  private lintDockerfile(
    path: string,
    text: string,
    state: FileState,
    workspace: WorkspaceView,
    index: WorkspaceIndex | undefined,
    internalErrors: { ruleId: string; message: string }[],
  ): Finding[] {
    // The index records that the file is a Dockerfile, not its model: no rule reads another file's
    // model, and a model kept there (and parsed by the index-only pass for it) stayed alive from the
    // index pass to the end of a scan, for every Dockerfile scanned.
    index?.update({ path, kind: 'dockerfile', objects: [] }, text);
    if (this.options.indexOnly) return [];
    if (state.dockerfile?.text !== text) {
      const started = this.ruleTimes ? performance.now() : 0;
      // In the editor the state holds the last version: a keystroke inside one instruction re-parses that instruction only.
      const previous = state.dockerfile?.model;
      state.dockerfile = { text, model: (previous && reparseEdited(previous, text)) ?? new DockerfileModel(text) };
      if (this.ruleTimes) this.ruleTimes.set(DOCKERFILE_MODEL_TIME, (this.ruleTimes.get(DOCKERFILE_MODEL_TIME) ?? 0) + performance.now() - started);
    }
    const cached = state.dockerfile;
    const model = cached.model;
    const run = (runs: readonly DockerRun[]): ChunkResult => {
      const findings: RawFinding[] = [];
      const errors: { ruleId: string; message: string }[] = [];
      // One `spanOf`, one `report` and one context for every rule of the file, with each rule's options
      // set before it runs: a cold scan built 37 contexts (and finding lists) per file. Rules read
      // their context while `check` runs, never later.
      const spanOf: DockerfileRuleContext['spanOf'] = (t) => ('getRange' in t ? model.span(t.getRange()) : model.span(t));
      let current: DockerfileRule = this.dockerRules[0];
      const report = (r: Report): void => {
        findings.push(this.raw(current, r, text));
      };
      const ctx = {
        dockerfile: model,
        options: NO_OPTIONS,
        settings: this.config.settings,
        workspace,
        filePath: path,
        spanOf,
        report,
      };
      for (let i = 0; i < runs.length; i++) {
        const rule = runs[i].rule;
        current = rule;
        ctx.options = runs[i].options;
        const reported = findings.length;
        const started = this.ruleTimes ? performance.now() : 0;
        try {
          rule.check(ctx);
        } catch (err) {
          // A rule that throws reports nothing.
          findings.length = reported;
          errors.push({ ruleId: rule.id, message: describeError(err) });
        } finally {
          if (this.ruleTimes) this.ruleTimes.set(rule.id, (this.ruleTimes.get(rule.id) ?? 0) + performance.now() - started);
        }
      }
      // The instructions' lines, only when a suppression comment needs them (most files have none).
      let layout: DockerfileLayout | undefined;
      const layoutOf = (): DockerfileLayout =>
        (layout ??= { instructions: model.instructions().map((i: Instruction): [number, number] => [i.getRange().start.line, i.getRange().end.line]) });
      const instructionLines = (line: number): [number, number] => layoutOf().instructions.find(([from, to]) => from <= line && to >= line) ?? [line, line];
      return { findings: this.applyCommentSuppressions(findings, text, () => model.lines, true, instructionLines, layoutOf), errors };
    };
    const results: ChunkResult[] = [];
    if (this.options.scope !== 'workspace') {
      let documentResult: ChunkResult;
      if (cached.memo?.key === this.config.generation) documentResult = cached.memo.value;
      else {
        documentResult = run(this.dockerRuns.document);
        cached.memo = { key: this.config.generation, value: documentResult };
      }
      results.push(documentResult);
    }
    if (this.options.scope !== 'document' && this.dockerRuns.workspace.length) results.push(run(this.dockerRuns.workspace));
    const out: Finding[] = [];
    for (const r of results) {
      internalErrors.push(...r.errors);
      for (const f of r.findings) out.push(this.finish(f, 0, 0, model.lines));
    }
    return out;
  }
}

/**
 * One file's result from the two halves of a split lint (`scope: 'document'` without an index, and
 * `scope: 'workspace'` with it): what one whole engine returns. Findings keep the whole engine's order
 * (a stable sort by offset and rule; findings that tie are one rule's, so from one half, in its order),
 * and related locations the document half could not place are placed from the index.
 */
export function mergeScopes(document: LintResult, workspace: LintResult, index: WorkspaceIndex): LintResult {
  let findings = [...document.findings, ...workspace.findings].sort(byOffsetAndRule);
  if (findings.some((f) => f.related)) findings = resolveRelated(findings, index);
  return { path: document.path, kind: document.kind, findings, internalErrors: dedupe([...document.internalErrors, ...workspace.internalErrors]) };
}

/**
 * Findings in offset order, ties by rule id. Rule ids are lowercase ASCII letters, digits and hyphens
 * (a test checks every rule), for which code-unit order is the order `localeCompare` gave under the
 * usual locales; it does not depend on the runner's locale, and it spares loading ICU's collator,
 * which cost more instructions than linting ten Dockerfiles.
 */
function byOffsetAndRule(a: Finding, b: Finding): number {
  return a.start - b.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** Gives related locations their ranges, from the indexed text of their files; drops those the index cannot place. */
function resolveRelated(findings: Finding[], index: WorkspaceIndex): Finding[] {
  const lines = new Map<string, LineIndex | undefined>();
  const linesOf = (path: string): LineIndex | undefined => {
    if (!lines.has(path)) {
      const source = index.source(path);
      lines.set(path, source === undefined ? undefined : new LineIndex(source));
    }
    return lines.get(path);
  };
  return findings.map((f) => {
    if (!f.related) return f;
    const related: RelatedFinding[] = [];
    for (const r of f.related) {
      if ('range' in r && r.range) {
        related.push(r as RelatedFinding); // placed by the engine itself (a Helm values file)
        continue;
      }
      const l = linesOf(r.path);
      if (l && r.end <= l.text.length) related.push({ path: r.path, start: r.start, end: r.end, message: r.message, range: l.rangeOf(r.start, r.end) });
    }
    const { related: _dropped, ...rest } = f;
    return related.length ? { ...rest, related } : rest;
  });
}

/** Why a template was not rendered, in words for the user. */
function renderErrorText(err: TemplateError): string {
  if (err instanceof UnsupportedFunctionError) return `Bulkhead's renderer does not support the function "${err.functionName}" (helm may render it)`;
  if (err instanceof ChartFailError) return `the chart stops rendering with these values (helm fails too): ${err.message}`;
  if (err.at && !err.locations.length) return `it does not parse: ${err.message}`;
  return `rendering fails: ${err.message}`;
}

/** Documents of rendered output that do not parse, repeat a key, or are not objects with apiVersion and kind. */
function outputProblems(text: string): number {
  let n = 0;
  for (const chunk of splitYamlDocuments(text)) {
    if (isBlankChunk(chunk.text)) continue;
    let v: unknown;
    try {
      v = parseYaml(chunk.text, 'error'); // duplicate keys found in linear time
    } catch {
      n++;
      continue;
    }
    if (v === null || v === undefined) continue; // comments only
    if (!isMap(v) || !ownValue(v, 'apiVersion') || !ownValue(v, 'kind')) n++;
  }
  return n;
}

/** Whether any document of a YAML text fails to parse (the syntax rule may be switched off). */
function hasSyntaxErrors(text: string): boolean {
  return splitYamlDocuments(text).some((c) => !isBlankChunk(c.text) && parseDocument(c.text, { uniqueKeys: false }).errors.length > 0);
}

function appliesTo(rule: KubernetesRule, kind: string, isWorkload: () => boolean): boolean {
  if (rule.kinds === 'all') return true;
  if (rule.kinds === 'workloads') return isWorkload();
  return rule.kinds.includes(kind);
}

function toSpan(target: Target, text: string): Span {
  let span: Span | undefined;
  if (target && typeof (target as Span).start === 'number' && typeof (target as Span).end === 'number' && !('range' in target) && !isPair(target)) {
    span = target as Span;
  } else {
    span = spanOf(target as Parameters<typeof spanOf>[0]);
  }
  if (!span) return { start: 0, end: 0 };
  let end = span.end;
  // Block collections end after their line break; a diagnostic should end on its last character.
  while (end > span.start && /\s/.test(text[end - 1])) end--;
  return { start: span.start, end };
}

function shiftEdit(e: TextEdit, base: number): TextEdit {
  return { start: e.start + base, end: e.end + base, newText: e.newText };
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 4).join('\n')}` : ''}`;
  return String(err);
}

function dedupe(errors: { ruleId: string; message: string }[]): { ruleId: string; message: string }[] {
  if (errors.length === 0) return errors;
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.ruleId) ? false : (seen.add(e.ruleId), true)));
}

/**
 * The template offset of an output offset inside literal template text, or undefined when it falls
 * in generated text. An insertion point at a segment boundary belongs to the literal side.
 */
function literalOffset(
  segments: readonly { out: number; text: string; src: number; literal: boolean; file: string }[],
  offset: number,
  file: string,
  rangeStart?: number,
): number | undefined {
  for (const s of segments) {
    if (!s.literal || s.file !== file) continue;
    const inside = offset >= s.out && offset <= s.out + s.text.length;
    if (!inside) continue;
    // The end of a replaced range must lie in the same literal segment as its start.
    if (rangeStart !== undefined && rangeStart !== offset && !(rangeStart >= s.out && rangeStart <= s.out + s.text.length)) continue;
    return s.src + (offset - s.out);
  }
  return undefined;
}
