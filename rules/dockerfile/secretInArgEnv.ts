import type { Instruction } from 'dockerfile-ast';
import type { DockerfileRule } from '../../server/src/engine/rule';
import type { Range } from '../../server/src/text/lineIndex';
import { harmlessValue, secretNameToken } from './secrets';
import { keyword, unquote } from './shared';

interface PropertyLike {
  getName(): string;
  getNameRange(): Range;
  getRange(): Range;
  getValue(): string | null;
}

export function propertiesOf(instr: Instruction): PropertyLike[] {
  return (instr as unknown as { getProperties?: () => PropertyLike[] }).getProperties?.() ?? [];
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
    'builder stages included. Names that hold a secret\'s location or metadata rather than the secret ' +
    '(`TOKEN_URL`, `PASSWORD_FILE`, `SECRET_NAME`, `AWS_ACCESS_KEY_ID`, `GPG_KEY`, `*_PATH`, `*_DIR`, ' +
    '`*_HOST`) and values that are booleans, numbers or file paths are not flagged.',
  remediation:
    'Pass the secret as a BuildKit secret and read it only in the `RUN` that needs it: ' +
    '`RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` with `docker build --secret id=npm_token,env=NPM_TOKEN`. ' +
    'For runtime secrets, inject them when the container starts (Kubernetes Secret, orchestrator secret store), ' +
    'never in the image.',
  references: ['buildkit:SecretsUsedInArgOrEnv', 'hadolint:DL3064', 'trivy:DS031', 'semgrep:secret-in-build-arg'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/secrets/',
  check(ctx) {
    const model = ctx.dockerfile;
    const instructions = [...model.preamble, ...model.stages.flatMap((s) => s.instructions)];
    for (const instr of instructions) {
      const kw = keyword(instr);
      if (kw !== 'ARG' && kw !== 'ENV') continue;
      for (const prop of propertiesOf(instr)) {
        const name = prop.getName();
        const token = secretNameToken(name);
        if (!token) continue;
        const raw = prop.getValue();
        const value = raw === null ? null : unquote(raw);
        if (value !== null && harmlessValue(value)) continue;
        if (kw === 'ENV' && value === null) continue;
        const what = kw === 'ARG' ? 'a build argument' : 'an environment variable';
        const where = kw === 'ARG' ? 'recorded in the image history and build cache' : 'stored in the image configuration';
        ctx.report({
          at: ctx.spanOf(prop.getNameRange()),
          message: `${kw} ${name} looks like a credential: ${what} is ${where}. Use RUN --mount=type=secret,id=${name.toLowerCase()} in the step that needs it instead.`,
        });
      }
    }
  },
};
