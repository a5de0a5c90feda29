/**
 * "Harden this workload to PSS restricted": every change the Pod Security Standards (baseline and
 * restricted) need, to the pod spec and its containers, as one set of non-overlapping minimal edits.
 * Offered on every PSS finding; unsafe, since it changes what the workload may do.
 */
import { isMap, isSeq, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { findPair, getString, scalarValue, seqItems, stringItems } from '../../../server/src/documents/yamlNodes';
import type { Fix, TextEdit } from '../../../server/src/engine/rule';
import type { YamlValue } from '../../../server/src/engine/yamlEditor';
import type { Container } from '../../../server/src/documents/kube';
import { isWindowsPod, mapOf, pssAtLeast, PssContext, seqOf, usesUserNamespace } from './common';
import { volumesOf } from './volumes';
import { safeSysctls } from './runtime';

export const HARDEN_TITLE = 'Harden this workload to PSS restricted';

const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image']);
const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** Edits to one mapping: replace scalars, remove pairs, add missing keys (in order, at the end). */
class MapChanges {
  readonly edits: TextEdit[] = [];
  private readonly additions: [string, YamlValue][] = [];
  constructor(
    private readonly ctx: PssContext,
    readonly map: YAMLMap,
  ) {}
  replace(pair: Pair, text: string): void {
    this.edits.push(this.ctx.edit.replace(pair.value as Node, text));
  }
  remove(pair: Pair): void {
    this.edits.push(this.ctx.edit.removePair(this.map, pair));
  }
  add(key: string, value: YamlValue): void {
    this.additions.push([key, value]);
  }
  /** Sets a scalar: replaced where present and different, added where missing. */
  ensure(key: string, value: boolean | string | number): void {
    const pair = findPair(this.map, key, this.ctx.doc);
    if (!pair || !this.map.items.includes(pair)) this.add(key, value);
    else if (scalarValue(pair.value, this.ctx.doc) !== value) this.replace(pair, String(value));
  }
  /**
   * Additions go through setIn: a key that is there with no value (`capabilities:`, `drop: null`)
   * gets one, not a duplicate. Those values come before the keys added after the last entry: when
   * the empty key is the last line of the file, both are inserted at its end, in this order.
   */
  all(): TextEdit[] {
    const present = ([k]: [string, YamlValue]): boolean => this.map.items.includes(findPair(this.map, k, this.ctx.doc) as Pair);
    const missing = this.additions.filter((a) => !present(a));
    const fills = this.additions.filter(present).map(([k, v]) => this.ctx.edit.setIn(this.map, [k], v));
    // `{}`: one edit writes every key, as separate insertions at the `}` would run together.
    if (this.map.items.length === 0 && missing.length > 1)
      return [...this.edits, this.ctx.edit.replace(this.map, this.ctx.edit.flow(Object.fromEntries(missing)))];
    return [...this.edits, ...fills, ...missing.map(([k, v]) => this.ctx.edit.setIn(this.map, [k], v))];
  }
}

function seqRemoval(ctx: PssContext, owner: YAMLMap, key: string, seq: YAMLSeq, remove: Node[]): TextEdit[] {
  if (!remove.length) return [];
  if (remove.length === seq.items.length) return [ctx.edit.setIn(owner, [key], [])];
  return remove.map((item) => ctx.edit.removeSeqItem(seq, item));
}

function containerEdits(ctx: PssContext, c: Container, linux: boolean, userNs: boolean, removedVolumes: Set<string>): TextEdit[] {
  const doc = ctx.doc;
  const edits: TextEdit[] = [];
  // Ports: no hostPort.
  for (const port of seqItems(seqOf(c.node, 'ports', doc), doc)) {
    if (!isMap(port)) continue;
    const pair = findPair(port, 'hostPort', doc);
    const v = pair ? scalarValue(pair.value, doc) : undefined;
    if (pair && v !== 0 && v !== null && v !== undefined && v !== '0') edits.push(ctx.edit.removePair(port, pair));
  }
  // Probes and lifecycle handlers: no host.
  const handlers = ['livenessProbe', 'readinessProbe', 'startupProbe'].map((h) => mapOf(c.node, h, doc));
  const lifecycle = mapOf(c.node, 'lifecycle', doc);
  handlers.push(mapOf(lifecycle, 'postStart', doc), mapOf(lifecycle, 'preStop', doc));
  for (const handler of handlers) {
    for (const action of ['httpGet', 'tcpSocket']) {
      const map = mapOf(handler, action, doc);
      const pair = findPair(map, 'host', doc);
      if (map && pair && scalarValue(pair.value, doc)) edits.push(ctx.edit.removePair(map, pair));
    }
  }
  // Mounts of volumes the pod loses.
  const mounts = seqOf(c.node, 'volumeMounts', doc);
  if (mounts && removedVolumes.size) {
    const gone = seqItems(mounts, doc).filter((m) => isMap(m) && removedVolumes.has(getString(m, 'name', doc) ?? ''));
    edits.push(...seqRemoval(ctx, c.node, 'volumeMounts', mounts, gone));
  }

  const sc = c.securityContext;
  if (!sc) {
    // setIn, not insertPair: `securityContext:` may be there with no value (or null).
    if (linux) edits.push(ctx.edit.setIn(c.node, ['securityContext'], { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }));
    return edits;
  }
  const changes = new MapChanges(ctx, sc);
  const privileged = findPair(sc, 'privileged', doc);
  if (privileged && scalarValue(privileged.value, doc) === true) changes.replace(privileged, 'false');
  if (linux) changes.ensure('allowPrivilegeEscalation', false);
  const proc = findPair(sc, 'procMount', doc);
  if (proc && scalarValue(proc.value, doc) !== 'Default' && scalarValue(proc.value, doc)) changes.replace(proc, 'Default');
  for (const key of ['seccompProfile', 'appArmorProfile']) {
    const profile = mapOf(sc, key, doc);
    const typePair = findPair(profile, 'type', doc);
    const type = typePair ? scalarValue(typePair.value, doc) : undefined;
    if (typePair && type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost' && (key === 'appArmorProfile' || linux || type === 'Unconfined'))
      changes.replace(typePair, 'RuntimeDefault');
  }
  const user = findPair(sc, 'runAsUser', doc);
  if (!userNs && user && (scalarValue(user.value, doc) === 0 || scalarValue(user.value, doc) === '0')) changes.replace(user, '65532');
  const nonRoot = findPair(sc, 'runAsNonRoot', doc);
  if (!userNs && nonRoot && scalarValue(nonRoot.value, doc) === false) changes.replace(nonRoot, 'true');
  const seLinux = findPair(sc, 'seLinuxOptions', doc);
  if (seLinux && badSeLinux(seLinux, ctx)) changes.remove(seLinux);
  const hostProcess = findPair(mapOf(sc, 'windowsOptions', doc), 'hostProcess', doc);
  if (hostProcess && scalarValue(hostProcess.value, doc) === true) changes.replace(hostProcess, 'false');
  if (linux) {
    const caps = mapOf(sc, 'capabilities', doc);
    if (!caps) changes.add('capabilities', { drop: ['ALL'] });
    else {
      const capChanges = new MapChanges(ctx, caps);
      const drop = seqOf(caps, 'drop', doc);
      if (!drop) capChanges.add('drop', ['ALL']);
      else if (!stringItems(drop, doc).some((i) => i.value === 'ALL')) {
        // `all` already drops everything at run time; only its spelling fails admission.
        const spelled = stringItems(drop, doc).find((i) => i.value.toUpperCase() === 'ALL');
        capChanges.edits.push(spelled ? ctx.edit.replace(spelled.node, 'ALL') : ctx.edit.appendToSeq(drop, 'ALL'));
      }
      const add = seqOf(caps, 'add', doc);
      if (add)
        capChanges.edits.push(
          ...seqRemoval(
            ctx,
            caps,
            'add',
            add,
            stringItems(add, doc)
              .filter((i) => i.value !== 'NET_BIND_SERVICE')
              .map((i) => i.node),
          ),
        );
      edits.push(...capChanges.all());
    }
  }
  edits.push(...changes.all());
  return edits;
}

function badSeLinux(pair: Pair, ctx: PssContext): boolean {
  const options = pair.value;
  if (!isMap(options)) return false;
  const type = scalarValue(findPair(options, 'type', ctx.doc)?.value, ctx.doc);
  const user = scalarValue(findPair(options, 'user', ctx.doc)?.value, ctx.doc);
  const role = scalarValue(findPair(options, 'role', ctx.doc)?.value, ctx.doc);
  return (!!type && !SELINUX_TYPES.has(String(type))) || !!user || !!role;
}

export function hardenEdits(ctx: PssContext): TextEdit[] {
  const { pod, doc } = ctx;
  const linux = !isWindowsPod(pod, doc);
  const userNs = pssAtLeast(ctx.settings, 35) && usesUserNamespace(pod, doc);
  const edits: TextEdit[] = [];

  // Volumes of types the restricted level forbids go, with their mounts.
  const removed = new Set<string>();
  const volumes = seqOf(pod.node, 'volumes', doc);
  if (volumes) {
    const bad = volumesOf(ctx).filter((v) => v.type && !RESTRICTED_VOLUME_TYPES.has(v.type));
    for (const v of bad) if (v.name) removed.add(v.name);
    edits.push(
      ...seqRemoval(
        ctx,
        pod.node,
        'volumes',
        volumes,
        bad.map((v) => v.node),
      ),
    );
  }
  for (const c of pod.containers()) edits.push(...containerEdits(ctx, c, linux, userNs, removed));

  // AppArmor annotations on the pod template.
  const annotations = mapOf(pod.metadata, 'annotations', doc);
  for (const item of annotations?.items ?? []) {
    const key = String((item.key as { value?: unknown })?.value ?? '');
    const value = scalarValue(item.value, doc);
    if (
      key.startsWith('container.apparmor.security.beta.kubernetes.io/') &&
      typeof value === 'string' &&
      value !== 'runtime/default' &&
      !value.startsWith('localhost/') &&
      value !== ''
    ) {
      edits.push(ctx.edit.replace(item.value as Node, 'runtime/default'));
    }
  }

  // Pod-level fields; additions to the pod spec come last, so they land after the containers.
  const podChanges = new MapChanges(ctx, pod.node);
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    const pair = findPair(pod.node, field, doc);
    if (pair && pod.node.items.includes(pair) && scalarValue(pair.value, doc) === true) podChanges.remove(pair);
  }
  const sc = pod.securityContext;
  const wanted: Record<string, YamlValue> = {};
  if (!userNs) wanted.runAsNonRoot = true;
  if (linux) wanted.seccompProfile = { type: 'RuntimeDefault' };
  if (!sc) {
    if (Object.keys(wanted).length) podChanges.add('securityContext', wanted);
  } else {
    const changes = new MapChanges(ctx, sc);
    if (!userNs) changes.ensure('runAsNonRoot', true);
    if (linux) {
      const profile = mapOf(sc, 'seccompProfile', doc);
      const typePair = findPair(profile, 'type', doc);
      const type = typePair ? scalarValue(typePair.value, doc) : undefined;
      if (!profile) changes.add('seccompProfile', { type: 'RuntimeDefault' });
      else if (!typePair) edits.push(ctx.edit.insertPair(profile, 'type', 'RuntimeDefault'));
      else if (type !== 'RuntimeDefault' && type !== 'Localhost') changes.replace(typePair, 'RuntimeDefault');
    } else {
      const typePair = findPair(mapOf(sc, 'seccompProfile', doc), 'type', doc);
      if (typePair && scalarValue(typePair.value, doc) === 'Unconfined') changes.replace(typePair, 'RuntimeDefault');
    }
    const appArmor = findPair(mapOf(sc, 'appArmorProfile', doc), 'type', doc);
    const aaType = appArmor ? scalarValue(appArmor.value, doc) : undefined;
    if (appArmor && aaType !== undefined && aaType !== 'RuntimeDefault' && aaType !== 'Localhost') changes.replace(appArmor, 'RuntimeDefault');
    const user = findPair(sc, 'runAsUser', doc);
    if (!userNs && user && (scalarValue(user.value, doc) === 0 || scalarValue(user.value, doc) === '0')) changes.replace(user, '65532');
    const seLinux = findPair(sc, 'seLinuxOptions', doc);
    if (seLinux && badSeLinux(seLinux, ctx)) changes.remove(seLinux);
    const hostProcess = findPair(mapOf(sc, 'windowsOptions', doc), 'hostProcess', doc);
    if (hostProcess && scalarValue(hostProcess.value, doc) === true) changes.replace(hostProcess, 'false');
    const sysctls = seqOf(sc, 'sysctls', doc);
    if (sysctls) {
      const safe = safeSysctls(ctx.settings);
      const bad = seqItems(sysctls, doc).filter((i) => isMap(i) && !safe.has(getString(i, 'name', doc) ?? ''));
      if (bad.length && bad.length === sysctls.items.length) changes.remove(findPair(sc, 'sysctls', doc)!);
      else edits.push(...bad.map((i) => ctx.edit.removeSeqItem(sysctls, i)));
    }
    edits.push(...changes.all());
  }
  edits.push(...podChanges.all());
  return edits;
}

export function hardenFixes(ctx: PssContext): Fix[] {
  return [{ title: HARDEN_TITLE, applicability: 'unsafe', edits: () => hardenEdits(ctx) }];
}

export { isSeq };
