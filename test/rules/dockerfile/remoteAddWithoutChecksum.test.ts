import { RuleTester } from '../../../rules/tester';
import { dockerfileRemoteAddWithoutChecksum } from '../../../rules/dockerfile/remoteAddWithoutChecksum';

const SHA = 'sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d';

RuleTester.run(dockerfileRemoteAddWithoutChecksum, {
  valid: [
    { name: 'checksum', code: `FROM alpine:3.20\nADD --checksum=${SHA} https://example.com/app.tar.gz /opt/\n` },
    { name: 'git pinned to a commit', code: 'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#d8b7b8f1c4b1c3c1a3b4e5f6a7b8c9d0e1f2a3b4 /src\n' },
    {
      name: 'git commit from an ARG default',
      code: 'ARG REF=d8b7b8f1c4b1c3c1a3b4e5f6a7b8c9d0e1f2a3b4\nFROM alpine:3.20\nARG REF\nADD "https://github.com/o/r.git#$REF" /src\n',
    },
    { name: 'git ref from an ARG without default', code: 'FROM alpine:3.20\nARG REF\nADD https://github.com/o/r.git#${REF} /src\n' },
    { name: 'local files', code: 'FROM alpine:3.20\nADD rootfs.tar.xz /\nADD app/ /app/\n' },
    { name: 'COPY is not ADD', code: 'FROM alpine:3.20\nCOPY --from=build /a /a\n' },
  ],
  invalid: [
    {
      name: 'plain URL',
      code: 'FROM alpine:3.20\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n',
      errors: [{ text: 'https://github.com/krallin/tini/releases/download/v0.19.0/tini', line: 1, message: /add --checksum=sha256/ }],
    },
    {
      name: 'in a builder stage, JSON form, with --chown',
      code: 'FROM golang:1.22 AS build\nADD --chown=1000:1000 ["http://example.com/a.tgz", "/tmp/"]\nFROM scratch\n',
      errors: [{ text: '"http://example.com/a.tgz"', line: 1 }],
    },
    {
      name: 'git at a tag and without a ref',
      code: 'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.14.0 /src\nADD git@github.com:org/private.git /p\n',
      errors: [
        { text: 'https://github.com/moby/buildkit.git#v0.14.0', line: 1, message: /at v0.14.0, a ref that can move/ },
        { text: 'git@github.com:org/private.git', line: 2, message: /without a ref/ },
      ],
    },
    {
      name: 'git tag from a global ARG default',
      code: 'ARG RUNC_VERSION=v1.4.3\nFROM golang:1.22 AS runc\nARG RUNC_VERSION\nADD --keep-git-dir=true "https://github.com/opencontainers/runc.git#$RUNC_VERSION" .\n',
      errors: [
        { text: '"https://github.com/opencontainers/runc.git#$RUNC_VERSION"', line: 3, message: /at \$RUNC_VERSION \(= v1\.4\.3\), a ref that can move/ },
      ],
    },
  ],
});
