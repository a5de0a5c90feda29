// Builds the workspaces of the extension-host sessions and, next to each, `<workspace>.e2e.json`: what the
// suite must see, computed by the CLI at run time (never hard-coded counts).
import fs from 'node:fs';
import path from 'node:path';
import { cliFindings, cliRules, copyExamples, lintableFiles, manifestsFirst } from '../lib/common.mjs';

const shape = (f) => ({ line: f.range.start.line, character: f.range.start.character, rule: f.ruleId, severity: f.severity, message: f.message });

function byFile(ws, findings, files = lintableFiles(ws)) {
  const out = Object.fromEntries(files.map((f) => [f, []]));
  for (const f of findings) if (out[f.file]) out[f.file].push(shape(f));
  return out;
}

function scanOf(findings) {
  const files = {};
  for (const f of findings) files[f.file] = (files[f.file] || 0) + 1;
  return { total: findings.length, files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) };
}

// The fixes the suite applies: the rule's first fix title comes from the CLI, the text it must produce from here.
const FIXES = [
  { file: 'kubernetes/web.yaml', rule: 'privileged-container', fixedText: 'privileged: false' },
  { file: 'docker/Dockerfile', rule: 'dockerfile-runs-as-root', fixedText: 'USER 65532' },
];

function fixesFor(findings, files) {
  return FIXES.filter((x) => files.includes(x.file)).map((x) => {
    const f = findings.find((g) => g.file === x.file && g.ruleId === x.rule);
    if (!f?.fix) throw new Error(`the CLI reports no fixable ${x.rule} in ${x.file}: update FIXES in test/e2e/ext-host/expectations.mjs`);
    return { ...x, line: f.range.start.line, character: f.range.start.character, title: f.fix.title };
  });
}

function write(ws, data) {
  fs.writeFileSync(`${ws}.e2e.json`, JSON.stringify(data, null, 2));
  return { mode: data.mode, workspace: ws, expected: `${ws}.e2e.json` };
}

export function prepareSessions(modes = ['main', 'restricted', 'activation-dockerfile']) {
  const rules = cliRules();
  const sessions = [];
  if (modes.includes('main')) {
    const ws = copyExamples('ext-main');
    const findings = cliFindings(ws);
    const files = lintableFiles(ws);
    const fixes = fixesFor(findings, files);
    const hover = fixes[0];
    sessions.push(
      write(ws, {
        mode: 'main',
        open: manifestsFirst(files),
        files: byFile(ws, findings, files),
        scan: scanOf(findings),
        profile: { name: 'pss-restricted', files: byFile(ws, cliFindings(ws, ['--profile', 'pss-restricted']), files) },
        fixes,
        hover: { file: hover.file, line: hover.line, character: hover.character, rule: hover.rule, title: rules.get(hover.rule).title },
        ruleOff: { file: hover.file, rule: hover.rule },
      }),
    );
  }
  if (modes.includes('restricted')) {
    // Manifests only: no Dockerfile, so only onLanguage:yaml can activate Bulkhead.
    const ws = copyExamples('ext-restricted', (rel) => rel === '' || rel === 'kubernetes' || rel.startsWith(`kubernetes${path.sep}`));
    const open = ['kubernetes/web.yaml'];
    const findings = cliFindings(ws);
    sessions.push(
      write(ws, {
        mode: 'restricted',
        open,
        files: byFile(ws, findings, open),
        scan: scanOf(findings),
        fixes: fixesFor(findings, open),
      }),
    );
  }
  if (modes.includes('activation-dockerfile')) {
    // One *.Dockerfile and nothing else: workspaceContains:**/Dockerfile does not match it, onLanguage:dockerfile does.
    const keep = ['', 'docker', path.join('docker', 'insecure.Dockerfile')];
    const ws = copyExamples('ext-activation-dockerfile', (rel) => keep.includes(rel));
    const open = ['docker/insecure.Dockerfile'];
    sessions.push(write(ws, { mode: 'activation-dockerfile', open, files: byFile(ws, cliFindings(ws), open) }));
  }
  return sessions;
}
