import type { DockerfileRule } from '../../server/src/engine/rule';
import { keyword, pathArguments, shippedStages } from './shared';

const SOCKETS = /^(?:\/var)?\/run\/(?:docker|containerd\/containerd|crio\/crio|podman\/podman|buildkit\/buildkitd)\.sock\/?$/;

export const dockerfileDockerSocketVolume: DockerfileRule = {
  id: 'dockerfile-docker-socket-volume',
  language: 'dockerfile',
  title: 'Container runtime socket declared as a volume',
  category: 'dockerfile',
  severity: 'error',
  description:
    '`VOLUME /var/run/docker.sock` (or the containerd, CRI-O, Podman or BuildKit socket) tells users to mount ' +
    "the host's container runtime socket into the container. Whoever can talk to that socket can start a " +
    "privileged container with the host's root file system mounted: it is root on the host.",
  remediation:
    'Remove the `VOLUME`. If the workload really has to build or run containers, use a rootless or remote ' +
    'builder (BuildKit rootless, Kaniko, a remote Docker endpoint with TLS and authorization) instead of the ' +
    'host socket.',
  references: ['semgrep:dockerfile-dockerd-socket-mount'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
  check(ctx) {
    for (const stage of shippedStages(ctx.dockerfile)) {
      for (const instr of stage.instructions) {
        if (keyword(instr) !== 'VOLUME') continue;
        const args = pathArguments(instr);
        for (const a of args.length ? args : []) {
          if (!SOCKETS.test(a.value)) continue;
          ctx.report({
            at: ctx.spanOf(a.range),
            message: `VOLUME ${a.value} invites mounting the host's container runtime socket, which gives root on the host.`,
          });
        }
      }
    }
  },
};
