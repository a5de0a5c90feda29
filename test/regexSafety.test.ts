/**
 * Static check that no regular expression in the rules or the server can backtrack super-linearly.
 * Bulkhead lints untrusted pull requests, so a regex that is exponential or polynomial in the
 * length of a line is a denial of service. Every regex literal and `new RegExp('literal')` in
 * `rules/**` and `server/src/**` is found with the TypeScript scanner and checked with `recheck`
 * (pure JS backend: no Java or native binary is spawned). A regex it flags must be rewritten, or
 * listed in ALLOWED with the reason it is safe anyway (its input is bounded, etc.).
 *
 * `new RegExp(...)` with anything but a string literal is refused too: a regex built from file
 * content (an ARG name, say) can be made to backtrack at will, and this check cannot see it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { checkSync } from 'recheck';
import { REPO_ROOT } from './support/paths';

/**
 * `file: source` → why this flagged regex is acceptable. Keep it short and keep the reasons true.
 * Empty today: every regex on file content is linear, and the Helm renderer runs chart regexes on RE2.
 */
const ALLOWED: Record<string, string> = {};

/** `file: expression text` of `new RegExp(...)` calls with a non-literal pattern, and why each is acceptable. */
const ALLOWED_DYNAMIC: Record<string, string> = {};

const ROOTS = ['rules', 'server/src'];

interface FoundRegex {
  file: string;
  line: number;
  source: string;
  flags: string;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function collect(): { regexes: FoundRegex[]; dynamic: { file: string; line: number; text: string }[] } {
  const regexes: FoundRegex[] = [];
  const dynamic: { file: string; line: number; text: string }[] = [];
  for (const root of ROOTS) {
    for (const full of tsFiles(path.join(REPO_ROOT, root))) {
      const file = path.relative(REPO_ROOT, full).split(path.sep).join('/');
      const sf = ts.createSourceFile(full, fs.readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
      const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      const visit = (node: ts.Node): void => {
        if (ts.isRegularExpressionLiteral(node)) {
          const text = node.text;
          const slash = text.lastIndexOf('/');
          regexes.push({ file, line: lineOf(node), source: text.slice(1, slash), flags: text.slice(slash + 1) });
        } else if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
          if (ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
            const [pattern, flags] = node.arguments ?? [];
            if (pattern && (ts.isStringLiteral(pattern) || ts.isNoSubstitutionTemplateLiteral(pattern))) {
              const f = flags && (ts.isStringLiteral(flags) || ts.isNoSubstitutionTemplateLiteral(flags)) ? flags.text : '';
              regexes.push({ file, line: lineOf(node), source: pattern.text, flags: f });
            } else if (pattern && ts.isRegularExpressionLiteral(pattern)) {
              // `new RegExp(/x/, 'g')`: the literal itself is visited below.
            } else {
              dynamic.push({ file, line: lineOf(node), text: node.getText(sf) });
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }
  return { regexes, dynamic };
}

/**
 * recheck runs its native binary (shipped in the recheck-linux-x64 package, nothing downloaded)
 * and falls back to Java or its JS build. A check that does not finish in time is 'unknown', which
 * fails like 'vulnerable': simplify the regex. Only regexes missing from VERDICTS are checked, so
 * the time limit (and the machine's load) matters when a regex is added, never for the rest.
 */
const RECHECK_OPTIONS = { timeout: 30_000, randomSeed: 0 } as never;

/**
 * Regexes recheck found safe, as `/source/flags`, so that a run checks only new or changed ones
 * (checking all ~370 takes minutes). A regex edited is a new entry and is checked again. After
 * adding regexes, `BULKHEAD_UPDATE_REGEX_VERDICTS=1 npm test` rewrites the file with the current
 * safe set (entries no longer in the code are dropped); review the diff like code.
 */
const VERDICTS = path.join(REPO_ROOT, 'test', 'regexSafety.verdicts.json');

function knownSafe(): Set<string> {
  return fs.existsSync(VERDICTS) ? new Set(JSON.parse(fs.readFileSync(VERDICTS, 'utf8')) as string[]) : new Set();
}

/**
 * `x{20,}` → `x+`: the same ambiguity (so the same verdict), but recheck's automaton unrolls
 * counted repeats and takes seconds on the token formats. (`\\{` escapes are left alone.)
 */
function widenCounts(source: string): string {
  return source.replace(/(?<!\\)\{[1-9]\d*,\}/g, '+');
}

describe('regex safety (static)', () => {
  const { regexes, dynamic } = collect();

  it('finds the regexes it is meant to check', () => {
    // A broken walker would pass vacuously; the project has hundreds of regexes.
    assert.ok(regexes.length > 200, `only ${regexes.length} regexes found`);
    assert.ok(regexes.some((r) => r.file === 'rules/dockerfile/shared.ts'));
  });

  it('has no regex with super-linear backtracking', () => {
    const bad: string[] = [];
    const used = new Set<string>();
    const cached = knownSafe();
    const safe = new Set<string>();
    for (const r of regexes) {
      const key = `${r.file}: ${r.source}`;
      const checked = `/${widenCounts(r.source)}/${r.flags.replace(/[^gimsuy]/g, '')}`;
      if (cached.has(checked)) {
        safe.add(checked);
        continue;
      }
      const result = checkSync(widenCounts(r.source), r.flags.replace(/[^gimsuy]/g, ''), RECHECK_OPTIONS);
      if (result.status === 'safe') {
        safe.add(checked);
        continue;
      }
      if (key in ALLOWED) {
        used.add(key);
        continue;
      }
      const why =
        result.status === 'vulnerable' ? `${result.complexity.type}, attack ${result.attack.pattern}` : `${result.status}: ${JSON.stringify(result.error)}`;
      bad.push(`${r.file}:${r.line}  /${r.source}/${r.flags}  (${why})`);
    }
    if (process.env.BULKHEAD_UPDATE_REGEX_VERDICTS) fs.writeFileSync(VERDICTS, `${JSON.stringify([...safe].sort(), null, 1)}\n`);
    assert.deepEqual(bad, [], `unsafe regexes — rewrite them linearly or bound their input:\n${bad.join('\n')}`);
    const stale = Object.keys(ALLOWED)
      .filter((k) => !used.has(k))
      .concat(Object.keys(ALLOWED_DYNAMIC).filter((k) => !dynamic.some((d) => `${d.file}: ${d.text}` === k)));
    assert.deepEqual(stale, [], 'allow-list entries that no longer match a flagged regex: remove them');
  });

  it('builds no regex from a non-literal pattern', () => {
    const bad = dynamic.filter((d) => !(`${d.file}: ${d.text}` in ALLOWED_DYNAMIC)).map((d) => `${d.file}:${d.line}  ${d.text}`);
    assert.deepEqual(bad, [], `RegExp built from a computed pattern (escape nothing: scan by hand instead):\n${bad.join('\n')}`);
  });

  it('the checker itself flags the shapes it is here for', () => {
    for (const source of ['(a+)+$', '(\\s|x)*y', '\\/+$', '\\s*\\S*\\s*x']) {
      assert.equal(checkSync(source, '', RECHECK_OPTIONS).status, 'vulnerable', source);
    }
    assert.equal(checkSync('^[ \\t]*#[^\\r\\n]*$', '', RECHECK_OPTIONS).status, 'safe');
  });
});
