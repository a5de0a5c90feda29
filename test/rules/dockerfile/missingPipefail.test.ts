import { RuleTester } from '../../../rules/tester';
import { dockerfileMissingPipefail } from '../../../rules/dockerfile/missingPipefail';

RuleTester.run(dockerfileMissingPipefail, {
  valid: [
    { name: 'no pipe; || is not a pipe', code: 'FROM alpine:3.20\nRUN make || true\n' },
    { name: 'set -o pipefail', code: 'FROM alpine:3.20\nRUN set -eux -o pipefail; curl -fsSL https://x/a.tgz | tar xz\n' },
    { name: 'set -euo pipefail in a heredoc', code: 'FROM debian:12\nRUN <<EOF\nset -euo pipefail\ncurl -fsSL https://x | tar xz\nEOF\n' },
    {
      name: 'SHELL with pipefail, inherited by the next stage',
      code: 'FROM debian:12 AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN curl -fsSL https://x | tar xz\n',
    },
    { name: 'pipe inside quotes', code: 'FROM alpine:3.20\nRUN echo "a | b" > /f\n' },
    { name: 'exec form', code: 'FROM alpine:3.20\nRUN ["sh", "-c", "a | b"]\n' },
    { name: 'hadolint ignore', code: 'FROM alpine:3.20\n# hadolint ignore=DL4006\nRUN a | b\n' },
    { name: 'case patterns are not pipes', code: 'FROM debian:12\nRUN case "$(dpkg --print-architecture)" in amd64 | arm64) echo ok ;; *) exit 1 ;; esac\n' },
    { name: 'echo into a checksum check', code: 'FROM debian:12\nRUN echo "$SHA256 *go.tgz" | sha256sum -c - && { echo a; echo b; } | tee /etc/x.conf\n' },
    { name: 'Windows cmd', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ | findstr x\n' },
    {
      name: 'PowerShell',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Get-ChildItem | Select-Object Name\n',
    },
  ],
  invalid: [
    {
      name: 'curl | tar',
      code: 'FROM alpine:3.20\nRUN curl -fsSL https://x/a.tgz | tar xz -C /opt\n',
      errors: [{ text: '|', line: 1, message: /set -o pipefail/ }],
    },
    {
      name: 'SHELL without pipefail, pipefail set after the pipe, continuation',
      code: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN wget -qO- https://x/key \\\n    | gpg --dearmor > /k && set -o pipefail\n',
      errors: [{ text: '|', line: 3 }],
    },
    {
      name: 'the first risky pipe of several',
      code: "FROM debian:12\nRUN echo x | tee /a && dpkg-query -W | awk '{print $1}' | sort -u\n",
      errors: [{ text: '|', line: 1 }],
    },
  ],
});
