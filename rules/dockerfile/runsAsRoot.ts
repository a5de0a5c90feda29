import type { DockerfileRule, TextEdit } from '../../server/src/engine/rule';
import { detectEol } from '../../server/src/text/lineIndex';
import { effectiveUser } from './finalUser';
import { canAppendInstruction, argumentsRange } from './shared';

const NON_ROOT_UID = '65532';

export const dockerfileRunsAsRoot: DockerfileRule = {
  id: 'dockerfile-runs-as-root',
  language: 'dockerfile',
  title: 'Image runs as root',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'The final stage of the Dockerfile, the image that ships, runs as root: its last `USER` is root, or it ' +
    'has no `USER` at all and the base image defaults to root. A compromised process then owns the whole ' +
    'container file system and is one kernel bug or one mounted socket away from the node. Builder stages ' +
    'are not checked: they are not the shipped image. Images whose entrypoint drops privileges with ' +
    '`gosu`, `su-exec` or `setpriv` (the official-image pattern) and base images that default to a ' +
    'non-root user (distroless `:nonroot`, Chainguard, Bitnami) are not flagged. Windows Server Core images ' +
    '(and .NET Framework, IIS and other images built on them) run as `ContainerAdministrator` unless a `USER` ' +
    'says otherwise and are flagged; Nano Server defaults to `ContainerUser` and is not.',
  remediation:
    'Add `USER <uid>` with a non-root numeric UID to the final stage, after the steps that need root. A ' +
    'numeric UID works even where the image has no `/etc/passwd` entry, and lets Kubernetes verify ' +
    '`runAsNonRoot`.',
  references: [
    'hadolint:DL3002',
    'trivy:DS-0002',
    'checkov:CKV_DOCKER_3',
    'checkov:CKV_DOCKER_8',
    'semgrep:last-user-is-root',
    'semgrep:missing-user',
    'dockerlinter:EU0001',
  ],
  fixes: [{ title: `Run as non-root UID ${NON_ROOT_UID} (ContainerUser on Windows)`, applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#user',
  defaultOptions: { nonRootBaseImages: [] as string[] },
  check(ctx) {
    const model = ctx.dockerfile;
    const final = model.finalStage;
    if (!final) return;
    const extra = (ctx.options.nonRootBaseImages as string[] | undefined) ?? [];
    const user = effectiveUser(model, final, extra);
    const eol = detectEol(model.text);
    if (user.kind === 'user') {
      if (user.root !== true || user.stage !== final) {
        if (user.root === true) {
          // Inherited from an earlier stage this one builds on: point at the FROM that inherits it.
          ctx.report({
            at: ctx.spanOf(final.from),
            message: `The final stage inherits USER ${user.value} from stage "${user.stage.name ?? user.stage.index}", so the image runs as root.`,
          });
        }
        return;
      }
      const args = argumentsRange(user.instruction);
      const windowsUser = /^ContainerAdministrator$/i.test(user.value.trim());
      ctx.report({
        at: ctx.spanOf(user.instruction),
        message: `The final stage's last USER is ${user.value}: the image runs as root.`,
        fixes: args
          ? [
              {
                title: windowsUser ? 'Run as ContainerUser' : `Run as non-root UID ${NON_ROOT_UID}`,
                // Files the process writes must then be writable by that UID.
                applicability: 'unsafe',
                edits: () => [{ ...ctx.spanOf(args), newText: windowsUser ? 'ContainerUser' : NON_ROOT_UID }],
              },
            ]
          : [],
      });
      return;
    }
    if (user.nonRootBase || user.windows || user.dropsPrivileges) return;
    // Windows has no UIDs: its built-in unprivileged account is ContainerUser.
    const nonRoot = user.windowsAdmin ? 'ContainerUser' : NON_ROOT_UID;
    // Before the first CMD/ENTRYPOINT, so the start command runs as the new user; else at the end.
    const startCmd = final.instructions.find((i) => /^(CMD|ENTRYPOINT)$/.test(i.getKeyword()));
    const insert = (): TextEdit[] => {
      if (startCmd) {
        const at = model.lines.lineStart(startCmd.getRange().start.line);
        return [{ start: at, end: at, newText: `USER ${nonRoot}${eol}` }];
      }
      const end = model.text.length;
      const needsBreak = end > 0 && !/[\r\n]$/.test(model.text);
      return [{ start: end, end, newText: `${needsBreak ? eol : ''}USER ${nonRoot}${eol}` }];
    };
    const image = final.baseImage ?? 'the base image';
    // A file that ends inside a line continuation or heredoc would swallow an appended USER.
    const endsInContinuation = !startCmd && !canAppendInstruction(model);
    const runsAs = user.windowsAdmin
      ? "ContainerAdministrator, the default of Windows Server Core images (Nano Server's is ContainerUser)"
      : image === 'scratch'
        ? 'UID 0'
        : "the base image's default user, root";
    const title = user.windowsAdmin ? 'Run as ContainerUser' : `Run as non-root UID ${NON_ROOT_UID}`;
    ctx.report({
      at: ctx.spanOf(final.from),
      message: `The final stage (FROM ${image}) never sets USER, so the image runs as ${runsAs}.`,
      fixes: endsInContinuation ? [] : [{ title, applicability: 'unsafe', edits: insert }],
    });
  },
};
