import { isMap } from 'yaml';
import type { Node } from 'yaml';
import { findPair, getSeq, scalarValue, seqItems } from '../../../../server/src/documents/yamlNodes';
import type { KubernetesRule } from '../../../../server/src/engine/rule';
import { toPort, valueNode } from './common';
import { REMOTE_ACCESS, nameService } from './ports';

export const containerRemoteAccessPort: KubernetesRule = {
  id: 'container-remote-access-port',
  language: 'kubernetes',
  title: 'Container declares a remote-access port',
  category: 'network',
  severity: 'warning',
  description:
    'A container declares a remote-administration port: SSH (22, or 2222), Telnet (23), the Docker API (2375, 2376), RDP ' +
    '(3389), VNC (5900, 5901) or WinRM (5985, 5986), or a port named `ssh`, `telnet`, `rdp`, `vnc` or `winrm`. ' +
    'Containers are managed with `kubectl exec`, not by logging in: a daemon in the pod is one more set of ' +
    'credentials to leak and one more service to attack, and an exposed Docker API is root on the node. With a ' +
    '`hostPort` (see `host-port`) or a Service (see `service-exposes-admin-port`) it is reachable from further ' +
    'away.',
  remediation: 'Remove the daemon and its port; use `kubectl exec` or an ephemeral debug container for interactive access.',
  references: ['kube-linter:ssh-port'],
  fixes: [],
  recommended: true,
  docsUrl: 'https://kubernetes.io/docs/tasks/debug/debug-application/get-shell-running-container/',
  kinds: 'workloads',
  check(ctx) {
    const doc = ctx.object.doc;
    for (const c of ctx.object.podSpec()?.containers() ?? []) {
      for (const port of seqItems(getSeq(c.node, 'ports', doc), doc)) {
        if (!isMap(port)) continue;
        const pair = findPair(port, 'containerPort', doc);
        const n = pair ? toPort(scalarValue(pair.value, doc)) : undefined;
        const namePair = findPair(port, 'name', doc);
        const name = namePair ? scalarValue(namePair.value, doc) : undefined;
        const byName = typeof name === 'string' ? nameService(name) : undefined;
        let at: Node | undefined;
        let what: string | undefined;
        if (pair && typeof n === 'number' && REMOTE_ACCESS[n]) {
          at = valueNode(pair);
          what = `${REMOTE_ACCESS[n]} (port ${n})`;
        } else if (namePair && byName?.kind === 'remote') {
          at = valueNode(namePair);
          what = `${byName.what} (port "${String(name)}")`;
        }
        if (at && what) ctx.report({ at, message: `${c.label} of ${ctx.object.label} declares ${what}, a remote-access port.` });
      }
    }
  },
};
