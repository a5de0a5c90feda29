/**
 * The contract between the engine and every rule. A rule is one module: its metadata (the source
 * of its docs, its profile membership and its suppression aliases) beside its logic.
 */
import type { Node, Pair } from 'yaml';
import type { Instruction } from 'dockerfile-ast';
import type { KubeObject } from '../documents/kube';
import type { FileKind } from '../documents/classify';
import type { DockerfileModel } from '../documents/dockerfile';
import type { Range } from '../text/lineIndex';
import type { Span } from '../documents/yamlNodes';
import type { YamlEditor } from './yamlEditor';
import type { AnyDoc } from '../documents/yamlNodes';
import type { WorkspaceView } from './workspaceIndex';

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/**
 * `safe`: cannot change the behaviour of a correct workload or image (e.g. a deprecated field
 * renamed). `unsafe`: may change behaviour (e.g. removing `hostNetwork`); applied by the CLI only
 * with `--unsafe-fixes`, and never marked as the preferred quick-fix.
 */
export type Applicability = 'safe' | 'unsafe';

export type Category =
  | 'syntax'
  | 'workload-privileges'
  | 'capabilities'
  | 'seccomp-apparmor'
  | 'host-namespaces'
  | 'images'
  | 'service-accounts'
  | 'rbac'
  | 'network'
  | 'secrets'
  | 'resources'
  | 'control-plane'
  | 'dockerfile'
  | 'helm-charts'
  | 'reliability';

export interface FixMeta {
  title: string;
  applicability: Applicability;
}

export interface RuleMeta {
  /** kebab-case, stable forever: configs and suppressions name it. */
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  /** Default severity; config may change it. */
  readonly severity: Severity;
  /** What the rule finds and why it matters (Markdown). The generated docs and hovers use it. */
  readonly description: string;
  /** How to fix it by hand (Markdown). */
  readonly remediation: string;
  /**
   * Equivalent checks of other tools as `tool:id` (`pss:baseline/privileged`,
   * `kube-linter:privileged-container`, `checkov:CKV_K8S_16`, `trivy:KSV017`, `kubescape:C-0057`,
   * `hadolint:DL3002`, `buildkit:...`, `cis-k8s:5.2.1`). Profiles and foreign suppressions use them.
   */
  readonly references: readonly string[];
  /** Every fix this rule can offer, in preference order. */
  readonly fixes: readonly FixMeta[];
  /** In the default `recommended` profile. Reliability-only checks are not. */
  readonly recommended: boolean;
  /** Upstream documentation for the subject (Kubernetes or Docker docs). */
  readonly docsUrl?: string;
  /** Options the rule reads from config, with defaults. */
  readonly defaultOptions?: Readonly<Record<string, unknown>>;
}

export interface TextEdit {
  /** Offsets into the text the rule was given (chunk-relative for YAML documents). */
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  applicability: Applicability;
  /** Computed on demand: most findings are never fixed. */
  edits: () => TextEdit[];
}

export type Target = Node | Pair | Span;

/** A place in another object (maybe another file) that explains a finding: offsets in that file. */
export interface RelatedLocation {
  path: string;
  start: number;
  end: number;
  message: string;
}

export interface Report {
  /** What to underline: the offending key/value, never the whole document. */
  at: Target;
  message: string;
  /** The other objects involved (the Service a policy mis-targets, the pods a selector misses...). */
  related?: RelatedLocation[];
  /** In preference order; the first safe one is the preferred quick-fix. */
  fixes?: Fix[];
  /** Milder than the rule's severity for this one finding (a control-plane pod's inherent hostNetwork). */
  severity?: 'info';
}

interface RuleContextBase {
  readonly options: Readonly<Record<string, unknown>>;
  readonly settings: EngineSettings;
  readonly workspace: WorkspaceView;
  readonly filePath: string;
  /**
   * Another file of the workspace, by path (absolute, or as the linted path is written), when the host
   * allows it: only inside the workspace, never through a link that leaves it, size-capped. Undefined
   * when the file is absent or not readable, and always without a host (a browser, a test without files).
   */
  readonly readFile?: (path: string) => string | undefined;
  report(report: Report): void;
}

export interface KubeRuleContext extends RuleContextBase {
  readonly object: KubeObject;
  /** The text of this YAML document only; spans and edits are relative to it. */
  readonly text: string;
  readonly edit: YamlEditor;
}

export interface DockerfileRuleContext extends RuleContextBase {
  readonly dockerfile: DockerfileModel;
  /** Span of an instruction or of an LSP range inside the Dockerfile. */
  spanOf(target: Instruction | Range): Span;
}

export interface KubernetesRule extends RuleMeta {
  readonly language: 'kubernetes';
  /**
   * Which objects the rule inspects: kind names, or `workloads` for everything that runs a pod
   * (built-in and custom). Documents of other kinds are not even parsed when no rule wants them.
   */
  readonly kinds: readonly string[] | 'workloads' | 'all';
  /**
   * `workspace` rules read other files through `ctx.workspace`, so their results are not cached
   * with the document.
   */
  readonly scope?: 'document' | 'workspace';
  /**
   * Kinds a workspace rule reads through `ctx.workspace` (e.g. `Namespace`): documents of these
   * kinds are parsed and indexed even though the rule does not inspect them itself.
   */
  readonly reads?: readonly string[];
  check(ctx: KubeRuleContext): void;
}

export interface DockerfileRule extends RuleMeta {
  readonly language: 'dockerfile';
  readonly scope?: 'document' | 'workspace';
  /**
   * Kubernetes kinds a workspace rule reads (e.g. skaffold's `Config`, `Service`, or `workloads`):
   * they are parsed and indexed.
   */
  readonly reads?: readonly string[];
  check(ctx: DockerfileRuleContext): void;
}

export interface TextRuleContext extends RuleContextBase {
  /** The whole file; spans and edits are offsets into it. */
  readonly text: string;
  readonly fileKind: FileKind;
  /**
   * For a Helm values file whose chart is known: where the chart's rendered manifests print a key of
   * this file, each place a `reference` (a Secret's name, `secretKeyRef.name`...) or `content`; the
   * chart is rendered on the first call only.
   */
  readonly valueUses?: (key: readonly (string | number)[]) => readonly ('reference' | 'content')[];
}

/**
 * A rule over a whole file that is neither a manifest nor a Dockerfile (Helm values, `.env` files):
 * it reads the text itself.
 */
export interface TextRule extends RuleMeta {
  readonly language: 'text';
  /** The file kinds it reads. */
  readonly fileKinds: readonly FileKind[];
  /** Kubernetes kinds the rule reads through `ctx.workspace`: they are parsed and indexed. */
  readonly reads?: readonly string[];
  check(ctx: TextRuleContext): void;
}

export interface HelmChartRuleContext extends RuleContextBase {
  /** Chart.yaml, parsed (a document that does not parse is not checked). */
  readonly doc: AnyDoc;
  readonly text: string;
  readonly edit: YamlEditor;
  /**
   * The chart's Chart.lock: its text, `null` when the chart has none, `undefined` when the linter
   * cannot look (an unsaved buffer, no file system).
   */
  readonly lockText: string | null | undefined;
  /** Packaged dependencies (`charts/*.tgz`) the loader could not read, and why; undefined when the chart was not loaded. */
  readonly archiveProblems?: readonly { archive: string; message: string }[];
}

/** Rules over a chart's `Chart.yaml` (its metadata and dependencies). */
export interface HelmChartRule extends RuleMeta {
  readonly language: 'helm-chart';
  check(ctx: HelmChartRuleContext): void;
}

/** Findings the engine itself makes (syntax errors, duplicate keys): listed and configurable like rules. */
export interface BuiltinRule extends RuleMeta {
  readonly language: 'yaml' | 'engine';
}

export type Rule = KubernetesRule | DockerfileRule | TextRule | HelmChartRule | BuiltinRule;

export interface EngineSettings {
  /** Pod Security Standards version rules evaluate against (`latest` or `v1.NN`). */
  readonly pssVersion: string;
  /** Kubernetes version (`1.30`, `latest`) control-plane defaults are judged by, when set. */
  readonly kubernetesVersion?: string;
  /** Per-setting values from config for rule packs (e.g. registry allow-lists). */
  readonly [key: string]: unknown;
}
