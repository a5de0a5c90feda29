/**
 * The shared derived data of the Dockerfile rules (RUN scripts by stage, each script's commands with
 * their words and program, deletions, base images, properties) is computed once per model and read
 * by every rule. Each answer must equal what the direct computation gives, whichever stages are
 * asked for and in whatever order, and asking twice must hand out the same list.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { deletions } from '../../../rules/dockerfile/deletions';
import {
  baseImageRefs,
  commandsOf,
  escapeCharacter,
  instructionProperties,
  keyword,
  onbuildTrigger,
  pathArguments,
  programIndex,
  runScripts,
  scriptOf,
  splitCommands,
  stageInstructionList,
  stageInstructions,
  words,
} from '../../../rules/dockerfile/shared';
import { DockerfileModel } from '../../../server/src/documents/dockerfile';
import type { Stage } from '../../../server/src/documents/dockerfile';
import { walk } from '../../../server/src/node/files';
import { CORPUS } from '../../support/paths';

const TEXT = [
  'ARG BASE=alpine:3.20',
  'FROM $BASE AS build',
  'RUN apk add curl && curl -fsSL https://x.example/i.sh | sh',
  'ONBUILD RUN rm -rf /var/lib/apk/db',
  'FROM build AS tools',
  'RUN case "$a" in x|y) echo one ;; *) rm -f /etc/os-release ;; esac',
  'ENV A=1 B=2',
  'FROM scratch',
  'COPY --from=tools / /',
  'RUN ["sh", "-c", "find / -name \'*.dist-info\' -delete > /dev/null"]',
  '',
].join('\n');

/** RUN scripts as the rules read them before they were kept per stage. */
function directRunScripts(model: DockerfileModel, stages: readonly Stage[]): { stage: Stage; text: string }[] {
  const out: { stage: Stage; text: string }[] = [];
  for (const stage of stages) {
    for (const instr of stage.instructions) {
      const run = keyword(instr) === 'RUN' ? instr : onbuildTrigger(instr);
      if (!run || keyword(run) !== 'RUN') continue;
      const script = scriptOf(model, run);
      if (script) out.push({ stage, text: script.text });
    }
  }
  return out;
}

function checkModel(model: DockerfileModel): void {
  const orders: (readonly Stage[])[] = [model.stages, [...model.stages].reverse(), model.stages.slice(1), [model.stages[0], model.stages[0]].filter(Boolean)];
  for (const stages of orders) {
    const kept = runScripts(model, stages).map(({ stage, script }) => ({ stage, text: script.text }));
    assert.deepEqual(kept, directRunScripts(model, stages));
  }
  assert.equal(runScripts(model), runScripts(model));
  assert.equal(stageInstructions(model), stageInstructions(model));
  assert.deepEqual(
    stageInstructions(model),
    model.stages.flatMap((stage) => stage.instructions.map((instr) => ({ stage, instr }))),
  );
  assert.equal(baseImageRefs(model), baseImageRefs(model));
  assert.deepEqual(
    stageInstructionList(model),
    stageInstructions(model).map((s) => s.instr),
  );
  assert.equal(escapeCharacter(model), model.ast.getEscapeCharacter());
  for (const { script } of runScripts(model)) {
    const cmds = commandsOf(script);
    assert.equal(commandsOf(script), cmds);
    const direct = splitCommands(script.text);
    assert.deepEqual(
      cmds.map((c) => ({ text: c.text, start: c.start, next: c.next })),
      direct.map((c) => ({ text: c.text, start: c.start, next: c.next })),
    );
    for (const c of cmds) {
      assert.deepEqual(c.words, words(c.text));
      assert.equal(c.program, programIndex(words(c.text)));
    }
  }
  for (const instr of model.instructions()) assert.equal(instructionProperties(instr), instructionProperties(instr));
  // Deletions kept by stage: any selection and order gives the concatenation of each stage's own.
  const byStage = new Map(model.stages.map((s) => [s, deletions(model, [s])]));
  for (const stages of orders) {
    assert.deepEqual(
      deletions(model, stages),
      stages.flatMap((s) => byStage.get(s) ?? []),
    );
  }
}

describe('Dockerfile derived data, computed once per model', () => {
  it('reads the escape directive as dockerfile-ast does', () => {
    const cases = [
      '',
      'FROM a',
      '# escape=`\nFROM a',
      '#ESCAPE = `\r\nFROM a',
      '# syntax=docker/dockerfile:1\n# escape=`\nFROM a',
      '# escape=x\nFROM a',
      '# escape=\\\nFROM a',
      '\r# escape=`\rFROM a',
      '# directive=1\n# escape=`\n',
      'FROM a\n# escape=`\n',
    ];
    const answers = new Set<string>();
    for (const text of cases) {
      const model = new DockerfileModel(text);
      assert.equal(escapeCharacter(model), model.ast.getEscapeCharacter(), JSON.stringify(text));
      answers.add(escapeCharacter(model));
    }
    assert.deepEqual([...answers].sort(), ['\\', '`']);
  });

  it('answers as the direct computation on a multi-stage file', () => {
    const model = new DockerfileModel(TEXT);
    checkModel(model);
    // The example exercises what it claims to: ONBUILD's RUN, exec form, deletions in two stages.
    assert.equal(runScripts(model).length, 4);
    assert.deepEqual(
      deletions(model, model.stages).map((d) => d.path),
      ['/var/lib/apk/db', '/etc/os-release', '/dev/null', '/**/*.dist-info'],
    );
  });

  it('COPY/ADD path arguments: one list per instruction, equal to those of a fresh parse', () => {
    const text = `${TEXT}COPY --chown=1:1 a b /d/\nADD ["x", "/z"]\n`;
    const model = new DockerfileModel(text);
    const again = new DockerfileModel(text);
    const copies = (m: DockerfileModel) => m.instructions().filter((i) => keyword(i) === 'COPY' || keyword(i) === 'ADD');
    const fresh = copies(again);
    copies(model).forEach((instr, i) => {
      const list = pathArguments(instr);
      assert.equal(pathArguments(instr), list, 'asked twice, the same list');
      assert.ok(Object.isFrozen(list));
      assert.deepEqual(list, pathArguments(fresh[i]));
    });
    assert.deepEqual(
      copies(model).map((instr) => pathArguments(instr).map((a) => a.value)),
      [
        ['/', '/'],
        ['a', 'b', '/d/'],
        ['x', '/z'],
      ],
    );
  });

  it('answers as the direct computation on every corpus Dockerfile', { skip: !fs.existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
    let checked = 0;
    for (const file of walk(CORPUS)) {
      if (!path.basename(file).toLowerCase().includes('dockerfile')) continue;
      checkModel(new DockerfileModel(fs.readFileSync(file, 'utf8')));
      checked++;
    }
    assert.ok(checked > 200, `only ${checked} corpus Dockerfiles`);
  });
});
