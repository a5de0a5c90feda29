import type { DockerfileRule, DockerfileRuleContext } from '../../server/src/engine/rule';
import type { DockerfileModel } from '../../server/src/documents/dockerfile';
import { findTokens, hasMarkIn, tokenMarks, urlPasswordMayFollow } from '../../server/src/secrets';
import type { TokenMarks } from '../../server/src/secrets';
import { MemoSlot } from '../../server/src/documents/memo';

/** tokenMarks of a file's text, found once per model (an instruction is never scanned for hints again). */
const fileMarks = new MemoSlot<DockerfileModel, TokenMarks>();

/**
 * Where the file may hold a token (tokenMarks of its text): a range with no mark holds none.
 * hardcoded-token asks it of each instruction, secret-in-run of each RUN and each value in it.
 */
export function fileTokenMarks(model: DockerfileModel): TokenMarks {
  let marks = fileMarks.get(model);
  if (!marks) fileMarks.set(model, (marks = tokenMarks(model.text)));
  return marks;
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
    const marks = fileTokenMarks(model);
    const { hints } = marks;
    // A `://` can start a URL with a password only where `user:password@` follows it (see
    // urlPasswordMayFollow): most (download URLs) cannot, and an instruction with no other mark holds
    // no token (findTokens would search it for URLs only, and find none).
    const urls = marks.urls.filter((at) => urlPasswordMayFollow(model.text, at));
    // Most files hold no hint of a token format, and a quarter of them not even a URL. Only the
    // instructions that hold a mark are read: they are found from the marks, in order, by line.
    if (hints.length === 0 && urls.length === 0) return;
    const all = hints.length === 0 ? urls : urls.length === 0 ? hints : hints.concat(urls).sort((a, b) => a - b);
    const instructions = model.instructions();
    let i = 0;
    for (let k = 0; k < all.length && i < instructions.length; ) {
      // Instructions that end on a line before the next mark's hold neither it nor a later mark.
      const line = model.lines.positionAt(all[k]).line;
      while (i < instructions.length && instructions[i].getRange().end.line < line) i++;
      if (i === instructions.length) break;
      const { start, end } = ctx.spanOf(instructions[i]);
      while (k < all.length && all[k] < start) k++; // between instructions (in comments)
      if (k < all.length && all[k] < end) report(ctx, start, end, hasMarkIn(hints, start, end));
      while (k < all.length && all[k] < end) k++;
      i++;
    }
  },
};

/** Reports the tokens in an instruction (at [start, end) of the file); `hinted`: whether a hint mark is in it. */
function report(ctx: DockerfileRuleContext, start: number, end: number, hinted: boolean): void {
  const text = ctx.dockerfile.text.slice(start, end);
  // A hint mark may stick out of the instruction: then findTokens looks for the hint itself.
  for (const hit of findTokens(text, hinted ? undefined : false)) {
    ctx.report({
      at: { start: start + hit.index, end: start + hit.index + hit.length },
      message: `${hit.name[0].toUpperCase()}${hit.name.slice(1)} written in the Dockerfile: it ships in the image history and the repository. Revoke it and pass it with RUN --mount=type=secret instead.`,
    });
  }
}
