/**
 * Credentials typed into a RUN command line or a LABEL: both are stored in the image (the history
 * keeps every RUN line, the config every label) and in the repository. Known token formats anywhere
 * are `dockerfile-hardcoded-token`'s; these rules read names and flags.
 */
import type { DockerfileRule } from '../../server/src/engine/rule';
import { judgeByName, judgeValue, redact, secretsInShellString } from '../../server/src/secrets';
import { fileTokenMarks } from './hardcodedToken';
import { propertiesOf } from './secretInArgEnv';
import { keyword, unquote } from './shared';

export const dockerfileSecretInRun: DockerfileRule = {
  id: 'dockerfile-secret-in-run',
  language: 'dockerfile',
  title: 'Credential on a RUN command line',
  category: 'dockerfile',
  severity: 'error',
  description:
    'A `RUN` passes a credential literally: `--password x`, `--token=x`, `PASSWORD=x make`, `curl -u user:pass`, ' +
    '`mysql -pSECRET`, `sshpass -p x`, `docker login -p x`. Every RUN line is kept in the image history ' +
    '(`docker history --no-trunc`) and in the build cache, of builder stages too. Variables (`$TOKEN`), ' +
    'secrets read from `/run/secrets` and placeholders are not reported; known token formats are ' +
    "`dockerfile-hardcoded-token`'s.",
  remediation:
    'Revoke the credential and pass it as a build secret: `RUN --mount=type=secret,id=db,env=DB_PASSWORD ./migrate` ' +
    'with `docker build --secret id=db,env=DB_PASSWORD`.',
  references: ['trivy:DS-0031'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/secrets/',
  check(ctx) {
    for (const instr of ctx.dockerfile.instructions()) {
      if (keyword(instr) !== 'RUN') continue;
      const span = ctx.spanOf(instr);
      // The command line only, after the keyword: `mysql` must be the first word of its command.
      const start = span.start + instr.getKeyword().length;
      const text = ctx.dockerfile.text.slice(start, span.end);
      // Names only: a hit judged by format is hardcoded-token's, and skipped here.
      for (const hit of secretsInShellString(text, fileTokenMarks(ctx.dockerfile), start, true)) {
        if (hit.verdict.reason !== 'name') continue;
        ctx.report({
          at: { start: start + hit.from, end: start + hit.to },
          message: `RUN passes ${hit.flag} a literal ${hit.verdict.what} ${redact(text.slice(hit.from, hit.to))}: RUN lines are kept in the image history and build cache. Pass it with RUN --mount=type=secret instead.`,
        });
      }
    }
  },
};

export const dockerfileSecretInLabel: DockerfileRule = {
  id: 'dockerfile-secret-in-label',
  language: 'dockerfile',
  title: 'Credential in a LABEL',
  category: 'dockerfile',
  severity: 'error',
  description:
    'A `LABEL` named like a credential (`api-token`, `deploy.password`) holds a real-looking value. Labels are ' +
    'image metadata: registries, scanners and `docker inspect` show them to anyone who can pull the image.',
  remediation: 'Revoke the credential and remove the label; labels are for public metadata only.',
  references: ['trivy:DS-0031'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#label',
  check(ctx) {
    for (const instr of ctx.dockerfile.instructions()) {
      if (keyword(instr) !== 'LABEL') continue;
      for (const prop of propertiesOf(instr)) {
        const raw = prop.getValue();
        if (raw === null) continue;
        const value = unquote(raw);
        // Only a verdict by name is reported, and judgeNamedValue gives one exactly when the value
        // holds no token (judgeValue, whose verdicts are all by format, finds none) and judgeByName
        // gives one. So the name is judged first: most label names (`maintainer`, `version`) hold no
        // credential word and are rejected at once, and their values are not searched for tokens.
        const verdict = judgeByName(prop.getName(), value);
        if (!verdict || judgeValue(value)) continue;
        ctx.report({
          at: ctx.spanOf(prop.getRange()),
          message: `LABEL ${prop.getName()} holds a ${verdict.what} ${redact(value)}: labels are public image metadata. Remove it and revoke the credential.`,
        });
      }
    }
  },
};
