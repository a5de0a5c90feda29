import { RuleTester } from '../../../rules/tester';
import { dockerfileExposesRemoteAccessPort } from '../../../rules/dockerfile/exposesRemoteAccessPort';

RuleTester.run(dockerfileExposesRemoteAccessPort, {
  valid: [
    { name: 'web ports', code: 'FROM nginx:1.27\nEXPOSE 80 443/tcp 8080-8089\n' },
    { name: 'builder stage', code: 'FROM ubuntu:24.04 AS dev\nEXPOSE 22\nFROM gcr.io/distroless/static:nonroot\nEXPOSE 8080\n' },
    { name: 'unresolved variable', code: 'FROM alpine:3.20\nARG PORT\nEXPOSE $PORT\n' },
    { name: '2222 is not 22', code: 'FROM alpine:3.20\nEXPOSE 2222 220\n' },
    { name: 'trivy ignore', code: 'FROM alpine:3.20\n# trivy:ignore:DS004\nEXPOSE 22\n' },
  ],
  invalid: [
    {
      name: 'SSH alone: the line goes',
      code: 'FROM ubuntu:24.04\nRUN apt-get update\nEXPOSE 22\nCMD ["/usr/sbin/sshd", "-D"]\n',
      errors: [
        {
          text: '22',
          line: 2,
          message: 'EXPOSE 22 opens SSH, a remote-access port. Containers are reached with exec, not by logging in: remove the port and its daemon.',
        },
      ],
      output: 'FROM ubuntu:24.04\nRUN apt-get update\nCMD ["/usr/sbin/sshd", "-D"]\n',
    },
    {
      name: 'mixed ports: only the remote-access ones go',
      code: 'FROM alpine:3.20\nEXPOSE 8080 2375/tcp 5900\n',
      errors: [
        { text: '2375/tcp', line: 1, message: /^EXPOSE 2375\/tcp opens the unencrypted Docker API, a remote-access port/ },
        { text: '5900', line: 1 },
      ],
      output: 'FROM alpine:3.20\nEXPOSE 8080\n',
    },
    {
      name: 'variable and range in the stage the final one builds on',
      code: 'FROM alpine:3.20 AS base\nENV SSH_PORT=22\nEXPOSE ${SSH_PORT} 3380-3390\nFROM base\n',
      errors: [
        { text: '${SSH_PORT}', line: 2 },
        { text: '3380-3390', line: 2, message: /includes remote-access ports 3389 \(RDP\)\./ },
      ],
      output: 'FROM alpine:3.20 AS base\nENV SSH_PORT=22\nFROM base\n',
    },
  ],
});
