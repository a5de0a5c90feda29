/**
 * A final USER given by name: Kubernetes cannot verify `runAsNonRoot` against a name, so a pod that
 * asks for it without a `runAsUser` is refused. Linked to the workloads that run the image (see
 * exposeOnlyPort for how a Dockerfile finds its images), so the message can name the pod.
 */
import * as pathLib from 'node:path';
import type { Node } from 'yaml';
import type { DockerfileRule, RelatedLocation } from '../../server/src/engine/rule';
import { spanOf } from '../../server/src/documents/yamlNodes';
import type { DockerfileModel, Stage } from '../../server/src/documents/dockerfile';
import { effectiveValue } from '../kubernetes/pss/common';
import { effectiveUser } from './finalUser';
import { imageKeys, imagesBuiltBy, nearby, objectsRunning } from './exposeOnlyPort';
import { runScripts, argumentsRange, commandsOf } from './shared';

/** Windows account names: Windows pods do not use runAsNonRoot. */
const WINDOWS_USERS = /^(?:ContainerUser|ContainerAdministrator)$/i;

/** The UID a RUN of the stage chain gives `name` (`useradd -u 10001 app`, `adduser -D -u 10001 app`). */
function uidCreatedFor(model: DockerfileModel, stage: Stage, name: string): string | undefined {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage, hops = 0; s && hops < 64; s = s.parent, hops++) chain.push(s);
  for (const { script } of runScripts(model, chain)) {
    if (!script.text.includes(name) || (!script.text.includes('useradd') && !script.text.includes('adduser'))) continue;
    for (const cmd of commandsOf(script)) {
      const ws = cmd.words.map((w) => w.value);
      const p = cmd.program;
      if (!/^(?:useradd|adduser)$/.test(ws[p] ?? '') || ws[ws.length - 1] !== name) continue;
      for (let k = p + 1; k < ws.length - 1; k++) {
        const uid = ws[k] === '-u' || ws[k] === '--uid' ? ws[k + 1] : ws[k].startsWith('--uid=') ? ws[k].slice(6) : undefined;
        if (uid !== undefined && /^\d+$/.test(uid)) return uid;
      }
    }
  }
  return undefined;
}

export const dockerfileNonNumericUser: DockerfileRule = {
  id: 'dockerfile-non-numeric-user',
  language: 'dockerfile',
  title: 'Final USER is a name, not a UID',
  category: 'dockerfile',
  severity: 'info',
  description:
    'The shipped image runs as a user given by name (`USER app`). Kubernetes checks `runAsNonRoot: true` against ' +
    "the image's user before starting the container, and a name cannot be checked: the kubelet refuses the " +
    'container ("image has non-numeric user, cannot verify user is non-root") unless the pod also sets ' +
    '`runAsUser`. When the workspace holds a workload that runs this image with `runAsNonRoot: true` and no ' +
    '`runAsUser`, the message names it. Windows account names are not flagged.',
  remediation: 'Use the numeric UID: `USER 10001` (create the user with that UID: `useradd -u 10001 app`).',
  references: ['hadolint:DL3066'],
  fixes: [{ title: 'Use the numeric UID', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  scope: 'workspace',
  reads: ['Config', 'workloads'],
  check(ctx) {
    const model = ctx.dockerfile;
    const final = model.finalStage;
    if (!final) return;
    const user = effectiveUser(model, final);
    if (user.kind !== 'user' || user.root !== false) return;
    const name = user.value.split(':')[0].trim();
    if (name === '' || /^\d+$/.test(name) || name.includes('$') || WINDOWS_USERS.test(name)) return;
    // Workloads that run this image, ask for runAsNonRoot and do not say which UID.
    const { names, guessed } = imagesBuiltBy(ctx);
    const refused: { label: string; file: string; related: RelatedLocation }[] = [];
    const objects = ctx.workspace.objects();
    for (const i of objectsRunning(objects, names)) {
      const { path, documentStart, object } = objects[i];
      const pod = object.podSpec();
      if (!pod || (guessed && !nearby(ctx.filePath, path))) continue;
      for (const c of pod.containers(['containers', 'initContainers'])) {
        if (!c.image) continue;
        const keys = imageKeys(c.image);
        if (!names.has(keys.full) && !names.has(keys.last)) continue;
        const nonRoot = effectiveValue(c, pod, 'runAsNonRoot', object.doc);
        if (nonRoot.value !== true || typeof effectiveValue(c, pod, 'runAsUser', object.doc).value === 'number') continue;
        const span = spanOf(nonRoot.pair ?? (object.anchor as Node)) ?? { start: 0, end: 0 };
        refused.push({
          label: `${c.label} of ${object.label}`,
          file: pathLib.basename(path),
          related: {
            path,
            start: documentStart + span.start,
            end: documentStart + span.end,
            message: `${c.label} of ${object.label} sets runAsNonRoot: true without runAsUser`,
          },
        });
      }
    }
    const uid = uidCreatedFor(model, user.stage, name);
    const args = argumentsRange(user.instruction);
    const inherited = user.stage !== final ? ` (set in stage "${user.stage.name ?? user.stage.index}")` : '';
    const consequence = refused.length
      ? `${refused[0].label} (${refused[0].file})${refused.length > 1 ? ` and ${refused.length - 1} more` : ''} sets runAsNonRoot: true without runAsUser, so the kubelet will refuse to start it ("image has non-numeric user")`
      : 'a pod with runAsNonRoot: true and no runAsUser is refused, because the kubelet cannot verify a name is not root';
    ctx.report({
      at: ctx.spanOf(user.instruction),
      message: `The image runs as USER ${name}${inherited}, a name: ${consequence}. Use the numeric UID${uid ? ` (USER ${uid})` : ''}.`,
      related: refused.slice(0, 5).map((r) => r.related),
      fixes:
        uid && args && user.stage === final
          ? [
              {
                title: `Use the numeric UID ${uid}`,
                applicability: 'unsafe',
                edits: () => [{ ...ctx.spanOf(args), newText: user.value.trim().replace(name, uid) }],
              },
            ]
          : [],
    });
  },
};
