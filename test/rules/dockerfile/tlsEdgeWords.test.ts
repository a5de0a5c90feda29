/**
 * tls-verification-disabled: the cases its look-ups are arranged around. ENV_VARS are looked up by
 * the length of the name (two pairs of variables share a length; npm's ignores case); `python -m`
 * is resolved from words read for every command; empty and one-character words are tested by length
 * before their characters are read. Each case is one those tests must neither skip nor confuse.
 */
import { RuleTester } from '../../../rules/tester';
import { dockerfileTlsVerificationDisabled } from '../../../rules/dockerfile/tlsVerificationDisabled';

RuleTester.run(dockerfileTlsVerificationDisabled, {
  valid: [
    { name: 'python with -m and no module', code: 'FROM python:3.12\nRUN python -m\nRUN python3 -m && python\n' },
    { name: 'a module other than pip', code: 'FROM python:3.12\nRUN python -m venv --trusted-host x /v\n' },
    { name: 'empty and one-character words', code: 'FROM alpine:3.20\nRUN tar -xzf - "" -C / && curl "" - && git "" -\n' },
    {
      name: "a name of npm's length that differs in a character other than a letter's case",
      code: 'FROM node:22\nENV npm_config_strict-ssl=false\nRUN NPM_CONFIG_STRICT-SSL=false npm ci\n',
    },
    { name: 'a name of the length of two variables, neither of them', code: 'FROM alpine:3.20\nENV PIP_TRUSTED_HOSX=h GIT_SSL_NO_VERIFX=1\n' },
  ],
  invalid: [
    {
      name: 'both variables of each shared name length, in ENV and ARG',
      code: 'FROM alpine:3.20\nENV PIP_TRUSTED_HOST=h UV_INSECURE_HOST=h\nARG GIT_SSL_NO_VERIFY=1\nARG PYTHONHTTPSVERIFY=0\n',
      errors: [
        { text: 'PIP_TRUSTED_HOST=h', line: 1 },
        { text: 'UV_INSECURE_HOST=h', line: 1 },
        { text: 'GIT_SSL_NO_VERIFY=1', line: 2 },
        { text: 'PYTHONHTTPSVERIFY=0', line: 3 },
      ],
    },
    {
      name: 'both variables of each shared name length, as assignments of a command',
      code: 'FROM python:3.12\nRUN PIP_TRUSTED_HOST=h UV_INSECURE_HOST=h GIT_SSL_NO_VERIFY=1 PYTHONHTTPSVERIFY=0 pip install x\n',
      errors: [
        { text: 'PIP_TRUSTED_HOST=h', line: 1 },
        { text: 'UV_INSECURE_HOST=h', line: 1 },
        { text: 'GIT_SSL_NO_VERIFY=1', line: 1 },
        { text: 'PYTHONHTTPSVERIFY=0', line: 1 },
      ],
    },
    {
      name: "npm's variable in any case",
      code: 'FROM node:22\nENV NPM_CONFIG_STRICT_SSL=false\nRUN Npm_Config_Strict_Ssl=0 npm ci\n',
      errors: [
        { text: 'NPM_CONFIG_STRICT_SSL=false', line: 1 },
        { text: 'Npm_Config_Strict_Ssl=0', line: 2 },
      ],
    },
    {
      name: 'python -m pip, with a versioned python, a path, and an escaped module name',
      code:
        'FROM python:3.12\nRUN python3.11 -m pip --trusted-host=h install x\n' +
        'RUN /usr/bin/python3 -m pip config set global.trusted-host h\nRUN python -m pi\\p install --trusted-host h y\n',
      errors: [
        { text: '--trusted-host=h', line: 1 },
        { text: 'global.trusted-host', line: 2 },
        { text: '--trusted-host', line: 3 },
      ],
    },
    {
      name: 'a finding after empty and one-character words',
      code: 'FROM alpine:3.20\nRUN cat - "" | kubectl apply --insecure-skip-tls-verify -f - && git "" clone http://x/r\n',
      errors: [
        { text: '--insecure-skip-tls-verify', line: 1 },
        { text: 'http://x/r', line: 1 },
      ],
    },
  ],
});
