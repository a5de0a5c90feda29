/**
 * Everything a dockerfile-ast parse exposes, as plain data, and a check that Bulkhead's patches on
 * the library (server/src/documents/dockerfileAstCache.ts) change none of it: the text is parsed
 * once with the library as published and once patched, and both snapshots must be deeply equal
 * (values, classes, and every range's start/end line and character).
 */
import assert from 'node:assert/strict';
import { DockerfileParser } from 'dockerfile-ast';
import { installArgumentCache, uninstallArgumentCache } from '../../server/src/documents/dockerfileAstCache';

/** Getters that lead back up (to the whole file) or that take arguments despite a zero arity. */
const SKIPPED = new Set(['getDockerfile', 'getImageTemplate', 'getParent', 'getContainingImage']);
const MAX_DEPTH = 4;
const GETTER = /^(get|is|has|contains)[A-Z]/;

/**
 * Every zero-argument getter on `value` and on what those return, down to MAX_DEPTH; a getter that
 * throws is recorded as its message (the patched parse must throw where the library throws).
 */
export function snapshot(value: unknown, depth = 0): unknown {
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
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (Object.hasOwn(out, name) || SKIPPED.has(name) || !GETTER.test(name)) continue;
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
    out.text = String(value);
  }
  return out;
}

interface Template {
  getRange(): unknown;
  getComments(): { getRange(): unknown; getContent(): unknown }[];
  getInstructions(): { getRange(): unknown }[];
}

/**
 * The parse's image templates (the instructions before the first FROM, then one per stage): their
 * ranges and the comments the parse gave each (dockerfile-ast keeps them in fields).
 */
function templates(dockerfile: unknown): unknown {
  const file = dockerfile as { initialInstructions?: Template; buildStages?: Template[] };
  const list = [file.initialInstructions, ...(file.buildStages ?? [])];
  return list.map((t) =>
    t === undefined
      ? null
      : {
          range: t.getRange(),
          comments: t.getComments().map((c) => [c.getRange(), c.getContent()]),
          instructions: t.getInstructions().map((i) => i.getRange()),
        },
  );
}

export function parseSnapshot(text: string): unknown {
  let dockerfile: ReturnType<typeof DockerfileParser.parse>;
  try {
    dockerfile = DockerfileParser.parse(text);
  } catch (err) {
    return `parse threw: ${(err as Error).message}`;
  }
  return {
    instructions: snapshot(dockerfile.getInstructions()),
    comments: snapshot(dockerfile.getComments()),
    directives: snapshot(dockerfile.getDirectives()),
    stages: snapshot(dockerfile.getFROMs()),
    escape: dockerfile.getEscapeCharacter(),
    range: dockerfile.getRange(),
    templates: templates(dockerfile),
  };
}

/** The library's snapshot of `text` (patches removed for the parse and the getters). */
export function librarySnapshot(text: string): unknown {
  uninstallArgumentCache();
  try {
    return parseSnapshot(text);
  } finally {
    installArgumentCache();
  }
}

export function assertSameParse(text: string): void {
  const plain = librarySnapshot(text);
  assert.deepStrictEqual(parseSnapshot(text), plain);
}
