import { RuleTester } from '../../../rules/tester';
import { dockerfileDeletesPackageDatabase } from '../../../rules/dockerfile/deletesPackageDatabase';

RuleTester.run(dockerfileDeletesPackageDatabase, {
  valid: [
    {
      name: 'apt lists, caches and tmp',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /tmp/* /root/.cache /var/cache/apk/*\n',
    },
    { name: 'dpkg backup files', code: 'FROM debian:12\nRUN rm -f /var/lib/dpkg/*-old /var/cache/debconf/*-old\n' },
    {
      name: 'pyc cleanup of the official images',
      code: "FROM python:3.12\nRUN find /usr/local -depth \\( \\( -type d -a \\( -name test -o -name tests \\) \\) -o \\( -type f -a \\( -name '*.pyc' -o -name '*.pyo' \\) \\) \\) -exec rm -rf '{}' +\n",
    },
    { name: 'egg-info of a local source build', code: 'FROM python:3.12\nRUN python setup.py bdist_wheel && rm -rf build *.egg-info\n' },
    {
      name: 'builder stage',
      code: 'FROM debian:12 AS rootfs\nRUN rm -rf /var/lib/dpkg\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=rootfs /app /app\n',
    },
    { name: 'listing is not deleting', code: 'FROM debian:12\nRUN cat /var/lib/dpkg/status > /tmp/status.txt && ls /lib/apk/db\n' },
    {
      name: 'rpm environment files and dpkg maintainer scripts',
      code: 'FROM rockylinux:9\nRUN rpm --rebuilddb && rm -f /var/lib/rpm/__db.* && rm -f /var/lib/dpkg/info/foo.postinst /lib/apk/db/scripts.tar\n',
    },
    { name: 'docs only', code: 'FROM debian:12\nRUN rm -rf /usr/share/doc/* /usr/share/man/*\n' },
    {
      name: 'relative paths under another folder, an unknown directory, a link restoring the default, ln without -f',
      code: 'FROM debian:12\nWORKDIR /app\nRUN rm -rf var && cd $HOME && rm -f os-release\nRUN ln -sf ../usr/lib/os-release /etc/os-release && ln -s /dev/null /etc/os-release && ln -sf /usr/share/zoneinfo/UTC /etc/localtime\n',
    },
    { name: 'a relative var folder without a WORKDIR', code: 'FROM debian:12\nRUN rm -rf var/lib build/var\n' },
  ],
  invalid: [
    {
      name: 'dpkg status and os-release',
      code: 'FROM debian:12\nRUN apt-get install -y curl && rm -rf /var/lib/dpkg/status /etc/os-release\n',
      errors: [
        { text: '/var/lib/dpkg/status', line: 1, message: /^Deleting \/var\/lib\/dpkg\/status removes the dpkg package database: image scanners/ },
        { text: '/etc/os-release', line: 1, message: /OS release file/ },
      ],
    },
    {
      name: 'apk and rpm databases across continuations',
      code: 'FROM alpine:3.20\nRUN apk add --no-cache openssl \\\n && rm -rf \\\n      /lib/apk/db \\\n      /var/lib/rpm\n',
      errors: [
        { text: '/lib/apk/db', line: 3 },
        { text: '/var/lib/rpm', line: 4 },
      ],
    },
    {
      name: 'language metadata, find -delete, truncation',
      code: "FROM python:3.12-slim\nRUN rm -rf /usr/local/lib/python3.12/site-packages/*.dist-info\nRUN find /usr/local/lib -name '*.dist-info' -exec rm -rf {} +\nRUN rm -f /app/node_modules/*/package.json && : > /var/lib/dpkg/status\n",
      errors: [
        { text: '/usr/local/lib/python3.12/site-packages/*.dist-info', line: 1 },
        { text: "'*.dist-info'", line: 2 },
        { text: '/app/node_modules/*/package.json', line: 3 },
        { text: '/var/lib/dpkg/status', line: 3 },
      ],
    },
    {
      name: 'relative paths after cd and WORKDIR',
      code: 'FROM debian:12\nRUN cd /etc && rm os-release\nWORKDIR /usr\nWORKDIR lib\nRUN rm -f os-release && cd ../../var/lib && rm -rf dpkg\n',
      errors: [
        { text: 'os-release', line: 1, message: /^Deleting \/etc\/os-release removes the OS release file/ },
        { text: 'os-release', line: 4, message: /^Deleting \/usr\/lib\/os-release removes the OS release file/ },
        { text: 'dpkg', line: 4, message: /^Deleting \/var\/lib\/dpkg removes the dpkg package database/ },
      ],
    },
    {
      name: 'replaced by a forced link or an empty copy; the folder holding the databases',
      code: 'FROM debian:12\nRUN ln -sf /dev/null /etc/os-release && cp /dev/null /etc/debian_version\nRUN rm -rf /var/lib/*\n',
      errors: [
        { text: '/etc/os-release', line: 1, message: /^Overwriting \/etc\/os-release removes the OS release file/ },
        { text: '/etc/debian_version', line: 1, message: /^Overwriting \/etc\/debian_version/ },
        { text: '/var/lib/*', line: 2, message: /^Deleting \/var\/lib\/\* removes the dpkg\/rpm package database: image scanners/ },
      ],
    },
    {
      name: 'heredoc in a stage the final one builds on',
      code: 'FROM ubuntu:24.04 AS base\nRUN <<EOF\nrm -rf /var/lib/dpkg/info\nEOF\nFROM base\n',
      errors: [{ text: '/var/lib/dpkg/info', line: 2 }],
    },
  ],
});
