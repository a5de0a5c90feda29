import { RuleTester } from '../../../rules/tester';
import { dockerfileTlsVerificationDisabled } from '../../../rules/dockerfile/tlsVerificationDisabled';

RuleTester.run(dockerfileTlsVerificationDisabled, {
  valid: [
    {
      name: '--trusted-host as text, not a pip option',
      code: 'FROM python:3.12\nRUN grep -q -- "--trusted-host" /etc/pip.conf || echo "--trusted-host is not set" && printf "%s" --insecure-skip-tls-verify\n',
    },
    {
      name: 'verified downloads',
      code: 'FROM debian:12\nRUN curl -fsSL https://x/a.tgz -o /a.tgz && wget -q https://x/b\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates\n',
    },
    {
      name: 'k inside an option value, and -K config',
      code: 'FROM alpine:3.20\nRUN curl -H "X-k: 1" -o k https://x/ && curl -sSLo kubectl https://dl.k8s.io/kubectl\n',
    },
    { name: 'words in echo and package names', code: 'FROM alpine:3.20\nRUN echo "never use --no-check-certificate or curl -k" && apk add --no-cache curl\n' },
    {
      name: 'verification explicitly on',
      code: 'FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1\nRUN npm config set strict-ssl true && git config --global http.sslVerify true\n',
    },
    {
      name: 'gpgcheck on, https git',
      code: 'FROM rockylinux:9\nRUN echo -e "[r]\\nbaseurl=https://x\\ngpgcheck=1\\nsslverify=1" > /etc/yum.repos.d/r.repo && git clone https://github.com/o/r\n',
    },
    { name: 'ENV without value does nothing', code: 'FROM alpine:3.20\nARG GIT_SSL_NO_VERIFY\n' },
    {
      name: 'trusted local repository of packages built here',
      code: 'FROM debian:12\nRUN tempDir="$(mktemp -d)" && echo "deb [ trusted=yes ] file://$tempDir ./" > /etc/apt/sources.list.d/temp.list\n',
    },
    {
      name: 'apk packages built in an earlier stage',
      code: 'FROM alpine:3.20\nRUN --mount=type=bind,target=/tmp/packages/,source=/tmp/packages/,from=builder \\\n    apk add --no-cache --allow-untrusted /tmp/packages/nginx-module-*.apk\n',
    },
    {
      name: 'bulkhead-ignore',
      code: 'FROM alpine:3.20\n# bulkhead-ignore dockerfile-tls-verification-disabled -- internal mirror\nRUN curl -k https://mirror.internal/x\n',
    },
  ],
  invalid: [
    {
      // One analysis per distinct RUN text (ScriptTextAnalysis): each copy is placed where it is.
      name: 'the same RUN text twice, at other lines and columns, and continued differently',
      code: 'FROM a AS one\nRUN curl -k https://x/i.sh -o i.sh\nFROM b\n    RUN   curl -k https://x/i.sh -o i.sh\nRUN curl \\\n  -k https://x/i.sh -o i.sh\n',
      errors: [
        { text: '-k', line: 1, message: /^curl -k disables TLS/ },
        { text: '-k', line: 3, message: /^curl -k disables TLS/ },
        { text: '-k', line: 5, message: /^curl -k disables TLS/ },
      ],
    },
    {
      name: 'quoted npm and yarn settings, key=value form',
      code: 'FROM node:22\nRUN npm config set "strict-ssl" false && npm config set "strict-ssl=false" && yarn config set strict-ssl=false\n',
      errors: [
        { text: '"strict-ssl"', line: 1, message: /npm config set strict-ssl false disables TLS/ },
        { text: '"strict-ssl=false"', line: 1, message: /npm config set strict-ssl=false/ },
        { text: 'strict-ssl=false', line: 1, message: /^yarn config set/ },
      ],
    },
    {
      name: 'dnf/yum setopt escaped, separate, any order; rpm --noverify',
      code: 'FROM rockylinux:9\nRUN dnf install -y --setopt=\\*.sslverify=0 foo && yum --setopt sslverify=false install bar && rpm -i --noverify x.rpm\n',
      errors: [
        { text: '--setopt=\\*.sslverify=0', line: 1, message: 'dnf --setopt=*.sslverify=0 disables TLS certificate verification.' },
        { text: '--setopt sslverify=false', line: 1, message: /yum --setopt sslverify=false/ },
        { text: '--noverify', line: 1, message: /^rpm --noverify/ },
      ],
    },
    {
      name: 'pip-like tools with --trusted-host',
      code: 'FROM python:3.12\nRUN python -m pip install --trusted-host pypi.internal x && uv pip install --allow-insecure-host=pypi.internal y\n',
      errors: [
        { text: '--trusted-host', line: 1, message: 'pip --trusted-host disables TLS certificate verification for that host.' },
        { text: '--allow-insecure-host=pypi.internal', line: 1, message: /^uv --allow-insecure-host/ },
      ],
    },
    {
      name: 'curl -k and wget --no-check-certificate in a builder stage',
      code: 'FROM golang:1.22 AS build\nRUN curl -fsSLk https://x/a -o a && wget --no-check-certificate https://x/b\nFROM scratch\n',
      errors: [
        { text: '-fsSLk', line: 1, message: /curl -fsSLk disables TLS certificate verification/ },
        { text: '--no-check-certificate', line: 1 },
      ],
    },
    {
      name: 'package managers',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --allow-unauthenticated foo \\\n && apt-get -o APT::Get::AllowUnauthenticated=true install bar\nRUN echo "deb [trusted=yes] http://repo.example/ ./" > /etc/apt/sources.list.d/x.list\n',
      errors: [
        { text: '--allow-unauthenticated', line: 1, message: /package signature verification is off/ },
        { text: '-o', line: 2 },
        { text: '[trusted=yes]', line: 3 },
      ],
    },
    {
      name: 'apk, dnf, rpm, repo files',
      code: 'FROM fedora:40\nRUN dnf install -y --nogpgcheck foo && rpm -i --nosignature x.rpm\nRUN printf "[r]\\ngpgcheck=0\\n" > /etc/yum.repos.d/r.repo\nRUN sudo apk add --allow-untrusted --repository http://repo.example/alpine foo\n',
      errors: [
        { text: '--nogpgcheck', line: 1 },
        { text: '--nosignature', line: 1 },
        { text: 'gpgcheck=0', line: 2 },
        { text: '--allow-untrusted', line: 3 },
      ],
    },
    {
      name: 'pip, npm, node',
      code: 'FROM node:22\nRUN python3 -m pip install --trusted-host pypi.org foo && pip config set global.trusted-host pypi.org\nRUN npm config set strict-ssl false && NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci\nENV NODE_TLS_REJECT_UNAUTHORIZED=0 PIP_TRUSTED_HOST="pypi.org files.pythonhosted.org"\n',
      errors: [
        { text: '--trusted-host', line: 1 },
        { text: 'global.trusted-host', line: 1, message: /pip config set global.trusted-host/ },
        { text: 'strict-ssl', line: 2, message: /npm config set strict-ssl false/ },
        { text: 'NODE_TLS_REJECT_UNAUTHORIZED=0', line: 2 },
        { text: 'NODE_TLS_REJECT_UNAUTHORIZED=0', line: 3, message: 'ENV NODE_TLS_REJECT_UNAUTHORIZED=0 disables TLS certificate verification in Node.js.' },
        { text: 'PIP_TRUSTED_HOST="pypi.org files.pythonhosted.org"', line: 3 },
      ],
    },
    {
      name: 'git',
      code: 'FROM alpine:3.20\nENV GIT_SSL_NO_VERIFY=true\nRUN git -c http.sslVerify=false clone https://x/r && git config --global http.sslverify false\nRUN git clone http://example.com/r.git /r\n',
      errors: [
        { text: 'GIT_SSL_NO_VERIFY=true', line: 1 },
        { text: 'http.sslVerify=false', line: 2 },
        { text: 'http.sslverify', line: 2 },
        { text: 'http://example.com/r.git', line: 3, message: /not encrypted/ },
      ],
    },
    {
      // The cheap tests before the regexes: the case-insensitive patterns are looked for in the
      // lower-cased script, generic options need `--` or Maven's `-D`, and a backslash-escaped word
      // is read unescaped before its first character is tested.
      name: 'upper-case repository settings, generic options, Maven, escaped options',
      code: 'FROM debian:12\nRUN echo "SSLVERIFY=0" >> /etc/yum.conf && echo \'ACQUIRE::HTTPS::VERIFY-PEER "false";\' > /etc/apt/apt.conf.d/99x\nRUN helm --insecure-skip-tls-verify repo add x https://x && skopeo copy --src-tls-verify=false a b && aws --no-verify-ssl s3 ls\nRUN mvn -Dmaven.wagon.http.ssl.insecure=true package && curl \\-k https://x && pip install \\--trusted-host x y\n',
      errors: [
        { text: 'SSLVERIFY=0', line: 1, message: /sslverify=0 in a repository file/ },
        { text: 'ACQUIRE::HTTPS::VERIFY-PEER "false', line: 1, message: /Acquire::https::Verify-Peer false/ },
        { text: '--insecure-skip-tls-verify', line: 2 },
        { text: '--src-tls-verify=false', line: 2 },
        { text: '--no-verify-ssl', line: 2 },
        { text: '-Dmaven.wagon.http.ssl.insecure=true', line: 3, message: /^Maven / },
        { text: '\\-k', line: 3, message: /^curl -k / },
        { text: '\\--trusted-host', line: 3, message: /^pip --trusted-host / },
      ],
    },
    {
      name: 'heredoc and escape directive',
      code: '# escape=`\nFROM debian:12\nRUN curl --insecure `\n    https://x/a\nRUN <<EOF\necho "check_certificate = off" >> /etc/wgetrc\nEOF\n',
      errors: [
        { text: '--insecure', line: 2 },
        { text: 'check_certificate = off', line: 5 },
      ],
    },
  ],
});
