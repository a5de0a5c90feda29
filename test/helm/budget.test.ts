/**
 * A chart must not hang the linter: every template that would run away stops with
 * TemplateBudgetError. Each case renders in a worker so that a regression fails the test after a
 * generous safety timeout instead of hanging the suite; the assertions are on the error, not on time.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

const CHART_MODULE = path.join(__dirname, '../../server/src/documents/helm/chart.js');
const SAFETY_TIMEOUT_MS = 60_000;

/** Renders in a worker; resolves to the output or the error's class and message. */
function renderInWorker(template: string, values = '', helpers = ''): Promise<{ text?: string; error?: string; message?: string }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { renderChartTemplate } = require(workerData.module);
    const chart = {
      root: '/c',
      chartYaml: 'name: c\\n',
      valuesYaml: workerData.values,
      templates: new Map([['/c/templates/t.yaml', workerData.template], ['/c/templates/_helpers.tpl', workerData.helpers]]),
    };
    try {
      parentPort.postMessage({ text: renderChartTemplate(chart, '/c/templates/t.yaml', workerData.template).text });
    } catch (err) {
      parentPort.postMessage({ error: err.constructor.name, message: err.message });
    }`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { module: CHART_MODULE, template, values, helpers } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`rendering did not finish within ${SAFETY_TIMEOUT_MS / 1000} s`));
    }, SAFETY_TIMEOUT_MS);
    worker.once('message', (m: { text?: string; error?: string; message?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function assertBudget(template: string, values = '', helpers = ''): Promise<void> {
  const r = await renderInWorker(template, values, helpers);
  assert.equal(r.error, 'TemplateBudgetError', `${template.slice(0, 120)} → ${JSON.stringify(r).slice(0, 200)}`);
}

describe('helm rendering budget', () => {
  it('nested loops stop at the step budget', async () => {
    await assertBudget('{{ range until 3000 }}{{ range until 3000 }}{{ range until 3000 }}x{{ end }}{{ end }}{{ end }}');
    await assertBudget('{{ range $i := until 1000000000 }}{{ end }}');
  });

  it('a helper that includes itself twice per level stops', async () => {
    const helpers = '{{ define "boom" }}{{ include "boom" . }}{{ include "boom" . }}{{ end }}{{ define "t" }}{{ template "t" . }}{{ end }}';
    await assertBudget('{{ include "boom" . }}', '', helpers);
    await assertBudget('{{ template "t" . }}', '', helpers);
  });

  it('tpl of a value that runs tpl of itself stops, and tpl texts count their actions', async () => {
    await assertBudget('{{ tpl .Values.t . }}', "t: '{{ tpl .Values.t . }}{{ tpl .Values.t . }}'\n");
    await assertBudget('{{ range until 100 }}{{ tpl (printf "%s%d" $.Values.t .) $ }}{{ end }}', `t: "${'{{ 1 }}'.repeat(2000)}"\n`);
  });

  it('user regexes run in linear time', async () => {
    // Exponential for a backtracking engine; RE2 semantics as in Go's regexp.
    const r = await renderInWorker(
      '{{ regexMatch "^(a+)+$" .Values.s }}|{{ regexFind "(x+x+)+y" .Values.s }}|{{ regexReplaceAll "(a|aa)+$" .Values.s "-" | len }}',
      `s: "${'a'.repeat(5000)}!"\n`,
    );
    assert.deepEqual(r, { text: 'false||5001' });
    await assertBudget(`{{ range until 1000 }}{{ regexMatch "(?:[a-z]{0,30}[a-z]{0,30}){0,15}$" $.Values.s }}{{ end }}`, `s: "${'a'.repeat(100000)}"\n`);
    // Counted repeats make big programs: compiling many of them is work too.
    await assertBudget(`{{ regexMatch "${'a{1000}'.repeat(100)}" "a" }}`);
    await assertBudget('{{ range until 1000 }}{{ regexMatch (printf "a{1000}b{%d}" .) "a" }}{{ end }}');
  });

  it("printf widths beyond Go's limit, repeat, indent and until refuse to build huge values", async () => {
    await assertBudget(`{{ printf "%${'9'.repeat(100000)}d" 1 }}`);
    await assertBudget('{{ printf "%.99999999s" "x" }}');
    await assertBudget('{{ range until 100 }}{{ printf "%999999d" 1 }}{{ end }}');
    await assertBudget('{{ repeat 1000000000 "x" }}');
    await assertBudget('{{ indent 1000000000 "x" }}');
    await assertBudget('{{ until 1000000000 }}');
  });

  it('doubling a string, a list or shared data stops', async () => {
    await assertBudget('{{ $s := "xxxxxxxx" }}{{ range until 40 }}{{ $s = print $s $s }}{{ end }}{{ len $s }}');
    await assertBudget('{{ $l := list 1 }}{{ range until 40 }}{{ $l = concat $l $l }}{{ end }}{{ len $l }}');
    await assertBudget('{{ $d := dict "a" "x" }}{{ range until 40 }}{{ $d = dict "a" $d "b" $d }}{{ end }}{{ toJson $d }}');
    await assertBudget('{{ $d := list "x" }}{{ range until 40 }}{{ $d = list $d $d }}{{ end }}{{ $d }}');
    await assertBudget('{{ $s := repeat 1000000 "x" }}{{ replace "" "yyyyyyyyyy" $s | len }}');
    await assertBudget('{{ regexReplaceAll "" (repeat 1000000 "x") "yy" | len }}');
  });

  it('loops over functions that scan big values stop', async () => {
    await assertBudget('{{ $s := repeat 4000000 "a" }}{{ range until 99000 }}{{ if contains "b" $s }}{{ end }}{{ end }}');
    await assertBudget('{{ $l := until 99999 }}{{ range until 99000 }}{{ if has -1 $l }}{{ end }}{{ end }}');
    // A big map is sorted once, not on every `range`, `if` or `len`.
    const values = `m: {${Array.from({ length: 50000 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n`;
    await assertBudget('{{ range until 99000 }}{{ if $.Values.m }}{{ len $.Values.m }}{{ range $.Values.m }}{{ break }}{{ end }}{{ end }}{{ end }}', values);
  });

  it('fromYaml and fromJson are charged as parsing, and find duplicate keys in linear time', async () => {
    // The yaml package's own duplicate-key check compares every pair of keys (minutes for this).
    const flow = `{${Array.from({ length: 100000 }, (_, i) => `k${i}: [1, 2]`).join(', ')}}`;
    await assertBudget('{{ range until 100 }}{{ fromYaml $.Values.yy | len }}{{ end }}', `yy: ${JSON.stringify(flow)}\n`);
    await assertBudget('{{ range until 100 }}{{ fromJson $.Values.yy | len }}{{ end }}', `yy: ${JSON.stringify(JSON.stringify(Array(200000).fill(1)))}\n`);
    const small = `{${Array.from({ length: 5000 }, (_, i) => `k${i}: 1`).join(', ')}, k0: 2}`;
    assert.deepEqual(await renderInWorker('{{ (fromYaml .Values.yy).Error }}', `yy: ${JSON.stringify(small)}\n`), { text: 'invalid YAML' });
  });

  it('a chart may parse its own big files once, not a big text again and again', async () => {
    // kube-prometheus-stack's CRD upgrade job: `.Files.Get` of ten CRDs (4.5 MB) piped to fromYaml.
    const crd = (n: number) =>
      `kind: CustomResourceDefinition\nmetadata:\n  name: crd${n}\nspec:\n${Array.from({ length: 7500 }, (_, i) => `  k${i}: "a long description of a field of the resource"`).join('\n')}\n`;
    const docs = Array.from({ length: 10 }, (_, n) => crd(n));
    const values = `docs:\n${docs.map((d) => `  - ${JSON.stringify(d)}`).join('\n')}\n`;
    assert.ok(docs.join('').length > 4_000_000);
    const r = await renderInWorker('{{ range .Values.docs }}{{ (fromYaml .).metadata.name }} {{ end }}', values);
    assert.equal(r.error, undefined, r.message);
    assert.equal(r.text, 'crd0 crd1 crd2 crd3 crd4 crd5 crd6 crd7 crd8 crd9 ');
    // The same texts parsed twice are over the budget.
    await assertBudget('{{ range until 2 }}{{ range $.Values.docs }}{{ (fromYaml .).metadata.name }} {{ end }}{{ end }}', values);
  });

  it('quadratic append loops stop at the built budget', async () => {
    await assertBudget('{{ $l := list }}{{ range until 90000 }}{{ $l = append $l . }}{{ end }}{{ len $l }}');
  });

  it('deeply nested templates and data stop', async () => {
    await assertBudget(`${'{{ if true }}'.repeat(5000)}x${'{{ end }}'.repeat(5000)}`);
    await assertBudget(`{{ ${'('.repeat(5000)}1${')'.repeat(5000)} }}`);
    await assertBudget('{{ $l := list }}{{ range until 5000 }}{{ $l = list $l }}{{ end }}{{ toYaml $l }}');
  });

  it('a malformed character constant is an error, not an endless scan', async () => {
    // The old tokenizer rewound to the start of the action when it found no closing quote.
    assert.deepEqual(await renderInWorker("{{ '\\'' }}"), { text: '39' });
    assert.equal((await renderInWorker("{{ 'ab' }}")).error, 'TemplateError');
  });

  it('ordinary templates stay well inside the budget', async () => {
    const helpers = '{{ define "name" }}{{ .Release.Name }}-{{ .Values.name | default "app" | trunc 63 }}{{ end }}';
    const t = '{{ range $i := until 200 }}- name: {{ include "name" $ }}-{{ $i }}\n  labels: {{ toYaml $.Values.labels | nindent 4 }}\n{{ end }}';
    const r = await renderInWorker(t, 'labels: {a: b, c: d}\n', helpers);
    assert.equal(r.error, undefined, r.message);
    assert.equal(r.text?.split('\n- name:').length, 200);
  });
});
