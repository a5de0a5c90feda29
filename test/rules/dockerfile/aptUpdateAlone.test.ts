import { RuleTester } from '../../../rules/tester';
import { dockerfileAptUpdateAlone } from '../../../rules/dockerfile/aptUpdateAlone';

RuleTester.run(dockerfileAptUpdateAlone, {
  valid: [
    {
      name: 'update and install',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n',
    },
    { name: 'apk update and add', code: 'FROM alpine:3.20\nRUN apk update && apk add curl\n' },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n' },
    { name: 'yum update upgrades packages', code: 'FROM rockylinux:9\nRUN yum update -y\n' },
    {
      name: 'install inside a loop or an if',
      code: 'FROM debian:12\nRUN apt-get update \\\n && for m in a b; do \\\n      apt-get install -y --no-install-recommends /tmp/$m.deb; \\\n    done\nRUN apt-get update && if [ -n "$X" ]; then apt-get install -y x; fi\n',
    },
    { name: 'install helper', code: 'FROM bitnami/minideb:bookworm\nRUN apt-get update && install_packages curl\n' },
  ],
  invalid: [
    {
      name: 'update alone, install later',
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n',
      errors: [{ text: 'apt-get update', line: 1, message: /apt-get update in a RUN that installs nothing/ }],
    },
    {
      name: 'options and apk',
      code: 'FROM alpine:3.20\nRUN apk update && echo done\nFROM debian:12\nRUN apt-get -qq update\n',
      errors: [
        { text: 'apk update', line: 1 },
        { text: 'apt-get -qq update', line: 3 },
      ],
    },
  ],
});
