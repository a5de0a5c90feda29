/**
 * Differential test of the Helm renderer against the real `helm template`: every chart given is
 * rendered by both, with its default values and with each of its `ci/*.yaml` values files, and the
 * documents are compared as data (parsed YAML), per template. Values helm randomises
 * (`randAlphaNum`, `genCA`, `uuidv4`, `now`...) are compared by shape only, in templates that call
 * such a function.
 *
 *   node out/test/helm/differential.js --helm PATH [--corpus DIR] [--json FILE] [CHART_DIR...]
 *
 * Without chart folders it renders every chart of examples/ (and of --corpus). Exits 1 when any
 * document differs. `.ci/run` fetches helm (.ci/fetch-helm.mjs) and runs this on examples/.
 *
 * Both renderers get the same input: a copy of the chart in which dependencies that are not
 * vendored in `charts/` are left out of Chart.yaml (helm refuses to render without them, and
 * fetching them needs the network).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument } from 'yaml';
import { ChartFiles, renderChartTemplate } from '../../server/src/documents/helm/chart';
import { helmChartLoader } from '../../server/src/node/files';
import { TemplateBudgetError } from '../../server/src/documents/helm/render';
import { findCharts } from '../support/charts';

/**
 * A template over the renderer's work budget is not a wrong rendering (the linter reports it as
 * helm-render-budget instead of checking it), but its documents are not rendered as helm renders
 * them: listed apart, and a failure like a difference (the target is every document).
 */
const BUDGET = 'over the render budget: ';

const REPO = path.resolve(__dirname, '..', '..', '..');
const RANDOM =
  /\b(randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|uuidv4|genCA|genCAWithKey|genSelfSignedCert|genSelfSignedCertWithKey|genSignedCert|genSignedCertWithKey|genPrivateKey|derivePassword|now|htpasswd|bcrypt)\b/;

interface Difference {
  chart: string;
  values: string;
  template: string;
  detail: string;
}

interface Outcome {
  chart: string;
  values: string;
  documents: number;
  identical: number;
  randomised: number;
  differences: Difference[];
  /** Templates the renderer refused as too costly (reported to the user by helm-render-budget). */
  overBudget: Difference[];
  skipped?: string;
}

function args(): { helm: string; corpus?: string; json?: string; charts: string[] } {
  const a = process.argv.slice(2);
  let helm = process.env.HELM ?? '';
  let corpus: string | undefined;
  let json: string | undefined;
  const charts: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--helm') helm = a[++i];
    else if (a[i] === '--corpus') corpus = a[++i];
    else if (a[i] === '--json') json = a[++i];
    else charts.push(path.resolve(a[i]));
  }
  if (!helm) throw new Error('no helm binary: pass --helm PATH or set HELM (see .ci/fetch-helm.mjs)');
  return { helm, corpus, json, charts };
}

/**
 * A copy of the chart with its dependencies in charts/ as folders: those vendored already, those
 * found among the other charts given (by name: the corpus holds kube-prometheus-stack's
 * node-exporter and kube-state-metrics), and the rest left out of Chart.yaml.
 */
function preparedCopy(chart: string, scratch: string, library: Map<string, string>): { root: string; dropped: string[]; borrowed: string[] } {
  const name = chartName(path.join(chart, 'Chart.yaml'));
  const root = path.join(scratch, name);
  fs.cpSync(chart, root, { recursive: true, filter: (src) => !/[\\/](\.git|node_modules)$/.test(src) });
  const vendored = new Set<string>();
  try {
    for (const e of fs.readdirSync(path.join(root, 'charts'), { withFileTypes: true })) {
      if (e.isDirectory() && fs.existsSync(path.join(root, 'charts', e.name, 'Chart.yaml')))
        vendored.add(chartName(path.join(root, 'charts', e.name, 'Chart.yaml')));
    }
  } catch {
    // no charts/
  }
  const file = path.join(root, 'Chart.yaml');
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  const deps = doc.get('dependencies');
  const dropped: string[] = [];
  const borrowed: string[] = [];
  if (isSeq(deps)) {
    deps.items = deps.items.filter((d) => {
      const n = isMap(d) ? d.get('name') : undefined;
      if (typeof n === 'string' && vendored.has(n)) return true;
      const from = typeof n === 'string' ? library.get(n) : undefined;
      if (from && path.resolve(from) !== path.resolve(chart)) {
        fs.cpSync(from, path.join(root, 'charts', n as string), { recursive: true });
        // The copy's version is whatever the corpus holds: the constraint is widened to accept it.
        if (isMap(d)) d.set('version', '*');
        borrowed.push(n as string);
        return true;
      }
      dropped.push(String(n));
      return false;
    });
    fs.writeFileSync(file, doc.toString());
  }
  // The lock no longer matches; helm template does not need it.
  fs.rmSync(path.join(root, 'Chart.lock'), { force: true });
  return { root, dropped, borrowed };
}

function chartName(file: string): string {
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  const n = doc.get('name');
  return isScalar(n) ? String(n.value) : typeof n === 'string' ? n : path.basename(path.dirname(file));
}

type Docs = Map<string, unknown[]>;

function parseDocs(text: string): unknown[] {
  const out: unknown[] = [];
  for (const d of parseAllDocuments(text, { uniqueKeys: false })) {
    if (!('contents' in d)) continue;
    if (d.errors.length) {
      out.push({ __unparsable__: d.errors[0].message });
      continue;
    }
    const v = d.toJS({ maxAliasCount: -1 });
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

function helmDocs(helm: string, root: string, valuesFile: string | undefined): Docs | string {
  // helm's own defaults for .Capabilities (no --kube-version): the renderer matches them (capabilities.ts).
  const argv = ['template', 'release-name', root, '--namespace', 'default'];
  if (valuesFile) argv.push('-f', valuesFile);
  const r = spawnSync(helm, argv, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      HELM_CACHE_HOME: path.join(os.tmpdir(), 'bulkhead-helm-cache'),
      HELM_CONFIG_HOME: path.join(os.tmpdir(), 'bulkhead-helm-config'),
      HELM_DATA_HOME: path.join(os.tmpdir(), 'bulkhead-helm-data'),
    },
  });
  if (r.status !== 0) return (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n')[0];
  const docs: Docs = new Map();
  const parts = r.stdout.split(/^---\n# Source: /m);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    const source = part.slice(0, nl);
    const list = docs.get(source) ?? [];
    list.push(...parseDocs(part.slice(nl + 1)));
    docs.set(source, list);
  }
  return docs;
}

function descendants(chart: ChartFiles): ChartFiles[] {
  return [chart, ...(chart.subcharts ?? []).flatMap(descendants)];
}

function ourDocs(root: string, valuesFile: string | undefined, failures: Map<string, string>): Docs {
  const load = helmChartLoader(() => [root]);
  const top = load(path.join(root, 'Chart.yaml'));
  const docs: Docs = new Map();
  if (!top) return docs;
  const overrides = valuesFile ? [{ file: valuesFile, text: fs.readFileSync(valuesFile, 'utf8') }] : [];
  for (const chart of descendants(top)) {
    for (const [file, text] of chart.templates) {
      const base = path.basename(file);
      if (base.startsWith('_') || !/\.ya?ml$/i.test(base)) continue;
      const source = path.relative(path.dirname(root), file).split(path.sep).join('/');
      try {
        const rendered = renderChartTemplate(chart, file, text, overrides);
        if (!rendered) continue;
        const list = parseDocs(rendered.text);
        if (list.length) docs.set(source, list);
      } catch (err) {
        failures.set(source, `${err instanceof TemplateBudgetError ? BUDGET : ''}${(err as Error).message}`);
      }
    }
  }
  return docs;
}

/** Equal as data; with `loose`, two strings always match (a value helm randomises). */
function same(a: unknown, b: unknown, loose: boolean): boolean {
  if (a === b) return true;
  if (loose && typeof a === 'string' && typeof b === 'string') return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i], loose));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], loose));
  }
  return false;
}

/** The first path where two values differ, for the report. */
function firstDifference(a: unknown, b: unknown, at = ''): string {
  if (same(a, b, false)) return '';
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v)?.slice(0, 160));
  return `${at || '(document)'}: helm ${show(a)} / bulkhead ${show(b)}`;
}

function compare(chart: string, values: string, helm: Docs, ours: Docs, failures: Map<string, string>, usesRandom: (source: string) => boolean): Outcome {
  const outcome: Outcome = { chart, values, documents: 0, identical: 0, randomised: 0, differences: [], overBudget: [] };
  const sources = [...new Set([...helm.keys(), ...ours.keys(), ...failures.keys()])].sort();
  for (const source of sources) {
    const expected = helm.get(source) ?? [];
    const actual = [...(ours.get(source) ?? [])];
    outcome.documents += expected.length;
    const failure = failures.get(source);
    if (failure?.startsWith(BUDGET)) {
      outcome.overBudget.push({ chart, values, template: source, detail: `${expected.length} document(s) not checked, ${failure.slice(BUDGET.length)}` });
      continue;
    }
    if (failure) {
      outcome.differences.push({ chart, values, template: source, detail: `bulkhead could not render it: ${failure}` });
      continue;
    }
    const loose = usesRandom(source);
    for (const doc of expected) {
      let i = actual.findIndex((x) => same(doc, x, false));
      if (i >= 0) outcome.identical++;
      else if (loose && (i = actual.findIndex((x) => same(doc, x, true))) >= 0) outcome.randomised++;
      else {
        const kind = (doc as { kind?: string })?.kind;
        const near = actual.findIndex((x) => (x as { kind?: string })?.kind === kind);
        outcome.differences.push({
          chart,
          values,
          template: source,
          detail: near >= 0 ? firstDifference(doc, actual[near]) : `helm renders a ${kind ?? 'document'} bulkhead does not`,
        });
        if (near >= 0) actual.splice(near, 1);
        continue;
      }
      actual.splice(i, 1);
    }
    for (const extra of actual)
      outcome.differences.push({
        chart,
        values,
        template: source,
        detail: `bulkhead renders a ${(extra as { kind?: string })?.kind ?? 'document'} helm does not`,
      });
  }
  return outcome;
}

/** Whether a template (or any helper of its chart tree) calls a function whose output helm randomises. */
function randomChecker(root: string): (source: string) => boolean {
  const helpers: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.tpl') || e.name.startsWith('_')) helpers.push(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  const helperRandom = helpers.some((t) => RANDOM.test(t));
  return (source) => {
    if (helperRandom) return true;
    try {
      return RANDOM.test(fs.readFileSync(path.join(path.dirname(root), source), 'utf8'));
    } catch {
      return false;
    }
  };
}

function main(): void {
  const started = Date.now();
  const opts = args();
  const known = [...findCharts(path.join(REPO, 'examples')), ...(opts.corpus ? findCharts(opts.corpus) : [])];
  const charts = opts.charts.length ? opts.charts : known;
  const library = new Map<string, string>();
  for (const c of [...known, ...opts.charts]) if (!library.has(chartName(path.join(c, 'Chart.yaml')))) library.set(chartName(path.join(c, 'Chart.yaml')), c);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-helm-diff-'));
  const outcomes: Outcome[] = [];
  try {
    charts.forEach((chart, n) => {
      const { root, dropped, borrowed } = preparedCopy(chart, path.join(scratch, String(n)), library);
      const label = path.relative(REPO, chart).startsWith('..') ? chart : path.relative(REPO, chart);
      const ciDir = path.join(root, 'ci');
      const valuesFiles = fs.existsSync(ciDir)
        ? fs
            .readdirSync(ciDir)
            .filter((f) => /\.ya?ml$/.test(f))
            .sort()
            .map((f) => path.join(ciDir, f))
        : [];
      const usesRandom = randomChecker(root);
      for (const values of [undefined, ...valuesFiles]) {
        const valuesLabel = values ? `ci/${path.basename(values)}` : 'values.yaml';
        const helm = helmDocs(opts.helm, root, values);
        if (typeof helm === 'string') {
          outcomes.push({
            chart: label,
            values: valuesLabel,
            documents: 0,
            identical: 0,
            randomised: 0,
            differences: [],
            overBudget: [],
            skipped: `helm refuses it: ${helm}`,
          });
          continue;
        }
        const failures = new Map<string, string>();
        const ours = ourDocs(root, values, failures);
        const outcome = compare(label, valuesLabel, helm, ours, failures, usesRandom);
        const notes = [
          borrowed.length ? `dependencies taken from the other charts: ${borrowed.join(', ')}` : '',
          dropped.length ? `dependencies not found, left out by both: ${dropped.join(', ')}` : '',
        ].filter(Boolean);
        if (notes.length) outcome.skipped = notes.join('; ');
        outcomes.push(outcome);
      }
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  let documents = 0;
  let identical = 0;
  let randomised = 0;
  let differing = 0;
  let budget = 0;
  for (const o of outcomes) {
    budget += o.overBudget.reduce((n, d) => n + Number(d.detail.split(' ')[0]), 0);
    documents += o.documents;
    identical += o.identical;
    randomised += o.randomised;
    differing += o.differences.length;
    const status = o.differences.length ? `${o.differences.length} differ` : 'all identical';
    console.log(
      `${o.chart} with ${o.values}: ${o.identical}/${o.documents} identical${o.randomised ? `, ${o.randomised} equal but for random values` : ''}, ${status}${o.skipped ? ` (${o.skipped})` : ''}`,
    );
    for (const d of o.differences.slice(0, 20)) console.log(`    ${d.template}: ${d.detail}`);
    for (const d of o.overBudget) console.log(`    ${d.template}: over the render budget (helm-render-budget reports it): ${d.detail}`);
    if (o.differences.length > 20) console.log(`    ... and ${o.differences.length - 20} more`);
  }
  const share = documents ? (((identical + randomised) / documents) * 100).toFixed(1) : '100.0';
  console.log(
    `\n${identical + randomised} of ${documents} documents as helm renders them (${share} %; ${randomised} equal but for random values); ${differing} differences; ${budget} in templates over the render budget.`,
  );
  console.log(`${charts.length} charts, ${outcomes.length} renderings by each side, in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(outcomes, null, 2));
  process.exitCode = differing || budget ? 1 : 0;
}

main();
