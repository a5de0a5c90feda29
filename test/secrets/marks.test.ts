/**
 * Token marks: one scan of a whole text (a Dockerfile) tells which of its parts (instructions,
 * command lines, values) can hold a token, so that only those are searched. A mark missed would
 * silently drop a finding, so each shortcut is compared with the direct computation on generated
 * texts made of hints, cut hints, URLs and the characters around them.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dockerfileHardcodedToken } from '../../rules/dockerfile/hardcodedToken';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { walk } from '../../server/src/node/files';
import { findTokens, hasMarkIn, holdsHint, passwordsInUrls, TOKEN_FORMATS, tokenMarks } from '../../server/src/secrets/formats';
import { secretsInShellString } from '../../server/src/secrets/shell';
import { withBase62Checksum } from '../../server/src/secrets/checksum';
import { CORPUS } from '../support/paths';

const hints = TOKEN_FORMATS.flatMap((f) => f.hints);
const PIECES = [
  ...hints,
  ...hints.map((h) => h.slice(1)),
  ...hints.map((h) => h.slice(0, -1)),
  ' ',
  '\t',
  '\n',
  '\\\n',
  '\r\n',
  ';',
  '&&',
  '|',
  '"',
  "'",
  '=',
  '-',
  '--password=',
  '--token ',
  'DB_PASSWORD=',
  'API_KEY=',
  'export ',
  'https://',
  'git+ssh://',
  '://',
  'user:S3cr3tPass@',
  'u:$PASS@',
  '@',
  ':',
  'host.example.com',
  '/path',
  'ab12CD34ef56GH78',
  // Whole tokens, some more than once: they are what the shortcuts must not miss.
  ...[0, 1, 2].flatMap(() => [
    'AKIAZ7QRSTUVWXY23456',
    'sk_live_Zq8vR2mK9pLxW3nT5yHcQ7jF',
    'glpat-Zq8vR2mK9pLxW3nT5yHc',
    'xoxb-Zq8vR2mK9pLx-W3nT5yHc',
    withBase62Checksum('ghp_', 'Xq7TzR2mLp9Vw4Ns8Kd3Hf6Jb1Gc5Y'),
    'https://user:S3cr3tPass@host.example.com/x',
    'git+ssh://deploy:Zq8vR2mK9pLx@git.example.org',
  ]),
  'curl -u ',
  'mysql -p',
  'x',
  'é',
  '\u00a0',
];

/** A deterministic generator of texts made of PIECES. */
function texts(count: number, seed: number): string[] {
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let text = '';
    for (let j = 1 + next(20); j > 0; j--) text += PIECES[next(PIECES.length)];
    out.push(text);
  }
  return out;
}

/** The regex passwordsInUrls stands for (its comment), with the password captured: quadratic, fine on short texts. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@$"'`{}<>]+:(?![$%{<*])([^\s/@$"'`{}<>]+)@[^\s/"'`]+/gi;

describe('token marks', () => {
  it('a range without a mark holds no token, one without a hint mark no hint', () => {
    let tokens = 0;
    for (const text of texts(1500, 7)) {
      const { hints: h, urls: u } = tokenMarks(text);
      for (let start = 0; start <= text.length; start += 4) {
        for (let end = start; end <= text.length; end += 6) {
          const part = text.slice(start, end);
          const hinted = hasMarkIn(h, start, end);
          if (!hinted) assert.equal(holdsHint(part), false, JSON.stringify([text, start, end]));
          if (!hinted && !hasMarkIn(u, start, end)) assert.deepEqual(findTokens(part), [], JSON.stringify([text, start, end]));
          // The caller's answer about hints changes nothing.
          assert.deepEqual(findTokens(part, hinted ? undefined : false), findTokens(part));
          if (start === 0 && end === text.length) tokens += findTokens(part).length;
        }
      }
    }
    assert.ok(tokens > 50, `only ${tokens} tokens in the generated texts`);
  });

  it('lists every match of every hint and every URL', () => {
    const text = 'xAKIAKIA ghp_ ://h :// _pat_github_pat_';
    const { hints: h, urls: u } = tokenMarks(text);
    assert.deepEqual(u, [14, 19]);
    for (const hint of ['AKIA', 'ghp_', 'github_pat_']) {
      for (let at = text.indexOf(hint); at >= 0; at = text.indexOf(hint, at + 1)) assert.ok(hasMarkIn(h, at, at + hint.length), `${hint} at ${at}`);
    }
  });

  it('passwordsInUrls finds what its regex finds', () => {
    let found = 0;
    for (const text of texts(10_000, 11)) {
      const expected: { index: number; length: number; password: string }[] = [];
      URL_PASSWORD.lastIndex = 0;
      for (let m = URL_PASSWORD.exec(text); m; m = URL_PASSWORD.exec(text)) expected.push({ index: m.index, length: m[0].length, password: m[1] });
      assert.deepEqual(passwordsInUrls(text), expected, JSON.stringify(text));
      found += expected.length;
    }
    assert.ok(found > 1000, `only ${found} URL passwords`);
  });

  it('secretsInShellString judges alike with the marks of a text around it', () => {
    let found = 0;
    const around = texts(3, 5);
    for (const text of texts(10_000, 3)) {
      // Marks everywhere: every value is searched for tokens, as before marks.
      const everywhere = { hints: Array.from({ length: text.length }, (_, i) => i), urls: [] };
      const alone = secretsInShellString(text);
      assert.deepEqual(alone, secretsInShellString(text, everywhere), JSON.stringify(text));
      found += alone.length;
      for (const [before, after] of [
        ['', ''],
        [around[0], around[1]],
        [around[2], ''],
      ]) {
        const whole = before + text + after;
        assert.deepEqual(secretsInShellString(text, tokenMarks(whole), before.length), alone, JSON.stringify([before, text, after]));
      }
    }
    assert.ok(found > 400, `only ${found} findings`);
  });
});

describe('dockerfile-hardcoded-token reads only the instructions with a mark', () => {
  /** What the rule reported before it used marks: findTokens of every instruction. */
  function direct(model: DockerfileModel): string[] {
    const out: string[] = [];
    for (const instr of model.instructions()) {
      const { start, end } = model.span(instr.getRange());
      for (const hit of findTokens(model.text.slice(start, end))) out.push(`${start + hit.index}-${start + hit.index + hit.length}`);
    }
    return out;
  }
  function reported(model: DockerfileModel): string[] {
    const out: string[] = [];
    dockerfileHardcodedToken.check({
      dockerfile: model,
      spanOf: (t: { getRange(): Parameters<DockerfileModel['span']>[0] } | Parameters<DockerfileModel['span']>[0]) =>
        'getRange' in t ? model.span(t.getRange()) : model.span(t),
      report: (f: { at: { start: number; end: number } }) => out.push(`${f.at.start}-${f.at.end}`),
    } as unknown as Parameters<typeof dockerfileHardcodedToken.check>[0]);
    return out;
  }

  it('finds what findTokens finds in each instruction, marks in comments and across lines included', () => {
    let seed = 17;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const parts = texts(400, 23);
    const part = () => parts[next(parts.length)].replace(/[\r\n\\]/g, ' ');
    let found = 0;
    for (let k = 0; k < 3000; k++) {
      const eol = next(3) === 0 ? '\r\n' : '\n';
      let text = `FROM alpine${eol}`;
      for (let l = next(10); l > 0; l--) {
        const kind = next(6);
        if (kind === 0) text += `# ${part()}${eol}`;
        else if (kind === 1) text += eol;
        else if (kind === 2) text += `RUN ${part()} \\${eol}  ${part()}${eol}`;
        else if (kind === 3) text += `ONBUILD RUN ${part()}${eol}`;
        else text += `RUN ${part()}${eol}`;
      }
      if (next(4) === 0) text += part(); // no line break at the end, or a stray text
      const model = new DockerfileModel(text);
      const expected = direct(model);
      found += expected.length;
      assert.deepEqual(reported(model), expected, JSON.stringify(text));
    }
    assert.ok(found > 1000, `only ${found} tokens`);
  });

  it('on every corpus Dockerfile', { skip: !fs.existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
    let checked = 0;
    for (const file of walk(CORPUS)) {
      if (!path.basename(file).toLowerCase().includes('dockerfile')) continue;
      const model = new DockerfileModel(fs.readFileSync(file, 'utf8'));
      assert.deepEqual(reported(model), direct(model), file);
      checked++;
    }
    assert.ok(checked > 200, `only ${checked} corpus Dockerfiles`);
  });
});
