import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RuleTester } from '../../../rules/tester';
import { dockerfileWorldWritable, modeProblem } from '../../../rules/dockerfile/worldWritable';

it('modeProblem', () => {
  assert.deepEqual(modeProblem('777'), { worldWritable: true, setuid: false });
  assert.deepEqual(modeProblem('0666'), { worldWritable: true, setuid: false });
  assert.equal(modeProblem('1777'), undefined);
  assert.equal(modeProblem('755'), undefined);
  assert.equal(modeProblem('2775'), undefined);
  assert.deepEqual(modeProblem('4755'), { worldWritable: false, setuid: true });
  assert.deepEqual(modeProblem('u+s'), { worldWritable: false, setuid: true });
  assert.equal(modeProblem('g+s'), undefined);
  assert.equal(modeProblem('g=u'), undefined);
  assert.equal(modeProblem('+x'), undefined);
  assert.equal(modeProblem('o-w'), undefined);
  assert.deepEqual(modeProblem('a+rwX'), { worldWritable: true, setuid: false });
  assert.equal(modeProblem('a+rwxt'), undefined);
});

RuleTester.run(dockerfileWorldWritable, {
  valid: [
    { name: 'ordinary modes', code: 'FROM alpine:3.20\nRUN chmod 755 /entrypoint.sh && chmod -R g=u /app && chmod +x /usr/local/bin/*\n' },
    { name: 'sticky tmp', code: 'FROM alpine:3.20\nRUN mkdir -p /tmp/x && chmod 1777 /tmp/x\n' },
    { name: 'setgid directory', code: 'FROM alpine:3.20\nRUN chmod g+s /srv/shared\n' },
    { name: 'mktemp directory for the _apt user', code: 'FROM debian:12\nRUN tempDir="$(mktemp -d)" \\\n && chmod 777 "$tempDir" \\\n && rm -rf "$tempDir"\n' },
    { name: 'builder stage only', code: 'FROM golang:1.22 AS build\nRUN chmod -R 777 /go\nFROM scratch\nCOPY --from=build /app /app\n' },
    { name: 'chmod in a string', code: 'FROM alpine:3.20\nRUN echo "chmod 777 is bad" > /README\n' },
    { name: 'COPY --chmod 755', code: 'FROM alpine:3.20\nCOPY --chmod=755 run.sh /run.sh\n' },
  ],
  invalid: [
    {
      name: 'chmod -R 777',
      code: 'FROM node:22-slim\nRUN mkdir /app && chmod -R 777 /app\n',
      errors: [{ text: 'chmod -R 777 /app', line: 1, message: 'chmod 777 makes /app world-writable: any user in the container can modify them.' }],
    },
    {
      name: 'symbolic and setuid, across continuations',
      code: 'FROM debian:12\nRUN chmod a+w /var/log/app.log \\\n && chmod u+s /usr/local/bin/helper\n',
      errors: [
        { text: 'chmod a+w /var/log/app.log', line: 1 },
        { text: 'chmod u+s /usr/local/bin/helper', line: 2, message: /setuid/ },
      ],
    },
    {
      name: 'COPY --chmod and a base stage',
      code: 'FROM alpine:3.20 AS base\nCOPY --chmod=0666 config.yml /etc/app/\nFROM base\n',
      errors: [{ text: '--chmod=0666', line: 1, message: 'COPY --chmod=0666 makes the copied files world-writable.' }],
    },
    {
      name: 'mkdir and install with a mode',
      code: 'FROM alpine:3.20\nRUN mkdir -p -m 777 /data && install -m 4755 tool /usr/bin/tool && mkdir -m 755 /ok\n',
      errors: [
        { text: 'mkdir -p -m 777 /data', line: 1, message: /world-writable/ },
        { text: 'install -m 4755 tool /usr/bin/tool', line: 1, message: /setuid/ },
      ],
    },
    {
      name: 'heredoc, 4755',
      code: 'FROM alpine:3.20\nRUN <<EOF\nchmod 4755 /bin/tool\nEOF\n',
      errors: [{ text: 'chmod 4755 /bin/tool', line: 2 }],
    },
  ],
});
