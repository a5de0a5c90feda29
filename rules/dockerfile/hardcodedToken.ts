import type { DockerfileRule } from '../../server/src/engine/rule';
import type { DockerfileModel } from '../../server/src/documents/dockerfile';
import { findTokens, hasCandidateIn, tokenCandidates } from '../../server/src/secrets';

/** Candidates by model: found in one pass over the file, read by this rule and dockerfile-secret-in-run. */
const candidatesByModel = new WeakMap<DockerfileModel, readonly number[]>();

/** Where in the file a token can be (tokenCandidates of its text): nowhere in most files. */
export function tokenCandidatesOf(model: DockerfileModel): readonly number[] {
  let candidates = candidatesByModel.get(model);
  if (!candidates) {
    candidates = tokenCandidates(model.text);
    candidatesByModel.set(model, candidates);
  }
  return candidates;
}

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
    // Only an instruction with a hint or a `://` in it can hold a token: most files have none at all.
    const candidates = tokenCandidatesOf(model);
    if (candidates.length === 0) return;
    for (const instr of model.instructions()) {
      const { start, end } = ctx.spanOf(instr);
      if (!hasCandidateIn(candidates, start, end)) continue;
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
