import { RuleTester } from '../../../rules/tester';
import { dockerfileAptNoInstallRecommends } from '../../../rules/dockerfile/aptNoInstallRecommends';

RuleTester.run(dockerfileAptNoInstallRecommends, {
  valid: [
    { name: 'flag present', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n' },
    { name: 'option form', code: 'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n' },
    {
      name: 'global apt config',
      code: 'FROM debian:12\nRUN echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/99norecommends\nRUN apt-get install -y curl\n',
    },
    { name: 'simulation', code: 'FROM debian:12\nRUN if apt-get install -s "pg-jit" > /dev/null 2>&1; then echo yes; fi\n' },
    { name: 'builder stage', code: 'FROM debian:12 AS build\nRUN apt-get install -y build-essential\nFROM gcr.io/distroless/cc:nonroot\n' },
    { name: 'not an install', code: 'FROM debian:12\nRUN apt-get update && apt-get purge -y curl && echo "apt-get install x"\n' },
  ],
  invalid: [
    {
      name: 'plain install',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
      errors: [{ text: 'apt-get install', line: 1, message: /without --no-install-recommends/ }],
      output: 'FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n',
    },
    {
      name: 'options before install, continuation, apt',
      code: 'FROM ubuntu:24.04\nRUN apt-get -qq -y \\\n    install git \\\n && apt install -y vim\n',
      errors: [
        { text: 'apt-get -qq -y \\\n    install', line: 1 },
        { text: 'apt install', line: 3 },
      ],
      output: 'FROM ubuntu:24.04\nRUN apt-get -qq -y \\\n    install --no-install-recommends git \\\n && apt install --no-install-recommends -y vim\n',
    },
  ],
});
