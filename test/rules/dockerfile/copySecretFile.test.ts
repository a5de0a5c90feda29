import { RuleTester } from '../../../rules/tester';
import { dockerfileCopySecretFile } from '../../../rules/dockerfile/copySecretFile';

RuleTester.run(dockerfileCopySecretFile, {
  valid: [
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
      errors: [{ text: '"./.pypirc"', line: 1 }, { text: '.aws/credentials', line: 2 }, { text: '.docker/config.json', line: 3 }, { text: 'kubeconfig', line: 3 }],
    },
    {
      name: 'keys and npmrc across a continuation',
      code: 'FROM node:22\nCOPY .npmrc \\\n     certs/server.key \\\n     /app/\n',
      errors: [{ text: '.npmrc', line: 1 }, { text: 'certs/server.key', line: 2 }],
    },
    {
      name: 'dotenv per environment',
      code: 'FROM node:22\nCOPY .env.production /app/.env\nCOPY .env* ./\n',
      errors: [{ text: '.env.production', line: 1 }, { text: '.env*', line: 2 }],
    },
  ],
});
