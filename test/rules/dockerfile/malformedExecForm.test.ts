import { RuleTester } from '../../../rules/tester';
import { dockerfileMalformedExecForm } from '../../../rules/dockerfile/malformedExecForm';

RuleTester.run(dockerfileMalformedExecForm, {
  valid: [
    { name: 'JSON arrays', code: 'FROM python:3.12\nRUN ["pip", "install", "-r", "req.txt"]\nENTRYPOINT ["python"]\nCMD ["app.py"]\n' },
    { name: 'shell form', code: 'FROM python:3.12\nCMD python app.py\n' },
    {
      name: 'a shell test command is shell form on purpose',
      code: 'FROM alpine:3.20\nRUN [ -f /etc/os-release ] && cat /etc/os-release\nRUN [ -d /x ]\nRUN [ "$MODE" = "prod" ]\n',
    },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\n[ -d /x ] || mkdir /x\nEOF\n' },
  ],
  invalid: [
    {
      name: 'bare words',
      code: 'FROM python:3.12\nCMD [python, app.py]\n',
      errors: [
        {
          text: '[python, app.py]',
          line: 1,
          message:
            'CMD [python, app.py] is not a JSON array (it needs double quotes around each item), so Docker runs it through /bin/sh -c as written and the shell fails on "[": write CMD ["python", "app.py"].',
        },
      ],
      output: 'FROM python:3.12\nCMD ["python", "app.py"]\n',
    },
    {
      name: 'single quotes, ENTRYPOINT, lower case, CRLF',
      code: "FROM node:22\r\nentrypoint ['node', 'server.js']\r\n",
      errors: [{ text: "['node', 'server.js']", line: 1, message: /write ENTRYPOINT \["node", "server.js"\]/ }],
      output: 'FROM node:22\r\nentrypoint ["node", "server.js"]\r\n',
    },
    {
      name: 'ONBUILD RUN',
      code: "FROM alpine:3.20\nONBUILD RUN ['make', 'install']\n",
      errors: [{ text: "['make', 'install']", line: 1 }],
      output: 'FROM alpine:3.20\nONBUILD RUN ["make", "install"]\n',
    },
    {
      name: 'unescaped Windows backslashes: reported, no fix guessed',
      code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN ["c:\\windows\\system32\\tasklist.exe"]\n',
      errors: [{ line: 1, message: /write it as a JSON array/ }],
    },
  ],
});
