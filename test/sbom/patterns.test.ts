/**
 * The build-time SBOM beyond package managers: base images and stages, downloads with and without
 * checksums, copies from stages and images, flattening, and the deletions that hide software from
 * image scanners. Each pattern has a case that must produce it and one that must not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distroOf, dockerfileSbom, StageSbom } from '../../server/src/sbom';

const stages = (text: string): StageSbom[] => dockerfileSbom('app/Dockerfile', text).stages;
const last = (text: string): StageSbom => {
  const all = stages(text);
  return all[all.length - 1];
};
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('base images and stages', () => {
  it('records the base image with tag, digest and ARG default, and the evidence line', () => {
    const s = last(`ARG BASE=python:3.12-slim@sha256:${SHA}\n\nFROM $BASE\n`);
    assert.equal(s.base?.name, 'python');
    assert.equal(s.base?.version, '3.12-slim');
    assert.deepEqual(s.base?.hashes, [{ algorithm: 'SHA-256', value: SHA }]);
    assert.equal(s.base?.purl, `pkg:oci/python@sha256%3A${SHA}?repository_url=docker.io%2Flibrary%2Fpython&tag=3.12-slim`);
    assert.deepEqual(s.base?.evidence, { file: 'app/Dockerfile', line: 3 });
  });

  it('gives no digest to an image pinned by tag only, and no base image to scratch', () => {
    assert.deepEqual(last('FROM ghcr.io/org/app:1.2\n').base?.hashes, []);
    assert.equal(last('FROM ghcr.io/org/app:1.2\n').base?.purl, 'pkg:oci/app?repository_url=ghcr.io%2Forg%2Fapp&tag=1.2');
    assert.equal(last('FROM scratch\n').base, undefined);
  });

  it('names the stage a stage builds on instead of an image, and only unused stages are targets', () => {
    const all = stages('FROM golang:1.22 AS build\nFROM build AS test\nFROM alpine AS tools\nFROM debian\nCOPY --from=tools /bin/x /bin/x\n');
    assert.deepEqual(
      all.map((s) => [s.name, s.target]),
      [
        ['build', false],
        ['test', true],
        ['tools', false],
        ['3', true],
      ],
    );
    assert.equal(all[1].parentStage, 'build');
    assert.equal(all[1].base, undefined);
  });

  it('tells ubuntu from ubi', () => {
    assert.deepEqual(distroOf('ubuntu:24.04'), { deb: 'ubuntu', apk: 'alpine' });
    assert.equal(distroOf('registry.access.redhat.com/ubi9/ubi-minimal:9.4').rpm, 'redhat');
  });

  it('reads the image distribution for package URLs through parent stages', () => {
    const s = last('FROM alpine:3.20 AS base\nFROM base\nRUN apk add jq\n');
    assert.equal(s.components[0].purl, 'pkg:apk/alpine/jq');
  });
});

describe('downloads', () => {
  it('records curl and wget downloads with their URL and the file name they are saved as', () => {
    const s = last(
      'FROM debian\nRUN curl -fsSL -o /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.2/bin/linux/amd64/kubectl && wget -q https://example.com/a/helm-v3.15.2-linux-amd64.tar.gz\n',
    );
    assert.deepEqual(
      s.components.map((c) => [c.tool, c.name, c.url]),
      [
        ['curl', 'kubectl', 'https://dl.k8s.io/release/v1.30.2/bin/linux/amd64/kubectl'],
        ['wget', 'helm-v3.15.2-linux-amd64.tar.gz', 'https://example.com/a/helm-v3.15.2-linux-amd64.tar.gz'],
      ],
    );
    assert.ok(s.components.every((c) => c.kind === 'download' && c.hashes.length === 0));
    assert.equal(s.components[0].purl, 'pkg:generic/kubectl?download_url=https%3A%2F%2Fdl.k8s.io%2Frelease%2Fv1.30.2%2Fbin%2Flinux%2Famd64%2Fkubectl');
  });

  it('attaches the checksum a later sha256sum -c verifies, matched by file name', () => {
    const s = last(
      `FROM debian\nENV SHA=${SHA}\nRUN curl -fsSLo tool.tgz https://example.com/tool-1.0.tgz \\\n && echo "$SHA *tool.tgz" | sha256sum -c - \\\n && tar xzf tool.tgz\n`,
    );
    assert.deepEqual(s.components[0].hashes, [{ algorithm: 'SHA-256', value: SHA }]);
    assert.equal(s.components[0].purl, `pkg:generic/tool-1.0.tgz?checksum=sha256%3A${SHA}&download_url=https%3A%2F%2Fexample.com%2Ftool-1.0.tgz`);
  });

  it('does not attach a checksum of another file, an unverified echo, or a malformed digest', () => {
    for (const check of [
      `echo "${SHA}  other.tgz" | sha256sum -c -`,
      `echo "${SHA}  tool.tgz" > sums`,
      `echo "abc  tool.tgz" | sha256sum -c -`,
      `echo "${SHA}  tool.tgz" | sha512sum -c -`,
    ]) {
      const s = last(`FROM debian\nRUN curl -o tool.tgz https://example.com/tool.tgz && ${check}\n`);
      assert.deepEqual(s.components[0].hashes, [], check);
    }
  });

  it('records ADD of a URL with --checksum, and a git clone with its branch', () => {
    const s = last(
      `FROM debian\nADD --checksum=sha256:${SHA} https://example.com/app.tar.gz /opt/\nADD https://example.com/raw.bin /opt/\nRUN git clone --depth 1 -b v2.0 https://github.com/org/tool.git /src\n`,
    );
    assert.deepEqual(
      s.components.map((c) => [c.tool, c.name, c.hashes.length, c.requested]),
      [
        ['ADD', 'app.tar.gz', 1, undefined],
        ['ADD', 'raw.bin', 0, undefined],
        ['git clone', 'tool.git', 0, 'v2.0'],
      ],
    );
  });

  it('does not read a local ADD, a proxy or a header URL as a download', () => {
    const s = last('FROM debian\nADD app.tar.gz /opt/\nRUN curl -x http://proxy:3128 -H "Referer: https://x.example" -o /dev/null https://example.com/ok\n');
    assert.deepEqual(
      s.components.map((c) => c.url),
      ['https://example.com/ok'],
    );
  });
});

describe('copies and flattening', () => {
  it('records files copied from a stage and from an image, and the image itself', () => {
    const s = last(
      'FROM golang AS build\nFROM alpine\nCOPY --from=build /out/app /usr/bin/app\nCOPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/\n',
    );
    assert.deepEqual(
      s.components.map((c) => [c.kind, c.name, c.copiedFrom ?? '']),
      [
        ['copied-files', '/out/app', 'stage build'],
        ['image', 'docker.io/library/busybox', ''],
        ['copied-files', '/bin/busybox', 'docker.io/library/busybox:1.36'],
      ],
    );
    assert.deepEqual(s.flattens, []);
  });

  it('records COPY --from=<stage> / / as flattening, with its line', () => {
    const s = last('FROM debian AS builder\nRUN rm -rf /var/lib/dpkg\nFROM scratch\nCOPY --from=builder / /\n');
    assert.deepEqual(s.flattens, [{ stage: 'builder', evidence: { file: 'app/Dockerfile', line: 4 } }]);
  });

  it('reads a stage given by index', () => {
    const s = last('FROM debian\nFROM scratch\nCOPY --from=0 / /\n');
    assert.equal(s.flattens[0]?.stage, '0');
  });
});

describe('deletions', () => {
  const kinds = (text: string): string[] => last(text).deletions.map((d) => `${d.kind}:${d.path}`);

  it('records deleting the package database, language metadata and OS identification', () => {
    assert.deepEqual(kinds('FROM debian\nRUN rm -rf /var/lib/dpkg/status /lib/apk/db && rm -f /etc/os-release /usr/lib/os-release /etc/alpine-release\n'), [
      'package-database:/var/lib/dpkg/status',
      'package-database:/lib/apk/db',
      'os-identification:/etc/os-release',
      'os-identification:/usr/lib/os-release',
      'os-identification:/etc/alpine-release',
    ]);
    assert.deepEqual(kinds('FROM python\nRUN find /usr/local/lib -name "*.dist-info" -exec rm -rf {} + && mv /var/lib/rpm /tmp/x\n'), [
      'language-metadata:/usr/local/lib/**/*.dist-info',
      'package-database:/var/lib/rpm',
    ]);
    assert.deepEqual(kinds('FROM python\nRUN pip install -r requirements.txt && rm requirements.txt\n'), ['dependency-manifest:requirements.txt']);
  });

  it('does not record ordinary clean-ups, a find without -delete, or a symlink', () => {
    assert.deepEqual(
      kinds(
        'FROM debian\nRUN rm -rf /var/lib/apt/lists/* /tmp/* /var/cache/apk/* && find / -name "*.dist-info" -print && ln -s /usr/bin/python3 /usr/bin/python\n',
      ),
      [],
    );
  });

  it('agrees with the rule on every form: overwrite, truncate, forced link, cd and WORKDIR, the folder holding the database', () => {
    assert.deepEqual(
      kinds(
        'FROM debian\nRUN echo NAME=x > /etc/os-release && truncate -s 0 /usr/lib/os-release && ln -sf /dev/null /etc/debian_version\nRUN cp /dev/null /etc/alpine-release && rm -rf /var/lib/*\n',
      ),
      [
        'os-identification:/etc/os-release',
        'os-identification:/usr/lib/os-release',
        'os-identification:/etc/debian_version',
        'os-identification:/etc/alpine-release',
        'package-database:/var/lib/*',
      ],
    );
    assert.deepEqual(kinds('FROM debian\nRUN cd /etc && rm os-release && cd ../var/lib && rm -rf dpkg\n'), [
      'os-identification:/etc/os-release',
      'package-database:/var/lib/dpkg',
    ]);
    assert.deepEqual(kinds('FROM python:3.12\nWORKDIR /usr/local/lib\nWORKDIR python3.12/site-packages\nRUN rm -rf ./*.dist-info\n'), [
      'language-metadata:/usr/local/lib/python3.12/site-packages/*.dist-info',
    ]);
  });

  it('does not record what only looks like it: relative paths elsewhere, links to another release file, a local egg-info, dpkg backups', () => {
    assert.deepEqual(
      kinds(
        'FROM debian\nWORKDIR /app\nRUN rm -rf var && ln -sf ../usr/lib/os-release /etc/os-release && ln -s /dev/null /etc/os-release\nRUN python setup.py bdist_wheel && rm -rf build *.egg-info /var/lib/dpkg/status-old\nRUN cd $HOME && rm os-release\n',
      ),
      [],
    );
  });

  it('puts deletions on the stage that makes them', () => {
    const all = stages('FROM debian AS builder\nRUN rm -rf /var/lib/dpkg\nFROM scratch\nCOPY --from=builder / /\n');
    assert.equal(all[0].deletions.length, 1);
    assert.equal(all[1].deletions.length, 0);
  });
});

describe('RUN forms', () => {
  it('reads here-documents and the exec form', () => {
    const s = last(
      'FROM alpine\nRUN <<EOF\napk add jq\ncurl -o /x https://example.com/x\nEOF\nRUN ["apk", "add", "git"]\nRUN ["/bin/sh", "-c", "apk add bash && apk add tini"]\n',
    );
    assert.deepEqual(
      s.components.map((c) => `${c.name}:${c.evidence.line}`),
      ['jq:3', 'x:4', 'git:6', 'bash:7', 'tini:7'],
    );
  });

  it('joins continuation lines inside a here-document', () => {
    const s = last('FROM alpine\nRUN <<EOF\napk add jq \\\n  curl\nEOF\n');
    assert.deepEqual(
      s.components.map((c) => `${c.name}:${c.evidence.line}`),
      ['jq:3', 'curl:4'],
    );
  });

  it('does not read commands inside echoed strings or comments', () => {
    const s = last('FROM alpine\n# RUN apk add ignored\nRUN echo "apk add nope" && printf \'%s\' "curl https://example.com/nope"\n');
    assert.deepEqual(s.components, []);
  });
});
