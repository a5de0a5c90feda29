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
  const run = (engine: Engine): { ms: number; secretFindings: number } => {
    const index = new WorkspaceIndex();
    let found = 0;
    const t0 = process.hrtime.bigint();
    for (const f of files) found += engine.lint(f.path, f.text, { index, isInChart }).findings.filter((x) => secretIds.has(x.ruleId)).length;
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, secretFindings: found };
  };
  run(withSecrets);
  run(without); // warm-up
  const on: number[] = [];
  const off: number[] = [];
  let findings = 0;
  for (let round = 0; round < 5; round++) {
    if (round % 2 === 0) {
      const a = run(withSecrets);
      on.push(a.ms);
      findings = a.secretFindings;
      off.push(run(without).ms);
    } else {
      off.push(run(without).ms);
      on.push(run(withSecrets).ms);
    }
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const ratio = med(on) / med(off);
  console.log(`\nSecrets pack over the corpus (${files.length} files, profile all, ${findings} secret findings):`);
  console.log(`  with the secret rules ${med(on).toFixed(0)} ms, without ${med(off).toFixed(0)} ms (medians of 5): ${ratio.toFixed(3)}x (budget 1.10x)`);
}
