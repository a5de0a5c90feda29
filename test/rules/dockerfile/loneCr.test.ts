/**
 * A line continuation whose escape is followed by a lone CR and then a comment line made
 * dockerfile-ast's getHeredocs throw, and with it every rule that reads a RUN, CMD or
 * ENTRYPOINT script (the CLI exited 2). Every Dockerfile rule must lint these without throwing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOCKERFILE_RULES } from '../../../rules/dockerfile';
import { lintWith } from '../../../rules/tester';

const BODIES = [
  'RUN a \\\r# comment\r\n b',
  'RUN a \\\r# comment\n b',
  'RUN a \\\r#c\r b',
  'RUN a \\\r\r# c\r\n b',
  'RUN a \\\r',
  'RUN a \\\r# c',
  'RUN a \\ \r# c\r\n b',
  'RUN a \\\r\\\r# c\r\n b',
  'RUN apt-get update \\\r# c\r\n && apt-get install -y curl',
  'RUN curl https://x \\\r# c\r\n | sh',
  'RUN rm -rf \\\r# c\r\n /var/lib/dpkg',
  'RUN cat <<EOF\r\n a \\\r# c\r\nEOF',
  'CMD a \\\r# c\r\n b',
  'ENTRYPOINT a \\\r# c\r\n b',
  'HEALTHCHECK CMD a \\\r# c\r\n b',
  'ONBUILD RUN a \\\r# c\r\n b',
  'EXPOSE 22 \\\r# c\r\n 80',
  'ENV A=1 \\\r# c\r\n B_PASSWORD=2',
];

describe('Dockerfile rules on a continuation ending in a lone CR before a comment', () => {
  for (const rule of DOCKERFILE_RULES) {
    it(rule.id, () => {
      for (const body of BODIES) {
        for (const first of ['FROM alpine\n', 'FROM alpine\r\n', 'FROM alpine\r']) {
          const code = `${first}${body}\nUSER app\n`;
          assert.doesNotThrow(() => lintWith(rule, { code }), `on ${JSON.stringify(code)}`);
        }
      }
    });
  }
});
