/**
 * The shell reader of rules/dockerfile/shared.ts against its earlier, plainer version (kept here as
 * the oracle, from commit f6a5b51): the script text of RUN/CMD/ENTRYPOINT instructions (line
 * continuations joined, comment and empty lines inside them dropped) with its map back to source
 * offsets. The reader was rewritten to search with regexes instead of looping over characters in
 * JavaScript; its answers must not change. Checked on odd hand-written texts and on random
 * Dockerfiles built from shell and Dockerfile metacharacters, with both escape characters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Instruction } from 'dockerfile-ast';
import { escapeCharacter, execForm, keyword, scriptOf } from '../../../rules/dockerfile/shared';
import { DockerfileModel } from '../../../server/src/documents/dockerfile';
import { seededRandom } from '../../support/loadWorkload';

// ---------------------------------------------------------------------------------------------
// The oracle: computeScript as it was, writing the map out one character at a time.

function oldBreakAfterBlanks(text: string, i: number): number {
  let c = text.charCodeAt(i);
  while (c === 32 || c === 9) c = text.charCodeAt(++i);
  if (c === 13) return text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  return c === 10 ? i + 1 : -1;
}

function oldContinuationEnd(raw: string, e: number): number {
  let i = oldBreakAfterBlanks(raw, e + 1);
  if (i < 0) return -1;
  for (;;) {
    let k = i;
    let c = raw.charCodeAt(k);
    while (c === 32 || c === 9) c = raw.charCodeAt(++k);
    if (c === 35 /* # */) {
      do c = raw.charCodeAt(++k);
      while (c !== 10 && c !== 13 && k < raw.length);
      if (k >= raw.length) return i;
    }
    const next = oldBreakAfterBlanks(raw, k);
    if (next < 0) return i;
    i = next;
  }
}

function oldScript(model: DockerfileModel, instr: Instruction): { text: string; map: number[]; bracket: boolean } | undefined {
  const range = instr.getArgumentsRange();
  if (!range) return undefined;
  const { start, end } = model.span(range);
  const raw = model.text.slice(start, end);
  const escape = escapeCharacter(model);
  const instrSpan = model.span(instr.getRange());
  const heredoc =
    model.text.slice(instrSpan.start, instrSpan.end).includes('<<') &&
    ((instr as unknown as { getHeredocs?: () => unknown[] }).getHeredocs?.() ?? []).length > 0;
  let text = '';
  const map: number[] = [];
  const copy = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      text += raw[k];
      map.push(start + k);
    }
  };
  let from = 0;
  if (!heredoc) {
    for (let e = raw.indexOf(escape); e >= 0; e = raw.indexOf(escape, e)) {
      const after = oldContinuationEnd(raw, e);
      if (after < 0) {
        e++;
        continue;
      }
      copy(from, e);
      from = e = after;
    }
  }
  copy(from, raw.length);
  map.push(end);
  return { text, map, bracket: !heredoc && /^\s*\[/.test(text) };
}

// ---------------------------------------------------------------------------------------------

const SHELL_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/** Compares every shell-form instruction's script with the oracle's; returns how many were compared. */
function compareScripts(text: string): number {
  const model = new DockerfileModel(text);
  let compared = 0;
  for (const instr of model.instructions()) {
    if (!SHELL_FORM.has(keyword(instr))) continue;
    const want = oldScript(model, instr);
    const got = scriptOf(model, instr);
    const where = JSON.stringify(text);
    if (!want) {
      assert.equal(got, undefined, where);
      continue;
    }
    assert.ok(got, where);
    compared++;
    if (got.exec) {
      // The exec form's own path (execForm/execScript) is unchanged: it must be taken on the same text.
      assert.ok(want.bracket && execForm(want.text, want.map) !== undefined, where);
      continue;
    }
    assert.equal(got.text, want.text, where);
    assert.deepEqual(Array.from(got.map), want.map, where);
    assert.equal(got.malformedExec, want.bracket, where);
  }
  return compared;
}

/** Pieces of scripts: words, blanks, line breaks of every kind, continuations, comments, quotes, operators. */
const PIECES = [
  'a',
  'echo',
  'apt-get install -y x',
  ' ',
  '  ',
  '\t',
  '\\',
  '\\\n',
  '\\ \n',
  '\\\t \n',
  '\\\r\n',
  '\\\r',
  '\\\n    ',
  '\\\n  # comment \\\n',
  '\\\n#c\r\n',
  '\\\n\n',
  '\\\n \t\n',
  '\\\n  #',
  '\n',
  '\r\n',
  '\r',
  '#',
  ' # c',
  '"',
  "'",
  '"a \\" b"',
  ';',
  '&&',
  '||',
  '|',
  '&',
  '$(',
  '`',
  '`\n',
  '`\r\n',
  '(',
  ')',
  '[',
  ']',
  '["sh", "-c", "x"]',
  '<<',
  '<<EOF\nx\nEOF\n',
  'case',
  'in',
  'esac',
  ';;',
  'x=1',
  '\u00a0',
];

function randomScript(next: () => number): string {
  let out = '';
  const length = 1 + Math.floor(next() * 14);
  for (let k = 0; k < length; k++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

function randomDockerfile(next: () => number): string {
  const backtick = next() < 0.25;
  let text = backtick ? '# escape=`\nFROM a\n' : 'FROM a\n';
  const count = 1 + Math.floor(next() * 3);
  for (let k = 0; k < count; k++) {
    const kw = ['RUN ', 'RUN --mount=type=cache,target=/x ', 'CMD ', 'ENTRYPOINT ', 'RUN ['][Math.floor(next() * 5)];
    text += kw + randomScript(next) + (next() < 0.8 ? '\n' : '');
  }
  return text;
}

describe('dockerfile shared: the shell reader against its earlier version', () => {
  it('reads odd continuations as before', () => {
    const texts = [
      'FROM a\nRUN a \\\n  b\n',
      'FROM a\nRUN a \\  \t\n  b\n',
      'FROM a\nRUN a \\\r\n  b\r\n',
      'FROM a\nRUN a \\\r  b\r',
      'FROM a\nRUN a \\\n  # one\n\n  # two \\\n \t\n  b\n',
      'FROM a\nRUN a \\\n  # only a comment at the end',
      'FROM a\nRUN a \\\n#c\r\n#d\r b\n',
      'FROM a\nRUN a \\ b \\\\\n c\n',
      'FROM a\nRUN a \\\n\n\n',
      'FROM a\nRUN a \\',
      'FROM a\nRUN a \\\n',
      '# escape=`\nFROM a\nRUN a `\n  # c \\\n  b `\r\n c\n',
      'FROM a\nRUN [ "sh", \\\n  # c\n  "-c", "x" ]\n',
      'FROM a\nRUN [ "sh", \\\n  "-c" \\\n  # c\n',
      'FROM a\nCMD a \\\n  #\n b\nENTRYPOINT x \\\n\ty\n',
      'FROM a\nRUN <<EOF\na \\\n  b\nEOF\n',
    ];
    let compared = 0;
    for (const text of texts) compared += compareScripts(text);
    assert.ok(compared >= texts.length);
  });

  it('reads random Dockerfiles as before', () => {
    const next = seededRandom(29);
    let compared = 0;
    for (let k = 0; k < 4000; k++) compared += compareScripts(randomDockerfile(next));
    // Most random texts hold a script (a guard against a generator that stops producing them).
    assert.ok(compared > 4000, `${compared}`);
  });
});
