import { RuleTester } from '../../rules/tester';
import { dockerfileRunsAsRoot } from '../../rules/dockerfile/runsAsRoot';

RuleTester.run(dockerfileRunsAsRoot, {
  valid: [
    { name: 'numeric non-root USER', code: 'FROM alpine:3.20\nUSER 1000\nCMD ["sh"]\n' },
    { name: 'named non-root USER with group', code: 'FROM alpine:3.20\nRUN adduser -D app\nUSER app:app\n' },
    {
      name: 'only the builder stage is root',
      code: 'FROM golang:1.22 AS build\nUSER root\nRUN go build -o /app\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n',
    },
    { name: 'USER inherited from an earlier stage the final stage builds on', code: 'FROM alpine:3.20 AS base\nUSER 10001\nFROM base\nCMD ["sh"]\n' },
    { name: 'a base image that runs as non-root by default', code: 'FROM cgr.dev/chainguard/static:latest\nCOPY app /app\n' },
    {
      name: 'an entrypoint that drops privileges with gosu',
      code: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y gosu\nENTRYPOINT ["gosu", "app", "/app"]\n',
    },
    { name: 'Nano Server runs as ContainerUser by default', code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD ["cmd"]\n' },
    { name: 'a USER from a build argument cannot be judged', code: 'FROM alpine:3.20\nARG RUN_AS\nUSER $RUN_AS\n' },
    { name: 'hadolint ignore comment', code: 'FROM alpine:3.20\n# hadolint ignore=DL3002\nUSER root\n' },
    {
      name: 'configured non-root base',
      code: 'FROM registry.example.com/base/python:3.12\nCMD ["python"]\n',
      options: { nonRootBaseImages: ['registry.example.com/base/'] },
    },
  ],
  invalid: [
    {
      name: 'explicit USER root last',
      code: 'FROM alpine:3.20\nUSER app\nRUN true\nUSER root\nCMD ["sh"]\n',
      errors: [{ text: 'USER root', line: 3, message: "The final stage's last USER is root: the image runs as root." }],
      output: 'FROM alpine:3.20\nUSER app\nRUN true\nUSER 65532\nCMD ["sh"]\n',
    },
    {
      name: 'USER 0:0 through a variable with a default',
      code: 'FROM alpine:3.20\nENV RUNUSER=0\nUSER ${RUNUSER}:0\n',
      errors: [{ text: 'USER ${RUNUSER}:0', line: 2, message: /last USER is 0:0/ }],
    },
    {
      name: 'no USER at all: USER goes before the start command, CRLF kept',
      code: 'FROM python:3.12-slim\r\nCOPY . /app\r\nCMD ["python", "/app/main.py"]\r\n',
      errors: [{ text: 'FROM python:3.12-slim', line: 0, message: /never sets USER/ }],
      output: 'FROM python:3.12-slim\r\nCOPY . /app\r\nUSER 65532\r\nCMD ["python", "/app/main.py"]\r\n',
    },
    {
      name: 'a file ending inside a line continuation gets no fix (USER would join the RUN)',
      code: 'FROM alpine:3.20\nRUN apk add curl \\\n',
      errors: [{ text: 'FROM alpine:3.20', line: 0 }],
      output: 'FROM alpine:3.20\nRUN apk add curl \\\n',
    },
    {
      name: 'a file ending in a continuation and a comment gets no fix (USER would join the RUN)',
      code: 'FROM alpine:3.20\nRUN apk add curl \\\n# done\n',
      errors: [{ text: 'FROM alpine:3.20', line: 0 }],
      output: 'FROM alpine:3.20\nRUN apk add curl \\\n# done\n',
    },
    {
      name: 'a continuation, a comment and no final newline: no fix',
      code: 'FROM alpine:3.20\r\nRUN apk add curl \\\r\n  # done',
      errors: [{ text: 'FROM alpine:3.20', line: 0 }],
      output: 'FROM alpine:3.20\r\nRUN apk add curl \\\r\n  # done',
    },
    {
      name: 'a continuation then a blank line: no fix',
      code: 'FROM alpine:3.20\nRUN apk add curl \\\n\n',
      errors: [{ text: 'FROM alpine:3.20', line: 0 }],
      output: 'FROM alpine:3.20\nRUN apk add curl \\\n\n',
    },
    {
      name: 'an unterminated heredoc gets no fix (USER would be part of its body; --fix appended it on every pass)',
      code: 'FROM alpine:3.20\nRUN <<EOF\napk add curl\n',
      errors: [{ text: 'FROM alpine:3.20', line: 0 }],
      output: 'FROM alpine:3.20\nRUN <<EOF\napk add curl\n',
    },
    {
      name: 'a closed heredoc at the end: USER goes after it',
      code: 'FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF',
      errors: [{ text: 'FROM alpine:3.20', line: 0 }],
      output: 'FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\nUSER 65532\n',
    },
    {
      name: "no final newline, CRLF: the line break is added in the file's style",
      code: 'FROM alpine:3.20\r\nRUN true',
      errors: [{ text: 'FROM alpine:3.20', line: 0 }],
      output: 'FROM alpine:3.20\r\nRUN true\r\nUSER 65532\r\n',
    },
    {
      name: 'the builder sets a user, the final stage does not',
      code: 'FROM node:22 AS build\nUSER node\nRUN npm ci\nFROM node:22-slim\nCOPY --from=build /app /app\n',
      errors: [{ text: 'FROM node:22-slim', line: 3 }],
    },
    {
      name: 'root inherited from the stage it builds on',
      code: 'FROM alpine:3.20 AS base\nUSER root\nFROM base\nCMD ["sh"]\n',
      errors: [{ text: 'FROM base', line: 2, message: /inherits USER root from stage "base"/ }],
    },
  ],
});
