/**
 * EXPOSE-only ports: EXPOSE is documentation (it neither opens nor restricts anything), so a port the
 * image exposes but that nothing deploying the image declares is either stale or a port the program
 * opens that nobody meant to serve. Needs the workspace: which images this Dockerfile builds, and the
 * manifests and compose services that run them.
 */
import * as pathLib from 'node:path';
import { isMap, YAMLMap } from 'yaml';
import type { IndexedFile, IndexedObject, WorkspaceView } from '../../server/src/engine/workspaceIndex';
import type { DockerfileRule, DockerfileRuleContext, Fix } from '../../server/src/engine/rule';
import { findPair, getMap, getSeq, getString, mapEntries, scalarValue, seqItems } from '../../server/src/documents/yamlNodes';
import type { KubeObject } from '../../server/src/documents/kube';
import { exposedPorts, exposeRemovalEdit, parsePort } from './expose';
import { keyword, shippedStages } from './shared';

/** Folder names that say nothing about the image (`src/cartservice/src/Dockerfile` is cartservice's). */
const GENERIC_DIRS = new Set(['src', 'docker', 'build', 'app', 'deploy', 'image', 'images', 'container', 'rootfs', '.']);

/** The image name a Dockerfile's location suggests: its folder, or `name` of `name.Dockerfile`. */
export function nameFromPath(file: string): string | undefined {
  const base = pathLib.basename(file);
  const m = /^(.+)\.(docker|container)file$/i.exec(base) ?? /^(?:docker|container)file[.-](.+)$/i.exec(base);
  if (m && !/^(dev|prod|test|ci|local|debug)$/i.test(m[1])) return m[1].toLowerCase();
  let dir = pathLib.dirname(file);
  for (let i = 0; i < 3; i++) {
    const name = pathLib.basename(dir);
    if (!GENERIC_DIRS.has(name.toLowerCase())) return name.toLowerCase();
    const parent = pathLib.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** `registry/team/app:tag@digest` → `team/app` and `app`, lower-cased, for matching. */
export function imageKeys(image: string): { full: string; last: string } {
  // Up to the digest; indexOf, as `/@.*$/` rescans the rest of the name from every `@`.
  let rest = image.trim();
  if (rest.includes('@')) rest = rest.slice(0, rest.indexOf('@'));
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) rest = rest.slice(0, colon);
  const parts = rest.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  return { full: parts.join('/').toLowerCase(), last: (parts[parts.length - 1] ?? '').toLowerCase() };
}

function sameFile(a: string, b: string): boolean {
  return pathLib.resolve(a) === pathLib.resolve(b);
}

interface Deployment {
  /** Where the port is declared, for the message. */
  where: string;
  ports: Set<number>;
}

/** Images this Dockerfile builds, from skaffold artifacts, compose services, settings and its path. */
export function imagesBuiltBy(ctx: DockerfileRuleContext): { names: Set<string>; compose: Deployment[]; guessed: boolean } {
  const names = new Set<string>();
  const compose: Deployment[] = [];
  const file = ctx.filePath;
  const explicit = ctx.settings.dockerfileImages;
  if (explicit && typeof explicit === 'object') {
    for (const [suffix, images] of Object.entries(explicit as Record<string, unknown>)) {
      const normalized = file.split(pathLib.sep).join('/');
      if (normalized === suffix || normalized.endsWith(`/${suffix.replace(/^\.?\//, '')}`)) {
        for (const i of Array.isArray(images) ? images : [images]) if (typeof i === 'string') names.add(imageKeys(i).full);
      }
    }
  }
  for (const { path, object } of ctx.workspace.objects('Config')) {
    if (!/^skaffold\//.test(object.apiVersion ?? '')) continue;
    for (const artifact of skaffoldArtifacts(object)) {
      const dockerfile = pathLib.resolve(pathLib.dirname(path), artifact.context, artifact.dockerfile);
      if (sameFile(dockerfile, file)) names.add(imageKeys(artifact.image).full);
    }
  }
  for (const f of ctx.workspace.filesOfKind('compose')) {
    if (!f.compose) continue;
    for (const service of f.compose.services) {
      if (!service.build || service.build.context.includes('$') || service.build.dockerfile.includes('$')) continue;
      const dockerfile = pathLib.resolve(pathLib.dirname(f.path), service.build.context, service.build.dockerfile);
      if (!sameFile(dockerfile, file)) continue;
      if (service.image) names.add(imageKeys(service.image).full);
      compose.push({ where: `compose service "${service.name}" (${pathLib.basename(f.path)})`, ports: new Set(service.ports) });
    }
  }
  let guessed = false;
  if (!names.size) {
    const name = nameFromPath(file);
    if (name) {
      names.add(name);
      guessed = true;
    }
  }
  return { names, compose, guessed };
}

/**
 * A name guessed from a folder (`images/nginx/Dockerfile` → nginx) only links to manifests of the same
 * project: their common folder is at most three levels above the Dockerfile's. Otherwise every
 * `image: nginx` of an unrelated project would be taken for this build.
 */
export function nearby(dockerfile: string, manifest: string): boolean {
  const a = pathLib.resolve(pathLib.dirname(dockerfile)).split(pathLib.sep);
  const b = pathLib.resolve(manifest).split(pathLib.sep);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.length - common <= 3;
}

function skaffoldArtifacts(object: KubeObject): { image: string; context: string; dockerfile: string }[] {
  const doc = object.doc;
  const out: { image: string; context: string; dockerfile: string }[] = [];
  for (const item of seqItems(getSeq(getMap(object.node, 'build', doc), 'artifacts', doc), doc)) {
    if (!isMap(item)) continue;
    const image = getString(item, 'image', doc);
    if (!image) continue;
    out.push({ image, context: getString(item, 'context', doc) ?? '.', dockerfile: getString(getMap(item, 'docker', doc), 'dockerfile', doc) ?? 'Dockerfile' });
  }
  return out;
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/**
 * Indexes into a list of the workspace's objects of those whose containers run an image, by image key
 * (full name and last segment): built once per list (the index hands out the same list until an object
 * changes), so each Dockerfile looks up its images instead of reading every pod of the workspace.
 */
const podsByImage = new WeakMap<readonly IndexedObject[], Map<string, number[]>>();

export function objectsRunning(objects: readonly IndexedObject[], names: Set<string>): number[] {
  let byKey = podsByImage.get(objects);
  if (!byKey) {
    const built = new Map<string, number[]>();
    objects.forEach(({ object }, i) => {
      for (const c of object.podSpec()?.containers(['containers', 'initContainers']) ?? []) {
        if (!c.image) continue;
        const k = imageKeys(c.image);
        for (const key of [k.full, k.last]) {
          let list = built.get(key);
          if (!list) built.set(key, (list = []));
          if (list[list.length - 1] !== i) list.push(i);
        }
      }
    });
    podsByImage.set(objects, (byKey = built));
  }
  const hits = new Set<number>();
  for (const name of names) for (const i of byKey.get(name) ?? []) hits.add(i);
  return [...hits].sort((a, b) => a - b);
}

/** Workloads running one of `names`, with their container ports and the target ports of Services selecting them. */
function kubernetesDeployments(workspace: WorkspaceView, names: Set<string>, accept: (manifest: string) => boolean): Deployment[] {
  const out: Deployment[] = [];
  const services = workspace.objects('Service');
  // Read in full (the lint depends on every object, as before); only the objects running these images are looked at.
  const objects = workspace.objects();
  for (const i of objectsRunning(objects, names)) {
    const { path, object } = objects[i];
    const pod = object.podSpec();
    if (!pod || !accept(path)) continue;
    const doc = object.doc;
    const matching = pod.containers(['containers', 'initContainers']).filter((c) => {
      if (!c.image) return false;
      const k = imageKeys(c.image);
      return names.has(k.full) || names.has(k.last);
    });
    if (!matching.length) continue;
    const ports = new Set<number>();
    const named = new Map<string, number>();
    for (const c of matching) {
      for (const p of seqItems(getSeq(c.node, 'ports', doc), doc)) {
        if (!isMap(p)) continue;
        const n = numberOf(scalarValue(findPair(p, 'containerPort', doc)?.value, doc));
        if (n === undefined) continue;
        ports.add(n);
        const name = getString(p, 'name', doc);
        if (name) named.set(name, n);
      }
    }
    const labels = podLabels(object, pod.metadata);
    for (const { object: svc } of services) {
      if (svc.namespace && object.namespace && svc.namespace !== object.namespace) continue;
      const selector = getMap(getMap(svc.node, 'spec', svc.doc), 'selector', svc.doc);
      const entries = mapEntries(selector, svc.doc);
      if (!entries.length || !entries.every((e) => labels.get(e.key) === String(scalarValue(e.value, svc.doc)))) continue;
      for (const p of seqItems(getSeq(getMap(svc.node, 'spec', svc.doc), 'ports', svc.doc), svc.doc)) {
        if (!isMap(p)) continue;
        const target = scalarValue(findPair(p, 'targetPort', svc.doc)?.value, svc.doc) ?? scalarValue(findPair(p, 'port', svc.doc)?.value, svc.doc);
        const n = numberOf(target) ?? (typeof target === 'string' ? named.get(target) : undefined);
        if (n !== undefined) ports.add(n);
      }
    }
    out.push({ where: `${object.label} (${pathLib.basename(path)})`, ports });
  }
  return out;
}

function podLabels(object: KubeObject, metadata: YAMLMap | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of mapEntries(getMap(metadata, 'labels', object.doc), object.doc)) out.set(e.key, String(scalarValue(e.value, object.doc)));
  return out;
}

export const dockerfileExposeOnlyPort: DockerfileRule = {
  id: 'dockerfile-expose-only-port',
  language: 'dockerfile',
  title: 'Port exposed but never deployed',
  category: 'network',
  severity: 'warning',
  description:
    'EXPOSE is documentation: it neither opens a port nor restricts anything. A port the image exposes that no ' +
    'manifest deploying the image declares (as a `containerPort` or a Service `targetPort`), and no compose ' +
    'service publishes, is either stale, or a listener (a debug or admin endpoint) nobody meant to serve that ' +
    'is still reachable from every pod in the cluster. Reported only once the workspace holds something that ' +
    'deploys the image: a Dockerfile is linked to its images through skaffold.yaml artifacts, compose `build:` ' +
    'sections, `settings.dockerfileImages` (Dockerfile path suffix → image names), or its folder name.',
  remediation: 'Remove the port from EXPOSE, and make the program stop listening on it; or declare it in the manifest if it is meant to be served.',
  references: [],
  fixes: [{ title: 'Remove the port from EXPOSE', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#expose',
  scope: 'workspace',
  reads: ['Config', 'Service', 'workloads'],
  check(ctx) {
    const model = ctx.dockerfile;
    const exposes = shippedStages(model).flatMap((s) => s.instructions.filter((i) => keyword(i) === 'EXPOSE'));
    if (!exposes.length) return;
    const { names, compose, guessed } = imagesBuiltBy(ctx);
    const deployments = [...compose, ...kubernetesDeployments(ctx.workspace, names, (m) => !guessed || nearby(ctx.filePath, m))];
    if (!deployments.length) return;
    const declared = new Set(deployments.flatMap((d) => [...d.ports]));
    const where =
      deployments
        .slice(0, 3)
        .map((d) => d.where)
        .join(', ') + (deployments.length > 3 ? ` and ${deployments.length - 3} more` : '');
    for (const instr of exposes) {
      const ports = exposedPorts(model, instr);
      const unused = ports.map((p) => {
        if (p.resolved === undefined) return false;
        const parsed = parsePort(p.resolved);
        if (typeof parsed === 'string') return false;
        for (let n = parsed.start; n <= parsed.end && n - parsed.start < 65536; n++) if (declared.has(n)) return false;
        return true;
      });
      const all = unused.every(Boolean);
      let whole = false;
      ports.forEach((p, i) => {
        if (!unused[i]) return;
        let fixes: Fix[] = [];
        if (!all)
          fixes = [
            { title: 'Remove the port from EXPOSE', applicability: 'unsafe', edits: () => [exposeRemovalEdit(model, instr, ports, i, false, ctx.spanOf)] },
          ];
        else if (!whole) {
          whole = true;
          fixes = [
            { title: 'Remove the EXPOSE instruction', applicability: 'unsafe', edits: () => [exposeRemovalEdit(model, instr, ports, i, true, ctx.spanOf)] },
          ];
        }
        ctx.report({
          at: ctx.spanOf(p.range),
          message: `EXPOSE ${p.written}: nothing deploying this image declares port ${p.resolved} (${where}). EXPOSE opens nothing; if the program listens there, that listener is reachable yet unplanned.`,
          fixes,
        });
      });
    }
  },
};

export type { IndexedFile };
