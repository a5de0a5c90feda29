import type { DockerfileRule, Fix } from '../../server/src/engine/rule';
import { keyword, scriptOf, shippedStages, argumentsRange } from './shared';
import { meantAsExecForm } from './malformedExecForm';

/** Text a shell would treat specially: then exec form is not a plain rewrite. */
const SHELL_SYNTAX = /[$`"'\\|&;<>()*?~[\]{}#=]|\s-c\s/;

export const dockerfileShellFormCmd: DockerfileRule = {
  id: 'dockerfile-shell-form-cmd',
  language: 'dockerfile',
  title: 'CMD or ENTRYPOINT in shell form',
  category: 'dockerfile',
  severity: 'info',
  description:
    "The shipped image's `CMD` or `ENTRYPOINT` uses shell form (`CMD node server.js`), so it runs as " +
    '`/bin/sh -c "…"`: the shell is PID 1 and does not forward `SIGTERM`, so `docker stop` and Kubernetes wait ' +
    'out the grace period and kill the process without a clean shutdown, and a shell-form `ENTRYPOINT` ignores ' +
    '`CMD` and `docker run` arguments. Stages with a `SHELL` instruction are not flagged (as in BuildKit), nor ' +
    'builder stages.',
  remediation:
    'Use exec form: `CMD ["node", "server.js"]`. If you need variable expansion, use an entrypoint script that ' +
    'ends with `exec "$@"`, or `CMD ["sh", "-c", "exec node server.js --port \\"$PORT\\""]`.',
  references: ['hadolint:DL3025', 'buildkit:JSONArgsRecommended', 'semgrep:prefer-json-notation', 'dockerlinter:EJ0002'],
  fixes: [{ title: 'Convert to exec form', applicability: 'unsafe' }],
  recommended: false,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#shell-and-exec-form',
  check(ctx) {
    const model = ctx.dockerfile;
    const stages = shippedStages(model);
    if (stages.some((s) => s.instructions.some((i) => keyword(i) === 'SHELL'))) return;
    for (const stage of stages) {
      for (const instr of stage.instructions) {
        const kw = keyword(instr);
        if (kw !== 'CMD' && kw !== 'ENTRYPOINT') continue;
        const script = scriptOf(model, instr);
        // A malformed JSON array is reported by dockerfile-malformed-exec-form.
        if (!script || script.exec || (script.malformedExec && meantAsExecForm(script.text)) || script.text.trim() === '') continue;
        // `CMD exec app …`: the shell replaces itself with the app, which then gets the signals.
        if (/^\s*exec\s/.test(script.text)) continue;
        const range = argumentsRange(instr);
        if (!range) continue;
        const text = script.text.trim();
        const fixes: Fix[] = [];
        if (!SHELL_SYNTAX.test(text) && !text.includes('\n')) {
          const json = `[${text
            .split(/\s+/)
            .map((w) => JSON.stringify(w))
            .join(', ')}]`;
          // Signals, the base image's ENTRYPOINT and CMD/ENTRYPOINT argument passing all change.
          fixes.push({ title: 'Convert to exec form', applicability: 'unsafe', edits: () => [{ ...ctx.spanOf(range), newText: json }] });
        }
        ctx.report({
          at: ctx.spanOf(instr),
          message: `${kw} in shell form runs under /bin/sh -c, which does not forward stop signals: use exec form (${kw} ["executable", "arg"]).`,
          fixes,
        });
      }
    }
  },
};
