/**
 * Secrets in files that are not manifests: Helm `values*.yaml` (literal credentials a chart ships as
 * defaults) and `.env` files. Both read the whole file through the shared detector.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, Scalar } from 'yaml';
import type { TextRule } from '../../../server/src/engine/rule';
import * as nodePath from 'node:path';
import type { RelatedLocation } from '../../../server/src/engine/rule';
import { kustomizationsReading } from '../../../server/src/documents/kustomize';
import { embeddedEntries, embeddedFormat, findTokens, isNotSecret, judgeNamedValue, judgeValue, secretName, Verdict } from '../../../server/src/secrets';
import { CHECKOV_SECRET_REFERENCES, commentMarksPlaceholder, describeVerdict, SECRETS, spanInScalar, verdictRange } from './common';

interface ValuesHit {
  path: string;
  /** The key path of the value in the file (what the chart's templates read as `.Values.…`). */
  keys: (string | number)[];
  node: Scalar;
  verdict: Verdict;
  from: number;
  to: number;
}

/** Most nodes walked in one values file: a work budget against hostile input (aliases are not followed). */
const VALUES_BUDGET = 200_000;

/** Values that hold nothing: most credential keys of a chart's defaults look like this. */
const EMPTY_VALUES = new Set(['', '""', "''", '~', 'null', '{}', '[]', '|', '>', '|-', '>-']);

/**
 * Whether any line could hold a credential: a credential-named key (or `name:` of an env entry) with a
 * non-empty value. Charts' values files are large and full of `password: ""`; parsing one that has no
 * such line (and no known token format) would cost more than every other check of the file.
 */
function mayHoldSecrets(text: string): boolean {
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl < 0 ? text.length : nl);
    start = nl < 0 ? text.length : nl + 1;
    const colon = line.indexOf(':');
    if (colon < 0 || line.trimStart().startsWith('#')) continue;
    const key = line
      .slice(0, colon)
      .trim()
      .replace(/^-\s*/, '')
      .replace(/^["']|["']$/g, '');
    let value = line.slice(colon + 1);
    const comment = value.indexOf(' #');
    if (comment >= 0) value = value.slice(0, comment);
    value = value.trim();
    if (
      key === 'name'
        ? secretName(value.replace(/^["']|["']$/g, ''))
        : secretName(key) && !EMPTY_VALUES.has(value) && !isNotSecret(value.replace(/^["']|["']$/g, ''))
    )
      return true;
  }
  return false;
}

export function valuesSecrets(text: string): ValuesHit[] {
  if (findTokens(text).length === 0 && !mayHoldSecrets(text)) return [];
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length) return [];
  const out: ValuesHit[] = [];
  let budget = VALUES_BUDGET;
  const judge = (path: string, keys: (string | number)[], name: string, node: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string') return;
    const verdict = judgeNamedValue(name, node.value);
    if (!verdict) return;
    const [from, to] = verdictRange(verdict, node.value);
    out.push({ path, keys, node, verdict, from, to });
  };
  const walk = (node: unknown, path: string, keys: (string | number)[], depth: number): void => {
    if (--budget < 0 || depth > 64) return;
    if (isMap(node)) {
      // `{name: DB_PASSWORD, value: …}` (extraEnv lists): the name names the value.
      const nameItem = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'name');
      const valueItem = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'value');
      const envName = nameItem && isScalar(nameItem.value) && typeof nameItem.value.value === 'string' ? nameItem.value.value : undefined;
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const childPath = path ? `${path}.${key}` : key;
        const childKeys = [...keys, key];
        if (pair === valueItem && envName) judge(`${path}[${envName}]`, childKeys, envName, pair.value);
        else if (isScalar(pair.value)) judge(childPath, childKeys, key, pair.value);
        else walk(pair.value, childPath, childKeys, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (isScalar(item) && typeof item.value === 'string') {
          const verdict = judgeValue(item.value);
          if (verdict) out.push({ path: `${path}[${i}]`, keys: [...keys, i], node: item, verdict, ...range(verdict, item.value) });
        } else walk(item, `${path}[${i}]`, [...keys, i], depth + 1);
      });
    }
  };
  walk(doc.contents as Node | null, '', [], 0);
  return out;
}

function range(verdict: Verdict, value: string): { from: number; to: number } {
  const [from, to] = verdictRange(verdict, value);
  return { from, to };
}

export const helmValuesSecret: TextRule = {
  ...SECRETS,
  id: 'helm-values-secret',
  language: 'text',
  title: 'Credential in Helm values',
  severity: 'error',
  description:
    'A Helm `values*.yaml` sets a credential as a literal default: a key named like one ' +
    '(`postgresql.auth.password`, `apiKey`, an `extraEnv` entry named `DB_PASSWORD`) with a real-looking value, ' +
    'or a known token format anywhere. Every install that does not override it runs with that credential, and ' +
    'everyone with the chart has it. Empty values, `~`, `[]`, `{}`, placeholders, template expressions and ' +
    'references to existing Secrets are not reported: keys named like references (`existingSecret`), and, when ' +
    'the chart is in the workspace, values its templates print only where a name belongs (`secretKeyRef.name`, ' +
    "`existingSecret`, a volume's `secretName`, an object's `metadata.name`), found by rendering the chart.",
  remediation:
    'Revoke the credential and leave the default empty; take the value at install time (`--set`, a values file ' +
    'that is not committed) or, better, from an existing Secret the chart references (`existingSecret`).',
  references: [...CHECKOV_SECRET_REFERENCES],
  fixes: [],
  fileKinds: ['helm-values'],
  check(ctx) {
    for (const hit of valuesSecrets(ctx.text)) {
      if (hit.verdict.reason === 'name' && commentMarksPlaceholder(ctx.text, hit.node.range?.[0] ?? 0)) continue;
      // A value the chart prints only where a name belongs (`secretKeyRef.name`, `existingSecret`, a
      // Secret's name) names the Secret that holds the credential. Known formats are secrets wherever they go.
      const uses = hit.verdict.reason === 'name' ? ctx.valueUses?.(hit.keys) : undefined;
      if (uses?.length && uses.every((u) => u === 'reference')) continue;
      const value = hit.node.value as string;
      ctx.report({
        at: spanInScalar(ctx.text, hit.node, hit.from, hit.to),
        message: `Helm value ${hit.path} holds a ${describeVerdict(hit.verdict, value.slice(hit.from, hit.to))}: every install that keeps the default uses it, and everyone with the chart has it. Leave it empty and reference an existing Secret.`,
      });
    }
  },
};

export const dotenvSecret: TextRule = {
  ...SECRETS,
  id: 'dotenv-secret',
  language: 'text',
  title: 'Credential in a .env file or a Kustomize generator input',
  severity: 'error',
  description:
    'A `.env` file (`.env`, `.env.production`, `app.env`: read by docker compose, Kustomize `envs` and most app ' +
    'frameworks) sets a credential: a variable named like one with a real-looking value, or a known token ' +
    "format anywhere. A file a Kustomization's `secretGenerator` or `configMapGenerator` reads (`envs`, " +
    '`files`) is read the same way whatever its name (`db.properties`, `password.txt`), and the finding names ' +
    'the kustomization entry. Templates (`.env.example`, `.env.sample`, `.env.template`) are documentation ' +
    'and are not read unless a kustomization uses them; placeholders and references are not reported.',
  remediation:
    'Revoke the credential, remove the file from the repository (and its history), list it in `.gitignore` ' +
    'and commit a `.env.example` with placeholders instead; have CI or a secret store provide the real file.',
  references: [...CHECKOV_SECRET_REFERENCES],
  fixes: [],
  fileKinds: ['dotenv'],
  reads: ['Kustomization', 'Component'],
  check(ctx) {
    const text = ctx.text;
    const readers = kustomizationsReading(ctx.filePath, ctx.workspace);
    const input = readers[0]?.input;
    const related: RelatedLocation[] = readers.slice(0, 5).map((r) => {
      const [s, e] = r.input.node.range ?? [0, 0];
      return {
        path: r.kustomizationPath,
        start: r.documentStart + s,
        end: r.documentStart + e,
        message: `${r.input.generator} ${r.input.source} entry that reads this file`,
      };
    });
    const fileName = nodePath.basename(ctx.filePath);
    const where = readers.length
      ? `${fileName}, which ${readers[0].input.generator}${readers[0].input.name ? ` "${readers[0].input.name}"` : ''} of ${nodePath.basename(readers[0].kustomizationPath)} (${nodePath.basename(nodePath.dirname(readers[0].kustomizationPath)) || '.'}) reads`
      : 'a .env file';
    const advice = readers.length
      ? 'if the file is committed, so is the credential: have CI or a secret store provide it, or use a SOPS or External Secrets generator.'
      : 'if the file is committed, so is the credential. Keep .env out of the repository and commit a .env.example.';
    const report = (start: number, end: number, what: string) =>
      ctx.report({ at: { start, end }, message: `${what} in ${where}: ${advice}`, ...(related.length ? { related } : {}) });
    const covered: [number, number][] = [];
    // `files:` stores the whole file under one key; a file that is itself KEY=value lines is read as such.
    const format = input?.source === 'files' ? (embeddedFormat(fileName, text) ?? undefined) : 'env';
    const entries = format ? embeddedEntries(format === 'env' ? '.env' : fileName, text) : [];
    for (const e of entries) {
      covered.push([e.start, e.end]);
      const verdict = judgeNamedValue(e.key, e.value);
      if (!verdict) continue;
      const [a, b] = verdictRange(verdict, e.value);
      report(e.start + a, e.start + b, `${e.key} holds a ${describeVerdict(verdict, e.value.slice(a, b))}`);
    }
    const rest = judgeValue(text);
    if (rest?.reason === 'format' && !covered.some(([s, e]) => rest.hit.index >= s && rest.hit.index < e)) {
      report(
        rest.hit.index,
        rest.hit.index + rest.hit.length,
        `The file holds a ${describeVerdict(rest, text.slice(rest.hit.index, rest.hit.index + rest.hit.length))}`,
      );
    } else if (!rest && input?.source === 'files' && input.key && entries.length === 0) {
      // `files: [db-password=secrets/db.txt]`: one value, named by its key.
      const lead = text.length - text.trimStart().length;
      const value = text.trim();
      const verdict = value && !value.includes('\n') ? judgeNamedValue(input.key, value) : undefined;
      if (verdict) {
        const [a, b] = verdictRange(verdict, value);
        report(lead + a, lead + b, `Key ${input.key} holds a ${describeVerdict(verdict, value.slice(a, b))}`);
      }
    }
  },
};
