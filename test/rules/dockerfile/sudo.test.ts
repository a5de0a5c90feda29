import { RuleTester } from '../../../rules/tester';
import { dockerfileSudo } from '../../../rules/dockerfile/sudo';

RuleTester.run(dockerfileSudo, {
  valid: [
    { name: 'installing the sudo package', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y sudo\n' },
    { name: 'builder stage only', code: 'FROM ubuntu:24.04 AS build\nUSER builder\nRUN sudo apt-get install -y make\nFROM gcr.io/distroless/static:nonroot\n' },
    { name: 'the word in arguments', code: 'FROM alpine:3.20\nRUN echo "no sudo here" && grep -q sudo /etc/group || true\n' },
    { name: 'gosu entrypoint', code: 'FROM debian:12\nENTRYPOINT ["gosu", "app", "/app"]\n' },
    { name: 'restricted sudoers entry', code: 'FROM debian:12\nRUN echo "app ALL=(root) NOPASSWD: /usr/bin/apt-get" > /etc/sudoers.d/app\n' },
    { name: 'hadolint ignore', code: 'FROM debian:12\n# hadolint ignore=DL3004\nRUN sudo true\n' },
  ],
  invalid: [
    {
      name: 'sudo in RUN of the final stage, after && and with env',
      code: 'FROM ubuntu:24.04\nUSER app\nRUN mkdir -p ~/x && DEBIAN_FRONTEND=noninteractive sudo apt-get install -y curl\n',
      errors: [{ text: 'sudo', line: 2, message: /^sudo in RUN/ }],
    },
    {
      name: 'stage the final stage builds on',
      code: 'FROM ubuntu:24.04 AS base\nRUN sudo -E true\nFROM base\nCMD ["bash"]\n',
      errors: [{ text: 'sudo', line: 1 }],
    },
    {
      name: 'passwordless sudo and a sudo entrypoint',
      code: 'FROM debian:12\nRUN useradd app \\\n && echo "app ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers\nUSER app\nENTRYPOINT ["sudo", "/start.sh"]\n',
      errors: [
        { text: 'NOPASSWD:ALL', line: 2 },
        { text: 'sudo', line: 4, message: /^ENTRYPOINT starts the container through sudo/ },
      ],
    },
    {
      name: 'inside if/then',
      code: 'FROM debian:12\nRUN if [ -x /usr/bin/sudo ]; then sudo true; fi\n',
      errors: [{ text: 'sudo', line: 1 }],
    },
    {
      name: 'heredoc',
      code: 'FROM debian:12\nRUN <<EOF\nsudo apt-get update\nEOF\n',
      errors: [{ text: 'sudo', line: 2 }],
    },
  ],
});
