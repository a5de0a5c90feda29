import type { DockerfileRule } from '../../server/src/engine/rule';
import { findTokens } from '../../server/src/secrets';

export const dockerfileHardcodedToken: DockerfileRule = {
  id: 'dockerfile-hardcoded-token',
  language: 'dockerfile',
  title: 'Credential written in the Dockerfile',
  category: 'dockerfile',
  severity: 'error',
  description:
    'The Dockerfile contains a literal credential in a well-known format: an AWS access key ID (`AKIA…`), a ' +
    'GitHub token (`ghp_…`, `github_pat_…`), a GitLab token (`glpat-…`), a Slack token (`xoxb-…`), a Stripe ' +
    'live key (`sk_live_…`), an npm, PyPI, Docker Hub, Hugging Face, Google, OpenAI or Anthropic key, or a ' +
    'PEM private key. It is in the source repository, in the image history or configuration and in the build ' +
    'cache, of builder stages too. Treat it as leaked.',
  remediation:
    'Revoke and rotate the credential now. Then pass it at build time with `RUN --mount=type=secret,id=…` ' +
    '(`docker build --secret id=…,src=…`) or inject it at run time; never write it in the Dockerfile.',
  references: ['trivy:DS-0031', 'kics:secrets-stored-in-dockerfile'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/secrets/',
  check(ctx) {
    const model = ctx.dockerfile;
    for (const instr of model.instructions()) {
      const { start, end } = ctx.spanOf(instr);
      const text = model.text.slice(start, end);
      for (const hit of findTokens(text)) {
        ctx.report({
          at: { start: start + hit.index, end: start + hit.index + hit.length },
          message: `${hit.name[0].toUpperCase()}${hit.name.slice(1)} written in the Dockerfile: it ships in the image history and the repository. Revoke it and pass it with RUN --mount=type=secret instead.`,
        });
      }
    }
  },
};
