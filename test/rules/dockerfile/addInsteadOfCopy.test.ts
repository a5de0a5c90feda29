import { RuleTester } from '../../../rules/tester';
import { dockerfileAddInsteadOfCopy } from '../../../rules/dockerfile/addInsteadOfCopy';

RuleTester.run(dockerfileAddInsteadOfCopy, {
  valid: [
    {
      name: 'tar archives are unpacked on purpose',
      code: 'FROM scratch\nADD alpine-minirootfs-3.20.0-x86_64.tar.gz /\nADD vendor.tar /opt/\nADD rootfs.tar.zst /\nADD data.tgz /d/\n',
    },
    { name: 'URLs and git', code: 'FROM alpine:3.20\nADD https://example.com/x /x\nADD https://github.com/o/r.git#v1 /src\n' },
    { name: 'variables', code: 'FROM alpine:3.20\nARG PKG\nADD ${PKG} /opt/\n' },
    { name: 'COPY', code: 'FROM alpine:3.20\nCOPY . /app\n' },
    { name: 'hadolint ignore', code: 'FROM alpine:3.20\n# hadolint ignore=DL3020\nADD app.py /app/\n' },
  ],
  invalid: [
    {
      name: 'a local file',
      code: 'FROM python:3.12\nADD app.py /app/\n',
      errors: [{ text: 'ADD', line: 1, message: 'ADD of local "app.py": use COPY, which copies without unpacking archives or fetching URLs.' }],
      output: 'FROM python:3.12\nCOPY app.py /app/\n',
    },
    {
      name: 'flags kept, lower case kept, continuation',
      code: 'FROM node:22\nadd --chown=node:node package.json \\\n    package-lock.json ./\n',
      errors: [{ text: 'add', line: 1, message: /local files/ }],
      output: 'FROM node:22\ncopy --chown=node:node package.json \\\n    package-lock.json ./\n',
    },
    {
      name: 'JSON form in a builder stage',
      code: 'FROM golang:1.22 AS build\nADD ["go.mod", "go.sum", "./"]\nFROM scratch\n',
      errors: [{ text: 'ADD', line: 1 }],
      output: 'FROM golang:1.22 AS build\nCOPY ["go.mod", "go.sum", "./"]\nFROM scratch\n',
    },
    {
      name: 'a zip is not unpacked by ADD: a plain copy',
      code: 'FROM eclipse-temurin:21\nADD target/app.jar /opt/app.jar\nADD dist/site.zip /srv/\nADD wheels/pkg-1.0-py3-none-any.whl /tmp/\nADD tools.7z /t/\nADD old.rar /o/\n',
      errors: [
        { text: 'ADD', line: 1, message: 'ADD of "target/app.jar": ADD unpacks only tar archives, so it copies this file as is; use COPY, which says so.' },
        { text: 'ADD', line: 2, message: /"dist\/site.zip": ADD unpacks only tar archives/ },
        { text: 'ADD', line: 3, message: /\.whl/ },
        { text: 'ADD', line: 4, message: /tools\.7z/ },
        { text: 'ADD', line: 5, message: /old\.rar/ },
      ],
      output:
        'FROM eclipse-temurin:21\nCOPY target/app.jar /opt/app.jar\nCOPY dist/site.zip /srv/\nCOPY wheels/pkg-1.0-py3-none-any.whl /tmp/\nCOPY tools.7z /t/\nCOPY old.rar /o/\n',
    },
    {
      name: 'ADD-only flags: no fix',
      code: 'FROM alpine:3.20\nADD --keep-git-dir=true src /src\n',
      errors: [{ text: 'ADD', line: 1 }],
    },
  ],
});
