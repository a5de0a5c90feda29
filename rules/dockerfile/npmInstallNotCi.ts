import type { DockerfileRule } from '../../server/src/engine/rule';
import type { Stage } from '../../server/src/documents/dockerfile';
import { keyword, pathArguments, runScripts, scriptSpan, commandsOf } from './shared';

const LOCKFILE = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|package\*\.json|package\*?-?lock\*?\.json|\*-lock\.json)$/;

/** Does the stage (or one it builds on) COPY/ADD an npm lockfile before `line`? */
function copiesLockfile(stage: Stage, line: number): boolean {
  for (let s: Stage | undefined = stage, hops = 0; s && hops < 64; s = s.parent, hops++) {
    for (const instr of s.instructions) {
      if (s === stage && instr.getRange().start.line >= line) break;
      const kw = keyword(instr);
      if (kw !== 'COPY' && kw !== 'ADD') continue;
      if (
        pathArguments(instr)
          .slice(0, -1)
          .some((a) => LOCKFILE.test(a.value))
      )
        return true;
    }
  }
  return false;
}

export const dockerfileNpmInstallNotCi: DockerfileRule = {
  id: 'dockerfile-npm-install-not-ci',
  language: 'dockerfile',
  title: 'npm install instead of npm ci',
  category: 'dockerfile',
  severity: 'info',
  description:
    'The stage copies `package-lock.json` and then runs `npm install`, which may resolve newer versions than ' +
    'the lockfile records and rewrite it: the image can contain dependency versions nobody reviewed, including ' +
    'a freshly published malicious release. `npm ci` installs exactly the locked tree and fails when ' +
    '`package.json` and the lockfile disagree. `npm install <package>` and stages without a lockfile are not flagged.',
  remediation: 'Use `npm ci` (with `--omit=dev` for production images).',
  references: [],
  fixes: [{ title: 'Use npm ci', applicability: 'unsafe' }],
  recommended: false,
  docsUrl: 'https://docs.npmjs.com/cli/commands/npm-ci',
  check(ctx) {
    for (const { stage, script } of runScripts(ctx.dockerfile)) {
      for (const cmd of commandsOf(script)) {
        const ws = cmd.words;
        const p = cmd.program;
        if (p >= ws.length || ws[p].value !== 'npm') continue;
        const values = ws.map((w) => w.value);
        let k = p + 1;
        while (k < ws.length && values[k].startsWith('-')) k++;
        if (!/^(?:install|i|isntall|add)$/.test(values[k] ?? '')) continue;
        const rest = values.slice(k + 1);
        // Installing named packages, globally, or from a path is something else.
        if (rest.some((v) => !v.startsWith('-') || /^-g$|^--global$/.test(v))) continue;
        if (values.slice(p + 1, k).some((v) => /^-g$|^--global$/.test(v))) continue;
        if (!copiesLockfile(stage, script.instr.getRange().start.line)) continue;
        const sub = ws[k];
        const span = scriptSpan(script, cmd.start + sub.start, cmd.start + sub.end);
        ctx.report({
          at: scriptSpan(script, cmd.start + ws[p].start, cmd.start + sub.end),
          message: 'npm install can resolve versions other than the copied lockfile records: use npm ci to install exactly the locked dependencies.',
          fixes: [{ title: 'Use npm ci', applicability: 'unsafe', edits: () => [{ ...span, newText: 'ci' }] }],
        });
      }
    }
  },
};
