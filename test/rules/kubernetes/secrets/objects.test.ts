import { RuleTester } from '../../../../rules/tester';
import { secretInConfigMap } from '../../../../rules/kubernetes/secrets/secretInConfigMap';
import { secretInAnnotation } from '../../../../rules/kubernetes/secrets/secretInAnnotation';
import { secretObjectCommitted } from '../../../../rules/kubernetes/secrets/secretObject';
import { kustomizeSecretLiteral } from '../../../../rules/kubernetes/secrets/kustomize';
import { API_KEY, AWS_SECRET, b64, DB_PASSWORD, GITHUB_TOKEN, NPM_TOKEN, PEM_KEY, SLACK_TOKEN } from './fixtures';

const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n${data}`;

RuleTester.run(secretInConfigMap, {
  valid: [
    {
      name: 'plain settings, placeholders, references and a public certificate',
      code: configMap(`  LOG_LEVEL: debug
  DB_HOST: postgres.db.svc
  DB_PASSWORD: ""
  API_KEY: changeme
  SECRET_NAME: app-credentials
  TOKEN_URL: https://auth.internal/token
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ
    -----END CERTIFICATE-----
`),
    },
    {
      name: 'an embedded .env of placeholders and a properties file without secrets',
      code: configMap(`  .env: |
    DB_PASSWORD=\${DB_PASSWORD}
    API_TOKEN=<set-me>
    # SECRET_KEY=commented-out
    DEBUG=true
  app.properties: |
    server.port=8080
    spring.datasource.password=
    spring.datasource.username=app
`),
    },
    {
      name: 'embedded JSON with hashes and UUIDs',
      code: configMap(`  settings.json: |
    {"build": {"sha": "3f786850e387550fdab836ed7e6dc881de23001b"}, "tenantId": "5f1c3e2a-9b7d-4c1e-8f2a-6d3b9e0c7a41", "passwordHash": "$2b$12$Q9y4eX8mZp1rT5wV7nK3uO"}
`),
    },
  ],
  invalid: [
    {
      name: 'a credential key, and an embedded .env judged line by line at the value',
      code: configMap(`  SMTP_PASSWORD: ${DB_PASSWORD}
  .env: |
    DEBUG=false
    export STRIPE_SECRET=${API_KEY}
    GITHUB_TOKEN="${GITHUB_TOKEN}"
`),
      errors: [
        { text: DB_PASSWORD, line: 5, message: /^ConfigMap\/app-config key "SMTP_PASSWORD" holds a password "Pl4t…" \(17 characters\)/ },
        { text: API_KEY, line: 8, message: /"STRIPE_SECRET" in "\.env" holds a credential/ },
        { text: GITHUB_TOKEN, line: 9, message: /GitHub token/ },
      ],
    },
    {
      name: 'embedded YAML, JSON, INI and TOML',
      code: configMap(`  application.yaml: |
    spring:
      datasource:
        password: ${DB_PASSWORD}
  config.json: '{"slack": {"botToken": "${SLACK_TOKEN}"}}'
  app.ini: |
    [database]
    passwd = Wq9rT2vLx5mN
  settings.toml: |
    [aws]
    secret_access_key = "${AWS_SECRET}"
`),
      errors: [
        { text: DB_PASSWORD, line: 8, message: /"spring\.datasource\.password" in "application\.yaml"/ },
        { text: SLACK_TOKEN, line: 9, message: /Slack token/ },
        { text: 'Wq9rT2vLx5mN', line: 12, message: /"database\.passwd" in "app\.ini"/ },
        { text: AWS_SECRET, line: 15 },
      ],
    },
  ],
});

RuleTester.run(secretInAnnotation, {
  valid: [
    {
      name: 'ordinary annotations',
      code: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    prometheus.io/scrape: "true"\n    example.com/token-audience: api\n    checksum/secret: 3f786850e387550fdab836ed7e6dc881de23001b\nspec: {ports: [{port: 80}]}\n',
    },
    {
      name: 'last-applied of a Secret holding placeholders',
      code: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","data":{"password":"${b64('changeme')}"}}'\n`,
    },
    {
      name: 'last-applied of a Deployment: env values named by settings, a secretKeyRef, a placeholder',
      code: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"Deployment","spec":{"template":{"spec":{"containers":[{"env":[{"name":"LOG_LEVEL","value":"Kx8Lq2Vz9Tm4"},{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"key":"password","name":"db"}}},{"name":"API_TOKEN","value":"changeme"}],"name":"web"}]}}}}'\n`,
    },
  ],
  invalid: [
    {
      name: 'a token in an annotation, and a Secret value copied by kubectl apply',
      code: `apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    ci.example.com/deploy-token: ${NPM_TOKEN}
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","data":{"password":"${b64(DB_PASSWORD)}"}}'
`,
      errors: [
        { text: NPM_TOKEN, line: 5, message: /npm token "npm_…" \(40 characters\)/ },
        { text: b64(DB_PASSWORD), line: 6, message: /\(data\.password\) holds a password "Pl4t…"/ },
      ],
    },
    {
      name: 'last-applied of a Deployment: an env value judged with its name',
      code: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"Deployment","spec":{"template":{"spec":{"containers":[{"env":[{"name":"LOG_LEVEL","value":"debug"},{"name":"DB_PASSWORD","value":"${DB_PASSWORD}"}],"name":"web"}]}}}}'\n`,
      errors: [{ text: DB_PASSWORD, line: 5, message: /\(spec\.template\.spec\.containers\.env\.value\[DB_PASSWORD\]\) holds a password "Pl4t…"/ }],
    },
  ],
});

const secret = (body: string, extra = '') => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n${extra}${body}`;

RuleTester.run(secretObjectCommitted, {
  valid: [
    {
      name: 'placeholders, empty values and a username',
      code: secret(
        `stringData:\n  password: changeme\n  token: "<from-secret-store>"\n  username: app\n  account: svc-deploy@my-project-123.iam.gserviceaccount.com\n  bucket: my-app-prod-assets-2024\ndata:\n  api-key: ""\n  user: ${b64('postgres')}\n`,
      ),
    },
    {
      name: 'a TLS Secret: the certificate is public',
      code: secret(
        `type: kubernetes.io/tls\ndata:\n  tls.crt: ${b64('-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----\n')}\n  tls.key: ""\n`,
      ),
    },
    { name: 'a SOPS-encrypted file', code: secret('stringData:\n  password: ENC[AES256_GCM,data:Tr2B0q==,iv:x,tag:y,type:str]\nsops:\n  version: 3.8.1\n') },
    {
      name: 'a SealedSecret is another kind',
      code: 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: db}\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq\n',
    },
    {
      name: 'an ExternalSecret names where the value lives',
      code: 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: db}\nspec:\n  data:\n  - secretKey: password\n    remoteRef: {key: prod/db, property: password}\n',
    },
    {
      name: 'legacy .dockercfg with a placeholder password',
      code: secret(
        `type: kubernetes.io/dockercfg\ndata:\n  .dockercfg: ${b64(JSON.stringify({ 'https://index.docker.io/v1/': { auth: b64('bot:<token>') } }))}\n`,
      ),
    },
    {
      name: 'registry credentials with placeholders',
      code: secret(
        `type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'ghcr.io': { auth: b64('bot:changeme') } } }))}\n`,
      ),
    },
  ],
  invalid: [
    {
      name: 'stringData and base64 data, reported at the key; fixes write a placeholder and a comment',
      code: secret(`stringData:\n  password: ${DB_PASSWORD}\n  GITHUB_TOKEN: ${GITHUB_TOKEN} # ci bot\ndata:\n  api-key: ${b64(API_KEY)}\n`),
      errors: [
        {
          text: DB_PASSWORD,
          line: 5,
          message: /^Secret\/db stringData\.password holds a password "Pl4t…" \(17 characters\): anyone with the repository has it/,
        },
        { text: GITHUB_TOKEN, line: 6, message: /GitHub token/ },
        { text: b64(API_KEY), line: 8, message: /data\.api-key holds a credential .*\(base64 is an encoding, not encryption\)/ },
      ],
      output: secret(
        `stringData:\n  password: "<from-secret-store>"  # set at deploy time from Sealed Secrets, External Secrets or SOPS; never commit the value\n  GITHUB_TOKEN: "<from-secret-store>" # ci bot\ndata:\n  api-key: ${b64('<from-secret-store>')}  # set at deploy time from Sealed Secrets, External Secrets or SOPS; never commit the value\n`,
      ),
    },
    {
      name: 'a private key in tls.key; registry credentials decoded twice; a random value under any key',
      code: secret(
        `data:\n  tls.key: ${b64(PEM_KEY)}\n  .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'registry.internal': { auth: b64('deployer:Vr8Lq2Xz9Wm4Tn') } } }))}\n  seed: ${b64('Lm3!xQ9@vR2#tZ7$wK5%')}\n`,
      ),
      errors: [
        { line: 5, message: /tls\.key holds a private key/ },
        { line: 6, message: /registry password for registry\.internal/ },
        { line: 7, message: /random-looking value/ },
      ],
    },
    {
      name: 'legacy .dockercfg (no auths wrapper), decoded twice',
      code: secret(
        `type: kubernetes.io/dockercfg\ndata:\n  .dockercfg: ${b64(JSON.stringify({ 'https://index.docker.io/v1/': { auth: b64('bot:Vr8Lq2Xz9Wm4Tn'), email: 'ci@example.com' } }))}\n`,
      ),
      errors: [{ line: 6, message: /data\.\.dockercfg holds a registry password for https:\/\/index\.docker\.io\/v1\// }],
    },
  ],
});

RuleTester.run(kustomizeSecretLiteral, {
  valid: [
    {
      name: 'placeholders and files',
      code: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n- name: db\n  literals: [DB_PASSWORD=changeme, DB_USER=app]\n  envs: [db.env]\n',
    },
  ],
  invalid: [
    {
      name: 'literals of a secretGenerator and a configMapGenerator',
      code: `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nsecretGenerator:\n- name: db\n  literals:\n  - DB_PASSWORD=${DB_PASSWORD}\nconfigMapGenerator:\n- name: app\n  literals: ["SLACK=${SLACK_TOKEN}", "LOG=debug"]\n`,
      errors: [
        { text: DB_PASSWORD, line: 5, message: /^secretGenerator literal DB_PASSWORD holds a password/ },
        { text: SLACK_TOKEN, line: 8, message: /^configMapGenerator literal SLACK holds a Slack token/ },
      ],
    },
  ],
});
