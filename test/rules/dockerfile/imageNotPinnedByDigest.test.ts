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
  ],
});
