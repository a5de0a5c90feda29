import * as pathLib from 'node:path';
import type { DockerfileRule } from '../../server/src/engine/rule';
import { keyword, unquote, argumentsRange, argumentsText } from './shared';

/** Kernel and boot folders: the runtime mounts over them (or they hold the node's boot files). */
const SYSTEM_DIRS = /^\/(?:proc|sys|dev|boot|initrd|lost\+found)(?:\/|$)/;

export const dockerfileWorkdirSystemDirectory: DockerfileRule = {
  id: 'dockerfile-workdir-system-directory',
  language: 'dockerfile',
  title: 'WORKDIR in a kernel or boot folder',
  category: 'dockerfile',
  severity: 'warning',
  description:
    '`WORKDIR /proc/...`, `/sys`, `/dev`, `/boot`, `/initrd` or `/lost+found`: at run time the container runtime ' +
    'mounts procfs, sysfs and a device tree over the first three, so files the build put there vanish and the ' +
    'program works inside kernel interfaces (a relative write can reach a kernel setting, or a device). ' +
    "Relative WORKDIRs are resolved against the stage's earlier ones.",
  remediation: 'Use an application folder such as `/app` or `/srv/<name>`.',
  references: ['trivy:DS-0030'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#workdir',
  check(ctx) {
    for (const stage of ctx.dockerfile.stages) {
      // Unknown until an absolute WORKDIR: the base image's is not known here.
      let current: string | undefined;
      for (const instr of stage.instructions) {
        if (keyword(instr) !== 'WORKDIR') continue;
        const range = argumentsRange(instr);
        const written = unquote((argumentsText(instr) ?? '').trim());
        if (!range || written === '' || written.includes('$')) {
          current = undefined;
          continue;
        }
        const path = written.startsWith('/') ? pathLib.posix.normalize(written) : current && pathLib.posix.join(current, written);
        current = path;
        if (path && SYSTEM_DIRS.test(path)) {
          ctx.report({
            at: ctx.spanOf(range),
            message: `WORKDIR ${written} is ${path}, inside ${path.split('/')[1] === 'boot' || path.split('/')[1] === 'initrd' || path.split('/')[1] === 'lost+found' ? 'a boot or file-system folder' : 'a kernel file system the runtime mounts over'}: use an application folder such as /app.`,
          });
        }
      }
    }
  },
};
