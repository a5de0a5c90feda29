/**
 * Which language a file is, decided by its name and, for YAML, by its content: a workspace holds
 * GitHub workflows, compose files and tool configs too, and those must be skipped quietly.
 */
import { looksLikeRancherConfig } from './rancherConfig';
export type FileKind =
  | 'kubernetes'
  | 'kubeconfig'
  | 'helm-chart'
  | 'helm-values'
  | 'helm-template'
  | 'dockerfile'
  /** `.env` files: `KEY=value` lines read by docker compose, kustomize `envs` and app frameworks. */
  | 'dotenv'
  | 'bulkhead-config'
  /** docker-compose files: indexed (which Dockerfile builds which service), not linted. */
  | 'compose'
  | 'other';

const YAML_EXT = /\.ya?ml$/i;

/** What follows the last `/` or `\\` (all of `path` without one). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Decided from the name alone; `undefined` means the content decides. */
export function classifyByName(path: string): FileKind | undefined {
  const name = baseName(path);
  const lower = name.toLowerCase();
  if (lower === 'dockerfile' || lower === 'containerfile' || /^(docker|container)file[.-]/i.test(name) || /\.(docker|container)file$/i.test(name)) {
    return 'dockerfile';
  }
  if (lower === '.bulkhead.yaml' || lower === '.bulkhead.yml') return 'bulkhead-config';
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name)) return 'compose';
  if (lower === 'chart.yaml' || lower === 'chart.yml') return 'helm-chart';
  if (lower.endsWith('.tpl')) return 'helm-template';
  if (/[\\/]\.kube[\\/]config$/.test(path) || lower === 'kubeconfig') return 'kubeconfig';
  if (/^\.env(?:\.[\w-]+)?$|^[\w-]+\.env$/.test(lower))
    return /[.-](?:example|sample|template|dist|defaults?|schema|tpl)$|^(?:example|sample|template)\b/.test(lower) ? 'other' : 'dotenv';
  // kustomize's `Kustomization` file has no extension; the content (any YAML) decides nothing more.
  if (name === 'Kustomization') return undefined;
  // A kubeconfig is recognised by its content whatever its name (`admin.conf`, `prod-kubeconfig`).
  if (!YAML_EXT.test(name) && (lower === 'config' || lower.endsWith('.conf') || lower.includes('kubeconfig'))) return undefined;
  // Other names a kubeconfig is saved under (`prodcluster`, `admin.cfg`, `kube.config`): the content
  // decides, once a walk has looked inside (see `kubeconfigByContentOnly`).
  if (kubeconfigByContentOnly(name)) return undefined;
  if (!YAML_EXT.test(name)) return 'other';
  return undefined;
}

/**
 * Names that say nothing of what the file is (no extension, or `.cfg`, `.config`, `.kube`, `.kubecfg`),
 * under which only a kubeconfig is linted. A folder walk reads such a file's content before taking it
 * (`LICENSE`, scripts and binaries are not kubeconfigs, and are left out without a word).
 */
export function kubeconfigByContentOnly(name: string): boolean {
  const base = baseName(name);
  const dot = base.lastIndexOf('.');
  return dot <= 0 || /\.(?:cfg|config|kube|kubecfg)$/i.test(base);
}

const TOP_LEVEL_API_VERSION = /^(?:"apiVersion"|'apiVersion'|apiVersion)\s*:/m;
const TOP_LEVEL_KIND = /^(?:"kind"|'kind'|kind)\s*:\s*["']?([A-Za-z0-9]+)/m;
const FLOW_MANIFEST = /^\s*\{[^]*?["']?apiVersion["']?\s*:/;
const TEMPLATE_ACTION = /\{\{-?\s/;

/**
 * @param isInChart whether a `Chart.yaml` sits in an ancestor folder (callers with a file system
 *   answer it; without one, the `templates/` folder name and template syntax decide)
 */
export function classify(path: string, text: string, isInChart?: (path: string) => boolean): FileKind {
  const byName = classifyByName(path);
  if (byName !== undefined) return byName;
  // kustomize reads these names as a Kustomization, with or without `apiVersion`/`kind`.
  if (kindImpliedByPath(path) && !TEMPLATE_ACTION.test(text)) return 'kubernetes';
  if (!YAML_EXT.test(baseName(path))) return isKubeconfigText(text) ? 'kubeconfig' : 'other';
  const normalized = path.replace(/\\/g, '/');
  const inTemplatesDir = /(^|\/)templates\//.test(normalized);
  const chart = isInChart ? isInChart(path) : undefined;
  if (inTemplatesDir && (chart === true || (chart === undefined && TEMPLATE_ACTION.test(text)))) {
    return 'helm-template';
  }
  const name = baseName(path).toLowerCase();
  if (/^values([.-].*)?\.ya?ml$/.test(name) && (chart === true || !TOP_LEVEL_KIND.test(text))) {
    return 'helm-values';
  }
  // A chart's test values files (`ci/*.yaml`, which chart-testing installs the chart with).
  if (chart === true && /(^|\/)ci\/[^/]+\.ya?ml$/.test(normalized) && !TOP_LEVEL_KIND.test(text)) return 'helm-values';
  const kind = TOP_LEVEL_KIND.exec(text)?.[1];
  if (kind === 'Config' && isKubeconfigText(text)) return 'kubeconfig';
  if ((kind && TOP_LEVEL_API_VERSION.test(text)) || FLOW_MANIFEST.test(text)) return 'kubernetes';
  // A `kind: List` or a file whose only top-level keys are indented under a document marker.
  if (/^\s{0,8}apiVersion\s*:/m.test(text) && /^\s{0,8}kind\s*:/m.test(text)) return 'kubernetes';
  // k3s/RKE2 config.yaml: no apiVersion or kind, recognised by its keys; the control-plane rules read it.
  if (looksLikeRancherConfig(normalized, text)) return 'kubernetes';
  return 'other';
}

/** `kind: Config` with `clusters`, `users` or `contexts` at the top level. */
export function isKubeconfigText(text: string): boolean {
  return TOP_LEVEL_KIND.exec(text)?.[1] === 'Config' && /^(clusters|users|contexts)\s*:/m.test(text);
}

export function isLintable(kind: FileKind): boolean {
  return kind === 'kubernetes' || kind === 'dockerfile' || kind === 'kubeconfig' || kind === 'dotenv' || kind === 'helm-values';
}

/** File names kustomize reads as a Kustomization (`apiVersion` and `kind` are optional in them). */
const KUSTOMIZATION_FILE_NAMES: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** The kind a document without `kind` has because of its file's name, if any. */
export function kindImpliedByPath(path: string): string | undefined {
  return KUSTOMIZATION_FILE_NAMES.has(baseName(path)) ? 'Kustomization' : undefined;
}
