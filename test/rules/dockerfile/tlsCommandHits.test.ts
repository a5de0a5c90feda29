/**
 * tls-verification-disabled reads each command through commandHits: one look-up of the program's
 * kind (text, every word, switch, other) and, for the options every program is asked about, the
 * fixed text of each pattern looked for before its regex. Each case is one those tests must not skip.
 */
import { RuleTester } from '../../../rules/tester';
import { dockerfileTlsVerificationDisabled } from '../../../rules/dockerfile/tlsVerificationDisabled';

RuleTester.run(dockerfileTlsVerificationDisabled, {
  valid: [
    { name: 'a text program names the options', code: 'FROM alpine:3.20\nRUN echo --insecure-skip-tls-verify --tls-verify=false -k\n' },
    { name: 'short options of a program outside the switch', code: 'FROM alpine:3.20\nRUN tool -k -Dx=1 --insecure-skip-tls-verify=false\n' },
    { name: 'verification left on', code: 'FROM alpine:3.20\nRUN skopeo copy --src-tls-verify=true --dest-tls-verify=1 a b\n' },
    { name: 'another Maven property', code: 'FROM maven:3\nRUN mvn -Dmaven.wagon.http.ssl.insecure=false -Dskip=true package\n' },
    { name: 'an assignment longer than every variable name', code: 'FROM alpine:3.20\nRUN A_NAME_LONGER_THAN_ANY_OF_THE_VARIABLES_LOOKED_FOR=0 x\n' },
  ],
  invalid: [
    {
      name: 'the insecure options of programs outside the switch, with their values',
      code: 'FROM alpine:3.20\nRUN helm pull --insecure-skip-tls-verify=true x && kubectl --insecure-skip-tls-verify=1 get x\n',
      errors: [
        { text: '--insecure-skip-tls-verify=true', line: 1 },
        { text: '--insecure-skip-tls-verify=1', line: 1 },
      ],
    },
    {
      name: 'tls-verify with and without a prefix',
      code: 'FROM alpine:3.20\nRUN podman pull --tls-verify=false x && skopeo copy --src-tls-verify=0 --dest-tls-verify=false a b\n',
      errors: [
        { text: '--tls-verify=false', line: 1 },
        { text: '--src-tls-verify=0', line: 1 },
        { text: '--dest-tls-verify=false', line: 1 },
      ],
    },
    {
      name: 'Maven properties',
      code: 'FROM maven:3\nRUN mvn -Dmaven.wagon.http.ssl.allowall=true -Dmaven.wagon.http.ssl.ignore.validity.dates=true package\n',
      errors: [
        { text: '-Dmaven.wagon.http.ssl.allowall=true', line: 1 },
        { text: '-Dmaven.wagon.http.ssl.ignore.validity.dates=true', line: 1 },
      ],
    },
    {
      name: 'a short option of a switch program, a word of a word program, a long option of both',
      code: 'FROM node:22\nRUN curl -fsSLk https://x -o y && git config --global http.sslVerify false && npm --strict-ssl=false ci\n',
      errors: [
        { text: '-fsSLk', line: 1 },
        { text: 'http.sslVerify', line: 1 },
        { text: '--strict-ssl=false', line: 1 },
      ],
    },
    {
      name: 'the last word of a command is asked about with no next word',
      code: 'FROM alpine:3.20\nRUN wget --no-check-certificate\n',
      errors: [{ text: '--no-check-certificate', line: 1 }],
    },
  ],
});
