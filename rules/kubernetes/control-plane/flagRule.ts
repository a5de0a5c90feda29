/**
 * A control-plane check is a row of data (component, flag, condition, defaults, references,
 * prose); this template turns a row into a rule that reads the flag in every source that can hold
 * it (static pods, kubeadm extraArgs in both forms, kubeletExtraArgs, KubeletConfiguration fields).
 */
import { WORKLOAD_KINDS } from '../../../server/src/documents/kube';
import { RANCHER_CONFIG_KIND } from '../../../server/src/documents/rancherConfig';
import type { Applicability, Fix, KubeRuleContext, KubernetesRule, RuleMeta, Severity, TextEdit } from '../../../server/src/engine/rule';
import type { FlagType } from './args';
import { Condition, REMOVE, listItems } from './conditions';
import { RANCHER_ARG_KEY } from './rancherSources';
import { CLUSTER_API_KINDS, Component, ComponentSource, componentSources, Occurrence, SettingKey } from './sources';

export const CONTROL_PLANE_KINDS: readonly string[] = [
  ...WORKLOAD_KINDS,
  RANCHER_CONFIG_KIND,
  'ClusterConfiguration',
  'MasterConfiguration',
  'InitConfiguration',
  'JoinConfiguration',
  'KubeletConfiguration',
  ...CLUSTER_API_KINDS,
];

const KUBEADM_FILE_KINDS: readonly string[] = ['InitConfiguration', 'JoinConfiguration', 'ClusterConfiguration'];

const CIS_BENCHMARK = 'https://www.cisecurity.org/benchmark/kubernetes';

export interface FlagRow {
  readonly id: string;
  readonly title: string;
  readonly component: Component;
  /** The flag, without dashes. */
  readonly flag: string;
  readonly type: FlagType;
  readonly condition: Condition;
  /** The KubeletConfiguration field and how it is judged there (if not like the flag). */
  readonly field?: readonly string[];
  readonly fieldType?: SettingKey['fieldType'];
  readonly fieldCondition?: Condition;
  /** The component's default when the flag is absent (undefined: unset). */
  readonly default?: string;
  /**
   * The value kubeadm writes when its config says nothing (else the component default applies);
   * for kubelet rows, what kubeadm puts in the KubeletConfiguration it generates.
   */
  readonly kubeadm?: string;
  /** The KubeletConfiguration default (kubelet rows). */
  readonly kubeletConfig?: string;
  /** Other flags that must be set along with this one (cert and key pairs). */
  readonly with?: readonly { flag: string; field?: readonly string[] }[];
  /** The consequence, completing the message. */
  readonly why: string;
  readonly severity: Severity;
  readonly recommended: boolean;
  /** `cis-k8s:1.2.1` first (CIS Kubernetes Benchmark v1.24 numbering, as kube-bench `cfg/cis-1.24`), then the other tools' ids. */
  readonly references: readonly string[];
  readonly remediation: string;
  readonly description?: string;
  /** Applicability of the repair the condition proposes; none: no fix. */
  readonly fix?: Applicability;
  /**
   * Where defaults differ by Kubernetes version: the first entry whose `before` (a minor version)
   * is above the version in force replaces the row's defaults; `skip`: before that version the
   * setting does not exist or is not the advice, and nothing is judged.
   */
  readonly versions?: readonly VersionedDefaults[];
  /** An absent flag is not judged when one of these is given (`--authorization-config` replaces `--authorization-mode`). */
  readonly absentUnless?: readonly string[];
  readonly docsUrl?: string;
}

export interface VersionedDefaults {
  readonly before: number;
  readonly default?: string;
  readonly kubeadm?: string;
  readonly kubeletConfig?: string;
  readonly skip?: boolean;
}

/** `v1.30.2`, `1.30`, `v1.29.0-rc.1`: the minor version, or undefined when it is not a 1.x version. */
export function minorVersion(version: unknown): number | undefined {
  if (typeof version !== 'string') return undefined;
  const m = /^v?1\.(\d{1,3})(?:$|[.+-])/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/** The row as it applies in Kubernetes 1.`minor` (undefined: not judged in that version). */
export function rowAt(row: FlagRow, minor: number | undefined): { row: FlagRow; versioned: boolean } | undefined {
  if (minor === undefined || !row.versions) return { row, versioned: false };
  const era = row.versions.find((v) => minor < v.before);
  if (!era) return { row, versioned: false };
  if (era.skip) return undefined;
  const pick = (k: 'default' | 'kubeadm' | 'kubeletConfig') => (Object.hasOwn(era, k) ? era[k] : row[k]);
  return { row: { ...row, default: pick('default'), kubeadm: pick('kubeadm'), kubeletConfig: pick('kubeletConfig') }, versioned: true };
}

function keyOf(row: FlagRow, flag = row.flag, type = row.type): SettingKey {
  return { flag, type, field: flag === row.flag ? row.field : undefined, fieldType: row.fieldType };
}

/** The value in force: list flags accumulate over repeated occurrences (pflag slices append), others: the last wins. */
function effective(occurrences: readonly Occurrence[], type: FlagType): string {
  if (type === 'list' || type === 'map') return occurrences.map((o) => o.value).join(',');
  return occurrences[occurrences.length - 1].value;
}

function absentValue(row: FlagRow, source: ComponentSource): { value: string | undefined; whose: string } | undefined {
  switch (source.absent) {
    case 'component':
      return { value: row.default, whose: 'its default' };
    case 'kubeadm':
      // A KubeletConfiguration in a kubeadm config file: kubeadm's kubelet defaults, else the file's.
      if (source.form === 'kubelet-config')
        return row.field ? { value: row.kubeadm ?? row.kubeletConfig, whose: row.kubeadm !== undefined ? "kubeadm's default" : 'its default' } : undefined;
      return row.kubeadm !== undefined ? { value: row.kubeadm, whose: "kubeadm's default" } : { value: row.default, whose: 'its default' };
    case 'kubelet-config':
      return row.field ? { value: row.kubeletConfig, whose: 'its default' } : undefined;
    case 'own':
      return source.ownDefault?.(keyOf(row));
    default:
      return undefined;
  }
}

/** How the docs name a row's repair: "Set --profiling=false", "Remove --token-auth-file"... */
function repairTitle(row: FlagRow): string {
  if (row.condition.repairLabel) return row.condition.repairLabel;
  const sample = row.condition.repair?.(undefined, () => undefined);
  if (sample === REMOVE || sample === undefined) return `Remove --${row.flag}`;
  return `Set --${row.flag}=${sample}`;
}

function fixTitle(row: FlagRow, name: string, value: string | typeof REMOVE): string {
  return value === REMOVE ? `Remove ${name}` : `Set ${name} to ${value}`;
}

export function flagRule(row: FlagRow): KubernetesRule {
  const why = row.why.charAt(0).toUpperCase() + row.why.slice(1);
  const where =
    row.component === 'kubelet'
      ? `Read from \`KubeletConfiguration\` files${row.field ? '' : ' (no field: flag only)'}, the kubelet flags of kubeadm and Cluster API \`nodeRegistration.kubeletExtraArgs\` and k3s/RKE2 \`kubelet-arg\``
      : `Read from static pods running ${row.component} (recognised by the binary in their command), kubeadm \`ClusterConfiguration\` extraArgs (map and v1beta4 list forms, Cluster API included) and k3s/RKE2 \`${RANCHER_ARG_KEY[row.component]}\``;
  const docs =
    `${row.description ?? why}\n\n${where}. Requirement: \`--${row.flag}\` ${row.condition.requirement}` +
    (row.field ? ` (\`${row.field.join('.')}\` in KubeletConfiguration ${(row.fieldCondition ?? row.condition).requirement})` : '') +
    `. ${row.default !== undefined ? `Default: \`${row.default}\`.` : row.component === 'kubelet' ? '' : 'Unset by default.'}` +
    (row.versions ?? [])
      .map((v) => (v.skip ? ` Not judged before Kubernetes 1.${v.before}.` : ` Before Kubernetes 1.${v.before} the default is \`${v.default}\`.`))
      .join('') +
    (row.absentUnless ? ` Not judged when absent and \`--${row.absentUnless.join('`, `--')}\` is set.` : '');
  const meta: RuleMeta = {
    id: row.id,
    title: row.title,
    category: 'control-plane',
    severity: row.severity,
    description: docs,
    remediation: row.remediation,
    references: row.references,
    fixes: row.fix && row.condition.repair ? [{ title: repairTitle(row), applicability: row.fix }] : [],
    recommended: row.recommended,
    docsUrl: row.docsUrl ?? CIS_BENCHMARK,
  };
  const kubelet = row.component === 'kubelet';
  return {
    ...meta,
    language: 'kubernetes',
    kinds: CONTROL_PLANE_KINDS,
    // Kubelet rows look at the other documents of the file: kubeadm fills in a KubeletConfiguration
    // that sits beside its Init/Join/ClusterConfiguration.
    ...(kubelet ? { scope: 'workspace' as const, reads: KUBEADM_FILE_KINDS } : {}),
    check(ctx) {
      const kubeadmFile = kubelet && ctx.object.kind === 'KubeletConfiguration' && inKubeadmFile(ctx);
      const configured = minorVersion(ctx.settings.kubernetesVersion);
      for (const source of componentSources(ctx.object, ctx.text, ctx.edit, { kubeadmFile, filePath: ctx.filePath })) {
        if (source.component !== row.component) continue;
        // The version the file names (kubeadm's kubernetesVersion, the image tag) wins over the setting.
        const minor = minorVersion(source.version) ?? configured;
        const applies = rowAt(row, minor);
        if (!applies) continue;
        checkSource(applies.row, source, (r) => ctx.report(r), applies.versioned ? minor : undefined);
      }
    },
  };
}

/**
 * Whether the document's file also holds a kubeadm Init/Join/ClusterConfiguration. Asked by every
 * kubelet row of one lint pass; the editor is new for each pass, so the answer is kept per editor
 * (the first row's question records the workspace facts the lint depends on).
 */
const kubeadmFileMemo = new WeakMap<object, boolean>();

function inKubeadmFile(ctx: KubeRuleContext): boolean {
  const memo = kubeadmFileMemo.get(ctx.edit);
  if (memo !== undefined) return memo;
  const answer = KUBEADM_FILE_KINDS.some((k) => ctx.workspace.objects(k).some((o) => o.path === ctx.filePath));
  kubeadmFileMemo.set(ctx.edit, answer);
  return answer;
}

function checkSource(
  row: FlagRow,
  source: ComponentSource,
  report: (r: { at: Occurrence['at']; message: string; fixes?: Fix[] }) => void,
  versionedFor?: number,
): void {
  const key = keyOf(row);
  const name = source.nameOf(key);
  if (name === undefined) return;
  const condition = source.form === 'kubelet-config' && row.fieldCondition ? row.fieldCondition : row.condition;
  const other = (flag: string): string | undefined => {
    const occ = source.read(keyOf(row, flag, 'list'));
    return occ.length ? effective(occ, 'list') : undefined;
  };
  const occurrences = source.read(key);
  let value: string | undefined;
  let state: string;
  if (occurrences.length) {
    value = effective(occurrences, row.type);
    const shown = value === '' ? '""' : value;
    state = source.form === 'kubelet-config' ? `sets ${name}: ${shown}` : `sets ${name}=${shown}`;
  } else {
    if (row.absentUnless?.some((flag) => source.read(keyOf(row, flag, 'string')).length)) return;
    const absent = absentValue(row, source);
    if (!absent) return;
    value = absent.value;
    const whose = versionedFor !== undefined ? `${absent.whose} in Kubernetes 1.${versionedFor}` : absent.whose;
    state = value === undefined || value === '' ? `does not set ${name}` : `leaves ${name} at ${whose}, ${value}`;
  }
  // Certificate and key come in pairs: each missing partner is named (kubeadm writes both or neither).
  const missingPartners: string[] = [];
  for (const partner of row.with ?? []) {
    const partnerKey: SettingKey = { flag: partner.flag, type: 'string', field: partner.field, fieldType: 'string' };
    const partnerName = source.nameOf(partnerKey);
    if (partnerName === undefined || source.read(partnerKey).length) continue;
    if (source.absent === 'ignore' || source.absent === 'own' || (source.absent === 'kubeadm' && row.kubeadm !== undefined)) continue;
    if (source.form === 'kubelet-config' && !partner.field) continue;
    missingPartners.push(partnerName);
  }
  const problem = condition.judge(value, other);
  if (problem !== undefined) {
    const at = occurrences.length ? culpritOccurrence(occurrences, condition, value).at : source.anchor;
    const fixes = repairFixes(row, source, condition, key, name, occurrences, other);
    // Neither half of the pair is set: one finding names both.
    if (!occurrences.length && (value === undefined || value === '') && missingPartners.length) {
      state = `does not set ${[name, ...missingPartners].join(' or ')}`;
      missingPartners.length = 0;
    }
    report({ at, message: `${source.label} ${state}${problem ? ` (${problem})` : ''}: ${row.why}`, fixes });
  }
  for (const partnerName of missingPartners) report({ at: source.anchor, message: `${source.label} does not set ${partnerName}: ${row.why}` });
}

function culpritOccurrence(occurrences: readonly Occurrence[], condition: Condition, value: string | undefined): Occurrence {
  const item = value !== undefined ? condition.culprit?.(value) : undefined;
  if (item !== undefined) {
    for (let i = occurrences.length - 1; i >= 0; i--) {
      if (listItems(occurrences[i].value).some((v) => v === item || v.split('=')[0].trim() === item)) return occurrences[i];
    }
  }
  return occurrences[occurrences.length - 1];
}

function repairFixes(
  row: FlagRow,
  source: ComponentSource,
  condition: Condition,
  key: SettingKey,
  name: string,
  occurrences: readonly Occurrence[],
  other: (flag: string) => string | undefined,
): Fix[] | undefined {
  if (!row.fix || !condition.repair) return undefined;
  const repair = condition.repair;
  let title: string | undefined;
  const edits = (): TextEdit[] | undefined => {
    if (!occurrences.length) {
      // kubeadm writes its own value when extraArgs says nothing, and a value given replaces it:
      // build on it (`NodeRestriction` stays when AlwaysPullImages is added).
      const base = source.absent === 'kubeadm' && source.form === 'kubeadm' ? row.kubeadm : undefined;
      const v = repair(base, other);
      if (v === undefined || v === REMOVE) return undefined;
      title = fixTitle(row, name, v);
      return source.add(key, v);
    }
    const targets = condition.repairs === 'each' ? occurrences : [occurrences[occurrences.length - 1]];
    const out: TextEdit[] = [];
    for (const o of targets) {
      const v = repair(o.value, other);
      if (v === undefined) continue;
      if (v === o.value) continue;
      const e = v === REMOVE ? o.remove() : o.setValue(v);
      if (!e) return undefined;
      title ??= fixTitle(row, name, v);
      out.push(...e);
    }
    return out.length ? out : undefined;
  };
  // The fix's title names the value, so it is computed now; the edits are cheap to recompute.
  const first = edits();
  if (!first || title === undefined) return undefined;
  return [{ title, applicability: row.fix, edits: () => edits() ?? [] }];
}
