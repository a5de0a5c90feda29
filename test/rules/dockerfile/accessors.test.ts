/**
 * Dockerfile rules read instructions through the helpers of rules/dockerfile/shared.ts (which read
 * the tokenisation the Dockerfile model keeps), never through dockerfile-ast's argument accessors:
 * those re-tokenise the instruction on every call, and two dozen rules asking each of them again
 * made linting cost twice the parse. The library's accessors may appear in shared.ts only.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const RECOMPUTING = [
  'getArguments',
  'getRawArguments',
  'getArgumentsContent',
  'getRawArgumentsContent',
  'getArgumentsRange',
  'getArgumentsRanges',
  'getExpandedArguments',
  'getVariables',
  'getFlags',
  'getHeredocs',
  'getJSONStrings',
  'getProperties',
  'getTextContent',
];
const ALLOWED = new Set(['shared.ts']);
// Run from out/test/rules/dockerfile: the sources are three levels up from out/.
const RULES = path.resolve(__dirname, '../../../../rules/dockerfile');

/** `name` used as a property (`x.name(`, `x.name?.(`, `x['name']`), outside comments. */
function accessorUses(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const found: string[] = [];
  for (const name of RECOMPUTING) {
    if (code.includes(`.${name}(`) || code.includes(`.${name}?.(`) || code.includes(`'${name}'`) || code.includes(`"${name}"`)) found.push(name);
  }
  return found;
}

describe('Dockerfile rules and dockerfile-ast accessors', () => {
  it('finds an accessor call (the check can fail)', () => {
    assert.deepEqual(accessorUses('const a = instr.getArgumentsContent() ?? "";'), ['getArgumentsContent']);
    assert.deepEqual(accessorUses('const p = (i as X).getProperties?.();'), ['getProperties']);
    assert.deepEqual(accessorUses('// instr.getFlags() in a comment\nconst x = argumentsText(i);'), []);
  });

  it('no rule but shared.ts calls them', () => {
    const files = fs.readdirSync(RULES).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 20, `only ${files.length} rule files found in ${RULES}`);
    const offenders = files
      .filter((f) => !ALLOWED.has(f))
      .flatMap((f) => accessorUses(fs.readFileSync(path.join(RULES, f), 'utf8')).map((name) => `${f}: ${name}`));
    assert.deepEqual(offenders, []);
  });
});
