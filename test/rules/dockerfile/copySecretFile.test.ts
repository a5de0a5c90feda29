import { RuleTester } from '../../../rules/tester';
import { dockerfileCopySecretFile } from '../../../rules/dockerfile/copySecretFile';

RuleTester.run(dockerfileCopySecretFile, {
  valid: [
    {
      name: 'credential variables pointing at a secret mount',
      code: 'FROM google/cloud-sdk:470.0.0\nENV GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/gcp\nRUN --mount=type=secret,id=gcp gcloud auth activate-service-account --key-file=/run/secrets/gcp\nRUN --mount=type=secret,id=k,target=/k.json gcloud auth activate-service-account --key-file /k.json\n',
    },
    { name: 'a file copied elsewhere than the credential path', code: 'FROM alpine:3.20\nENV AWS_CONFIG_FILE=/etc/aws/config\nCOPY config.json /app/\n' },
    {
      name: 'gcloud without a key file, and the word in echo',
      code: 'FROM google/cloud-sdk:470.0.0\nRUN gcloud config set project p && echo "--key-file=/k.json"\n',
    },
    { name: 'templates and public keys', code: 'FROM alpine:3.20\nCOPY .env.example .env.sample id_rsa.pub /app/\n' },
    { name: 'certificates are public', code: 'FROM alpine:3.20\nCOPY ca.pem cert.pem fullchain.pem /etc/ssl/\n' },
    { name: 'destination named like a secret file is not a source', code: 'FROM alpine:3.20\nCOPY config/npmrc.template /root/.npmrc\n' },
    { name: 'public signing keys', code: 'FROM debian:12\nCOPY nginx_signing.key repo.key /tmp/\n' },
    { name: 'secret mount instead', code: 'FROM node:22\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n' },
    { name: 'variables cannot be judged', code: 'FROM alpine:3.20\nARG KEYFILE\nCOPY ${KEYFILE} /k\n' },
    { name: 'environment-ish names that are not dotenv files', code: 'FROM alpine:3.20\nCOPY environment.yml keys.go /app/\nCOPY docker/ /docker/\n' },
  ],
  invalid: [
    {
      name: 'a file copied where GOOGLE_APPLICATION_CREDENTIALS points, before or after the ENV',
      code: 'FROM python:3.12\nCOPY sa.json /secrets/\nENV GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa.json AWS_CONFIG_FILE="/root/aws.cfg"\nCOPY ci/aws.cfg /root/aws.cfg\n',
      errors: [
        {
          text: 'sa.json',
          line: 1,
          message:
            'COPY of sa.json to /secrets/sa.json, the credential file GOOGLE_APPLICATION_CREDENTIALS names, puts it into an image layer. Mount it with RUN --mount=type=secret,id=creds,target=/secrets/sa.json in the step that needs it, or provide it at run time.',
        },
        { text: 'ci/aws.cfg', line: 3, message: /the credential file AWS_CONFIG_FILE names/ },
      ],
    },
    {
      name: 'a shared credentials file copied where AWS_SHARED_CREDENTIALS_FILE points',
      code: 'FROM amazon/aws-cli:2.17.0\nENV AWS_SHARED_CREDENTIALS_FILE=/root/.aws/credentials\nCOPY deploy/creds /root/.aws/credentials\n',
      errors: [{ text: 'deploy/creds', line: 2, message: /the credential file AWS_SHARED_CREDENTIALS_FILE names/ }],
    },
    {
      name: 'gcloud --key-file without a secret mount',
      code: 'FROM google/cloud-sdk:470.0.0\nCOPY . /src\nRUN gcloud auth activate-service-account --key-file=/src/key.json && gcloud auth activate-service-account ci --key-file /src/ci.json\n',
      errors: [
        {
          text: '--key-file=/src/key.json',
          line: 2,
          message: /^gcloud --key-file \/src\/key.json reads a service-account key that this RUN does not mount as a secret/,
        },
        { text: '--key-file /src/ci.json', line: 2 },
      ],
    },
    {
      name: '.env into the app',
      code: 'FROM node:22-slim\nCOPY package.json .env ./\n',
      errors: [{ text: '.env', line: 1, message: /COPY of \.env puts an environment file with secrets into an image layer/ }],
    },
    {
      name: 'SSH key in a builder stage still leaks through the cache',
      code: 'FROM golang:1.22 AS build\nCOPY id_rsa /root/.ssh/id_rsa\nRUN go mod download\nFROM scratch\nCOPY --from=build /app /app\n',
      errors: [{ text: 'id_rsa', line: 1, message: /private SSH key/ }],
    },
    {
      name: 'credential files, JSON form and ADD',
      code: 'FROM python:3.12\nCOPY ["./.pypirc", "/root/"]\nADD .aws/credentials /root/.aws/credentials\nCOPY --chown=1000 .docker/config.json kubeconfig /cfg/\n',
      errors: [
        { text: '"./.pypirc"', line: 1 },
        { text: '.aws/credentials', line: 2 },
        { text: '.docker/config.json', line: 3 },
        { text: 'kubeconfig', line: 3 },
      ],
    },
    {
      name: 'keys and npmrc across a continuation',
      code: 'FROM node:22\nCOPY .npmrc \\\n     certs/server.key \\\n     /app/\n',
      errors: [
        { text: '.npmrc', line: 1 },
        { text: 'certs/server.key', line: 2 },
      ],
    },
    {
      name: 'dotenv per environment',
      code: 'FROM node:22\nCOPY .env.production /app/.env\nCOPY .env* ./\n',
      errors: [
        { text: '.env.production', line: 1 },
        { text: '.env*', line: 2 },
      ],
    },
  ],
});
