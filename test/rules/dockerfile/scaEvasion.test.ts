/**
 * The ORCA study's evasion techniques (Bufalino et al. 2025) as they reach the shipped image:
 * deletions in a builder stage that a later `COPY --from=<stage> / /` (or of the directory holding
 * the metadata) ships, renamed metadata directories, OS identification in every form, and the
 * renames that hid nothing (symlinks, aliases) staying silent.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lintWith, RuleTester } from '../../../rules/tester';
import { dockerfileDeletesPackageDatabase } from '../../../rules/dockerfile/deletesPackageDatabase';
import { dockerfileDeletesDependencyManifest } from '../../../rules/dockerfile/deletesDependencyManifest';

RuleTester.run(dockerfileDeletesPackageDatabase, {
  valid: [
    {
      name: 'clean image',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*\n',
    },
    { name: 'symlink rename of a binary', code: 'FROM debian:12\nRUN mv /usr/bin/curl /usr/local/lib/c && ln -s /usr/local/lib/c /usr/bin/curl\n' },
    { name: 'shell alias', code: 'FROM debian:12\nRUN echo "alias dl=curl" >> /etc/bash.bashrc\n' },
    {
      name: 'builder deletions not shipped (selective copy elsewhere)',
      code: 'FROM debian:12 AS b\nRUN rm -rf /var/lib/dpkg /etc/os-release\nFROM scratch\nCOPY --from=b /app /app\n',
    },
    {
      name: 'builder python metadata deleted outside the copied directory',
      code: 'FROM python:3.12 AS b\nRUN rm -rf /usr/lib/python3/dist-packages/*.dist-info\nFROM python:3.12-slim\nCOPY --from=b /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages\n',
    },
    {
      name: 'copying a stage that was never flattened',
      code: 'FROM alpine:3.20 AS a\nRUN rm -rf /lib/apk/db\nFROM alpine:3.20\nCOPY --from=a /etc/ssl /etc/ssl\n',
    },
  ],
  invalid: [
    {
      name: 'OS identification in every form',
      code: "FROM debian:12\nRUN rm -f /usr/lib/os-release /etc/alpine-release /etc/redhat-release /etc/debian_version /etc/*-release\nRUN find /etc -name '*release' -delete && find / -name os-release -delete\n",
      errors: [
        {
          text: '/usr/lib/os-release',
          line: 1,
          message:
            /^Deleting \/usr\/lib\/os-release removes the OS release file: scanners that match vulnerabilities by distribution \(Syft\/Grype, Docker Scout\).*\(ORCA: Syft 625 → 9, Docker Scout 123 → 6\)\.$/,
        },
        { text: '/etc/alpine-release', line: 1 },
        { text: '/etc/redhat-release', line: 1 },
        { text: '/etc/debian_version', line: 1 },
        { text: '/etc/*-release', line: 1 },
        { text: "'*release'", line: 2 },
        { text: 'os-release', line: 2 },
      ],
    },
    {
      name: 'renaming package metadata directories',
      code: 'FROM debian:12\nRUN mv /var/lib/dpkg /var/lib/.d && mv /usr/local/lib/python3.11/site-packages/flask-3.0.3.dist-info /tmp/\nFROM alpine:3.20\nRUN mv /lib/apk/db /lib/apk/.db && mv /var/lib/rpm /var/lib/rpm.bak\n',
      errors: [
        {
          text: '/lib/apk/db',
          line: 3,
          message: /^Moving \/lib\/apk\/db removes the apk package database: image scanners \(Trivy, Syft, Docker Scout\) no longer list the OS packages/,
        },
        { text: '/var/lib/rpm', line: 3, message: /^Moving/ },
      ],
    },
    {
      name: 'dpkg measured figures in the message',
      code: 'FROM debian:12\nRUN mv /var/lib/dpkg /var/lib/.d\n',
      errors: [
        {
          text: '/var/lib/dpkg',
          line: 1,
          message: /^Moving \/var\/lib\/dpkg removes the dpkg package database: .*\(ORCA: Trivy 441 → 11 packages, Syft 448 → 25, Docker Scout 585 → 23\)\.$/,
        },
      ],
    },
    {
      name: 'combination: builder deletions shipped by flattening',
      code: 'FROM debian:12 AS builder\nRUN rm -rf /var/lib/dpkg /etc/os-release\nFROM scratch\nCOPY --from=builder / /\n',
      errors: [
        { text: '/var/lib/dpkg', line: 1, message: /The whole file system of stage builder is shipped by COPY --from=builder \/ \/ \(line 4\)\.$/ },
        { text: '/etc/os-release', line: 1 },
      ],
    },
    {
      name: 'combination: deletions in the parent of the flattened stage, and a chain of flattenings',
      code: 'FROM debian:12 AS base\nRUN rm -rf /var/lib/dpkg/status\nFROM base AS builder\nFROM scratch AS mid\nCOPY --from=builder / /\nFROM scratch\nCOPY --from=mid / /\n',
      errors: [{ text: '/var/lib/dpkg/status', line: 1, message: /of stage base is shipped by COPY --from=builder \/ \/ \(line 5\)/ }],
    },
    {
      name: 'combination: the directory holding the deleted metadata is copied',
      code: 'FROM python:3.12 AS deps\nRUN pip install flask==3.0.3 && rm -rf /usr/local/lib/python3.12/site-packages/*.dist-info\nFROM python:3.12-slim\nCOPY --from=deps /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages\n',
      errors: [
        {
          text: '/usr/local/lib/python3.12/site-packages/*.dist-info',
          line: 1,
          message: /^Deleting .*language-package scanners .* The \/usr\/local\/lib\/python3\.12\/site-packages of stage deps is shipped by COPY --from=deps/,
        },
      ],
    },
    {
      name: 'combination: a stage named by index',
      code: 'FROM alpine:3.20\nRUN rm -rf /lib/apk/db/installed\nFROM scratch\nCOPY --from=0 / /\n',
      errors: [{ text: '/lib/apk/db/installed', line: 1 }],
    },
  ],
});

it('names the shipping COPY as related information of a builder deletion', () => {
  const code = 'FROM debian:12 AS builder\nRUN rm -rf /var/lib/dpkg\nFROM scratch\nCOPY --from=builder / /\n';
  const [finding] = lintWith(dockerfileDeletesPackageDatabase, { code }).filter((f) => f.ruleId === dockerfileDeletesPackageDatabase.id);
  assert.equal(finding.related?.length, 1);
  assert.equal(code.slice(finding.related![0].start, finding.related![0].end), 'COPY --from=builder / /');
  assert.equal(finding.related![0].message, "COPY --from=builder / / ships stage builder's files into the image");
});

RuleTester.run(dockerfileDeletesDependencyManifest, {
  valid: [
    {
      name: 'builder, copied selectively',
      code: 'FROM python:3.12 AS b\nRUN pip install -r requirements.txt && rm requirements.txt\nFROM python:3.12-slim\nCOPY --from=b /usr/local /usr/local\n',
    },
  ],
  invalid: [
    {
      name: 'builder shipped by flattening',
      code: 'FROM python:3.12 AS b\nRUN pip install -r /app/requirements.txt && rm /app/requirements.txt\nFROM scratch\nCOPY --from=b / /\n',
      errors: [{ text: '/app/requirements.txt', line: 1, message: /Shipped by COPY --from=b \/ \/ \(line 4\)\.$/ }],
    },
  ],
});

it('keeps dependency-manifest deletion at info level and off by default', () => {
  assert.equal(dockerfileDeletesDependencyManifest.severity, 'info');
  assert.equal(dockerfileDeletesDependencyManifest.recommended, false);
});
