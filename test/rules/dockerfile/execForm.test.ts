/**
 * RUN in exec (JSON) form and the RUNs that ONBUILD registers are read like any RUN by every rule
 * that reads RUN scripts; a malformed JSON array is the shell script Docker runs.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RuleTester } from '../../../rules/tester';
import { dockerfileSudo } from '../../../rules/dockerfile/sudo';
import { dockerfileAptUpdateAlone } from '../../../rules/dockerfile/aptUpdateAlone';
import { dockerfileTlsVerificationDisabled } from '../../../rules/dockerfile/tlsVerificationDisabled';
import { dockerfileCurlPipeShell } from '../../../rules/dockerfile/curlPipeShell';
import { dockerfileWorldWritable } from '../../../rules/dockerfile/worldWritable';
import { execForm } from '../../../rules/dockerfile/shared';

RuleTester.run(dockerfileSudo, {
  valid: [
    { name: 'sudo as an argument of an exec-form RUN', code: 'FROM debian:12\nRUN ["apt-get", "install", "-y", "sudo"]\n' },
    { name: 'a malformed array is a shell command: `[sudo,` runs the program `[`', code: 'FROM debian:12\nRUN [sudo, ls]\n' },
  ],
  invalid: [
    { name: 'exec form', code: 'FROM debian:12\nRUN ["sudo","ls"]\n', errors: [{ text: 'sudo', line: 1, message: /^sudo in RUN/ }] },
    { name: 'exec form through sh -c', code: 'FROM debian:12\nRUN ["/bin/sh", "-ec", "mkdir /x && sudo ls"]\n', errors: [{ text: 'sudo', line: 1 }] },
    { name: 'ONBUILD RUN', code: 'FROM debian:12\nONBUILD RUN sudo make install\n', errors: [{ text: 'sudo', line: 1 }] },
    { name: 'exec form over continuation lines', code: 'FROM debian:12\nRUN [ "sudo", \\\n      "ls" ]\n', errors: [{ text: 'sudo', line: 1 }] },
  ],
});

RuleTester.run(dockerfileAptUpdateAlone, {
  valid: [
    { name: 'update and install in one sh -c', code: 'FROM debian:12\nRUN ["bash", "-o", "pipefail", "-c", "apt-get update && apt-get install -y curl"]\n' },
  ],
  invalid: [
    { name: 'exec form', code: 'FROM debian:12\nRUN ["apt-get","update"]\n', errors: [{ text: 'apt-get","update', line: 1 }] },
    { name: 'ONBUILD exec form, lower case', code: 'FROM debian:12\nonbuild run ["apt-get", "-qq", "update"]\n', errors: [{ line: 1 }] },
  ],
});

RuleTester.run(dockerfileTlsVerificationDisabled, {
  valid: [{ name: 'an argument that only mentions -k', code: 'FROM alpine:3.20\nRUN ["echo", "curl -k is bad"]\n' }],
  invalid: [
    { name: 'ONBUILD RUN curl -k', code: 'FROM alpine:3.20\nONBUILD RUN curl -k https://example.com/x -o /x\n', errors: [{ text: '-k', line: 1 }] },
    {
      name: 'exec-form curl --insecure',
      code: 'FROM alpine:3.20\nRUN ["curl", "--insecure", "-o", "/x", "https://example.com/x"]\n',
      errors: [{ text: '--insecure', line: 1 }],
    },
  ],
});

RuleTester.run(dockerfileCurlPipeShell, {
  valid: [],
  invalid: [{ name: 'sh -c in exec form', code: 'FROM alpine:3.20\nRUN ["sh", "-c", "curl -fsSL https://get.example.com | sh"]\n', errors: [{ line: 1 }] }],
});

RuleTester.run(dockerfileWorldWritable, {
  valid: [],
  invalid: [{ name: 'exec-form chmod', code: 'FROM alpine:3.20\nRUN ["chmod", "777", "/app"]\n', errors: [{ text: 'chmod", "777", "/app', line: 1 }] }],
});

it('reads exec form as Docker does: a JSON array of strings, else shell form', () => {
  const parse = (raw: string) =>
    execForm(
      raw,
      [...raw].map((_, i) => i),
    )?.map((a) => a.value);
  assert.deepEqual(parse('["a", "b c", "d\\"e", "\\u0041"]'), ['a', 'b c', 'd"e', 'A']);
  assert.deepEqual(parse(' [ ] '), []);
  for (const bad of ['[python, app.py]', "['a']", '["a",]', '["a"] x', '["a" "b"]', '["a\\q"]', '["a', '[1]']) assert.equal(parse(bad), undefined, bad);
});
