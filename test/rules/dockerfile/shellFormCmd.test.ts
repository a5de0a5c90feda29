import { RuleTester } from '../../../rules/tester';
import { dockerfileShellFormCmd } from '../../../rules/dockerfile/shellFormCmd';

RuleTester.run(dockerfileShellFormCmd, {
  valid: [
    { name: 'exec form', code: 'FROM node:22\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node", "server.js"]\n' },
    { name: 'builder stage', code: 'FROM node:22 AS test\nCMD npm test\nFROM node:22-slim\nCMD ["node", "server.js"]\n' },
    { name: 'SHELL instruction', code: 'FROM mcr.microsoft.com/powershell:7.4\nSHELL ["pwsh", "-Command"]\nCMD Start-Service x\n' },
    { name: 'exec replaces the shell', code: 'FROM alpine:3.20\nCMD exec nginx -g "daemon off;"\n' },
    { name: 'buildkit skip', code: '# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nCMD sleep infinity\n' },
  ],
  invalid: [
    {
      name: 'simple CMD gets an exec-form fix',
      code: 'FROM node:22-slim\nCMD node server.js --port 8080\n',
      errors: [{ text: 'CMD node server.js --port 8080', line: 1, message: /^CMD in shell form/ }],
      output: 'FROM node:22-slim\nCMD ["node", "server.js", "--port", "8080"]\n',
    },
    {
      name: 'variables: no automatic fix',
      code: 'FROM python:3.12\nENTRYPOINT gunicorn -b 0.0.0.0:$PORT app:app\n',
      errors: [{ text: 'ENTRYPOINT gunicorn -b 0.0.0.0:$PORT app:app', line: 1 }],
    },
    {
      name: 'in the stage the final one builds on',
      code: 'FROM alpine:3.20 AS base\nCMD sleep infinity\nFROM base\n',
      errors: [{ text: 'CMD sleep infinity', line: 1 }],
      output: 'FROM alpine:3.20 AS base\nCMD ["sleep", "infinity"]\nFROM base\n',
    },
  ],
});
