import { RuleTester } from '../../../rules/tester';
import { dockerfileInsecureRunSecurity } from '../../../rules/dockerfile/insecureRunSecurity';

RuleTester.run(dockerfileInsecureRunSecurity, {
  valid: [
    { name: 'sandboxed', code: 'FROM alpine:3.20\nRUN --security=sandbox true\nRUN --mount=type=cache,target=/root/.cache true\n' },
    { name: 'the words elsewhere', code: 'FROM alpine:3.20\nRUN echo --security=insecure\n' },
  ],
  invalid: [
    {
      name: 'insecure in a builder stage',
      code: '# syntax=docker/dockerfile:1-labs\nFROM alpine:3.20 AS build\nRUN --mount=type=cache,target=/c --security=insecure mount -t tmpfs none /mnt\nFROM scratch\n',
      errors: [{ text: '--security=insecure', line: 2, message: /without the build sandbox/ }],
    },
  ],
});
