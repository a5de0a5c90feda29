/** Secrets in Helm charts: values lines, template literals, and values copied by templates reported once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../../../rules';
import { ResolvedConfig } from '../../../../server/src/engine/config';
import { Engine } from '../../../../server/src/engine/engine';
import type { ChartFiles } from '../../../../server/src/documents/helm/chart';

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: x
spec:
  template:
    spec:
      containers:
      - name: c
        image: "x:1"
        env:
        - name: DB_PASSWORD
          value: {{ .Values.db.password | quote }}
        - name: OTHER_PASSWORD
          value: {{ .Values.db.pw | quote }}
        - name: API_TOKEN
          value: "Hx7Lp2Qz9Wm4VrKd"
        - name: EMPTY_PASSWORD
          value: {{ .Values.db.empty | quote }}
`;
const VALUES = 'db:\n  password: Vq7rLx2Tz9mWp4\n  pw: Zq8rT2vLx5mN\n  empty: ""\n';

describe('secrets in a Helm chart', () => {
  const file = '/c/templates/d.yaml';
  const chart: ChartFiles = { root: '/c', chartYaml: 'name: c\n', valuesYaml: VALUES, templates: new Map([[file, TEMPLATE]]) };
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'recommended'));
  const secretsOf = (r: ReturnType<Engine['lint']>, text: string) =>
    r.findings.filter((f) => f.rule.category === 'secrets').map((f) => [f.ruleId, f.range.start.line, text.slice(f.start, f.end)]);

  it('reports a literal value of values.yaml on its values line', () => {
    const r = engine.lint('/c/values.yaml', VALUES, { isInChart: () => true });
    assert.equal(r.kind, 'helm-values');
    assert.deepEqual(secretsOf(r, VALUES), [['helm-values-secret', 1, 'Vq7rLx2Tz9mWp4']]);
  });

  it('does not report it again where a template copies it; reports what only the rendering reveals, and template literals', () => {
    const r = engine.lint(file, TEMPLATE, { kind: 'helm-template', helmChart: () => chart });
    assert.deepEqual(secretsOf(r, TEMPLATE), [
      // `pw` alone is not a credential name in values.yaml; the env var it lands in is.
      ['secret-in-env', 14, '{{ .Values.db.pw | quote }}'],
      ['secret-in-env', 16, 'Hx7Lp2Qz9Wm4VrKd'],
    ]);
    // The literal one keeps its fix (it is template text); the generated one has none.
    assert.equal(r.findings.find((f) => f.range.start.line === 16)?.fixes.length, 1);
    assert.equal(r.findings.find((f) => f.range.start.line === 14)?.fixes.length, 0);
  });
});

describe('a values secret printed by a template as a block', () => {
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: x
spec:
  template:
    spec:
      containers:
      - name: c
        image: "x:1"
        env:
        {{- toYaml .Values.extraEnv | nindent 8 }}
`;
  const VALUES = 'extraEnv:\n- name: DB_PASSWORD\n  value: Tk5Rm2Zq9Lx4\n- name: LOG_LEVEL\n  value: debug\n';
  const chart: ChartFiles = { root: '/e', chartYaml: 'name: e\n', valuesYaml: VALUES, templates: new Map([['/e/templates/d.yaml', DEPLOY]]) };
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'recommended'));

  it('is reported once on its values line, by the values rule (not again by the env rule through the rendering)', () => {
    const r = engine.lint('/e/values.yaml', VALUES, { isInChart: () => true, helmChart: () => chart });
    const secrets = r.findings.filter((f) => f.rule.category === 'secrets').map((f) => [f.ruleId, f.range.start.line, VALUES.slice(f.start, f.end)]);
    assert.deepEqual(secrets, [['helm-values-secret', 2, 'Tk5Rm2Zq9Lx4']]);
  });

  it('the env rule still reports it through the rendering when the values rule is off', () => {
    const off = new Engine(new ResolvedConfig(ALL_RULES, { rules: { 'helm-values-secret': 'off' } }, 'recommended'));
    const r = off.lint('/e/values.yaml', VALUES, { isInChart: () => true, helmChart: () => chart });
    assert.deepEqual(
      r.findings.filter((f) => f.rule.category === 'secrets').map((f) => [f.ruleId, f.range.start.line]),
      [['secret-in-env', 2]],
    );
  });
});

describe('Helm values the templates use only as names', () => {
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Values.app.apiToken }}
spec:
  template:
    spec:
      imagePullSecrets:
      - name: {{ .Values.registry.pullSecretToken }}
      volumes:
      - name: tls
        secret:
          secretName: {{ .Values.tls.certPassword }}
      containers:
      - name: c
        image: "x:1"
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ .Values.db.credentialsPassword }}
              key: {{ .Values.db.passwordKeyName }}
        - name: API_PASSWORD
          value: {{ .Values.api.password | quote }}
        - name: MIXED
          valueFrom:
            secretKeyRef:
              name: {{ .Values.mixed.password }}
              key: password
        - name: MIXED_COPY
          value: {{ .Values.mixed.password | quote }}
`;
  const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: {{ .Values.db.credentialsPassword }}
stringData:
  admin-password: {{ .Values.admin.password }}
`;
  const VALUES = [
    'app:',
    '  apiToken: Rk8vN2pLq7Wt5Zx3',
    'registry:',
    '  pullSecretToken: Hq4Lm9Vx2Tz7Wp8K',
    'tls:',
    '  certPassword: Zm7Kq2Lp9Xv4',
    'db:',
    '  credentialsPassword: Pq3Vn8Lx2Wz7',
    '  passwordKeyName: Tk5Rm2Zq9Lx4',
    'api:',
    '  password: Vq7rLx2Tz9mWp4',
    'mixed:',
    '  password: Wn2Kx8Lq5Zv3',
    'admin:',
    '  password: Lx9Qm4Tz2Vk7',
    'unused:',
    '  password: Ny6Wq3Kz8Lm2',
    'github:',
    '  token: Jx8Kq3Lm7Vz2Np5R',
    '',
  ].join('\n');
  const chart: ChartFiles = {
    root: '/h',
    chartYaml: 'name: h\n',
    valuesYaml: VALUES,
    templates: new Map([
      ['/h/templates/deploy.yaml', DEPLOY],
      ['/h/templates/secret.yaml', SECRET],
    ]),
  };
  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'recommended'));
  const reported = (withChart: boolean) =>
    engine
      .lint('/h/values.yaml', VALUES, { isInChart: () => true, ...(withChart ? { helmChart: () => chart } : {}) })
      .findings.filter((f) => f.ruleId === 'helm-values-secret')
      .map((f) => VALUES.split('\n')[f.range.start.line].trim().split(':')[0]);

  it('without the chart, every credential-named value is reported (names are all there is)', () => {
    // (`passwordKeyName` is not a credential name: a key name.)
    assert.deepEqual(reported(false), [
      'apiToken',
      'pullSecretToken',
      'certPassword',
      'credentialsPassword',
      'password',
      'password',
      'password',
      'password',
      'token',
    ]);
  });

  it('with the chart, values printed only as names (metadata.name, imagePullSecrets, secretName, secretKeyRef) are quiet', () => {
    // Reported: an env value, a value used both as a name and as an env value, a Secret's stringData,
    // and values no template prints (nothing shows they are names).
    const lines = engine
      .lint('/h/values.yaml', VALUES, { isInChart: () => true, helmChart: () => chart })
      .findings.filter((f) => f.ruleId === 'helm-values-secret')
      .map((f) => f.range.start.line);
    assert.deepEqual(lines, [10, 12, 14, 16, 18]);
  });
});
