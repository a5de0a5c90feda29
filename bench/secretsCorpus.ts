/**
 * Secrets pack cost: the corpus linted with every rule, and with every rule but the secret rules
 * (the Kubernetes/kubeconfig/values/.env pack and the Dockerfile secret rules), in the same run,
 * alternating so machine drift hits both. The budget: at most 10 % more with them on.
 */
import { ALL_RULES } from '../rules';
import { SECRET_RULES, SECRET_TEXT_RULES } from '../rules/kubernetes/secrets';
import { ResolvedConfig } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/engine';
import { WorkspaceIndex } from '../server/src/engine/workspaceIndex';
import { classify, isLintable } from '../server/src/documents/classify';
import { chartDetector, readForLint, walk } from '../server/src/node/files';

const DOCKERFILE_SECRET_RULES = [
  'dockerfile-secret-in-arg-env',
  'dockerfile-hardcoded-token',
  'dockerfile-copy-secret-file',
  'dockerfile-secret-in-run',
  'dockerfile-secret-in-label',
];

export function secretsCorpusBench(corpus: string): void {
  const isInChart = chartDetector();
  const files: { path: string; text: string }[] = [];
  for (const file of walk(corpus)) {
    const read = readForLint(file);
    if (!read.ok || read.decoded.kind !== 'text') continue;
    if (isLintable(classify(file, read.decoded.text, isInChart))) files.push({ path: file, text: read.decoded.text });
  }
  const secretIds = new Set<string>([...SECRET_RULES, ...SECRET_TEXT_RULES].map((r) => r.id).concat(DOCKERFILE_SECRET_RULES));
  const rulesOff = Object.fromEntries([...secretIds].map((id) => [id, 'off' as const]));
  const withSecrets = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
  const without = new Engine(new ResolvedConfig(ALL_RULES, { rules: rulesOff }, 'all'));
  // Wall time, and this process's CPU time: on a shared machine other processes stretch the wall
  // time of either pass at random, while the CPU time counts only the work of this one.
  const run = (engine: Engine): { ms: number; cpuMs: number; secretFindings: number } => {
    const index = new WorkspaceIndex();
    let found = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (const f of files) found += engine.lint(f.path, f.text, { index, isInChart }).findings.filter((x) => secretIds.has(x.ruleId)).length;
    const cpu = process.cpuUsage(c0);
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000, secretFindings: found };
  };
  run(withSecrets);
  run(without); // warm-up
  const on: { ms: number; cpuMs: number }[] = [];
  const off: { ms: number; cpuMs: number }[] = [];
  let findings = 0;
  const ROUNDS = 7;
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      const a = run(withSecrets);
      on.push(a);
      findings = a.secretFindings;
      off.push(run(without));
    } else {
      off.push(run(without));
      on.push(run(withSecrets));
    }
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const wallOn = med(on.map((r) => r.ms));
  const wallOff = med(off.map((r) => r.ms));
  const cpuOn = med(on.map((r) => r.cpuMs));
  const cpuOff = med(off.map((r) => r.cpuMs));
  console.log(`\nSecrets pack over the corpus (${files.length} files, profile all, ${findings} secret findings):`);
  console.log(
    `  with the secret rules ${cpuOn.toFixed(0)} ms CPU, without ${cpuOff.toFixed(0)} ms CPU (medians of ${ROUNDS}): ${(cpuOn / cpuOff).toFixed(3)}x (budget 1.10x)`,
  );
  console.log(`  wall time, same rounds: ${wallOn.toFixed(0)} ms vs ${wallOff.toFixed(0)} ms: ${(wallOn / wallOff).toFixed(3)}x (noisier on a shared machine)`);
}
