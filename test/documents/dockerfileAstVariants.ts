/**
 * Hostile Dockerfile texts for the patched-parse comparison: seeded mutations of real Dockerfiles
 * (escapes in odd places, the backtick escape directive, lone CRs, CRLF, tabs, comments inside
 * continuations, heredocs opened and never closed, JSON exec forms with escapes and non-ASCII text,
 * empty instructions, an escape at the very end, very long lines). Deterministic: a seed gives the
 * same texts on every machine.
 */

import { seededRandom } from '../support/loadWorkload';

type Random = () => number;
const pick = <T>(rnd: Random, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
const at = (rnd: Random, text: string): number => Math.floor(rnd() * (text.length + 1));
const insert = (text: string, index: number, piece: string): string => text.slice(0, index) + piece + text.slice(index);

/** Pieces that each stress one branch of the tokenisers (escapes, comments, heredocs, JSON). */
const PIECES = [
  '\\',
  '\\\n',
  '\\ \n',
  '\\\t \n',
  '\\\r\n',
  '\\\r',
  '\\ x',
  '\\$',
  '\\\\',
  '`',
  '`\n',
  '` \n',
  '\r',
  '\r\n',
  '\n',
  '\n\n',
  '\t',
  ' ',
  '#',
  '\n# comment \\\n',
  '\\\n# in a continuation\n',
  '\\\n  # indented comment\n  ',
  '\\\n#\r\n',
  '"',
  "'",
  '$',
  '${A:-b}',
  '$HOME',
  '<<',
  '<<EOF',
  '<<-EOF',
  '<<"EOF"',
  "<<'EOF'",
  '<<EOF\nbody\nEOF\n',
  '<<-EOF\n\tbody\n\tEOF\n',
  '<<EOF <<-X\na\nEOF\n\tb\n\tX\n',
  '-',
  '--',
  '--from=build ',
  '--mount=type=cache,target=/x ',
  '=',
  '[',
  ']',
  ',',
  '["a", "b"]',
  '["a\\"b", "\\\\", "\\u00e9", "é"]',
  '[ "x" , \\\n "y" ]',
  'é',
  '\u{1F600}',
  '\uFEFF',
  '\u0000',
];

/** Whole lines that are odd on their own; inserted at a line start. */
const LINES = [
  'RUN\n',
  'RUN \\\n',
  'RUN \\',
  'ENV\n',
  'ENV A\n',
  'ENV A B C\n',
  'ENV A=1 B="2 3" C\\ D=4\n',
  'ARG\n',
  'ARG A=\n',
  'LABEL a=b "c d"=e \\\n  f=g\n',
  'FROM\n',
  'FROM --platform=$BUILDPLATFORM golang:1.22@sha256:abc AS build\n',
  'FROM $BASE\n',
  'ONBUILD\n',
  'ONBUILD RUN\n',
  'ONBUILD RUN <<EOF\nx\nEOF\n',
  'ONBUILD COPY --from=a /b /c\n',
  'ONBUILD ONBUILD RUN a\n',
  'HEALTHCHECK NONE\n',
  'HEALTHCHECK --interval=5s --timeout=3s CMD ["curl", "-f", "http://localhost/"]\n',
  'CMD []\n',
  'CMD [ ]\n',
  'CMD ["a" "b"]\n',
  'CMD ["a",]\n',
  'ENTRYPOINT ["/bin/sh", "-c", "echo \\"$X\\""]\n',
  'SHELL ["powershell", "-Command"]\n',
  'RUN <<EOF\necho 1\nEOF\n',
  'RUN <<-EOF\n\techo 1\n\tEOF\n',
  'RUN <<"EOF" cat\nno close\n',
  'RUN cat <<EOF > /x && cat <<-Y >> /z\na\nEOF\n\tb\n\tY\n',
  'COPY <<EOF /etc/x\ncontent\n',
  // The library drops as many leading arguments as it counts flags, flags or not: no heredoc here.
  'RUN <<EOF-- --x\nbody\nEOF--\n',
  'COPY <<a--b --chown=1 /x\nq\na--b\n',
  'COPY --chown=1:1 --chmod=755 <<EOF /x\ny\nEOF\n',
  'ADD --checksum=sha256:0 https://x /y\n',
  'RUN --mount=type=secret,id=t,dst=/t \\\n  --network=none \\\n  cat /t\n',
  'RUN echo a \\\n# comment\n  b \\\n\n  c\n',
  'RUN a\\ \t\n b\n',
  'EXPOSE 80/tcp 443 ${PORT}\n',
  'USER 1:1\n',
  'WORKDIR /a b\n',
  'VOLUME ["/a", "/b"]\n',
  'STOPSIGNAL SIGTERM\n',
  'MAINTAINER x\n',
  'run lower case\n',
  'R\\\nUN split keyword\n',
  'RU\\ N odd\n',
  '# escape=`\n',
  '# syntax=docker/dockerfile:1\n',
  '   \t\n',
];

/** A RUN of `words` odd words (a few hundred in the variants: the full comparison is quadratic in them). */
export function longLine(rnd: Random, count = 100 + Math.floor(rnd() * 300)): string {
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(pick(rnd, ['a', '--x=1', '"q r"', '$V', '\\\n ', '&&', '\\ ', '<<E', 'é']));
  return `RUN ${words.join(' ')}\n`;
}

/** A random window of whole lines of `text` (keeps the cases small enough to compare thousands). */
function window(rnd: Random, text: string): string {
  const lines = text.split('\n');
  const from = Math.floor(rnd() * lines.length);
  const size = 1 + Math.floor(rnd() * 40);
  return lines.slice(from, from + size).join('\n');
}

function lineStart(rnd: Random, text: string): number {
  const index = at(rnd, text);
  const start = text.lastIndexOf('\n', index - 1);
  return start + 1;
}

const MUTATIONS: ((rnd: Random, text: string) => string)[] = [
  (rnd, text) => insert(text, at(rnd, text), pick(rnd, PIECES)),
  (rnd, text) => insert(text, at(rnd, text), pick(rnd, PIECES)),
  (rnd, text) => insert(text, at(rnd, text), pick(rnd, PIECES)),
  (rnd, text) => insert(text, lineStart(rnd, text), pick(rnd, LINES)),
  (rnd, text) => insert(text, lineStart(rnd, text), pick(rnd, LINES)),
  // The backtick escape: the directive, and some line-end backslashes turned into backticks.
  (rnd, text) => `# escape=\`\n${text.replace(/\\\n/g, (m) => (rnd() < 0.7 ? '`\n' : m))}`,
  (rnd, text) => text.replace(/\n/g, (m) => (rnd() < 0.2 ? '\r' : m)),
  (_rnd, text) => text.replace(/\n/g, '\r\n'),
  (rnd, text) => text.replace(/ /g, (m) => (rnd() < 0.3 ? '\t' : m)),
  (rnd, text) => text.replace(/\\\n/g, (m) => (rnd() < 0.5 ? `${m}# comment inside\n` : m)),
  (rnd, text) => text.replace(/\\\n/g, (m) => (rnd() < 0.5 ? '\\ \t\n' : m)),
  (_rnd, text) => `${text.trimEnd()} \\`,
  (_rnd, text) => `${text}\\`,
  (rnd, text) => insert(text, lineStart(rnd, text), longLine(rnd)),
  (rnd, text) => {
    const a = at(rnd, text);
    return text.slice(0, a) + text.slice(a + Math.floor(rnd() * 40));
  },
  (_rnd, text) => `\uFEFF${text}`,
];

/** `count` hostile texts made from `sources` (each 1 to 4 mutations of a window of one source). */
export function hostileVariants(sources: readonly string[], count: number, seed: number): string[] {
  const rnd = seededRandom(seed);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let text = window(rnd, pick(rnd, sources));
    const steps = 1 + Math.floor(rnd() * 4);
    for (let s = 0; s < steps; s++) text = pick(rnd, MUTATIONS)(rnd, text);
    out.push(text);
  }
  return out;
}
