/**
 * k3s and RKE2 `config.yaml`: component flags live in lists of `flag=value` under
 * `kube-apiserver-arg`, `kube-controller-manager-arg`, `kube-scheduler-arg`, `etcd-arg` and
 * `kubelet-arg` (k3s trims a leading `--`; an item without `=` means `true`; repeated flags are
 * passed on in order, so the last wins as with a static pod). A few top-level keys are component
 * flags under another owner (`protect-kernel-defaults` is the kubelet's); the argument lists
 * override them, so they are read first.
 *
 * k3s and RKE2 pass their own value for most flags a file leaves out (anonymous auth off,
 * profiling off, Node,RBAC, NodeRestriction...), so an absent flag is judged only where the
 * distribution's default is known here; everywhere else only values the file gives are.
 */
import { isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { KubeObject } from '../../../server/src/documents/kube';
import { isRancherConfigPath, isRancherDropIn, rancherConfigEvidence, rancherDistribution } from '../../../server/src/documents/rancherConfig';
import { AnyDoc, deref, findPair, getString, seqItems } from '../../../server/src/documents/yamlNodes';
import type { TextEdit } from '../../../server/src/engine/rule';
import type { YamlEditor } from '../../../server/src/engine/yamlEditor';
import type { Component, ComponentSource, Occurrence, SettingKey } from './sources';
import { styledScalar } from './yamlText';

export type Distribution = 'k3s' | 'rke2';

/** The list each component's flags are given in. */
export const RANCHER_ARG_KEY: Record<Component, string> = {
  'kube-apiserver': 'kube-apiserver-arg',
  'kube-controller-manager': 'kube-controller-manager-arg',
  'kube-scheduler': 'kube-scheduler-arg',
  etcd: 'etcd-arg',
  kubelet: 'kubelet-arg',
};

const ARG_KEYS = (Object.keys(RANCHER_ARG_KEY) as Component[]).map((component) => ({ component, key: RANCHER_ARG_KEY[component] }));

/** Keys only RKE2 reads: a file with one of them is RKE2's. */
const RKE2_ONLY_KEYS: readonly string[] = [
  'profile',
  'cni',
  'audit-policy-file',
  'pod-security-admission-config-file',
  'control-plane-resource-requests',
  'control-plane-resource-limits',
  'kube-apiserver-image',
  'etcd-image',
  'runtime-image',
  'kube-apiserver-extra-mount',
];

/**
 * Top-level keys that set a component flag, with the distribution's value when the key is absent.
 * `protect-kernel-defaults`: off in k3s and RKE2, on under RKE2's CIS profile.
 */
const TOP_LEVEL_FLAGS: readonly {
  component: Component;
  flag: string;
  key: string;
  absent: (d: Distribution | undefined, root: YAMLMap, doc: AnyDoc) => string | undefined;
}[] = [
  {
    component: 'kubelet',
    flag: 'protect-kernel-defaults',
    key: 'protect-kernel-defaults',
    absent: (d, root, doc) => (d === 'rke2' && /^cis/.test(getString(root, 'profile', doc) ?? '') ? 'true' : d ? 'false' : undefined),
  },
];

/** Whether this object is a k3s/RKE2 configuration: by its content, or by its keys at k3s/RKE2's path. */
export function isRancherConfig(object: KubeObject, filePath: string | undefined): boolean {
  if (!isMap(object.node)) return false;
  const evidence = rancherConfigEvidence(object.node);
  return evidence === 'content' || (evidence === 'keys' && filePath !== undefined && isRancherConfigPath(filePath));
}

/** k3s or RKE2, when the path or an RKE2-only key says which; undefined when nothing does. */
export function distributionOf(root: YAMLMap, doc: AnyDoc, filePath: string | undefined): Distribution | undefined {
  if (RKE2_ONLY_KEYS.some((k) => findPair(root, k, doc))) return 'rke2';
  return filePath ? rancherDistribution(filePath) : undefined;
}

export function rancherLabel(distribution: Distribution | undefined): string {
  return distribution === 'rke2' ? 'RKE2 config' : distribution === 'k3s' ? 'k3s config' : 'k3s/RKE2 config';
}

export function rancherSources(object: KubeObject, editor: YamlEditor, filePath: string | undefined): ComponentSource[] {
  const root = object.node;
  const doc = object.doc;
  const distribution = distributionOf(root, doc, filePath);
  const where = rancherLabel(distribution);
  // A drop-in holds part of the configuration: what it leaves out, config.yaml or another drop-in may set.
  const partial = filePath !== undefined && isRancherDropIn(filePath);
  return ARG_KEYS.map(({ component, key }) => {
    const pair = findPair(root, key, doc);
    const list = pair ? deref(pair.value, doc) : undefined;
    const topLevel = TOP_LEVEL_FLAGS.filter((t) => t.component === component);
    return {
      component,
      form: 'rancher',
      label: `${component} in ${where} (${key})`,
      absent: 'own',
      // Missing settings are reported on the argument list, else on the file's first key.
      anchor: (pair?.key && isScalar(pair.key) ? pair.key : undefined) ?? (isScalar(root.items[0]?.key) ? root.items[0].key : object.anchor),
      nameOf: (k: SettingKey) => `--${k.flag}`,
      ownDefault: (k: SettingKey) => {
        const top = topLevel.find((t) => t.flag === k.flag);
        const value = partial ? undefined : top?.absent(distribution, root, doc);
        return value === undefined ? undefined : { value, whose: `the ${distribution === 'rke2' ? 'RKE2' : 'k3s'} default` };
      },
      read: (k: SettingKey) => {
        const out: Occurrence[] = [];
        for (const top of topLevel) if (top.flag === k.flag) out.push(...topLevelOccurrence(root, top.key, doc, editor));
        if (isSeq(list)) {
          for (const item of seqItems(list, doc)) if (isScalar(item)) out.push(...argOccurrence(item, k.flag, list, editor, pair));
        } else if (isScalar(list) && pair) {
          out.push(...argOccurrence(list, k.flag, undefined, editor, pair, root));
        }
        return out;
      },
      add: (k: SettingKey, value: string): TextEdit[] | undefined => {
        const top = topLevel.find((t) => t.flag === k.flag);
        if (top && !isSeq(list)) return [editor.insertPair(root, top.key, value === 'true' ? true : value === 'false' ? false : value)];
        if (isSeq(list)) return [appendStyled(list, `${k.flag}=${value}`, editor)];
        if (pair) return undefined; // a single string or an odd value: rewriting it is the operator's call
        return [editor.insertPair(root, key, [`${k.flag}=${value}`])];
      },
    } satisfies ComponentSource;
  });
}

/** One `flag=value` item (or the whole value, when the key holds one string), if it sets `flag`. */
function argOccurrence(item: Scalar, flag: string, seq: YAMLSeq | undefined, editor: YamlEditor, owner: Pair | undefined, root?: YAMLMap): Occurrence[] {
  if (item.value == null || !item.range) return [];
  const text = String(item.value);
  const prefix = text.startsWith('--') ? '--' : '';
  const body = text.slice(prefix.length);
  const eq = body.indexOf('=');
  const name = (eq < 0 ? body : body.slice(0, eq)).trim();
  if (name !== flag) return [];
  const flow = !!seq?.flow;
  return [
    {
      value: eq < 0 ? 'true' : body.slice(eq + 1),
      at: item,
      setValue: (v: string) => [editor.replace(item, styledScalar(`${prefix}${flag}=${v}`, item, flow))],
      remove: () => {
        if (seq) return flow ? undefined : [editor.removeSeqItem(seq, item, owner)];
        return root && owner ? [editor.removePair(root, owner)] : undefined;
      },
    },
  ];
}

function topLevelOccurrence(root: YAMLMap, key: string, doc: AnyDoc, editor: YamlEditor): Occurrence[] {
  const pair = findPair(root, key, doc);
  const node = pair ? deref(pair.value, doc) : undefined;
  if (!pair || !isScalar(node) || node.value == null || !node.range) return [];
  return [
    {
      value: String(node.value),
      at: pair,
      setValue: (v: string) => [editor.replace(node, typeof node.value === 'boolean' && (v === 'true' || v === 'false') ? v : styledScalar(v, node, false))],
      remove: () => [editor.removePair(root, pair)],
    },
  ];
}

function appendStyled(seq: YAMLSeq, word: string, editor: YamlEditor): TextEdit {
  const edit = editor.appendToSeq(seq, word);
  const last = seq.items[seq.items.length - 1];
  const styled = styledScalar(word, isScalar(last) ? last : undefined, !!seq.flow);
  return { ...edit, newText: edit.newText.replace(editor.flow(word), () => styled) };
}
