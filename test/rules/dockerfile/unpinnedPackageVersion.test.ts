import { RuleTester } from '../../../rules/tester';
import { dockerfileUnpinnedPackageVersion } from '../../../rules/dockerfile/unpinnedPackageVersion';

RuleTester.run(dockerfileUnpinnedPackageVersion, {
  valid: [
    {
      name: 'pinned everywhere',
      code: 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 -t bookworm-backports\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0\nRUN pip install requests==2.32.3 "flask~=3.0" pkg@git+https://x/y.git && python -m pip install -r requirements.txt\nRUN npm install -g typescript@5.6.3 @scope/tool@1.2.0 && npm install && npm ci\nRUN gem install bundler -v 2.5.22 && gem install rake:13.2.1\nRUN go install golang.org/x/tools/cmd/goimports@v0.26.0 && go install ./...\n',
    },
    { name: 'local files and URLs', code: 'FROM debian:12\nRUN apt-get install -y ./pkg.deb && pip install /tmp/wheels/x.whl . && npm install ./local-pkg\n' },
    { name: 'the words in other commands', code: 'FROM alpine:3.20\nRUN echo apt-get install curl\n' },
    {
      name: 'redirections and go.mod-pinned go install',
      code: 'FROM golang:1.23\nRUN apt-get install -y curl=1.0 > /dev/null 2>&1 && go install google.golang.org/protobuf/cmd/protoc-gen-go\n',
    },
  ],
  invalid: [
    {
      name: 'apt-get',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y -o Dpkg::Options::=--force-confnew curl git\n',
      errors: [{ text: 'curl git', line: 1, message: 'apt installs curl, git without a version: each build can get a different release. Pin them.' }],
    },
    {
      name: 'apk with a virtual name',
      code: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .deps build-base\n',
      errors: [{ text: 'build-base', line: 1, message: /^apk installs build-base/ }],
    },
    {
      name: 'pip lower bound and bare',
      code: 'FROM python:3.12\nRUN pip install --no-cache-dir "requests>=2" flask\n',
      errors: [{ text: '"requests>=2" flask', line: 1 }],
    },
    {
      name: 'npm global and @latest',
      code: 'FROM node:22\nRUN npm install -g typescript @angular/cli@latest\n',
      errors: [{ text: 'typescript @angular/cli@latest', line: 1 }],
    },
    { name: 'gem', code: 'FROM ruby:3.3\nRUN gem install bundler\n', errors: [{ text: 'bundler', line: 1 }] },
    {
      name: 'go install @latest, exec form',
      code: 'FROM golang:1.23\nRUN ["go", "install", "golang.org/x/tools/cmd/goimports@latest"]\n',
      errors: [{ line: 1, message: /^go install installs golang.org\/x\/tools\/cmd\/goimports@latest/ }],
    },
  ],
});
