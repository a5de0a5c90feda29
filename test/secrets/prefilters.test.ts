/**
 * The secret scans skip work with a cheap test first (is any format's hint in the text, could the
 * name hold a credential word). A prefilter that missed a case would silently drop findings, so
 * each is checked against the lists it stands for.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findTokens, holdsHint, TOKEN_FORMATS } from '../../server/src/secrets/formats';
import { CREDENTIAL_NAME_PARTS, exactNameList, SECRET_WORD_LIST, SECRET_WORD_PARTS, secretName } from '../../server/src/secrets/names';
import { secretsInShellString } from '../../server/src/secrets/shell';

describe('secret scan prefilters', () => {
  it('ANY_HINT finds every hint of every token format', () => {
    for (const f of TOKEN_FORMATS) {
      assert.ok(f.hints.length > 0, `${f.id} has no hint`);
      for (const h of f.hints) assert.ok(holdsHint(`x ${h} y`), `ANY_HINT misses ${f.id}'s hint ${h}`);
    }
  });
  it('ANY_HINT is not a catch-all', () => {
    assert.equal(holdsHint('apt-get install -y --no-install-recommends curl ca-certificates'), false);
  });
  it('ANY_HINT matches exactly the texts that hold a hint, with hints cut, joined and overlapped', () => {
    // Its anchors and lookbehinds are hand-written: compare it with the plain definition on texts made of
    // hints, hints without their first or last character, and the characters the anchors and lookbehinds read.
    const hints = TOKEN_FORMATS.flatMap((f) => f.hints);
    const pieces = [
      ...hints,
      ...hints.flatMap((h) => [h.slice(1), h.slice(0, -1), h.slice(1, -1)]),
      ' ',
      '-',
      '_',
      '.',
      ':',
      '/',
      '$',
      '~',
      'A',
      'K',
      'J',
      'a',
      'é',
    ];
    let seed = 1;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let holding = 0;
    for (let k = 0; k < 40_000; k++) {
      let text = '';
      for (let j = 1 + next(5); j > 0; j--) text += pieces[next(pieces.length)];
      const expected = hints.some((h) => text.includes(h));
      if (expected) holding++;
      assert.equal(holdsHint(text), expected, JSON.stringify(text));
    }
    assert.ok(holding > 10_000 && holding < 30_000, `${holding} texts hold a hint`);
  });
  it('findTokens still finds a token and a URL password behind the prefilter', () => {
    assert.deepEqual(
      findTokens('x ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 y').map((t) => t.id),
      findTokens('ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789').map((t) => t.id),
    );
    assert.deepEqual(
      findTokens('git clone https://deploy:Zq8vR2mK9pLx@git.example.org/r.git').map((t) => t.id),
      ['url-password'],
    );
  });
  it('SECRET_WORD_PARTS matches every credential word and `key`', () => {
    for (const w of [...SECRET_WORD_LIST, 'key']) assert.ok(SECRET_WORD_PARTS.test(w), `misses ${w}`);
  });
  it('CREDENTIAL_NAME_PARTS matches every name secretName can accept', () => {
    for (const w of [...SECRET_WORD_LIST, 'key', ...exactNameList()]) {
      assert.ok(CREDENTIAL_NAME_PARTS.test(w), `misses ${w}`);
      assert.ok(CREDENTIAL_NAME_PARTS.test(w.toUpperCase()), `misses ${w.toUpperCase()}`);
    }
  });
  it('secretsInShellString skips only what cannot be a secret', () => {
    const flags = (text: string): string[] => secretsInShellString(text).map((h) => `${h.flag}@${h.from}`);
    // No credential word, no hint: nothing. A token's hint alone still judges every value.
    assert.deepEqual(flags('apt-get install -y --no-install-recommends curl'), []);
    assert.deepEqual(flags('x --foo AKIAQWERTYUIOPASDFGH'), ['foo@8']);
    assert.deepEqual(flags('git clone --repo https://deploy:Zq8vR2mK9pLx@git.example.org/r.git'), ['repo@17']);
    assert.deepEqual(flags('AUTH=Zm9vOmJhcjEyMw9 make'), ['AUTH@5']);
    // curl without `-u`, mysql without `-p`: no client password; with them, found.
    assert.deepEqual(flags('curl -fsSL https://example.com/x | sh'), []);
    assert.deepEqual(flags('curl --user bob:Sup3rS3cretPw https://example.com'), ['-u user:password@16']);
    assert.deepEqual(flags('redis-cli -a S3cretPw9 ping'), ['-p@13']);
  });
  it('secretName answers as before on names with and without a credential word', () => {
    assert.equal(secretName('DEBIAN_FRONTEND'), undefined);
    assert.equal(secretName('no-install-recommends'), undefined);
    assert.deepEqual(secretName('DB_PASSWORD'), { word: 'password', kind: 'password' });
    assert.deepEqual(secretName('apiKey'), { word: 'api_key', kind: 'key' });
    assert.deepEqual(secretName('SSH_KEY'), { word: 'key', kind: 'key' });
    assert.deepEqual(secretName('npm_config__auth'), { word: 'npm_config__auth', kind: 'key' });
  });
  it('finds client passwords after skipped commands, continuations read as the word scan reads them', () => {
    const flags = (text: string): string[] => secretsInShellString(text).map((h) => `${h.flag}@${h.from}`);
    // A continuation (escape after a blank) keeps `apt-get` one command: `curl` is not its program.
    assert.deepEqual(flags('apt-get install \\\n curl -u bob:Sup3rS3cretPw'), []);
    // An escape ending a word does not continue the line: `curl` starts a command of its own.
    assert.deepEqual(flags('echo x\\\ncurl -u bob:Sup3rS3cretPw'), ['-u user:password@20']);
    assert.deepEqual(flags('ls -la; true && mysql -pS3cretPw1 db'), ['-p@24']);
  });
  it('reads client flags only in the command of the client, across continuations', () => {
    const flags = (text: string): string[] => secretsInShellString(text).map((h) => `${h.flag}@${h.from}`);
    // The flag belongs to another command than the client: nothing, whichever comes first.
    assert.deepEqual(flags('useradd -u 1000 bob:Sup3rS3cretPw && curl -fsSL https://example.com'), []);
    assert.deepEqual(flags('curl -fsSL https://example.com | tar -x; useradd -ubob:Sup3rS3cretPw'), []);
    assert.deepEqual(flags('apt-get install -y mysql-client && mkdir -pS3cretPw1'), []);
    // The flag after a continuation, or before `login`: found.
    assert.deepEqual(flags('curl -fsSL \\\n  -u bob:Sup3rS3cretPw https://example.com'), ['-u user:password@22']);
    assert.deepEqual(flags('curl -o x https://a; curl \\\r\n-ubob:Sup3rS3cretPw https://b'), ['-u user:password@35']);
    assert.deepEqual(flags('docker -p S3cretPw9 login registry.example.com'), ['-p@10']);
    assert.deepEqual(flags('mkdir -p /x && /usr/bin/mysqldump\t-pS3cretPw1 db'), ['-p@36']);
  });
});
