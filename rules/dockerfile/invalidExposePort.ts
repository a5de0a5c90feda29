import type { DockerfileRule } from '../../server/src/engine/rule';
import { exposedPorts, parsePort } from './expose';
import { keyword, stageInstructionList } from './shared';

export const dockerfileInvalidExposePort: DockerfileRule = {
  id: 'dockerfile-invalid-expose-port',
  language: 'dockerfile',
  title: 'Invalid EXPOSE port',
  category: 'dockerfile',
  severity: 'error',
  description:
    'An `EXPOSE` argument is not a valid container port: outside 0-65535, a range that ends before it starts, ' +
    'an unknown protocol, or a `host:container` mapping (EXPOSE cannot publish ports). The build fails or the ' +
    'metadata is wrong. Variables without a known value are not checked.',
  remediation: 'Use `EXPOSE <port>[/tcp|/udp|/sctp]` or a range `8000-8010`; publish host ports with `docker run -p` or a Kubernetes Service.',
  references: ['hadolint:DL3011', 'trivy:DS-0008', 'semgrep:invalid-port', 'buildkit:ExposeInvalidFormat', 'dockerlinter:EE0001'],
  fixes: [],
  recommended: false,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#expose',
  check(ctx) {
    const model = ctx.dockerfile;
    for (const instr of stageInstructionList(model)) {
      if (keyword(instr) !== 'EXPOSE') continue;
      for (const p of exposedPorts(model, instr)) {
        if (p.resolved === undefined) continue;
        const parsed = parsePort(p.resolved);
        if (typeof parsed !== 'string') continue;
        const shown = p.resolved !== p.written ? `${p.written} (= ${p.resolved})` : p.written;
        ctx.report({ at: ctx.spanOf(p.range), message: `EXPOSE ${shown} is invalid: ${parsed}.` });
      }
    }
  },
};
