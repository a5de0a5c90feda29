import { RuleTester } from '../../../rules/tester';
import { dockerfileCurlPipeShell } from '../../../rules/dockerfile/curlPipeShell';

RuleTester.run(dockerfileCurlPipeShell, {
  valid: [
    {
      name: 'download, verify, run',
      code: 'FROM alpine:3.20\nRUN curl -fsSLo /tmp/i.sh https://example.com/i.sh \\\n && echo "abc  /tmp/i.sh" | sha256sum -c - \\\n && sh /tmp/i.sh\n',
    },
    {
      name: 'piping archives and keys is fine',
      code: 'FROM debian:12\nRUN curl -fsSL https://x/a.tar.gz | tar -xz -C /opt && curl -fsSL https://x/key.asc | gpg --dearmor -o /k.gpg\n',
    },
    {
      name: 'JSON parsed by an inline program',
      code: 'FROM python:3.12\nRUN curl -s https://api.github.com/repos/o/r/releases/latest | python3 -c "import sys, json; print(json.load(sys.stdin)[\'tag_name\'])"\n',
    },
    { name: 'the pipe is inside quotes', code: 'FROM alpine:3.20\nRUN echo "curl https://x | sh" > /usr/share/doc/howto.txt\n' },
    { name: 'stdin data for a script file', code: 'FROM alpine:3.20\nRUN wget -qO- https://x/data.csv | sh /usr/local/bin/import.sh\n' },
    { name: 'a comment', code: 'FROM alpine:3.20\n# RUN curl https://x | sh\nRUN true\n' },
    { name: 'exec form with data', code: 'FROM alpine:3.20\nRUN ["sh", "-c", "curl -fsSL https://x/a.tgz | tar xz"]\n' },
  ],
  invalid: [
    {
      name: 'curl | sh',
      code: 'FROM ubuntu:24.04\nRUN curl -fsSL https://get.docker.com | sh\n',
      errors: [{ text: 'curl -fsSL https://get.docker.com | sh', line: 1, message: /output of curl is piped into sh/ }],
    },
    {
      name: 'wget into sudo bash across a continuation in a builder stage',
      code: 'FROM node:22 AS build\nRUN apt-get update && wget -qO- https://deb.nodesource.com/setup_22.x \\\n    | sudo -E bash -\nFROM node:22-slim\n',
      errors: [{ text: 'wget -qO- https://deb.nodesource.com/setup_22.x \\\n    | sudo -E bash', line: 1 }],
    },
    {
      name: 'process and command substitution',
      code: 'FROM debian:12\nRUN bash <(curl -s https://x/install.sh)\nRUN sh -c "$(wget -O- https://x/ohmyzsh.sh)"\n',
      errors: [
        { text: 'bash <(curl -s https://x/install.sh)', line: 1 },
        { text: 'sh -c "$(wget -O- https://x/ohmyzsh.sh)"', line: 2 },
      ],
    },
    {
      name: 'heredoc, python from stdin, and a tee in the middle',
      code: 'FROM python:3.12\nRUN <<EOF\nset -e\ncurl -sSL https://install.python-poetry.org | python3 -\ncurl -fsSL https://x/i.sh | tee /tmp/log | bash -s -- --yes\nEOF\n',
      errors: [
        { text: 'curl -sSL https://install.python-poetry.org | python3', line: 3 },
        { text: 'curl -fsSL https://x/i.sh | tee /tmp/log | bash', line: 4 },
      ],
    },
    {
      name: 'PowerShell with the backtick escape',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN iwr https://chocolatey.org/install.ps1 -UseBasicParsing | iex\n',
      errors: [{ text: 'iwr https://chocolatey.org/install.ps1 -UseBasicParsing | iex', line: 2 }],
    },
  ],
});
