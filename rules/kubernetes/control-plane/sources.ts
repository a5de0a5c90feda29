/**
 * Where a control-plane component's settings live in a file, each behind one interface so a check
 * is written once: the `command`/`args` of a static pod (recognised by its binary, not its file
 * name), kubeadm `ClusterConfiguration` extraArgs (map form, and v1beta4's list of name/value),
 * kubeadm `nodeRegistration.kubeletExtraArgs`, and `KubeletConfiguration` fields.
 */
import { isMap, isScalar, isSeq, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { KubeObject } from '../../../server/src/documents/kube';
import {
  AnyDoc,
  deref,
  findPair,
  getIn,
  getMap,
  getSeq,
  getString,
  keyString,
  mapEntries,
  scalarValue,
  seqItems,
} from '../../../server/src/documents/yamlNodes';
import type { Target, TextEdit } from '../../../server/src/engine/rule';
import type { YamlEditor, YamlValue } from '../../../server/src/engine/yamlEditor';
import { styledScalar } from './yamlText';
import { RANCHER_CONFIG_KIND } from '../../../server/src/documents/rancherConfig';
import { isRancherConfig, rancherSources } from './rancherSources';
import { baseNameOf, isShellCommandFlag, containerArgv, ContainerArgv, FlagType, flagOccurrences } from './args';

export type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd' | 'kubelet';

/** What an absent setting means in this source. */
export type AbsentMeaning =
  /** the component's own default (a static pod's command line) */
  | 'component'
  /** the value kubeadm writes into the manifest it generates */
  | 'kubeadm'
  /** the KubeletConfiguration default, which differs from the kubelet flag's for several settings */
  | 'kubelet-config'
  /** nothing to judge: another file (kubeadm's generated KubeletConfiguration) decides */
  | 'ignore'
  /** the source knows the default of some settings (`ownDefault`), and judges no other absent one */
  | 'own';

/** One place a setting is given, in any form. */
export interface Occurrence {
  readonly value: string;
  readonly at: Target;
  setValue(value: string): TextEdit[] | undefined;
  remove(): TextEdit[] | undefined;
}

/** What a flag row tells a source about the setting it looks for. */
export interface SettingKey {
  readonly flag: string;
  readonly type: FlagType;
  /** The KubeletConfiguration field path, for kubelet settings. */
  readonly field?: readonly string[];
  /** The YAML type of that field, for writing it. */
  readonly fieldType?: 'bool' | 'int' | 'string' | 'list';
}

export interface ComponentSource {
  readonly component: Component;
  readonly form: 'static-pod' | 'kubeadm' | 'kubelet-config' | 'kubelet-flags' | 'rancher';
  /** How messages name it: `kube-apiserver in Pod/kube-apiserver`. */
  readonly label: string;
  readonly absent: AbsentMeaning;
  /** What to underline when a setting is missing. */
  readonly anchor: Target;
  /** How the setting is spelled here: `--profiling`, `authentication.anonymous.enabled`. */
  nameOf(key: SettingKey): string | undefined;
  read(key: SettingKey): Occurrence[];
  /** Edits adding the setting with `value`, in the source's own form; undefined if not possible. */
  add(key: SettingKey, value: string): TextEdit[] | undefined;
  /** The Kubernetes version the file names (`kubernetesVersion: v1.30.0`, an image tag), when it does. */
  readonly version?: string;
  /** With `absent: 'own'`: the value in force when the setting is absent, and whose default it is. */
  ownDefault?(key: SettingKey): { value: string; whose: string } | undefined;
}

const POD_COMPONENTS: ReadonlySet<string> = new Set(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']);
const HYPERKUBE_ALIASES: Record<string, Component> = {
  apiserver: 'kube-apiserver',
  'kube-apiserver': 'kube-apiserver',
  'controller-manager': 'kube-controller-manager',
  'kube-controller-manager': 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  'kube-scheduler': 'kube-scheduler',
};

/** The component a container runs, read from its command (hyperkube and `sh -c` scripts included). */
export function componentOf(argv: ContainerArgv, image: string | undefined, hasCommand: boolean): Component | undefined {
  const words = argv.tokens.map((t) => t.text);
  let i = 0;
  // `sh -c "exec kube-apiserver ..."`, `env A=b kube-apiserver`: skip the launcher words.
  for (; i < words.length && i < 8; i++) {
    const w = baseNameOf(words[i]);
    if (/^(sh|bash|ash|dash|zsh|exec|env|nice|tini|dumb-init|--)$/.test(w) || isShellCommandFlag(w) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) continue;
    break;
  }
  const first = words[i] === undefined ? undefined : baseNameOf(words[i]);
  if (first === 'hyperkube' && words[i + 1] !== undefined) {
    const sub = HYPERKUBE_ALIASES[baseNameOf(words[i + 1])];
    if (sub) return sub;
  }
  if (first !== undefined && hasCommand) return POD_COMPONENTS.has(first) ? (first as Component) : undefined;
  // No command: the image's entrypoint runs, and the official images are named after the binary.
  if (!hasCommand && image) {
    const ref = image.split('@')[0];
    const colon = ref.lastIndexOf(':');
    const repo = colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
    const name = baseNameOf(repo);
    if (POD_COMPONENTS.has(name)) return name as Component;
  }
  return undefined;
}

/**
 * Sixty-odd rows read the same object: its sources (the tokenised command lines) are built once per
 * object and editor, i.e. once per lint of its document.
 */
const cache = new WeakMap<object, { editor: YamlEditor; kubeadmFile: boolean; filePath: string | undefined; sources: ComponentSource[] }>();

/** Every component configuration one object holds. */
export function componentSources(
  object: KubeObject,
  text: string,
  editor: YamlEditor,
  context: { kubeadmFile?: boolean; filePath?: string } = {},
): ComponentSource[] {
  const kubeadmFile = context.kubeadmFile === true;
  const filePath = context.filePath;
  const hit = cache.get(object.node);
  if (hit && hit.editor === editor && hit.kubeadmFile === kubeadmFile && hit.filePath === filePath) return hit.sources;
  const sources = buildSources(object, text, editor, { kubeadmFile, filePath });
  cache.set(object.node, { editor, kubeadmFile, filePath, sources });
  return sources;
}

function buildSources(
  object: KubeObject,
  text: string,
  editor: YamlEditor,
  context: { kubeadmFile: boolean; filePath: string | undefined },
): ComponentSource[] {
  const kind = object.kind;
  const doc = object.doc;
  if (kind === RANCHER_CONFIG_KIND) return isRancherConfig(object, context.filePath) ? rancherSources(object, editor, context.filePath) : [];
  if (kind === 'ClusterConfiguration' || kind === 'MasterConfiguration') return kubeadmSources(object, editor, [], kind, kubeadmListForm(object.apiVersion));
  if (kind === 'KubeletConfiguration') return [kubeletConfigSource(object, editor, context.kubeadmFile === true)];
  if (kind === 'InitConfiguration' || kind === 'JoinConfiguration') return kubeletExtraArgsSources(object, editor, [], kind);
  const capi = clusterApiPrefix(kind);
  if (capi && (object.apiVersion ?? '').includes('cluster.x-k8s.io/')) {
    // Cluster API embeds kubeadm's configuration; v1beta2 took over kubeadm v1beta4's list form.
    const listForm = (object.apiVersion ?? '').endsWith('/v1beta2');
    return [
      ...kubeadmSources(object, editor, [...capi, 'clusterConfiguration'], object.label, listForm),
      ...kubeletExtraArgsSources(object, editor, [...capi, 'initConfiguration'], object.label),
      ...kubeletExtraArgsSources(object, editor, [...capi, 'joinConfiguration'], object.label),
    ];
  }
  const pod = object.podSpec();
  if (!pod) return [];
  const out: ComponentSource[] = [];
  for (const container of pod.containers(['containers', 'initContainers'])) {
    const argv = containerArgv(container, doc, text);
    const hasCommand = !!getSeq(container.node, 'command', doc);
    const component = componentOf(argv, container.image, hasCommand);
    if (!component) continue;
    const label = `${component} in ${object.label}`;
    // etcd also runs as an application's datastore (StatefulSets of charts): there only flags that
    // are given are judged; CIS defaults apply to the cluster's own etcd (a static pod, kube-system).
    const absent: AbsentMeaning = component !== 'etcd' || isClusterEtcd(object) ? 'component' : 'ignore';
    const anchor: Target = findPair(container.node, 'command', doc) ?? findPair(container.node, 'args', doc) ?? container.anchor;
    out.push({
      component,
      form: 'static-pod',
      // etcd's image is tagged with etcd's own version.
      version: component === 'etcd' ? undefined : imageTag(container.image),
      label,
      absent,
      anchor,
      nameOf: (key) => `--${key.flag}`,
      read: (key) =>
        flagOccurrences(argv, key.flag, key.type, component === 'etcd').map((o) => ({
          value: o.value,
          at: o.span ?? o.fallback,
          setValue: (v: string) => o.setValue(editor, v),
          remove: () => o.remove(editor),
        })),
      add: (key, value) => addToArgv(argv, editor, `--${key.flag}=${value}`),
    });
  }
  return out;
}

function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const ref = image.split('@')[0];
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : undefined;
}

function isClusterEtcd(object: KubeObject): boolean {
  if (object.kind === 'Pod' || object.namespace === 'kube-system') return true;
  const labels = object.labels();
  return labels.get('component')?.value === 'etcd' || labels.get('tier')?.value === 'control-plane';
}

function addToArgv(argv: ContainerArgv, editor: YamlEditor, word: string): TextEdit[] | undefined {
  if (argv.scripted) {
    // After the script's last word, when it is where the script says it is.
    const last = argv.tokens[argv.tokens.length - 1];
    if (!last?.inScript || !last.span) return undefined;
    if (editor.text[last.span.end] === '\\') return undefined;
    return [{ start: last.span.end, end: last.span.end, newText: ` ${word}` }];
  }
  if (!argv.flagSeq) return undefined;
  const edit = editor.appendToSeq(argv.flagSeq, word);
  // In the style of the list's last item: plain `- --flag=value` stays plain.
  const last = argv.flagSeq.items[argv.flagSeq.items.length - 1];
  const styled = styledScalar(word, isScalar(last) ? last : undefined, !!argv.flagSeq.flow);
  return [{ ...edit, newText: edit.newText.replace(editor.flow(word), () => styled) }];
}

const KUBEADM_COMPONENTS: { component: Component; path: readonly string[]; legacy?: string }[] = [
  { component: 'kube-apiserver', path: ['apiServer'], legacy: 'apiServerExtraArgs' },
  { component: 'kube-controller-manager', path: ['controllerManager'], legacy: 'controllerManagerExtraArgs' },
  { component: 'kube-scheduler', path: ['scheduler'], legacy: 'schedulerExtraArgs' },
  { component: 'etcd', path: ['etcd', 'local'] },
];

/** Where Cluster API kinds keep kubeadm's configuration. */
const CLUSTER_API_PREFIX: Record<string, readonly string[]> = {
  KubeadmControlPlane: ['spec', 'kubeadmConfigSpec'],
  KubeadmControlPlaneTemplate: ['spec', 'template', 'spec', 'kubeadmConfigSpec'],
  KubeadmConfig: ['spec'],
  KubeadmConfigTemplate: ['spec', 'template', 'spec'],
};

export const CLUSTER_API_KINDS: readonly string[] = Object.keys(CLUSTER_API_PREFIX);

/** Where a Cluster API kind keeps kubeadm's configuration; own keys only (`kind` is the file's text). */
function clusterApiPrefix(kind: string | undefined): readonly string[] | undefined {
  return kind !== undefined && Object.hasOwn(CLUSTER_API_PREFIX, kind) ? CLUSTER_API_PREFIX[kind] : undefined;
}

/**
 * kubeadm's `certificatesDir` (default `/etc/kubernetes/pki`), where the certificates it names by
 * default live; undefined for an object that holds no kubeadm ClusterConfiguration.
 */
export function kubeadmCertificatesDir(object: KubeObject): string | undefined {
  const kind = object.kind;
  let root: unknown;
  if (kind === 'ClusterConfiguration' || kind === 'MasterConfiguration') root = object.node;
  else if (clusterApiPrefix(kind) && (object.apiVersion ?? '').includes('cluster.x-k8s.io/'))
    root = getIn(object.node, [...(clusterApiPrefix(kind) ?? []), 'clusterConfiguration'], object.doc);
  else return undefined;
  return getString(root, 'certificatesDir', object.doc) ?? '/etc/kubernetes/pki';
}

/** kubeadm v1beta4 turned `extraArgs` maps into lists of name/value. */
function kubeadmListForm(apiVersion: string | undefined): boolean {
  return /\/v1beta[4-9]$|\/v1$/.test(apiVersion ?? '');
}

/** The deepest existing pair along `path`, to point at when what lies below it is missing. */
function deepestPair(root: YAMLMap, path: readonly string[], doc: AnyDoc): Pair | undefined {
  let node: unknown = root;
  let last: Pair | undefined;
  for (const key of path) {
    const pair = findPair(node, key, doc);
    if (!pair) break;
    last = pair;
    node = deref(pair.value, doc);
  }
  return last;
}

function kubeadmSources(object: KubeObject, editor: YamlEditor, prefix: readonly string[], where: string, listForm: boolean): ComponentSource[] {
  const doc = object.doc;
  const out: ComponentSource[] = [];
  const root = prefix.length ? getIn(object.node, prefix, doc) : object.node;
  const legacyApi = object.kind === 'MasterConfiguration' || /\/v1alpha\d$/.test(object.apiVersion ?? '');
  for (const { component, path, legacy } of KUBEADM_COMPONENTS) {
    // v1alpha2/v1alpha3 (MasterConfiguration) kept the maps at the top: `apiServerExtraArgs`.
    const legacyPair = legacy && isMap(root) ? findPair(root, legacy, doc) : undefined;
    if (legacyPair && isMap(root)) {
      out.push(extraArgsSource(component, `${component} in ${where} (${legacy})`, 'kubeadm', 'kubeadm', legacyPair, root, object, editor));
      continue;
    }
    // External etcd is not kubeadm's to configure.
    if (component === 'etcd' && getIn(root, ['etcd', 'external'], doc)) continue;
    const holder = getIn(root, path, doc);
    const holderMap = isMap(holder) ? holder : undefined;
    const extra = holderMap ? findPair(holderMap, 'extraArgs', doc) : undefined;
    if (legacyApi && legacy && isMap(root)) {
      // v1alpha2/3 without the map: kubeadm's defaults apply; a fix adds the top-level map.
      out.push(
        missingExtraArgs(component, `${component} in ${where} (${legacy})`, deepestPair(root, [legacy], doc) ?? object.anchor, (key, value) => [
          editor.setIn(root, [legacy, key.flag], value),
        ]),
      );
      continue;
    }
    const fullPath = [...prefix, ...path];
    const label = `${component} in ${where} (${[...prefix.slice(-1), ...path].join('.')}.extraArgs)`;
    if (extra && holderMap) {
      out.push(extraArgsSource(component, label, 'kubeadm', 'kubeadm', extra, holderMap, object, editor));
      continue;
    }
    out.push(
      missingExtraArgs(component, label, deepestPair(object.node, fullPath, doc) ?? object.anchor, (key, value) => {
        const entry: YamlValue = listForm ? [{ name: key.flag, value }] : { [key.flag]: value };
        return [editor.setIn(object.node, [...fullPath, 'extraArgs'], entry)];
      }),
    );
  }
  // kubeadm's `kubernetesVersion`; Cluster API's KubeadmControlPlane keeps it in `spec.version`.
  const version = getString(root, 'kubernetesVersion', doc) ?? getString(getMap(object.node, 'spec', doc), 'version', doc);
  return version ? out.map((source) => ({ ...source, version })) : out;
}

/** A kubeadm component without extraArgs: every flag has kubeadm's default. */
function missingExtraArgs(component: Component, label: string, anchor: Target, add: ComponentSource['add']): ComponentSource {
  return { component, form: 'kubeadm', label, absent: 'kubeadm', anchor, nameOf: (key) => `--${key.flag}`, read: () => [], add };
}

function kubeletExtraArgsSources(object: KubeObject, editor: YamlEditor, prefix: readonly string[], where: string): ComponentSource[] {
  const doc = object.doc;
  const reg = getIn(object.node, [...prefix, 'nodeRegistration'], doc);
  const extra = isMap(reg) ? findPair(reg, 'kubeletExtraArgs', doc) : undefined;
  if (!extra || !isMap(reg)) return [];
  const path = [...prefix.slice(-1), 'nodeRegistration', 'kubeletExtraArgs'].join('.');
  return [extraArgsSource('kubelet', `kubelet in ${where} (${path})`, 'kubelet-flags', 'ignore', extra, reg, object, editor)];
}

function extraArgsSource(
  component: Component,
  label: string,
  form: 'kubeadm' | 'kubelet-flags',
  absent: AbsentMeaning,
  extra: Pair,
  holder: YAMLMap,
  object: KubeObject,
  editor: YamlEditor,
): ComponentSource {
  const doc = object.doc;
  const node = deref(extra.value, doc);
  return {
    component,
    form,
    label,
    absent,
    anchor: extra.key as Node,
    nameOf: (key) => `--${key.flag}`,
    read: (key) => {
      if (isMap(node)) {
        return mapEntries(node, doc)
          .filter((e) => e.key === key.flag)
          .map((e) => ({
            value: scalarText(e.value, doc),
            at: e.pair,
            setValue: (v: string) => [
              e.value && isScalar(e.value) && e.value.range
                ? editor.replace(e.value, styledScalar(v, e.value, !!node.flow))
                : editor.setIn(node, [key.flag], v),
            ],
            remove: () => [editor.removePair(node, e.pair)],
          }));
      }
      if (isSeq(node)) return listFormOccurrences(node, extra, key.flag, doc, editor);
      return [];
    },
    add: (key, value) => {
      if (isMap(node)) return [editor.insertPair(node, key.flag, value)];
      if (isSeq(node)) return [appendNameValue(editor, node, key.flag, value)];
      // `extraArgs:` with nothing (or `{}` / `[]` handled above): fill it in the map form.
      return [editor.setIn(holder, [keyString(extra) ?? 'extraArgs'], { [key.flag]: value })];
    },
  };
}

/**
 * Append `{name, value}` to a v1beta4 extraArgs list in the style of its last item: a block
 * mapping (`- name: x` with `value: y` under it, at that item's key column) or a flow one.
 */
function appendNameValue(editor: YamlEditor, seq: YAMLSeq, name: string, value: string): TextEdit {
  const entry = { name, value };
  const edit = editor.appendToSeq(seq, entry);
  const last = seq.items[seq.items.length - 1];
  if (seq.flow || !isMap(last) || last.flow || !last.items.length) return edit;
  const firstKey = last.items[0].key;
  if (!isScalar(firstKey) || !firstKey.range) return edit;
  const keyStart = firstKey.range[0];
  const column = keyStart - (editor.text.lastIndexOf('\n', keyStart - 1) + 1);
  // appendToSeq wrote `<indent>- <flow item>`: the dash stays, the keys go to the item's column.
  const flowText = editor.flow(entry);
  const at = edit.newText.indexOf(`- ${flowText}`);
  if (at < 0) return edit;
  const gap = column - (at - (edit.newText.lastIndexOf('\n', at) + 1)) - 1;
  if (gap < 1) return edit;
  const block = `-${' '.repeat(gap)}name: ${editor.flow(name)}${editor.eol}${' '.repeat(column)}value: ${editor.flow(value)}`;
  return { ...edit, newText: edit.newText.slice(0, at) + block + edit.newText.slice(at + 2 + flowText.length) };
}

/** v1beta4 `extraArgs: [{name, value}]`: the name may repeat, and each one is passed on. */
function listFormOccurrences(seq: YAMLSeq, owner: Pair, flag: string, doc: AnyDoc, editor: YamlEditor): Occurrence[] {
  const out: Occurrence[] = [];
  for (const item of seqItems(seq, doc)) {
    if (!isMap(item) || getString(item, 'name', doc) !== flag) continue;
    const valuePair = findPair(item, 'value', doc);
    const valueNode = valuePair ? deref(valuePair.value, doc) : undefined;
    out.push({
      value: scalarText(valueNode, doc),
      at: item,
      setValue: (v: string) => [
        valueNode && isScalar(valueNode) && valueNode.range
          ? editor.replace(valueNode, styledScalar(v, valueNode, !!item.flow || !!seq.flow))
          : editor.setIn(item, ['value'], v),
      ],
      remove: () => (seq.flow ? undefined : [editor.removeSeqItem(seq, item, owner)]),
    });
  }
  return out;
}

/** A setting's value as text, the way the components read it (lists joined by commas). */
export function scalarText(node: unknown, doc: AnyDoc): string {
  const n = deref(node, doc);
  if (isSeq(n))
    return seqItems(n, doc)
      .map((i) => scalarText(i, doc))
      .join(',');
  const v = scalarValue(n, doc);
  return v == null ? '' : String(v);
}

/**
 * @param kubeadmFile the document sits in a kubeadm configuration file (beside an
 *   Init/Join/ClusterConfiguration): kubeadm fills in its own kubelet defaults there.
 */
function kubeletConfigSource(object: KubeObject, editor: YamlEditor, kubeadmFile: boolean): ComponentSource {
  const doc = object.doc;
  return {
    component: 'kubelet',
    form: 'kubelet-config',
    label: `kubelet in ${object.name ? object.label : 'KubeletConfiguration'}${kubeadmFile ? ' (kubeadm)' : ''}`,
    absent: kubeadmFile ? 'kubeadm' : 'kubelet-config',
    anchor: object.anchor,
    nameOf: (key) => key.field?.join('.'),
    read: (key) => {
      if (!key.field) return [];
      const parent = key.field.length > 1 ? getIn(object.node, key.field.slice(0, -1), doc) : object.node;
      const pair = findPair(parent, key.field[key.field.length - 1], doc);
      if (!pair) return [];
      const valueNode = deref(pair.value, doc);
      if (valueNode && isScalar(valueNode) && valueNode.value === null) return [];
      return [
        {
          value: scalarText(valueNode, doc),
          at: pair,
          setValue: (v: string) =>
            valueNode && isScalar(valueNode) && valueNode.range && key.fieldType !== 'list'
              ? [
                  editor.replace(
                    valueNode,
                    key.fieldType === 'string' ? styledScalar(v, valueNode, isMap(parent) && !!parent.flow) : editor.flow(typed(v, key.fieldType)),
                  ),
                ]
              : [editor.setIn(object.node, key.field!, typed(v, key.fieldType))],
          remove: () => (isMap(parent) ? [editor.removePair(parent, pair)] : undefined),
        },
      ];
    },
    add: (key, value) => (key.field ? [editor.setIn(object.node, key.field, typed(value, key.fieldType))] : undefined),
  };
}

function typed(value: string, type: SettingKey['fieldType']): YamlValue {
  if (type === 'bool') return value === 'true';
  if (type === 'int' && /^-?\d{1,15}$/.test(value)) return Number(value);
  if (type === 'list') return value === '' ? [] : value.split(',');
  return value;
}
