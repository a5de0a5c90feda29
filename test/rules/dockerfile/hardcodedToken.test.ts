import { RuleTester } from '../../../rules/tester';
import { dockerfileHardcodedToken } from '../../../rules/dockerfile/hardcodedToken';
import { withBase62Checksum } from '../../../server/src/secrets/checksum';

// Synthetic values of the real formats (a valid checksum, no documented example): never issued.
const GHP = withBase62Checksum('ghp_', 'Xq7TzR2mLp9Vw4Ns8Kd3Hf6Jb1Gc5Y');
const AKIA = 'AKIA' + 'Z7QRSTUVWXY23456';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
const MAILCHIMP = '0123456789abcdef' + '0123456789abcdef' + '-us21';
const SENDGRID = 'SG.' + 'aBcDeFgHiJkLmNoPqRsTuV' + '.' + 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789_-aBcDe';

RuleTester.run(dockerfileHardcodedToken, {
  valid: [
    {
      name: 'URL credentials from variables or placeholders',
      code: 'FROM alpine:3.20\nRUN git clone https://oauth2:${GITLAB_TOKEN}@gitlab.com/x/y.git && curl https://user:$PASS@h/ && echo "https://<user>:<password>@host" && echo http://localhost:8080/\n',
    },
    {
      name: 'variables only',
      code: 'FROM alpine:3.20\nARG GITHUB_TOKEN\nRUN --mount=type=secret,id=gh git clone https://$(cat /run/secrets/gh)@github.com/o/r\n',
    },
    { name: 'look-alikes', code: 'FROM alpine:3.20\nENV AKIA=1 ghp_=x SK_LIVE=0\nRUN echo "-----BEGIN PUBLIC KEY-----"\n' },
    { name: 'GPG fingerprint', code: 'FROM python:3.12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n' },
    {
      name: 'hex without a data-center suffix, short SG. words',
      code: 'FROM alpine:3.20\nENV CHECKSUM=0123456789abcdef0123456789abcdef-usa\nRUN echo SG.abc.def\n',
    },
    {
      name: 'documented examples and wrong checksums',
      code: 'FROM alpine:3.20\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE GH=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 SLACK=xoxb-123456789012-abcdefghij\n',
    },
    { name: 'a bare PEM header in a message', code: 'FROM alpine:3.20\nRUN echo "paste your -----BEGIN RSA PRIVATE KEY----- here"\n' },
  ],
  invalid: [
    {
      name: 'Mailchimp and SendGrid keys',
      code: `FROM node:22\nENV MC_KEY=${MAILCHIMP}\nRUN curl -H "Authorization: Bearer ${SENDGRID}" https://api.sendgrid.com/v3/mail/send\n`,
      errors: [
        { text: MAILCHIMP, line: 1, message: /^Mailchimp API key written in the Dockerfile/ },
        { text: SENDGRID, line: 2, message: /^SendGrid API key/ },
      ],
    },
    {
      name: 'a password in a URL (git clone, pip index)',
      code: 'FROM python:3.12\nRUN git clone https://deploy:s3cr3t-pass@git.example.com/team/app.git\nRUN pip install --index-url https://ci:hunter2@pypi.example.com/simple app\n',
      errors: [
        { text: 'https://deploy:s3cr3t-pass@git.example.com', line: 1, message: /^Password in a URL written in the Dockerfile/ },
        { text: 'https://ci:hunter2@pypi.example.com', line: 2 },
      ],
    },
    {
      name: 'GitHub token in ENV',
      code: `FROM alpine:3.20\nENV GH_TOKEN=${GHP}\n`,
      errors: [{ text: GHP, line: 1, message: /^GitHub token written in the Dockerfile/ }],
    },
    {
      name: 'AWS key in a RUN of a builder stage, across a continuation',
      code: `FROM amazon/aws-cli:2.15 AS fetch\nRUN aws configure set aws_access_key_id ${AKIA} && \\\n    aws s3 cp s3://b/x /x\nFROM alpine:3.20\n`,
      errors: [{ text: AKIA, line: 1, message: /^AWS access key ID/ }],
    },
    {
      name: 'private key echoed into a file',
      code: `FROM alpine:3.20\nRUN echo "-----BEGIN OPENSSH PRIVATE KEY-----\\n${PEM_BODY}" > /root/.ssh/id_ed25519\n`,
      errors: [{ text: '-----BEGIN OPENSSH PRIVATE KEY-----', line: 1, message: /^Private key/ }],
    },
    {
      name: 'Slack and GitLab tokens in ARG defaults',
      code: 'FROM alpine:3.20\nARG SLACK=xoxb-482617395024-Gq7rT2mLp9Xz\nARG GL=glpat-Rt5Kq9Lm2Xw7Zp4Vb8Nc\n',
      errors: [
        { text: 'xoxb-482617395024-Gq7rT2mLp9Xz', line: 1 },
        { text: 'glpat-Rt5Kq9Lm2Xw7Zp4Vb8Nc', line: 2 },
      ],
    },
  ],
});
