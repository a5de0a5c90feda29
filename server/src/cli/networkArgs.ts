/** Arguments of `bulkhead connectivity` and `bulkhead netpol generate`. */
import { CONNECTIVITY_FORMATS, ConnectivityFormat } from '../reachability/format';

export type NetworkCommand =
  | { command: 'connectivity'; paths: string[]; format: ConnectivityFormat; focus?: string; ingressNamespace?: string }
  | { command: 'netpol-generate'; paths: string[]; out?: string; stats: boolean; ingressNamespace?: string; apiServerCidr?: string };

export const NETWORK_USAGE = `  bulkhead connectivity [PATH...] [--format text|json|md|csv|dot] [--focus-workload NAME]
  bulkhead netpol generate PATH... [--out FILE] [--stats]`;

export const NETWORK_OPTIONS_USAGE = `Connectivity and generation options:
  --ingress-namespace NS      namespace of the ingress controller (default: ingress-nginx)
  --api-server-cidr CIDR      where generated policies let API clients connect (default: 0.0.0.0/0 on 443 and 6443)`;

export function parseNetworkArgs(first: 'connectivity' | 'netpol', rest: readonly string[], fail: (message: string) => never): NetworkCommand {
  const args = [...rest];
  if (first === 'netpol') {
    const sub = args.shift();
    if (sub !== 'generate') fail(`"bulkhead netpol" needs a subcommand: generate${sub ? ` (got "${sub}")` : ''}`);
  }
  const paths: string[] = [];
  let format: string | undefined;
  let focus: string | undefined;
  let out: string | undefined;
  let stats = false;
  let ingressNamespace: string | undefined;
  let apiServerCidr: string | undefined;
  while (args.length) {
    const raw = args.shift()!;
    if (!raw.startsWith('-') || raw === '-') {
      paths.push(raw);
      continue;
    }
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? args.shift();
      if (!v) fail(`${flag} needs a value`);
      return v;
    };
    if (flag === '--format' && first === 'connectivity') format = value();
    else if (flag === '--focus-workload' && first === 'connectivity') focus = value();
    else if (flag === '--out' && first === 'netpol') out = value();
    else if (flag === '--stats' && first === 'netpol') stats = true;
    else if (flag === '--ingress-namespace') ingressNamespace = value();
    else if (flag === '--api-server-cidr' && first === 'netpol') apiServerCidr = value();
    else fail(`unknown option "${flag}"`);
  }
  if (first === 'connectivity') {
    const f = format ?? 'text';
    if (!(CONNECTIVITY_FORMATS as readonly string[]).includes(f)) fail(`--format must be one of ${CONNECTIVITY_FORMATS.join(', ')} (got "${f}")`);
    return { command: 'connectivity', paths: paths.length ? paths : ['.'], format: f as ConnectivityFormat, focus, ingressNamespace };
  }
  if (!paths.length) fail('"bulkhead netpol generate" needs a PATH');
  return { command: 'netpol-generate', paths, out, stats, ingressNamespace, apiServerCidr };
}
