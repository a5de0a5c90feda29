/**
 * A synthetic workspace and edit stream for load tests of the language server (the suite's load test
 * and the bench's full-size case). Every cross-file rule has something to read: Namespaces with Pod
 * Security Admission labels that the workloads run in, and Dockerfiles with EXPOSE whose images the
 * Deployments run (linked by folder name), so edits change findings in other files.
 */

export interface LoadFile {
  /** Path relative to the workspace root. */
  readonly rel: string;
  readonly languageId: 'yaml' | 'dockerfile';
}

interface AppState {
  port: number;
  hostPID: boolean;
  tag: number;
}

interface NamespaceState {
  enforce: 'baseline' | 'privileged';
}

interface DockerfileState {
  ports: number[];
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class LoadWorkload {
  readonly files: LoadFile[] = [];
  private readonly apps: AppState[] = [];
  private readonly namespaces: NamespaceState[] = [];
  private readonly dockerfiles: DockerfileState[] = [];
  private readonly random: () => number;

  /** @param fileCount roughly how many files: one Namespace per ten apps, a manifest and a Dockerfile per app */
  constructor(fileCount: number, seed = 1) {
    this.random = seededRandom(seed);
    const apps = Math.max(2, Math.floor((fileCount * 10) / 21));
    const namespaces = Math.max(1, fileCount - 2 * apps);
    for (let j = 0; j < namespaces; j++) {
      this.namespaces.push({ enforce: j % 2 ? 'privileged' : 'baseline' });
      this.files.push({ rel: `cluster/ns-${j}.yaml`, languageId: 'yaml' });
    }
    for (let i = 0; i < apps; i++) {
      this.apps.push({ port: 8080, hostPID: i % 3 === 0, tag: 1 });
      this.dockerfiles.push({ ports: [8080, 9090] });
      this.files.push({ rel: `apps/svc-${i}/deploy.yaml`, languageId: 'yaml' });
      this.files.push({ rel: `apps/svc-${i}/Dockerfile`, languageId: 'dockerfile' });
    }
  }

  /** The current text of a file. */
  text(rel: string): string {
    let m = /^cluster\/ns-(\d+)\.yaml$/.exec(rel);
    if (m) {
      const ns = this.namespaces[Number(m[1])];
      return [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        `  name: team-${m[1]}`,
        '  labels:',
        `    pod-security.kubernetes.io/enforce: ${ns.enforce}`,
        '',
      ].join('\n');
    }
    m = /^apps\/svc-(\d+)\/deploy\.yaml$/.exec(rel);
    if (m) {
      const i = Number(m[1]);
      const app = this.apps[i];
      const ns = `team-${i % this.namespaces.length}`;
      return [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: svc-${i}`,
        `  namespace: ${ns}`,
        '  labels: {app: svc-' + i + '}',
        'spec:',
        `  selector: {matchLabels: {app: svc-${i}}}`,
        '  template:',
        `    metadata: {labels: {app: svc-${i}}}`,
        '    spec:',
        `      hostPID: ${app.hostPID}`,
        '      containers:',
        '        - name: app',
        `          image: registry.example.com/svc-${i}:${app.tag}`,
        '          ports:',
        `            - containerPort: ${app.port}`,
        '---',
        'apiVersion: v1',
        'kind: Service',
        `metadata: {name: svc-${i}, namespace: ${ns}}`,
        'spec:',
        `  selector: {app: svc-${i}}`,
        `  ports: [{port: 80, targetPort: ${app.port}}]`,
        '',
      ].join('\n');
    }
    m = /^apps\/svc-(\d+)\/Dockerfile$/.exec(rel);
    if (m) {
      const d = this.dockerfiles[Number(m[1])];
      return ['FROM alpine:3.20', `EXPOSE ${d.ports.join(' ')}`, 'USER 65532', ''].join('\n');
    }
    throw new Error(`not a file of the workload: ${rel}`);
  }

  /**
   * Changes one file and returns it. Mostly Deployments (ports the Dockerfile's EXPOSE rule reads,
   * hostPID the admission rules judge), sometimes a Namespace's enforce level or a Dockerfile's EXPOSE.
   */
  edit(): string {
    const r = this.random();
    if (r < 0.08) {
      const j = Math.floor(this.random() * this.namespaces.length);
      const ns = this.namespaces[j];
      ns.enforce = ns.enforce === 'baseline' ? 'privileged' : 'baseline';
      return `cluster/ns-${j}.yaml`;
    }
    const i = Math.floor(this.random() * this.apps.length);
    if (r < 0.18) {
      const d = this.dockerfiles[i];
      d.ports = d.ports.length === 2 ? [8080] : [8080, 9090];
      return `apps/svc-${i}/Dockerfile`;
    }
    const app = this.apps[i];
    const what = this.random();
    if (what < 0.4) app.port = app.port === 8080 ? 9090 : 8080;
    else if (what < 0.7) app.hostPID = !app.hostPID;
    else app.tag++;
    return `apps/svc-${i}/deploy.yaml`;
  }

  /** Where a hover or code action lands on a finding: the Deployment's namespace, or the EXPOSE line. */
  position(rel: string): { line: number; character: number } {
    if (rel.endsWith('Dockerfile')) return { line: 1, character: 8 };
    if (rel.endsWith('deploy.yaml')) return { line: 4, character: 14 };
    return { line: 5, character: 10 };
  }
}
