import { RuleTester } from '../../../rules/tester';
import { dockerfileNpmInstallNotCi } from '../../../rules/dockerfile/npmInstallNotCi';

RuleTester.run(dockerfileNpmInstallNotCi, {
  valid: [
    { name: 'npm ci', code: 'FROM node:22\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n' },
    { name: 'no lockfile copied', code: 'FROM node:22\nCOPY package.json ./\nRUN npm install\n' },
    { name: 'named or global packages', code: 'FROM node:22\nCOPY package*.json ./\nRUN npm install -g pnpm@9 && npm install left-pad\n' },
    { name: 'lockfile copied after the install', code: 'FROM node:22\nRUN npm install\nCOPY package-lock.json ./\n' },
  ],
  invalid: [
    {
      name: 'package*.json then npm install',
      code: 'FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm install --omit=dev\n',
      errors: [{ text: 'npm install', line: 3, message: /use npm ci/ }],
      output: 'FROM node:22-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\n',
    },
    {
      name: 'lockfile copied in the base stage; npm i in a heredoc',
      code: 'FROM node:22 AS deps\nCOPY package.json package-lock.json ./\nFROM deps AS build\nRUN <<EOF\nnpm i\nnpm run build\nEOF\n',
      errors: [{ text: 'npm i', line: 4 }],
      output: 'FROM node:22 AS deps\nCOPY package.json package-lock.json ./\nFROM deps AS build\nRUN <<EOF\nnpm ci\nnpm run build\nEOF\n',
    },
  ],
});
