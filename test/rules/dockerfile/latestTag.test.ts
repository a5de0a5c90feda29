import { RuleTester } from '../../../rules/tester';
import { dockerfileLatestTag } from '../../../rules/dockerfile/latestTag';

RuleTester.run(dockerfileLatestTag, {
  valid: [
    { name: 'pinned tag', code: 'FROM alpine:3.20\n' },
    { name: 'digest only', code: 'FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' },
    { name: 'latest with a digest is pinned', code: 'FROM alpine:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n' },
    { name: 'scratch', code: 'FROM golang:1.22 AS build\nRUN go build -o /app\nFROM scratch\nCOPY --from=build /app /app\n' },
    { name: 'earlier stage name', code: 'FROM node:22 AS base\nFROM base AS test\nRUN npm test\nFROM base\n' },
    { name: 'stage name in another case', code: 'FROM node:22 AS Base\nFROM base\n' },
    { name: 'ARG default pinned', code: 'ARG BASE=python:3.12-slim\nFROM ${BASE}\n' },
    { name: 'ARG with version', code: 'ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}-alpine\n' },
    { name: 'ARG without default cannot be judged', code: 'ARG BASE\nFROM $BASE\n' },
    { name: 'registry with port and a tag', code: 'FROM localhost:5000/team/app:1.2.3\n' },
    { name: 'hadolint ignore', code: '# hadolint ignore=DL3007\nFROM alpine:latest\n' },
    { name: 'escape directive', code: '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n' },
  ],
  invalid: [
    {
      name: ':latest',
      code: 'FROM alpine:latest\nRUN true\n',
      errors: [{ text: 'alpine:latest', line: 0, message: /uses the :latest tag/ }],
    },
    {
      name: 'no tag',
      code: 'FROM ubuntu AS build\nFROM gcr.io/distroless/static:nonroot\n',
      errors: [{ text: 'ubuntu', line: 0, message: /has no tag/ }],
    },
    {
      name: 'registry port is not a tag',
      code: 'FROM localhost:5000/team/app\n',
      errors: [{ text: 'localhost:5000/team/app', line: 0 }],
    },
    {
      name: 'ARG default is latest',
      code: 'ARG BASE=node:latest\nFROM --platform=$BUILDPLATFORM $BASE AS build\nFROM build\n',
      errors: [{ text: '$BASE', line: 1, message: /\$BASE \(= node:latest\)/ }],
    },
    {
      name: 'every stage is checked: builders pull too',
      code: 'FROM golang AS build\nFROM alpine:latest\n',
      errors: [
        { text: 'golang', line: 0 },
        { text: 'alpine:latest', line: 1 },
      ],
    },
  ],
});
