/**
 * Helm charts of the corpus: rendering every template of every chart in-process (the defaults, as
 * the CLI and the editor lint templates), linting each chart's values.yaml (which renders the whole
 * chart again, with origins), kube-prometheus-stack alone, and a keystroke in one template. Beside
 * it, when a helm binary is at hand (HELM, or the one .ci/fetch-helm.mjs caches), `helm template`
 * of the same charts, whole process: the ratio is what the target compares.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_RULES } from '../rules';
import { ChartFiles, renderChartTemplate } from '../server/src/documents/helm/chart';
import { ResolvedConfig } from '../server/src/engine/config';
import { Engine, FileState } from '../server/src/engine/engine';
import { helmChartLoader } from '../server/src/node/files';
import { findCharts } from '../test/support/charts';

function descendants(c: ChartFiles): ChartFiles[] {
  return [c, ...(c.subcharts ?? []).flatMap(descendants)];
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function renderAll(charts: string[]): { seconds: number; documents: number } {
  const start = process.hrtime.bigint();
  let documents = 0;
  const load = helmChartLoader(() => charts);
  for (const root of charts) {
    const top = load(path.join(root, 'Chart.yaml'));
    if (!top) continue;
    for (const c of descendants(top)) {
      for (const [file, text] of c.templates) {
        try {
          const r = renderChartTemplate(c, file, text);
          if (r) documents += r.text.split(/^---/m).length;
        } catch {
          // skipped or over budget, as the linter does
        }
      }
    }
  }
  return { seconds: seconds(start), documents };
}

function helmBinary(): string | undefined {
  const candidates = [process.env.HELM, path.join(process.env.BULKHEAD_CACHE ?? path.join(os.homedir(), '.cache'), 'bulkhead-helm', 'helm-v3.17.3')];
  return candidates.find((c): c is string => !!c && fs.existsSync(c));
}

export function helmChartsBench(corpus: string): void {
  const charts = findCharts(corpus);
  if (!charts.length) return;
  console.log(`\nHelm charts (${charts.length} top-level charts of the corpus)`);
  renderAll(charts); // warm-up: module caches, JIT
  const ours = renderAll(charts);
  const helm = helmBinary();
  if (helm) {
    const start = process.hrtime.bigint();
    for (const c of charts) spawnSync(helm, ['template', 'release-name', c, '--kube-version', '1.33.0'], { stdio: 'ignore' });
    const theirs = seconds(start);
    console.log(
      `  render every template: ${ours.seconds.toFixed(2)} s in-process vs helm template ${theirs.toFixed(2)} s (ratio ${(ours.seconds / theirs).toFixed(2)}; helm refuses charts whose dependencies are not vendored)`,
    );
  } else console.log(`  render every template: ${ours.seconds.toFixed(2)} s in-process (no helm binary: run .ci/fetch-helm.mjs for the comparison)`);

  const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'recommended'));
  const kps = charts.find((c) => path.basename(c) === 'kube-prometheus-stack');
  if (kps) {
    const load = helmChartLoader(() => [kps]);
    const valuesFile = path.join(kps, 'values.yaml');
    const valuesText = fs.readFileSync(valuesFile, 'utf8');
    const start = process.hrtime.bigint();
    const values = engine.lint(valuesFile, valuesText, { kind: 'helm-values', helmChart: load });
    const valuesSeconds = seconds(start);
    const template = path.join(kps, 'templates', 'prometheus-operator', 'deployment.yaml');
    const text = fs.readFileSync(template, 'utf8');
    const state = new FileState();
    engine.lint(template, text, { kind: 'helm-template', helmChart: load, state });
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = process.hrtime.bigint();
      engine.lint(template, `${text}\n# edit ${i}\n`, { kind: 'helm-template', helmChart: load, state });
      times.push(seconds(t) * 1000);
    }
    times.sort((a, b) => a - b);
    console.log(`  kube-prometheus-stack values.yaml linted (renders the whole chart): ${valuesSeconds.toFixed(2)} s, ${values.findings.length} findings`);
    console.log(`  keystroke in templates/prometheus-operator/deployment.yaml: median ${times[10].toFixed(1)} ms (re-renders that template only)`);
  }
}
