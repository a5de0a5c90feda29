/**
 * `secretsInShellString(…, namesOnly)` (secret-in-run's call) skips the work that can only find
 * hits judged by format, and judgeByName / secretName reject names without a credential word before
 * any other work. Both must keep every hit judged by name: checked here against the full scan, on
 * the cases an early exit could get wrong (a client's password where a format hit would take its
 * offset, URLs under other names, names outside ASCII) and on generated command lines.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenMarks } from '../../server/src/secrets/formats';
import { judgeByName } from '../../server/src/secrets/judge';
import { CREDENTIAL_NAME_PARTS, secretName } from '../../server/src/secrets/names';
import { secretsInShellString } from '../../server/src/secrets/shell';

const GH = 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789';

/** The hits judged by name, as the full scan finds them and as namesOnly does. */
function byName(text: string, namesOnly: boolean, marks?: ReturnType<typeof tokenMarks>, offset = 0): string[] {
  return secretsInShellString(text, marks, offset, namesOnly)
    .filter((h) => h.verdict.reason === 'name')
    .map((h) => `${h.flag}@${h.from}-${h.to}:${h.verdict.what}`);
}

function same(text: string): void {
  assert.deepEqual(byName(text, true), byName(text, false), text);
  // With the marks of a surrounding text, as secret-in-run passes them.
  const outer = `RUN ${text}\n`;
  const marks = tokenMarks(outer);
  assert.deepEqual(byName(text, true, marks, 4), byName(text, false, marks, 4), outer);
}

describe('secretsInShellString namesOnly', () => {
  it('keeps every hit by name', () => {
    const cases = [
      // A client's password at the offset of a FLAG value holding a token: the format hit comes
      // first and keeps the password out, with and without a credential word in the text.
      `sshpass -p ${GH} ssh host`,
      `sshpass -p Zq8vR2mK9pLx ssh host && curl https://x.example/a`,
      `redis-cli -a ${GH} ping`,
      'docker login -u me -p Zq8vR2mK9pLx registry.example && curl -fsSL https://x.example/a',
      'mysql -uroot -pZq8vR2mK9pLx db && wget https://x.example/a',
      'curl -u admin:Zq8vR2mK9pLx https://x.example/api',
      'curl --user=admin:Zq8vR2mK9pLx https://x.example/api',
      // URLs (token marks) under names that are no credential's, beside ones that are.
      'git clone https://deploy:Zq8vR2mK9pLx@git.example.org/r.git && DB_PASSWORD=Zq8vR2mK9pLx ./migrate',
      'REPO_URL=https://user:Zq8vR2mK9pLx@git.example.org/r.git ./fetch --token Zq8vR2mK9pLx',
      `--api-key=${GH} && --mirror=https://a:b@x.example/ && API_TOKEN=https://x.example/Zq8vR2mK9pLx`,
      'export NPM_TOKEN=Zq8vR2mK9pLx && npm ci --registry=https://registry.example/',
      `GITHUB_TOKEN=${GH} ./release https://x.example/`,
      'apt-get install -y curl && curl -fsSL https://deb.example/key.gpg | apt-key add -',
      'wget https://x.example/a.tgz && tar -xzf a.tgz && ./configure --password-file=/run/secrets/pw',
      // Names outside ASCII are not read by the shell scan, but a text may hold them.
      'API_\u212AEY=Zq8vR2mK9pLx ./run https://x.example/ --to\u212Aen Zq8vR2mK9pLx',
      '',
      'https://x.example/',
    ];
    for (const text of cases) same(text);
  });

  it('keeps every hit by name on generated command lines', () => {
    const parts = [
      'sshpass',
      '-p',
      'mysql',
      '-pZq8vR2mK9pLx',
      'redis-cli',
      '-a',
      'docker',
      'login',
      'curl',
      '-u',
      'u:Zq8vR2mK9pLx',
      '--user',
      GH,
      'Zq8vR2mK9pLx',
      'https://x.example/a',
      'https://u:Zq8vR2mK9pLx@x.example/',
      '--token',
      '--token=Zq8vR2mK9pLx',
      `--url=${GH}`,
      'DB_PASSWORD=Zq8vR2mK9pLx',
      `URL=${GH}`,
      'MIRROR=https://u:Zq8vR2mK9pLx@x.example/',
      '--mirror',
      '&&',
      '|',
      ';',
      '"',
      "'",
      '\\\n',
      'echo',
      'make',
    ];
    // A fixed-seed generator: the same lines on every run.
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 3000; k++) {
      const words: string[] = [];
      const n = 1 + next(9);
      for (let i = 0; i < n; i++) words.push(parts[next(parts.length)]);
      same(words.join(next(4) === 0 ? '' : ' '));
    }
  });
});

describe('credential-name prefilter', () => {
  it('accepts names whose lower case holds a credential word only through the Kelvin sign', () => {
    for (const name of ['API_\u212AEY', 'GITHUB_TO\u212AEN', 'to\u212Aen']) {
      assert.ok(CREDENTIAL_NAME_PARTS.test(name), name);
      assert.ok(secretName(name), name);
    }
    assert.ok(judgeByName('GITHUB_TO\u212AEN', 'Zq8vR2mK9pLx7'));
    assert.ok(judgeByName('deploy.api_\u212Aey', 'Zq8vR2mK9pLx7'));
  });
  it('rejects the same names as before for names outside ASCII', () => {
    // `İ` lower-cases to `i` and a combining dot: no credential word holds an `i`.
    assert.equal(secretName('\u0130D'), undefined);
    assert.equal(secretName('DEBIAN_FRONTEND'), undefined);
    assert.equal(judgeByName('DEBIAN_FRONTEND', 'noninteractive'), undefined);
  });
  it('matches every name secretName accepts among generated ones', () => {
    const pieces = [
      'pass',
      'PW',
      'Psw',
      'pat',
      'secret',
      'To\u212Aen',
      '\u212Aey',
      'Cred',
      'auth',
      'api',
      '_',
      '-',
      '.',
      'x',
      'K',
      'word',
      'id',
      '\u0130',
      '\u017F',
    ];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let k = 0; k < 20000; k++) {
      let name = '';
      const n = 1 + next(5);
      for (let i = 0; i < n; i++) name += pieces[next(pieces.length)];
      // secretName's own lower-cased test, which the prefilter must not be stricter than.
      const lower = name.toLowerCase();
      if (/pw|pass|psw|pat|secret|token|key|cred|auth/.test(lower)) assert.ok(CREDENTIAL_NAME_PARTS.test(name), name);
    }
  });
});
