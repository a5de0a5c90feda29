import { RuleTester } from '../../../rules/tester';
import { dockerfilePackedExecutable } from '../../../rules/dockerfile/packedExecutable';

RuleTester.run(dockerfilePackedExecutable, {
  valid: [
    {
      name: 'clean Go build',
      code: 'FROM golang:1.22 AS build\nRUN go build -ldflags="-s -w" -o /out/app .\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n',
    },
    { name: 'unpacking and testing', code: 'FROM debian:12\nRUN upx -d /usr/local/bin/tool && upx -t /usr/local/bin/other\n' },
    {
      name: 'packed in a builder, a different file shipped',
      code: 'FROM golang:1.22 AS build\nRUN upx --best /out/debug-tool\nFROM scratch\nCOPY --from=build /out/app /app\n',
    },
    { name: 'the word upx as an argument', code: 'FROM alpine:3.20\nRUN apk add --no-cache upx\n' },
  ],
  invalid: [
    {
      name: 'packed in the final stage',
      code: 'FROM alpine:3.20\nCOPY app /usr/local/bin/app\nRUN upx --best --lzma /usr/local/bin/app\n',
      errors: [
        {
          text: 'upx --best --lzma /usr/local/bin/app',
          line: 2,
          message:
            /^UPX packs \/usr\/local\/bin\/app: scanners that read the software compiled into binaries \(Go build information and Rust audit data in Trivy and Syft\/Grype/,
        },
      ],
    },
    {
      name: 'combination: packed in a builder, the file copied out',
      code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app . && upx -9 /out/app\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n',
      errors: [{ text: 'upx -9 /out/app', line: 1, message: /Shipped by COPY --from=build \/out\/app \/app \(line 4\)\.$/ }],
    },
    {
      name: 'combination: packed in a flattened builder',
      code: 'FROM debian:12 AS b\nRUN upx /usr/local/bin/helm\nFROM scratch\nCOPY --from=b / /\n',
      errors: [{ text: 'upx /usr/local/bin/helm', line: 1 }],
    },
  ],
});
