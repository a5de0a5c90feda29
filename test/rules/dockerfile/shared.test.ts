import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathArguments, programIndex, runScripts, ScriptTextAnalysis, splitCommands, words } from '../../../rules/dockerfile/shared';
import { DockerfileModel, jsonFormStrings } from '../../../server/src/documents/dockerfile';

const texts = (s: string): string[] => splitCommands(s).map((c) => c.text.trim());

describe('dockerfile shared: splitCommands', () => {
  it('splits on operators and keeps quotes together', () => {
    assert.deepEqual(texts('a && b || c; d | e'), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(texts('echo "a | b; c" && d'), ['echo "a | b; c"', 'd']);
  });
  it('treats case patterns as patterns, not pipes', () => {
    const cmds = splitCommands('case "$arch" in x86_64 | amd64) a=1 ;; arm64|aarch64) b | c ;; *) exit 1 ;; esac');
    assert.deepEqual(
      cmds.filter((c) => c.next === '|').map((c) => c.text.trim()),
      ['b'],
    );
  });
  it('keeps redirections with & in one command', () => {
    assert.deepEqual(texts('make 2>&1 | tee log'), ['make 2>&1', 'tee log']);
  });
  it('finds the program after assignments, wrappers and keywords', () => {
    const ws = words('if DEBIAN_FRONTEND=noninteractive sudo -E apt-get install -y x');
    assert.equal(ws[programIndex(ws)].value, 'apt-get');
  });
});

describe('dockerfile shared: pathArguments of the JSON form', () => {
  const args = (text: string) => {
    const model = new DockerfileModel(text);
    const copy = model.instructions().find((i) => i.getKeyword() === 'COPY' || i.getKeyword() === 'ADD');
    assert.ok(copy);
    return pathArguments(copy).map((a) => a.value);
  };
  it('keeps blanks inside the strings, as Docker reads them (dockerfile-ast alone drops them)', () => {
    assert.deepEqual(args('FROM a\nCOPY ["my file", "/srv/x y/"]\n'), ['my file', '/srv/x y/']);
    assert.deepEqual(args('FROM a\nADD --chown=1 ["a\\tb", "c  d", "/e"]\n'), ['a\tb', 'c  d', '/e']);
  });
  it('reads JSON escapes, and the shell form as before', () => {
    assert.deepEqual(args('FROM a\nCOPY ["q\\"uote", "\\u0041", "/x"]\n'), ['q"uote', 'A', '/x']);
    assert.deepEqual(args('FROM a\nCOPY --chown=1 a "b" /x\n'), ['a', 'b', '/x']);
  });
  it('a string a line continuation breaks keeps the library reading', () => {
    assert.deepEqual(
      args('FROM a\nCOPY ["my\\\nfile", "/x"]\n'),
      jsonFormStrings(new DockerfileModel('FROM a\nCOPY ["my\\\nfile", "/x"]\n').instructions()[1])?.map((a) => a.value),
    );
  });
});

describe('dockerfile shared: ScriptTextAnalysis', () => {
  it('analyses each distinct RUN text once, across models, and gives every script with that text the same answer', () => {
    const seen: string[] = [];
    const analysis = new ScriptTextAnalysis((text, commands) => {
      seen.push(text);
      return commands.map((c) => c.text.trim());
    });
    const first = new DockerfileModel('FROM a\nRUN make && make install\nRUN echo hi\n');
    const second = new DockerfileModel('# another file\nFROM b\n  RUN make && make install\n');
    const answers = [...runScripts(first), ...runScripts(second)].map(({ script }) => analysis.of(script));
    assert.deepEqual(seen, ['make && make install', 'echo hi']);
    assert.deepEqual(answers, [['make', 'make install'], ['echo hi'], ['make', 'make install']]);
    assert.equal(answers[0], answers[2]);
  });
  it('keeps a null answer (nothing found) and asks again only for a new text', () => {
    let calls = 0;
    const analysis = new ScriptTextAnalysis(() => {
      calls++;
      return null;
    });
    for (const { script } of runScripts(new DockerfileModel('FROM a\nRUN true\nRUN true\nRUN false\n'))) assert.equal(analysis.of(script), null);
    assert.equal(calls, 2);
  });
});
