import type { DockerfileRule, Fix } from '../../server/src/engine/rule';
import { exposedPorts, parsePort } from './expose';
import { keyword, shippedStages } from './shared';
import { runAfter, runBefore } from '../text';

const REMOTE_ACCESS: Record<number, string> = {
  22: 'SSH',
  23: 'Telnet',
  2375: 'the unencrypted Docker API',
  2376: 'the Docker API',
  3389: 'RDP',
  5900: 'VNC',
  5901: 'VNC',
  5985: 'WinRM',
  5986: 'WinRM',
};

export const dockerfileExposesRemoteAccessPort: DockerfileRule = {
  id: 'dockerfile-exposes-remote-access-port',
  language: 'dockerfile',
  title: 'Remote-access port exposed',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'The shipped image `EXPOSE`s a remote-administration port: SSH (22), Telnet (23), the Docker API (2375, ' +
    '2376), RDP (3389), VNC (5900, 5901) or WinRM (5985, 5986). Containers are not managed by logging in: an ' +
    'SSH or Telnet daemon is extra attack surface with its own credentials to leak, and an exposed Docker API ' +
    'is root on the host. Ranges that include these ports are flagged too; builder stages are not.',
  remediation:
    'Remove the port and the daemon behind it. Use `kubectl exec` / `docker exec` (or an ephemeral debug ' +
    'container) for interactive access; for the Docker API, use a remote builder with TLS and authorization.',
  references: ['trivy:DS-0004', 'checkov:CKV_DOCKER_1'],
  fixes: [{ title: 'Remove the port from EXPOSE', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://docs.docker.com/reference/dockerfile/#expose',
  check(ctx) {
    const model = ctx.dockerfile;
    for (const stage of shippedStages(model)) {
      for (const instr of stage.instructions) {
        if (keyword(instr) !== 'EXPOSE') continue;
        const ports = exposedPorts(model, instr);
        const flagged = ports.map((p) => {
          if (p.resolved === undefined) return undefined;
          const parsed = parsePort(p.resolved);
          if (typeof parsed === 'string') return undefined;
          const hits = Object.keys(REMOTE_ACCESS)
            .map(Number)
            .filter((n) => n >= parsed.start && n <= parsed.end);
          return hits.length ? hits : undefined;
        });
        const all = flagged.every((f) => f !== undefined);
        let lineFixGiven = false;
        ports.forEach((p, i) => {
          const hits = flagged[i];
          if (!hits) return;
          const span = ctx.spanOf(p.range);
          let fixes: Fix[] = [];
          if (all) {
            if (!lineFixGiven) {
              lineFixGiven = true;
              const range = instr.getRange();
              const start = model.lines.lineStart(range.start.line);
              const end = range.end.line + 1 < model.lines.lineCount ? model.lines.lineStart(range.end.line + 1) : model.text.length;
              fixes = [{ title: 'Remove the EXPOSE instruction', applicability: 'unsafe', edits: () => [{ start, end, newText: '' }] }];
            }
          } else {
            // Remove the argument and the blank before it (or after it, for the first).
            const before = runBefore(model.text, span.start, ' \t');
            const after = runAfter(model.text, span.end, ' \t');
            const edit = i === 0 ? { start: span.start, end: span.end + after } : { start: span.start - before, end: span.end };
            fixes = [{ title: 'Remove the port from EXPOSE', applicability: 'unsafe', edits: () => [{ ...edit, newText: '' }] }];
          }
          const single = hits.length === 1 && !/-/.test(p.resolved ?? '');
          const what = hits.map((n) => `${n} (${REMOTE_ACCESS[n]})`).join(', ');
          ctx.report({
            at: span,
            message: `${single ? `EXPOSE ${p.written} opens ${REMOTE_ACCESS[hits[0]]}, a remote-access port` : `EXPOSE ${p.written} includes remote-access ports ${what}`}. Containers are reached with exec, not by logging in: remove the port and its daemon.`,
            fixes,
          });
        });
      }
    }
  },
};
