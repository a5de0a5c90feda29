/**
 * canAppendInstruction parses only the file's last instruction with the probe line appended; it
 * must answer what a parse of the whole file answers. Checked on odd endings (continuations,
 * comment lines in them, unclosed heredocs, another escape character) and on every corpus
 * Dockerfile cut at many points (ends inside continuations, heredocs, JSON, comments).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { appendProbeParses, canAppendInstruction } from '../../../rules/dockerfile/shared';
import { DockerfileModel } from '../../../server/src/documents/dockerfile';
import { walk } from '../../../server/src/node/files';
import { CORPUS } from '../../support/paths';

const WHOLE_FILE = { from: 0, prefix: '' };

function agrees(text: string): void {
  const model = new DockerfileModel(text);
  assert.equal(canAppendInstruction(model), appendProbeParses(model, WHOLE_FILE), JSON.stringify(text.slice(-200)));
}

const ODD = [
  '',
  'FROM a',
  'FROM a\nRUN x \\',
  'FROM a\nRUN x \\\n',
  'FROM a\nRUN x \\\n# comment\n',
  'FROM a\nRUN x \\  \n\n',
  'FROM a\r\nRUN x \\\r\n',
  'FROM a\nRUN <<EOF\necho\n',
  'FROM a\nRUN <<EOF\necho\nEOF\n',
  'FROM a\nCOPY <<-A <<B /x\n\tbody\n\tA\n',
  '# escape=`\nFROM a\nRUN x `\n',
  '# escape=`\nFROM a\nRUN x \\\n',
  '# escape=`\nFROM a\nRUN x\n',
  'FROM a\nONBUILD RUN x \\\n',
  'FROM a\nCMD ["a", \\\n',
  '# only a comment\n',
  'FROM a\n# trailing comment \\\n',
];

describe('canAppendInstruction from the last instruction', () => {
  it('agrees with a parse of the whole file on odd endings', () => {
    for (const text of ODD) agrees(text);
    // The cases differ from each other, so a probe answering a constant would fail here.
    const answers = new Set(ODD.map((t) => canAppendInstruction(new DockerfileModel(t))));
    assert.equal(answers.size, 2);
  });

  it('agrees with a parse of the whole file on corpus Dockerfiles cut anywhere', { skip: !fs.existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
    let checked = 0;
    for (const file of walk(CORPUS)) {
      if (!path.basename(file).toLowerCase().includes('dockerfile')) continue;
      const text = fs.readFileSync(file, 'utf8');
      agrees(text);
      // Cuts at a few deterministic points, just after escapes and heredoc markers too.
      const cuts = new Set<number>();
      for (let k = 1; k < 6; k++) cuts.add(Math.floor((text.length * k) / 6));
      for (const mark of ['\\\n', '<<', '[', '#']) {
        const at = text.indexOf(mark, text.length >> 1);
        if (at >= 0) cuts.add(at + mark.length);
      }
      for (const cut of cuts) agrees(text.slice(0, cut));
      checked++;
    }
    assert.ok(checked > 200, `only ${checked} corpus Dockerfiles`);
  });
});
