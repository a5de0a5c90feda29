import { RuleTester } from '../../../../rules/tester';
import { secretInEnv } from '../../../../rules/kubernetes/secrets/secretInEnv';
import { secretInCommandArgs } from '../../../../rules/kubernetes/secrets/secretInArgs';
import { API_KEY, AWS_KEY_ID, AWS_SECRET, DB_PASSWORD, GITHUB_TOKEN, JWT, STRIPE_KEY } from './fixtures';

const deployment = (container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: billing
spec:
  selector: {matchLabels: {app: billing}}
  template:
    metadata: {labels: {app: billing}}
    spec:
      containers:
${container}`;

RuleTester.run(secretInEnv, {
  valid: [
    {
      name: 'references, placeholders and templates',
      code: deployment(`      - name: app
        image: app:1
        env:
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
        - name: API_KEY
          value: changeme
        - name: TOKEN
          value: "\${TOKEN}"
        - name: CLIENT_SECRET
          value: "$(CLIENT_SECRET)"
        - name: ADMIN_PASSWORD
          value: "<your-password>"
        - name: SECRET_NAME
          value: billing-credentials
        - name: PASSWORD_FILE
          value: /run/secrets/db-password
        - name: AWS_SECRET_ACCESS_KEY
          value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
        - name: TOKEN
          value: ""
        - name: ACCESS_KEY   # REQUIRED - replace with your access key
          value: 8312341g-5678-abcd-4a2b2c-33bcsd655
        - name: MYSQL_ROOT_PASSWORD
          # change this
          value: Zq8rT2vLx5mN
        - name: MYSQL_PASSWORD
          value: yourpassword
`),
    },
    {
      name: 'non-secrets with high entropy: hashes, UUIDs, fingerprints, booleans',
      code: deployment(`      - name: app
        image: app:1
        env:
        - {name: BUILD_SHA, value: 3f786850e387550fdab836ed7e6dc881de23001b}
        - {name: TENANT_ID, value: 5f1c3e2a-9b7d-4c1e-8f2a-6d3b9e0c7a41}
        - {name: SECRET_ID, value: 5f1c3e2a-9b7d-4c1e-8f2a-6d3b9e0c7a41}
        - {name: PASSWORD_HASH, value: "$2b$12$Q9y4eX8mZp1rT5wV7nK3uOQ9y4eX8mZp1rT5wV7nK3uOQ9y4eX8mZ"}
        - {name: ENABLE_TOKEN_AUTH, value: "true"}
        - {name: TOKEN_TTL, value: "3600"}
        - {name: PUBLIC_KEY, value: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"}
        - {name: OIDC_ISSUER, value: "https://accounts.example.com/"}
`),
    },
    {
      name: 'a documented JWT (jwt.io sample) and a GitHub-shaped string with a wrong checksum',
      code: deployment(`      - name: app
        image: app:1
        env:
        - name: SAMPLE
          value: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c
        - name: GH
          value: ghp_16C7e42F292c6912E7710c838347Ae178B4a
`),
    },
    {
      name: 'option lists with variables, files, placeholders and settings',
      code: deployment(`      - name: app
        image: app:1
        env:
        - name: JAVA_OPTS
          value: "-Xmx1g -Dspring.datasource.password=\${DB_PASSWORD} -Djavax.net.ssl.trustStorePassword=changeit"
        - name: EXTRA_ARGS
          value: "--password-file=/run/secrets/db --token-ttl 3600"
        - name: CURL_OPTS
          value: "-u deploy:$(DEPLOY_PASSWORD) --retry 3"
`),
    },
  ],
  invalid: [
    {
      name: 'name and value on separate lines; the fix reads the Secret named after the workload',
      code: deployment(`      - name: app
        image: app:1
        env:
        - name: DB_PASSWORD  # the primary
          value: ${DB_PASSWORD}
        - name: LOG_LEVEL
          value: info
`),
      errors: [
        { text: DB_PASSWORD, line: 14, message: /^container "app" of Deployment\/billing sets DB_PASSWORD to a literal password "Pl4t…" \(17 characters\)/ },
      ],
      output: deployment(`      - name: app
        image: app:1
        env:
        - name: DB_PASSWORD  # the primary
          valueFrom:
            secretKeyRef:
              name: billing
              key: DB_PASSWORD
        - name: LOG_LEVEL
          value: info
`),
    },
    {
      name: 'known formats under any name, in flow style; camelCase names',
      code: deployment(`      - name: app
        image: app:1
        env:
        - {name: GIT_REMOTE, value: "${GITHUB_TOKEN}"}
        - {name: awsSecretAccessKey, value: "${AWS_SECRET}"}
        - {name: STRIPE, value: ${STRIPE_KEY}}
        - {name: SESSION, value: "Bearer ${JWT}"}
        - {name: apiKey, value: ${API_KEY}}
        - {name: AWS_ACCESS_KEY_ID, value: ${AWS_KEY_ID}}
`),
      errors: [
        { text: GITHUB_TOKEN, message: /GitHub token "ghp_…" \(40 characters\)/ },
        { text: AWS_SECRET },
        { text: STRIPE_KEY, message: /Stripe live key/ },
        { text: JWT, message: /JSON Web Token/ },
        { text: API_KEY },
        { text: AWS_KEY_ID, message: /AWS access key ID/ },
      ],
    },
    {
      name: 'a password in a connection URL, in an init container of a CronJob',
      code: `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: wait
            image: pg:16
            env:
            - name: DATABASE_URL
              value: postgres://backup:Qz8rT2vLx5mN@db.internal:5432/app
`,
      errors: [
        {
          text: 'postgres://backup:Qz8rT2vLx5mN@db.internal:5432',
          message: /^init container "wait" of CronJob\/backup sets DATABASE_URL to a literal password in a URL/,
        },
      ],
    },
    {
      name: 'credentials among the options of one variable',
      code: deployment(`      - name: app
        image: app:1
        env:
        - name: JAVA_OPTS
          value: "-Xmx1g -Dspring.datasource.password=Kx8Lq2Vz9Tm4 -Dfile.encoding=UTF-8"
        - name: EXTRA_ARGS
          value: --api-key Zq8rT2vLx5mNw4Kp9Bc3 --verbose
`),
      errors: [
        {
          text: 'Kx8Lq2Vz9Tm4',
          message:
            /^container "app" of Deployment\/billing sets JAVA_OPTS to options that pass Dspring\.datasource\.password a literal password "Kx…" \(12 characters\)/,
        },
        { text: 'Zq8rT2vLx5mNw4Kp9Bc3', message: /sets EXTRA_ARGS to options that pass api-key a literal credential/ },
      ],
    },
  ],
});

RuleTester.run(secretInCommandArgs, {
  valid: [
    {
      name: 'variables, prompts and ports',
      code: deployment(`      - name: app
        image: mysql:8
        command: ["mysql", "-p", "-h", "db", "--password=$(DB_PASSWORD)"]
        args: ["--token", "$(TOKEN)", "-p", "3306", "--password-file=/run/secrets/pw"]
`),
    },
    {
      name: 'shell strings with variables and placeholders',
      code: deployment(`      - name: app
        image: alpine:3
        command: ["sh", "-c", "PASSWORD=$DB_PASSWORD ./run --api-key \${API_KEY} --token=<token>"]
`),
    },
    {
      name: 'next-item passwords that are variables; -p of docker run is a port',
      code: deployment(`      - name: tunnel
        image: alpine:3
        command: ["sshpass", "-p", "$(SSH_PASSWORD)", "ssh", "host"]
      - name: dind
        image: docker:27
        command: ["docker", "run", "-p", "8080:80", "nginx"]
      - name: cache
        image: redis:7
        command: ["redis-cli", "-h", "db", "ping"]
`),
    },
  ],
  invalid: [
    {
      name: '--flag=value, --flag value, mysql -pSECRET, and assignments in sh -c',
      code: deployment(`      - name: app
        image: mysql:8
        command: ["mysql", "-pRt7Lq2Xz9Wm4", "-h", "db"]
        args:
        - --db-password=${DB_PASSWORD}
        - --api-key
        - ${API_KEY}
      - name: job
        image: alpine:3
        command:
        - sh
        - -c
        - DB_PASSWORD=Hx7Lp2Qz9Wm4Vr ./migrate --token ${GITHUB_TOKEN}
`),
      errors: [
        { text: 'Rt7Lq2Xz9Wm4', message: /passes -p a literal password/ },
        { text: DB_PASSWORD, message: /passes db-password a literal password "Pl4t…" \(17 characters\)/ },
        { text: API_KEY, message: /passes api-key a literal credential/ },
        { text: 'Hx7Lp2Qz9Wm4Vr', message: /^container "job"/ },
        { text: GITHUB_TOKEN, message: /GitHub token/ },
      ],
    },
    {
      name: 'sshpass -p, redis-cli -a and docker login -p as separate items, and inside sh -c',
      code: deployment(`      - name: tunnel
        image: alpine:3
        command: ["sshpass", "-p", "Kx8Lq2Vz9Tm4", "ssh", "host"]
      - name: cache
        image: redis:7
        command: ["/usr/local/bin/redis-cli", "-a", "Zq8rT2vLx5mN", "ping"]
      - name: push
        image: docker:27
        command: ["docker", "login", "-u", "bot", "-p", "Wn2Kx8Lq5Zv3", "reg.io"]
      - name: shell
        image: docker:27
        command: ["sh", "-c", "docker login -u bot -p Tk5Rm2Zq9Lx4 reg.io && docker push reg.io/a"]
`),
      errors: [
        { text: 'Kx8Lq2Vz9Tm4', message: /^container "tunnel" of Deployment\/billing passes -p a literal password/ },
        { text: 'Zq8rT2vLx5mN', message: /passes -a a literal password/ },
        { text: 'Wn2Kx8Lq5Zv3', message: /^container "push"/ },
        { text: 'Tk5Rm2Zq9Lx4', message: /^container "shell"/ },
      ],
    },
  ],
});
