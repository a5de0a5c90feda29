import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../rules/tester';
import { dockerfileToolchainFinalImage } from '../../../rules/dockerfile/toolchainFinalImage';
import { dockerfileRunsAsRoot } from '../../../rules/dockerfile/runsAsRoot';
import { ResolvedConfig } from '../../../server/src/engine/config';
import { Engine } from '../../../server/src/engine/engine';
import { applyEdits } from '../../../server/src/engine/yamlEditor';
import { DockerfileModel } from '../../../server/src/documents/dockerfile';
import { EXAMPLES } from '../../support/paths';

const GO = [
  '# syntax=docker/dockerfile:1',
  'ARG GO_VERSION=1.22',
  '# the service',
  'FROM golang:${GO_VERSION}',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o bin/api ./cmd/api',
  '# API port',
  'EXPOSE 8080',
  'ENV PORT=8080 GOFLAGS=-mod=vendor',
  'USER root',
  'CMD ["/src/bin/api", "--listen=:8080"]',
  '',
].join('\n');

const GO_FIXED = [
  '# syntax=docker/dockerfile:1',
  'ARG GO_VERSION=1.22',
  '# the service',
  'FROM golang:${GO_VERSION} AS build',
  'WORKDIR /src',
  'COPY . .',
  'ENV CGO_ENABLED=0',
  'RUN go build -o bin/api ./cmd/api',
  'ENV PORT=8080 GOFLAGS=-mod=vendor',
  '',
  'FROM scratch',
  'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
  'COPY --from=build /src/bin/api /src/bin/api',
  'ENV PORT=8080 GOFLAGS=-mod=vendor',
  '# API port',
  'EXPOSE 8080',
  'USER 65532:65532',
  'CMD ["/src/bin/api", "--listen=:8080"]',
  '',
].join('\n');

RuleTester.run(dockerfileToolchainFinalImage, {
  valid: [
    {
      name: 'already multi-stage, runtime on scratch',
      code: 'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER 65532\nENTRYPOINT ["/app"]\n',
    },
    {
      name: 'builder-only toolchains',
      code: 'FROM maven:3.9-eclipse-temurin-21 AS build\nRUN mvn package\nFROM eclipse-temurin:21-jre\nCOPY --from=build /app/target/app.jar /app.jar\n',
    },
    { name: 'node runtime image that only copies and runs', code: 'FROM node:22-slim\nWORKDIR /app\nCOPY dist/ ./\nCMD ["node", "server.js"]\n' },
    { name: 'python runtime without installs', code: 'FROM python:3.12-slim\nCOPY app.py /app.py\nCMD ["python", "/app.py"]\n' },
    { name: 'a base image that merely contains the word', code: 'FROM ghcr.io/acme/golang-tools-runtime:1\nCMD ["/x"]\n' },
    { name: 'a development image (Dockerfile.tilt)', code: 'FROM golang:1.22\nRUN go build -o /app .\nCMD ["/app"]\n', path: 'Dockerfile.tilt' },
    {
      name: 'a code generator image',
      code: 'FROM golang:1.22\nRUN go install google.golang.org/protobuf/cmd/protoc-gen-go@latest\n',
      path: 'src/checkout/genproto/Dockerfile',
    },
    { name: 'a build helper under hack/', code: 'FROM golang:1.22\nRUN go build ./...\n', path: 'hack/dockerfiles/vendor.Dockerfile' },
    { name: 'image names that are Object property names', code: 'FROM constructor\nRUN go build ./...\nFROM __proto__:1\nRUN npm ci\n' },
  ],
  invalid: [
    {
      name: 'a repository that happens to live under a tools/ or test/ folder is still checked',
      code: 'FROM golang:1.22\nRUN go build -o /app .\nCMD /app\n',
      path: '/home/me/tools/test/repo/Dockerfile',
      errors: [{ text: 'FROM golang:1.22' }],
    },
    {
      name: 'single-stage Go: scratch runtime, CGO off, comments and global ARGs kept, root USER dropped',
      code: GO,
      errors: [{ text: 'FROM golang:${GO_VERSION}', line: 3, message: /^The shipped image is the Go toolchain \(golang:1.22\)/ }],
      output: GO_FIXED,
    },
    {
      name: 'Node: distroless nodejs of the same major, CRLF kept',
      code: 'FROM node:22-bookworm\r\nWORKDIR /app\r\nCOPY package*.json ./\r\nRUN npm ci --omit=dev\r\nCOPY . .\r\nEXPOSE 3000\r\nCMD ["node", "server.js"]\r\n',
      errors: [{ text: 'FROM node:22-bookworm', line: 0, message: /Node.js toolchain/ }],
      output:
        'FROM node:22-bookworm AS build\r\nWORKDIR /app\r\nCOPY package*.json ./\r\nRUN npm ci --omit=dev\r\nCOPY . .\r\n\r\nFROM gcr.io/distroless/nodejs22-debian12:nonroot\r\nWORKDIR /app\r\nCOPY --from=build /app /app\r\nEXPOSE 3000\r\nUSER 65532:65532\r\nCMD ["server.js"]\r\n',
    },
    {
      name: 'Python 3.11: distroless python3 with the installed packages',
      code: 'FROM python:3.11-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nLABEL team=payments\nCMD ["python", "app.py", "--port", "8000"]\n',
      errors: [{ text: 'FROM python:3.11-slim', line: 0 }],
      output:
        'FROM python:3.11-slim AS build\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n\nFROM gcr.io/distroless/python3-debian12:nonroot\nWORKDIR /srv\nCOPY --from=build /usr/local/lib/python3.11/site-packages /usr/local/lib/python3.11/site-packages\nCOPY --from=build /srv /srv\nENV PYTHONPATH=/usr/local/lib/python3.11/site-packages\nLABEL team=payments\nUSER 65532:65532\nCMD ["app.py", "--port", "8000"]\n',
    },
    {
      name: 'Maven: distroless java of the same version',
      code: 'FROM maven:3.9-eclipse-temurin-21 AS builder\nWORKDIR /build\nCOPY . .\nRUN mvn -B package -DskipTests\nEXPOSE 8080\nENTRYPOINT ["java", "-jar", "target/app.jar"]\n',
      errors: [{ text: 'FROM maven:3.9-eclipse-temurin-21 AS builder', line: 0, message: /Java \(JDK\) toolchain/ }],
      output:
        'FROM maven:3.9-eclipse-temurin-21 AS builder\nWORKDIR /build\nCOPY . .\nRUN mvn -B package -DskipTests\n\nFROM gcr.io/distroless/java21-debian12:nonroot\nCOPY --from=builder /build/target/app.jar /app/app.jar\nEXPOSE 8080\nUSER 65532:65532\nCMD ["/app/app.jar"]\n',
    },
    {
      name: 'not recognised (shell-form start command): reported without a fix',
      code: 'FROM golang:1.22\nRUN go build -o /app .\nCMD /app --flag\n',
      errors: [{ text: 'FROM golang:1.22', message: /no automatic fix/ }],
    },
    {
      name: 'the final stage builds on a toolchain stage',
      code: 'FROM rust:1.80 AS base\nRUN cargo build --release\nFROM base\nCMD ["/target/release/app"]\n',
      errors: [{ text: 'FROM base', line: 2, message: /Rust toolchain \(rust:1.80\)/ }],
    },
  ],
});

describe('multi-stage hardening result', () => {
  const both = new Engine(new ResolvedConfig([dockerfileToolchainFinalImage, dockerfileRunsAsRoot], {}, 'all'));
  for (const file of ['go-service/Dockerfile']) {
    it(`examples/docker/${file}: after the fix, neither the toolchain nor the root rule fires, and it parses`, () => {
      const text = fs.readFileSync(path.join(EXAMPLES, 'docker', file), 'utf8');
      const before = both
        .lint('Dockerfile', text)
        .findings.map((f) => f.ruleId)
        .sort();
      assert.deepEqual(before, ['dockerfile-runs-as-root', 'dockerfile-toolchain-final-image']);
      const finding = both.lint('Dockerfile', text).findings.find((f) => f.ruleId === 'dockerfile-toolchain-final-image')!;
      const fixed = applyEdits(text, finding.fixes[0].edits());
      assert.deepEqual(
        both.lint('Dockerfile', fixed).findings.map((f) => f.ruleId),
        [],
        fixed,
      );
      const model = new DockerfileModel(fixed);
      assert.equal(model.stages.length, 2);
      assert.equal(model.finalStage!.baseImage, 'scratch');
      assert.match(fixed, /^# A single-stage Go service/);
      assert.match(fixed, /# The HTTP API\nEXPOSE 8080\n/);
    });
  }
});
