/**
 * The early skips of the Dockerfile secrets rules (session s32) against what the rules computed
 * before them: secret-in-label judges the name before the value, copy-secret-file's prefilter asks
 * for the rc files' names at the end of the path, copy-secret-file and secret-in-arg-env read the
 * ARG and ENV instructions from one list per model, and hardcoded-token skips the `://` after which
 * no `user:password@` follows (test/secrets/marks.test.ts compares it with findTokens of every
 * instruction, on generated Dockerfiles and the corpus).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileModel } from '../../../server/src/documents/dockerfile';
import { judgeNamedValue, redact } from '../../../server/src/secrets';
import { dockerfileSecretInLabel } from '../../../rules/dockerfile/secretInRun';
import { dockerfileHardcodedToken } from '../../../rules/dockerfile/hardcodedToken';
import { dockerfileCopySecretFile, secretFileKind } from '../../../rules/dockerfile/copySecretFile';
import { dockerfileSecretInArgEnv, propertiesOf } from '../../../rules/dockerfile/secretInArgEnv';
import { keyword, unquote } from '../../../rules/dockerfile/shared';
import { withBase62Checksum } from '../../../server/src/secrets/checksum';
import { seededRandom } from '../../support/loadWorkload';

type Rule = { check(ctx: unknown): void };

function run(rule: Rule, text: string): string[] {
  const model = new DockerfileModel(text);
  const out: string[] = [];
  rule.check({
    dockerfile: model,
    options: {},
    settings: {},
    spanOf: (t: { getRange(): Parameters<DockerfileModel['span']>[0] } | Parameters<DockerfileModel['span']>[0]) =>
      'getRange' in t ? model.span(t.getRange()) : model.span(t),
    report: (f: { at: { start: number; end: number }; message: string }) => out.push(`${f.at.start}-${f.at.end} ${f.message}`),
  });
  return out;
}

/** secret-in-label as it was: judgeNamedValue of each property, reported when judged by name. */
function labelsBefore(text: string): string[] {
  const model = new DockerfileModel(text);
  const out: string[] = [];
  for (const instr of model.instructions()) {
    if (keyword(instr) !== 'LABEL') continue;
    for (const prop of propertiesOf(instr)) {
      const raw = prop.getValue();
      if (raw === null) continue;
      const value = unquote(raw);
      const verdict = judgeNamedValue(prop.getName(), value);
      if (!verdict || verdict.reason !== 'name') continue;
      const { start, end } = model.span(prop.getRange());
      out.push(
        `${start}-${end} LABEL ${prop.getName()} holds a ${verdict.what} ${redact(value)}: labels are public image metadata. Remove it and revoke the credential.`,
      );
    }
  }
  return out;
}

// Synthetic values of the real formats (a valid checksum, no documented example): never issued.
const GHP = withBase62Checksum('ghp_', 'Xq7TzR2mLp9Vw4Ns8Kd3Hf6Jb1Gc5Y');
const NOT_GHP = ['ghp', 'R7vTq2Lx9Wm4Zp8Kd3Ns6Jb1Hc5Yf0Ga2Xe'].join('_');
const NAMES = [
  'maintainer',
  'api-token',
  'deploy.password',
  'PASSWORD',
  'to\u212Aen',
  'x.secret',
  'version',
  'pat',
  'gpg_key',
  'auth',
  'api_\u212Aey',
  'pa"ss"word',
];
const VALUES = [
  'Hx7Lp2Qz9Wm4Vr',
  GHP,
  NOT_GHP,
  `pre${GHP}`,
  'changeme',
  '1.2.3',
  '"Zq8rT2vLx5mNw4Kp9Bc3"',
  "'abc def'",
  '$TOKEN',
  'https://u:Vr8Lq2Xz9W@h/x',
  'x',
];

describe('secret-in-label judges the name first', () => {
  it('reports what judgeNamedValue judged by name, on generated labels', () => {
    const random = seededRandom(32);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    let found = 0;
    for (let n = 0; n < 1500; n++) {
      let text = 'FROM alpine:3.20\n';
      for (let l = Math.floor(random() * 4); l >= 0; l--) {
        text += 'LABEL';
        for (let p = Math.floor(random() * 3); p >= 0; p--) text += ` ${pick(NAMES)}=${pick(VALUES)}`;
        text += random() < 0.3 ? ' \\\n  a=b\n' : '\n';
      }
      const expected = labelsBefore(text);
      found += expected.length;
      assert.deepEqual(run(dockerfileSecretInLabel, text), expected, JSON.stringify(text));
    }
    assert.ok(found > 300, `only ${found} findings`);
  });

  it('leaves a token-format value under a credential name to hardcoded-token', () => {
    const found = run(dockerfileSecretInLabel, `FROM alpine:3.20\nLABEL api-token=${GHP} deploy.password=Hx7Lp2Qz9Wm4Vr\n`);
    assert.equal(found.length, 1);
    assert.match(found[0], /LABEL deploy\.password holds a password/);
  });
});

describe("copy-secret-file's prefilter", () => {
  it('lets every rc file through, with slashes or backslashes around it', () => {
    for (const [path, kind] of [
      ['.npmrc', 'an npm credentials file'],
      ['app/.npmrc/', 'an npm credentials file'],
      ['app\\.npmrc', 'an npm credentials file'],
      ['./.pypirc', 'a PyPI credentials file'],
      ['.\\.pypirc\\\\', 'a PyPI credentials file'],
      ['home/.netrc//', 'a netrc credentials file'],
      ['C:\\Users\\me\\_netrc', 'a netrc credentials file'],
      ['.git-credentials', 'git credentials'],
    ]) {
      assert.equal(secretFileKind(path), kind, path);
      // (A backslash is the Dockerfile's escape character: such paths are asked of secretFileKind only.)
      if (!path.includes('\\')) assert.equal(run(dockerfileCopySecretFile, `FROM alpine:3.20\nCOPY ${path} /x/\n`).length, 1, path);
    }
    for (const path of ['src/', 'src', '/etc/rc.d', '.NPMRC', 'npmrc', '.npmrc.bak', 'etc/bashrc']) assert.equal(secretFileKind(path), undefined, path);
  });
});

describe('ARG and ENV read from one list per model', () => {
  it('finds the credential variables of the preamble, of every stage and after ONBUILD', () => {
    const text =
      'ARG NPM_TOKEN=Zq8rT2vLx5mNw4Kp9Bc3\nFROM alpine:3.20 AS a\nENV GOOGLE_APPLICATION_CREDENTIALS=/k/sa.json\nONBUILD ENV X=1\nCOPY sa.json /k/\nFROM a\nARG DB_PASSWORD\nLABEL a=b\nENV API_KEY=Hx7Lp2Qz9Wm4Vr AWS_CONFIG_FILE=/c\nCOPY cfg /c\n';
    assert.deepEqual(
      run(dockerfileSecretInArgEnv, text).map((f) => f.split(' ').slice(1, 3).join(' ')),
      ['ARG NPM_TOKEN', 'ARG DB_PASSWORD', 'ENV API_KEY'],
    );
    assert.equal(run(dockerfileCopySecretFile, text).length, 2);
  });
});

describe('hardcoded-token skips the URLs that cannot hold a password', () => {
  it('still finds a URL password after download URLs, in the same instruction or later', () => {
    const text =
      'FROM alpine:3.20\nRUN curl -fsSL https://example.com/a.tgz | tar xz && git clone https://deploy:Vr8Lq2Xz9Wm4Tn@git.example.com/r.git\nRUN wget https://example.com/b\nENV U=ftp://bot:Hx7Lp2Qz9Wm4Vr@files.example.com\n';
    assert.equal(run(dockerfileHardcodedToken, text).length, 2);
    assert.equal(run(dockerfileHardcodedToken, 'FROM alpine:3.20\nRUN curl https://example.com/a https://x.example/$V@y\n').length, 0);
  });
});
