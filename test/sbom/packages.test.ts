/**
 * What the build-time SBOM reads from install commands, per package manager: each case states what
 * must be produced and what must not (option values, removals, local files, build flags).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Component, dockerfileSbom } from '../../server/src/sbom';

/** Components of the last stage, base image left out. */
function components(text: string): Component[] {
  const sbom = dockerfileSbom('Dockerfile', text);
  return sbom.stages[sbom.stages.length - 1].components;
}

const summary = (cs: Component[]): string[] => cs.map((c) => `${c.name}${c.version ? `@${c.version}` : ''}`);
const purls = (cs: Component[]): string[] => cs.map((c) => c.purl ?? '');

describe('apt-get / apt', () => {
  it('reads names, pins and architectures, skipping flags', () => {
    const cs = components(
      'FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 libc6:amd64 ca-certificates\n',
    );
    assert.deepEqual(summary(cs), ['curl@7.88.1-10+deb12u5', 'libc6', 'ca-certificates']);
    assert.deepEqual(purls(cs), ['pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5', 'pkg:deb/debian/libc6?arch=amd64', 'pkg:deb/debian/ca-certificates']);
    assert.ok(cs.every((c) => c.kind === 'os-package' && c.tool === 'apt-get'));
  });

  it('names the ubuntu vendor for an ubuntu base and keeps a release selection as requested', () => {
    const [c] = components('FROM ubuntu:24.04\nRUN apt install -y -t noble-backports nginx/noble-backports\n');
    assert.equal(c.purl, 'pkg:deb/ubuntu/nginx');
    assert.equal(c.requested, '/noble-backports');
  });

  it('does not take option values, local .deb files, removals or other verbs for packages', () => {
    const cs = components(
      'FROM debian\nRUN apt-get -o Dpkg::Options::=--force-confnew install -y ./local.deb wget && apt-get update && apt-get upgrade -y && apt-get remove -y foo-\n',
    );
    assert.deepEqual(summary(cs), ['wget']);
  });

  it('marks a package purged later in the stage', () => {
    const cs = components('FROM debian\nRUN apt-get install -y gcc make\nRUN apt-get purge -y --auto-remove gcc\n');
    assert.deepEqual(summary(cs), ['gcc', 'make']);
    assert.equal(cs[0].removedAt?.line, 3);
    assert.equal(cs[1].removedAt, undefined);
  });

  it('gives each package the line it is written on inside a continued RUN', () => {
    const cs = components('FROM debian\nRUN apt-get install -y \\\n    # a comment line\n    git \\\n    jq\n');
    assert.deepEqual(
      cs.map((c) => c.evidence.line),
      [4, 5],
    );
  });
});

describe('apk', () => {
  it('reads exact pins and keeps constraints apart', () => {
    const cs = components('FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0 "openssl>3.0" bash~5.2\n');
    assert.deepEqual(summary(cs), ['curl@8.9.1-r0', 'openssl', 'bash']);
    assert.equal(cs[1].requested, '>3.0');
    assert.equal(cs[0].purl, 'pkg:apk/alpine/curl@8.9.1-r0');
  });

  it('does not read the --virtual group name as a package, and marks the group removed by apk del', () => {
    const cs = components('FROM alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev && make && apk del .build-deps\nRUN apk add tini\n');
    assert.deepEqual(summary(cs), ['gcc', 'musl-dev', 'tini']);
    assert.equal(cs[0].group, '.build-deps');
    assert.equal(cs[0].removedAt?.line, 2);
    assert.equal(cs[2].removedAt, undefined);
  });

  it('splits an unquoted variable into packages, as the shell does', () => {
    const cs = components('FROM alpine\nENV DEPS="autoconf make"\nRUN apk add $DEPS\n');
    assert.deepEqual(summary(cs), ['autoconf', 'make']);
  });

  it('records an install of an unknown variable on the stage, not as a package', () => {
    const sbom = dockerfileSbom('Dockerfile', 'FROM alpine\nRUN runDeps="$(scanelf --needed /usr/local)" && apk add $runDeps\n');
    assert.deepEqual(sbom.stages[0].components, []);
    assert.deepEqual(
      sbom.stages[0].unresolvedInstalls.map((u) => u.text),
      ['$runDeps'],
    );
  });
});

describe('dnf / yum / microdnf', () => {
  it('splits an epoch-version-release pin from the name and skips groups and options', () => {
    const cs = components(
      'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y --setopt install_weak_deps=0 nginx-1.24.0-1.el9 java-17-openjdk-headless @development\n',
    );
    assert.deepEqual(summary(cs), ['nginx@1.24.0-1.el9', 'java-17-openjdk-headless']);
    assert.equal(cs[0].purl, 'pkg:rpm/redhat/nginx@1.24.0-1.el9');
  });

  it('reads an RPM given by URL as a download', () => {
    const cs = components('FROM fedora:40\nRUN dnf install -y https://example.com/x-1.0.rpm && yum install -y tar\n');
    assert.deepEqual(
      cs.map((c) => `${c.kind}:${c.name}`),
      ['download:x-1.0.rpm', 'os-package:tar'],
    );
    assert.equal(cs[1].purl, 'pkg:rpm/fedora/tar');
  });
});

describe('pip', () => {
  it('reads exact pins, normalises names and keeps ranges as requested', () => {
    const cs = components('FROM python:3.12\nRUN pip install --no-cache-dir Flask_Login==0.6.3 "requests[socks]>=2,<3" uvicorn\n');
    assert.deepEqual(summary(cs), ['flask-login@0.6.3', 'requests', 'uvicorn']);
    assert.equal(cs[1].requested, '>=2,<3');
    assert.equal(cs[0].purl, 'pkg:pypi/flask-login@0.6.3');
  });

  it('does not take option values (-r, -i, -c) or local paths for packages', () => {
    const cs = components('FROM python\nRUN pip install -r requirements.txt -i https://pypi.example/simple -c constraints.txt . ./lib\n');
    assert.deepEqual(cs, []);
  });

  it('reads python -m pip, pip3 and uv pip, and a VCS requirement as a download', () => {
    const cs = components(
      'FROM python\nRUN python3 -m pip install six==1.16.0 && pip3 install attrs && uv pip install --system rich==13.7.1 && pip install git+https://github.com/psf/black@24.1.0\n',
    );
    assert.deepEqual(
      cs.map((c) => `${c.tool}:${c.kind}:${c.name}`),
      ['pip:language-package:six', 'pip3:language-package:attrs', 'uv pip:language-package:rich', 'pip:download:black@24.1.0'],
    );
  });
});

describe('npm / yarn / pnpm', () => {
  it('reads scoped names, exact versions and ranges', () => {
    const cs = components('FROM node:22\nRUN npm install -g @angular/cli@17.3.8 typescript@^5 pm2\n');
    assert.deepEqual(summary(cs), ['@angular/cli@17.3.8', 'typescript', 'pm2']);
    assert.equal(cs[0].purl, 'pkg:npm/%40angular/cli@17.3.8');
    assert.equal(cs[1].requested, '^5');
  });

  it('reads yarn global add and pnpm add, not npm ci or a bare install', () => {
    const cs = components('FROM node\nRUN npm ci --omit dev && npm install && yarn global add serve@14.2.3 && pnpm add -g zx\n');
    assert.deepEqual(
      cs.map((c) => `${c.tool}:${c.name}`),
      ['yarn:serve', 'pnpm:zx'],
    );
  });

  it('does not read GitHub shorthands, local folders or tarballs as registry packages', () => {
    const cs = components('FROM node\nRUN npm install user/repo ./local pkg.tgz\n');
    assert.deepEqual(cs, []);
  });
});

describe('gem, go install, cargo install', () => {
  it('reads gem names with -v, name:version, and stops at -- build flags', () => {
    const cs = components(
      'FROM ruby\nRUN gem install bundler -v 2.5.6 && gem install rails:7.1.3 && gem install nokogiri --no-document -- --use-system-libraries\n',
    );
    assert.deepEqual(summary(cs), ['bundler@2.5.6', 'rails@7.1.3', 'nokogiri']);
    assert.equal(cs[0].purl, 'pkg:gem/bundler@2.5.6');
  });

  it('reads go install package@version; latest is a request, not a version; a local build is not a package', () => {
    const cs = components('FROM golang\nRUN go install golang.org/x/tools/gopls@v0.16.1 && go install github.com/x/y/cmd/z@latest && go install ./cmd/app\n');
    assert.deepEqual(summary(cs), ['golang.org/x/tools/gopls@v0.16.1', 'github.com/x/y/cmd/z']);
    assert.equal(cs[0].purl, 'pkg:golang/golang.org/x/tools/gopls@v0.16.1');
    assert.equal(cs[1].requested, 'latest');
  });

  it('reads cargo install name@version and --version, a --git source as a download, and skips --path', () => {
    const cs = components(
      'FROM rust\nRUN cargo install ripgrep@14.1.0 && cargo install --locked cargo-audit --version 0.20.0 && cargo install --git https://github.com/x/tool && cargo install --path .\n',
    );
    assert.deepEqual(
      cs.map((c) => `${c.kind}:${c.name}${c.version ? `@${c.version}` : ''}`),
      ['language-package:ripgrep@14.1.0', 'language-package:cargo-audit@0.20.0', 'download:tool'],
    );
  });
});

describe('variables', () => {
  it('resolves ${VAR} and $VAR from ARG and ENV defaults, and global ARGs redeclared in the stage', () => {
    const cs = components('ARG CURL_V=8.9.1-r0\nFROM alpine\nARG CURL_V\nENV JQ_V=1.7.1-r0\nRUN apk add curl=${CURL_V} jq=$JQ_V\n');
    assert.deepEqual(summary(cs), ['curl@8.9.1-r0', 'jq@1.7.1-r0']);
  });

  it('applies ${VAR:-default} and marks a value it cannot know', () => {
    const cs = components('FROM alpine\nARG UNSET\nRUN apk add curl=${V:-8.0} jq=${UNSET}\n');
    assert.equal(cs[0].version, '8.0');
    assert.equal(cs[1].unresolved, true);
  });

  it('does not see a global ARG in a stage that does not redeclare it', () => {
    const cs = components('ARG V=1\nFROM alpine\nRUN apk add curl=$V\n');
    assert.equal(cs[0].unresolved, true);
  });

  it('forgets a variable set to different values in case branches', () => {
    const cs = components(
      'FROM debian\nRUN case "$(uname -m)" in x86_64) ARCH=amd64 ;; aarch64) ARCH=arm64 ;; esac && curl -fsSLO https://example.com/tool-$ARCH.tgz\n',
    );
    assert.equal(cs[0].name, 'tool-$ARCH.tgz');
    assert.equal(cs[0].unresolved, true);
  });
});

describe('hostile input', () => {
  it('reads long unclosed quotes and braces in linear time', () => {
    const text = `FROM alpine\nRUN apk add ${'"${a-'.repeat(20000)} ${"'x".repeat(20000)}\n`;
    const started = process.hrtime.bigint();
    dockerfileSbom('Dockerfile', text);
    // A generous bound: quadratic scanning of 200k characters takes far longer than this.
    assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 5);
  });

  it('does not throw on odd instructions', () => {
    for (const text of [
      '',
      'FROM',
      'RUN apk add x',
      'FROM a\nCOPY --from= / /\nADD\nRUN ["apk"',
      'FROM a\nRUN <<EOF\napk add jq\nEOF\n',
      'FROM a\nARG\nENV\nCOPY --from=$X /a /b\n',
    ]) {
      assert.doesNotThrow(() => dockerfileSbom('Dockerfile', text), text);
    }
  });
});
