/** Small manifests the network rule tests combine across files. */
export function deployment(
  name: string,
  opts: { ns?: string; labels?: string; ports?: string; probe?: string; kind?: string; selector?: string } = {},
): string {
  const ns = opts.ns ? `  namespace: ${opts.ns}\n` : '';
  const labels = opts.labels ?? `{app: ${name}}`;
  const selector = opts.selector ?? `    matchLabels: ${labels}\n`;
  const ports = opts.ports ? `        ports:\n${opts.ports}` : '';
  const probe = opts.probe ?? '';
  return `apiVersion: apps/v1\nkind: ${opts.kind ?? 'Deployment'}\nmetadata:\n  name: ${name}\n${ns}spec:\n  selector:\n${selector}  template:\n    metadata:\n      labels: ${labels}\n    spec:\n      containers:\n      - name: ${name}\n        image: example/${name}:1\n${ports}${probe}`;
}

export function service(name: string, opts: { ns?: string; selector?: string; ports?: string; type?: string } = {}): string {
  const ns = opts.ns ? `  namespace: ${opts.ns}\n` : '';
  const type = opts.type ? `  type: ${opts.type}\n` : '';
  const selector = opts.selector === '' ? '' : `  selector: ${opts.selector ?? `{app: ${name}}`}\n`;
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${ns}spec:\n${type}${selector}  ports:\n${opts.ports ?? '  - port: 80\n    targetPort: 8080\n'}`;
}

export function policy(name: string, spec: string, ns?: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n${spec}`;
}

export const PORT_8080 = '        - containerPort: 8080\n';
export const NAMED_HTTP_8080 = '        - name: http\n          containerPort: 8080\n';
