import { RuleTester } from '../../../rules/tester';
import { dockerfileFlattenedImage } from '../../../rules/dockerfile/flattenedImage';

RuleTester.run(dockerfileFlattenedImage, {
  valid: [
    { name: 'copy only the app', code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app\nFROM scratch\nCOPY --from=build /out/app /app\n' },
    {
      name: 'flattening in a builder stage',
      code: 'FROM alpine:3.20 AS base\nFROM scratch AS squashed\nCOPY --from=base / /\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=squashed /etc/ssl /etc/ssl\n',
    },
    { name: 'a directory to root', code: 'FROM busybox:1.36 AS b\nFROM scratch\nCOPY --from=b /rootfs/ /\n' },
    { name: 'hadolint ignore', code: 'FROM alpine:3.20 AS base\nFROM scratch\n# hadolint ignore=DL3067\nCOPY --from=base / /\n' },
  ],
  invalid: [
    {
      name: 'PACK into scratch',
      code: 'FROM python:3.12 AS full\nRUN pip install flask\nFROM scratch\nCOPY --from=full / /\n',
      errors: [{ text: 'COPY --from=full / /', line: 3, message: /copies a whole file system into one layer/ }],
    },
    {
      name: 'external image, with link',
      code: 'FROM scratch\nCOPY --link --from=docker.io/library/alpine:3.20 / /\nCMD ["/bin/sh"]\n',
      errors: [{ text: 'COPY --link --from=docker.io/library/alpine:3.20 / /', line: 1 }],
    },
  ],
});
