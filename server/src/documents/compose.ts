/**
 * The little of a Docker Compose file other rules need: which Dockerfile each service builds, the
 * image it names, and the container ports it publishes or exposes. Parsed with the same bounds as
 * manifests (aliases are never expanded), and never linted itself.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { AnyDoc, getMap, getNode, getString, mapEntries, scalarValue, seqItems } from './yamlNodes';

export interface ComposeService {
  name: string;
  image?: string;
  /** Build context and Dockerfile, relative to the compose file's folder, as written. */
  build?: { context: string; dockerfile: string };
  /** Container-side ports of `ports:` and `expose:` (variables unresolved are skipped). */
  ports: number[];
}

export interface ComposeModel {
  services: ComposeService[];
}

const COMPOSE_NAME = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i;

export function isComposeFileName(name: string): boolean {
  return COMPOSE_NAME.test(name);
}

/** Container port of a compose port spec: `8080`, `"80:8080"`, `"127.0.0.1:80:8080/tcp"`, `{target: 8080}`. */
function containerPorts(spec: unknown, doc: AnyDoc): number[] {
  if (isMap(spec)) {
    const target = scalarValue(getNode(spec, 'target', doc), doc);
    return typeof target === 'number' ? [target] : typeof target === 'string' && /^\d+$/.test(target) ? [Number(target)] : [];
  }
  const raw = scalarValue(spec, doc);
  if (raw === undefined || raw === null) return [];
  const text = String(raw).replace(/\/\w+$/, '');
  const container = text.split(':').pop() ?? '';
  const m = /^(\d+)(?:-(\d+))?$/.exec(container);
  if (!m) return [];
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : start;
  if (end - start > 1000) return [start];
  return Array.from({ length: end - start + 1 }, (_, i) => start + i);
}

export function parseCompose(text: string): ComposeModel | undefined {
  let doc: AnyDoc;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length) return undefined;
  const services = getMap(doc.contents, 'services', doc);
  if (!services) return undefined;
  const out: ComposeService[] = [];
  for (const { key, value } of mapEntries(services, doc)) {
    if (!isMap(value)) continue;
    const service: ComposeService = { name: key, image: getString(value, 'image', doc), ports: [] };
    const build = getNode(value, 'build', doc);
    if (isScalar(build) && typeof build.value === 'string') service.build = { context: build.value, dockerfile: 'Dockerfile' };
    else if (isMap(build))
      service.build = { context: getString(build, 'context', doc) ?? '.', dockerfile: getString(build, 'dockerfile', doc) ?? 'Dockerfile' };
    for (const listKey of ['ports', 'expose']) {
      const list = getNode(value, listKey, doc);
      if (isSeq(list)) for (const item of seqItems(list, doc)) service.ports.push(...containerPorts(item, doc));
    }
    out.push(service);
  }
  return { services: out };
}
