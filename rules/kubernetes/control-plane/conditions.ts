/**
 * The handful of templates every control-plane row is written with, in the style of KubeLinter's
 * templates: "must be X", "must not be X", "must be set", "must not be set", "a list must include /
 * exclude X", "at least N", "not a zero duration", "loopback only", "only these values", "a feature
 * gate not off", "an admission plugin on / off". Each judges the effective value (after defaults)
 * and says how to repair one occurrence.
 */

/** Remove the flag (or field) altogether. */
export const REMOVE = Symbol('remove');

export interface Condition {
  /** The requirement, for the generated docs: `must be false`. */
  readonly requirement: string;
  /**
   * `undefined` when the value is fine, else a short phrase for the message (`''` when the value
   * speaks for itself). `value` is undefined when the setting is absent and has no default.
   */
  judge(value: string | undefined, other: (flag: string) => string | undefined): string | undefined;
  /** The list item that makes the value wrong, to point at the occurrence holding it. */
  culprit?(value: string): string | undefined;
  /**
   * The repaired value of one occurrence (`current` undefined: the flag is added). Undefined when
   * no value is certain (a file path only the operator knows).
   */
  repair?(current: string | undefined, other: (flag: string) => string | undefined): string | typeof REMOVE | undefined;
  /** How the generated docs name the repair, when "set the flag to X" does not say it. */
  readonly repairLabel?: string;
  /** `each`: every occurrence is repaired (list items spread over repeated flags); else the last. */
  readonly repairs?: 'each' | 'last';
}

const BOOL_TEXT: Record<string, string> = {
  '1': 'true',
  t: 'true',
  T: 'true',
  TRUE: 'true',
  true: 'true',
  True: 'true',
  '0': 'false',
  f: 'false',
  F: 'false',
  FALSE: 'false',
  false: 'false',
  False: 'false',
};

/** pflag's ParseBool spellings, normalised. */
export function boolText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Object.hasOwn(BOOL_TEXT, value) ? BOOL_TEXT[value] : value;
}

/** Equal as the component reads it: booleans in any of pflag's spellings, anything else exactly. */
function same(value: string | undefined, expected: string): boolean {
  if (value === undefined) return false;
  if (expected === 'true' || expected === 'false') return boolText(value.trim()) === expected;
  return value.trim() === expected;
}

export function listItems(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function mustBe(expected: string): Condition {
  return {
    requirement: `must be \`${expected}\``,
    judge: (v) => (same(v, expected) ? undefined : ''),
    repair: () => expected,
  };
}

export function mustNotBe(bad: string, replacement?: string): Condition {
  return {
    requirement: `must not be \`${bad}\``,
    judge: (v) => (same(v, bad) ? '' : undefined),
    repair: replacement === undefined ? undefined : () => replacement,
  };
}

export function mustBeSet(): Condition {
  return { requirement: 'must be set', judge: (v) => (v === undefined || v === '' ? '' : undefined) };
}

/** Must be set once `flag` is: an audit log path without a policy file logs nothing. */
export function mustBeSetWith(flag: string): Condition {
  return {
    requirement: `must be set when \`--${flag}\` is`,
    judge: (v, other) => (other(flag) && (v === undefined || v === '') ? `--${flag} is set` : undefined),
  };
}

export function mustNotBeSet(): Condition {
  return { requirement: 'must not be set', judge: (v) => (v === undefined || v === '' ? undefined : ''), repair: () => REMOVE, repairs: 'each' };
}

export function listIncludes(item: string): Condition {
  return {
    requirement: `must include \`${item}\``,
    repairLabel: `Add ${item} to the list`,
    judge: (v) => (listItems(v).includes(item) ? undefined : `no ${item}`),
    repair: (current) => [...listItems(current), item].join(','),
  };
}

/** `replacement` when removing the item leaves the list empty (an empty authorization mode is an error). */
export function listExcludes(item: string, replacement?: string): Condition {
  return {
    requirement: `must not include \`${item}\``,
    repairLabel: `Remove ${item} from the list${replacement ? ` (${replacement} if nothing is left)` : ''}`,
    judge: (v) => (listItems(v).includes(item) ? '' : undefined),
    culprit: () => item,
    repair: (current) => {
      const rest = listItems(current).filter((i) => i !== item);
      if (rest.length) return rest.join(',');
      return replacement ?? REMOVE;
    },
    repairs: 'each',
  };
}

/** A whole number at least `min`; `applies` names a flag that must be set for this to matter. */
export function atLeast(min: number, applies?: string): Condition {
  return {
    requirement: `must be at least ${min}${applies ? ` (when \`--${applies}\` is set)` : ''}`,
    judge: (v, other) => {
      if (applies && !other(applies)) return undefined;
      const n = v === undefined ? 0 : Number(v);
      if (v !== undefined && !/^-?\d{1,15}$/.test(v.trim())) return undefined; // not a number: the component rejects it
      return n >= min ? undefined : `below ${min}`;
    },
    repair: () => String(min),
  };
}

/**
 * A rate limit (events a second) of at least `min` when positive: `0` stands for the client
 * default, and a negative value is rejected by the component.
 */
export function rateAtLeast(min: number): Condition {
  return {
    requirement: `must be 0 or at least ${min}`,
    judge: (v) => {
      if (v === undefined || !/^-?\d{1,15}$/.test(v.trim())) return undefined;
      const n = Number(v);
      return n > 0 && n < min ? `below ${min} a second` : undefined;
    },
  };
}

/** A count limit where 0 or a negative number (the default -1) means no limit. */
export function positiveLimit(): Condition {
  return {
    requirement: 'must be a positive number',
    judge: (v) => {
      if (v === undefined || v.trim() === '') return 'no limit';
      if (!/^-?\d{1,15}$/.test(v.trim())) return undefined; // not a number: the kubelet rejects it
      return Number(v) > 0 ? undefined : 'no limit';
    },
  };
}

/** A Go duration that is not zero (`0`, `0s`, `0m0s`...): zero disables the timeout. */
export function nonZeroDuration(replacement: string): Condition {
  return {
    requirement: 'must not be 0',
    judge: (v) => (v !== undefined && isZeroDuration(v) ? 'no timeout' : undefined),
    repair: () => replacement,
  };
}

export function isZeroDuration(v: string): boolean {
  const s = v.trim();
  if (s === '') return false;
  // Every digit is zero and only unit letters follow: 0, 0s, 0h0m0s, 0.0s.
  for (const c of s) if (!(c === '0' || c === '.' || (c >= 'a' && c <= 'z') || c === 'µ')) return false;
  return /^0/.test(s);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function loopbackOnly(): Condition {
  return {
    requirement: 'must be `127.0.0.1`',
    judge: (v) => (v !== undefined && LOOPBACK.has(v.trim()) ? undefined : v === undefined || v === '' ? 'all interfaces' : ''),
    repair: () => '127.0.0.1',
  };
}

/** Every item from `allowed`; `absentOk` when leaving the flag out is acceptable. */
export function onlyFrom(allowed: readonly string[], what: string): Condition {
  const set = new Set(allowed);
  return {
    requirement: `must list only ${what}`,
    judge: (v) => {
      if (v === undefined || v === '') return `the Go defaults, which include CBC and RSA key-exchange suites`;
      const weak = listItems(v).filter((i) => !set.has(i));
      return weak.length ? `${weak.join(', ')} ${weak.length === 1 ? 'is' : 'are'} not among ${what}` : undefined;
    },
    culprit: (v) => listItems(v).find((i) => !set.has(i)),
  };
}

/** `--feature-gates=A=true,B=false`: the gate must not be turned off. */
export function gateNotOff(gate: string): Condition {
  return {
    requirement: `must not turn \`${gate}\` off`,
    repairLabel: `Set ${gate}=true`,
    judge: (v) => {
      for (const entry of listItems(v)) {
        const eq = entry.indexOf('=');
        if (eq > 0 && entry.slice(0, eq).trim() === gate && boolText(entry.slice(eq + 1).trim()) === 'false') return `${gate}=false`;
      }
      return undefined;
    },
    culprit: () => gate,
    repair: (current) =>
      listItems(current)
        .map((e) => (e.split('=')[0].trim() === gate ? `${gate}=true` : e))
        .join(','),
    repairs: 'each',
  };
}

/**
 * Admission plugins on by default in current Kubernetes (kube-apiserver --help): a plugin from
 * this list is on unless `--disable-admission-plugins` names it.
 */
export const DEFAULT_ADMISSION_PLUGINS: ReadonlySet<string> = new Set([
  'CertificateApproval',
  'CertificateSigning',
  'CertificateSubjectRestriction',
  'ClusterTrustBundleAttest',
  'DefaultIngressClass',
  'DefaultStorageClass',
  'DefaultTolerationSeconds',
  'LimitRanger',
  'MutatingAdmissionWebhook',
  'NamespaceLifecycle',
  'PersistentVolumeClaimResize',
  'PodSecurity',
  'Priority',
  'ResourceQuota',
  'RuntimeClass',
  'ServiceAccount',
  'StorageObjectInUseProtection',
  'TaintNodesByCondition',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
]);

/** Read on `--enable-admission-plugins`; consults `--disable-admission-plugins`. */
export function admissionPluginOn(plugin: string): Condition {
  return {
    requirement: `must enable \`${plugin}\``,
    repairLabel: `Add ${plugin} to --enable-admission-plugins`,
    judge: (enabled, other) => {
      if (listItems(other('disable-admission-plugins')).includes(plugin)) return `--disable-admission-plugins turns ${plugin} off`;
      if (DEFAULT_ADMISSION_PLUGINS.has(plugin) || listItems(enabled).includes(plugin)) return undefined;
      return `no ${plugin}`;
    },
    // Named in both lists, kube-apiserver refuses to start: only the operator can choose.
    repair: (current, other) =>
      listItems(other('disable-admission-plugins')).includes(plugin) || listItems(current).includes(plugin)
        ? undefined
        : [...listItems(current), plugin].join(','),
  };
}

export function admissionPluginOff(plugin: string): Condition {
  return {
    requirement: `must not enable \`${plugin}\``,
    repairLabel: `Remove ${plugin} from --enable-admission-plugins`,
    judge: (enabled) => (listItems(enabled).includes(plugin) ? '' : undefined),
    culprit: () => plugin,
    repair: (current) => {
      const rest = listItems(current).filter((i) => i !== plugin);
      return rest.length ? rest.join(',') : REMOVE;
    },
    repairs: 'each',
  };
}
