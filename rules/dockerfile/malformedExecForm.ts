import type { DockerfileRule, Fix } from '../../server/src/engine/rule';
import type { Instruction } from 'dockerfile-ast';
import { keyword, onbuildTrigger, scriptOf, argumentsRange } from './shared';

const EXEC_KEYWORDS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

/**
 * The items a user meant by a bracketed list that is not JSON: `[python, app.py]` or
 * `['python', 'app.py']`. Undefined when the meaning is not plain (nested quotes, blanks in a bare
 * word, empty items), so no fix is guessed.
 */
export function intendedItems(text: string): string[] | undefined {
  const inner = /^\s*\[([^]*)\]\s*$/.exec(text)?.[1];
  if (inner === undefined || inner.trim() === '') return undefined;
  const items: string[] = [];
  for (const part of inner.split(',')) {
    const item = part.trim();
    if (item === '') return undefined;
    const quoted = /^'([^'"\\]*)'$/.exec(item) ?? /^"([^'"\\]*)"$/.exec(item);
    if (quoted) items.push(quoted[1]);
    else if (/^[^\s'"\\[\]]+$/.test(item)) items.push(item);
    else return undefined;
  }
  return items;
}

/**
 * Whether bracketed shell-form text was meant as exec form: the whole text is one `[…]` holding a
 * comma-separated list or a single quoted item. A shell test (`RUN [ -f /x ] && …`,
 * `RUN [ "$A" = b ]`) is shell form on purpose.
 */
export function meantAsExecForm(text: string): boolean {
  const inner = /^\s*\[([^]*)\]\s*$/.exec(text)?.[1];
  if (inner === undefined) return false;
  if (inner.includes(',')) return true;
  const item = inner.trim();
  return item.length >= 2 && (item[0] === '"' || item[0] === "'") && item.endsWith(item[0]) && !item.slice(1, -1).includes(item[0]);
}

export const dockerfileMalformedExecForm: DockerfileRule = {
  id: 'dockerfile-malformed-exec-form',
  language: 'dockerfile',
  title: 'Exec form that is not JSON runs through the shell',
  category: 'dockerfile',
  severity: 'warning',
  description:
    '`RUN`, `CMD` and `ENTRYPOINT` take exec form only as a JSON array of double-quoted strings. Anything else ' +
    "that starts with `[` (`CMD [python, app.py]`, `ENTRYPOINT ['/app']`) is silently shell form: Docker runs " +
    '`/bin/sh -c "[python, app.py]"`, the shell runs the program `[`, and the container fails when it starts, ' +
    'or, for a RUN, the build fails with a confusing error. `ONBUILD` triggers are checked too.',
  remediation: 'Write a JSON array: double quotes around every item, commas between them (`CMD ["python", "app.py"]`), and `\\\\` for each backslash.',
  references: ['dockerlinter:EJ0001'],
  fixes: [{ title: 'Quote the items as a JSON array', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#exec-form',
  check(ctx) {
    const model = ctx.dockerfile;
    const candidates: Instruction[] = [];
    // Every instruction (the preamble's, the stages' and the FROMs, which are not exec-form keywords).
    for (const instr of model.instructions()) {
      const target = keyword(instr) === 'ONBUILD' ? onbuildTrigger(instr) : instr;
      if (target && EXEC_KEYWORDS.has(keyword(target))) candidates.push(target);
    }
    for (const instr of candidates) {
      const script = scriptOf(model, instr);
      const range = argumentsRange(instr);
      if (!script?.malformedExec || !range || !meantAsExecForm(script.text)) continue;
      const kw = keyword(instr);
      const items = intendedItems(script.text);
      const json = items && `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;
      const fixes: Fix[] = json
        ? [{ title: 'Quote the items as a JSON array', applicability: 'unsafe', edits: () => [{ ...ctx.spanOf(range), newText: json }] }]
        : [];
      ctx.report({
        at: ctx.spanOf(range),
        message: `${kw} ${script.text.trim().length > 60 ? 'argument' : script.text.trim()} is not a JSON array (it needs double quotes around each item), so Docker runs it through /bin/sh -c as written and the shell fails on "[": ${json ? `write ${kw} ${json}` : 'write it as a JSON array'}.`,
        fixes,
      });
    }
  },
};
