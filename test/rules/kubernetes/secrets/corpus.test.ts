/**
 * The secrets test corpus: one workspace with every file kind Bulkhead reads, each holding true
 * secrets (synthetic, in real formats) and traps (placeholders, references, hashes, UUIDs,
 * certificates, documented examples, encrypted values). The scan must report exactly the expected
 * findings: every trap that fires and every secret that is missed fails the test. The per-kind
 * counts are printed for the record.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../../../support/paths';
import { SECRET_RULES as SECRET_RULE_LIST, SECRET_TEXT_RULES } from '../../../../rules/kubernetes/secrets';
import { removeWorkspace, tempWorkspace } from '../../../support/tempWorkspace';
import { API_KEY, AWS_KEY_ID, AWS_SECRET, b64, DB_PASSWORD, GITHUB_TOKEN, JWT, NPM_TOKEN, PEM_KEY, SLACK_TOKEN, STRIPE_KEY } from './fixtures';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n';
const DOC_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

interface CorpusFile {
  kind: string;
  text: string;
  /** `rule-id@line` (1-based) of every true finding; everything else in the file is a trap. */
  expect: string[];
  traps: number;
}

const CORPUS: Record<string, CorpusFile> = {
  'k8s/workloads.yaml': {
    kind: 'manifest',
    text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations:
    checksum/secret: 3f786850e387550fdab836ed7e6dc881de23001b
spec:
  template:
    spec:
      containers:
      - name: api
        image: api:1
        command: ["/bin/api", "--password-file=/run/secrets/db", "--token", "$(API_TOKEN)"]
        args: ["--db-password=${DB_PASSWORD}"]
        env:
        - name: AWS_ACCESS_KEY_ID
          value: ${AWS_KEY_ID}
        - name: AWS_SECRET_ACCESS_KEY
          value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        - name: API_TOKEN
          valueFrom: {secretKeyRef: {name: api, key: token}}
        - name: SESSION_SECRET
          value: "{{ .Values.sessionSecret }}"
        - name: TENANT_ID
          value: 5f1c3e2a-9b7d-4c1e-8f2a-6d3b9e0c7a41
        - name: SAMPLE_JWT
          value: ${DOC_JWT}
        - name: GITHUB_TOKEN
          value: ${GITHUB_TOKEN}
`,
    expect: ['secret-in-command-args@14', 'secret-in-env@17', 'secret-in-env@29'],
    traps: 7,
  },
  'k8s/configmaps.yaml': {
    kind: 'ConfigMap',
    text: `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  ca.crt: |
${CERT.trimEnd()
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
  .env: |
    DB_PASSWORD=\${DB_PASSWORD}
    SLACK_BOT_TOKEN=${SLACK_TOKEN}
    API_KEY=changeme
  application.properties: |
    spring.datasource.password=${DB_PASSWORD}
    spring.datasource.username=app
  grafana.json: '{"dashboard": {"uid": "a1b2c3d4e5f6", "title": "API"}}'
`,
    expect: ['secret-in-configmap@12', 'secret-in-configmap@15'],
    traps: 5,
  },
  'k8s/secrets.yaml': {
    kind: 'Secret',
    text: `apiVersion: v1
kind: Secret
metadata:
  name: api
stringData:
  password: ${DB_PASSWORD}
  username: api
  placeholder: "<from-secret-store>"
data:
  tls.crt: ${b64(CERT)}
  tls.key: ${b64(PEM_KEY)}
---
apiVersion: v1
kind: Secret
metadata:
  name: sops
stringData:
  password: ENC[AES256_GCM,data:Tr2B0q==,iv:x,tag:y,type:str]
sops:
  version: 3.8.1
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: sealed
spec:
  encryptedData:
    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEqAgBy3i4OJSWK+PiTySYZZA9rO43cGDEq
`,
    expect: ['secret-object-committed@6', 'secret-object-committed@11'],
    traps: 5,
  },
  'ops/prod.kubeconfig': {
    kind: 'kubeconfig',
    text: `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://203.0.113.10:6443
    certificate-authority-data: ${b64(CERT)}
users:
- name: admin
  user:
    client-certificate-data: ${b64(CERT)}
    client-key-data: ${b64(PEM_KEY)}
- name: ci
  user:
    token: ${JWT}
- name: dev
  user:
    tokenFile: /var/run/secrets/token
`,
    expect: ['kubeconfig-embedded-credentials@12', 'kubeconfig-embedded-credentials@15'],
    traps: 3,
  },
  'ops/prodcluster': {
    kind: 'kubeconfig, no extension',
    text: `apiVersion: v1
clusters:
- name: lab
  cluster:
    server: https://lab.internal:6443
    insecure-skip-tls-verify: true
users:
- name: ci
  user:
    token: ${JWT}
- name: dev
  user:
    token: "<paste your token>"
kind: Config
`,
    expect: ['kubeconfig-embedded-credentials@10', 'kubeconfig-insecure-skip-tls-verify@6'],
    traps: 1,
  },
  'chart/Chart.yaml': { kind: 'Chart', text: 'apiVersion: v2\nname: api\nversion: 1.0.0\n', expect: [], traps: 0 },
  'chart/values.yaml': {
    kind: 'Helm values',
    text: `auth:
  password: ${DB_PASSWORD}
  existingSecret: ""
  existingSecretPasswordKey: password
stripe:
  apiKey: ${STRIPE_KEY}
smtp:
  password: changeme
redis:
  password: ~
mail:
  passwordSecret: Mq7Lx2Vz9Tk4Wp
`,
    expect: ['helm-values-secret@2', 'helm-values-secret@6'],
    traps: 5,
  },
  'chart/templates/deploy.yaml': {
    kind: 'Helm template',
    // mail.passwordSecret is a credential by name, but the chart prints it only as a secretKeyRef name.
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: api:1\n        env:\n        - name: SMTP_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: {{ .Values.mail.passwordSecret }}\n              key: password\n        - name: WEBHOOK_TOKEN\n          value: "Hx7Lp2Qz9Wm4VrKd"\n        - name: LOG_TOKEN_TTL\n          value: {{ .Values.logTtl | default "3600" | quote }}\n',
    expect: ['secret-in-env@18'],
    traps: 2,
  },
  'app/.env': {
    kind: '.env',
    text: `# local settings\nDEBUG=true\nAPI_KEY=${API_KEY}\nDB_PASSWORD=\nTOKEN=\${CI_TOKEN}\nNPM_TOKEN=${NPM_TOKEN}\n`,
    expect: ['dotenv-secret@3', 'dotenv-secret@6'],
    traps: 3,
  },
  'app/.env.example': { kind: '.env template', text: `API_KEY=${API_KEY}\n`, expect: [], traps: 1 },
  'kustomize/kustomization.yaml': {
    kind: 'Kustomization',
    text: `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n- name: db\n  literals: [DB_PASSWORD=${DB_PASSWORD}, DB_USER=app, REPLICA_PASSWORD=changeme]\n`,
    expect: ['kustomize-secret-literal@5'],
    traps: 2,
  },
  'overlay/kustomization.yaml': {
    kind: 'Kustomization, no kind',
    text: `resources: [../kustomize]\nsecretGenerator:\n- name: api\n  literals:\n  - API_KEY=${API_KEY}\n  - API_URL=https://api.internal\n  envs: [api.properties]\n  files: [ca.crt, ../../outside.env]\n`,
    expect: ['kustomize-secret-literal@5'],
    traps: 3,
  },
  'overlay/api.properties': {
    kind: 'generator input',
    text: `DB_USER=app\nDB_PASSWORD=${DB_PASSWORD}\nDB_PASSWORD_FILE=/run/secrets/db\nSMTP_PASSWORD=<set in CI>\n`,
    expect: ['dotenv-secret@2'],
    traps: 3,
  },
  'overlay/ca.crt': { kind: 'generator input', text: CERT, expect: [], traps: 1 },
  'not-kustomize/generators.yaml': {
    kind: 'YAML, no kind',
    text: `secretGenerator:\n- name: api\n  literals: [API_KEY=${API_KEY}]\n`,
    expect: [],
    traps: 1,
  },
  'ops/keyed.conf': {
    kind: 'kubeconfig key files',
    text: 'apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: admin\n  user:\n    client-certificate: keys/admin.crt\n    client-key: keys/admin.key\n- name: ci\n  user:\n    tokenFile: keys/token.example\n    client-key: /etc/kubernetes/pki/ci.key\n',
    expect: ['kubeconfig-committed-key-file@8'],
    traps: 3,
  },
  'ops/keys/admin.key': { kind: 'key file', text: `${PEM_KEY}\n`, expect: [], traps: 0 },
  'ops/keys/admin.crt': { kind: 'key file', text: CERT, expect: [], traps: 0 },
  'ops/keys/token.example': { kind: 'key file', text: '<paste a token>\n', expect: [], traps: 0 },
  'docker/Dockerfile': {
    kind: 'Dockerfile',
    text: `FROM alpine:3.20
ARG NPM_TOKEN
ENV AWS_SECRET_ACCESS_KEY=${AWS_SECRET}
LABEL org.opencontainers.image.source=https://github.com/o/r
RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci
RUN curl -u deploy:Vr8Lq2Xz9Wm4Tn https://repo.internal/pkg.tgz -o /pkg.tgz
RUN echo "AKIAIOSFODNN7EXAMPLE is AWS's documented example"
LABEL deploy.api-token="Zq8rT2vLx5mNw4Kp9Bc3" maintainer=ops
ENV GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa.json
COPY ci/sa.json /secrets/sa.json
RUN docker run -p 8080:80 nginx
USER 10001
`,
    expect: [
      'dockerfile-secret-in-arg-env@2',
      'dockerfile-secret-in-arg-env@3',
      'dockerfile-secret-in-run@6',
      'dockerfile-secret-in-label@8',
      'dockerfile-copy-secret-file@10',
    ],
    traps: 6,
  },
};

const SECRET_RULES = new Set<string>(
  [...SECRET_RULE_LIST, ...SECRET_TEXT_RULES]
    .map((r) => r.id)
    .concat([
      'dockerfile-secret-in-arg-env',
      'dockerfile-hardcoded-token',
      'dockerfile-copy-secret-file',
      'dockerfile-secret-in-run',
      'dockerfile-secret-in-label',
    ]),
);

const roots: string[] = [];
after(() => roots.forEach(removeWorkspace));

describe('secrets test corpus', () => {
  it('reports every planted secret and no trap, file by file', () => {
    const root = tempWorkspace(Object.fromEntries(Object.entries(CORPUS).map(([p, f]) => [p, f.text])));
    roots.push(root);
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'bulkhead.js'), 'scan', '.', '--profile', 'all', '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60000,
    });
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string; range: { start: { line: number } } }[] };
    const rows: string[] = [];
    for (const [file, spec] of Object.entries(CORPUS)) {
      const got = out.findings
        .filter((f) => f.file === file && SECRET_RULES.has(f.ruleId))
        .map((f) => `${f.ruleId}@${f.range.start.line + 1}`)
        .sort();
      assert.deepEqual(got, [...spec.expect].sort(), `${file}`);
      rows.push(`${spec.kind.padEnd(22)} ${String(spec.expect.length).padStart(2)} true, 0 false, ${spec.traps} traps quiet`);
    }
    console.log(`secrets corpus:\n  ${rows.join('\n  ')}`);
  });
});
