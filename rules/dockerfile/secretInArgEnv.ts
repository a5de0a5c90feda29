import type { Instruction } from 'dockerfile-ast';
import type { DockerfileRule, Fix, TextEdit } from '../../server/src/engine/rule';
import type { DockerfileModel } from '../../server/src/documents/dockerfile';
import { detectEol } from '../../server/src/text/lineIndex';
import type { Range } from '../../server/src/text/lineIndex';
import { credentialHalf, harmlessValue, secretNameToken } from '../../server/src/secrets';
import { CREDENTIAL_NAME_PARTS } from '../../server/src/secrets/names';
import { argEnvInstructions, keyword, unquote, instructionProperties, rawArgumentsText, argumentsText } from './shared';

interface PropertyLike {
  getName(): string;
  getNameRange(): Range;
  getRange(): Range;
  getValue(): string | null;
}

export function propertiesOf(instr: Instruction): readonly PropertyLike[] {
  return instructionProperties<PropertyLike>(instr);
}

export const dockerfileSecretInArgEnv: DockerfileRule = {
  id: 'dockerfile-secret-in-arg-env',
  language: 'dockerfile',
  title: 'Credential passed through ARG or ENV',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'An `ARG` or `ENV` is named like a credential (`NPM_TOKEN`, `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`, ' +
    '`API_KEY`). `ENV` values are baked into the image config for anyone who pulls it, and `ARG` values are ' +
    'recorded in the image history (`docker history`) and in the build cache of every stage that uses them, ' +
    "builder stages included. Names that hold a secret's location or metadata rather than the secret " +
    '(`TOKEN_URL`, `PASSWORD_FILE`, `SECRET_NAME`, `GPG_KEY`, `*_PATH`, `*_DIR`, `*_HOST`) and values that are ' +
    'booleans, numbers or file paths are not flagged. The identifying half of a key pair (`AWS_ACCESS_KEY_ID`) is: ' +
    'it is not secret alone, but it names the account and key, and its secret half usually travels with it. ' +
    'Jenkins-style `*_PSW` names are passwords.',
  remediation:
    'Pass the secret as a BuildKit secret and read it only in the `RUN` that needs it: ' +
    '`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` with `docker build --secret id=npm_token,env=NPM_TOKEN`. ' +
    'For runtime secrets, inject them when the container starts (Kubernetes Secret, orchestrator secret store), ' +
    'never in the image.',
  references: ['buildkit:SecretsUsedInArgOrEnv', 'hadolint:DL3064', 'trivy:DS-0031', 'semgrep:secret-in-build-arg'],
  fixes: [{ title: 'Pass it as a build secret (RUN --mount=type=secret)', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/secrets/',
  check(ctx) {
    const model = ctx.dockerfile;
    const argEnv = argEnvInstructions(model);
    for (let i = 0; i < argEnv.length; i++) {
      const instr = argEnv[i];
      const props = propertiesOf(instr);
      for (let p = 0; p < props.length; p++) {
        const prop = props[p];
        const name = prop.getName();
        // Both tests below need a part of CREDENTIAL_NAME_PARTS in the name: secretNameToken is
        // secretName's, which rejects a name without one first, and credentialHalf accepts only
        // names split into `... access key id`, whose `key` token is `key` lower-cased from the
        // name (`[kK\u212A]` then `e`, `y` in any case: CREDENTIAL_NAME_PARTS's `[k\u212A]ey`).
        // Most names (`PATH`, `NODE_VERSION`) have none and are rejected by one search.
        if (!CREDENTIAL_NAME_PARTS.test(name)) continue;
        const kw = keyword(instr);
        const token = secretNameToken(name);
        const half = !token && credentialHalf(name);
        if (!token && !half) continue;
        const raw = prop.getValue();
        const value = raw === null ? null : unquote(raw);
        if (value !== null && harmlessValue(value)) continue;
        if (kw === 'ENV' && value === null) continue;
        const what = kw === 'ARG' ? 'a build argument' : 'an environment variable';
        const where = kw === 'ARG' ? 'recorded in the image history and build cache' : 'stored in the image configuration';
        const fix = kw === 'ARG' && propertiesOf(instr).length === 1 ? secretMountFix(model, instr, name) : undefined;
        ctx.report({
          at: ctx.spanOf(prop.getNameRange()),
          message: half
            ? `${kw} ${name} is the identifying half of a key pair: not secret alone, but it names the account and key, and ${what} is ${where}; its secret half is usually passed the same way. Use RUN --mount=type=secret,id=${name.toLowerCase()} for both.`
            : `${kw} ${name} looks like a credential: ${what} is ${where}. Use RUN --mount=type=secret,id=${name.toLowerCase()} in the step that needs it instead.`,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};

/**
 * Does `text` read the variable `name` (`$NAME`, `${NAME}`, `${NAME:-x}`, …)? A scan, not a regex
 * built from the name: a name in the file (`ARG (a+)+_TOKEN`) would make it backtrack at will.
 */
export function readsVariable(text: string, name: string): boolean {
  for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i + 1)) {
    if (text.startsWith(name, i + 1) && !/[A-Za-z0-9_]/.test(text[i + 1 + name.length] ?? '')) return true;
    if (text[i + 1] === '{' && text.startsWith(name, i + 2) && ':}+-'.includes(text[i + 2 + name.length] ?? ':')) return true;
  }
  return false;
}

/**
 * `ARG TOKEN` → a build secret: the ARG goes, and every later RUN of its stage mounts the secret as
 * that same environment variable (`--mount=type=secret,id=token,env=TOKEN`, Dockerfile
 * syntax 1.10+, so a `# syntax=` line is added when missing). The build command changes from
 * `--build-arg TOKEN=...` to `--secret id=token,env=TOKEN`: unsafe. Not offered for global ARGs or
 * when anything but a RUN reads the variable (secrets exist only inside RUN).
 */
function secretMountFix(model: DockerfileModel, arg: Instruction, name: string): Fix | undefined {
  const stage = model.stages.find((s) => s.instructions.includes(arg));
  const scope = stage ? stage.instructions.slice(stage.instructions.indexOf(arg) + 1) : [];
  // Only a word can be read as `$NAME`; anything else is left alone rather than guessed at.
  if (!/^\w+$/.test(name)) return undefined;
  const text = (i: Instruction) => rawArgumentsText(i) ?? argumentsText(i) ?? '';
  // An ARG is in the environment of every later RUN of its stage (read by tools through .npmrc and
  // the like, not only as $NAME): each of them gets the secret, so the build sees what it saw.
  if (!stage || scope.some((i) => keyword(i) !== 'RUN' && readsVariable(text(i), name))) return undefined;
  const readers = scope.filter((i) => keyword(i) === 'RUN');
  const eol = detectEol(model.text);
  const id = name.toLowerCase().replace(/[^a-z0-9_.-]/g, '_');
  return {
    title: 'Pass it as a build secret (RUN --mount=type=secret)',
    applicability: 'unsafe',
    edits: () => {
      const edits: TextEdit[] = [];
      if (!/^#\s*syntax\s*=/im.test(model.text.split(/\r?\n/).slice(0, 5).join('\n')))
        edits.push({ start: 0, end: 0, newText: `# syntax=docker/dockerfile:1${eol}` });
      const range = arg.getRange();
      const start = model.lines.lineStart(range.start.line);
      const end = range.end.line + 1 < model.lines.lineCount ? model.lines.lineStart(range.end.line + 1) : model.text.length;
      edits.push({ start, end, newText: '' });
      for (const run of readers) {
        const at = model.span(run.getRange()).start + run.getKeyword().length;
        edits.push({ start: at, end: at, newText: ` --mount=type=secret,id=${id},env=${name}` });
      }
      return edits;
    },
  };
}
