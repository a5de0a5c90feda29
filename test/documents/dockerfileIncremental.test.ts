/**
 * A keystroke re-parses one instruction (server/src/documents/dockerfileIncremental.ts). Whatever the
 * edit, the model must answer exactly as a whole parse of the new text: random edits (a fixed seed,
 * hostile characters: escapes, quotes, brackets, `#`, `<<`, CR, LF, tabs) are applied one after the
 * other to Dockerfiles of the repository and of the corpus, and after each the spliced model (when the
 * edit allowed one) is compared with a whole parse: every instruction's keyword, range, text,
 * arguments, flags and JSON strings, comments, directives, stages, and every ARG/ENV variable as the
 * file resolves it on each line; a sample with every getter of the library; and the lint findings of
 * an editor-like state against a fresh lint.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Instruction } from 'dockerfile-ast';
import { ALL_RULES } from '../../rules';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { reparseEdited } from '../../server/src/documents/dockerfileIncremental';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine, FileState } from '../../server/src/engine/engine';
import { walk } from '../../server/src/node/files';
import { seededRandom } from '../support/loadWorkload';
import { CORPUS, EXAMPLES } from '../support/paths';

const TYPED = [
  'a',
  'x',
  '1',
  ' ',
  ' ',
  '-',
  '=',
  '\\',
  '`',
  '"',
  "'",
  '[',
  ']',
  ',',
  '$',
  '{',
  '}',
  '#',
  '<',
  '<<',
  '\t',
  '\r',
  '\n',
  '\r\n',
  'é',
  '--mount=type=cache,target=/x ',
];

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const r = next();
  if (r < 0.55) return text.slice(0, at) + TYPED[Math.floor(next() * TYPED.length)] + text.slice(at);
  if (r < 0.85) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 2));
  return text.slice(0, at) + TYPED[Math.floor(next() * TYPED.length)] + text.slice(at + 1);
}

const plainRange = (r: { start: { line: number; character: number }; end: { line: number; character: number } } | null) =>
  r && [r.start.line, r.start.character, r.end.line, r.end.character];

function instructionSignature(i: Instruction): unknown {
  const any = i as unknown as Record<string, (() => unknown) | undefined>;
  const call = (name: string) => {
    try {
      return any[name]?.call(i);
    } catch (err) {
      return `threw: ${(err as Error).message}`;
    }
  };
  const list = (name: string) =>
    (call(name) as { getValue?(): unknown; getName?(): unknown; getRange(): never; getJSONValue?(): unknown }[] | undefined)?.map((a) => [
      a.getName?.(),
      a.getValue?.(),
      a.getJSONValue?.(),
      plainRange(a.getRange()),
    ]);
  return {
    keyword: i.getKeyword(),
    range: plainRange(i.getRange()),
    instructionRange: plainRange(i.getInstructionRange()),
    text: i.getTextContent(),
    args: list('getArguments'),
    content: call('getArgumentsContent'),
    raw: call('getRawArgumentsContent'),
    flags: list('getFlags'),
    json: list('getJSONStrings'),
    properties: list('getProperties'),
    heredocs: (call('getHeredocs') as unknown[] | undefined)?.length,
  };
}

/** What rules read of a model, as plain data. */
function signature(model: DockerfileModel): unknown {
  const ast = model.ast;
  const names = new Set<string>();
  for (const i of model.instructions()) {
    const keyword = i.getKeyword();
    if (keyword === 'ARG' || keyword === 'ENV') for (const a of i.getArguments()) names.add(a.getValue().split('=')[0]);
  }
  const variables: unknown[] = [];
  for (const i of model.instructions()) {
    const line = i.getRange().start.line;
    for (const name of names) {
      // The library recurses without end for a line outside every stage; both parses must agree on that too.
      let value: unknown;
      try {
        value = ast.resolveVariable(name, line);
      } catch (err) {
        value = `threw: ${(err as Error).name}`;
      }
      variables.push([line, name, value]);
    }
  }
  return {
    instructions: model.instructions().map(instructionSignature),
    comments: ast.getComments().map((c) => [c.getContent(), plainRange(c.getRange())]),
    directives: ast.getDirectives().map((d) => [d.getName(), d.getValue(), plainRange(d.getRange())]),
    escape: ast.getEscapeCharacter(),
    stages: model.stages.map((s) => [s.index, s.name, s.baseImage, s.parent?.index, s.instructions.length, plainRange(s.from.getRange())]),
    preamble: model.preamble.length,
    imageStages: ast.getFROMs().map((f) => [f.getImage(), f.getBuildStage(), plainRange(f.getImageRange())]),
    variables,
  };
}

function dockerfiles(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const roots = [EXAMPLES, ...(fs.existsSync(CORPUS) ? [CORPUS] : [])];
  for (const root of roots) {
    for (const file of walk(root)) {
      if (!path.basename(file).toLowerCase().includes('dockerfile')) continue;
      const text = fs.readFileSync(file, 'utf8');
      if (text.length < 40_000) out.push({ name: path.relative(root, file), text });
    }
  }
  return out;
}

const HAND_WRITTEN = [
  'FROM alpine AS build\nARG V=1\nENV A=2 B="3 4"\nRUN apk add curl && \\\n    curl -fsSL https://x/$V | sh\n# a comment\nCOPY --from=build --chown=1 /a /b\nUSER 1000\nCMD ["run", "--x"]\n',
  '# escape=`\nFROM mcr.microsoft.com/windows\nRUN echo a `\n  b `\n  c\nCMD ["a", "b"]\n',
  'FROM a\r\nRUN echo one\r\nRUN echo two \\\r\n  three\r\nEXPOSE 80\r\n',
  '\ufeffFROM a\nWORKDIR /app\nRUN <<EOF\necho hi\nEOF\nHEALTHCHECK --interval=5s CMD ["true"]\nONBUILD RUN echo $HOME\n',
];

/** Findings as data: rule objects by id, fix edits by what they produce on the text. */
function plain(findings: readonly { rule?: { id: string } }[]): string {
  return JSON.stringify(findings, (key, value) => {
    if (key === 'rule') return value?.id;
    if (typeof value === 'function') return key === 'edits' ? value() : 'function';
    return value;
  });
}

describe('Dockerfile re-parse of one instruction', () => {
  it('reuses every other instruction when a character is typed inside a RUN', () => {
    const text = HAND_WRITTEN[0];
    const before = new DockerfileModel(text);
    const at = text.indexOf('curl -fsSL');
    const after = reparseEdited(before, `${text.slice(0, at)}x${text.slice(at)}`);
    assert.ok(after, 'a keystroke inside RUN is re-parsed on its own');
    const changed = after.instructions().findIndex((i, k) => i !== before.instructions()[k]);
    assert.equal(after.instructions()[changed].getKeyword(), 'RUN');
    assert.equal(after.instructions().filter((i, k) => i !== before.instructions()[k]).length, 1);
    assert.deepEqual(signature(after), signature(new DockerfileModel(after.text)));
  });

  it('parses the whole text again when the edit can change other instructions', () => {
    const text = HAND_WRITTEN[0];
    const model = new DockerfileModel(text);
    const insert = (marker: string, typed: string, offset = 0) => {
      const at = text.indexOf(marker) + offset;
      assert.ok(at >= offset, marker);
      return reparseEdited(model, text.slice(0, at) + typed + text.slice(at));
    };
    assert.equal(insert('curl -fsSL', '\n'), undefined, 'a new line');
    assert.equal(insert('USER 1000', ' \\', 'USER 1000'.length), undefined, 'an escape that joins the next line');
    assert.equal(insert('USER 1000', ' <<EOF', 'USER 1000'.length), undefined, 'a here-document');
    assert.equal(insert('ARG V=1', '0', 'ARG V=1'.length), undefined, 'an ARG (read by later instructions)');
    assert.equal(insert('ENV A=2', '0', 'ENV A=2'.length), undefined, 'an ENV');
    assert.equal(insert('FROM alpine', 'x', 'FROM alpine'.length), undefined, 'a FROM');
    assert.equal(insert('# a comment', 'x', 2), undefined, 'a comment');
    assert.equal(insert('USER 1000', 'X', 1), undefined, 'a keyword changed into another word');
    const crlf = new DockerfileModel(HAND_WRITTEN[2]);
    const split = HAND_WRITTEN[2].indexOf('\r\n');
    assert.equal(reparseEdited(crlf, `${HAND_WRITTEN[2].slice(0, split + 1)}x${HAND_WRITTEN[2].slice(split + 1)}`), undefined, 'a CRLF split in two');
    const windows = new DockerfileModel(HAND_WRITTEN[1]);
    const at = HAND_WRITTEN[1].indexOf('"b"');
    const typed = reparseEdited(windows, `${HAND_WRITTEN[1].slice(0, at)}x${HAND_WRITTEN[1].slice(at)}`);
    assert.ok(typed, 'the escape directive is kept for the partial parse');
    assert.deepEqual(signature(typed), signature(new DockerfileModel(typed.text)));
  });

  it('answers as a whole parse after every one of thousands of random edits', () => {
    const files = [...HAND_WRITTEN.map((text, k) => ({ name: `hand-written ${k}`, text })), ...dockerfiles()];
    assert.ok(files.length >= 8, `only ${files.length} Dockerfiles`);
    const next = seededRandom(0x5eed);
    let spliced = 0;
    let whole = 0;
    const budget = fs.existsSync(CORPUS) ? 6000 : 1500;
    const perFile = Math.max(8, Math.ceil(budget / files.length));
    for (const file of files) {
      let model = new DockerfileModel(file.text);
      for (let k = 0; k < perFile; k++) {
        const text = edit(model.text, next);
        if (text === model.text) continue;
        const partial = reparseEdited(model, text);
        const fresh = new DockerfileModel(text);
        if (partial) {
          spliced++;
          assert.deepEqual(signature(partial), signature(fresh), `${file.name}, edit ${k}: ${JSON.stringify(text.slice(0, 0))}`);
          model = partial;
        } else {
          whole++;
          model = fresh;
        }
      }
    }
    // Both paths were exercised, the partial one on many edits (so the comparison means something).
    assert.ok(spliced > 500 && whole > 50, `${spliced} partial re-parses, ${whole} whole ones`);
  });

  it('lints to the same findings as a fresh lint, through the engine state the editor keeps', () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    const files = [...HAND_WRITTEN.map((text, k) => ({ name: `hand-written ${k}`, text })), ...dockerfiles().slice(0, 60)];
    const next = seededRandom(0xd0c);
    let compared = 0;
    for (const file of files) {
      const state = new FileState();
      let text = file.text;
      engine.lint('/w/Dockerfile', text, { state });
      for (let k = 0; k < 12; k++) {
        text = edit(text, next);
        const kept = engine.lint('/w/Dockerfile', text, { state });
        const fresh = engine.lint('/w/Dockerfile', text);
        assert.deepEqual(plain(kept.findings), plain(fresh.findings), `${file.name}, edit ${k}`);
        assert.deepEqual(kept.internalErrors, fresh.internalErrors);
        compared++;
      }
    }
    assert.ok(compared > 50);
  });
});
