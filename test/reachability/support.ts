/** Builds a workspace index from YAML texts and lists its connections as `src => dst : conn` lines. */
import { ALL_RULES } from '../../rules';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';
import { WorkspaceIndex } from '../../server/src/engine/workspaceIndex';
import { ReachabilityEngine } from '../../server/src/reachability/engine';
import { formatConnections } from '../../server/src/reachability/format';
import { buildSnapshot } from '../../server/src/reachability/network';
import { REACHABILITY_READS } from '../../server/src/reachability/workspace';

const rules = [...ALL_RULES, REACHABILITY_READS];
const engine = new Engine(new ResolvedConfig(rules, { rules: Object.fromEntries(rules.map((r) => [r.id, 'off' as const])) }));

export function indexOf(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [name, text] of Object.entries(files)) engine.lint(`/w/${name}`, text, { index });
  return index;
}

export function reachability(files: Record<string, string>, options: { ingressControllerNamespace?: string } = {}): ReachabilityEngine {
  return new ReachabilityEngine(buildSnapshot(indexOf(files)), options);
}

/** Connection lines; `only` keeps those mentioning one of the strings (e.g. skip external ranges). */
export function lines(files: Record<string, string>, only?: (line: string) => boolean): string[] {
  const text = formatConnections(reachability(files).connections(), 'text');
  return text.split('\n').filter((l) => l && (!only || only(l)));
}

export const podsOnly = (l: string) => !/\d+\.\d+\.\d+\.\d+-/.test(l) && !l.includes('::');

/** A Deployment `name` in `ns` with labels and ports (`name:number/PROTO`). */
export function deploy(name: string, ns: string | undefined, labels: Record<string, string>, ports: string[] = []): string {
  const portItems = ports.map((p) => {
    const [named, rest] = p.includes(':') ? p.split(':') : [undefined, p];
    const [num, proto] = rest.split('/');
    return `{${named ? `name: ${named}, ` : ''}containerPort: ${num}${proto ? `, protocol: ${proto}` : ''}}`;
  });
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(ns ? [`  namespace: ${ns}`] : []),
    'spec:',
    '  template:',
    `    metadata: {labels: ${JSON.stringify(labels)}}`,
    '    spec:',
    `      containers: [{name: c, image: x, ports: [${portItems.join(', ')}]}]`,
    '',
  ].join('\n');
}

export function policy(name: string, ns: string | undefined, spec: string): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${name}`,
    ...(ns ? [`  namespace: ${ns}`] : []),
    'spec:',
    ...spec
      .trim()
      .split('\n')
      .map((l) => `  ${l}`),
    '',
  ].join('\n');
}

export function namespace(name: string, labels: Record<string, string> = {}): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n`;
}
