import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lintWith, RuleTester } from '../../../rules/tester';
import { dockerfileWorkdirSystemDirectory } from '../../../rules/dockerfile/workdirSystemDirectory';
import { dockerfilePasswordInRun } from '../../../rules/dockerfile/passwordInRun';
import { dockerfileUntrustedBaseRegistry } from '../../../rules/dockerfile/untrustedBaseRegistry';
import { dockerfileNonNumericUser } from '../../../rules/dockerfile/nonNumericUser';

RuleTester.run(dockerfileWorkdirSystemDirectory, {
  valid: [
    { name: 'application folders', code: 'FROM alpine:3.20\nWORKDIR /app\nWORKDIR src\nWORKDIR /srv/proc\nWORKDIR /procedures\n' },
    { name: 'relative without a known base', code: 'FROM alpine:3.20\nWORKDIR proc\n' },
    { name: 'variables', code: 'FROM alpine:3.20\nARG DIR=/proc\nWORKDIR $DIR\n' },
  ],
  invalid: [
    {
      name: '/proc',
      code: 'FROM alpine:3.20\nWORKDIR /proc/self\n',
      errors: [
        {
          text: '/proc/self',
          line: 1,
          message: 'WORKDIR /proc/self is /proc/self, inside a kernel file system the runtime mounts over: use an application folder such as /app.',
        },
      ],
    },
    {
      name: 'relative into /sys, and /dev',
      code: 'FROM alpine:3.20\nWORKDIR /\nWORKDIR sys/kernel\nFROM alpine:3.20\nWORKDIR /opt/../dev\n',
      errors: [
        { text: 'sys/kernel', line: 2, message: /is \/sys\/kernel/ },
        { text: '/opt/../dev', line: 4, message: /is \/dev,/ },
      ],
    },
    { name: '/boot', code: 'FROM alpine:3.20\nWORKDIR "/boot"\n', errors: [{ line: 1, message: /a boot or file-system folder/ }] },
  ],
});

RuleTester.run(dockerfilePasswordInRun, {
  valid: [
    { name: 'locking and creating users without passwords', code: 'FROM debian:12\nRUN useradd -r -u 10001 app && passwd -l root && echo chpasswd\n' },
    { name: 'hashing without applying', code: 'FROM debian:12\nRUN openssl passwd -6 x > /dev/null\n' },
  ],
  invalid: [
    {
      name: 'chpasswd from echo',
      code: 'FROM ubuntu:24.04\nRUN echo "root:root" | chpasswd\n',
      errors: [{ text: 'chpasswd', line: 1, message: /^chpasswd sets account passwords in the image/ }],
    },
    {
      name: 'passwd --stdin and -d, useradd -p, exec form',
      code: 'FROM rockylinux:9\nRUN echo pw | passwd --stdin app && passwd -d guest\nRUN ["useradd", "-p", "$6$abc", "ops"]\n',
      errors: [
        { text: 'passwd', line: 1, message: /^passwd --stdin/ },
        { line: 1, message: /^passwd -d removes the password/ },
        { text: 'useradd', line: 2, message: /^useradd -p/ },
      ],
    },
  ],
});

const ALLOWED = { allowedRegistries: ['registry.corp.example', 'docker.io/library'] };
RuleTester.run(dockerfileUntrustedBaseRegistry, {
  valid: [
    { name: 'no allow-list: off', code: 'FROM evil.example.com/miner:1\n' },
    {
      name: 'allowed registry, Docker Hub library, stages, scratch',
      code: 'FROM registry.corp.example/base/go:1.22 AS build\nFROM alpine:3.20 AS base\nFROM base\nFROM scratch\n',
      settings: ALLOWED,
    },
    { name: 'unresolved ARG', code: 'ARG BASE\nFROM ${BASE}\n', settings: ALLOWED },
  ],
  invalid: [
    {
      name: 'a builder stage from elsewhere, through an ARG default',
      code: 'ARG GO=ghcr.io/evil/go:1.22\nFROM ${GO} AS build\nFROM registry.corp.example/base/static:1\n',
      settings: ALLOWED,
      errors: [{ text: '${GO}', line: 1, message: 'FROM ${GO} (ghcr.io/evil/go:1.22) pulls from ghcr.io, which is not in settings.allowedRegistries.' }],
    },
    {
      name: 'a Docker Hub user image when only library is allowed',
      code: 'FROM bitnami/nginx:1.27\n',
      settings: ALLOWED,
      errors: [{ text: 'bitnami/nginx:1.27', line: 0, message: /pulls from docker.io/ }],
    },
  ],
});

const workload = (image: string, securityContext: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n${securityContext}      containers:\n      - name: api\n        image: ${image}\n`;

RuleTester.run(dockerfileNonNumericUser, {
  valid: [
    { name: 'numeric UID, with a group name', code: 'FROM alpine:3.20\nUSER 10001:app\n' },
    { name: 'root is for dockerfile-runs-as-root; no USER at all too', code: 'FROM alpine:3.20\nUSER root\nFROM alpine:3.20\n' },
    { name: 'a variable', code: 'FROM alpine:3.20\nARG U\nUSER $U\n' },
    { name: 'Windows accounts', code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n' },
    { name: 'a builder stage name', code: 'FROM golang:1.22 AS build\nUSER builder\nFROM scratch\nUSER 65532\n' },
  ],
  invalid: [
    {
      name: 'a name, no workload known; UID from useradd gives a fix',
      code: 'FROM debian:12\nRUN groupadd -g 10001 app && useradd -u 10001 -g app app\nUSER app:app\n',
      path: '/ws/api/Dockerfile',
      errors: [
        {
          text: 'USER app:app',
          line: 2,
          message:
            'The image runs as USER app, a name: a pod with runAsNonRoot: true and no runAsUser is refused, because the kubelet cannot verify a name is not root. Use the numeric UID (USER 10001).',
        },
      ],
      output: 'FROM debian:12\nRUN groupadd -g 10001 app && useradd -u 10001 -g app app\nUSER 10001:app\n',
    },
    {
      name: 'a workload runs the image with runAsNonRoot and no runAsUser: it is named, with a related location',
      code: 'FROM node:22-slim\nUSER node\nCMD ["node", "server.js"]\n',
      path: '/ws/api/Dockerfile',
      files: { '/ws/k8s/api.yaml': workload('registry.example.com/shop/api:1.0', '      securityContext: {runAsNonRoot: true}\n') },
      errors: [
        {
          text: 'USER node',
          line: 1,
          message: /container "api" of Deployment\/api \(api.yaml\) sets runAsNonRoot: true without runAsUser, so the kubelet will refuse to start it/,
        },
      ],
    },
  ],
});

RuleTester.run(dockerfileNonNumericUser, {
  valid: [],
  invalid: [
    {
      name: 'a workload that sets runAsUser is not refused',
      code: 'FROM node:22-slim\nUSER node\n',
      path: '/ws/api/Dockerfile',
      files: { '/ws/k8s/api.yaml': workload('api:1.0', '      securityContext: {runAsNonRoot: true, runAsUser: 1000}\n') },
      errors: [{ line: 1, message: /a pod with runAsNonRoot: true and no runAsUser is refused/ }],
    },
  ],
});

it('the refusing workload is a related location at its runAsNonRoot', () => {
  const manifest = workload('api:1.0', '      securityContext: {runAsNonRoot: true}\n');
  const findings = lintWith(dockerfileNonNumericUser, {
    code: 'FROM node:22-slim\nUSER node\n',
    path: '/ws/api/Dockerfile',
    files: { '/ws/k8s/api.yaml': manifest },
  });
  assert.equal(findings.length, 1);
  const related = findings[0].related ?? [];
  assert.equal(related.length, 1);
  assert.equal(related[0].path, '/ws/k8s/api.yaml');
  assert.equal(manifest.slice(related[0].start, related[0].end), 'runAsNonRoot: true');
});
