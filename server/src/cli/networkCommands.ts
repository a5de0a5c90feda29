/** `bulkhead connectivity` and `bulkhead netpol generate`: load the paths, run the pure engine and generator, print. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadNetworkWorkspace } from '../node/networkWorkspace';
import { endpointName } from '../reachability/engine';
import { formatConnections } from '../reachability/format';
import { generatePolicies } from '../reachability/generate';
import { reachabilityOf } from '../reachability/workspace';
import type { Workload } from '../reachability/network';
import type { NetworkCommand } from './networkArgs';
import type { Io } from './main';
import { escapeControl } from './format/common';

/** Whether `--focus-workload` names this workload: `name`, `namespace/name` or the full `namespace/name[Kind]`. */
export function focusMatcher(focus: string): (w: Workload) => boolean {
  return (w) => {
    const full = endpointName({ type: 'workload', workload: w });
    return focus === w.name || focus === full || focus === full.slice(0, full.indexOf('['));
  };
}

export function runNetworkCommand(cmd: NetworkCommand, io: Io): number {
  const loaded = loadNetworkWorkspace(cmd.paths, io.cwd);
  for (const m of loaded.missing) io.stderr(`bulkhead: no such file or folder: ${escapeControl(m)}\n`);
  if (loaded.missing.length) return 2;
  const options = { ingressControllerNamespace: cmd.ingressNamespace, namespaceOf: loaded.namespaceOf };
  if (cmd.command === 'connectivity') {
    const engine = reachabilityOf(loaded.index, options);
    const focus = cmd.focus ? focusMatcher(cmd.focus) : undefined;
    if (focus && !engine.snapshot.workloads.some(focus)) {
      io.stderr(`bulkhead: no workload named "${escapeControl(cmd.focus!)}" in ${escapeControl(cmd.paths.join(' '))}\n`);
      return 2;
    }
    io.stdout(formatConnections(engine.connections(focus), cmd.format));
    for (const ns of engine.openNamespaces()) {
      io.stderr(
        `note: namespace ${ns || 'default (objects without metadata.namespace)'} has no NetworkPolicy: its workloads are reachable from everything and reach everything\n`,
      );
    }
    for (const w of engine.snapshot.hostNetwork)
      io.stderr(
        `note: ${escapeControl(`${w.namespace || 'default'}/${w.name}[${w.kind}]`)} uses hostNetwork: NetworkPolicies do not apply to it, so it is not listed\n`,
      );
    return 0;
  }
  const result = generatePolicies(loaded.index, { ...options, apiServerCidr: cmd.apiServerCidr, chartOf: loaded.chartOf });
  if (cmd.out) {
    const out = path.resolve(io.cwd, cmd.out);
    fs.writeFileSync(out, result.yaml);
    io.stderr(`wrote ${result.policies} NetworkPolicies to ${escapeControl(cmd.out)}\n`);
  } else io.stdout(result.yaml);
  for (const u of result.unresolved) io.stderr(`unresolved: ${escapeControl(u)}\n`);
  if (!result.verification.ok) for (const p of result.verification.problems) io.stderr(`verification: ${escapeControl(p)}\n`);
  if (cmd.stats) {
    const { before, after } = result.stats;
    const reduction = before ? ((before - after) / before) * 100 : 0;
    io.stderr(
      `pod-to-pod connections: ${before} before, ${after} after (${reduction.toFixed(2)} % fewer); ${result.intents} intents, all allowed: ${result.verification.ok ? 'yes' : 'NO'}\n`,
    );
  }
  return result.verification.ok ? 0 : 1;
}
