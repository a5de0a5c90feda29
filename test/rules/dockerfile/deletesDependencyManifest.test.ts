import { RuleTester } from '../../../rules/tester';
import { dockerfileDeletesDependencyManifest } from '../../../rules/dockerfile/deletesDependencyManifest';

RuleTester.run(dockerfileDeletesDependencyManifest, {
  valid: [
    { name: 'caches', code: 'FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt && rm -rf /root/.cache /tmp/*\n' },
    { name: 'builder stage', code: 'FROM node:22 AS build\nRUN npm ci && rm package-lock.json\nFROM node:22-slim\n' },
    { name: 'similar names', code: 'FROM alpine:3.20\nRUN rm -f requirements.in package.json.bak go.mod.orig\n' },
    { name: 'installed metadata is the other rule', code: 'FROM node:22\nRUN rm -f node_modules/x/package.json\n' },
  ],
  invalid: [
    {
      name: 'rm requirements after install',
      code: 'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt && rm requirements.txt\n',
      errors: [
        {
          text: 'requirements.txt',
          line: 2,
          message: /^Deleting requirements.txt removes the record of the installed dependencies \(requirements.txt\) from the image: file-system scans/,
        },
      ],
    },
    {
      name: 'several lock files with a continuation',
      code: 'FROM node:22\nRUN npm ci \\\n && rm -f package-lock.json yarn.lock /app/go.sum\n',
      errors: [
        { text: 'package-lock.json', line: 2 },
        { text: 'yarn.lock', line: 2 },
        { text: '/app/go.sum', line: 2 },
      ],
    },
  ],
});
