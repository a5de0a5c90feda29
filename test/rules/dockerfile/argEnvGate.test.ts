/**
 * dockerfile-secret-in-arg-env skips a name without a part of CREDENTIAL_NAME_PARTS before asking
 * secretNameToken and credentialHalf. The gate must let through every name either of them accepts:
 * checked on hand-picked spellings (case styles, the Kelvin sign, `auth` names, access key ids) and
 * on generated names, and the rule still reports those names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dockerfileSecretInArgEnv } from '../../../rules/dockerfile/secretInArgEnv';
import { RuleTester } from '../../../rules/tester';
import { credentialHalf, secretNameToken } from '../../../server/src/secrets';
import { CREDENTIAL_NAME_PARTS, exactNameList } from '../../../server/src/secrets/names';
import { seededRandom } from '../../support/loadWorkload';

const KELVIN = '\u212A';

const NAMES = [
  'AWS_ACCESS_KEY_ID',
  'awsAccessKeyId',
  'aws-access-key-id',
  `AWS_ACCESS_${KELVIN}EY_ID`,
  `aws_access_${KELVIN}ey_id`,
  'MINIO_ACCESS_KEY_ID',
  'Access.Key.Id',
  'NPM_TOKEN',
  `NPM_TO${KELVIN}EN`,
  'npmToken',
  'DB_PASSWORD',
  'dbPassWord',
  'MYSQL_PWD',
  'JENKINS_PSW',
  'GITHUB_PAT',
  'API_KEY',
  `API_${KELVIN}EY`,
  'apiKey',
  'CLIENT_SECRET',
  'client-secret',
  'AWS_CREDENTIALS',
  'CREDS',
  '_auth',
  'NPM_CONFIG__AUTH',
  'DOCKER_AUTH_CONFIG',
  ...exactNameList(),
  ...exactNameList().map((n) => n.toUpperCase()),
];

/** Names made of credential words, their pieces and neighbours in every case, with separators. */
function generatedNames(count: number): string[] {
  const rnd = seededRandom(33);
  const parts = [
    'access',
    'ACCESS',
    'Access',
    'key',
    'KEY',
    'Key',
    `${KELVIN}ey`,
    'id',
    'ID',
    'Id',
    'token',
    'Token',
    'pass',
    'PW',
    'psw',
    'pat',
    'secret',
    'cred',
    'auth',
    'AUTH',
    'aws',
    'db',
    'api',
    'x',
    'İ',
    'ſ',
  ];
  const separators = ['_', '-', '.', '', '', ':', '/'];
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let name = '';
    const length = 1 + Math.floor(rnd() * 5);
    for (let i = 0; i < length; i++) {
      if (i > 0) name += separators[Math.floor(rnd() * separators.length)];
      name += parts[Math.floor(rnd() * parts.length)];
    }
    out.push(name);
  }
  return out;
}

describe('dockerfile-secret-in-arg-env name gate', () => {
  it('lets through every name secretNameToken or credentialHalf accepts', () => {
    let accepted = 0;
    for (const name of [...NAMES, ...generatedNames(20000)]) {
      if (!secretNameToken(name) && !credentialHalf(name)) continue;
      accepted++;
      assert.ok(CREDENTIAL_NAME_PARTS.test(name), `the gate would drop ${JSON.stringify(name)}`);
    }
    assert.ok(accepted > 1000, `only ${accepted} names accepted`);
  });
});

RuleTester.run(dockerfileSecretInArgEnv, {
  valid: [{ name: 'names without a credential part', code: 'FROM alpine:3.20\nENV PATH=/usr/bin NODE_VERSION=22\nARG DEBIAN_FRONTEND=noninteractive\n' }],
  invalid: [
    {
      name: 'names the gate must let through',
      code: `FROM alpine:3.20\nARG aws_access_${KELVIN}ey_id\nENV NPM_TO${KELVIN}EN=abc\nENV NPM_CONFIG__AUTH=abc\nARG awsAccessKeyId\n`,
      errors: [
        { text: `aws_access_${KELVIN}ey_id`, line: 1, message: /identifying half/ },
        { text: `NPM_TO${KELVIN}EN`, line: 2, message: /looks like a credential/ },
        { text: 'NPM_CONFIG__AUTH', line: 3, message: /looks like a credential/ },
        { text: 'awsAccessKeyId', line: 4, message: /identifying half/ },
      ],
    },
  ],
});
