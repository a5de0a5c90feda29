import { RuleTester } from '../../../rules/tester';
import { dockerfileImageNotPinnedByDigest } from '../../../rules/dockerfile/imageNotPinnedByDigest';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

RuleTester.run(dockerfileImageNotPinnedByDigest, {
  valid: [
    { name: 'tag and digest', code: `FROM alpine:3.20@${DIGEST}\n` },
    { name: 'digest via ARG default', code: `ARG BASE=alpine:3.20@${DIGEST}\nFROM $BASE\n` },
    { name: 'scratch and stage references', code: `FROM golang:1.22@${DIGEST} AS build\nFROM build AS test\nFROM scratch\n` },
    { name: 'unresolved ARG', code: 'ARG BASE\nFROM ${BASE}\n' },
  ],
  invalid: [
    { name: 'tag only', code: 'FROM alpine:3.20\n', errors: [{ text: 'alpine:3.20', line: 0, message: /not pinned by digest/ }] },
    {
      name: 'each external stage',
      code: `FROM golang:1.22 AS build\nFROM gcr.io/distroless/static@${DIGEST}\nCOPY --from=build /a /a\n`,
      errors: [{ text: 'golang:1.22', line: 0 }],
    },
    {
      name: 'malformed digests pin nothing',
      code: 'FROM alpine:3.20@sha256:abc\nFROM nginx@SHA256:0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n',
      errors: [
        {
          text: 'alpine:3.20@sha256:abc',
          line: 0,
          message: 'Base image alpine:3.20@sha256:abc has a malformed digest (a sha256 digest is 64 lower-case hex digits): it pins nothing.',
        },
        { line: 1, message: /"SHA256" is not a digest algorithm/ },
      ],
    },
  ],
});
