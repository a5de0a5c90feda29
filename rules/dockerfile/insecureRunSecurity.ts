import type { DockerfileRule } from '../../server/src/engine/rule';
import { flagsOf, keyword, stageInstructionList } from './shared';

export const dockerfileInsecureRunSecurity: DockerfileRule = {
  id: 'dockerfile-insecure-run-security',
  language: 'dockerfile',
  title: 'RUN --security=insecure',
  category: 'dockerfile',
  severity: 'error',
  description:
    '`RUN --security=insecure` runs the step without the build sandbox, like `docker run --privileged`: it ' +
    "sees the host's devices and has every capability, so a malicious dependency or script in that step can " +
    'take over the build host or CI runner. It needs the `security.insecure` entitlement, which should stay off ' +
    'on shared builders. Every stage is checked.',
  remediation:
    'Remove the flag and find the specific need: a `--mount=type=cache` or `tmpfs` mount, building the kernel ' +
    'module or loop device outside `docker build`, or a dedicated isolated builder.',
  references: [],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#run---security',
  check(ctx) {
    for (const instr of stageInstructionList(ctx.dockerfile)) {
      if (keyword(instr) !== 'RUN') continue;
      for (const flag of flagsOf(instr)) {
        if (flag.name === 'security' && flag.value === 'insecure') {
          ctx.report({
            at: ctx.spanOf(flag.range),
            message: 'RUN --security=insecure runs this step without the build sandbox, with full privileges on the builder.',
          });
        }
      }
    }
  },
};
