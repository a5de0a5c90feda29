/**
 * The early exits of the Dockerfile rules (a literal looked for before a regex or a walk, work
 * skipped when its answer cannot matter) change no finding: each case below is one an exit must
 * not skip, written the way that makes the literal hardest to see (quotes, continuations, escapes).
 */
import { RuleTester } from '../../../rules/tester';
import { dockerfileCurlPipeShell } from '../../../rules/dockerfile/curlPipeShell';
import { dockerfileDeletesPackageDatabase } from '../../../rules/dockerfile/deletesPackageDatabase';
import { dockerfileRunsAsRoot } from '../../../rules/dockerfile/runsAsRoot';
import { dockerfileSoftwareOutsidePackageManager } from '../../../rules/dockerfile/softwareOutsidePackageManager';
import { dockerfileTlsVerificationDisabled } from '../../../rules/dockerfile/tlsVerificationDisabled';

RuleTester.run(dockerfileCurlPipeShell, {
  valid: [{ name: 'no download and no pipe', code: 'FROM alpine:3.20\nRUN sh /install.sh\n' }],
  invalid: [
    {
      // The script does not hold `curl` as written: the substitution patterns are skipped, not the pipe.
      name: 'a downloader spelt with quotes still pipes into a shell',
      code: 'FROM alpine:3.20\nRUN c"url" -fsSL https://x/i.sh | sh\n',
      errors: [{ text: 'c"url" -fsSL https://x/i.sh | sh', line: 1 }],
    },
    {
      name: 'a pipe across a continuation',
      code: 'FROM alpine:3.20\nRUN wget -qO- https://x/i.sh |\\\n  bash\n',
      errors: [{ line: 1, message: /output of wget is piped into bash/ }],
    },
  ],
});

RuleTester.run(dockerfileTlsVerificationDisabled, {
  valid: [
    { name: 'short options of other programs', code: 'FROM alpine:3.20\nRUN set -eux && rm -rf /tmp/x && tar -xzf a.tgz\n' },
    { name: 'an assignment of another length', code: 'FROM alpine:3.20\nRUN NODE_TLS_REJECT=0 node app.js\n' },
    { name: 'brackets without trusted=yes', code: 'FROM debian:12\nRUN [ -f /x ] && echo "deb [arch=amd64] http://x ./" > /etc/apt/sources.list\n' },
  ],
  invalid: [
    {
      name: 'an environment variable set inline (the name is all before the first `=`)',
      code: 'FROM node:22\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci && GOFLAGS=-insecure=x go get x\n',
      errors: [
        { text: 'NODE_TLS_REJECT_UNAUTHORIZED=0', line: 1 },
        { text: 'GOFLAGS=-insecure=x', line: 1 },
      ],
    },
    {
      name: 'pip through python -m, and pip3',
      code: 'FROM python:3.12\nRUN python3 -m pip install --trusted-host pypi.example x && pip3 install --trusted-host=p.example y\n',
      errors: [
        { text: '--trusted-host', line: 1 },
        { text: '--trusted-host=p.example', line: 1 },
      ],
    },
    {
      name: 'long options and Maven properties of programs outside the switch',
      code: 'FROM maven:3\nRUN helm repo add --insecure-skip-tls-verify r https://x && mvn -Dmaven.wagon.http.ssl.insecure=true package\n',
      errors: [
        { text: '--insecure-skip-tls-verify', line: 1 },
        { text: '-Dmaven.wagon.http.ssl.insecure=true', line: 1 },
      ],
    },
    {
      // One case-insensitive scan for every configuration hint decides whether the patterns run.
      name: 'configuration written by a RUN, hints in any case',
      code:
        "FROM debian:12\nRUN echo 'deb [arch=amd64 trusted=yes] http://x ./' > /etc/apt/sources.list.d/x.list" +
        ' && echo \'ACQUIRE::HTTPS::Verify-Peer "false";\' > /etc/apt/apt.conf.d/99x && printf "SSLVERIFY=0\\n" >> /etc/yum.conf\n',
      errors: [
        { text: '[arch=amd64 trusted=yes]', line: 1 },
        { text: 'ACQUIRE::HTTPS::Verify-Peer "false', line: 1 },
        { text: 'SSLVERIFY=0', line: 1 },
      ],
    },
    {
      // Backslash escapes are removed from the words only in scripts (and commands) holding one.
      name: 'an escaped option and a program named with its path',
      code: 'FROM fedora:40\nRUN /usr/bin/dnf --setopt=\\*.sslverify=0 install -y x\n',
      errors: [{ text: '--setopt=\\*.sslverify=0', line: 1, message: /dnf --setopt=\*\.sslverify=0 disables/ }],
    },
    {
      name: 'short options of the programs in the switch are still read',
      code: 'FROM alpine:3.20\nRUN curl -fsSLk https://x -o /x && apt-get -o Acquire::https::Verify-Peer=false update\n',
      errors: [
        { text: '-fsSLk', line: 1 },
        { text: '-o', line: 1 },
      ],
    },
  ],
});

RuleTester.run(dockerfileRunsAsRoot, {
  valid: [
    {
      name: 'the entrypoint drops privileges',
      code: 'FROM debian:12\nRUN apt-get update\nENTRYPOINT ["gosu", "app", "/app"]\n',
    },
  ],
  invalid: [
    {
      // The file names gosu, so its instructions are read, but no RUN, CMD or ENTRYPOINT runs it.
      name: 'gosu only in a comment and a label',
      code: 'FROM debian:12\n# gosu is not used\nLABEL note="gosu"\nCMD ["/app"]\n',
      errors: [{ line: 0, message: /never sets USER/ }],
    },
    {
      // The raw arguments keep the continuation, so the word is not there (as before).
      name: 'a privilege drop split by a continuation is not read as one',
      code: 'FROM debian:12\nENTRYPOINT go\\\nsu app /app\n',
      errors: [{ line: 0, message: /never sets USER/ }],
    },
  ],
});

RuleTester.run(dockerfileDeletesPackageDatabase, {
  valid: [{ name: 'no WORKDIR and a relative path', code: 'FROM debian:12\nRUN rm -rf var/lib/dpkg-cache\n' }],
  invalid: [
    {
      name: 'a relative path under a WORKDIR, and doubled slashes',
      code: 'FROM debian:12\nWORKDIR /var/lib\nRUN rm -rf dpkg\nRUN rm -rf .//var/lib//apk/db\n',
      errors: [
        { text: 'dpkg', line: 2, message: /dpkg package database/ },
        { text: './/var/lib//apk/db', line: 3, message: /apk package database/ },
      ],
    },
    {
      name: 'a truncation by redirection, and rm named with its path',
      code: 'FROM debian:12\nRUN echo > /var/lib/dpkg/status && /bin/rm -rf /var/lib/apk\n',
      errors: [
        { text: '/var/lib/dpkg/status', line: 1 },
        { text: '/var/lib/apk', line: 1 },
      ],
    },
    {
      name: 'a redirection operand is not a deleted path',
      code: 'FROM debian:12\nRUN rm -f /var/lib/dpkg/status 2>/dev/null\n',
      errors: [{ text: '/var/lib/dpkg/status', line: 1 }],
    },
  ],
});

RuleTester.run(dockerfileSoftwareOutsidePackageManager, {
  valid: [
    {
      name: 'a recorded source (the record prefix is in the file)',
      code: 'FROM debian:12\n# bulkhead-sbom: name=tool version=1 source=https://x/tool-1.tar.gz\nRUN curl -fsSLO https://x/tool-1.tar.gz\n',
    },
  ],
  invalid: [
    {
      name: 'variables resolved in the record, an unknown one and a lone `$` kept',
      code: 'FROM debian:12\nARG V=2.4.1\nRUN curl -fsSLO https://x/$/tool-${V}.tar.gz\n',
      errors: [{ text: 'https://x/$/tool-${V}.tar.gz', line: 2 }],
      output:
        'FROM debian:12\nARG V=2.4.1\n# bulkhead-sbom: name=tool version=2.4.1 source=https://x/$/tool-${V}.tar.gz\nRUN curl -fsSLO https://x/$/tool-${V}.tar.gz\n',
    },
  ],
});
