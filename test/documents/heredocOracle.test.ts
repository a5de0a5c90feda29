/**
 * The model answers getHeredocs with its own scan (server/src/documents/dockerfile.ts,
 * `scanHeredocs`), not dockerfile-ast's: on odd hand-written texts and on thousands of seeded random
 * texts made of the pieces the scan reacts to, every heredoc must be the library's (same class, same
 * own fields, same name and ranges, in the same order), or none where the library throws.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileParser, Heredoc, type Instruction } from 'dockerfile-ast';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { withoutArgumentCache } from '../../server/src/documents/dockerfileAstCache';
import { seededRandom } from '../support/loadWorkload';

interface Heredocs {
  getHeredocs?: () => unknown[];
}

/** Everything a reader can see of a list of heredocs: prototypes, own fields and their values. */
function describeHeredocs(list: unknown[]): unknown {
  return list.map((h) => {
    assert.equal(Object.getPrototypeOf(h), Heredoc.prototype, 'a Heredoc of the library');
    const heredoc = h as Heredoc;
    return {
      keys: Object.keys(heredoc),
      // The fields as stored, key order included (JSON keeps it), and the getters' answers.
      fields: JSON.stringify(heredoc),
      name: heredoc.getName(),
      start: heredoc.getStartRange(),
      nameRange: heredoc.getNameRange(),
      content: heredoc.getContentRange(),
      delimiter: heredoc.getDelimiterRange(),
    };
  });
}

function libraryHeredocs(instruction: Instruction): unknown {
  const get = (instruction as unknown as Heredocs).getHeredocs;
  if (typeof get !== 'function') return 'absent';
  try {
    return describeHeredocs(get.call(instruction));
  } catch {
    // The model reads heredocs the library cannot read as none.
    return [];
  }
}

function modelHeredocs(instruction: Instruction): unknown {
  const get = (instruction as unknown as Heredocs).getHeredocs;
  if (typeof get !== 'function') return 'absent';
  return describeHeredocs(get.call(instruction));
}

/** Compares the model's heredocs with the library's for every instruction of `text`; how many heredocs. */
function compare(text: string): number {
  const library = withoutArgumentCache(() => DockerfileParser.parse(text).getInstructions().map(libraryHeredocs));
  const model = new DockerfileModel(text).instructions();
  assert.equal(model.length, library.length);
  let count = 0;
  model.forEach((instruction, index) => {
    const answer = modelHeredocs(instruction);
    assert.deepStrictEqual(answer, library[index], `instruction ${index}`);
    if (Array.isArray(answer)) count += answer.length;
  });
  return count;
}

const ODD = [
  'FROM a\nRUN <<EOF\necho hi\nEOF\n',
  'FROM a\nRUN <<EOF\necho hi\nEOF',
  'FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF\r\n',
  'FROM a\rRUN <<EOF\recho hi\rEOF\r',
  'FROM a\r\nRUN <<EOF1 <<EOF2\r\none\r\nEOF1\r\ntwo\r\nEOF2\r\n',
  'FROM a\r\nCOPY <<-EOF1 <<EOF2 /d/\r\n\tone\r\n\tEOF1\r\nEOF2\r\n',
  'FROM a\nRUN <<-EOF\n\techo hi\n\t\tEOF\n',
  'FROM a\nRUN <<-EOF\r\n\techo\r\n\tEOF\r\n',
  'FROM a\nRUN <<"EOF"\necho $x\nEOF\n',
  "FROM a\nRUN <<'EOF' bash\necho $x\nEOF\n",
  'FROM a\nRUN <<"E O"\nx\nE O\n',
  'FROM a\nRUN <<EOF1 <<EOF2\none\nEOF1\ntwo\nEOF2\n',
  'FROM a\nRUN <<EOF1 cat <<-EOF2 && <<"EOF3"\none\nEOF1\n\ttwo\n\tEOF2\nthree\nEOF3\n',
  'FROM a\nRUN <<EOF1 <<EOF2\none\nEOF1\n',
  'FROM a\nCOPY <<EOF /dest\ncontent\nEOF\n',
  'FROM a\nCOPY <<one <<two /dest/\n1\none\n2\ntwo\n',
  'FROM a\nRUN <<EOF\nnever ends\n',
  'FROM a\nRUN <<EOF\nnever ends',
  'FROM a\nRUN <<EOF',
  'FROM a\nRUN <<EOF\n',
  'FROM a\nRUN <<EOF\nEOF\n',
  'FROM a\nRUN <<EOF\n\nEOF\n',
  'FROM a\nRUN <<EOF\n\n\n',
  'FROM a\nRUN echo "<<EOF"\nRUN echo x\n',
  "FROM a\nRUN echo '<<EOF' && cat\n",
  'FROM a\nRUN echo $((1 << 3))\n',
  'FROM a\nRUN echo $((1 <<3))\nRUN x\n',
  'FROM a\nRUN cat <<EOF > /f \\\n && echo\nx\nEOF\n',
  'FROM a\nRUN cat <<EOF \\\n# comment\n  && echo\nx\nEOF\n',
  'FROM a\nRUN cat <<EOF \\  \n\n  x\nbody\nEOF\n',
  'FROM a\nRUN <<EOF \\\r\n  x\r\nbody\r\nEOF\r\n',
  'FROM a\nRUN <<EOF\nline \\\nEOF\nEOF\n',
  'FROM a\nRUN <<EOF\nline \\x\nEOF\n',
  'FROM a\nRUN <<EOF\n#comment\nEOF\n',
  'FROM a\nRUN <<EOF\n  EOF\nEOF\n',
  'FROM a\nRUN <<EOF\nEOF \nEOF\n',
  'FROM a\nRUN <<EOF\r\nbody\rEOF\r\n',
  'FROM a\nRUN a \\\r# c\r\n b <<EOF\nx\nEOF\n',
  'FROM a\nRUN <<EOF a \\\r# c\r\n b\nx\nEOF\n',
  '# escape=`\nFROM a\nRUN <<EOF `\n  x\nbody\\\nEOF\n',
  '# escape=`\nFROM a\nRUN <<EOF\r\nbody `\r\nEOF\r\n',
  '# escape=`\nFROM a\nRUN cat <<EOF `\n# c\n  && echo\nx\nEOF\n',
  '# escape=`\r\nFROM a\r\nRUN <<-"EOF" `\r\n  x\r\n\tbody\r\n\tEOF\r\n',
  'FROM a\nRUN <<\nx\n',
  'FROM a\nRUN <<-\nx\n-\n',
  'FROM a\nRUN <<<EOF\nx\nEOF\n',
  'FROM a\nRUN <<"EOF\nx\nEOF\n',
  'FROM a\nRUN <<EOF\nx\nEOF\nEOF\n',
  'FROM a\nRUN <<E\\\nOF\nx\nEOF\n',
  'FROM a\nRUN <<EOF\t\n\tx\nEOF',
  'FROM a\nRUN\t<<EOF\n\t\nEOF\n',
  'FROM a\nRUN <<EOF\\\n\nx\nEOF\n',
  'FROM a\nRUN <<EOF \\',
  'FROM a\nRUN <<EOF \\\r',
  'FROM a\nRUN <<EOF\n\\',
  'FROM a\nRUN <<EOF\nx \\ \t',
  'FROM a\nRUN <<EOF\nx\nEOF\r',
  'FROM a\nRUN <<EOF\nx\r\nEOF',
  'FROM a\nRUN --mount=type=cache,target=/x <<EOF\nx\nEOF\n',
  'FROM a\nRUN ["sh", "<<EOF"]\nx\n',
  'FROM a\nONBUILD RUN <<EOF\nx\nEOF\n',
  'RUN <<EOF\nx\nEOF\nFROM a\n',
];

/** The pieces the scan and the parser react to, drawn at random. */
const PIECES = [
  'RUN ',
  'COPY ',
  'RUN <<EOF',
  'RUN <<-EOF',
  'RUN cat <<"EOF"',
  "<<'E'",
  '<<EOF',
  '<<-EOF',
  '<<',
  '<<<',
  ' <<E',
  'EOF',
  '\tEOF',
  'E',
  '"',
  "'",
  '-',
  '\\',
  '`',
  '\\\n',
  '`\n',
  '\r\n',
  '\r',
  '\n',
  '\n',
  '\n',
  ' ',
  '\t',
  '#',
  '# c',
  'a',
  'echo',
  '/dest',
  '$((1 << 2))',
];

function randomText(random: () => number): string {
  let text = random() < 0.25 ? '# escape=`\n' : '';
  text += random() < 0.5 ? 'FROM a\n' : '';
  const n = 3 + Math.floor(random() * 30);
  for (let k = 0; k < n; k++) text += PIECES[Math.floor(random() * PIECES.length)];
  // A third of the texts with CRLF line ends throughout (a lone LF or CR piece may still follow a CR).
  return random() < 0.33 ? text.replaceAll('\n', '\r\n') : text;
}

describe("The model's heredocs", () => {
  it("are the library's on odd texts", () => {
    let count = 0;
    for (const [i, text] of ODD.entries()) {
      try {
        count += compare(text);
      } catch (err) {
        throw new Error(`odd text ${i} (${JSON.stringify(text)}): ${(err as Error).message.slice(0, 3000)}`);
      }
    }
    console.log('COUNT', count);
    assert.ok(count > 50, `the odd texts hold heredocs (${count})`);
  });

  it("are the library's on seeded random texts", () => {
    const random = seededRandom(3030);
    let count = 0;
    for (let i = 0; i < 4000; i++) {
      const text = randomText(random);
      try {
        count += compare(text);
      } catch (err) {
        throw new Error(`random text ${i} (${JSON.stringify(text)}): ${(err as Error).message.slice(0, 3000)}`);
      }
    }
    console.log('COUNT', count);
    assert.ok(count > 2000, `the random texts hold heredocs (${count})`);
  });
});
