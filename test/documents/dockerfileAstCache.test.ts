/**
 * The argument cache installed on dockerfile-ast's prototypes must change nothing but speed: every
 * Dockerfile of the corpus (and a few hand-written odd ones) is parsed with the library's own
 * accessors and with the cache, and everything the parse exposes is compared: every instruction
 * (ONBUILD triggers included), every zero-argument getter on it and on what those return
 * (arguments, flags and their options, heredocs, variables, properties, JSON strings, ranges).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import { DockerfileModel } from '../../server/src/documents/dockerfile';
import { argumentCacheInstalled, installArgumentCache, uninstallArgumentCache } from '../../server/src/documents/dockerfileAstCache';
import { walk } from '../../server/src/node/files';
import { CORPUS } from '../support/paths';

/** Getters that lead back up (to the whole file) or that take arguments despite a zero arity. */
const SKIPPED = new Set(['getDockerfile', 'getImageTemplate', 'getParent', 'getContainingImage']);
const MAX_DEPTH = 4;

/** Everything a parse exposes, as plain data; a getter that throws is recorded as its message. */
function snapshot(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => snapshot(v, depth));
  if (depth >= MAX_DEPTH) return '…';
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = snapshot(v, depth + 1);
    return out;
  }
  const out: Record<string, unknown> = { class: proto.constructor.name };
  const data = out;
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (Object.hasOwn(out, name) || SKIPPED.has(name) || !/^(get|is|has|contains)[A-Z]/.test(name)) continue;
      const method = (value as Record<string, unknown>)[name];
      if (typeof method !== 'function' || method.length !== 0) continue;
      try {
        out[name] = snapshot(method.call(value), depth + 1);
      } catch (err) {
        out[name] = `threw: ${(err as Error).message}`;
      }
    }
  }
  if (typeof (value as { toString?: unknown }).toString === 'function' && proto.toString !== Object.prototype.toString) {
    data.text = String(value);
  }
  return out;
}

function parseSnapshot(text: string): unknown {
  const dockerfile = DockerfileParser.parse(text);
  return {
    instructions: snapshot(dockerfile.getInstructions()),
    comments: snapshot(dockerfile.getComments()),
    directives: snapshot(dockerfile.getDirectives()),
    stages: snapshot(dockerfile.getFROMs()),
  };
}

function compareBothWays(text: string): void {
  uninstallArgumentCache();
  let plain: unknown;
  try {
    plain = parseSnapshot(text);
  } finally {
    installArgumentCache();
  }
  assert.deepStrictEqual(parseSnapshot(text), plain);
}

const ODD = [
  'FROM alpine\nCOPY --from=build --chown=1 /a /b\nRUN --mount=type=secret,id=t cat /run/secrets/t\n',
  '# escape=`\nFROM windows\nRUN echo a `\n  b `\n# comment\n  c\nCMD ["a", "b`"c"]\n',
  'FROM a\nRUN <<EOF cat\nhello\nEOF\nCOPY <<-X /f\n\tbody\n\tX\nONBUILD RUN --network=none echo $HOME ${A:-b}\n',
  'FROM a\nHEALTHCHECK --interval=5s CMD ["true"]\nENV A=1 B="2 3" \\\n  C=4\nLABEL a=b\nARG X=1\nEXPOSE 80/tcp 443\n',
  'FROM a\nRUN a \\ \n b\\\t\n\nCMD []\nENTRYPOINT [ "x" , \nUSER 1:1\n',
];

describe('dockerfile-ast argument cache', () => {
  it('is installed when the Dockerfile model loads', () => {
    assert.ok(new DockerfileModel('FROM a\n').instructions().length === 1 && argumentCacheInstalled());
  });

  it('gives the same parse as the library on odd hand-written Dockerfiles', () => {
    for (const text of ODD) compareBothWays(text);
  });

  it('gives the same parse as the library on every corpus Dockerfile', { skip: !fs.existsSync(CORPUS) && 'no ../shared/corpus' }, () => {
    let compared = 0;
    for (const file of walk(CORPUS)) {
      const base = path.basename(file).toLowerCase();
      if (!base.includes('dockerfile')) continue;
      const text = fs.readFileSync(file, 'utf8');
      try {
        compareBothWays(text);
      } catch (err) {
        throw new Error(`${file} parses differently with the cache: ${(err as Error).message}`);
      }
      compared++;
    }
    assert.ok(compared > 200, `only ${compared} corpus Dockerfiles compared`);
  });
});
