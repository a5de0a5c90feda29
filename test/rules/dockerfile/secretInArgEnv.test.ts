import { RuleTester } from '../../../rules/tester';
import { dockerfileSecretInArgEnv } from '../../../rules/dockerfile/secretInArgEnv';

RuleTester.run(dockerfileSecretInArgEnv, {
  valid: [
    {
      name: 'false friends: locations and metadata',
      code: 'FROM alpine:3.20\nARG TOKEN_URL=https://auth.example.com/token\nENV PASSWORD_FILE=/run/secrets/db SECRET_NAME=db-creds KEY_ID=abc\nENV AWS_ACCESS_KEY_ID_PATH=/x VAULT_TOKEN_PATH=/vault/token SECRETS_DIR=/secrets\nENV AUTH_ENDPOINT=https://x OAUTH_TOKEN_HOST=x DB_PASSWORD_PORT=5432\n',
    },
    {
      name: 'GPG fingerprints and public keys',
      code: 'FROM python:3.12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\nARG PUBLIC_KEY\nENV KEYCLOAK_VERSION=24\n',
    },
    {
      name: 'words that merely contain a secret word',
      code: 'FROM alpine:3.20\nENV TOKENIZERS_PARALLELISM=false PATH=/usr/bin:$PATH PASSTHROUGH=1 COMPASS=x\n',
    },
    { name: 'a key id that is not an access key pair', code: 'FROM alpine:3.20\nARG GPG_KEY_ID=ABCDEF\nENV NO_ACCESS_KEY_ID=1234567\n' },
    {
      name: 'booleans and paths',
      code: 'FROM alpine:3.20\nENV REQUIRE_PASSWORD=true ALLOW_EMPTY_PASSWORD=yes\nENV DB_PASSWORD=/run/secrets/db_password\nENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json\n',
    },
    { name: 'PWD is the working directory', code: 'FROM alpine:3.20\nENV PWD=/app\n' },
    { name: 'secret mount instead', code: 'FROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n' },
    { name: 'empty ENV', code: 'FROM alpine:3.20\nENV API_KEY=""\n' },
    { name: 'BuildKit skip directive', code: '# check=skip=SecretsUsedInArgOrEnv\nFROM alpine:3.20\nARG NPM_TOKEN\n' },
    { name: 'hadolint ignore', code: 'FROM alpine:3.20\n# hadolint ignore=DL3064\nARG NPM_TOKEN\n' },
  ],
  invalid: [
    {
      name: 'the identifying half of a key pair, with the reason',
      code: 'FROM amazon/aws-cli:2.15\nARG AWS_ACCESS_KEY_ID\nENV MINIO_ACCESS_KEY_ID=minioadmin\n',
      errors: [
        {
          text: 'AWS_ACCESS_KEY_ID',
          line: 1,
          message: /^ARG AWS_ACCESS_KEY_ID is the identifying half of a key pair: not secret alone, but it names the account and key/,
        },
        { text: 'MINIO_ACCESS_KEY_ID', line: 2, message: /identifying half/ },
      ],
    },
    {
      name: 'Jenkins _PSW',
      code: 'FROM alpine:3.20\nARG NEXUS_PSW\nRUN echo ok\n',
      errors: [{ text: 'NEXUS_PSW', line: 1, message: /looks like a credential/ }],
      output: '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN --mount=type=secret,id=nexus_psw,env=NEXUS_PSW echo ok\n',
    },
    {
      name: 'ARG token without default',
      code: 'FROM node:22 AS build\nARG NPM_TOKEN\nRUN npm ci\nFROM node:22-slim\n',
      errors: [{ text: 'NPM_TOKEN', line: 1, message: /ARG NPM_TOKEN looks like a credential.*--mount=type=secret,id=npm_token/ }],
      output: '# syntax=docker/dockerfile:1\nFROM node:22 AS build\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\nFROM node:22-slim\n',
    },
    {
      name: 'secret mount fix on every later RUN of the stage, keeping an existing syntax line and CRLF',
      code: '# syntax=docker/dockerfile:1.10\r\nFROM golang:1.22 AS build\r\nRUN go env\r\nARG GITHUB_TOKEN\r\nRUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"\r\nRUN --mount=type=cache,target=/go/pkg go mod download\r\nFROM scratch\r\n',
      errors: [{ text: 'GITHUB_TOKEN', line: 3 }],
      output:
        '# syntax=docker/dockerfile:1.10\r\nFROM golang:1.22 AS build\r\nRUN go env\r\nRUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"\r\nRUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN --mount=type=cache,target=/go/pkg go mod download\r\nFROM scratch\r\n',
    },
    {
      name: 'no fix when a non-RUN instruction reads it (secrets exist only in RUN)',
      code: 'FROM alpine:3.20\nARG API_TOKEN\nENV TOKEN_COPY=$API_TOKEN\n',
      errors: [{ text: 'API_TOKEN', line: 1 }],
      output: 'FROM alpine:3.20\nARG API_TOKEN\nENV TOKEN_COPY=$API_TOKEN\n',
    },
    {
      name: 'ENV password with a value, legacy form',
      code: 'FROM postgres:16\nENV POSTGRES_PASSWORD postgres\n',
      errors: [{ text: 'POSTGRES_PASSWORD', line: 1, message: /ENV POSTGRES_PASSWORD/ }],
    },
    {
      name: 'several in one ENV; exact names; camelCase',
      code: 'FROM alpine:3.20\nENV API_KEY=abc SECRET=s3 PORT=80 AWS_SECRET_ACCESS_KEY=$AWS_SECRET\nARG githubToken\n',
      errors: [
        { text: 'API_KEY', line: 1 },
        { text: 'SECRET', line: 1 },
        { text: 'AWS_SECRET_ACCESS_KEY', line: 1 },
        { text: 'githubToken', line: 2 },
      ],
    },
    {
      name: 'global ARG and continuation',
      code: 'ARG GITHUB_PAT\nFROM alpine:3.20\nENV A=1 \\\n    DJANGO_SECRET_KEY=changeme\n',
      errors: [
        { text: 'GITHUB_PAT', line: 0 },
        { text: 'DJANGO_SECRET_KEY', line: 3 },
      ],
    },
    {
      name: 'private and ssh keys, passwords',
      code: 'FROM alpine:3.20\nARG SSH_PRIVATE_KEY\nARG DEPLOY_KEY\nARG DB_PASS=hunter2\nARG CLIENT_SECRET\n',
      errors: [
        { text: 'SSH_PRIVATE_KEY', line: 1 },
        { text: 'DEPLOY_KEY', line: 2 },
        { text: 'DB_PASS', line: 3 },
        { text: 'CLIENT_SECRET', line: 4 },
      ],
    },
    {
      name: 'well-known variables',
      code: 'FROM postgres:16\nENV PGPASSWORD=secret NPM_CONFIG__AUTH=dXNlcjpwYXNz\n',
      errors: [
        { text: 'PGPASSWORD', line: 1 },
        { text: 'NPM_CONFIG__AUTH', line: 1 },
      ],
    },
    {
      // The fix used to build a RegExp from the name: this one backtracked exponentially (hung).
      name: 'a name that is a regex with nested quantifiers is not compiled, and gets no fix',
      code: `FROM alpine:3.20\nARG (a+)+_TOKEN\nLABEL x=$${'a'.repeat(40)}!\nRUN make\n`,
      errors: [{ text: '(a+)+_TOKEN', line: 1 }],
      output: `FROM alpine:3.20\nARG (a+)+_TOKEN\nLABEL x=$${'a'.repeat(40)}!\nRUN make\n`,
    },
  ],
});
